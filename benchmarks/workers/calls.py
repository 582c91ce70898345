"""Per-call overhead of one Polytomic SDK (or the floor), through an in-process MockTransport.

Runs inside the environment of the SDK under test; needs only httpx, pydantic and that SDK.
Prints one JSON line: per-call seconds of each repetition, for ``list`` (50 models) and
``create``, after checking that both calls return what the payloads hold.

    python calls.py --mode floor --mode generated --payloads DIR [--async] [--reps R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any, Callable

import httpx

BASE_URL = "https://app.polytomic.com"
TOKEN = "bench-token"
CREATE_ARGS: dict[str, Any] = {
    "configuration": {"table": "public.users"},
    "connection_id": "248df4b7-aa70-47b8-a036-33ac447e668d",
    "name": "Users",
    "identifier": "id",
    "labels": ["crm", "core"],
    "policies": ["00000000-0000-0000-0001-000000000002"],
    "tracking_columns": ["updated_at"],
}


def _transport(payloads: Path) -> httpx.MockTransport:
    list_body = (payloads / "list.json").read_bytes()
    create_body = (payloads / "create.json").read_bytes()
    headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/models":
            if request.method == "GET":
                return httpx.Response(200, content=list_body, headers=headers)
            if request.method == "POST":
                json.loads(request.content)  # the server reads the body; so does this one
                return httpx.Response(200, content=create_body, headers=headers)
        return httpx.Response(404, content=b'{"message": "not found"}', headers=headers)

    return httpx.MockTransport(handler)


def _floor(transport: httpx.MockTransport, is_async: bool) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """httpx + json + pydantic model_validate with the generated models: what any SDK must do."""
    from polytomic.types import ModelListResponseEnvelope, ModelResponseEnvelope

    headers = {"Authorization": f"Bearer {TOKEN}", "X-Polytomic-Version": "2025-09-18", "Accept": "application/json"}
    post_headers = {"Content-Type": "application/json"}
    if is_async:
        aclient = httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=headers)

        async def alist() -> Any:
            r = await aclient.get("/api/models")
            return ModelListResponseEnvelope.model_validate(json.loads(r.content))

        async def acreate() -> Any:
            r = await aclient.post("/api/models", content=json.dumps(CREATE_ARGS).encode(), headers=post_headers)
            return ModelResponseEnvelope.model_validate(json.loads(r.content))

        return alist, acreate
    client = httpx.Client(transport=transport, base_url=BASE_URL, headers=headers)

    def list_() -> Any:
        r = client.get("/api/models")
        return ModelListResponseEnvelope.model_validate(json.loads(r.content))

    def create() -> Any:
        r = client.post("/api/models", content=json.dumps(CREATE_ARGS).encode(), headers=post_headers)
        return ModelResponseEnvelope.model_validate(json.loads(r.content))

    return list_, create


def _sdk(mode: str, transport: httpx.MockTransport, is_async: bool) -> tuple[Callable[[], Any], Callable[[], Any]]:
    from polytomic import AsyncPolytomic, Polytomic

    if is_async:
        http_async = httpx.AsyncClient(transport=transport)
        if mode == "generated":
            aclient = AsyncPolytomic(api_key=TOKEN, base_url=BASE_URL, http_client=http_async)
        else:  # official (Fern): the transport goes in through httpx_client=
            aclient = AsyncPolytomic(token=TOKEN, base_url=BASE_URL, httpx_client=http_async)

        async def alist() -> Any:
            return await aclient.models.list()

        async def acreate() -> Any:
            return await aclient.models.create(**CREATE_ARGS)

        return alist, acreate
    http = httpx.Client(transport=transport)
    if mode == "generated":
        client = Polytomic(api_key=TOKEN, base_url=BASE_URL, http_client=http)
    else:
        client = Polytomic(token=TOKEN, base_url=BASE_URL, httpx_client=http)
    return (lambda: client.models.list()), (lambda: client.models.create(**CREATE_ARGS))


def _check(listed: Any, created: Any, expected_items: int) -> None:
    assert len(listed.data) == expected_items, f"list returned {len(listed.data)} models"
    last = listed.data[-1]
    fields = getattr(last, "fields_", None) or getattr(last, "fields", None)  # sdkgen renames `fields`
    assert fields and fields[0].name == "id", "nested fields not parsed"
    assert created.data.id and created.data.created_by.name, "create result not parsed"


def _time_sync(fn: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


async def _time_async(fn: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - start) / n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--mode",
        action="append",
        choices=("floor", "generated", "official"),
        required=True,
        help="repeatable: several modes are timed in this one process, repetition by repetition",
    )
    parser.add_argument("--payloads", type=Path, required=True)
    parser.add_argument("--async", dest="is_async", action="store_true")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--list-calls", type=int, default=100)
    parser.add_argument("--create-calls", type=int, default=300)
    args = parser.parse_args()
    transport = _transport(args.payloads)
    expected = len(json.loads((args.payloads / "list.json").read_bytes())["data"])
    calls = {
        mode: (_floor(transport, args.is_async) if mode == "floor" else _sdk(mode, transport, args.is_async))
        for mode in args.mode
    }
    result: dict[str, dict[str, list[float]]] = {mode: {"list": [], "create": []} for mode in calls}
    if args.is_async:

        async def run() -> None:
            for list_call, create_call in calls.values():
                _check(await list_call(), await create_call(), expected)
                await _time_async(list_call, 20)  # warm-up
                await _time_async(create_call, 50)
            for _ in range(args.reps):
                for mode, (list_call, create_call) in calls.items():
                    result[mode]["list"].append(await _time_async(list_call, args.list_calls))
                    result[mode]["create"].append(await _time_async(create_call, args.create_calls))

        asyncio.run(run())
    else:
        for list_call, create_call in calls.values():
            _check(list_call(), create_call(), expected)
            _time_sync(list_call, 20)
            _time_sync(create_call, 50)
        for _ in range(args.reps):
            for mode, (list_call, create_call) in calls.items():
                result[mode]["list"].append(_time_sync(list_call, args.list_calls))
                result[mode]["create"].append(_time_sync(create_call, args.create_calls))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
