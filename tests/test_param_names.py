"""The same parameter name in several locations gets one argument per location, with
predictable names and a warning; a generated module that would not compile is an internal
error (exit 2), never a silent success."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from generator.render.compiled import CompileError, check_compiles
from tests.conftest import minimal, write_spec
from tests.test_features import sync_client


def _param(name: str, where: str, kind: str = "string", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path", "schema": {"type": kind}}


def _spec(params: list[dict[str, Any]], path: str = "/items/{id}") -> dict[str, Any]:
    op = {"operationId": "getItem", "tags": ["items"], "parameters": params, "responses": {"204": {"description": "ok"}}}
    return minimal({path: {"get": op}})


def test_one_name_in_four_locations_gives_four_arguments(generated: Any) -> None:
    params = [
        _param("id", "path"),
        _param("id", "query", "integer"),
        _param("id", "header"),
        _param("id", "cookie"),
        _param("query_id", "query"),  # its own name wins over the prefixed one
    ]
    pkg, result = generated(_spec(params))
    seen: list[httpx.Request] = []
    client = sync_client(pkg, lambda r: seen.append(r) or httpx.Response(204))
    signature = inspect.signature(client.items.get_item)
    assert list(signature.parameters)[:5] == ["id", "query_id_", "header_id", "cookie_id", "query_id"]
    client.items.get_item("p", query_id_=7, header_id="h", cookie_id="c", query_id="q")
    request = seen[0]
    assert request.url.path == "/items/p"
    assert request.url.params.multi_items() == [("id", "7"), ("query_id", "q")]
    assert request.headers["id"] == "h"
    assert request.headers["Cookie"] == "id=c"
    warnings = sorted(d.message for d in result.diagnostics)
    assert warnings == [
        "cookie parameter 'id' is the argument 'cookie_id': 'id' is the path parameter of the same name",
        "header parameter 'id' is the argument 'header_id': 'id' is the path parameter of the same name",
        "query parameter 'id' is the argument 'query_id_': 'id' is the path parameter of the same name",
    ]
    assert {d.pointer for d in result.diagnostics} == {
        f"/paths/~1items~1{{id}}/get/parameters/{i}" for i in (1, 2, 3)
    }


def test_query_keeps_the_name_when_there_is_no_path_parameter(generated: Any) -> None:
    pkg, result = generated(_spec([_param("page", "header"), _param("page", "query")], path="/items"))
    seen: list[httpx.Request] = []
    client = sync_client(pkg, lambda r: seen.append(r) or httpx.Response(204))
    client.items.get_item(page="1", header_page="2")
    assert seen[0].url.params["page"] == "1" and seen[0].headers["page"] == "2"
    assert [d.message for d in result.diagnostics] == [
        "header parameter 'page' is the argument 'header_page': 'page' is the query parameter of the same name"
    ]


def test_path_level_and_operation_level_parameters_share_the_rule(generated: Any) -> None:
    spec = _spec([_param("id", "query", required=True)])
    spec["paths"]["/items/{id}"]["parameters"] = [_param("id", "path")]
    pkg, _ = generated(spec)
    seen: list[httpx.Request] = []
    client = sync_client(pkg, lambda r: seen.append(r) or httpx.Response(204))
    client.items.get_item("a", query_id="b")
    assert str(seen[0].url).endswith("/items/a?id=b")


def test_a_module_that_does_not_compile_is_named() -> None:
    with pytest.raises(CompileError) as caught:
        check_compiles({"pkg/a.py": "x = 1\n", "pkg/b.py": "def f(a, a):\n    pass\n", "README.md": "def ("})
    assert caught.value.path == "pkg/b.py"
    assert "duplicate argument 'a'" in str(caught.value) and "(line 1)" in str(caught.value)
    check_compiles({"pkg/b.py": "def f(a, a):\n    pass\n"}, skip=["pkg/b.py"])


def test_generated_code_that_does_not_compile_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever bug makes a module fail to compile: exit 2, nothing written, and the line says
    it is sdkgen's bug.  (The bug simulated is the one this module fixed: two parameters given
    the same argument name.)"""
    from generator.ir import param_names
    from generator.naming import Ident

    monkeypatch.setattr(param_names, "mint_own_names_first", lambda scope, wanted, wires: [Ident(w) for w in wires])
    spec = write_spec(tmp_path / "spec", _spec([_param("id", "query"), _param("id", "header")], path="/items"))
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "--package-name", "pkg"]) == 2
    err = capsys.readouterr().err
    assert "error: " in err and "internal error: generated code did not compile (pkg/resources/items.py: SyntaxError: duplicate argument 'id'" in err
    assert "this is a bug in sdkgen" in err
    assert not out.exists()
