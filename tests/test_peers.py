"""The cached venvs of official SDKs (``tests/support/peers.py``): built once, rebuilt when a
build was cut short, skipped when PyPI cannot be reached.  ``python -m venv`` and pip are
replaced by a recorder here; ``tests/test_side_by_side.py`` builds the real one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import peers

build = peers.peer_python.__wrapped__  # the uncached function


class FakeTools:
    """Stands in for ``subprocess.run``: a venv is a folder with ``bin/python``; pip answers
    with ``pip_output`` and exit status ``pip_status``."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.pip_status = 0
        self.pip_output = ""

    def __call__(self, cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if cmd[1:3] == ["-m", "venv"]:
            self.calls.append("venv")
            (Path(cmd[3]) / "bin").mkdir(parents=True)
            (Path(cmd[3]) / "bin" / "python").write_text("")
            return subprocess.CompletedProcess(cmd, 0, "", "")
        self.calls.append("pip " + cmd[-1])
        return subprocess.CompletedProcess(cmd, self.pip_status, "", self.pip_output)


@pytest.fixture
def tools(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeTools:
    fake = FakeTools()
    monkeypatch.setattr(peers.subprocess, "run", fake)
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    return fake


def test_built_once_then_reused(tools: FakeTools, tmp_path: Path) -> None:
    python = build("polytomic", "25.9.10")
    venv = tmp_path / "cache" / "peers" / "polytomic-25.9.10"
    assert python == venv / "bin" / "python"
    assert json.loads((venv / peers.MARKER).read_text())["requirement"] == "polytomic==25.9.10"
    assert build("polytomic", "25.9.10") == python
    assert tools.calls == ["venv", "pip polytomic==25.9.10"]


def test_a_build_without_its_marker_is_rebuilt(tools: FakeTools, tmp_path: Path) -> None:
    build("polytomic", "25.9.10")
    venv = tmp_path / "cache" / "peers" / "polytomic-25.9.10"
    (venv / peers.MARKER).unlink()  # as if the first build had been interrupted
    (venv / "half-installed").write_text("")
    build("polytomic", "25.9.10")
    assert tools.calls == ["venv", "pip polytomic==25.9.10"] * 2
    assert not (venv / "half-installed").exists() and (venv / peers.MARKER).exists()


def test_a_venv_of_another_interpreter_is_rebuilt(tools: FakeTools, tmp_path: Path) -> None:
    build("polytomic", "25.9.10")
    marker = tmp_path / "cache" / "peers" / "polytomic-25.9.10" / peers.MARKER
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "base": "/gone/python3"}))
    build("polytomic", "25.9.10")
    assert tools.calls.count("venv") == 2


def test_unreachable_pypi_skips(tools: FakeTools, tmp_path: Path) -> None:
    tools.pip_status = 1
    tools.pip_output = (
        "WARNING: Retrying (Retry(total=1)) after connection broken by 'NewConnectionError(...: "
        "Failed to establish a new connection: [Errno 111] Connection refused')': /simple/polytomic/\n"
        "ERROR: No matching distribution found for polytomic==25.9.10\n"
    )
    with pytest.raises(pytest.skip.Exception, match="PyPI unreachable"):
        build("polytomic", "25.9.10")
    assert not (tmp_path / "cache" / "peers" / "polytomic-25.9.10").exists()


def test_other_pip_failures_fail(tools: FakeTools) -> None:
    tools.pip_status = 1
    tools.pip_output = (
        "ERROR: No matching distribution found for polytomic==25.9.10\n"  # reachable, but no such version
    )
    with pytest.raises(RuntimeError, match="No matching distribution"):
        build("polytomic", "25.9.10")
