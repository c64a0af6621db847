// SyshashOracle — Guava's hash functions on stdin lines, in syshash_tool's
// format, so oracle_syshash.py can hold the core's functions equal to them.
//
//   java -cp guava.jar:DIR SyshashOracle FUNCTION [ARG] < inputs
//
// Inputs are hex bytes, one per line (milvus-int: a decimal int64). Outputs
// are decimal: signed where syshash_tool prints signed.
//   es-hash      Murmur3 x86_32 over the UTF-16 code units of the string whose
//                UTF-8 is the input: Hashing.murmur3_32_fixed().hashUnencodedChars
//                (checked equal to hashBytes of the UTF-16LE bytes), signed
//   es-shard S:R Math.floorMod(es-hash, R) / (R / S), as IndexRouting does
//   murmur3-32 SEED   murmur3_32_fixed(SEED).hashBytes, unsigned
//   murmur3-128 SEED  murmur3_128(SEED).hashBytes: h1 h2 (the little-endian
//                halves of asBytes), unsigned
//   siphash KEYHEX    sipHash24(k0, k1).hashBytes, unsigned
//   crc32        Hashing.crc32().hashBytes, unsigned
//   milvus-int   murmur3_32_fixed(0) over the int64's 8 little-endian bytes,
//                & 0x7fffffff (Milvus's Hash32Int64)
import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

public class SyshashOracle {
    static byte[] unhex(String s) {
        if (s.length() % 2 != 0) throw new IllegalArgumentException("odd hex length");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++)
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    static String u64(long v) { return Long.toUnsignedString(v); }

    static long le64(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static int esHash(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8);
        int a = Hashing.murmur3_32_fixed().hashUnencodedChars(s).asInt();
        int b = Hashing.murmur3_32_fixed().hashBytes(s.getBytes(StandardCharsets.UTF_16LE)).asInt();
        if (a != b) throw new IllegalStateException("hashUnencodedChars != UTF-16LE bytes");
        return a;
    }

    public static void main(String[] args) throws Exception {
        String fn = args[0];
        String arg = args.length > 1 ? args[1] : null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        PrintWriter out = new PrintWriter(System.out);
        HashFunction f = null;
        int shards = 0, routing = 0;
        switch (fn) {
        case "murmur3-32": f = Hashing.murmur3_32_fixed((int) Long.parseLong(arg)); break;
        case "murmur3-128": f = Hashing.murmur3_128((int) Long.parseLong(arg)); break;
        case "crc32": f = Hashing.crc32(); break;
        case "siphash": {
            byte[] k = unhex(arg);
            f = Hashing.sipHash24(le64(k, 0), le64(k, 8));
            break;
        }
        case "es-shard": {
            String[] p = arg.split(":");
            shards = Integer.parseInt(p[0]);
            routing = Integer.parseInt(p[1]);
            break;
        }
        case "es-hash": case "milvus-int": break;
        default: throw new IllegalArgumentException("unknown function " + fn);
        }
        String line;
        while ((line = in.readLine()) != null) {
            switch (fn) {
            case "es-hash": out.println(esHash(unhex(line))); break;
            case "es-shard": out.println(Math.floorMod(esHash(unhex(line)), routing) / (routing / shards)); break;
            case "murmur3-32": case "crc32":
                out.println(Integer.toUnsignedString(f.hashBytes(unhex(line)).asInt()));
                break;
            case "murmur3-128": {
                byte[] h = f.hashBytes(unhex(line)).asBytes();
                out.println(u64(le64(h, 0)) + " " + u64(le64(h, 8)));
                break;
            }
            case "siphash": out.println(u64(f.hashBytes(unhex(line)).asLong())); break;
            case "milvus-int": {
                byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.parseLong(line)).array();
                out.println(Hashing.murmur3_32_fixed().hashBytes(b).asInt() & 0x7fffffff);
                break;
            }
            }
        }
        out.flush();
    }
}
