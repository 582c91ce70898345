"""Benchmark 6: throughput of 1,000 concurrent async calls against a local server.

A standard-library asyncio HTTP/1.1 server (``workers/http_server.py``, its own process) answers
every request with the spec's ``models.get`` example; ``workers/concurrency.py`` starts 1,000
calls at once (``asyncio.gather``), batch after batch, through raw httpx (with the SDK's pool, and
with httpx's default pool) and through the generated SDK's async client with its default pool.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from . import envs
from .calls import write_payloads
from .common import WORK, WORKERS, Stats, log, run_json
from .report import Goal, Section, fmt_ratio

CONCURRENCY = 1000
MODES = ("raw", "raw-sdk-pool", "generated")
LABELS = {
    "raw": "raw httpx, httpx's default pool (100 connections, 20 kept alive)",
    "raw-sdk-pool": "raw httpx, the SDK's default pool",
    "generated": "generated (sdkgen), default pool",
}


def _serve(body: Path) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(WORKERS / "http_server.py"), "--body", str(body)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    if not port.isdigit():
        server.kill()
        raise RuntimeError("the benchmark server did not start")
    return server, f"http://127.0.0.1:{port}"


def run(generated_project: Path, rounds: int, batches: int) -> Section:
    payloads = write_payloads(WORK / "payloads")
    server, base_url = _serve(payloads / "create.json")
    env = envs.GENERATED_RT.environ(PYTHONPATH=str(generated_project))
    cmd = [str(envs.GENERATED_RT.python), str(WORKERS / "concurrency.py"), "--base-url", base_url]
    cmd += ["--concurrency", str(CONCURRENCY), "--batches", str(batches)]
    cmd += [arg for mode in MODES for arg in ("--mode", mode)]
    samples: dict[str, Stats] = {}
    try:
        for round_ in range(rounds):
            log(f"[6] round {round_ + 1}/{rounds}: {', '.join(MODES)}, {batches} batches of {CONCURRENCY}")
            for mode, rates in run_json(cmd, env=env, timeout=3600).items():
                samples.setdefault(mode, Stats([])).values.extend(rates)
    finally:
        server.kill()
        server.wait()
    section = Section(
        f"6. Concurrency, {CONCURRENCY:,} async calls",
        f"Calls per second, {CONCURRENCY:,} `models.get` calls started at once (`asyncio.gather`) on one async "
        "client against a local asyncio HTTP/1.1 server in its own process (keep-alive, the spec's example as "
        f"the body); {rounds} rounds × {batches} batches after a warm-up batch per variant, the variants "
        "alternating batch by batch in one process. Raw httpx sends the same headers and validates the same "
        "model (`json.loads` + `model_validate`), with httpx's default pool or the SDK's "
        "(`DEFAULT_CONNECTION_LIMITS`); the SDK runs with its default pool and `max_retries=0`. All variants "
        "share httpx's timeouts except the pool timeout (none for raw httpx: with its default pool a batch can "
        "take minutes).",
        ["variant", "n", "median", "min – max", "× raw httpx, SDK's pool", "× raw httpx, default pool"],
    )
    same_pool = samples["raw-sdk-pool"].median
    default_pool = samples["raw"].median
    for mode in MODES:
        stats = samples[mode]
        section.rows.append(
            [
                LABELS[mode],
                str(len(stats.values)),
                f"{stats.median:,.1f} calls/s",
                f"{stats.min:,.1f} – {stats.max:,.1f}",
                fmt_ratio(stats.median / same_pool if same_pool else math.nan),
                fmt_ratio(stats.median / default_pool if default_pool else math.nan),
            ]
        )
    generated = samples["generated"].median
    for text, reference in (("the SDK's pool", same_pool), ("httpx's default pool", default_pool)):
        section.goals.append(
            Goal(
                f"{CONCURRENCY:,} concurrent async calls: generated ÷ raw httpx ({text}), throughput",
                generated / reference if reference else math.nan,
                0.9,
                lower_is_better=False,
            )
        )
    section.notes.append(
        "Why the SDK's pool keeps alive as many connections as it opens (100): httpcore closes a connection "
        "that falls idle while the pool holds more connections than it keeps alive, so with httpx's default "
        "(20 of 100) most calls above 20 concurrent open a new connection. A pool sized for the load "
        "(`--mode raw-sized`, 1,000 connections) is slower still on this benchmark: httpcore's pool bookkeeping "
        "grows with the square of its size."
    )
    return section
