#!/usr/bin/env python3
"""detview soak suite: long, time-bounded runs of the real binaries (`make soak`).

Phases (docs/RELIABILITY.md says what each proves):
  overload   a simulated MOENCH at twice the rate one counting worker processes, SOAK_MINUTES
  garbage    a flood of malformed messages next to a valid stream
  signals    workers stopped/continued (SIGSTOP/SIGCONT) and killed (SIGKILL) in a loop
  restarts   the sender restarted again and again with other detectors, shapes and formats
  pty        the interactive viewer on a pty that stops being read, then read again and quit

Checks in every headless phase: each `stats` line keeps received = processed + dropped + bad +
in_flight with processed + dropped + bad <= received; the viewer keeps writing stats lines (it
answers); after the sender stops, in_flight drains to 0; the memory of the viewer and its
workers (private memory plus the shared region's pages, each once) after warm-up grows by less
than a margin; SIGTERM ends the viewer with status 143.
At the end: no process of this binary left and nothing new in /dev/shm.

Only the standard library: the garbage sender speaks ZMTP 3.0 (NULL mechanism) itself, so
malformed messages reach the viewer through a real ZeroMQ connection.
"""
import argparse
import json
import os
import pty
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
import fcntl

RESULTS = []          # (phase, check, ok, detail)
FIGURES = {}          # phase -> dict of measured figures


def log(msg):
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def check(phase, name, ok, detail=""):
    RESULTS.append((phase, name, bool(ok), detail))
    log(f"{phase}: {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    """Direct children of pid (the viewer's workers), from /proc/*/stat."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after the last ')'.
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid):
    return rss_kib(pid) + sum(rss_kib(c) for c in children(pid))


def anon_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memfd_kib(pid):
    """The resident pages of the process's memfds (the shared region), each page once."""
    total = 0
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("/memfd:"):
                    total += os.stat(f"/proc/{pid}/fd/{fd}").st_blocks // 2
            except OSError:
                pass
    except OSError:
        pass
    return total


def tree_memory_kib(pid):
    """What the viewer and its workers really hold: each process's private memory plus the
    shared region's pages once. VmRSS counts a shared page in every process that touched it, so
    a replaced worker touching the ring again looks like growth where no memory was added."""
    return anon_kib(pid) + sum(anon_kib(c) for c in children(pid)) + memfd_kib(pid)


def processes_of(binary):
    """PIDs whose executable is this binary (our worktree's build only, not other checkouts')."""
    real = os.path.realpath(binary)
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/exe") == real:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


class HeadlessViewer:
    """`detview view --headless` with its JSON lines read and checked as they arrive."""

    def __init__(self, phase, binary, args):
        self.phase = phase
        self.cmd = ["nice", "-n", "5", binary, "view", "--headless", "--stats-interval", "1"] + args
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1)
        self.stats = []          # (monotonic time, dict)
        self.events = []         # every non-stats line, parsed
        self.accounting_errors = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                with self.lock:
                    self.accounting_errors.append(f"not JSON: {line[:80]!r}")
                continue
            with self.lock:
                if event.get("event") == "stats":
                    done = event["processed"] + event["dropped"] + event["bad"]
                    if done + event["in_flight"] != event["received"] or done > event["received"]:
                        self.accounting_errors.append(json.dumps(event)[:200])
                    self.stats.append((time.monotonic(), event))
                else:
                    self.events.append(event)

    def last_stats(self):
        with self.lock:
            return self.stats[-1] if self.stats else (0, None)

    def answers(self, within=3.0):
        """Alive and a stats line came within the last `within` seconds (one is due each second)."""
        t, _ = self.last_stats()
        return self.proc.poll() is None and time.monotonic() - t < within

    def pid(self):
        return self.proc.pid

    def worker_pids(self):
        """The viewer runs under `nice`, which execs: the viewer's pid is the Popen pid."""
        return children(self.proc.pid)

    def wait_drained(self, timeout=15.0):
        """Wait for a stats line with nothing in flight; returns it (or the last one)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, s = self.last_stats()
            if s is not None and s["in_flight"] == 0 and s["ring"]["filled"] == 0 and s["ring"]["claimed"] == 0:
                return s
            time.sleep(0.5)
        return self.last_stats()[1]

    def terminate(self):
        """SIGTERM; returns the exit status (143 expected) or None if it did not end in 10 s."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        self.reader.join(timeout=5)
        return status


