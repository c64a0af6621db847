/* par — run one function on several threads and wait for all of them.
 *
 * The core's bulk work (hashing every key, sorting and placing them) splits
 * into independent parts per thread; par_run is the whole threading story:
 * fork, run, join. Part 0 runs on the calling thread; a part whose thread
 * cannot be started runs on the caller too, so par_run cannot fail. Builds
 * without threads (WebAssembly) run the parts one after another.
 *
 * par_threads() is the default part count: the machine's online cores
 * (at most PAR_MAX_THREADS), or what par_set_threads chose (bench compares
 * 1 thread with all of them).
 *
 * No allocation, no errors.
 */
#ifndef RINGSCOPE_PAR_H
#define RINGSCOPE_PAR_H

#define PAR_MAX_THREADS 64u

/* Threads to use (0 = all online cores). Set before going parallel. */
void par_set_threads(unsigned threads);
unsigned par_threads(void);
/* Online cores of the machine (1 without threads). */
unsigned par_cores(void);

/* Calls fn(arg, part, parts) for part = 0..parts-1, concurrently, and
 * returns when every call has returned. parts is clamped to 1..PAR_MAX_THREADS. */
void par_run(unsigned parts, void (*fn)(void *arg, unsigned part, unsigned parts), void *arg);

#endif
