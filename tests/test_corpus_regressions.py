"""Regressions found by the real-world corpus run (``corpus/``); each reproducer is in
``corpus/repro/<name>.yaml`` and generates here into a package that imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import Config, build
from generator.diagnostics import Level

REPRO = Path(__file__).resolve().parents[1] / "corpus" / "repro"


def _build(name: str, tmp_path: Path) -> Any:
    return build(Config(spec=REPRO / f"{name}.yaml", output=tmp_path, package_name="repro"))


def test_every_reproducer_generates(generated: Any) -> None:
    for path in sorted(REPRO.glob("*.yaml")):
        _pkg, result = generated(path.read_text(encoding="utf-8"))
        assert result.operations >= 1, path.name


def test_schema_type_that_is_not_a_string_is_a_warning(tmp_path: Path) -> None:
    result = _build("type-not-a-string", tmp_path)
    found = [d for d in result.diagnostics if "must be a string or a list of strings" in d.message]
    assert [d.pointer for d in found] == ["/components/schemas/Item/definitions/itemType/type"]
    assert all(d.level is Level.WARNING for d in result.diagnostics)
    # the validator's finding inside the referenced schema is rebased onto the document
    assert all(d.pointer.startswith("/components/schemas/Item") for d in result.diagnostics)


@pytest.mark.parametrize("name", sorted(p.stem for p in REPRO.glob("*.yaml")))
def test_reproducer_documents_say_where_they_came_from(name: str) -> None:
    assert (REPRO / f"{name}.yaml").read_text(encoding="utf-8").startswith("#")


def test_a_bug_in_the_ir_is_an_internal_error_diagnostic_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import SpecError
    from generator.ir import schemas

    def broken(*args: Any, **kwargs: Any) -> None:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(schemas.SchemaConverter, "declare_components", broken)
    with pytest.raises(SpecError) as info:
        _build("type-not-a-string", tmp_path)
    (error,) = [d for d in info.value.diagnostics if d.level is Level.ERROR]
    assert error.message.startswith("internal error while building the SDK (TypeError at test_corpus_regressions.py:")
    assert error.file == "type-not-a-string.yaml" and "bug in sdkgen" in error.hint


def _dropped(name: str) -> set[str]:
    """Responses of a reproducer that reach neither the SDK nor a diagnostic (see corpus/completeness.py)."""
    from corpus.completeness import check
    from generator.ir.build import build_api
    from generator.loader import load

    loaded = load(REPRO / f"{name}.yaml")
    api, diagnostics = build_api(loaded, Config(spec=REPRO / f"{name}.yaml"), "repro", "Repro")
    assert api is not None
    return check(loaded.document, api, (*loaded.diagnostics, *diagnostics)).missing_responses


def test_every_success_response_is_typed_or_named() -> None:
    assert _dropped("second-success-response") == set()


def test_redirect_response_with_a_body_is_typed_or_named() -> None:
    assert _dropped("redirect-with-body") == set()


def test_schemas_named_like_runtime_imports_keep_their_names(generated: Any) -> None:
    """Resources reach types as ``types.Endpoint`` and type modules import their helpers under
    private names where a declaration takes one: the schemas keep their names, and every
    module still imports (the vimeo bug was a resource module whose ``Endpoint`` a model hid)."""
    import httpx

    pkg, _ = generated((REPRO / "schema-named-like-runtime.yaml").read_text(encoding="utf-8"), client_name="Repro")
    names = set(pkg.types.__all__)
    assert {"Endpoint", "APIResponse", "TypeAliasType", "Timeout"} <= names, names
    assert pkg.types.TypeAliasType is not None and pkg.types.Endpoint.__name__ == "Endpoint"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"endpoint": {"path": "/x"}, "response": {"code": 1}, "alias": 3})

    client = pkg.Repro(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    out = client.api_information.get_endpoints()
    assert out.endpoint.path == "/x" and out.response.code == 1 and out.alias == 3
