"""help() and an IDE show public names only: signatures name models as ``types.Model`` (the
public ``<package>.types.Model``), never a private alias such as ``_t.Model``."""

from __future__ import annotations

import inspect
import re
import sys
from typing import Any

import httpx

from tests.conftest import ROOT, GenerateFn, minimal
from tests.test_features import sync_client

PRIVATE = re.compile(r"(?<![\w.])_\w*\.")  # a private module alias: "_t.Model"


def methods(resource: Any) -> list[Any]:
    return [
        getattr(resource, name)
        for name in dir(type(resource))
        if not name.startswith("_") and callable(getattr(type(resource), name, None))
    ]


def resources(client: Any) -> list[Any]:
    out, stack = [], [client]
    while stack:
        obj = stack.pop()
        for name, value in vars(type(obj)).items():
            if name.startswith("_") or not hasattr(value, "__get__") or callable(value):
                continue
            child = getattr(obj, name)
            if type(child).__module__.split(".")[-2:-1] == ["resources"]:
                out.append(child)
                stack.append(child)
    return out


def test_polytomic_signatures_name_no_private_alias() -> None:
    sys.path.insert(0, str(ROOT / "generated" / "polytomic"))
    try:
        import polytomic

        client = polytomic.Polytomic(api_key="k")
        found = resources(client)
        assert len(found) > 10
        seen = 0
        for resource in found:
            for method in methods(resource):
                text = str(inspect.signature(method))
                assert not PRIVATE.search(text), f"{method.__qualname__}{text}"
                seen += "types." in text
        assert seen > 50
    finally:
        sys.path.remove(str(ROOT / "generated" / "polytomic"))


def test_an_argument_called_types_keeps_working(generated: GenerateFn) -> None:
    pet = {"type": "object", "properties": {"name": {"type": "string"}}}
    spec = minimal(
        paths={
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "parameters": [{"name": "types", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
                    },
                }
            }
        },
        schemas={"Pet": pet},
    )
    pkg, _ = generated(spec)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"name": "Rex"})

    client = sync_client(pkg, handler)
    assert "_t.Pet" in str(inspect.signature(client.pets.list_pets))  # the one case for the alias
    pet_out = client.pets.list_pets(types="dog")
    assert pet_out.name == "Rex" and type(pet_out).__name__ == "Pet"
    assert seen[0].url.params["types"] == "dog"
