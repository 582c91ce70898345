"""Loader: safe YAML/JSON, $ref policy, validation findings as diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diagnostics import Level
from generator.loader import load
from tests.conftest import minimal, write_spec


def errors(path: Path) -> list[str]:
    loaded = load(path, strict=True)
    return [d.format() for d in loaded.diagnostics if d.level is Level.ERROR]


def test_yaml_12_scalars_stay_strings(tmp_path: Path) -> None:
    text = "openapi: 3.1.0\ninfo: {title: t, version: 2024-02-08}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string, enum: [yes, no, on, off]}\n"
    loaded = load(write_spec(tmp_path, text))
    assert loaded.document["info"]["version"] == "2024-02-08"
    assert loaded.document["components"]["schemas"]["A"]["enum"] == ["yes", "no", "on", "off"]
    assert not loaded.has_errors


def test_integer_keys_become_strings(tmp_path: Path) -> None:
    text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"
    loaded = load(write_spec(tmp_path, text))
    assert "200" in loaded.document["paths"]["/a"]["get"]["responses"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key 'openapi'"),
        ("a: !!python/object/apply:os.system ['echo hi']\n", "not allowed"),
        ("a: &a [*a]\n", "alias contains itself"),
        ("a: [\n", "invalid YAML"),
    ],
)
def test_hostile_yaml_is_refused(tmp_path: Path, text: str, needle: str) -> None:
    assert any(needle in e for e in errors(write_spec(tmp_path, text)))


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    found = errors(write_spec(tmp_path, "\n".join(lines) + "\n"))
    assert any("alias bomb" in e for e in found)


def test_json_duplicate_keys(tmp_path: Path) -> None:
    found = errors(write_spec(tmp_path, '{"openapi": "3.1.0", "openapi": "3.0.0"}', "spec.json"))
    assert any("duplicate key" in e for e in found)


def test_dangling_ref_names_file_and_pointer(tmp_path: Path) -> None:
    spec = minimal(schemas={"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}})
    found = errors(write_spec(tmp_path, spec))
    assert any("openapi.yaml#/components/schemas/A/properties/b/$ref" in e and "Missing" in e for e in found)
    lenient = load(write_spec(tmp_path, spec))  # without --strict: recorded for the IR to skip what needs it
    assert not lenient.has_errors
    assert [(str(at), e.message) for at, e in lenient.workspace.broken.items()] == [
        ("openapi.yaml#/components/schemas/A/properties/b", "nothing at openapi.yaml#/components/schemas/Missing")
    ]


def test_multi_file_refs_inside_folder(tmp_path: Path) -> None:
    write_spec(tmp_path / "schemas", {"Pet": {"type": "object", "properties": {"id": {"type": "string"}}}}, "pet.yaml")
    spec = minimal(schemas={"Pet": {"$ref": "schemas/pet.yaml#/Pet"}})
    loaded = load(write_spec(tmp_path, spec))
    assert not loaded.has_errors, [d.format() for d in loaded.diagnostics]
    assert "schemas/pet.yaml" in loaded.workspace.documents


@pytest.mark.parametrize(
    "ref",
    ["../outside.yaml#/X", "/etc/passwd#/X", "file:///etc/passwd#/X", "http://127.0.0.1:9/x.yaml#/X", "https://example.com/x.yaml", "..\\x.yaml"],
)
def test_refs_leaving_the_folder_are_refused_unread(tmp_path: Path, ref: str) -> None:
    (tmp_path / "outside.yaml").write_text("X: {type: string}\n")
    spec = minimal(schemas={"A": {"$ref": ref}})
    found = errors(write_spec(tmp_path / "spec", spec))
    assert found and all("#/components/schemas/A/$ref" in e for e in found)


def test_validation_findings_are_warnings_with_pointers(tmp_path: Path) -> None:
    spec = minimal(paths={"/a": {"get": {"responses": {"200": {"description": 5}}}}})
    loaded = load(write_spec(tmp_path, spec))
    assert not loaded.has_errors
    assert any(d.pointer.startswith("/paths/~1a/get/responses/200") for d in loaded.diagnostics)
    strict = load(write_spec(tmp_path, spec), strict=True)
    assert strict.has_errors


def test_an_unquoted_version_number_is_read_with_a_warning(tmp_path: Path) -> None:
    """``openapi: 3.1`` unquoted is a YAML float; other tools read the version it spells."""
    path = tmp_path / "openapi.yaml"
    path.write_text("openapi: 3.1\ninfo: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8")
    loaded = load(path)
    assert loaded.minor == 1 and not loaded.has_errors
    found = [d for d in loaded.diagnostics if d.pointer == "/openapi"]
    assert [d.message for d in found] == ["'openapi' is the number 3.1, not a string: read as '3.1.0'"]
    assert found[0].level is Level.WARNING


def test_unsupported_version_and_swagger(tmp_path: Path) -> None:
    assert any("/openapi" in e for e in errors(write_spec(tmp_path, {"openapi": "4.0.0", "info": {}, "paths": {}})))
    assert any("Swagger 1.2" in e for e in errors(write_spec(tmp_path / "b", {"swagger": "1.2", "info": {}, "paths": {}})))
    # Swagger 1.2 names its version swaggerVersion (Kubernetes' old API documents)
    old = {"swaggerVersion": "1.2", "apiVersion": "v1", "apis": []}
    assert any("Swagger 1.2 documents" in e and "/swaggerVersion" in e for e in errors(write_spec(tmp_path / "c", old)))


def test_hashes_are_stable(tmp_path: Path) -> None:
    path = write_spec(tmp_path, json.dumps(minimal()), "spec.json")
    a, b = load(path), load(path)
    assert a.spec_sha256 == b.spec_sha256 and a.normalized_sha256 == b.normalized_sha256


def test_findings_inside_referenced_schemas_point_into_the_document(tmp_path: Path) -> None:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/O"}}}}}
    spec = minimal(
        paths={"/a": {"get": {"responses": ok}}},
        schemas={"O": {"type": "object", "properties": {"name": {"type": "strin"}}}},
        version="3.0.3",
    )
    loaded = load(write_spec(tmp_path, spec))
    pointers = {d.pointer for d in loaded.diagnostics}
    # the validator also reports the referenced schema on its own, at "/properties/name/type"
    assert pointers == {"/components/schemas/O/properties/name/type"}, pointers


def test_background_validation_reports_what_inline_validation_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Big documents are validated in a forked process while the IR and the code are built;
    the findings, their pointers and their order are those of validating in place."""
    import importlib

    from generator import Config, SpecError
    from generator.pipeline import build

    validate = importlib.import_module("generator.loader.validate")

    spec = Path(__file__).parent / "data" / "bad" / "invalid-parameter.yaml"
    inline = load(spec, strict=True)
    monkeypatch.setattr(validate, "BACKGROUND_BYTES", 0)
    deferred = load(spec, strict=True, background=True)
    assert deferred.pending is not None  # a process is validating it
    assert not deferred.has_errors  # nothing known yet
    assert deferred.validated().diagnostics == inline.diagnostics
    assert inline.has_errors and inline.diagnostics
    with pytest.raises(SpecError) as raised:
        build(Config(spec=spec, output=Path("unused"), strict=True))
    assert [d for d in raised.value.diagnostics if d.message.startswith("invalid OpenAPI")] == [
        d for d in inline.diagnostics if d.message.startswith("invalid OpenAPI")
    ]


