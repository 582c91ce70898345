"""The bad specs that only ``--strict`` refuses, generated without it: each writes a package
that imports, exits 0 (nothing lost) or 3 (pieces skipped, each named by an error line), and
its stderr plus what it generated (types, methods) is compared with the stored snapshot
``tests/data/bad/<name>.lenient``.

After an intended change, update the snapshots with

    SDKGEN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_lenient_specs.py
"""

from __future__ import annotations

import ast
import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.test_bad_specs import BAD, LINE, UPDATE, cases


def lenient_cases() -> list[tuple[str, str]]:
    return [(name, spec) for name, spec in cases() if "--strict" in _args(name)]


def _args(name: str) -> list[str]:
    path = BAD / f"{name}.args"
    return path.read_text(encoding="utf-8").split() if path.exists() else []


def test_every_lenient_case_has_a_snapshot() -> None:
    names = {name for name, _ in lenient_cases()}
    stored = {p.stem for p in BAD.glob("*.lenient")}
    assert names == stored or UPDATE, f"without a case: {sorted(stored - names)}; without one: {sorted(names - stored)}"
    assert len(names) >= 10


def _generated(package_dir: Path) -> list[str]:
    """The types and the methods of a generated package, one per line."""
    package = next(p for p in package_dir.iterdir() if p.is_dir())
    init = ast.parse((package / "types" / "__init__.py").read_text(encoding="utf-8"))
    exported = next(
        (
            ast.literal_eval(node.value)
            for node in init.body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
        ),
        [],
    )
    methods = []
    for module in sorted((package / "resources").glob("*.py")):
        for cls in ast.parse(module.read_text(encoding="utf-8")).body:
            if isinstance(cls, ast.ClassDef) and cls.name.endswith("Resource") and not cls.name.startswith("Async"):
                methods += [
                    f"{module.stem}.{f.name}"
                    for f in cls.body
                    if isinstance(f, ast.FunctionDef) and not f.name.startswith("_") and not f.decorator_list
                ]
    return [f"types: {', '.join(sorted(exported)) or '-'}", f"methods: {', '.join(sorted(methods)) or '-'}"]


@pytest.mark.parametrize(("name", "spec"), lenient_cases(), ids=[name for name, _ in lenient_cases()])
def test_lenient_spec(
    name: str, spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a for a in _args(name) if a != "--strict"]
    out = tmp_path / "out"
    monkeypatch.chdir(BAD)
    code = main(["generate", spec, "-o", str(out), *args])
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    skipped = [line for line in lines if line.startswith("error: ")]
    assert code == (3 if skipped else 0), stderr
    if skipped:
        assert lines[-1] == f"sdkgen: {spec}: generated without the pieces the errors above name"
        lines = lines[:-1]
    assert all(LINE.match(line) for line in lines), stderr
    assert all("skipped: " in line or "more broken $refs not shown" in line for line in skipped), stderr
    package = next(p for p in out.iterdir() if p.is_dir())
    env = {**os.environ, "PYTHONPATH": str(package)}
    name_of = next(p.name for p in package.iterdir() if p.is_dir())
    probe = f"import {name_of}, {name_of}.types as t; [getattr(t, n) for n in t.__all__]; {name_of}.__all__"
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, cwd=tmp_path)
    text = stderr + "".join(line + "\n" for line in _generated(package))
    snapshot = BAD / f"{name}.lenient"
    if UPDATE:
        snapshot.write_text(text, encoding="utf-8")
        return
    expected = snapshot.read_text(encoding="utf-8") if snapshot.exists() else ""
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(snapshot), "got"))
        pytest.fail(
            f"lenient generation changed:\n{diff}\nupdate with: SDKGEN_UPDATE_SNAPSHOTS=1 python -m pytest "
            f"{Path(__file__).relative_to(ROOT)}"
        )
