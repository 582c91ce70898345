"""Big modules go to black in pieces: the assembled result must be black's on the whole module,
and an edit must leave the pieces it does not touch (and so their cache entries) as they were."""

from __future__ import annotations

import sysconfig
import textwrap
from pathlib import Path

import pytest

from generator.render import fmt, pieces
from generator.render.pieces import Piece, plan
from tests.conftest import ROOT

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Modules far from black's style (one blank line between functions, comments everywhere,
# decorators, nested classes, definitions inside ``if`` blocks): every cut must still agree.
ADVERSARIAL = [
    "inspect.py",
    "argparse.py",
    "zipfile.py",
    "ipaddress.py",
    "mailbox.py",
    "configparser.py",
    "_pyio.py",
]


def piecewise(source: str) -> str:
    parts = plan(source)
    done = {part: fmt.format_piece(part) for part in parts if isinstance(part, Piece)}
    return pieces.assemble(parts, done)


def _count(source: str) -> int:
    return sum(isinstance(part, Piece) for part in plan(source))


def _generated_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "generated").rglob("*.py") if p.stat().st_size >= pieces.WHOLE_BELOW)


@pytest.mark.parametrize("path", _generated_modules(), ids=lambda p: str(p.relative_to(ROOT / "generated")))
def test_generated_modules_in_pieces_are_what_black_makes_of_them(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert _count(source) > 1
    assert piecewise(source) == fmt.format_one(source) == source


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_code_black_changes_a_lot_comes_out_as_black_makes_it(name: str) -> None:
    path = STDLIB / name
    if not path.is_file():
        pytest.skip(f"this Python has no {name}")
    source = path.read_text(encoding="utf-8")
    try:
        whole = fmt.format_one(source)
    except Exception as exc:  # noqa: BLE001 - newer syntax than black's py39 target
        pytest.skip(f"black cannot format this Python's {name}: {exc}")
    assert _count(source) > 3
    assert piecewise(source) == whole


def _module(*methods: str) -> str:
    body = "\n".join(
        f"    def {name}(self, value: int) -> int:\n"
        f'        """{name.title()} the value.\n\n        {"More words. " * 20}"""\n'
        f"        return value + {len(name)}\n"
        for name in methods
    )
    return f'"""A module."""\n\nimport os\n\n\nclass Big:\n    """Many methods."""\n\n{body}\n\nX = os.sep\n'


NAMES = [f"method_{i}" for i in range(120)]


def test_an_added_method_changes_only_the_pieces_around_it() -> None:
    before = _module(*NAMES)
    after = _module(*NAMES[:60], "inserted", *NAMES[60:])
    old = {part for part in plan(before) if isinstance(part, Piece)}
    new = [part for part in plan(after) if isinstance(part, Piece)]
    assert len(new) > 10
    changed = [part for part in new if part not in old]
    assert 1 <= len(changed) <= 2, [part.text[:60] for part in changed]
    assert piecewise(after) == fmt.format_one(after)


def test_only_changed_pieces_go_to_black_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    calls: list[str] = []
    real = fmt.format_one
    monkeypatch.setattr(fmt, "format_one", lambda source: calls.append(source) or real(source))
    first = fmt.format_sources({"m.py": _module(*NAMES)}, jobs=1)
    total = len(calls)
    calls.clear()
    edited = _module(*NAMES).replace("return value + 9\n", "return value - 9\n", 1)
    second = fmt.format_sources({"m.py": edited}, jobs=1)
    assert total > 10 and len(calls) == 1
    assert second["m.py"] == real(edited) != first["m.py"]


@pytest.mark.parametrize(
    ("source", "cut"),
    [
        # a module-level statement after an `if` whose block ends in a def: black wants two lines
        ("if x:\n\n    def f():\n        pass\n\ny = 1\n", False),
        ("if x:\n    z = 2\n\ny = 1\n", True),
        ("def f():\n    pass\n\ny = 1\n", False),
        ("def f():\n    pass\n\n\ny = 1\n", True),
        ("x = 1\n# about y\ny = 2\n", False),  # a comment between: black decides where it goes
        ("x = 1\n\n'a bare string'\n", False),  # alone, it would be formatted as a docstring
        ("import a\nimport b\n", True),
        ("import a\nb = 1\n", False),
        ("import a; import b\n", False),  # one line
        ("x = 1\r\n\r\ny = 2\r\n", False),
    ],
)
def test_cuts_only_where_black_keeps_the_blank_lines(source: str, cut: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "WHOLE_BELOW", 0)
    monkeypatch.setattr(pieces, "PIECE_MIN", 0)
    monkeypatch.setattr(pieces, "CUT_ODDS", 1)
    assert (_count(source) > 1) == cut
    assert piecewise(source) == fmt.format_one(source)


def test_what_is_formatted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    big = _module(*NAMES)
    assert _count(big) > 1
    assert _count(_module(*NAMES[:3])) == 1  # small
    assert _count(big.replace("import os", "import os  # fmt: skip")) == 1
    assert _count(big + "def broken(:\n") == 1  # black reports the error, on the whole module
    assert _count(big.rstrip("\n")) == 1
    monkeypatch.setattr(pieces, "WHOLE_BELOW", 0)
    assert _count(textwrap.dedent("x = 1\n")) == 1


def test_a_star_inside_a_media_type_name_is_no_range() -> None:
    """``Content-Type`` is the declared media type unless its type or subtype is ``*`` (a
    range is no type to send): ``text/# */`` (hostile spec text) is sent as declared."""
    from generator.render.resources import _sent_type

    assert _sent_type("text", "text/# */") == "text/# */"
    assert _sent_type("text", "text/*") == "text/plain" and _sent_type("binary", "*/*; q=1") == "application/octet-stream"
    assert _sent_type("json", "application/vnd.a*b+json") == "application/vnd.a*b+json"
