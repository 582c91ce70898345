"""docs/architecture.md stays true where it names files and commands: every path exists, every
``sdkgen`` command parses with the real argument parser, every ``nox -s`` session exists in
noxfile.py, every ``pytest -m`` marker is registered, every ``SLOW_MODULES`` entry is a test file."""

from __future__ import annotations

import ast
import re
import shlex

import pytest

from generator.cli import _parser
from generator.config import tomllib
from tests.conftest import ROOT, SLOW_MODULES

DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CODE_SPANS = re.findall(r"`([^`\n]+)`", DOC)
PATH = re.compile(r"^[\w.-]+(/[\w.-]*)+$|^[\w-]+\.(py|md|toml|jinja)$")


def paths() -> list[str]:
    return [span for span in CODE_SPANS if PATH.match(span)]


def commands() -> list[list[str]]:
    spans = CODE_SPANS + [line for block in re.findall(r"```sh\n(.*?)```", DOC, re.S) for line in block.splitlines()]
    return [shlex.split(s) for s in spans if re.match(r"(sdkgen|nox|python -m pytest|ruff|mypy) ", s)]


def test_the_doc_names_files_and_commands() -> None:
    assert len(paths()) > 30 and len(commands()) > 8


@pytest.mark.parametrize("path", sorted(set(paths())))
def test_every_named_path_exists(path: str) -> None:
    bare = path.rstrip("/")
    candidates = [ROOT / bare, ROOT / "generator" / bare, ROOT / "generator" / "render" / bare]
    candidates += [ROOT / "generator" / folder / bare for folder in ("loader", "ir", "drift", "ownership")]
    assert any(c.exists() for c in candidates), path


def nox_sessions() -> set[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    return {
        f.name
        for f in tree.body
        if isinstance(f, ast.FunctionDef) and any("session" in ast.unparse(d) for d in f.decorator_list)
    }


def test_every_command_parses() -> None:
    markers = {
        line.split(":")[0].strip()
        for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    }
    for argv in commands():
        if argv[0] == "sdkgen":
            _parser().parse_args(argv[1:])  # exits 2 on a bad command
        elif argv[0] == "nox":
            assert argv[1] == "-s" and argv[2] in nox_sessions(), argv
        elif argv[:3] == ["python", "-m", "pytest"]:
            rest = argv[3:]
            if "-m" in rest:
                expression = rest[rest.index("-m") + 1]
                assert set(re.findall(r"\w+", expression)) - {"not", "and", "or"} <= markers, argv
            for arg in rest:
                if arg.startswith("tests/"):
                    assert (ROOT / arg).exists(), argv
        else:  # ruff, mypy: the folders they are given
            assert all((ROOT / a).exists() for a in argv[1:] if not a.startswith("-") and a != "check"), argv


def test_slow_modules_are_test_files() -> None:
    for name in SLOW_MODULES:
        assert (ROOT / "tests" / f"{name}.py").is_file(), name