def test_yaml_numbers_follow_yaml_12(tmp_path: Path) -> None:
    """OpenAPI documents are YAML 1.2: no octal ``0755``, no sexagesimal ``1:30``, no ``1_000``;
    ``1e3`` is a number.  PyYAML's YAML 1.1 rules would change the values on the wire."""
    text = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Mode: {type: integer, enum: [0755, 0644, 0o17, 0x1F, -3]}\n"
        "    Time: {type: string, enum: [1:30, 2:45, 1_000]}\n"
        "    Big: {type: number, enum: [1e3, .5, 1.0e+3]}\n"
    )
    schemas = load(write_spec(tmp_path, text)).document["components"]["schemas"]
    assert schemas["Mode"]["enum"] == [755, 644, 15, 31, -3]
    assert schemas["Time"]["enum"] == ["1:30", "2:45", "1_000"]
    assert schemas["Big"]["enum"] == [1000.0, 0.5, 1000.0]


def test_text_other_tools_read_is_read_with_a_warning(tmp_path: Path) -> None:
    """A .json file with trailing commas (YAML reads it), tabs on the blank lines of a YAML
    block scalar, a plain ``=`` in YAML (a string, not YAML 1.1's value tag), and schemas
    without the ``openapi`` line: read, each leniency a warning; --strict refuses them."""
    cases = {
        "commas.json": '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {},}',
        "tabs.yaml": "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n  description: |-\n    \t\n    a\npaths: {}\n",
        "equals.yaml": "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "components: {schemas: {Op: {type: string, enum: [=, '!=']}}}\n",
        "bare.yaml": "components: {schemas: {Pet: {type: object, properties: {name: {type: string}}}}}\n",
    }
    expected = {"commas.json": "read as YAML", "tabs.yaml": "tabs of blank lines", "bare.yaml": "no 'openapi' field"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        loaded = load(tmp_path / name)
        assert not [d for d in loaded.diagnostics if d.level is Level.ERROR], (name, loaded.diagnostics)
        messages = " ".join(d.message for d in loaded.diagnostics)
        assert expected.get(name, "") in messages, (name, messages)
    assert load(tmp_path / "tabs.yaml").document["info"]["description"] == "\na"
    assert load(tmp_path / "equals.yaml").document["components"]["schemas"]["Op"]["enum"] == ["=", "!="]
    (tmp_path / "broken.json").write_text("This is not JSON!", encoding="utf-8")
    assert [d.message for d in load(tmp_path / "broken.json").diagnostics] == [
        "invalid JSON: Expecting value (line 1, column 1)"
    ]


def test_ordered_maps_are_lists_of_one_key_mappings() -> None:
    """``!!omap``/``!!pairs`` (YAML 1.1 ordered mappings, in a ``default``) read as JSON has
    them; any other shape under those tags is refused like any other tag."""
    from generator.loader.documents import DocumentError, parse_text

    text = "a: !!omap [{x: 1}, {y: 2}]\nb: !!pairs [{x: 1}, {x: 2}]\n"
    assert parse_text(text, "t.yaml") == {"a": [{"x": 1}, {"y": 2}], "b": [{"x": 1}, {"x": 2}]}
    with pytest.raises(DocumentError, match="is not allowed"):
        parse_text("a: !!omap [1, 2]\n", "t.yaml")
