"""The wheel carries the templates and the static runtime: an installed sdkgen works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

# The installed wheel must be what runs: no PYTHONPATH pointing back into a checkout.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_installed_wheel_generates_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    wheel = next(dist.glob("sdkgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/_templates/resource.py.jinja" in names
    assert "generator/runtime/_base_client.py" in names
    # An isolated environment built from the wheel's own metadata: its declared dependencies,
    # resolved by pip, and nothing else (not the interpreter's or this venv's packages), so a
    # dependency missing from pyproject.toml fails here as it would for a user.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, env=CLEAN_ENV)
    work = tmp_path / "elsewhere"
    work.mkdir()
    spec = ROOT / "tests" / "data" / "tiny.yaml"
    out = subprocess.run(
        [str(venv / "bin" / "sdkgen"), "generate", str(spec), "-o", "out"], cwd=work, capture_output=True, text=True, env=CLEAN_ENV
    )
    assert out.returncode == 0, out.stderr
    assert (work / "out" / "tiny" / "tiny" / "_base_client.py").is_file()
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import generator.render as r; print(r.template_dir())"], env=CLEAN_ENV,
        cwd=work, capture_output=True, text=True, check=True,
    )
    assert "_templates" in where.stdout
