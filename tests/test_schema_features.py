"""Schemas typed as declared (issue #16): allOf as an intersection, $ref-only components,
tuples, enums Literal cannot hold, null-only enums, recursive unions; and a warning, once,
where the SDK accepts more than the schema says."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from tests.conftest import minimal, valid

CASES = Path(__file__).parent / "data" / "schema-cases"


def case(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((CASES / f"{name}.yaml").read_text())
    return loaded


def warnings_at(result: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in result.diagnostics:
        out.setdefault(d.pointer, []).append(d.message)
    return out


def test_allof_is_an_intersection(generated: Any) -> None:
    pkg, _ = generated(case("allof"))
    t = pkg.types
    # required beside allOf: its own model, not Derived = Base
    assert t.Derived is not t.Base
    assert valid(t.Derived, {"id": "1", "kind": "k"}) and not valid(t.Derived, {"id": "1"})
    # required in a member only
    assert not valid(t.RequiredOnly, {"id": "1"}) and valid(t.RequiredOnly, {"id": "1", "meta": {}})
    # a re-declared property keeps the narrower type (Base has size: {})
    assert t.Narrowed.model_fields["size"].annotation is int
    assert not valid(t.Narrowed, {"id": "1", "size": "big"})
    assert t.Narrowed.model_validate({"id": "1", "size": 2, "meta": {"source": "s"}}).meta.source == "s"
    # nested allOf and own properties: everything required stays required
    assert not valid(t.Deep, {"id": "1", "size": 1, "deep": 1})
    assert valid(t.Deep, {"id": "1", "size": 1, "deep": 1, "extra": True})
    # a oneOf over allOf-derived schemas keeps its variants and discriminator
    owner = pydantic.TypeAdapter(t.Pet).validate_python({"petType": "dog", "barks": True})
    assert type(owner).__name__ == "Dog"
    assert not valid(t.Pet, {"petType": "cat"})  # a known tag with an invalid body
    # allOf over a oneOf $ref, and oneOf beside properties: the variants' properties stay
    assert t.Located.model_validate({"x": 1, "radius": 2.5}).radius == 2.5
    assert {"a", "b", "label"} <= set(t.Tagged.model_fields)


def test_merged_variants_warn_once(generated: Any) -> None:
    _, result = generated(case("allof"))
    found = warnings_at(result)
    for pointer in ("/components/schemas/Shape/oneOf", "/components/schemas/Tagged/oneOf"):
        assert len(found[pointer]) == 1 and "without checking the object matches a variant" in found[pointer][0]


def test_ref_only_components_are_aliases_under_their_own_names(generated: Any) -> None:
    pkg, result = generated(case("aliases"))
    t = pkg.types
    assert t.Animal is t.Pet and t.Creature is t.Pet
    assert "Aliases" in t.__all__  # named like the client class (title "Aliases"): kept
    assert type(t.Owner.model_validate({"pet": {"name": "n"}}).pet) is t.Pet
    assert not [d for d in result.diagnostics if "Aliases" in d.message]


def test_a_renamed_schema_is_a_warning_naming_both_names(generated: Any) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    pkg, result = generated(minimal(schemas={"None": schema, "BaseModel": schema}))
    assert {"None_", "BaseModel"} <= set(pkg.types.__all__)  # (helpers: see the test below)
    assert any("'None'" in d.message and "'None_'" in d.message for d in result.diagnostics)


def test_prefix_items_are_tuples(generated: Any) -> None:
    """Exactly as many items as prefixItems: a Tuple; otherwise a list whose every position is
    checked against its own type (shorter arrays, and further items against ``items``)."""
    pkg, result = generated(case("tuples"))
    t = pkg.types
    assert typing.get_origin(t.Point) is tuple
    assert pydantic.TypeAdapter(t.Point).validate_python([1, 2.5]) == (1.0, 2.5)
    assert not valid(t.Point, [1, 2, 3]) and not valid(t.Point, ["a", 2])
    assert valid(t.Row, ["a", 1, True, False]) and valid(t.Row, ["a"]) and valid(t.Row, [])
    assert not valid(t.Row, ["a", 1, "x"]) and not valid(t.Row, [1, "a"])
    assert valid(t.Short, ["a", 1]) and valid(t.Short, ["a"]) and not valid(t.Short, [1, "a"])
    assert not valid(t.Short, ["a", 1, 2]) and valid(t.Open, ["a", {}, 3]) and not valid(t.Open, [1])
    assert valid(t.Named, {"row": ["a", 2, False]}) and not valid(t.Named, {"row": [2]})
    assert not [d for d in result.diagnostics if "prefixItems" in d.pointer]


def test_enums_literal_cannot_hold(generated: Any) -> None:
    """Enum and const values a ``Literal`` cannot hold (numbers with a fraction, objects,
    arrays, mixed kinds) are their JSON type, checked against the values (as constraints are:
    not on responses), with no warning."""
    pkg, result = generated(case("enum_values"))
    t = pkg.types
    assert typing.get_args(t.Ratio)[0] is float and typing.get_args(t.Half)[0] is float
    assert valid(t.Holder, {"ratio": 0.5, "shape": {"kind": "circle"}, "pair": [1, 2], "inline": 1.25})
    assert valid(t.Holder, {"half": 0.5, "mixed": "one", "ratio": 2})
    for bad in ({"shape": [1]}, {"pair": {"a": 1}}, {"ratio": 0.75}, {"half": 1}, {"shape": {"kind": "cube"}}):
        assert not valid(t.Holder, bad), bad
    assert not valid(t.Holder, {"pair": [2, 1]}) and not valid(t.Holder, {"inline": 3}) and not valid(t.Mixed, 2)
    assert valid(t.Mixed, None) and valid(t.Mixed, True) and not valid(t.Mixed, False)
    assert not [d for d in result.diagnostics if "Literal" in d.message]


def test_null_only_enums_are_none(generated: Any) -> None:
    pkg, result = generated(case("null_enums"))
    t = pkg.types
    assert t.Nothing is None and t.NullType is None
    assert valid(t.Holder, {"a": None, "b": None})
    assert not valid(t.Holder, {"a": "x", "b": None}) and not valid(t.Holder, {"b": None})
    source = (result.package_dir / result.package_dir.name / "types" / "nothing.py").read_text()
    assert "Nothing: TypeAlias = None" in source


def test_recursive_unions_validate(generated: Any) -> None:
    pkg, _ = generated(case("recursive_unions"))
    t = pkg.types
    assert valid(t.Json, {"a": [1, "x", {"b": True}]}) and not valid(t.Json, {"a": [None]})
    assert valid(t.Nested, [1, [2, [3]]]) and not valid(t.Nested, [1, ["x"]])
    tree = t.Tree.model_validate({"value": 1, "children": [{"value": "leaf"}]})
    assert tree.children[0].value == "leaf"


@pytest.mark.parametrize(
    ("keyword", "schema"),
    [
        ("not", {"type": "string", "not": {"enum": ["x"]}}),
        ("if", {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}}),
        ("patternProperties", {"type": "object", "patternProperties": {"^x": {"type": "string"}}}),
        ("dependentRequired", {"type": "object", "dependentRequired": {"a": ["b"]}}),
        ("propertyNames", {"type": "object", "propertyNames": {"maxLength": 3}}),
        ("contains", {"type": "array", "contains": {"type": "string"}}),
    ],
)
def test_unchecked_keywords_warn_once(generated: Any, keyword: str, schema: dict[str, Any]) -> None:
    holder = {"type": "object", "properties": {"v": {"$ref": "#/components/schemas/Thing"}}}
    _, result = generated(minimal(schemas={"Thing": schema, "Holder": holder}))
    found = warnings_at(result)[f"/components/schemas/Thing/{keyword}"]
    assert len(found) == 1 and "not checked by the SDK" in found[0]


def test_schemas_named_like_helpers_keep_their_names(generated: Any) -> None:
    """A schema called ``Tag``, ``Field``, ``List`` or ``BaseModel`` keeps its name in ``types``:
    the type modules that need pydantic's or typing's name import it under a private one."""
    pkg, result = generated(case("helper_names"))
    t = pkg.types
    declared = set(case("helper_names")["components"]["schemas"])
    assert declared <= set(t.__all__)
    assert not [d for d in result.diagnostics if "in the SDK's types" in d.message]
    assert t.Field.__name__ == "Field" and t.BaseModel.__name__ == "BaseModel"
    value = t.BaseModel.model_validate({"items": ["ab"], "u": {"kind": "Field", "first-name": "x"}})
    assert type(value.u) is t.Field and value.u.first_name == "x"
    assert type(pydantic.TypeAdapter(t.Union).validate_python({"kind": "Tag"})) is t.Tag
    assert not valid(t.List, ["b"])  # Optional: a string matching ^a
    assert t.Constraints(n=1, other="x").model_extra == {"other": "x"}
    assert not valid(t.Constraints, {"n": 0}) and not valid(t.Constraints, {"other": 1})
    assert valid(t.Tuple, ["x", "a"]) and valid(t.Tuple, ["x"]) and not valid(t.Tuple, ["x", "a", "b"])


def test_class_names_keep_the_schema_spelling(generated: Any) -> None:
    """A schema name that is a class name already stays as written (``APIResponse``, not
    ``ApiResponse``); other names become PascalCase, and modules never take a class's name."""
    pkg, _ = generated(case("own_names"))
    t = pkg.types
    assert {"APIResponse", "HTTPError", "Pet", "PetStore", "Test", "BrokenArray"} <= set(t.__all__)
    value = t.APIResponse.model_validate({"pets": [{"name": "a", "kind": "cat"}], "store": {"test": [["2024-01-01"]]}})
    assert type(value.pets[0]).__name__ == "Pet_" and value.pets[0].kind == "cat"
    assert str(value.store.test[0][0]) == "2024-01-01"


