#ifndef DETVIEW_CLINUX_H
#define DETVIEW_CLINUX_H
/* Thin wrappers over Linux calls that Swift's Glibc module does not export.
 * Each returns what the syscall returns (-1 and errno on failure). */
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

int dv_memfd_create(const char *name, unsigned int flags);
unsigned int dv_mfd_cloexec(void);
int dv_eventfd(unsigned int initval, int flags);
int dv_efd_cloexec(void);
int dv_efd_nonblock(void);
/* Adds 1 to an eventfd counter; EAGAIN (counter saturated) counts as success. */
int dv_eventfd_signal(int fd);
/* Reads and resets an eventfd counter (non-blocking fd: 0 when nothing was there). */
uint64_t dv_eventfd_drain(int fd);
int dv_pidfd_open(pid_t pid, unsigned int flags);
/* Shared (inter-process) futex on a 32-bit word; timeout_ns < 0 waits forever. */
int dv_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns);
int dv_futex_wake(uint32_t *addr, int count);
/* prctl(PR_SET_PDEATHSIG, sig). */
int dv_set_parent_death_signal(int sig);
int dv_set_process_name(const char *name);

/* epoll without the packed struct epoll_event crossing into Swift. */
int dv_epoll_create(void);
int dv_epoll_add(int epfd, int fd, uint32_t events, uint64_t token);
int dv_epoll_del(int epfd, int fd);
int dv_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms);
uint32_t dv_epollin(void);
uint32_t dv_epollerr(void);
uint32_t dv_epollhup(void);
uint32_t dv_epollet(void);

/* timerfd (CLOCK_MONOTONIC): first expiry after initial_ns, then every interval_ns (0 = one shot);
 * initial_ns 0 disarms. dv_timerfd_read drains the expiry count. */
int dv_timerfd_create(void);
int dv_timerfd_set(int fd, uint64_t initial_ns, uint64_t interval_ns);
uint64_t dv_timerfd_read(int fd);

/* Self-pipe signal delivery: each listed signal writes its number as one byte to fd. */
int dv_signals_to_fd(int fd, const int *signals, int count);
/* Restores the default disposition of the listed signals. */
int dv_signals_default(const int *signals, int count);

/* posix_spawn of path with argv/envp; dup_from[i] is dup2'd to dup_to[i] in the child.
 * Signal mask cleared and default dispositions restored in the child. */
int dv_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
             const int *dup_from, const int *dup_to, int dup_count);
char **dv_environ(void);

int dv_terminal_size(int fd, int *rows, int *cols);
/* On a crash signal (SEGV, BUS, ILL, FPE, ABRT, TRAP): put the terminal on tty_fd back as it
 * was at this call (termios, main screen, visible cursor, plain attributes), say so in one
 * line, and die of the signal with its default action.
 * Call before the screen library changes the terminal. Returns -1 if tty_fd is not a terminal. */
int dv_install_crash_restore(int tty_fd);
/* The quit watchdog: the first of quit_signals to arrive (through dv_signals_to_fd's handler)
 * starts a `seconds` alarm. When it rings while the main thread is inside a terminal write
 * (between dv_terminal_write_begin and _end: the reader has stopped), it puts tty_fd's termios
 * back as it was at this call, drops the queued output, writes a reset only if it fits without
 * waiting, SIGKILLs every registered child and _exits with 128 + the signal. Otherwise it waits
 * another `seconds`. Returns -1 if tty_fd is not a terminal. */
int dv_install_quit_watchdog(int tty_fd, const int *quit_signals, int count, int seconds);
/* The terminal was given back: the watchdog has nothing left to guard. */
void dv_disarm_quit_watchdog(void);
void dv_terminal_write_begin(void);
void dv_terminal_write_end(void);
/* Children the watchdog kills; registered from spawn until reaped. */
void dv_child_register(pid_t pid);
void dv_child_unregister(pid_t pid);
/* pipe2(O_CLOEXEC | O_NONBLOCK). */
int dv_pipe(int fds[2]);

/* Atomics on plain words in shared memory (sequentially consistent unless named). Static inline:
 * Swift inlines them into the hot loops (ring claims, sequence locks) instead of calling out. */
static inline uint64_t dv_atomic_load_u64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void dv_atomic_store_u64(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline uint64_t dv_atomic_fetch_add_u64(uint64_t *p, uint64_t v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline int dv_atomic_cas_u64(uint64_t *p, uint64_t *expected, uint64_t desired) {
    return __atomic_compare_exchange_n(p, expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline uint32_t dv_atomic_load_u32(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void dv_atomic_store_u32(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline uint32_t dv_atomic_fetch_add_u32(uint32_t *p, uint32_t v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline int dv_atomic_cas_u32(uint32_t *p, uint32_t *expected, uint32_t desired) {
    return __atomic_compare_exchange_n(p, expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline void dv_atomic_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* Nanoseconds of CLOCK_MONOTONIC and of this thread's CPU time. */
uint64_t dv_monotonic_ns(void);
uint64_t dv_thread_cpu_ns(void);
uint64_t dv_process_cpu_ns(void);

/* Copies n bytes with non-temporal (streaming) stores, for a destination that another
   process reads next: no read-for-ownership of the destination, no eviction of this core's
   cache. Ends with a store fence. Plain memcpy where the CPU has no such stores. */
void dv_copy_streaming(void *dst, const void *src, size_t n);

#endif
