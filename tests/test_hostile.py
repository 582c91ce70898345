"""Spec text is data, never code: hostile strings planted in every field of a spec cannot change
what the generated Python, TOML or Markdown means, and every wire name and enum value
round-trips exactly.

A hypothesis property test builds one spec per example from a template with a slot in every
textual field (descriptions, summaries, titles, enum values, property/parameter/schema names,
operationIds, tags, defaults, examples, patterns, server URLs, ``x-`` extensions, info fields)
and fills each slot with a string made of hostile fragments: quotes, triple quotes,
backslashes, line breaks of every kind, NUL, bidi controls, Jinja, Markdown fences, TOML
delimiters, and payloads that would create a sentinel file or set a global if they ever ran.
Each example generates the SDK (as YAML or JSON), compiles every module, imports it, calls
every operation sync and async through ``httpx.MockTransport``, and checks the round trip of
every planted wire name and enum value, the pyproject values and the Markdown structure.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import tempfile
import typing
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import tomllib
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.render import runtime_files, template_dir
from generator.render.resources import all_resources
from generator.render.text import _visible, clean_line, comment, docstring, md_code, md_text, py_literal, toml_str
from tests.support.hostile import (
    Sdk,
    build_sdk,
    call,
    call_every_operation,
    client,
    import_every_module,
    markdown_blocks,
    walk,
    write_spec_text,
)

EXAMPLES = int(os.environ.get("SDKGEN_HOSTILE_EXAMPLES", "40"))
SENTINEL = Path(tempfile.gettempdir()) / "sdkgen-hostile-sentinel"
MARK = "SDKGEN_PWNED"
PAYLOADS = [
    f"__import__('pathlib').Path({str(SENTINEL)!r}).touch()",
    f"setattr(__import__('builtins'), {MARK!r}, 1)",
    "raise SystemExit('planted code ran')",
    f"{{{{ cycler.__init__.__globals__.os.system('touch {SENTINEL}') }}}}",
    f"{{% set x = cycler.__init__.__globals__.os.system('touch {SENTINEL}') %}}",
]
FRAGMENTS = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\\x00",
    "\\N{BULLET}",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "{{ 7*7 }}",
    "{% raw %}",
    "{#",
    "# ",
    "```",
    "~~~",
    "```python\n",
    "\n```\n",
    "]]",
    "[[",
    "[x](javascript:alert(1))",
    "</details>",
    "<script>",
    "*/",
    "${x}",
    "%s",
    "{0}",
    ")",
    "]",
    "}",
    ";",
    "é",
    "名",
    "\U0001d538",
    *PAYLOADS,
    *(f'"""\n{p}\n"""' for p in PAYLOADS[:3]),
    *(f"'\n{p}\n#" for p in PAYLOADS[:3]),
    *(f'"),\n{p}\n("' for p in PAYLOADS[:3]),
    *(f"\r{p}\r" for p in PAYLOADS[:3]),
    *(f"\u2028{p}\u2029" for p in PAYLOADS[:3]),
]
# Plain characters between fragments; no lone surrogates (not Unicode, refused elsewhere).
_CHARS = st.characters(exclude_categories=("Cs",), max_codepoint=0x2FFFF)
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_CHARS, max_size=3)), min_size=1, max_size=5).map(
    "".join
)

# Slots of the template: every textual field of the spec.
SLOTS = [
    "title",
    "version",
    "description",
    "summary",
    "terms",
    "contact_name",
    "contact_url",
    "contact_email",
    "license_name",
    "license_url",
    "x_info",
    "server_url",
    "server_description",
    "server_var",
    "tag",
    "tag_description",
    "tag2",
    "op_id",
    "op_summary",
    "op_description",
    "op2_id",
    "op2_summary",
    "path_literal",
    "path_param",
    "query_param",
    "query_description",
    "query_default",
    "query_example",
    "query_pattern",
    "enum_a",
    "enum_b",
    "enum_c",
    "schema_name",
    "schema_title",
    "schema_description",
    "enum_schema_name",
    "prop_a",
    "prop_b",
    "prop_c",
    "prop_description",
    "prop_default",
    "prop_example",
    "prop_pattern",
    "map_key",
    "variant_a",
    "variant_b",
    "disc_prop",
    "x_key",
    "x_value",
    "response_description",
    "error_description",
    "security_name",
    "security_query",
    "security_description",
    "header_param",
    "media_type",
]


def hostile_spec(s: dict[str, str]) -> dict[str, Any]:
    """The template; ``s[slot]`` is the string planted in each slot."""

    def ref(name: str) -> dict[str, str]:
        token = name.replace("~", "~0").replace("/", "~1")
        return {"$ref": "#/components/schemas/" + "".join(c if c.isalnum() or c in "-._~" else _pct(c) for c in token)}

    enum_values = list(dict.fromkeys([s["enum_a"], s["enum_b"], s["enum_c"]]))
    extensions = {"x-" + s["x_key"]: s["x_value"], "x-hostile": {s["x_key"]: [s["x_value"]]}}
    props = list(dict.fromkeys([s["prop_a"], s["prop_b"], s["prop_c"]]))
    thing_props: dict[str, Any] = {
        props[0]: {
            "type": "string",
            "description": s["prop_description"],
            "default": s["prop_default"],
            "example": s["prop_example"],
            # "|" at the end: any string matches (where the text reads as a pattern at all), so the
            # sample arguments pass the SDK's checks; the text itself is still printed as data
            "pattern": s["prop_pattern"] + "|",
            "title": s["schema_title"],
            **extensions,
        },
        **{p: {"type": "string"} for p in props[1:]},
        "color": ref(s["enum_schema_name"]),
        "colors": {"type": "array", "items": ref(s["enum_schema_name"])},
        "labels": {"type": "object", "additionalProperties": {"type": "string", "description": s["map_key"]}},
        "pet": {
            "oneOf": [ref("Variant A"), ref("Variant B")],
            "discriminator": {
                "propertyName": s["disc_prop"],
                "mapping": {
                    s["variant_a"]: "#/components/schemas/Variant A",
                    s["variant_b"]: "#/components/schemas/Variant B",
                },
            },
        },
    }
    schemas: dict[str, Any] = {
        s["enum_schema_name"]: {"type": "string", "enum": enum_values, "description": s["description"], **extensions},
        "Variant A": {
            "type": "object",
            "required": [s["disc_prop"]],
            "properties": {s["disc_prop"]: {"type": "string"}},
        },
        "Variant B": {
            "type": "object",
            "required": [s["disc_prop"]],
            "properties": {s["disc_prop"]: {"type": "string"}, "size": {"type": "integer"}},
        },
    }
    schemas.setdefault(
        s["schema_name"],
        {
            "type": "object",
            "title": s["schema_title"],
            "description": s["schema_description"],
            "properties": thing_props,
            "example": {s["prop_a"]: s["prop_example"]},
            **extensions,
        },
    )
    thing = ref(s["schema_name"]) if s["schema_name"] not in (s["enum_schema_name"], "Variant A", "Variant B") else None
    json_thing = {"application/json": {"schema": thing or {"type": "object", "properties": thing_props}}}
    query = {
        "name": s["query_param"],
        "in": "query",
        "description": s["query_description"],
        "schema": {"type": "string", "enum": enum_values, "default": s["query_default"], "pattern": s["query_pattern"]},
        "example": s["query_example"],
        **extensions,
    }
    path = "/things/{" + s["path_param"] + "}/" + s["path_literal"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": s["title"],
            "version": s["version"],
            "description": s["description"],
            "summary": s["summary"],
            "termsOfService": s["terms"],
            "contact": {"name": s["contact_name"], "url": s["contact_url"], "email": s["contact_email"]},
            "license": {"name": s["license_name"], "url": s["license_url"]},
            "x-info": s["x_info"],
        },
        "servers": [
            {
                "url": "https://api.test/{v}",
                "description": s["server_description"],
                "variables": {"v": {"default": s["server_url"], "description": s["server_var"]}},
            }
        ],
        "tags": [{"name": s["tag"], "description": s["tag_description"], **extensions}],
        "security": [{s["security_name"]: []}],
        "paths": {
            path: {
                "summary": s["op_summary"],
                "post": {
                    "operationId": s["op_id"],
                    "tags": [s["tag"]],
                    "summary": s["op_summary"],
                    "description": s["op_description"],
                    "parameters": [
                        {"name": s["path_param"], "in": "path", "required": True, "schema": {"type": "string"}},
                        query,
                        {
                            "name": s["header_param"],
                            "in": "header",
                            "description": s["query_description"],
                            "schema": {"type": "string", "default": s["query_default"]},
                        },
                    ],
                    "requestBody": {"description": s["prop_description"], "content": json_thing},
                    "responses": {
                        "200": {"description": s["response_description"], "content": json_thing},
                        "400": {
                            "description": s["error_description"],
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {s["prop_b"]: {"type": "string"}}}
                                }
                            },
                        },
                    },
                    **extensions,
                },
            },
            "/upload": {
                "put": {
                    "operationId": "upload",
                    "requestBody": {
                        "required": True,
                        "content": {"text/" + s["media_type"]: {"schema": {"type": "string"}}},
                    },
                    "responses": {"204": {"description": s["response_description"]}},
                }
            },
            "/list": {
                "get": {
                    "operationId": s["op2_id"],
                    "tags": [s["tag2"]],
                    "summary": s["op2_summary"],
                    "parameters": [
                        {
                            "name": "page_token",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": s["query_description"],
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": s["response_description"],
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "data": {"type": "array", "items": ref(s["enum_schema_name"])},
                                            "next_page_token": {"type": "string", "description": s["prop_description"]},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                s["security_name"]: {
                    "type": "apiKey",
                    "in": "query",
                    "name": s["security_query"],
                    "description": s["security_description"],
                }
            },
        },
    }


def _pct(ch: str) -> str:
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8"))


def _no_braces(text: str) -> str:
    return text.replace("{", "(").replace("}", ")") or "p"


def _prepare(s: dict[str, str]) -> dict[str, str]:
    """Constraints the template needs: a path parameter name without braces (it sits inside
    ``{...}``), a literal path part without braces (or ``%``, which would make the expected
    wire path ambiguous; nor ``?`` or ``#``, which start a path key's fixed query or fragment:
    tests/test_servers.py), and names the template uses itself kept apart."""
    s = dict(s)
    s["path_param"] = _no_braces(s["path_param"])
    s["path_literal"] = _no_braces(s["path_literal"]).replace("%", "pct").replace("?", "q").replace("#", "h")
    fixed = {"color", "colors", "labels", "pet", "size"}
    for key in ("prop_a", "prop_b", "prop_c", "disc_prop"):
        if s[key] in fixed:
            s[key] += "!"
    if s["disc_prop"] in (s["prop_a"], s["prop_b"], s["prop_c"]):
        s["disc_prop"] += "?"
    for key in ("enum_schema_name", "schema_name"):
        if s[key] in ("Variant A", "Variant B"):
            s[key] += "!"
    if s["enum_schema_name"] == s["schema_name"]:
        s["schema_name"] += "?"
    if s["variant_a"] == s["variant_b"]:
        s["variant_b"] += "2"
    if s["query_param"] in ("page_token", s["security_query"]):
        s["query_param"] += "#"
    if s["security_query"] == "page_token":
        s["security_query"] += "#"
    return s


# -- the checks --------------------------------------------------------------------------------


def check_inert(sdk: Sdk) -> None:
    static = set(runtime_files())
    for rel, text in sdk.python_files().items():
        # Spec text reaches code only as escapes (the static runtime draws its error tree in
        # box characters, and is copied verbatim).
        assert text.isascii() or rel.rsplit("/", 1)[-1] in static, f"{rel}: spec text reached the code unescaped"
        compile(text, rel, "exec")
    import_every_module(sdk)
    call_every_operation(sdk)
    assert not SENTINEL.exists(), "planted code ran"
    assert not hasattr(builtins, MARK), "planted code ran"


def check_pyproject(sdk: Sdk) -> None:
    data = tomllib.loads(sdk.text("pyproject.toml"))
    project = data["project"]
    assert project["description"] == f"Python SDK for {sdk.api.title}"
    assert project["name"] == sdk.package.__name__.replace("_", "-")
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [sdk.package.__name__]


def check_markdown(sdk: Sdk) -> None:
    for doc in ("README.md", "reference.md"):
        outside, blocks = markdown_blocks(sdk.text(doc))
        for info, code in blocks:
            assert info in ("python", "sh", "text"), (doc, info)
            if info == "python":
                compile(code, doc, "exec")
        for line in outside:
            prose = markup(line)
            assert not re.search(r"<(?!!-- |a id=\"|/a>)", prose), f"{doc}: raw HTML from the spec: {line!r}"
            assert not re.search(r"\{[{%#]", prose), f"{doc}: Jinja from the spec: {line!r}"
        for line in outside:
            assert not line.startswith(("    ", "\t")) or not line.strip(), f"{doc}: an indented code block: {line!r}"
        # The structure is the template's: its headings, one example per operation.
        headings = [line.split(" ", 1)[0] for line in outside if re.match(r"#{1,6} ", line)]
        template_outside, _ = markdown_blocks((template_dir() / f"{doc}.jinja").read_text(encoding="utf-8"))
        template_headings = [line.split(" ", 1)[0] for line in template_outside if re.match(r"#{1,6} ", line)]
        operations = len(sdk.api.all_operations())
        if doc == "README.md":
            assert headings == template_headings, headings
        else:
            assert headings[:2] == ["#", "##"], headings  # the title, "Resources"
            assert headings.count("###") == operations and headings.count("##") == 1 + len(all_resources(sdk.api))
            assert [info for info, _ in blocks] == ["python"] * operations


def markup(line: str) -> str:
    """A Markdown line without what renders as literal text: backslash escapes and code spans."""
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and not line[i + 1].isalnum():
            i += 2
            continue
        if line[i] == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(line, i + run)
            if close:
                i = close.end()
                continue
            i += run
            continue
        out.append(line[i])
        i += 1
    return "".join(out)


def check_round_trip(sdk: Sdk, s: dict[str, str], spec: dict[str, Any]) -> None:
    """The planted wire names and enum values, sent and received exactly."""
    info = spec["info"]
    assert info["version"] == sdk.package.API_VERSION
    assert sdk.api.title == (info["title"] or sdk.package.__name__)
    assert ("https://api.test/" + s["server_url"]).rstrip("/") == sdk.package._version.BASE_URL
    chain, op = next((c, o) for c, _, o in walk(sdk.api) if o.method == "post")
    assert op.body is not None
    (query,) = [p for p in op.params if p.location == "query"]
    enum_values = list(dict.fromkeys([s["enum_a"], s["enum_b"], s["enum_c"]]))
    props = list(dict.fromkeys([s["prop_a"], s["prop_b"], s["prop_c"]]))
    by_wire = {f.wire: f.name for f in op.body.fields}
    assert set(props) <= set(by_wire)
    variant_tag = s["variant_b"]
    reply: dict[str, Any] = {p: f"reply {i}" for i, p in enumerate(props)}
    reply |= {"color": enum_values[-1], "colors": enum_values, "labels": {s["map_key"]: s["map_key"]}}
    reply["pet"] = {s["disc_prop"]: variant_tag, "size": 3}

    def answer(request: httpx.Request, _: Any) -> httpx.Response:
        return httpx.Response(200, json=reply)

    sent = {by_wire[p]: f"sent {i}" for i, p in enumerate(props)}
    sent[query.name] = enum_values[0]
    headers = [p for p in op.params if p.location == "header"]
    if headers:
        sent[headers[0].name] = "note"
    sent[op.path_params[0].name] = s["path_literal"] + "/?#"
    result = call(sdk, client(sdk, answer), chain, op, sent)
    request, _ = sdk.requests[-1]
    # path: the parameter's value in one segment, then the template's literal part as written
    raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    assert raw_path.startswith("/things/"), raw_path
    segment, _, rest = raw_path[len("/things/") :].partition("/")
    assert unquote(segment) == sent[op.path_params[0].name]
    assert unquote(rest) == s["path_literal"]
    # query: the planted parameter name and enum value, and the API key under its planted name
    assert request.url.params.get_list(query.wire) == [enum_values[0]]
    assert request.url.params.get_list(s["security_query"]) == ["secret"]
    # header: sent under its planted name when that is an HTTP token, else skipped with a warning
    header = s["header_param"]
    if headers:
        assert [h.wire for h in headers] == [header] and request.headers.get_list(header) == ["note"]
    else:
        skipped = any(
            repr(header) in d.message and "not a valid HTTP header name" in d.message for d in sdk.result.diagnostics
        )
        assert skipped or header.lower() in ("accept", "content-type", "authorization", "idempotency-key"), header
    body = __import__("json").loads(request.content)
    assert {p: body[p] for p in props} == {p: sent[by_wire[p]] for p in props}
    # response: planted property names, enum values (open), map keys and discriminator tags
    model = type(result)
    wires = {(info.alias if info.alias is not None else name): name for name, info in model.model_fields.items()}
    for p in props:
        assert getattr(result, wires[p]) == reply[p]
    assert result.color == enum_values[-1] and result.colors == enum_values
    assert result.labels == {s["map_key"]: s["map_key"]}
    variant_b = next(d.name for d in sdk.api.decls if d.key.endswith("/Variant B"))
    assert type(result.pet).__name__ == variant_b, result.pet
    assert result.to_dict()["pet"] == reply["pet"]
    # media type: the planted Content-Type sent exactly, or the body skipped with a warning
    upload_chain, upload = next((c, o) for c, _, o in walk(sdk.api) if o.operation_id == "upload")
    if upload.body is not None:
        call(sdk, client(sdk, lambda request, _: httpx.Response(204)), upload_chain, upload)
        request, _ = sdk.requests[-1]
        assert request.headers["content-type"] == "text/" + s["media_type"]
    else:
        assert any("is not a valid media type" in d.message for d in sdk.result.diagnostics)
    enum_alias = next(d for d in sdk.api.decls if d.key.endswith(_ref_token(s["enum_schema_name"])))
    literal = getattr(sdk.package.types, enum_alias.name)
    assert list(typing.get_args(literal)) == enum_values


def _ref_token(name: str) -> str:
    return "/" + name.replace("~", "~0").replace("/", "~1")


# -- the test ----------------------------------------------------------------------------------


# SDKGEN_HOSTILE_EXAMPLES=500 for a longer hunt.
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(slots=st.fixed_dictionaries(dict.fromkeys(SLOTS, hostile)), as_json=st.booleans())
def test_spec_text_is_data(slots: dict[str, str], as_json: bool) -> None:
    s = _prepare(slots)
    spec = hostile_spec(s)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_spec_text(Path(tmp) / "spec", spec, as_json=as_json)
        try:
            sdk = build_sdk(path, Path(tmp) / "out", client_name=None)
        except SpecError as exc:  # a refusal is allowed, if it is a clean one
            assert exc.diagnostics and all(d.format().count("\n") == 0 for d in exc.diagnostics)
            assert not any("internal error" in d.message for d in exc.diagnostics), exc.diagnostics
            event("refused: " + exc.diagnostics[0].message[:60])
            return
        event("generated")
        check_inert(sdk)
        check_pyproject(sdk)
        check_markdown(sdk)
        check_round_trip(sdk, s, spec)


# -- the escaping helpers, one property each ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(_CHARS) | st.sampled_from(FRAGMENTS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_CHARS, max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_py_literal_is_the_value(value: Any) -> None:
    text = py_literal(value)
    assert text.isascii()
    tree = ast.parse(text, mode="eval")
    for node in ast.walk(tree):  # literals only; non-finite floats as float('inf')
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id == "float"
            assert [type(a) for a in node.args] == [ast.Constant] and not node.keywords
        else:
            assert not isinstance(node, (ast.Attribute, ast.Subscript, ast.Lambda)), text
    result = eval(compile(tree, "literal", "eval"), {"__builtins__": {"float": float}})
    assert result == value or _nan_inside(value)


def _nan_inside(value: Any) -> bool:
    if isinstance(value, float):
        return value != value
    if isinstance(value, list):
        return any(_nan_inside(v) for v in value)
    if isinstance(value, dict):
        return any(_nan_inside(v) for v in value.values())
    return False


@settings(max_examples=300, deadline=None)
@given(text=hostile, indent=st.sampled_from(["", "    ", "        "]))
def test_docstring_is_one_string(text: str, indent: str) -> None:
    body = docstring(text, indent)
    source = f'def f():\n    """{body}"""\n    return 1\n'
    tree = ast.parse(source)
    (func,) = tree.body
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 2
    doc = ast.get_docstring(func, clean=False)
    assert doc is not None and body.isascii()
    assert not set(doc) & set("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u202e\u2066\x00")


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_comment_is_one_line(text: str) -> None:
    line = comment(text)
    assert line.isascii() and "\n" not in line and "\r" not in line
    tree = ast.parse(f"x = 1  # {line}\ny = 2\n")
    assert len(tree.body) == 2


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_toml_str_is_the_text(text: str) -> None:
    assert tomllib.loads(f"key = {toml_str(text)}\n") == {"key": text}


@settings(max_examples=300, deadline=None)
@given(text=hostile)
def test_markdown_helpers_stay_on_one_line(text: str) -> None:
    for out in (md_text(text), md_code(text)):
        assert "\n" not in out and "\r" not in out
        assert not set(out) & set("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u202e\u2066\x00")
    assert markup(md_code(text)) == ""  # all of it is one code span
    prose = markup(md_text(text))
    assert not re.search(r"[<>`*_\[\]#|{}]", prose), prose


@settings(max_examples=500, deadline=None)
@given(text=hostile | st.text(st.characters(max_codepoint=127)))
def test_clean_line_keeps_exactly_the_visible_characters(text: str) -> None:
    """ASCII text takes a shortcut: it must drop what the character-by-character rule drops."""
    expected = "".join(ch for ch in text if _visible(ch)).replace("\t", " ")
    assert clean_line(text) == expected
