#define _GNU_SOURCE
#include "CLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <termios.h>

extern char **environ;

int dv_memfd_create(const char *name, unsigned int flags) { return memfd_create(name, flags); }
unsigned int dv_mfd_cloexec(void) { return MFD_CLOEXEC; }
int dv_eventfd(unsigned int initval, int flags) { return eventfd(initval, flags); }
int dv_efd_cloexec(void) { return EFD_CLOEXEC; }
int dv_efd_nonblock(void) { return EFD_NONBLOCK; }

int dv_eventfd_signal(int fd) {
    uint64_t one = 1;
    for (;;) {
        ssize_t n = write(fd, &one, sizeof one);
        if (n == sizeof one) return 0;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 0;
        return -1;
    }
}

uint64_t dv_eventfd_drain(int fd) {
    uint64_t value = 0;
    for (;;) {
        ssize_t n = read(fd, &value, sizeof value);
        if (n == sizeof value) return value;
        if (n < 0 && errno == EINTR) continue;
        return 0;
    }
}

int dv_pidfd_open(pid_t pid, unsigned int flags) { return (int)syscall(SYS_pidfd_open, pid, flags); }

int dv_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) {
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
        tsp = &ts;
    }
    return (int)syscall(SYS_futex, addr, FUTEX_WAIT, expected, tsp, NULL, 0);
}

int dv_futex_wake(uint32_t *addr, int count) {
    return (int)syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
}

int dv_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
int dv_set_process_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

int dv_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int dv_epoll_add(int epfd, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int dv_epoll_del(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL); }

int dv_epoll_wait(int epfd, uint64_t *tokens, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[64];
    if (max > 64) max = 64;
    int n;
    do { n = epoll_wait(epfd, evs, max, timeout_ms); } while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) { tokens[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

uint32_t dv_epollin(void) { return EPOLLIN; }
uint32_t dv_epollerr(void) { return EPOLLERR; }
uint32_t dv_epollhup(void) { return EPOLLHUP; }
uint32_t dv_epollet(void) { return EPOLLET; }

int dv_timerfd_create(void) { return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK); }

int dv_timerfd_set(int fd, uint64_t initial_ns, uint64_t interval_ns) {
    struct itimerspec spec;
    spec.it_value.tv_sec = initial_ns / 1000000000ull;
    spec.it_value.tv_nsec = initial_ns % 1000000000ull;
    spec.it_interval.tv_sec = interval_ns / 1000000000ull;
    spec.it_interval.tv_nsec = interval_ns % 1000000000ull;
    return timerfd_settime(fd, 0, &spec, NULL);
}

uint64_t dv_timerfd_read(int fd) { return dv_eventfd_drain(fd); }

static volatile int signal_fd = -1;
static void quit_watchdog_start(int sig);

static void on_signal(int sig) {
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    if (signal_fd >= 0) { ssize_t r = write(signal_fd, &b, 1); (void)r; }
    quit_watchdog_start(sig);
    errno = saved;
}

int dv_signals_to_fd(int fd, const int *signals, int count) {
    signal_fd = fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < count; i++)
        if (sigaction(signals[i], &sa, NULL) != 0) return -1;
    return 0;
}

int dv_signals_default(const int *signals, int count) {
    for (int i = 0; i < count; i++)
        if (signal(signals[i], SIG_DFL) == SIG_ERR) return -1;
    return 0;
}

int dv_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
             const int *dup_from, const int *dup_to, int dup_count) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    for (int i = 0; i < dup_count && rc == 0; i++)
        rc = posix_spawn_file_actions_adddup2(&actions, dup_from[i], dup_to[i]);
    if (rc == 0) rc = posix_spawnattr_init(&attr);
    if (rc == 0) {
        sigset_t empty, all;
        sigemptyset(&empty);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &empty);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        rc = posix_spawn(pid, path, &actions, &attr, argv, envp);
        posix_spawnattr_destroy(&attr);
    }
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}

char **dv_environ(void) { return environ; }

int dv_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK); }

int dv_terminal_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

static uint64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
uint64_t dv_monotonic_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t dv_thread_cpu_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }
uint64_t dv_process_cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

static int crash_tty = -1;
static struct termios crash_termios;
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
#define CRASH_SIGNAL_COUNT (int)(sizeof crash_signals / sizeof crash_signals[0])

static void on_crash(int sig) {
    /* Only async-signal-safe calls here. */
    static const char reset[] = "\x1b[0m\x1b[?25h\x1b[?1049l\r\ndetview crashed; the terminal was restored.\r\n";
    if (crash_tty >= 0) {
        tcsetattr(crash_tty, TCSANOW, &crash_termios);
        ssize_t r = write(crash_tty, reset, sizeof reset - 1);
        (void)r;
    }
    /* The default action, not the Swift backtracer: on a terminal it is slow and interactive,
     * and the person at the beamline needs the shell back now. */
    signal(sig, SIG_DFL);
    raise(sig);
}

int dv_install_crash_restore(int tty_fd) {
    if (tcgetattr(tty_fd, &crash_termios) != 0) return -1;
    crash_tty = tty_fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_NODEFER;
    for (int i = 0; i < CRASH_SIGNAL_COUNT; i++)
        if (sigaction(crash_signals[i], &sa, NULL) != 0) return -1;
    return 0;
}

/* Children to kill when the quit watchdog ends the process: a fixed table of pids, written
 * with atomics so the SIGALRM handler can read it at any moment. A pid stays here until it is
 * reaped, so it cannot have been reused by then. */
