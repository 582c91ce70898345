"""A wire name is the Python name whenever Python allows it: a field is renamed only when its
snake_case form is a keyword, an attribute of the SDK's model base (pydantic's ``model_dump``,
``json``...; read from the class itself), a name its own class body reads (an annotation's
``date`` beside a ``date``-typed field), or taken by another field of the same model."""

from __future__ import annotations

import ast
import keyword
from pathlib import Path
from typing import Any

import pytest

from generator.ir.nodes import Model
from generator.naming import MODEL_ATTRIBUTES, convert
from generator.runtime._models import BaseModel as RuntimeBase
from tests.conftest import GenerateFn, minimal


def class_reads(source: str) -> dict[str, set[str]]:
    """Per model class of a generated module: the names its body reads (annotations, values)."""
    out: dict[str, set[str]] = {}
    for cls in (n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)):
        reads: set[str] = set()
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign):
                for part in (stmt.annotation, stmt.value):
                    if part is not None:
                        reads |= {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
        out[cls.name] = reads
    return out


def expected_name(wire: str, taken: set[str], reads: set[str]) -> str | None:
    """The name the rule requires, or None when the rule allows a rename."""
    name = convert(wire, "snake")
    if not name.isidentifier() or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return None
    if name in MODEL_ATTRIBUTES or name in reads or name in taken:
        return None
    return name


def test_model_attributes_are_what_pydantic_and_the_runtime_define() -> None:
    assert {n for n in dir(RuntimeBase) if not n.startswith("_")} == MODEL_ATTRIBUTES
    assert {"model_dump", "json", "schema", "to_dict"} <= MODEL_ATTRIBUTES
    assert not {"type", "fields", "date", "id", "items"} & MODEL_ATTRIBUTES


@pytest.mark.parametrize("target", ["polytomic", "polytomic-2024-02-08"])
def test_every_polytomic_field_keeps_its_wire_name_unless_python_forbids_it(target: str) -> None:
    from tests.support.calls import TARGETS, api

    config = TARGETS[target]
    types_dir = config.output / (config.package_name or "") / (config.package_name or "") / "types"
    built = api(target)
    reads: dict[str, set[str]] = {}
    for path in types_dir.glob("*.py"):
        reads.update(class_reads(path.read_text(encoding="utf-8")))
    checked = renamed = 0
    for decl in built.decls:
        if not isinstance(decl, Model):
            continue
        snake = [convert(f.wire, "snake") for f in decl.fields]
        for f in decl.fields:
            others = {s for s, g in zip(snake, decl.fields, strict=True) if g is not f}
            want = expected_name(f.wire, others, reads[decl.name])
            if want is not None:
                assert f.name == want, (decl.name, f.wire, f.name)
                checked += 1
            else:
                renamed += 1
                # a rename is never a bare copy: the field still reads and writes its wire name
                assert f.name != f.wire or f.wire in reads[decl.name] or f.wire in MODEL_ATTRIBUTES
    assert checked > 500
    names = {f.name for d in built.decls if isinstance(d, Model) for f in d.fields}
    assert {"type", "fields"} <= names and not {"type_", "fields_"} & names


HOSTILE = {
    "type": {"type": "string"},
    "fields": {"type": "array", "items": {"type": "string"}},
    "date": {"type": "string"},  # no date-typed field in this class: stays ``date``
    "id": {"type": "integer"},
    "items": {"type": "string"},
    "keys": {"type": "string"},
    "self": {"type": "string"},
    "json": {"type": "string"},  # BaseModel.json
    "model_dump": {"type": "string"},  # BaseModel.model_dump
    "to_dict": {"type": "string"},  # the runtime's model base
    "class": {"type": "string"},  # keyword
    "match": {"type": "string"},  # soft keyword
    "str": {"type": "string"},  # this class's annotations read str
    "fooBar": {"type": "string"},
    "foo_bar": {"type": "string"},  # the exact snake name wins; fooBar gets another
}


def test_hostile_field_names(generated: GenerateFn) -> None:
    schemas: dict[str, Any] = {
        "Thing": {"type": "object", "properties": HOSTILE},
        "Dated": {
            "type": "object",
            "properties": {"date": {"type": "string", "format": "date"}, "type": {"type": "string"}},
        },
    }
    pkg, result = generated(minimal(schemas=schemas))
    thing_cls, dated_cls = pkg.types.Thing, pkg.types.Dated
    by_wire = {f.alias or name: name for name, f in thing_cls.model_fields.items()}
    for wire in ("type", "fields", "date", "id", "items", "keys", "self", "foo_bar"):
        assert by_wire[wire] == wire, (wire, by_wire[wire])
    for wire in ("json", "model_dump", "to_dict", "class", "match", "str", "fooBar"):
        assert by_wire[wire] != wire and by_wire[wire].isidentifier(), (wire, by_wire[wire])
    payload = {wire: (["a"] if wire == "fields" else 1 if wire == "id" else f"v-{wire}") for wire in HOSTILE}
    thing = thing_cls.model_validate(payload)
    assert thing.type == "v-type" and thing.fields == ["a"] and thing.date == "v-date" and thing.id == 1
    assert thing.to_dict() == payload  # renamed or not, every field goes back under its wire name
    assert callable(thing.json) and callable(thing.model_dump)  # the base's methods stay reachable
    dated_names = set(dated_cls.model_fields)
    assert "type" in dated_names and "date" not in dated_names  # ``date`` is read by its own annotation
    dated = dated_cls.model_validate({"date": "2024-01-02", "type": "t"})
    assert str(dated.to_dict()["date"]) == "2024-01-02" and dated.type == "t"
    source = Path(result.package_dir, result.package_dir.name, "types").glob("*.py")
    assert any("class Thing" in p.read_text() for p in source)
