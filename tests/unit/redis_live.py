"""Real redis-server instances for tests, that never outlive the test.

Debian's redis-server (installed by tests/run.sh) in cluster mode on free
127.0.0.1 ports, each in a temporary directory:

    with RedisFleet(4) as fleet:
        conn = fleet.conn(0)
        conn.call("CLUSTER", "KEYSLOT", b"key")

Teardown runs whatever happens: on leaving the `with` block (also by an
exception), at interpreter exit (atexit), on SIGTERM/SIGINT/SIGHUP (turned
into SystemExit so finally blocks run) and on the fleet's own deadline
(SIGALRM, before ctest's TIMEOUT would kill this process outright). Each
server runs in its own process group and gets SIGKILL from the kernel if
this process dies anyway (PR_SET_PDEATHSIG); the directory such a death
leaves behind is swept by the next fleet. Stopping is SHUTDOWN NOSAVE, then
SIGKILL to the group; the directory is removed afterwards.

Stdlib only; run with /usr/bin/python3.
"""

import atexit
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # Runs in the child before exec: SIGKILL when the test process dies.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _bindable(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_cluster_port(taken):
    """A port P such that P and its cluster bus port P + 10000 are free."""
    for _ in range(1000):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 10000 <= 65535 and port not in taken and port + 10000 not in taken and _bindable(port + 10000):
            return port
    raise RuntimeError("no free port pair (P, P + 10000) on 127.0.0.1")


_PREFIX = "ringscope-redis-"


def _sweep_orphans():
    """Removes fleet directories whose owner died by SIGKILL (the one
    signal that leaves no chance to clean up; its servers died with it)."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        path = os.path.join(tmp, name)
        if not name.startswith(_PREFIX) or not os.path.isdir(path):
            continue
        try:
            with open(os.path.join(path, "owner.pid")) as f:
                pid = int(f.read())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (OSError, ValueError):
            pass  # not ours to judge: another user's, or being created


class RespError(Exception):
    """An error reply from the server."""


class Conn:
    """A minimal RESP2 client: enough for CLUSTER commands and pipelines."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    @staticmethod
    def encode(args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, str):
                a = a.encode()
            elif isinstance(a, int):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("redis closed the connection")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise ConnectionError("bad RESP reply %r" % line)

    def call(self, *args):
        self.sock.sendall(self.encode(args))
        r = self.reply()
        if isinstance(r, RespError):
            raise r
        return r

    def pipeline(self, commands, chunk=1000):
        """Replies to many commands, sent in chunks (errors come back as RespError)."""
        out = []
        for i in range(0, len(commands), chunk):
            part = commands[i:i + chunk]
            self.sock.sendall(b"".join(self.encode(c) for c in part))
            out.extend(self.reply() for _ in part)
        return out


class RedisFleet:
    """n redis-server instances in cluster mode, each on its own free port."""

    def __init__(self, n, deadline_s=90, server="redis-server"):
        self.server = shutil.which(server) or "/usr/bin/redis-server"
        if not os.access(self.server, os.X_OK):
            raise RuntimeError("redis-server not found: install Debian's redis-server (tests/run.sh does)")
        self.n = n
        self.deadline_s = deadline_s
        self.dir = None
        self.ports = []
        self.procs = []
        self._closed = False
        self._old_handlers = {}

    # -- lifetime --------------------------------------------------------

    def __enter__(self):
        atexit.register(self.close)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            self._old_handlers[sig] = signal.signal(sig, self._on_signal)
        self._old_handlers[signal.SIGALRM] = signal.signal(signal.SIGALRM, self._on_deadline)
        signal.alarm(self.deadline_s)
        try:
            _sweep_orphans()
            self.dir = tempfile.mkdtemp(prefix=_PREFIX)
            with open(os.path.join(self.dir, "owner.pid"), "w") as f:
                f.write(str(os.getpid()))
            for _ in range(self.n):
                self._start_one()
            for port in self.ports:
                self._wait_ready(port)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _on_signal(self, signum, frame):
        raise SystemExit("redis fleet: signal %d, stopping the servers" % signum)

    def _on_deadline(self, signum, frame):
        raise TimeoutError("redis fleet: the test ran past its %d s deadline" % self.deadline_s)

    def _start_one(self):
        port = free_cluster_port(set(self.ports) | {p + 10000 for p in self.ports})
        d = os.path.join(self.dir, str(port))
        os.mkdir(d)
        args = [self.server, "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                "--cluster-config-file", os.path.join(d, "nodes.conf"), "--dir", d, "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--logfile", os.path.join(d, "redis.log"),
                "--cluster-node-timeout", "5000"]
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)
        self.ports.append(port)
        self.procs.append(proc)

    def _wait_ready(self, port, timeout=15.0):
        end = time.monotonic() + timeout
        while True:
            try:
                c = Conn(port, timeout=2.0)
                try:
                    if c.call("PING") == "PONG":
                        return
                finally:
                    c.close()
            except (OSError, ConnectionError, RespError):
                pass
            i = self.ports.index(port)
            if self.procs[i].poll() is not None:
                raise RuntimeError("redis-server on port %d exited: see its log" % port)
            if time.monotonic() > end:
                raise TimeoutError("redis-server on port %d did not answer PING" % port)
            time.sleep(0.05)

    def close(self):
        if self._closed:
            return
        self._closed = True
        signal.alarm(0)
        for port, proc in zip(self.ports, self.procs):
            if proc.poll() is None:
                try:
                    c = Conn(port, timeout=1.0)
                    c.sock.sendall(Conn.encode(("SHUTDOWN", "NOSAVE")))
                    c.close()
                except OSError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
            if proc.poll() is not None:
                continue  # reaped: its pid may belong to someone else now
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the group: nothing it started survives either
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                print("redis fleet: process %d did not die" % proc.pid, file=sys.stderr)
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old)
        try:
            atexit.unregister(self.close)
        except Exception:
            pass

    # -- use ---------------------------------------------------------------

    def addr(self, i):
        return "127.0.0.1:%d" % self.ports[i]

    def conn(self, i, timeout=10.0):
        return Conn(self.ports[i], timeout)

    def cli(self, *args, timeout=60):
        """Runs redis-cli with args; returns its output, raises with it on failure."""
        cli = shutil.which("redis-cli") or "/usr/bin/redis-cli"
        r = subprocess.run([cli, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("redis-cli %s failed (%d):\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        return r.stdout
