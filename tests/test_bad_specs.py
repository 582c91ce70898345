"""Bad specs: ``sdkgen generate`` refuses each document in ``tests/data/bad/`` with exit 2, one
line per problem naming the file and the JSON pointer, no traceback, nothing written; its
stderr is compared with the stored snapshot ``tests/data/bad/<name>.expected``.

A case is a spec file ``<name>.yaml`` / ``<name>.json`` or a folder ``<name>/openapi.yaml``
(for problems in referenced files); ``<name>.args`` holds extra CLI arguments (``--strict``).
After an intended change of the messages, update the snapshots with

    SDKGEN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_bad_specs.py
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT

BAD = Path(__file__).parent / "data" / "bad"
UPDATE = os.environ.get("SDKGEN_UPDATE_SNAPSHOTS") == "1"
# error|warning: file#/pointer: message   (the pointer is empty for a whole-document problem)
LINE = re.compile(r"^(error|warning): [^#\s][^#]*#(/[^ ]*)?: \S.*$")


def cases() -> list[tuple[str, str]]:
    """(name, spec path relative to BAD)."""
    out = []
    for path in sorted(BAD.iterdir()):
        if path.is_dir():
            out.append((path.name, f"{path.name}/openapi.yaml"))
        elif path.suffix in (".yaml", ".json"):
            out.append((path.stem, path.name))
    return out


def run(
    spec: str, args: list[str], out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.chdir(BAD)
    code = main(["generate", spec, "-o", str(out), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_case_has_a_snapshot() -> None:
    names = {name for name, _ in cases()}
    stored = {p.stem for p in BAD.glob("*.expected")}
    assert names == stored or UPDATE, (
        f"without a case: {sorted(stored - names)}; without a snapshot: {sorted(names - stored)}"
    )
    assert len(names) >= 20


@pytest.mark.parametrize(("name", "spec"), cases(), ids=[name for name, _ in cases()])
def test_bad_spec(
    name: str, spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args_file = BAD / f"{name}.args"
    args = args_file.read_text(encoding="utf-8").split() if args_file.exists() else []
    out = tmp_path / "out"
    code, stdout, stderr = run(spec, args, out, monkeypatch, capsys)
    assert code == 2, stderr
    assert stdout == ""
    assert "Traceback" not in stderr
    assert not out.exists(), "something was written"
    lines = stderr.splitlines()
    assert lines[-1] == f"sdkgen: {spec}: nothing written"
    assert lines[:-1] and all(LINE.match(line) for line in lines[:-1]), stderr
    assert any(line.startswith("error: ") for line in lines)
    snapshot = BAD / f"{name}.expected"
    if UPDATE:
        snapshot.write_text(stderr, encoding="utf-8")
        return
    expected = snapshot.read_text(encoding="utf-8") if snapshot.exists() else ""
    if stderr != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), stderr.splitlines(True), str(snapshot), "stderr")
        )
        pytest.fail(
            f"diagnostics changed:\n{diff}\nupdate with: SDKGEN_UPDATE_SNAPSHOTS=1 python -m pytest {Path(__file__).relative_to(ROOT)}"
        )


def test_the_installed_entry_point_prints_the_same(tmp_path: Path) -> None:
    """One case through a real process (``python -m generator``): same stderr, exit 2."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "escape-ref.yaml", "--strict", "-o", str(tmp_path / "out")],
        cwd=BAD,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == (BAD / "escape-ref.expected").read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()