def test_a_pointer_without_its_slash_is_read_with_a_warning(generated: Any) -> None:
    """``#components/schemas/Pet`` (prance's test documents, some hand-written specs) is read as
    the pointer it lacks a ``/`` for, with a warning; a name that is neither stays broken."""
    spec = minimal(
        schemas={
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Owner": {"type": "object", "properties": {"pet": {"$ref": "#components/schemas/Pet"}}},
            "Lost": {"type": "object", "properties": {"x": {"$ref": "#components/schemas/Nope"}}},
        }
    )
    pkg, result = generated(spec)
    assert type(pkg.types.Owner.model_validate({"pet": {"name": "a"}}).pet) is pkg.types.Pet
    found = warnings_at(result)
    assert "read as '#/components/schemas/Pet'" in " ".join(found["/components/schemas/Owner/properties/pet/$ref"])
    assert [d.pointer for d in result.skipped] == ["/components/schemas/Lost/properties/x/$ref"]


def test_a_pure_ref_loop_is_any_value_with_a_warning(generated: Any) -> None:
    """``A: {$ref: B}, B: {$ref: A}`` names no schema: both are exported, as any value, and a
    property using them accepts anything; a warning at each says so, and nothing is skipped."""
    refs = "#/components/schemas/"
    spec = minimal(
        schemas={
            "A": {"$ref": refs + "B"},
            "B": {"$ref": refs + "A"},
            "Holder": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": refs + "A"}}},
            "Plain": {"allOf": [{"$ref": refs + "A"}, {"type": "object", "properties": {"x": {"type": "string"}}}]},
        }
    )
    pkg, result = generated(spec)
    assert {"A", "B", "Holder", "Plain"} <= set(pkg.types.__all__)
    assert pkg.types.Plain(x="a").x == "a"  # an allOf member that names no schema adds nothing
    assert pkg.types.Holder(a=[1, "x"]).a == [1, "x"] and valid(pkg.types.A, {"any": "thing"})
    assert not result.skipped
    found = warnings_at(result)
    for where in ("/components/schemas/A", "/components/schemas/B", "/components/schemas/Holder/properties/a"):
        assert "loops back on itself" in " ".join(found[where]) and "any value" in " ".join(found[where])


