"""Swagger 2.0 documents are converted to OpenAPI 3.0 by the loader, then generated as usual."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import Config, build
from generator.diagnostics import Diagnostics, Level
from generator.loader import load
from generator.loader.swagger2 import convert
from tests.conftest import write_spec

PET = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "id": {"type": "integer", "format": "int64", "readOnly": True},
        "name": {"type": "string"},
        "tag": {"type": "string", "x-nullable": True},
        "owner": {"$ref": "#/definitions/Owner"},
    },
}
SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1.0"},
    "host": "pets.test",
    "basePath": "/v1",
    "schemes": ["http", "https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": {"read": "read"}},
        "basic": {"type": "basic"},
    },
    "security": [{"key": []}],
    "definitions": {
        "Pet": PET,
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Animal": {"type": "object", "discriminator": "kind", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
    },
    "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "default": 20},
        "petBody": {"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
    },
    "responses": {"NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Owner"}}},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {"$ref": "#/parameters/limit"},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "csv"},
                ],
                "responses": {
                    "200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}, "headers": {"X-Total": {"type": "integer"}}},
                    "404": {"$ref": "#/responses/NotFound"},
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "parameters": [{"$ref": "#/parameters/petBody"}],
                "responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}},
            },
        },
        "/pets/{petId}/photo": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "type": "string"}],
            "post": {
                "operationId": "uploadPhoto",
                "tags": ["pets"],
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string"},
                ],
                "responses": {"204": {"description": "stored"}},
            },
        },
        "/pets/{petId}/rename": {
            "post": {
                "operationId": "renamePet",
                "tags": ["pets"],
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "type": "string"},
                    {"name": "name", "in": "formData", "type": "string", "required": True},
                ],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}},
            },
        },
    },
}


def test_conversion_to_openapi_3(tmp_path: Path) -> None:
    loaded = load(write_spec(tmp_path, SWAGGER))
    assert not loaded.has_errors, [d.format() for d in loaded.diagnostics]
    assert loaded.converted_from == "2.0" and loaded.minor == 0
    doc = loaded.document
    assert doc["openapi"] == "3.0.3"
    assert [s["url"] for s in doc["servers"]] == ["https://pets.test/v1", "http://pets.test/v1"]
    comps = doc["components"]
    assert set(comps["schemas"]) == {"Pet", "Owner", "Animal"}
    assert comps["schemas"]["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert comps["schemas"]["Pet"]["properties"]["tag"] == {"type": "string", "nullable": True}
    assert comps["schemas"]["Animal"]["discriminator"] == {"propertyName": "kind"}
    assert set(comps["parameters"]) == {"limit"}  # body parameters are inlined where used
    assert comps["parameters"]["limit"]["schema"] == {"type": "integer", "default": 20}
    assert comps["responses"]["NotFound"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Owner"}
    schemes = comps["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert schemes["oauth"]["flows"]["authorizationCode"]["tokenUrl"] == "https://a.test/token"
    pets = doc["paths"]["/pets"]
    tags, ids = pets["get"]["parameters"][1:]
    assert (tags["style"], tags["explode"], ids["style"], ids["explode"]) == ("form", True, "form", False)
    assert pets["get"]["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert pets["get"]["responses"]["200"]["headers"]["X-Total"]["schema"] == {"type": "integer"}
    assert pets["post"]["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    photo = doc["paths"]["/pets/{petId}/photo"]
    assert photo["parameters"][0]["schema"] == {"type": "string"}
    form = photo["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"} and form["required"] == ["file"]


def test_generated_client_speaks_the_swagger_api(generated: Any) -> None:
    pkg, result = generated(SWAGGER, client_name="Pets")
    assert result.operations == 4
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/photo"):
            return httpx.Response(204)
        if request.method == "GET":
            return httpx.Response(200, json=[{"id": 1, "name": "Rex", "tag": None}])
        return httpx.Response(200, json={"id": 2, "name": "Tom"})

    client = pkg.Pets(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    pets = client.pets.list_pets(tags=["a", "b"], ids=[1, 2])
    assert pets[0].name == "Rex" and pets[0].tag is None
    req = seen[-1]
    assert str(req.url).startswith("https://pets.test/v1/pets?") and req.headers["X-Key"] == "k"
    assert req.url.params.get_list("tags") == ["a", "b"] and req.url.params["ids"] == "1,2"
    assert client.pets.create_pet(name="Tom").id == 2
    assert json.loads(seen[-1].content) == {"name": "Tom"}
    client.pets.upload_photo("p1", file=b"\x89PNG", caption="hi")
    assert seen[-1].headers["content-type"].startswith("multipart/form-data") and b"\x89PNG" in seen[-1].content
    client.pets.rename_pet("p1", name="Max")
    assert seen[-1].headers["content-type"] == "application/x-www-form-urlencoded" and seen[-1].content == b"name=Max"


def test_diagnostics_point_into_the_swagger_document(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(SWAGGER))
    doc["definitions"]["Owner"]["properties"]["name"] = {"type": "strin"}
    result = build(Config(spec=write_spec(tmp_path, doc), output=tmp_path / "out", package_name="pets"))
    pointers = [d.pointer for d in result.diagnostics]
    here = "/definitions/Owner/properties/name/type"
    # from the validator (loader) and from the IR, both mapped back from /components/schemas
    assert any(d.pointer == here and d.message.startswith("invalid OpenAPI") for d in result.diagnostics)
    assert any(d.pointer == here and d.message.startswith("unknown schema type") for d in result.diagnostics)
    assert not any(p.startswith("/components") for p in pointers), pointers


def test_lossy_steps_are_warnings_and_other_swagger_versions_are_refused(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(SWAGGER))
    doc["paths"]["/pets"]["get"]["parameters"][2]["collectionFormat"] = "tsv"
    doc["securityDefinitions"]["odd"] = {"type": "custom"}
    loaded = load(write_spec(tmp_path / "a", doc))
    warnings = [d for d in loaded.diagnostics if d.level is Level.WARNING]
    assert any("tsv" in d.message and d.pointer == "/paths/~1pets/get/parameters" for d in warnings)
    assert any(d.pointer == "/securityDefinitions/odd" for d in warnings)
    old = load(write_spec(tmp_path / "b", {"swagger": "1.2", "info": {"title": "t", "version": "1"}, "paths": {}}))
    assert old.has_errors and "Swagger 1.2" in old.diagnostics[0].message


def test_swagger_without_host_gets_a_relative_server(tmp_path: Path) -> None:
    doc = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "basePath": "api", "paths": {}}
    loaded = load(write_spec(tmp_path, doc))
    assert loaded.document["servers"] == [{"url": "/api"}]
    doc["host"] = "https://api.test/"
    assert load(write_spec(tmp_path, doc)).document["servers"] == [{"url": "https://api.test/api"}]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["#/definitions/Pet", "#/parameters/petBody", "file", "body", "formData", "array"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["type", "in", "name", "schema", "$ref", "items", "collectionFormat", "x-nullable", "discriminator", "flow", "200", "get"]), inner, max_size=4),
    max_leaves=12,
)
FIELDS = [
    ("paths",),
    ("paths", "/pets"),
    ("paths", "/pets", "get"),
    ("paths", "/pets", "get", "parameters"),
    ("paths", "/pets", "get", "responses"),
    ("paths", "/pets", "get", "responses", "200"),
    ("paths", "/pets/{petId}/photo", "parameters"),
    ("paths", "/pets/{petId}/photo", "post", "parameters", 0),
    ("definitions",),
    ("definitions", "Pet"),
    ("parameters",),
    ("parameters", "petBody"),
    ("responses",),
    ("securityDefinitions",),
    ("securityDefinitions", "oauth"),
    ("host",),
    ("basePath",),
    ("schemes",),
    ("consumes",),
    ("produces",),
    ("info",),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=JSON)
def test_conversion_never_raises_on_odd_documents(tmp_path: Path, field: tuple[Any, ...], value: Any) -> None:
    doc = json.loads(json.dumps(SWAGGER))
    node = doc
    for key in field[:-1]:
        node = node[key]
    node[field[-1]] = value
    converted = convert(doc, Diagnostics(), "openapi.yaml")
    assert converted["openapi"] == "3.0.3"
    json.dumps(converted)  # plain data all the way down


def test_swagger_split_over_files(tmp_path: Path) -> None:
    folder = tmp_path
    write_spec(folder, {"definitions": {"Owner": {"type": "object", "properties": {"name": {"type": "string", "x-nullable": True}}}}}, "defs.yaml")
    write_spec(folder, {"type": "object", "properties": {"owner": {"$ref": "defs.yaml#/definitions/Owner"}, "photo": {"type": "file"}}}, "pet.yaml")
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "pets.test",
        "paths": {"/pet": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "pet.yaml"}}}}}},
    }
    loaded = load(write_spec(folder, doc))
    assert not loaded.has_errors, [d.format() for d in loaded.diagnostics]
    ws = loaded.workspace.documents
    assert ws["defs.yaml"]["components"]["schemas"]["Owner"]["properties"]["name"] == {"type": "string", "nullable": True}
    assert ws["pet.yaml"]["properties"]["owner"] == {"$ref": "defs.yaml#/components/schemas/Owner"}
    assert ws["pet.yaml"]["properties"]["photo"] == {"type": "string", "format": "binary"}


def test_a_bare_schema_name_as_ref_is_that_schema(tmp_path: Path) -> None:
    """``$ref: Product`` (the OpenAPI Initiative's own 2.0 Uber example) names no file but a
    definition: read as ``#/definitions/Product`` with a warning, and nothing is skipped; a
    name that is neither a file nor a schema stays a broken ``$ref``."""
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/products": {
                "get": {
                    "operationId": "products",
                    "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "Product"}}}},
                }
            },
            "/lost": {"get": {"operationId": "lost", "responses": {"200": {"description": "ok", "schema": {"$ref": "Nope"}}}}},
        },
        "definitions": {"Product": {"type": "object", "properties": {"id": {"type": "string"}}}},
    }
    result = build(Config(spec=write_spec(tmp_path, doc), output=tmp_path / "out", package_name="bare"))
    warned = [d for d in result.diagnostics if "names no file but a schema" in d.message]
    assert [(d.pointer, d.level) for d in warned] == [
        ("/paths/~1products/get/responses/200/schema/items/$ref", Level.WARNING)
    ]
    assert "read as '#/definitions/Product'" in warned[0].message
    assert [d.pointer for d in result.skipped] == ["/paths/~1lost/get/responses/200/schema/$ref"]
    assert "def products(" in result.files["bare/resources/products.py"].decode()
