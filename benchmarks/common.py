"""Paths, logging, statistics and the measured subprocess shared by every benchmark."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "benchmarks"
WORK = HERE / ".work"
WORKERS = HERE / "workers"
CACHE = Path(
    os.environ.get("SDKGEN_BENCH_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sdkgen" / "bench"
)
_START = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


@dataclass
class Stats:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def min(self) -> float:
        return min(self.values) if self.values else math.nan

    @property
    def max(self) -> float:
        return max(self.values) if self.values else math.nan


@dataclass
class Run:
    """One measured child process: wall seconds, CPU seconds, peak memory, exit status."""

    wall: float
    cpu: float
    maxrss_mb: float  # largest single process in the tree (getrusage RUSAGE_CHILDREN)
    tree_peak_mb: float  # largest sampled sum of RSS over the whole process tree
    rc: int
    timed_out: bool
    log: Path

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out

    def tail(self, lines: int = 12) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.rstrip().splitlines()[-lines:])


@dataclass
class Series:
    """Repeated runs of one command."""

    runs: list[Run] = field(default_factory=list)

    @property
    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    def wall(self) -> Stats:
        return Stats([r.wall for r in self.ok_runs])

    def cpu(self) -> Stats:
        return Stats([r.cpu for r in self.ok_runs])

    def maxrss(self) -> Stats:
        return Stats([r.maxrss_mb for r in self.ok_runs])

    def tree_peak(self) -> Stats:
        return Stats([r.tree_peak_mb for r in self.ok_runs])


def measured(
    cmd: list[str], *, log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 1800
) -> Run:
    """Run ``cmd`` under a fresh ``workers/measure.py`` wrapper, so that RUSAGE_CHILDREN covers
    exactly this command's process tree."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    result_path = log_path.with_suffix(".json")
    wrapper = [sys.executable, str(WORKERS / "measure.py"), "--timeout", str(timeout), "--log", str(log_path)]
    wrapper += ["--result", str(result_path), "--", *cmd]
    subprocess.run(wrapper, env=env, cwd=cwd, check=False)
    try:
        data = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Run(math.nan, math.nan, math.nan, math.nan, -1, False, log_path)
    return Run(
        wall=data["wall"],
        cpu=data["cpu"],
        maxrss_mb=data["maxrss_kb"] / 1024,
        tree_peak_mb=data["tree_peak_kb"] / 1024,
        rc=data["rc"],
        timed_out=data["timed_out"],
        log=log_path,
    )


def run_json(
    cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 1800
) -> dict:
    """Run a worker that prints one JSON object on its last stdout line."""
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return json.loads(lines[-1])


def loglog_slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) against log(x): the growth exponent."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return math.nan
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else math.nan
