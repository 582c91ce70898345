"""Scenarios for the official ``polytomic`` SDK (Fern), run by ``tests/test_side_by_side.py`` in
the official SDK's own venv (``tests/support/peers.py``) as ``python -I peer_polytomic.py``.

Standalone on purpose: it imports nothing from this repository, only the official package.
It reads ``{"key": ..., "id": ..., "scenarios": {name: base_url}}`` as JSON on stdin, runs each
named scenario against its own contract server, and prints one JSON object: for each scenario
what the SDK returned (``result``) or raised (``raised``), and the retry sleeps it asked for
(``sleeps``; its ``time.sleep`` is replaced by a recorder, so nothing waits).
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import time
import types
from collections.abc import Callable
from importlib import metadata
from typing import Any

import polytomic
import polytomic.core.http_client as fern_http

SLEEPS: list[float] = []
fern_http.time = types.SimpleNamespace(  # type: ignore[assignment]
    **{k: getattr(time, k) for k in dir(time) if not k.startswith("__")}
)
fern_http.time.sleep = SLEEPS.append  # type: ignore[attr-defined]


def raised(exc: BaseException) -> dict[str, Any]:
    """What an exception looks like to a caller: its class (and bases), status and body."""
    body = getattr(exc, "body", None)
    return {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "mro": [c.__name__ for c in type(exc).__mro__],
        "status_code": getattr(exc, "status_code", None),
        "body_type": type(body).__name__,
        "body": body.dict() if hasattr(body, "dict") else body,
        "message": str(exc),
        "has_request": hasattr(exc, "request"),
    }


def dump(model: Any) -> Any:
    return model.dict() if model is not None else None


def idempotent_post(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    created = client.models.create(name="Users", connection_id=ctx["id"], configuration={"table": "users"})
    return {"id": created.data.id, "parameters": list(inspect.signature(client.models.create).parameters)}


def retry_after_ms(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    return {"id": client.models.get(ctx["id"]).data.id}


def explicit_null(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    """Clear the nullable ``labels`` (and leave ``fields`` out); then ``identifier=None``, which
    its signature accepts although the field is a non-nullable string."""
    common = {"configuration": {"table": "users"}, "connection_id": ctx["id"], "name": "Users"}
    client.models.update(ctx["id"], labels=None, **common)
    out: dict[str, Any] = {"identifier_type": str(inspect.signature(client.models.update).parameters["identifier"])}
    try:
        client.models.update(ctx["id"], identifier=None, **common)
        out["identifier_none"] = None
    except Exception as exc:  # noqa: BLE001 - recorded for the test to assert
        out["identifier_none"] = raised(exc)
    return out


def pagination(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    page = client.model_sync.list(limit=2)
    return {
        "type": type(page).__name__,
        "ids": [item.id for item in page.data or []],
        "next_page_token": page.pagination.next_page_token if page.pagination else None,
        "iterates_to": sorted({type(x).__name__ for x in page}),  # what ``for x in page`` yields
    }


def forward_compat(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    got = client.models.get(ctx["id"])
    return {
        "job_status": got.job.status,
        "job_extra": (got.job.model_extra or {}).get("eta_seconds"),
        "data_extra": (got.data.model_extra or {}).get("added_next_year"),
        "top_extra": (got.model_extra or {}).get("top_level_extra"),
        "name": got.data.name,
    }


def version_header(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    outcomes: list[Any] = []
    for extra in ({}, {"X-Polytomic-Version": "2024-02-08"}, {"x-polytomic-version": "2024-02-08"}):
        try:
            client.models.get(ctx["id"], request_options={"additional_headers": extra} if extra else None)
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001 - recorded for the test to assert
            outcomes.append(raised(exc))
    return {"outcomes": outcomes, "version_attr": getattr(client._client_wrapper, "_version", None)}


def read_timeout(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    return {"id": client.models.get(ctx["id"], request_options={"timeout_in_seconds": ctx["timeout"]}).data.id}


def env_credentials(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    os.environ["POLYTOMIC_API_KEY"] = ctx["key"]
    try:
        env_client = polytomic.Polytomic(base_url=client._client_wrapper.get_base_url())
        return {"id": env_client.models.get(ctx["id"]).data.id}
    finally:
        del os.environ["POLYTOMIC_API_KEY"]


def not_found(client: polytomic.Polytomic, ctx: dict[str, Any]) -> Any:
    return {"id": client.models.get(ctx["id"]).data.id}


SCENARIOS: dict[str, Callable[[polytomic.Polytomic, dict[str, Any]], Any]] = {
    f.__name__: f
    for f in (
        idempotent_post,
        retry_after_ms,
        explicit_null,
        pagination,
        forward_compat,
        version_header,
        read_timeout,
        env_credentials,
        not_found,
    )
}


def main() -> None:
    ctx = json.load(sys.stdin)
    out: dict[str, Any] = {"version": metadata.version("polytomic"), "file": polytomic.__file__, "scenarios": {}}
    for name, base_url in ctx["scenarios"].items():
        SLEEPS.clear()
        client = polytomic.Polytomic(base_url=base_url, token=ctx["key"])
        entry: dict[str, Any] = {"result": None, "raised": None}
        try:
            entry["result"] = SCENARIOS[name](client, ctx)
        except Exception as exc:  # noqa: BLE001 - recorded for the test to assert
            entry["raised"] = raised(exc)
        entry["sleeps"] = list(SLEEPS)
        out["scenarios"][name] = entry
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
