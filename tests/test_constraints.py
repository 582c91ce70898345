"""Value constraints (issue #16): ``minLength``, ``maximum``, ``pattern``, ``uniqueItems``...
are checked as JSON Schema says on what the caller builds (models, method arguments, before
anything is sent), and not on responses; what the SDK cannot check is a warning at the keyword."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml

from tests.conftest import minimal, valid
from tests.support.contract import Answer
from tests.support.sockets import serve_http

CASE = yaml.safe_load((Path(__file__).parent / "data" / "schema-cases" / "constraints.yaml").read_text())


@pytest.fixture
def pkg(generated: Any) -> Any:
    package, result = generated(CASE, package_name="cons_sdk")
    assert not [d for d in result.diagnostics if d.level.name != "INFO"], result.diagnostics
    return package


def test_strings(pkg: Any) -> None:
    t = pkg.types
    assert valid(t.Code, "ab-12") and not valid(t.Code, "ab-1") and not valid(t.Code, "AB-12")
    assert valid(t.Short, "a") and valid(t.Short, "ééééé") and not valid(t.Short, "") and not valid(t.Short, "abcdef")
    assert valid(t.MaybeShort, None) and valid(t.MaybeShort, "abc") and not valid(t.MaybeShort, "abcd")


def test_numbers(pkg: Any) -> None:
    t = pkg.types
    assert valid(t.Percent, 99.5) and not valid(t.Percent, 99.3) and not valid(t.Percent, 100.5)
    assert not valid(t.Percent, -0.5)
    assert valid(t.Even, -8) and not valid(t.Even, -10) and not valid(t.Even, 3)
    # each keyword applies to its own JSON type only
    assert valid(t.NumberOrText, 9) and not valid(t.NumberOrText, 10)
    assert valid(t.NumberOrText, "hello world") and not valid(t.NumberOrText, "h")


def test_arrays_and_maps(pkg: Any) -> None:
    t = pkg.types
    assert valid(t.Tags, ["a", "b"]) and not valid(t.Tags, []) and not valid(t.Tags, ["a", "a"])
    assert not valid(t.Tags, ["a", "b", "c", "d", "e"]) and not valid(t.Tags, ["abcd"])
    assert valid(t.Labels, {"a": 1}) and not valid(t.Labels, {}) and not valid(t.Labels, {"a": -1})
    assert not valid(t.Labels, {"a": 1, "b": 2, "c": 3, "d": 4})


def test_model_fields_and_json_schema(pkg: Any) -> None:
    thing = pkg.types.Thing
    assert valid(thing, {"code": "ab-12", "size": 3, "short": "abc", "nick": None})
    for bad in ({"size": 11}, {"size": 0}, {"name": "x"}, {"scores": [1.5]}, {"short": "abcd"}, {"nick": "A"}):
        assert not valid(thing, {"code": "ab-12", "size": 3, **bad}), bad
    with pytest.raises(pydantic.ValidationError, match="greater than the maximum 10"):
        thing(code="ab-12", size=12)
    schema = thing.model_json_schema()
    assert schema["properties"]["size"]["maximum"] == 10 and schema["properties"]["size"]["minimum"] == 1


def test_objects_limited_as_a_whole(pkg: Any) -> None:
    """additionalProperties: false (and unevaluatedProperties: false over an allOf) close a
    model; minProperties/maxProperties count the properties present.  Responses keep what a
    newer server sends."""
    t = pkg.types
    assert valid(t.Closed, {"a": "x"}) and not valid(t.Closed, {"a": "x", "z": 1})
    with pytest.raises(pydantic.ValidationError, match="Closed has no property 'z'"):
        t.Closed(a="x", z=1)
    assert valid(t.Sealed, {"id": "1", "name": "n"}) and not valid(t.Sealed, {"id": "1", "other": 2})
    assert valid(t.Base, {"id": "1", "other": 2})  # open: only the allOf that says so is closed
    assert valid(t.Counted, {"a": "1"}) and valid(t.Counted, {"a": "1", "b": None})
    assert not valid(t.Counted, {}) and not valid(t.Counted, {"a": "1", "b": "2", "c": "3"})
    context = sys.modules["cons_sdk._constraints"].RESPONSE_CONTEXT
    assert t.Closed.model_validate({"a": "x", "z": 1}, context=context).model_extra == {"z": 1}
    assert t.Counted.model_validate({}, context=context).a is None


def test_required_only_variants_are_checked_exactly(pkg: Any) -> None:
    """A oneOf/anyOf of required lists beside the properties (the "one of these fields"
    idiom): exactly one (oneOf) or at least one (anyOf) must hold, by wire name; no warning."""
    t = pkg.types
    assert valid(t.Contact, {"email": "a"}) and valid(t.Contact, {"phone-number": "1"})
    assert not valid(t.Contact, {}) and not valid(t.Contact, {"email": "a", "phone-number": "1"})
    assert valid(t.AnyContact, {"email": "a", "phone": "1"}) and not valid(t.AnyContact, {})
    with pytest.raises(pydantic.ValidationError, match="exactly one of email or phone-number"):
        t.Contact(email="a", phone_number="1")
    context = sys.modules["cons_sdk._constraints"].RESPONSE_CONTEXT
    assert t.Contact.model_validate({}, context=context).email is None


def _thing_server(seen: list[str]) -> Any:
    def handle(method: str, target: str, headers: Any, body: bytes) -> Answer:
        seen.append(target)
        # a server that breaks its own constraints: size 99, a name of one character
        answer = {"code": "NOT A CODE", "size": 99, "name": "x", "tags": ["dup", "dup"]}
        return Answer(200, {"Content-Type": "application/json"}, json.dumps(answer).encode())

    return serve_http(handle)


def test_arguments_are_checked_before_sending_and_responses_are_not(pkg: Any) -> None:
    seen: list[str] = []
    with _thing_server(seen) as url:
        client = pkg.ConsSdk(base_url=url) if hasattr(pkg, "ConsSdk") else None
        assert client is not None, pkg.__all__
        thing = client.things.make_thing("ABC", name="ok", limit=5, tags=["a"])
        assert thing.size == 99 and thing.tags == ["dup", "dup"]  # the response is read as sent
        assert len(seen) == 1
        for kwargs, argument in (
            ({"code": "abc", "name": "ok"}, "code"),
            ({"code": "ABC", "name": "ok", "limit": 101}, "limit"),
            ({"code": "ABC", "name": "ok", "tags": ["abcde"]}, "tags"),
            ({"code": "ABC", "name": "ok", "tags": ["a", "b", "c", "d"]}, "tags"),
            ({"code": "ABC", "name": "o"}, "name"),
            ({"code": "ABC", "name": "ok", "ratio": 1}, "ratio"),
        ):
            with pytest.raises(pkg.InvalidArgumentError) as caught:
                client.things.make_thing(**kwargs)
            assert caught.value.argument == argument and isinstance(caught.value, ValueError)
        assert len(seen) == 1  # nothing was sent
        doc = " ".join((client.things.make_thing.__doc__ or "").split())
        assert "limit: At least 1, at most 100." in doc and "name: At least 2 characters, at most 8 characters." in doc


async def test_async_arguments_are_checked(pkg: Any) -> None:
    seen: list[str] = []
    with _thing_server(seen) as url:
        async with pkg.AsyncConsSdk(base_url=url) as client:
            assert (await client.things.make_thing("ABC", name="ok")).size == 99
            with pytest.raises(pkg.InvalidArgumentError, match=r"limit: .*less than the minimum 1"):
                await client.things.make_thing("ABC", name="ok", limit=0)
    assert len(seen) == 1


def test_openapi_30_boolean_exclusive_bounds(generated: Any) -> None:
    spec = minimal(
        schemas={
            "Above": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
            "Below": {"type": "integer", "maximum": 5, "exclusiveMaximum": False},
        },
        version="3.0.3",
    )
    pkg, _ = generated(spec)
    assert valid(pkg.types.Above, 0.1) and not valid(pkg.types.Above, 0)
    assert valid(pkg.types.Below, 5) and not valid(pkg.types.Below, 6)


def test_what_cannot_be_checked_is_a_warning(generated: Any) -> None:
    spec = minimal(
        schemas={
            "Lookbehind": {"type": "string", "pattern": "\\p{L}+"},  # ECMA-262, not a Python pattern
            "Negative": {"type": "string", "maxLength": -1},
            "Counted": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Holder": {
                "type": "object",
                "properties": {"inner": {"$ref": "#/components/schemas/Counted", "minProperties": 1}},
            },
            "Colour": {"type": "string", "enum": ["red", "blue"], "maxLength": 3},
        }
    )
    pkg, result = generated(spec)
    found: dict[str, str] = {}
    for d in result.diagnostics:
        found[d.pointer] = found.get(d.pointer, "") + d.message
    assert "Python cannot read the pattern" in found["/components/schemas/Lookbehind/pattern"]
    assert "must be a count" in found["/components/schemas/Negative/maxLength"]
    assert "beside a reference" in found["/components/schemas/Holder/properties/inner/minProperties"]
    assert "'blue'" in found["/components/schemas/Colour"]
    assert valid(pkg.types.Lookbehind, "anything")


def test_ref_siblings_in_31(generated: Any) -> None:
    spec = minimal(
        schemas={
            "Name": {"type": "string"},
            "Holder": {
                "type": "object",
                "properties": {"short": {"$ref": "#/components/schemas/Name", "maxLength": 2}},
            },
        }
    )
    pkg, _ = generated(spec)
    assert valid(pkg.types.Holder, {"short": "ab"}) and not valid(pkg.types.Holder, {"short": "abc"})
    assert valid(pkg.types.Name, "abc")


def test_a_body_property_named_like_nothing_is_not_the_whole_body(generated: Any) -> None:
    """A property whose wire name is ``""`` is one property, not the whole body (found by CI)."""
    body = {
        "type": "object",
        "properties": {"": {"type": "string", "maxLength": 2}, "body": {"type": "string", "minLength": 1}},
    }
    whole = {"type": "string", "maxLength": 3}
    paths = {
        "/props": {"post": _posting("props", body)},
        "/whole": {"post": _posting("whole", whole)},
    }
    pkg, _ = generated(minimal(paths=paths), package_name="calls_sdk")
    seen: list[bytes] = []

    def handle(method: str, target: str, headers: Any, sent: bytes) -> Answer:
        seen.append(sent)
        return Answer(204, {}, b"")

    with serve_http(handle) as url:
        client = pkg.CallsSdk(base_url=url).calls
        client.props(body="x")
        client.whole(body="abc")
        assert [json.loads(s) for s in seen] == [{"body": "x"}, "abc"]
        calls = (
            (lambda: client.props(body=""), "body"),
            (lambda: client.props(param="abc", body="x"), "param"),
            (lambda: client.whole(body="abcd"), "body"),
        )
        for call, argument in calls:
            with pytest.raises(pkg.InvalidArgumentError) as caught:
                call()
            assert caught.value.argument == argument
        assert len(seen) == 2


def _posting(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": name,
        "tags": ["calls"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {"204": {"description": "none"}},
    }
