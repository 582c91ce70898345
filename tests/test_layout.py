"""The render stage lays out long lines the way black does, so that black's first pass over a
generated file changes nothing and its second pass is skipped (issue #7).  Each helper is
checked against black itself, on generated shapes of every size."""

from __future__ import annotations

import keyword
from pathlib import Path

import black
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import Config
from generator.literals import py_str
from generator.pipeline import build
from generator.render.fmt import _mode
from generator.render.layout import WIDTH, annotated, assigned, bracketed, split_expr, subscript
from generator.render.text import docstring

NAMES = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,60}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))
LONG_NAMES = st.from_regex(r"[A-Z][A-Za-z0-9_]{60,95}", fullmatch=True)
FIELDS = st.from_regex(r"[a-z_][a-z0-9_]{0,40}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))
STRINGS = st.text(alphabet="abc ,[]()'\\\"_-\n\u2019", min_size=0, max_size=30).map(py_str)


def _types(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.one_of(NAMES, LONG_NAMES, st.just("str"), st.just("Dict[str, Any]"))
    if depth == 0:
        return leaf
    inner = _types(depth - 1)
    return st.one_of(
        leaf,
        st.lists(inner, min_size=1, max_size=6).map(lambda xs: f"Union[{', '.join(xs)}]"),
        inner.map(lambda x: f"Optional[{x}]"),
        inner.map(lambda x: f"List[{x}]"),
        st.lists(STRINGS, min_size=1, max_size=12).map(lambda xs: f"Literal[{', '.join(xs)}]"),
    )


def _black(source: str) -> str:
    """black's formatting of ``source``, which the layout helpers claim to match whenever they
    manage to keep every line within the width (what they cannot fit, black decides)."""
    assume(all(len(line) <= WIDTH for line in source.splitlines()))
    return black.format_str(source, mode=_mode())


@settings(max_examples=150, deadline=None)
@given(FIELDS, _types(), st.sampled_from(["", "None", '"x"', "-1"]))
def test_model_fields_are_laid_out_as_black_does(name: str, annotation: str, default: str) -> None:
    line = annotated(name, annotation, default, "    ")
    source = f"class M:\n    {line}\n"
    assert _black(source) == source


@settings(max_examples=150, deadline=None)
@given(FIELDS, _types(), st.booleans())
def test_parameters_are_laid_out_as_black_does(name: str, annotation: str, optional: bool) -> None:
    default = "NOT_GIVEN" if optional else ""
    line = annotated(name, annotation, default, "        ", ",")
    source = f"class C:\n    def m(\n        self,\n        *,\n        {line}\n    ) -> None:\n        pass\n"
    assert _black(source) == source


@settings(max_examples=150, deadline=None)
@given(NAMES, _types())
def test_aliases_and_return_types_are_laid_out_as_black_does(name: str, annotation: str) -> None:
    alias = assigned(name, annotation)
    assert _black(alias + "\n") == alias + "\n"
    end = "\n".join(split_expr(") -> ", annotation, ":", "    "))
    source = f"class C:\n    def m(\n        self,\n{end}\n        pass\n"
    assert _black(source) == source


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='ab "\\\n', max_size=300), st.sampled_from(["", "    ", "        "]))
def test_docstrings_are_laid_out_as_black_does(text: str, indent: str) -> None:
    body = docstring(text * 3, indent)
    if not body.strip():
        return
    source = f'{indent}"""{body}"""\n'
    if indent:
        source = "class C:\n" + ("    def m(self) -> None:\n" if len(indent) == 8 else "") + source
    if len(indent) == 8:
        source += "        pass\n"
    assert _black(source) == source


def test_subscript_splits_only_one_outer_subscript() -> None:
    assert subscript('Literal["a, b", "c]"]') == ("Literal", ['"a, b"', '"c]"'])
    assert subscript("Dict[str, List[int]]") == ("Dict", ["str", "List[int]"])
    assert subscript("List[int] | None") is None
    assert subscript("Name") is None
    assert subscript("A[int][str]") is None


def test_bracketed_counts_what_follows_on_the_line() -> None:
    items = ['"k": v', "x" * 30, "y" * 30]
    one = bracketed("errors={", items, "}", "    ")
    assert "\n" not in one and len("    " + one) <= WIDTH
    assert "\n" in bracketed("errors={", items, "}", "    ", "," * (WIDTH - len("    " + one) + 1))


@pytest.mark.parametrize(
    "spec",
    ["spec/polytomic/2024-02-08/openapi.yaml", "spec/polytomic/2025-09-18/openapi.yaml", "tests/data/tiny.yaml"],
)
def test_black_has_nothing_to_change_in_generated_packages(spec: str, tmp_path: Path) -> None:
    """Every Python file of the package comes out of the templates as black would write it,
    so black's first pass is its last (black still runs over every file)."""
    root = Path(__file__).resolve().parent.parent
    config = Config(spec=root / spec, output=tmp_path, package_name="sdk")
    result = build(config, formatted=False)
    changed = [
        path
        for path, data in result.files.items()
        if path.endswith(".py") and black._format_str_once(data.decode(), mode=_mode()) != data.decode()  # type: ignore[attr-defined]
    ]
    assert changed == []
