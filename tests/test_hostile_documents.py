"""Odd documents that are not wrong: each generates an SDK that imports and answers every
operation, and whatever sdkgen had to skip or approximate is a warning with its place.

(Documents that must be refused live in ``tests/data/bad``, with their diagnostics as
snapshots: ``tests/test_bad_specs.py``.)
"""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.diagnostics import Diagnostic, Level
from tests.support import hostile
from tests.support.hostile import Sdk, build_sdk, call_every_operation, import_every_module, write_spec_text


def one_operation(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A document whose one operation takes and returns ``schema``."""
    content = {"application/json": {"schema": schema}}
    return hostile.base_doc(
        paths={
            "/thing": {
                "post": {
                    "operationId": "useThing",
                    "requestBody": {"content": content},
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
        **extra,
    )


def generated(folder: Path, text: str, name: str = "openapi.yaml", **options: Any) -> Sdk:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    sdk = build_sdk(folder / name, folder / "out", formatted=False, **options)
    import_every_module(sdk)
    call_every_operation(sdk)
    return sdk


def lines(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [d.format() for d in diagnostics]


def test_yaml_keys_that_are_not_strings_become_strings(tmp_path: Path) -> None:
    """``200:`` and ``1:`` are integers in YAML; OpenAPI names are strings.  ``null``/``true``
    keys become "null"/"true"."""
    text = """openapi: 3.1.0
info: {title: Keys, version: "1"}
paths:
  /thing:
    post:
      operationId: useThing
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        404: {description: missing}
components:
  schemas:
    Thing:
      type: object
      properties:
        1: {type: string}
        2.5: {type: integer}
        null: {type: boolean}
        true: {type: string}
"""
    sdk = generated(tmp_path, text)
    model = next(d for d in sdk.api.decls if d.name == "Thing")
    assert sorted(f.wire for f in model.fields) == ["1", "2.5", "null", "true"]  # type: ignore[union-attr]
    op = sdk.api.all_operations()[0]
    assert op.response.status == "200"


def test_enums_of_every_json_type(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "mixed": {"enum": [1, "one", True, None, 1.5, {"a": 1}, [1]]},
            "numbers": {"type": "integer", "enum": [1, 2, 3]},
            "floats": {"type": "number", "enum": [0.5, 1.5]},
            "objects": {"enum": [{"a": 1}, {"b": 2}]},
            "const": {"const": {"nested": [1, None]}},
        },
    }
    sdk = generated(tmp_path, json.dumps(one_operation(schema)), "openapi.json")
    assert not [d for d in sdk.result.diagnostics if d.level is Level.ERROR]


def test_extensions_hold_anything(tmp_path: Path) -> None:
    text = """openapi: 3.1.0
info: {title: Extensions, version: "1", x-logo: {url: [1, {a: null}]}}
paths: {}
x-huge: 123456789012345678901234567890123456789012345678901234567890
x-null: null
x-list: [[[[]]], {}, "", 0]
x-ref: {$ref: "#/does/not/exist"}
x-date: 2024-02-08
"""
    sdk = generated(tmp_path, text)
    assert not sdk.result.diagnostics


@pytest.mark.parametrize("name", ["openapi.yaml", "openapi.json"])
def test_a_utf8_byte_order_mark_is_accepted(name: str, tmp_path: Path) -> None:
    doc = one_operation({"type": "string"})
    text = json.dumps(doc) if name.endswith(".json") else json.dumps(doc).replace('"', "'")
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    sdk = build_sdk(tmp_path / name, tmp_path / "out", formatted=False)
    call_every_operation(sdk)


@pytest.mark.parametrize("paths", [{}, None])
def test_no_operations(paths: dict[str, Any] | None, tmp_path: Path) -> None:
    doc = (
        hostile.base_doc(paths=paths)
        if paths is not None
        else {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}
    )
    sdk = generated(tmp_path, json.dumps(doc), "openapi.json")
    assert sdk.result.operations == 0


@pytest.mark.parametrize(
    "url",
    [
        'https://x.test/"""; import os; os.system("touch pwned") #',
        "https://x.test/\\'\\n\\x00'",
        "javascript:alert(1)",
        "https://x.test/{v}",
        "https://" + "a" * 100_000 + ".test",
    ],
)
def test_hostile_server_urls_are_data(url: str, tmp_path: Path) -> None:
    doc = one_operation({"type": "string"}, servers=[{"url": url, "variables": {"v": {"default": '"\\\n'}}}])
    sdk = generated(tmp_path, json.dumps(doc), "openapi.json")
    version = importlib.import_module(sdk.package.__name__ + "._version")
    expected = url.replace("{v}", '"\\\n').rstrip("/")
    assert (expected if expected.startswith("https://") else "javascript:alert(1)") == version.BASE_URL
    assert not (tmp_path / "pwned").exists()
    for d in sdk.result.diagnostics:
        assert "\n" not in d.format() and len(d.format()) < 2000


def test_ten_megabyte_strings(tmp_path: Path) -> None:
    big = "word " * 2_000_000
    schema = {"type": "object", "description": big, "properties": {"x": {"type": "string", "description": big}}}
    doc = one_operation(schema)
    doc["info"]["description"] = big
    started = time.perf_counter()
    sdk = generated(tmp_path, json.dumps(doc), "openapi.json")
    assert time.perf_counter() - started < 120
    assert max(text.count("word") for text in sdk.python_files().values()) >= 2_000_000  # whole docstrings


