"""Static checks: the generator passes ruff and mypy --strict; every generated package passes
mypy --strict.  (The examples in the READMEs and references: ``test_docs``.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import Config, load_targets
from tests.conftest import ROOT

TARGETS = load_targets(ROOT / "pyproject.toml")


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def test_generator_passes_ruff() -> None:
    out = _run("ruff", "check", "generator", "tests")
    assert out.returncode == 0, out.stdout + out.stderr


def test_generator_passes_mypy_strict() -> None:
    out = _run("mypy", "--strict", "generator")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("config", TARGETS, ids=[c.target for c in TARGETS])
def test_generated_package_passes_mypy_strict(config: Config, tmp_path: Path) -> None:
    project = config.output / (config.package_name or "")
    out = _run("mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), config.package_name or "", cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr


def _python39() -> Path | None:
    """A real Python 3.9 (pyenv shims answer to any name, so look past them)."""
    for candidate in sorted(Path(os.path.expanduser("~/.pyenv/versions")).glob("3.9*/bin/python3.9")):
        return candidate
    found = shutil.which("python3.9")
    return Path(found) if found and "shims" not in found else None


PY39 = _python39()

SMOKE = """
import httpx, {pkg}
def handler(request):
    return httpx.Response(200, json={{"data": []}})
client = {pkg}.{client}(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
print(type(client.models.list()).__name__)
"""


@pytest.mark.skipif(PY39 is None, reason="no Python 3.9 interpreter on this machine")
def test_generated_package_runs_on_python_39(tmp_path: Path) -> None:
    """The generated SDK supports Python 3.9: import it and make a call under a real 3.9."""
    config = TARGETS[0]
    venv = tmp_path / "venv"
    subprocess.run([str(PY39), "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "httpx", "pydantic>=2.6", "typing-extensions", "anyio"], check=True)
    project = config.output / (config.package_name or "")
    code = SMOKE.format(pkg=config.package_name, client=config.client_name)
    out = subprocess.run([python, "-c", code], cwd=project, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("Envelope") or out.stdout.strip()
    compiled = subprocess.run([python, "-m", "compileall", "-q", config.package_name or ""], cwd=project, capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stdout