def test_embedded_resources_by_id(generated: Any) -> None:
    """``$id`` makes a schema a resource: ``$ref: box.json`` names it with no file of that name,
    a ``#/...`` inside it is its own (else the document's), and an absolute ``$id`` is found
    by an absolute ``$ref`` instead of being refused as remote."""
    box = {
        "$id": "box.json",
        "type": "object",
        "properties": {"item": {"$ref": "#/$defs/item"}, "size": {"type": "integer"}},
        "$defs": {"item": {"type": "integer"}},
    }
    spec = minimal(
        schemas={
            "Holder": {"type": "object", "properties": {"box": box}},
            "Other": {
                "type": "object",
                "properties": {"again": {"$ref": "box.json"}, "size": {"$ref": "box.json#/properties/size"}},
            },
            "Pet": {
                "$id": "https://example.com/pet.json",
                "type": "object",
                "properties": {"tag": {"$ref": "#/components/schemas/Tag"}},
            },
            "Tag": {"type": "string"},
            "Owner": {"type": "object", "properties": {"pet": {"$ref": "https://example.com/pet.json"}}},
        }
    )
    pkg, result = generated(spec)
    t = pkg.types
    other = t.Other.model_validate({"again": {"item": 3, "size": 2}, "size": 5})
    assert other.again.item == 3 and other.size == 5
    assert not valid(t.Other, {"again": {"item": "x"}})
    assert type(t.Owner.model_validate({"pet": {"tag": "a"}}).pet) is t.Pet
    assert not result.skipped and not [d for d in result.diagnostics if d.level.name == "ERROR"]


