"""A broken ``$ref`` costs only what needs it (without ``--strict``): the schema or operation
holding it is skipped with an error naming it, what refers to a skipped schema is typed as
any value there, the rest is generated and imports, and ``sdkgen generate`` exits 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import Config, build
from generator.cli import main
from generator.drift.check import run_check
from generator.drift.diff import DiffInput, diff
from tests.conftest import minimal, write_spec
from tests.test_features import sync_client


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


PETS = minimal(
    {
        "/pets": {
            "get": {"operationId": "listPets", "tags": ["pets"], "responses": ok(ref("Pet"))},
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {"$ref": "#/components/requestBodies/Missing"},
                "responses": {"204": {"description": "ok"}},
            },
        },
        "/stores": {"get": {"operationId": "listStores", "tags": ["stores"], "responses": ok(ref("Store"))}},
        "/owners": {
            "get": {
                "operationId": "listOwners",
                "tags": ["owners"],
                "parameters": [{"$ref": "#/components/parameters/Nope"}],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/gone": {"$ref": "#/x-nowhere"},
    },
    {
        "Pet": {"type": "object", "properties": {"name": {"type": "string"}, "owner": ref("Owner")}},
        "Store": {
            "type": "object",
            "required": ["name"],
            "properties": {"pets": {"type": "array", "items": ref("Pet")}, "name": {"type": "string"}},
        },
        "Unused": {"type": "object", "properties": {"x": {"not": ref("Nothing")}}},
    },
)


def messages(result: Any, level: str) -> list[str]:
    return [f"{d.pointer}: {d.message}" for d in result.diagnostics if d.level.value == level]


def test_what_a_broken_ref_costs(generated: Any) -> None:
    pkg, result = generated(PETS)
    assert messages(result, "error") == [
        "/components/schemas/Pet/properties/owner/$ref: nothing at openapi.yaml#/components/schemas/Owner; "
        "skipped: schema 'Pet' (#/components/schemas/Pet)",
        "/paths/~1gone/$ref: nothing at openapi.yaml#/x-nowhere; skipped: path '/gone' (all its operations) "
        "(#/paths/~1gone)",
        "/paths/~1owners/get/parameters/0/$ref: nothing at openapi.yaml#/components/parameters/Nope; "
        "skipped: operation 'listOwners' (GET /owners) (#/paths/~1owners/get)",
        "/paths/~1pets/post/requestBody/$ref: nothing at openapi.yaml#/components/requestBodies/Missing; "
        "skipped: operation 'createPet' (POST /pets) (#/paths/~1pets/post)",
    ]
    assert all(d.skipped for d in result.diagnostics if d.level.value == "error")
    assert len(result.skipped) == 4
    warnings = messages(result, "warning")
    assert "/components/schemas/Store/properties/pets/items: schema 'Pet' was skipped (a broken $ref); typed as any value here" in warnings
    assert (
        "/components/schemas/Unused/properties/x/not/$ref: nothing at openapi.yaml#/components/schemas/Nothing; "
        "nothing generated needs it"
    ) in warnings
    assert sorted(pkg.types.__all__) == ["Store", "Unused"]
    store = pkg.types.Store.model_validate({"name": "s", "pets": [{"name": "rex"}, 3]})
    assert store.pets == [{"name": "rex"}, 3]
    client = sync_client(pkg, lambda r: httpx.Response(200, json={"name": "rex", "owner": 1}))
    assert client.pets.list_pets() == {"name": "rex", "owner": 1}
    assert not hasattr(client.pets, "create_pet") and not hasattr(client, "owners")
    assert client.stores.list_stores().name == "rex"
    manifest = json.loads(result.files["sdkgen-manifest.json"])
    assert [line.split(": ", 2)[1] for line in manifest["skipped"]] == [
        "openapi.yaml#/components/schemas/Pet/properties/owner/$ref",
        "openapi.yaml#/paths/~1gone/$ref",
        "openapi.yaml#/paths/~1owners/get/parameters/0/$ref",
        "openapi.yaml#/paths/~1pets/post/requestBody/$ref",
    ]


def test_exit_codes_with_and_without_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path / "spec", PETS)
    assert main(["generate", str(spec), "-o", str(tmp_path / "strict"), "--strict"]) == 2
    assert not (tmp_path / "strict").exists()
    err = capsys.readouterr().err
    assert "skipped" not in err and err.endswith("nothing written\n")
    assert main(["generate", str(spec), "-o", str(tmp_path / "out"), "-q"]) == 3
    err = capsys.readouterr().err
    assert err.count("error: ") == 4 and "warning: " not in err
    assert err.endswith(f"sdkgen: {spec}: generated without the pieces the errors above name\n")
    assert (tmp_path / "out" / "test" / "test" / "types" / "store.py").is_file()


def test_an_unused_broken_ref_costs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = minimal({"/a": {"get": {"responses": ok({"type": "string"})}}}, {"Lost": ref("Nowhere")})
    doc["components"]["parameters"] = {"P": {"$ref": "#/components/parameters/Q"}}
    spec = write_spec(tmp_path / "spec", doc)
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 3  # the component Lost is skipped
    doc["components"]["schemas"] = {}
    write_spec(tmp_path / "spec", doc)
    capsys.readouterr()
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: openapi.yaml#/components/parameters/P/$ref: nothing at openapi.yaml#/components/parameters/Q; nothing generated needs it" in err
    assert "error" not in err


def test_a_tagged_union_with_a_skipped_variant_keeps_the_others(generated: Any) -> None:
    schemas = {
        "Pet": {"oneOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}},
        "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}}},
        "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "dog"}, "bone": ref("Bone")}},
    }
    pkg, result = generated(minimal({"/pet": {"get": {"operationId": "getPet", "responses": ok(ref("Pet"))}}}, schemas))
    assert [d.message.rsplit("; ", 1)[-1] for d in result.skipped] == ["skipped: schema 'Dog' (#/components/schemas/Dog)"]
    assert "Dog" not in pkg.types.__all__
    client = sync_client(pkg, lambda r: httpx.Response(200, json={"kind": "cat", "lives": 9}))
    assert client.pet.get_pet().lives == 9
    client = sync_client(pkg, lambda r: httpx.Response(200, json={"kind": "dog", "bone": "big"}))
    assert client.pet.get_pet() == {"kind": "dog", "bone": "big"}


def test_recursive_schemas_around_a_skipped_one(generated: Any) -> None:
    """``A`` refers to ``B`` and ``B`` back to ``A``: whichever is skipped, the other is
    generated, its reference typed as any value (also when met while the skipped one was
    still being built)."""
    schemas = {
        "A": {"type": "object", "properties": {"b": ref("B"), "bad": ref("Missing")}},
        "B": {"type": "object", "properties": {"a": ref("A"), "name": {"type": "string"}}},
        "C": {"type": "object", "properties": {"d": ref("D")}},
        "D": {"type": "object", "properties": {"c": ref("C"), "bad": ref("Missing")}},
    }
    pkg, result = generated(minimal({"/a": {"get": {"operationId": "getA", "responses": ok(ref("B"))}}}, schemas))
    assert sorted(pkg.types.__all__) == ["B", "C"]
    assert pkg.types.B.model_validate({"a": [1], "name": "x"}).a == [1]
    assert pkg.types.C.model_validate({"d": "anything"}).d == "anything"
    assert any(d.pointer == "/components/schemas/B" and "refers to a schema that was skipped" in d.message for d in result.diagnostics)


def test_a_long_chain_of_schemas_ending_in_a_broken_ref(generated: Any) -> None:
    """Schemas met deeper than the converter builds at once (``MAX_NAMED_DEPTH``) are built
    later: the one holding the broken $ref is skipped all the same, the others kept."""
    schemas = {f"S{i}": {"type": "object", "properties": {"next": ref(f"S{i + 1}"), "n": {"type": "integer"}}} for i in range(60)}
    schemas["S60"] = {"type": "object", "properties": {"bad": ref("Missing")}}
    pkg, result = generated(minimal({"/s": {"get": {"operationId": "getS", "responses": ok(ref("S0"))}}}, schemas))
    assert len(pkg.types.__all__) == 60 and "S60" not in pkg.types.__all__
    assert pkg.types.S59.model_validate({"next": {"bad": 1}}).next == {"bad": 1}
    assert [d.pointer for d in result.skipped] == ["/components/schemas/S60/properties/bad/$ref"]


def test_an_allof_member_that_is_a_skipped_schema(generated: Any) -> None:
    schemas = {
        "Base": {"$ref": "#/components/schemas/Missing"},
        "Derived": {"allOf": [ref("Base"), {"type": "object", "properties": {"own": {"type": "string"}}}]},
    }
    pkg, result = generated(minimal({"/d": {"get": {"operationId": "getD", "responses": ok(ref("Derived"))}}}, schemas))
    assert [d.pointer for d in result.skipped] == ["/components/schemas/Base/$ref"]
    assert "/components/schemas/Derived/allOf/0: schema 'Base' was skipped (a broken $ref); its properties are left out here" in messages(result, "warning")
    assert pkg.types.Derived.model_validate({"own": "x"}).own == "x"


def test_a_broken_ref_in_another_file(tmp_path: Path, generated: Any) -> None:
    folder = tmp_path / "multi"
    write_spec(folder, {"Owner": {"type": "object", "properties": {"pet": {"$ref": "#/Missing"}}}}, "schemas.yaml")
    doc = minimal(
        {"/o": {"get": {"operationId": "getO", "responses": ok(ref("Holder"))}}},
        {"Holder": {"type": "object", "properties": {"owner": {"$ref": "schemas.yaml#/Owner"}, "id": {"type": "integer"}}}},
    )
    spec = write_spec(folder, doc)
    result = build(Config(spec=spec, output=tmp_path / "out", package_name="multi"))
    assert [(d.file, d.pointer, d.message.rsplit("; ", 1)[-1]) for d in result.skipped] == [
        ("schemas.yaml", "/Owner/properties/pet/$ref", "skipped: schema 'Owner' (#/Owner)")
    ]
    assert any(d.file == "openapi.yaml" and d.pointer == "/components/schemas/Holder/properties/owner" for d in result.diagnostics)


def test_check_and_diff_with_skipped_pieces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pets = {"get": PETS["paths"]["/pets"]["get"]}
    old = write_spec(tmp_path / "old", minimal({"/pets": pets}, {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}))
    new = write_spec(tmp_path / "new", PETS)
    config = Config(spec=new, output=tmp_path / "out", package_name="pets")
    assert main(["generate", str(new), "-o", str(tmp_path / "out"), "--package-name", "pets", "-q"]) == 3
    assert run_check([config]) == 0  # in sync: what generate wrote, skipped pieces left out
    assert "in sync" in capsys.readouterr().out
    result = diff(DiffInput("old", Config(spec=old)), DiffInput("new", Config(spec=new)))
    assert len(result.notes) == 1 and result.notes[0].startswith("new (new): 4 broken $ref(s) left schemas or operations out")
