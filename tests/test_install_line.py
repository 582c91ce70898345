"""The generated README's install line installs the generated package as it is laid out, not a
project of the same name from the package index."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import Config, generate
from tests.conftest import ROOT

CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
INSTALL = re.compile(r"## Install\n\n```sh\n(?P<line>[^\n]+)\n```")


def test_polytomic_readme_installs_from_the_folder_not_by_name() -> None:
    readme = (ROOT / "generated" / "polytomic" / "README.md").read_text(encoding="utf-8")
    match = INSTALL.search(readme)
    assert match is not None
    assert match["line"] == "pip install ./polytomic"  # in generated/, which holds the project
    assert "pip install ./generated/polytomic" in readme  # from the repository root
    assert (ROOT / "generated" / "polytomic" / "pyproject.toml").is_file()


@pytest.mark.slow
def test_the_install_line_installs_the_generated_package(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "data" / "tiny.yaml"
    # a name that exists on the package index as another project: the line must not fetch it
    result = generate(Config(spec=spec, output=tmp_path / "sdks", package_name="requests"))
    line = INSTALL.search((result.package_dir / "README.md").read_text(encoding="utf-8"))
    assert line is not None
    command = line["line"].split()
    assert command[:2] == ["pip", "install"] and command[2] == "./requests"
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", *command, "-q", "--no-deps", "--target", str(target)],
        cwd=tmp_path / "sdks",  # the folder sdkgen generated into
        check=True,
        env=CLEAN_ENV,
    )
    assert (target / "requests" / "_client.py").is_file()  # sdkgen's layout, not the requests library
    assert not (target / "requests" / "sessions.py").exists()
