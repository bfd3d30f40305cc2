#!/usr/bin/env python3
"""The Jobs history benchmarks, empty history against a full one (see bench/history.sh).

Each measurement starts the release binary fresh; times are wall clock (median of several runs),
memory is the child's peak RSS from wait4. The TUI is run in a pseudo-terminal: first paint is
the time from start until its first frame (the pane titles) has been written; idle RSS is read
from /proc a moment later.
"""

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

BIN, FILL, PORT, MODE = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ROOT = sys.argv[5]
JOBS = int(os.environ.get("HISTORY_JOBS", "10000"))
BODY = int(os.environ.get("HISTORY_BODY", "65536"))
REPEAT = int(os.environ.get("REPEAT", "15"))

WORKSPACE = f"""(
    integrations: [(id: "sandbox", name: "Sandbox", base_url: "http://127.0.0.1:{PORT}")],
    payloads: [
        (id: "large", name: "Large", integration: "sandbox", kind: Callout, method: GET,
         endpoint: "/api/large?bytes=65536"),
    ],
)
"""


def workspace(name, full):
    folder = os.path.join(ROOT, name)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "workspace.ron")
    with open(path, "w") as f:
        f.write(WORKSPACE)
    if full:
        started = time.perf_counter()
        subprocess.run([FILL, path, str(JOBS), str(BODY)], check=True)
        built = time.perf_counter() - started
        size = sum(
            os.path.getsize(os.path.join(folder, f))
            for f in os.listdir(folder)
            if ".jobs.db" in f
        )
        print(f"  built {JOBS} Jobs of {BODY // 1024} KiB bodies in {built:.1f} s: "
              f"{size / 2**20:.0f} MiB on disk")
    return path


def timed(args, env=None):
    """Wall seconds and peak RSS (KiB) of one run of the binary."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if status != 0:
        sys.exit(f"{' '.join(args)} failed ({status}): {stderr}")
    return elapsed, usage.ru_maxrss, stderr


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def run_and_list(path):
    runs = [timed([BIN, "--workspace", path, "run", "large"]) for _ in range(REPEAT)]
    lists = [timed([BIN, "--workspace", path, "jobs", "--limit", "20"]) for _ in range(REPEAT)]
    return (
        median([r[0] for r in runs]) * 1000,
        median([r[1] for r in runs]) / 1024,
        median([r[0] for r in lists]) * 1000,
        median([r[1] for r in lists]) / 1024,
    )


def tui(path):
    """First paint (ms) and idle RSS (MiB) of the TUI in an 80x24 pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", NO_COLOR="1")
    started = time.perf_counter()
    child = subprocess.Popen(
        [BIN, "--workspace", path], stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    painted = None
    deadline = started + 10
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        seen += chunk
        # Answer a cursor position query, should the terminal library ask one.
        if b"\x1b[6n" in chunk:
            os.write(master, b"\x1b[1;1R")
        if b"Jobs" in seen and b"Payloads" in seen:
            painted = time.perf_counter() - started
            break
    if painted is None:
        child.kill()
        sys.exit(f"the TUI drew nothing in 10 s: {seen[-400:]!r}")
    # Idle: let it settle (history queries answered), draining what it draws.
    settle = time.perf_counter() + 1.0
    while time.perf_counter() < settle:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    with open(f"/proc/{child.pid}/status") as f:
        rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    os.write(master, b"q")
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    os.close(master)
    return painted * 1000, rss / 1024


def tuis(path):
    results = [tui(path) for _ in range(max(5, REPEAT // 2))]
    return median([r[0] for r in results]), median([r[1] for r in results])


def concurrent(path, processes=10, runs=50):
    """`processes` shells each running `payloads run` `runs` times, all at once."""
    script = f'for i in $(seq {runs}); do "{BIN}" --workspace "{path}" run large >/dev/null || echo "run failed: $?" >&2; done'
    started = time.perf_counter()
    shells = [
        subprocess.Popen(["bash", "-c", script], stderr=subprocess.PIPE) for _ in range(processes)
    ]
    stderr = "".join(s.communicate()[1].decode(errors="replace") for s in shells)
    elapsed = time.perf_counter() - started
    listed = subprocess.run(
        [BIN, "--workspace", path, "jobs", "--json", "--limit", "100000"],
        capture_output=True, check=True,
    ).stdout.decode().splitlines()
    locked = stderr.count("database is locked")
    failed = stderr.count("run failed")
    unrecorded = stderr.count("could not be recorded")
    return len(listed), locked, failed, unrecorded, elapsed


if MODE == "single":
    print("history   run ms  run RSS MiB  jobs --limit 20 ms  jobs RSS MiB  TUI paint ms  TUI idle MiB")
    for name, full in (("empty", False), ("full", True)):
        path = workspace(name, full)
        run_ms, run_rss, list_ms, list_rss = run_and_list(path)
        paint_ms, idle = tuis(path)
        print(f"{name:8} {run_ms:7.1f} {run_rss:12.1f} {list_ms:19.1f} {list_rss:13.1f} "
              f"{paint_ms:13.1f} {idle:13.1f}")
elif MODE == "concurrent":
    path = workspace("concurrent", False)
    jobs, locked, failed, unrecorded, elapsed = concurrent(path)
    print(f"10 processes x 50 runs in {elapsed:.1f} s: {jobs} Jobs recorded (500 expected), "
          f"{locked} 'database is locked', {failed} failed runs, {unrecorded} unrecorded")
    sys.exit(0 if jobs == 500 and locked == 0 and failed == 0 and unrecorded == 0 else 1)
