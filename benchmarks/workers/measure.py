"""Run one command and record wall time, CPU time and peak memory of its process tree.

Used as a fresh wrapper process per run, so ``getrusage(RUSAGE_CHILDREN)`` covers exactly
that command: ``ru_maxrss`` is the peak RSS of the largest single process in the tree.  The
tree's summed RSS (the command plus any worker pool it starts) is sampled from /proc every
50 ms as well.  Standard library only: this file runs under any interpreter.

    python measure.py --timeout S --log FILE --result FILE.json -- CMD ARGS...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import time

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _tree_rss_kb(root: int) -> int:
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(pid))
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--log", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    timed_out = False
    peak = 0
    with open(args.log, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        while True:
            try:
                proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                peak = max(peak, _tree_rss_kb(proc.pid))
                if time.perf_counter() - start > args.timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
        "tree_peak_kb": max(peak, usage.ru_maxrss),
        "rc": proc.returncode,
        "timed_out": timed_out,
    }
    with open(args.result, "w") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
