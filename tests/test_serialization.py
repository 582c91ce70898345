"""The runtime's parameter serialization, row by row against the OpenAPI specification's own
"Style Examples" table (OpenAPI 3.1.1 and 3.2.0, section "Style Examples"; 3.0.4 has the
same rows), then the cases the table leaves to tools: booleans, numbers, nested values,
``allowReserved``, ``content``-typed parameters, headers and cookies.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest

from generator.runtime._serialize import serialize


class Shade(enum.Enum):
    DARK = "dark"


EMPTY: Any = ""
STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
N_A = None  # the table's "n/a": undefined, not tested

# style | explode | empty | string | array | object -- copied from the specification, with the
# "?" the table puts before query examples left off (it is not part of a parameter).
TABLE = """
matrix | false | ;color | ;color=blue | ;color=blue,black,brown | ;color=R,100,G,200,B,150
matrix | true | ;color | ;color=blue | ;color=blue;color=black;color=brown | ;R=100;G=200;B=150
label | false | . | .blue | .blue,black,brown | .R,100,G,200,B,150
label | true | . | .blue | .blue.black.brown | .R=100.G=200.B=150
simple | false | _empty_ | blue | blue,black,brown | R,100,G,200,B,150
simple | true | _empty_ | blue | blue,black,brown | R=100,G=200,B=150
form | false | ?color= | ?color=blue | ?color=blue,black,brown | ?color=R,100,G,200,B,150
form | true | ?color= | ?color=blue | ?color=blue&color=black&color=brown | ?R=100&G=200&B=150
spaceDelimited | false | _n/a_ | _n/a_ | ?color=blue%20black%20brown | ?color=R%20100%20G%20200%20B%20150
spaceDelimited | true | _n/a_ | _n/a_ | _n/a_ | _n/a_
pipeDelimited | false | _n/a_ | _n/a_ | ?color=blue%7Cblack%7Cbrown | ?color=R%7C100%7CG%7C200%7CB%7C150
pipeDelimited | true | _n/a_ | _n/a_ | _n/a_ | _n/a_
deepObject | false | _n/a_ | _n/a_ | _n/a_ | _n/a_
deepObject | true | _n/a_ | _n/a_ | _n/a_ | ?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150
"""

LOCATION = {"matrix": "path", "label": "path", "simple": "path"}  # the rest: query


def _rows() -> list[Any]:
    rows = []
    for line in TABLE.strip().splitlines():
        style, explode, *cells = (c.strip() for c in line.split("|"))
        for kind, value, cell in zip(("empty", "string", "array", "object"), (EMPTY, STRING, ARRAY, OBJECT), cells, strict=True):
            if cell == "_n/a_":
                continue
            expected = "" if cell == "_empty_" else cell.removeprefix("?")
            rows.append(pytest.param(style, explode == "true", value, expected, id=f"{style}-{explode}-{kind}"))
    return rows


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _rows())
def test_the_specification_style_examples(style: str, explode: bool, value: Any, expected: str) -> None:
    assert serialize(LOCATION.get(style, "query"), "color", value, (style, explode, False, "")) == expected


@pytest.mark.parametrize(
    ("location", "spec", "value", "expected"),
    [
        # booleans and numbers: JSON spellings, never Python's
        ("header", ("simple", False, False, ""), True, "true"),
        ("header", ("simple", False, False, ""), [True, False, 1.5], "true,false,1.5"),
        ("query", ("form", True, False, ""), False, "color=false"),
        ("query", ("form", True, False, ""), [1, 2], "color=1&color=2"),
        ("path", ("simple", False, False, ""), 0, "0"),
        ("header", ("simple", False, False, ""), None, ""),
        ("query", ("form", True, False, ""), [Shade.DARK, b"raw"], "color=dark&color=raw"),
        # headers carry text as it is: no percent-encoding
        ("header", ("simple", False, False, ""), ["a b", "c/d"], "a b,c/d"),
        ("header", ("simple", True, False, ""), {"k": "v", "n": 1}, "k=v,n=1"),
        # a delimiter inside a value is encoded, the style's own is not
        ("query", ("form", False, False, ""), ["a,b", "c"], "color=a%2Cb,c"),
        ("path", ("simple", False, False, ""), ["a/b", "c d"], "a%2Fb,c%20d"),
        ("path", ("matrix", True, False, ""), {"a;b": "c=d"}, ";a%3Bb=c%3Dd"),
        ("query", ("form", True, False, ""), "a b&c=d+e#f", "color=a%20b%26c%3Dd%2Be%23f"),
        # allowReserved keeps what a query value can carry, still encodes what would end it
        ("query", ("form", True, True, ""), "/a/b?c=d:e,f@g", "color=/a/b?c=d:e,f@g"),
        ("query", ("form", True, True, ""), "a&b#c+d[e] %41%zz", "color=a%26b%23c%2Bd%5Be%5D%20%41%25zz"),
        # nested values: JSON text, never a Python repr
        ("query", ("form", True, False, ""), [{"scope": "a"}], "color=%7B%22scope%22%3A%22a%22%7D"),
        ("header", ("simple", False, False, ""), [{"a": 1}, [2]], '{"a":1},[2]'),
        # deepObject: nested objects nest the keys, arrays repeat them
        ("query", ("deepObject", True, False, ""), {"a": {"b": 1}, "c": ["x", "y"]}, "color%5Ba%5D%5Bb%5D=1&color%5Bc%5D=x&color%5Bc%5D=y"),
        # an empty array or object sends nothing
        ("query", ("form", True, False, ""), [], ""),
        ("query", ("deepObject", True, False, ""), {}, ""),
        # space/pipeDelimited exploded (undefined by OpenAPI): repeated keys, as form
        ("query", ("pipeDelimited", True, False, ""), ["a", "b"], "color=a&color=b"),
        # content-typed parameters: written in their media type, then sent as one value
        ("query", ("form", True, False, "application/json"), {"lat": 1.5, "long": 2}, "color=%7B%22lat%22%3A1.5%2C%22long%22%3A2%7D"),
        ("header", ("simple", False, False, "application/json"), ["a", True], '["a",true]'),
        ("query", ("form", True, False, "application/json"), "x", "color=%22x%22"),
        ("query", ("form", True, False, "text/plain"), "x y", "color=x%20y"),
        # cookies: form, exploded values as separate cookie pairs
        ("cookie", ("form", True, False, ""), "a b;c", "color=a%20b%3Bc"),
        ("cookie", ("form", False, False, ""), ["blue", "black"], "color=blue,black"),
        ("cookie", ("form", True, False, ""), ["blue", "black"], "color=blue; color=black"),
        ("cookie", ("form", True, False, ""), {"R": 1, "G": 2}, "R=1; G=2"),
        ("cookie", ("cookie", True, False, ""), ["a", "b"], "color=a; color=b"),
    ],
)
def test_what_the_table_leaves_to_tools(location: str, spec: Any, value: Any, expected: str) -> None:
    assert serialize(location, "color", value, spec) == expected


def test_a_model_passed_whole_as_a_form_or_multipart_body() -> None:
    import pydantic

    from generator.runtime._request import Endpoint, content

    class Form(pydantic.BaseModel):
        tags: list[str]
        n: int

    form = Endpoint("post", "/x", body="form", content_type="application/x-www-form-urlencoded")
    assert content(form, Form(tags=["a", "b"], n=1), None) == {"content": b"tags=a&tags=b&n=1"}
    multipart = Endpoint("post", "/x", body="multipart", content_type="multipart/form-data")
    assert content(multipart, Form(tags=["a"], n=1), None) == {"files": [("tags", (None, b"a")), ("n", (None, b"1"))]}
