"""Throughput of many concurrent async calls against a local server (``http_server.py``).

Runs inside the environment of the SDK under test; needs only httpx, pydantic and that SDK.
Prints one JSON line: calls per second of each timed batch, per mode.

    python concurrency.py --base-url URL --mode raw --mode raw-sized --mode generated
        [--concurrency 1000] [--batches 5]

Each mode gets one client, a warm-up batch, then ``--batches`` batches of ``--concurrency``
calls started at once (``asyncio.gather``); modes alternate batch by batch.

- ``raw``: ``httpx.AsyncClient()`` as httpx ships it, plus ``json`` and ``model_validate``
- ``raw-sdk-pool``: the same with the SDK's default pool (``DEFAULT_CONNECTION_LIMITS``)
- ``raw-sized``: the same with a pool sized for the load (as many kept-alive connections as calls)
- ``generated``: the generated SDK's async client with its default connection pool
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any, Awaitable, Callable

import httpx

TOKEN = "bench-token"
MODEL_ID = "248df4b7-aa70-47b8-a036-33ac447e668d"


def _raw(base_url: str, limits: httpx.Limits | None) -> Callable[[], Awaitable[Any]]:
    from polytomic.types import ModelResponseEnvelope

    headers = {"Authorization": f"Bearer {TOKEN}", "X-Polytomic-Version": "2025-09-18", "Accept": "application/json"}
    kwargs: dict[str, Any] = {"limits": limits} if limits is not None else {}
    # the SDK's default timeouts, and no pool timeout: with httpx's default pool, 1,000 calls may
    # wait longer than a minute for a connection
    kwargs["timeout"] = httpx.Timeout(60.0, connect=10.0, pool=None)
    client = httpx.AsyncClient(base_url=base_url, headers=headers, **kwargs)

    async def call() -> Any:
        r = await client.get(f"/api/models/{MODEL_ID}")
        r.raise_for_status()
        return ModelResponseEnvelope.model_validate(json.loads(r.content))

    return call


def _generated(base_url: str) -> Callable[[], Awaitable[Any]]:
    from polytomic import AsyncPolytomic

    client = AsyncPolytomic(api_key=TOKEN, base_url=base_url, max_retries=0)

    async def call() -> Any:
        return await client.models.get(MODEL_ID)

    return call


async def _batch(call: Callable[[], Awaitable[Any]], n: int) -> float:
    start = time.perf_counter()
    results = await asyncio.gather(*(call() for _ in range(n)))
    elapsed = time.perf_counter() - start
    assert all(r.data.id for r in results), "a call returned no model"
    return n / elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument(
        "--mode", action="append", choices=("raw", "raw-sdk-pool", "raw-sized", "generated"), required=True
    )
    parser.add_argument("--concurrency", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args()

    async def run() -> dict[str, list[float]]:
        from polytomic._base_client import DEFAULT_CONNECTION_LIMITS

        limits = {
            "raw": None,
            "raw-sdk-pool": DEFAULT_CONNECTION_LIMITS,
            "raw-sized": httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency),
        }
        calls = {
            mode: _generated(args.base_url) if mode == "generated" else _raw(args.base_url, limits[mode])
            for mode in args.mode
        }
        result: dict[str, list[float]] = {mode: [] for mode in calls}
        for mode, call in calls.items():
            print(f"warm-up {mode}", file=sys.stderr, flush=True)
            await _batch(call, args.concurrency)  # warm-up: connections, imports, validators
        for _ in range(args.batches):
            for mode, call in calls.items():
                result[mode].append(await _batch(call, args.concurrency))
                print(f"{mode}: {result[mode][-1]:.0f} calls/s", file=sys.stderr, flush=True)
        return result

    print(json.dumps(asyncio.run(run())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
