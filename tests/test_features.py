"""Feature cases: an inline spec, generated into a temp dir, imported and exercised."""

from __future__ import annotations

import importlib
import inspect
import json
import typing
from typing import Any

import httpx
import pydantic
import pytest

from tests.conftest import minimal


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def sync_client(pkg: Any, handler: Any, **kwargs: Any) -> Any:
    name = next(n for n in pkg.__all__ if isinstance(getattr(pkg, n), type) and hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    return getattr(pkg, name)(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


NULLABLE_30 = {"type": "object", "properties": {"a": {"type": "string", "nullable": True}, "b": {"type": "integer"}}, "required": ["a"]}
NULLABLE_31 = {"type": "object", "properties": {"a": {"type": ["string", "null"]}, "b": {"type": "integer"}}, "required": ["a"]}


@pytest.mark.parametrize(("version", "schema"), [("3.0.3", NULLABLE_30), ("3.1.0", NULLABLE_31)])
def test_nullable_forms_normalize_to_the_same_model(generated: Any, version: str, schema: dict[str, Any]) -> None:
    pkg, result = generated(minimal(schemas={"Thing": schema}, version=version))
    Thing = pkg.types.Thing
    assert Thing.model_validate({"a": None}).a is None
    with pytest.raises(pydantic.ValidationError):
        Thing.model_validate({"b": 1})  # required "a" missing
    source = (result.package_dir / result.package_dir.name / "types" / "thing.py").read_text()
    assert "a: Optional[str]\n" in source and "b: Optional[int] = None" in source


def test_const_enum_allof_additional_properties(generated: Any) -> None:
    schemas = {
        "Base": {"type": "object", "properties": {"id": {"type": "string"}, "kind": {"const": "base"}}, "required": ["id"]},
        "Derived": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"extra": {"type": "number", "exclusiveMinimum": 0}}, "required": ["extra"]}]},
        "Color": {"type": "string", "enum": ["red", "green"]},
        "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "Painted": {"type": "object", "properties": {"color": {"$ref": "#/components/schemas/Color"}, "labels": {"$ref": "#/components/schemas/Labels"}}},
    }
    pkg, _ = generated(minimal(schemas=schemas))
    t = pkg.types
    d = t.Derived.model_validate({"id": "1", "kind": "base", "extra": 2.5})
    assert (d.id, d.extra) == ("1", 2.5)
    with pytest.raises(pydantic.ValidationError):
        t.Derived.model_validate({"id": "1"})  # "extra" required through allOf
    with pytest.raises(pydantic.ValidationError):
        t.Base.model_validate({"id": "1", "kind": "other"})  # const is closed
    assert typing.get_args(t.Color) == ("red", "green")
    painted = t.Painted.model_validate({"color": "ultraviolet", "labels": {"a": "b"}})
    assert painted.color == "ultraviolet"  # unknown enum value from a newer server is kept
    assert painted.labels == {"a": "b"}


def test_unions_with_and_without_discriminator_keep_unknown_variants(generated: Any) -> None:
    schemas = {
        "Cat": {"type": "object", "properties": {"type": {"const": "cat"}, "meows": {"type": "boolean"}}, "required": ["type", "meows"]},
        "Dog": {"type": "object", "properties": {"type": {"const": "dog"}, "barks": {"type": "boolean"}}, "required": ["type", "barks"]},
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "type"}},
        "Id": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}, "id": {"$ref": "#/components/schemas/Id"}}},
    }
    pkg, _ = generated(minimal(schemas=schemas))
    owner = pkg.types.Owner.model_validate({"pet": {"type": "dog", "barks": True}, "id": 7})
    assert type(owner.pet).__name__ == "Dog" and owner.id == 7
    unknown = pkg.types.Owner.model_validate({"pet": {"type": "parrot", "talks": True}})
    assert unknown.pet == {"type": "parrot", "talks": True}


