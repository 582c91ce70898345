from __future__ import annotations

import keyword

import pytest

from generator.naming import (
    Scope,
    checked_client_name,
    checked_package_name,
    class_scope,
    convert,
    field_scope,
    module_scope,
    words,
)


@pytest.mark.parametrize(
    ("raw", "snake", "pascal"),
    [
        ("fooBar", "foo_bar", "FooBar"),
        ("HTTPResponseCode", "http_response_code", "HttpResponseCode"),
        ("model_sync.executions", "model_sync_executions", "ModelSyncExecutions"),
        ("X-Polytomic-Version", "x_polytomic_version", "XPolytomicVersion"),
        ("café crème", "cafe_creme", "CafeCreme"),
        ("v2ModelResponse", "v_2_model_response", "V2ModelResponse"),
    ],
)
def test_convert(raw: str, snake: str, pascal: str) -> None:
    assert convert(raw, "snake") == snake
    assert convert(raw, "pascal") == pascal


def test_non_ascii_becomes_ascii_and_distinct() -> None:
    a, b = field_scope().mint_list(["名前", "名字"])
    assert a.isascii() and b.isascii() and a != b


def test_keywords_builtins_and_pydantic_names() -> None:
    scope = field_scope(frozenset({"str"}))  # a class whose annotations read ``str``
    names = scope.mint_list(["class", "model_config", "json", "str", "datetime", "_id", "__init__", "2fa", "", "$"])
    assert all(n.isidentifier() and not keyword.iskeyword(n) for n in names)
    assert names[0] == "class_"
    assert "model_config" not in names and "json" not in names and "str" not in names
    assert names[4] == "datetime"  # the class reads no ``datetime``: the wire name stays
    assert names[5] == "id"  # leading underscores dropped (pydantic treats them as private)
    assert names[7].startswith("field_2")
    assert len(set(names)) == len(names)


def test_collisions_after_conversion_are_kept_apart_and_exact_name_wins() -> None:
    scope = Scope(style="snake")
    mapping = scope.mint_all(["fooBar", "foo_bar", "FOO-BAR"])
    assert mapping["foo_bar"] == "foo_bar"
    assert len(set(mapping.values())) == 3


def test_case_insensitive_module_scope_and_windows_names() -> None:
    scope = module_scope()
    a, b, c = scope.mint_list(["Pet", "pet", "con"])
    assert a.casefold() != b.casefold()
    assert c != "con"


def test_class_scope_reserves_typing_names() -> None:
    scope = class_scope()
    assert scope.mint("List") != "List"
    assert scope.mint("None") != "None"


def test_long_names_are_capped_and_unique() -> None:
    scope = Scope(style="snake")
    a = scope.mint("x" * 300 + "a")
    b = scope.mint("x" * 300 + "b")
    assert len(a) <= 80 and len(b) <= 80 and a != b


def test_words_split_digits_and_humps() -> None:
    assert words("getHTTP2Response") == ["get", "http", "2", "response"]


@pytest.mark.parametrize(
    ("wanted", "chosen", "why"),
    [
        ("pet_store", "pet_store", ""),
        ("email", "email_sdk", "would shadow the standard-library module 'email'"),
        ("httpx", "httpx_sdk", "would shadow 'httpx', a module the SDK depends on"),
        ("con", "con_sdk", "is a reserved device name on Windows"),
        ("class", "class_", "is a Python keyword"),
        ("3d", "sdk_3_d", "starts with a digit"),
        ("", "sdk", "is empty"),
        ("!!!", "sdk", "has no letters or digits"),
        ("My-Pkg", "my_pkg", "is not a snake_case Python identifier"),
        (
            "Json",
            "json_sdk",
            "is not a snake_case Python identifier and would shadow the standard-library module 'json'",
        ),
        ("x" * 90, None, "is longer than 80 characters"),
    ],
)
def test_package_names_say_why_they_changed(wanted: str, chosen: str | None, why: str) -> None:
    name, reason = checked_package_name(wanted)
    assert reason == why
    assert name.isidentifier() and (chosen is None or name == chosen)


@pytest.mark.parametrize(
    ("wanted", "chosen", "why"),
    [
        ("Polytomic", "Polytomic", ""),
        ("super", "superClient", "would shadow the builtin 'super'"),
        ("Exception", "ExceptionClient", "would shadow the builtin 'Exception'"),
        ("NotFoundError", "NotFoundErrorClient", "would shadow the SDK's exception class 'NotFoundError'"),
        ("Auth", "AuthClient", "would shadow 'Auth', which the SDK's modules import"),
        ("APIClient", "APIClientClient", "would shadow 'AsyncAPIClient', which the SDK's modules import"),
        ("_Private", "Private", "starts with an underscore"),
        ("class", "Class", "is a Python keyword"),
        ("my client", "MyClient", "is not an ASCII Python identifier"),
        ("Clíent", "Client", "is not an ASCII Python identifier"),
        ("", "Client", "is empty"),
    ],
)
def test_client_names_say_why_they_changed(wanted: str, chosen: str, why: str) -> None:
    assert checked_client_name(wanted) == (chosen, why)
