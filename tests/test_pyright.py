"""pyright --strict, as an IDE (Pylance) runs it: a user's code that calls the generated SDK
(every example of the README and reference) reports no error, and neither does any module
sdkgen renders from templates (models, resources, client, package).  The runtime modules
copied verbatim (``_qs.py``, ``_serde.py``, ...) are private: an IDE never reports inside them.

pyright from PyPI is a wrapper around the npm package: it needs ``node`` and, on its first run,
the npm registry (it caches the package under ~/.cache); without node the test is skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.render import runtime_files
from tests.conftest import ROOT
from tests.test_docs import example_files, target_sdk

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="pyright needs node"),
]
PROJECT = ROOT / "generated" / "polytomic"


def pyright(folder: Path, extra: Path) -> list[dict[str, Any]]:
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.9", "extraPaths": [str(extra)]}
    (folder / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, "-p", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.stdout.strip().startswith("{"), out.stdout + out.stderr
    diagnostics: list[dict[str, Any]] = json.loads(out.stdout)["generalDiagnostics"]
    return [d for d in diagnostics if d["severity"] == "error"]


def show(errors: list[dict[str, Any]]) -> str:
    return "\n".join(f"{e['file']}:{e['range']['start']['line'] + 1}: {e['message']}" for e in errors[:30])


def test_user_code_calling_the_sdk_is_pyright_strict_clean(tmp_path: Path) -> None:
    files = example_files(target_sdk("polytomic"))
    assert len(files) > 100
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    errors = pyright(tmp_path, PROJECT)
    assert not errors, show(errors)


def test_rendered_modules_are_pyright_strict_clean(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "polytomic", tmp_path / "polytomic")
    errors = pyright(tmp_path, tmp_path)
    runtime = {f"polytomic/{name}" for name in runtime_files()}
    rendered = [e for e in errors if Path(e["file"]).relative_to(tmp_path).as_posix() not in runtime]
    assert not rendered, show(rendered)