def test_a_null_ref_is_no_reference(generated: Any) -> None:
    """``$ref: null`` (``$ref:`` with nothing after it; openapi-generator's own test documents
    have it) is ignored with a warning: the schema keeps the rest of what it says."""
    spec = minimal(
        schemas={
            "Either": {"oneOf": [{"type": "integer"}, {"$ref": None}]},
            "Named": {"$ref": None, "type": "object", "properties": {"a": {"type": "string"}}},
        }
    )
    pkg, result = generated(spec)
    assert pkg.types.Named(a="x").a == "x" and valid(pkg.types.Either, "anything")
    assert not result.skipped
    found = warnings_at(result)
    assert found["/components/schemas/Either/oneOf/1/$ref"] == ["$ref is null: ignored"]
    assert found["/components/schemas/Named/$ref"] == ["$ref is null: ignored"]


def test_anchors_and_boolean_components(generated: Any) -> None:
    """``$ref: "#item"`` finds the schema that says ``$anchor: item`` (or ``$dynamicAnchor``);
    a boolean component is an alias of any value (``false`` with a warning: nothing is valid)."""
    spec = minimal(
        schemas={
            "Item": {"$anchor": "item", "type": "object", "properties": {"n": {"type": "integer"}}},
            "Box": {"type": "object", "properties": {"item": {"$ref": "#item"}, "tag": {"$ref": "#label"}}},
            "Label": {"$dynamicAnchor": "label", "type": "string"},
            "Anything": True,
            "Never": False,
        }
    )
    pkg, result = generated(spec)
    box = pkg.types.Box.model_validate({"item": {"n": 1}, "tag": "x"})
    assert type(box.item) is pkg.types.Item and box.tag == "x"
    assert {"Anything", "Never"} <= set(pkg.types.__all__)
    found = warnings_at(result)
    assert "no value is valid" in " ".join(found["/components/schemas/Never"])
    assert not [d for d in result.diagnostics if d.level.name == "ERROR"]