#define CHILD_TABLE_SIZE 256
static pid_t child_table[CHILD_TABLE_SIZE];

void dv_child_register(pid_t pid) {
    for (int i = 0; i < CHILD_TABLE_SIZE; i++) {
        pid_t empty = 0;
        if (__atomic_compare_exchange_n(&child_table[i], &empty, pid, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
    /* Full: the child is not killed by the watchdog, but PR_SET_PDEATHSIG still ends it. */
}

void dv_child_unregister(pid_t pid) {
    for (int i = 0; i < CHILD_TABLE_SIZE; i++) {
        pid_t expected = pid;
        if (__atomic_compare_exchange_n(&child_table[i], &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return;
    }
}

/* The quit watchdog (see dv_install_quit_watchdog). All state is read by signal handlers. */
static volatile sig_atomic_t watchdog_tty = -1;      /* -1: not installed, or disarmed */
static struct termios watchdog_termios;
static volatile sig_atomic_t watchdog_quit_mask;     /* bit n: signal n asks to quit */
static volatile sig_atomic_t watchdog_signal;        /* the first quit signal, 0 before */
static volatile sig_atomic_t watchdog_seconds = 1;
static volatile sig_atomic_t terminal_writes;        /* >0 while the main thread writes the tty */

static void quit_watchdog_start(int sig) {
    if (watchdog_tty < 0 || sig <= 0 || sig >= 31 || !(watchdog_quit_mask & (1 << sig))) return;
    if (watchdog_signal != 0) return;   /* the first quit signal starts the clock; later ones do not reset it */
    watchdog_signal = sig;
    alarm((unsigned)watchdog_seconds);
}

static void on_watchdog_alarm(int unused) {
    (void)unused;
    int saved = errno;
    int tty = watchdog_tty;
    if (tty < 0 || watchdog_signal == 0) { errno = saved; return; }
    if (terminal_writes == 0) {
        /* Not stuck on the terminal: the normal way out is merely slow (children ending). */
        alarm((unsigned)watchdog_seconds);
        errno = saved;
        return;
    }
    /* Stuck in a write nobody reads. Only async-signal-safe calls from here on. */
    tcsetattr(tty, TCSANOW, &watchdog_termios);   /* an ioctl: does not wait for the reader */
    /* The frame stuck in the queue is of no use to anyone any more; drop it so the reset fits. */
    tcflush(tty, TCOFLUSH);
    /* A new open file description of the same terminal, so O_NONBLOCK does not leak to the
     * description the shell shares with us: the reset is written only if there is room now. */
    char path[32] = "/proc/self/fd/";
    int n = 14, digits = 1;
    for (int v = tty; v >= 10; v /= 10) digits++;
    for (int i = digits - 1, v = tty; i >= 0; i--, v /= 10) path[n + i] = (char)('0' + v % 10);
    path[n + digits] = 0;
    int out = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (out >= 0) {
        static const char reset[] = "\x1b[0m\x1b[?25h\x1b[?1049l\r\n";
        ssize_t r = write(out, reset, sizeof reset - 1);
        (void)r;
        close(out);
    }
    for (int i = 0; i < CHILD_TABLE_SIZE; i++) {
        pid_t pid = __atomic_load_n(&child_table[i], __ATOMIC_SEQ_CST);
        if (pid > 0) kill(pid, SIGKILL);
    }
    _exit(128 + watchdog_signal);
}

int dv_install_quit_watchdog(int tty_fd, const int *quit_signals, int count, int seconds) {
    if (tcgetattr(tty_fd, &watchdog_termios) != 0) return -1;
    int mask = 0;
    for (int i = 0; i < count; i++)
        if (quit_signals[i] > 0 && quit_signals[i] < 31) mask |= 1 << quit_signals[i];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watchdog_alarm;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0) return -1;
    watchdog_quit_mask = mask;
    watchdog_seconds = seconds > 0 ? seconds : 1;
    watchdog_signal = 0;
    watchdog_tty = tty_fd;
    return 0;
}

void dv_disarm_quit_watchdog(void) {
    watchdog_tty = -1;
    alarm(0);
}

void dv_terminal_write_begin(void) { terminal_writes = terminal_writes + 1; }
void dv_terminal_write_end(void) { terminal_writes = terminal_writes - 1; }

#if defined(__x86_64__)
#include <emmintrin.h>

/* SSE2 is part of x86-64, so no run-time dispatch: streaming stores are bound by memory,
   not by the vector width. The head up to 16-byte alignment and the tail go through memcpy. */
void dv_copy_streaming(void *dst, const void *src, size_t n) {
    char *d = dst;
    const char *s = src;
    size_t head = (16 - ((uintptr_t)d & 15)) & 15;
    if (head > n) head = n;
    memcpy(d, s, head);
    d += head; s += head; n -= head;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(s + i + 32));
        __m128i e = _mm_loadu_si128((const __m128i *)(s + i + 48));
        _mm_stream_si128((__m128i *)(d + i), a);
        _mm_stream_si128((__m128i *)(d + i + 16), b);
        _mm_stream_si128((__m128i *)(d + i + 32), c);
        _mm_stream_si128((__m128i *)(d + i + 48), e);
    }
    _mm_sfence();   /* streaming stores are weakly ordered: order them before the publish */
    memcpy(d + i, s + i, n - i);
}
#else
void dv_copy_streaming(void *dst, const void *src, size_t n) {
    memcpy(dst, src, n);
}
#endif