def start_simulator(binary, args):
    proc = subprocess.Popen(["nice", "-n", "5", binary, "simulate"] + args,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc


def stop_simulator(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class RSSWatch:
    """The memory of the viewer and its workers (`tree_memory_kib`: private memory plus the
    shared region once), sampled once a second; VmRSS summed over them is kept for reference."""

    def __init__(self):
        self.samples = []  # (seconds since start, KiB)
        self.rss = []  # VmRSS summed over the processes, KiB
        self.start = time.monotonic()

    def sample(self, viewer):
        self.samples.append((time.monotonic() - self.start, tree_memory_kib(viewer.pid())))
        self.rss.append(tree_rss_kib(viewer.pid()))

    def judge(self, phase, warmup_s, margin_kib=8 * 1024, margin_ratio=0.05):
        """Median of the 10 s after warm-up against the median of the last 10 s."""
        def median(values):
            values = sorted(values)
            return values[len(values) // 2] if values else 0
        end = self.samples[-1][0] if self.samples else 0
        warm = median([k for t, k in self.samples if warmup_s <= t < warmup_s + 10])
        last = median([k for t, k in self.samples if t >= end - 10])
        peak = max((k for _, k in self.samples), default=0)
        limit = warm + max(margin_kib, int(warm * margin_ratio))
        check(phase, "memory flat after warm-up", warm > 0 and last <= limit,
              f"{warm / 1024:.1f} MiB after {warmup_s:.0f} s warm-up, {last / 1024:.1f} MiB at the end "
              f"(limit {limit / 1024:.1f}), peak {peak / 1024:.1f} MiB")
        # The curve every 10 s: tells a warm-up that ends late from steady growth.
        curve = [round(k / 1024, 1) for t, k in self.samples if int(t) % 10 == 0]
        return {"memory_warm_mib": round(warm / 1024, 1), "memory_end_mib": round(last / 1024, 1),
                "memory_peak_mib": round(peak / 1024, 1), "memory_every_10s_mib": curve,
                "vmrss_sum_peak_mib": round(max(self.rss, default=0) / 1024, 1)}


def end_headless_phase(phase, viewer, figures):
    """The checks every headless phase ends with: drained accounting, per-line accounting, 143."""
    final = viewer.wait_drained()
    exact = final is not None and final["in_flight"] == 0 and \
        final["received"] == final["processed"] + final["dropped"] + final["bad"]
    check(phase, "drained: received = processed + dropped + bad", exact,
          "" if final is None else
          f"received {final['received']}, processed {final['processed']}, dropped {final['dropped']}, "
          f"bad {final['bad']}, in flight {final['in_flight']}")
    with viewer.lock:
        errors = list(viewer.accounting_errors)
        lines = len(viewer.stats)
    check(phase, "every stats line adds up", not errors and lines > 0,
          f"{lines} stats lines" + (f", first bad: {errors[0]}" if errors else ""))
    status = viewer.terminate()
    check(phase, "SIGTERM exit status 143", status == 143, f"status {status}")
    if final is not None:
        figures.update({k: final[k] for k in ("received", "processed", "dropped", "bad", "gaps", "restarts")})
    figures["stats_lines"] = lines
    figures.update({k: v for k, v in FIGURES.get(phase, {}).items() if k not in figures})
    FIGURES[phase] = figures  # the same dict: what the phase adds later lands in the figures too
    return final


def run_timed(phase, viewer, seconds, rss, each_second=None):
    """Sample RSS once a second for `seconds`, then check the viewer lived and kept answering."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and viewer.proc.poll() is None:
        time.sleep(1)
        if each_second:
            each_second()
        if rss:
            rss.sample(viewer)
    check_answering(phase, viewer)


def check_answering(phase, viewer, limit=5.0):
    """A stats line is due every second; on a shared 2-CPU machine allow up to `limit` s between two."""
    with viewer.lock:
        times = [t for t, _ in viewer.stats]
    gaps = [b - a for a, b in zip(times, times[1:])]
    worst = max(gaps, default=float("inf"))
    FIGURES.setdefault(phase, {})["longest_stats_gap_s"] = round(worst, 2)
    check(phase, "viewer alive and answering throughout", viewer.proc.poll() is None and worst < limit,
          f"longest gap between stats lines {worst:.2f} s")


# ---------------------------------------------------------------- overload

def measured_counting_rate(binary):
    out = subprocess.run(["nice", "-n", "5", binary, "bench", "process", "--mode", "counting", "--workers", "1",
                          "--eiger-frames", "0", "--moench-frames", "2000"],
                         capture_output=True, text=True, timeout=300).stdout
    for line in out.splitlines():
        parts = line.split()
        if "counting" in parts:
            i = parts.index("counting")
            return float(parts[i + 2])
    raise RuntimeError("bench process printed no counting line:\n" + out)


def phase_overload(binary, minutes):
    phase = "overload"
    rate = measured_counting_rate(binary)
    send_rate = 2 * rate
    log(f"{phase}: one counting worker does {rate:.0f} frames/s; sending {send_rate:.0f} frames/s for {minutes} min")
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    viewer = HeadlessViewer(phase, binary, [endpoint, "--workers", "1", "--mode", "counting"])
    sim = start_simulator(binary, ["--rate", f"{send_rate:.0f}", "--bind", endpoint])
    rss = RSSWatch()
    seconds = minutes * 60
    run_timed(phase, viewer, seconds, rss)
    stop_simulator(sim)
    figures = {"bench_counting_fps": round(rate), "send_rate_fps": round(send_rate), "seconds": seconds}
    figures.update(rss.judge(phase, warmup_s=min(60, seconds * 0.25)))
    with viewer.lock:
        fps = [s["fps"] for _, s in viewer.stats if s["fps"] > 0]
    figures["received_fps_median"] = sorted(fps)[len(fps) // 2] if fps else 0
    final = end_headless_phase(phase, viewer, figures)
    if final:
        check(phase, "overloaded (frames dropped, none lost silently)", final["dropped"] > 0,
              f"{final['dropped']} of {final['received']} dropped, {final['processed']} processed "
              f"({final['processed'] / seconds:.0f}/s)")


# ---------------------------------------------------------------- garbage

class ZMTPPublisher:
    """A ZeroMQ PUB peer in plain Python (ZMTP 3.0, NULL mechanism), connecting to a bound SUB."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=5)
        greeting = b"\xff" + b"\x00" * 8 + b"\x7f" + bytes([3, 0]) + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31
        self.sock.sendall(greeting)
        self._recv_exact(64)                       # the SUB's greeting
        ready = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", 3) + b"PUB"
        self.sock.sendall(bytes([0x04, len(ready)]) + ready)
        self.sock.settimeout(None)
        # The SUB's READY and subscription arrive next; a PUB may ignore them (we send to all).
        threading.Thread(target=self._drain, daemon=True).start()

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("peer closed during the handshake")
            data += chunk
        return data

    def _drain(self):
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass

    def send(self, parts):
        out = bytearray()
        for i, part in enumerate(parts):
            more = 0x01 if i < len(parts) - 1 else 0x00
            if len(part) < 256:
                out += bytes([more, len(part)])
            else:
                out += bytes([more | 0x02]) + struct.pack(">Q", len(part))
            out += part
        self.sock.sendall(out)

    def close(self):
        self.sock.close()


SLS_HEADER = {"jsonversion": 5, "bitmode": 16, "fileIndex": 0, "detshape": [1, 1], "shape": [400, 400],
              "size": 320000, "acqIndex": 1, "frameIndex": 0, "progress": 0, "fname": "/data/run", "data": 1,
              "completeImage": 1, "frameNumber": 1, "expLength": 0, "packetNumber": 40, "detSpec1": 0,
              "timestamp": 0, "modId": 0, "row": 0, "column": 0, "detSpec2": 0, "detSpec3": 0,
              "detSpec4": 0, "detType": 5, "version": 2, "flipRows": 0, "quad": 0, "rx_roi": [0, 399, 0, 399]}

GARBAGE_KINDS = [
    "random bytes", "empty message", "truncated JSON", "JSON that is not a header", "non-UTF-8 header",
    "wrong data size", "huge shape", "negative size", "bitmode 7", "header only", "data only",
    "five parts", "oversized (2 MiB over a 1 MiB limit)", "NaN and nesting",
]


def garbage_message(kind, rng, n):
    h = dict(SLS_HEADER, frameIndex=n, frameNumber=n + 1)
    data = rng.randbytes(320000)
    if kind == "random bytes":
        return [rng.randbytes(rng.randint(1, 4096))]
    if kind == "empty message":
        return [b""]
    if kind == "truncated JSON":
        text = json.dumps(h).encode()
        return [text[:rng.randint(1, len(text) - 1)], data]
    if kind == "JSON that is not a header":
        return [json.dumps([1, 2, {"a": None}]).encode(), data]
    if kind == "non-UTF-8 header":
        return [b"{\"jsonversion\":\xff\xfe}", data]
    if kind == "wrong data size":
        return [json.dumps(h).encode(), data[:rng.randint(0, 319999)]]
    if kind == "huge shape":
        return [json.dumps(dict(h, shape=[2**31 - 1, 2**31 - 1], size=2**62)).encode(), data[:1000]]
    if kind == "negative size":
        return [json.dumps(dict(h, shape=[-400, 400], size=-1)).encode(), data]
    if kind == "bitmode 7":
        return [json.dumps(dict(h, bitmode=7)).encode(), data]
    if kind == "header only":
        return [json.dumps(h).encode()]
    if kind == "data only":
        return [data]
    if kind == "five parts":
        return [json.dumps(h).encode()] + [data[:1000]] * 4
    if kind == "oversized (2 MiB over a 1 MiB limit)":
        return [json.dumps(dict(h, shape=[1024, 1024], size=2 * 2**20)).encode(), rng.randbytes(2 * 2**20)]
    if kind == "NaN and nesting":
        return [("{\"jsonversion\":NaN,\"shape\":" + "[" * 500 + "]" * 500 + "}").encode(), data]
    raise ValueError(kind)


def phase_garbage(binary, minutes):
    phase = "garbage"
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    # The viewer binds; the garbage sender and a valid simulator both connect to it. The format is
    # forced so that garbage cannot make it guess another one. 1 MiB limit: the oversized kind.
    viewer = HeadlessViewer(phase, binary, [endpoint, "--bind", "--format", "sls", "--workers", "1",
                                            "--max-frame-bytes", str(2**20)])
    time.sleep(1)
    sim = start_simulator(binary, ["--rate", "100", "--connect", endpoint])
    publisher = ZMTPPublisher("127.0.0.1", port)
    rng = random.Random(12)
    sent = {k: 0 for k in GARBAGE_KINDS}
    state = {"n": 0}
    processed_before_end = []

    def flood():
        # About 200 garbage messages a second, every kind in turn (not a tight loop: the viewer
        # must also keep up with the valid stream on a shared machine).
        for _ in range(200):
            kind = GARBAGE_KINDS[state["n"] % len(GARBAGE_KINDS)]
            publisher.send(garbage_message(kind, rng, state["n"]))
            sent[kind] += 1
            state["n"] += 1

    rss = RSSWatch()
    seconds = minutes * 60
    run_timed(phase, viewer, seconds, rss, each_second=flood)
    _, s = viewer.last_stats()
    processed_before_end.append(s["processed"] if s else 0)
    publisher.close()
    stop_simulator(sim)
    figures = {"seconds": seconds, "garbage_sent": state["n"], "kinds": len(GARBAGE_KINDS)}
    figures.update(rss.judge(phase, warmup_s=min(20, seconds * 0.25)))
    final = end_headless_phase(phase, viewer, figures)
    with viewer.lock:
        bad_lines = [e for e in viewer.events if e.get("event") == "bad_frame"]
    reasons = sorted({e.get("reason", "")[:60] for e in bad_lines})
    figures["bad_frame_lines"] = len(bad_lines)
    figures["bad_frame_reasons"] = {}
    for e in bad_lines:
        key = e.get("reason", "")[:70]
        figures["bad_frame_reasons"][key] = figures["bad_frame_reasons"].get(key, 0) + e.get("count", 1)
    figures["distinct_reasons"] = len(reasons)
    if final:
        check(phase, "garbage counted as bad, valid frames still processed",
              final["bad"] > 0 and final["processed"] > 0,
              f"{state['n']} garbage messages sent, bad {final['bad']}, processed {final['processed']}, "
              f"{len(bad_lines)} bad_frame lines, {len(reasons)} distinct reasons")
        # Against the last stats line (written at exit, after the last bad_frame line): garbage
        # still queued in the sockets when the drained line was read arrives after it.
        counted = sum(e.get("count", 1) for e in bad_lines)
        _, last = viewer.last_stats()
        total = last["bad"] if last else final["bad"]
        check(phase, "bad_frame counts add up to bad", counted == total, f"{counted} vs {total}")


# ---------------------------------------------------------------- signals

def phase_signals(binary, minutes):
    phase = "signals"
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    viewer = HeadlessViewer(phase, binary, [endpoint, "--workers", "2", "--stall-warning", "1"])
    sim = start_simulator(binary, ["--rate", "200", "--bind", endpoint])
    rss = RSSWatch()
    counts = {"stop": 0, "kill": 0, "missing_workers": 0}
    tick = {"n": 0}

    def torture():
        # A 6 s cycle: stop a worker 2 s, continue it, then SIGKILL the other one.
        step = tick["n"] % 6
        tick["n"] += 1
        workers = viewer.worker_pids()
        if len(workers) < 2 and step in (0, 3):
            counts["missing_workers"] += 1
            return
        if step == 0:
            tick["stopped"] = workers[0]
            os.kill(workers[0], signal.SIGSTOP)
            counts["stop"] += 1
        elif step == 2 and tick.get("stopped"):
            try:
                os.kill(tick.pop("stopped"), signal.SIGCONT)
            except ProcessLookupError:
                pass
        elif step == 3:
            os.kill(workers[-1], signal.SIGKILL)
            counts["kill"] += 1

    seconds = minutes * 60
    run_timed(phase, viewer, seconds, rss, each_second=torture)
    if tick.get("stopped"):
        os.kill(tick["stopped"], signal.SIGCONT)
    time.sleep(3)
    _, before = viewer.last_stats()
    time.sleep(3)
    _, after = viewer.last_stats()
    workers = viewer.worker_pids()
    check(phase, "two workers running and frames processed after the loop",
          len(workers) == 2 and after and before and after["processed"] > before["processed"],
          f"{len(workers)} workers, processed {before and before['processed']} -> {after and after['processed']}")
    stop_simulator(sim)
    figures = {"seconds": seconds, "sigstops": counts["stop"], "sigkills": counts["kill"],
               "cycles_with_a_worker_missing": counts["missing_workers"]}
    figures.update(rss.judge(phase, warmup_s=min(20, seconds * 0.25)))
    final = end_headless_phase(phase, viewer, figures)
    if final:
        check(phase, "every SIGKILL restarted a worker", final["restarts"] >= counts["kill"],
              f"{final['restarts']} restarts for {counts['kill']} kills")


# ---------------------------------------------------------------- restarts

SENDER_SHAPES = [
    ["--detector", "moench", "--format", "sls"],
    ["--detector", "jungfrau", "--format", "sls"],
    ["--detector", "eiger", "--size", "512x512", "--format", "sls", "--pixel-type", "uint8"],
    ["--detector", "moench", "--format", "array"],
    ["--detector", "eiger", "--size", "1M", "--format", "array", "--pixel-type", "uint32"],
    ["--detector", "jungfrau", "--format", "array", "--encoding", "lz4"],
    ["--detector", "eiger", "--size", "300x200", "--format", "sls", "--pixel-type", "uint16", "--encoding", "raw"],
]


def phase_restarts(binary, minutes):
    phase = "restarts"
    port = free_port()
    endpoint = f"tcp://127.0.0.1:{port}"
    viewer = HeadlessViewer(phase, binary, [endpoint, "--workers", "1", "--series-timeout", "1"])
    rss = RSSWatch()
    seconds = minutes * 60
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:
        shape = SENDER_SHAPES[runs % len(SENDER_SHAPES)]
        # --wait-subscriber: the sender waits for the viewer's subscription, so no frame of a run
        # is lost to the PUB/SUB join and each run's frames can be counted.
        sim = start_simulator(binary, shape + ["--rate", "50", "--frames", "100", "--seed", str(runs),
                                               "--bind", endpoint, "--wait-subscriber", "5"])
        run_deadline = time.monotonic() + 8
        while sim.poll() is None and time.monotonic() < run_deadline:
            time.sleep(1)
            rss.sample(viewer)
        stop_simulator(sim)
        runs += 1
        time.sleep(1.5)  # longer than --series-timeout: every run is a series of its own
    check_answering(phase, viewer)
    figures = {"seconds": seconds, "sender_runs": runs}
    figures.update(rss.judge(phase, warmup_s=min(20, seconds * 0.25)))
    final = end_headless_phase(phase, viewer, figures)
    with viewer.lock:
        starts = [e for e in viewer.events if e.get("event") == "series_start"]
        ends = [e for e in viewer.events if e.get("event") == "series_end"]
    shapes = sorted({(e.get("format"), e.get("width"), e.get("height"), e.get("pixel_type")) for e in starts})
    figures["series"] = len(starts)
    figures["distinct_format_shapes"] = len(shapes)
    check(phase, "every sender run seen as a series with its format and shape",
          len(starts) >= runs and len(shapes) >= min(runs, len(SENDER_SHAPES)),
          f"{runs} runs, {len(starts)} series_start, {len(ends)} series_end, {len(shapes)} format/shape pairs")
    if final:
        check(phase, "all frames of all runs arrived", final["received"] >= 100 * runs and final["bad"] == 0,
              f"received {final['received']} of {100 * runs}, bad {final['bad']}, dropped {final['dropped']}")


# ---------------------------------------------------------------- pty

def spawn_on_pty(binary, args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execvp("nice", ["nice", "-n", "5", binary] + args)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def read_for(fd, seconds):
    n = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                n += len(os.read(fd, 65536))
            except OSError:
                break
    return n


def wait_exit(pid, seconds, fd=None):
    """Wait up to `seconds` for pid to end (reading fd meanwhile if given); its status or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if fd is not None:
            read_for(fd, 0.2)
        else:
            time.sleep(0.2)
    return None


def proc_state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read()
        return stat[stat.rfind(")") + 2], wchan
    except OSError:
        return "?", "?"


def phase_pty(binary, minutes):
    phase = "pty"
    stall = max(10, minutes * 60 // 3)
    figures = {"unread_seconds": stall}
    # 1) Stop reading, read again, press q: the viewer must quit with status 0.
    pid, fd = spawn_on_pty(binary, ["view", "--demo", "--workers", "1"])
    first = read_for(fd, 3)
    time.sleep(stall)  # nothing reads the pty: the viewer's writes fill its buffer and block
    state, wchan = proc_state(pid)
    figures["state_while_unread"] = f"{state} ({wchan})"
    alive = os.waitpid(pid, os.WNOHANG)[0] == 0
    later = read_for(fd, 3)
    os.write(fd, b"q")
    status = wait_exit(pid, 10, fd)
    os.close(fd)
    check(phase, "q quits after the pty is read again", alive and status == 0,
          f"{first} bytes before, {later} bytes after {stall} s unread (state {state}, {wchan}), exit {status}")
    figures["q_exit_status"] = status
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    # 2) SIGTERM while nothing reads (issue 12, defect 6): it must end promptly anyway.
    pid, fd = spawn_on_pty(binary, ["view", "--demo", "--workers", "1"])
    read_for(fd, 3)
    time.sleep(min(stall, 15))
    started = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    status = wait_exit(pid, 5)  # not reading
    waited = time.monotonic() - started
    figures["sigterm_unread"] = "ended" if status is not None else "did not end in 5 s"
    if status is None:
        status = wait_exit(pid, 10, fd)  # read again: does it end then?
        figures["sigterm_after_reading_again"] = status
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        check(phase, "SIGTERM ends the viewer while the pty is unread (issue 12 defect 6)", False,
              f"still running 5 s after SIGTERM; after reading again: exit {status}")
    else:
        check(phase, "SIGTERM ends the viewer while the pty is unread (issue 12 defect 6)", status == 143,
              f"exit {status} after {waited:.1f} s")
    figures["sigterm_exit_status"] = status
    os.close(fd)
    FIGURES[phase] = figures


# ---------------------------------------------------------------- main

PHASES = {"overload": phase_overload, "garbage": phase_garbage, "signals": phase_signals,
          "restarts": phase_restarts, "pty": phase_pty}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/detview")
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 10)),
                        help="length of the overload phase (SOAK_MINUTES, default 10)")
    parser.add_argument("--phase-minutes", type=float, default=float(os.environ.get("SOAK_PHASE_MINUTES", 1)),
                        help="length of each other phase (SOAK_PHASE_MINUTES, default 1)")
    parser.add_argument("--phases", default=os.environ.get("SOAK_PHASES", ",".join(PHASES)),
                        help="comma-separated phases to run (SOAK_PHASES)")
    parser.add_argument("--figures", help="also write the figures as JSON to this file")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"soak: {binary} not found: build it first (make soak builds it)")
    shm_before = set(os.listdir("/dev/shm"))
    began = time.monotonic()
    log(f"binary {binary}; overload {args.minutes} min, other phases {args.phase_minutes} min")
    for name in args.phases.split(","):
        minutes = args.minutes if name == "overload" else args.phase_minutes
        try:
            PHASES[name](binary, minutes)
        except Exception as error:  # a phase that breaks is a failed check, the others still run
            check(name, "phase ran to the end", False, f"{type(error).__name__}: {error}")
    time.sleep(2)
    left = processes_of(binary)  # viewers, workers and simulators all run this binary
    check("end", "no process left behind", not left, f"left: {left}" if left else "")
    new_shm = sorted(set(os.listdir("/dev/shm")) - shm_before)
    check("end", "nothing new in /dev/shm", not new_shm, ", ".join(new_shm))
    total = time.monotonic() - began
    failed = [r for r in RESULTS if not r[2]]
    FIGURES["run"] = {"date": time.strftime("%Y-%m-%d %H:%M"), "seconds": round(total),
                      "overload_minutes": args.minutes, "phase_minutes": args.phase_minutes,
                      "checks": len(RESULTS), "failed": len(failed)}
    print(json.dumps(FIGURES, indent=1))
    if args.figures:
        with open(args.figures, "w") as f:
            json.dump({"figures": FIGURES, "checks": RESULTS}, f, indent=1)
    log(f"{len(RESULTS) - len(failed)} checks passed, {len(failed)} failed, in {total:.0f} s")
    for phase, name, _, detail in failed:
        log(f"FAILED {phase}: {name}: {detail}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