def test_an_inline_tagged_union_response_is_validated_by_one_cached_validator(generated: Any) -> None:
    """The return type is written out at each call; it must still be the same type to the
    runtime's validator cache (one TypeAdapter, not one per call)."""
    schemas = {
        "Cat": {"type": "object", "properties": {"type": {"const": "cat"}}, "required": ["type"]},
        "Dog": {"type": "object", "properties": {"type": {"const": "dog"}}, "required": ["type"]},
    }
    union = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "type"}}
    paths = {"/pet": {"get": {"operationId": "pets.get", "tags": ["pets"], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": union}}}}}}}
    pkg, _ = generated(minimal(paths=paths, schemas=schemas))
    client = sync_client(pkg, lambda request: httpx.Response(200, json={"type": "dog"}))
    results = [client.pets.get() for _ in range(3)]
    assert [type(r).__name__ for r in results] == ["Dog"] * 3
    cache = importlib.import_module(pkg.__name__ + "._serde")._validator.cache_info()
    assert (cache.misses, cache.hits) == (1, 2)


def test_recursive_and_mutually_recursive_schemas(generated: Any) -> None:
    schemas = {
        "Node": {"type": "object", "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}, "n": {"type": "integer"}}},
    }
    pkg, _ = generated(minimal(schemas=schemas))
    node = pkg.types.Node.model_validate({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]})
    assert node.children[0].children[0].value == 3
    a = pkg.types.A.model_validate({"b": {"a": {"b": {"n": 5}}}})
    assert a.b.a.b.n == 5


def test_inline_schemas_get_stable_names(generated: Any) -> None:
    schemas = {"Order": {"type": "object", "properties": {"lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}}, "address": {"type": "object", "properties": {"city": {"type": "string"}}}}}}
    pkg, _ = generated(minimal(schemas=schemas))
    assert {"Order", "OrderLinesItem", "OrderAddress"} <= set(pkg.types.__all__)


def test_wire_names_are_kept_as_aliases(generated: Any) -> None:
    schemas = {"M": {"type": "object", "properties": {"fooBar": {"type": "string"}, "foo_bar": {"type": "string"}, "class": {"type": "string"}, "json": {"type": "string"}}}}
    pkg, _ = generated(minimal(schemas=schemas))
    m = pkg.types.M.model_validate({"fooBar": "1", "foo_bar": "2", "class": "3", "json": "4"})
    assert m.foo_bar == "2" and m.class_ == "3"
    assert m.to_dict() == {"fooBar": "1", "foo_bar": "2", "class": "3", "json": "4"}


def test_method_shape_and_omitted_vs_null(generated: Any) -> None:
    paths = {
        "/items/{item_id}": {
            "put": {
                "operationId": "items.update",
                "tags": ["items"],
                "parameters": [
                    {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "dry-run", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "note": {"type": ["string", "null"]}}}}}},
                "responses": ok({"type": "object", "properties": {"name": {"type": "string"}}}),
            }
        }
    }
    pkg, _ = generated(minimal(paths=paths))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"name": "n", "new": 1})

    client = sync_client(pkg, handler)
    sig = inspect.signature(client.items.update)
    kinds = {n: p.kind for n, p in sig.parameters.items()}
    assert kinds["item_id"] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(kinds[n] is inspect.Parameter.KEYWORD_ONLY for n in ("dry_run", "x_trace", "name", "note", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries"))
    out = client.items.update("a/b", name="n", dry_run=True, x_trace="t")
    req = seen[-1]
    assert req.method == "PUT" and req.url.raw_path == b"/items/a%2Fb?dry-run=true"
    assert req.headers["X-Trace"] == "t"
    assert json.loads(req.content) == {"name": "n"}  # note omitted entirely
    assert out.name == "n" and out.model_extra == {"new": 1}
    client.items.update("x", name="n", note=None, extra_body={"more": 1})
    assert json.loads(seen[-1].content) == {"name": "n", "note": None, "more": 1}


def test_exclusive_minimum_forms_load_cleanly(generated: Any) -> None:
    s30 = minimal(version="3.0.3", schemas={"N": {"type": "object", "properties": {"x": {"type": "number", "minimum": 0, "exclusiveMinimum": True}}}})
    s31 = minimal(schemas={"N": {"type": "object", "properties": {"x": {"type": "number", "exclusiveMinimum": 0}}}})
    for spec in (s30, s31):
        pkg, result = generated(spec)
        assert not list(result.diagnostics)
        assert pkg.types.N.model_validate({"x": 1.5}).x == 1.5


def test_cookie_parameters_travel_in_the_cookie_header(generated: Any) -> None:
    params = [
        {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}},
        {"name": "beta", "in": "cookie", "schema": {"type": "boolean"}},
        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
    ]
    spec = minimal({"/me": {"get": {"operationId": "me", "parameters": params, "responses": {"204": {"description": "ok"}}}}})
    pkg, _ = generated(spec)
    seen: list[httpx.Request] = []
    client = sync_client(pkg, lambda r: seen.append(r) or httpx.Response(204))
    resource = next(getattr(client, a) for a in dir(client) if hasattr(getattr(type(client), a, None), "__get__") and not a.startswith("_") and hasattr(getattr(client, a), "me"))
    resource.me(session="a b;c", beta=True, x_trace="t")
    resource.me(session="s")
    assert seen[0].headers["Cookie"] == "session=a%20b%3Bc; beta=true"
    assert seen[0].headers["X-Trace"] == "t" and "session" not in seen[0].headers
    assert seen[1].headers["Cookie"] == "session=s"


def test_every_success_response_is_generated_or_named(generated: Any) -> None:
    def body(ref: str) -> dict[str, Any]:
        return {"description": "ok", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}

    responses = {
        "200": body("Done"),
        "202": body("Accepted"),
        "204": {"description": "nothing"},
        "207": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
        "307": {"description": "moved", "content": {"application/json": {"schema": {"type": "object"}}}},
    }
    schemas = {
        "Done": {"type": "object", "properties": {"result": {"type": "string"}}, "required": ["result"]},
        "Accepted": {"type": "object", "properties": {"job": {"type": "string"}}, "required": ["job"]},
    }
    pkg, result = generated(minimal({"/run": {"post": {"operationId": "jobs.run", "tags": ["jobs"], "responses": responses}}}, schemas))
    warnings = [(d.pointer, d.message) for d in result.diagnostics]
    assert any(p.endswith("/responses/207") and "not generated" in m for p, m in warnings)
    assert any(p.endswith("/responses/307") and "redirects are followed" in m for p, m in warnings)
    answers = iter([httpx.Response(200, json={"result": "r"}), httpx.Response(202, json={"job": "j"}), httpx.Response(204)])
    client = sync_client(pkg, lambda request: next(answers))
    done, accepted, nothing = client.jobs.run(), client.jobs.run(), client.jobs.run()
    assert (type(done).__name__, done.result) == ("Done", "r")
    assert (type(accepted).__name__, accepted.job) == ("Accepted", "j")
    assert nothing is None
    hints = typing.get_type_hints(type(client.jobs).run)
    assert hints["return"] == typing.Union[pkg.types.Done, pkg.types.Accepted, typing.Dict[str, typing.Any], None]


def test_untagged_operations_are_grouped_by_collection(generated: Any) -> None:
    ok_empty = {"204": {"description": "ok"}}
    paths = {
        "/v1/customers": {"get": {"operationId": "listCustomers", "responses": ok_empty}},
        "/v1/customers/{id}": {"get": {"operationId": "getCustomer", "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}], "responses": ok_empty}},
        "/api/v2/charges": {"post": {"operationId": "createCharge", "responses": ok_empty}},
        "/{tenant}": {"get": {"operationId": "root", "parameters": [{"name": "tenant", "in": "path", "required": True, "schema": {"type": "string"}}], "responses": ok_empty}},
    }
    pkg, _ = generated(minimal(paths))
    client = sync_client(pkg, lambda request: httpx.Response(204))
    assert hasattr(client.customers, "list_customers") and hasattr(client.customers, "get_customer")
    assert hasattr(client.charges, "create_charge") and hasattr(client.default, "root")