def test_refs_with_siblings_escapes_and_percent_encoding(tmp_path: Path) -> None:
    schemas = {
        "a/b~c d": {"type": "object", "properties": {"x": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {
                "escaped": {"$ref": "#/components/schemas/a~1b~0c%20d"},
                "nullable": {"$ref": "#/components/schemas/a~1b~0c%20d", "type": ["object", "null"]},
                "described": {"$ref": "#/components/schemas/a~1b~0c%20d", "description": "siblings are kept"},
            },
        },
    }
    doc = one_operation({"$ref": "#/components/schemas/Holder"}, components={"schemas": schemas})
    sdk = generated(tmp_path, json.dumps(doc), "openapi.json")
    holder = next(d for d in sdk.api.decls if d.name == "Holder")
    types = {f.wire: f.type for f in holder.fields}  # type: ignore[union-attr]
    target = next(d for d in sdk.api.decls if d.name != "Holder" and d.name != "UseThingResponse")
    assert getattr(types["escaped"], "key", None) == target.key
    assert getattr(getattr(types["nullable"], "inner", None), "key", None) == target.key


def test_objects_that_are_not_objects_are_skipped_with_their_place(tmp_path: Path) -> None:
    text = """openapi: 3.1.0
info: {title: Shapes, version: "1", x-word: word}
paths:
  /list: [1, 2]
  /thing:
    get:
      operationId: getThing
      parameters: [{name: "", in: nowhere}, 5]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: 7}}}}
"""
    sdk = generated(tmp_path, text)
    found = lines(sdk.result.diagnostics)
    assert "warning: openapi.yaml#/paths/~1list: a path item must be an object; skipped" in found
    for i in (0, 1):
        assert (
            f"warning: openapi.yaml#/paths/~1thing/get/parameters/{i}: parameter without a valid 'name' and 'in' skipped"
            in found
        )
    assert any("schema/type: schema 'type' must be a string" in line for line in found), found


def test_names_with_line_breaks_stay_on_one_line(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"a\nb c%": {"type": 7}, "\u202e\ud7ff": {"type": 8}}}
    sdk = generated(tmp_path, json.dumps(one_operation(schema)), "openapi.json", validation=False)
    found = lines(sdk.result.diagnostics)
    assert any("/properties/a%0Ab%20c%25/type: " in line for line in found), found
    assert any("/properties/%E2%80%AE%ED%9F%BF/type: " in line for line in found), found
    assert all("\n" not in line for line in found)


def test_thousands_of_distinct_refs(tmp_path: Path) -> None:
    count = 3000
    schemas: dict[str, Any] = {
        f"Part{i}": {"type": "object", "properties": {"v": {"type": "integer"}}} for i in range(count)
    }
    schemas["Whole"] = {
        "type": "object",
        "properties": {f"p{i}": {"$ref": f"#/components/schemas/Part{i}"} for i in range(count)},
    }
    doc = one_operation({"$ref": "#/components/schemas/Whole"}, components={"schemas": schemas})
    spec = write_spec_text(tmp_path / "spec", doc)
    started = time.perf_counter()
    sdk = build_sdk(spec, tmp_path / "out", formatted=False)
    assert time.perf_counter() - started < 120
    assert not sdk.result.diagnostics
    assert len(sdk.api.decls) >= count + 1


def test_a_folder_is_not_a_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "api"
    write_spec_text(folder, one_operation({"type": "string"}), as_json=False)
    assert main(["generate", str(folder), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {folder}#: is a folder, not an OpenAPI document (hint: give the document inside it: "
        f"{folder / 'openapi.yaml'})",
        f"sdkgen: {folder}: nothing written",
    ]
    assert not (tmp_path / "out").exists()


def test_a_long_chain_of_models_imports_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """150 models, each using the next: importing the first would nest 150 imports (over
    Python's recursion limit) without ``types/__init__`` loading the chain deepest first.
    (Past about 200, pydantic itself cannot build the schema: it inlines nested models.)"""
    import subprocess
    import sys

    from generator import Config
    from generator.pipeline import build
    from generator.render.write import write_package

    n = 150
    schemas = {
        f"Link{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/Link{i + 1}"}}}
        for i in range(n)
    }
    schemas[f"Link{n}"] = {"type": "object", "properties": {"end": {"type": "string"}}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = build(Config(spec=spec, output=tmp_path / "out", package_name="chain"), formatted=False)
    write_package(result.package_dir, result.files)
    payload: Any = {"end": "here"}
    for _ in range(n):
        payload = {"next": payload}
    code = (
        "import json, sys\n"
        "from chain.types import Link0\n"
        f"value = Link0.model_validate(json.loads({json.dumps(json.dumps(payload))}))\n"
        "for _ in range(%d):\n    value = value.next\n"
        "print(value.end)\n" % n
    )
    for snippet in (
        code,
        code.replace("from chain.types import Link0", "from chain import types\nLink0 = types.Link0"),
    ):
        proc = subprocess.run([sys.executable, "-c", snippet], cwd=result.package_dir, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.strip() == "here"
