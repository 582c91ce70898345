"""``nox -s bench -- --quick`` never replaces the committed full-run benchmarks/RESULTS.md."""

from __future__ import annotations

import subprocess
from pathlib import Path

from benchmarks.run import _parse
from tests.conftest import ROOT


def test_quick_results_go_to_an_uncommitted_file() -> None:
    quick = _parse(["--quick"]).output
    assert quick != ROOT / "benchmarks" / "RESULTS.md"
    assert quick.is_relative_to(ROOT / "benchmarks" / ".work")
    ignored = subprocess.run(["git", "check-ignore", "-q", str(quick)], cwd=ROOT)
    assert ignored.returncode == 0, f"{quick} is not ignored by git"


def test_full_run_and_explicit_output_are_unchanged(tmp_path: Path) -> None:
    assert _parse([]).output == ROOT / "benchmarks" / "RESULTS.md"
    assert _parse(["--quick", "--output", str(tmp_path / "r.md")]).output == tmp_path / "r.md"
