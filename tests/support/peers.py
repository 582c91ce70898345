"""Official SDKs to compare the generated ones with, each in its own cached virtual environment.

    python = peer_python("polytomic", "25.9.10")      # skips the test when PyPI is unreachable
    subprocess.run([str(python), script, ...])

The venv is built once, with ``python -m venv`` and pip, under
``$SDKGEN_CACHE_DIR/peers/<name>-<version>`` (default cache: ``$XDG_CACHE_HOME/sdkgen`` or
``~/.cache/sdkgen``, as for the formatter cache).  A marker file is written last: a venv without
it (a build that was interrupted) or built from another interpreter is removed and built again.
Concurrent pytest workers serialize on a lock file beside the venv, so only one of them builds.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

__all__ = ["peer_python", "peers_dir"]

MARKER = "sdkgen-peer.json"
# What pip prints when it cannot reach the index (DNS, refused or reset connections, proxies, TLS).
_OFFLINE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution"
    r"|Name or service not known|ConnectTimeoutError|ReadTimeoutError|ProxyError|Network is unreachable"
    r"|Connection refused|Connection reset|SSLError",
)


def peers_dir() -> Path:
    base = os.environ.get("SDKGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "sdkgen"
    )
    return Path(base) / "peers"


@cache
def peer_python(name: str, version: str) -> Path:
    """The interpreter of a venv holding exactly ``name==version`` (and its dependencies)."""
    venv = peers_dir() / f"{name}-{version}"
    wanted = {"requirement": f"{name}=={version}", "base": os.path.realpath(sys.executable)}
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    venv.parent.mkdir(parents=True, exist_ok=True)
    with _locked(venv.with_name(venv.name + ".lock")):
        if _marker(venv) == wanted and python.exists():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)], f"creating the venv for {name}=={version}")
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]
        done = subprocess.run(
            [*pip, "--timeout", "30", "--retries", "2", f"{name}=={version}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            shutil.rmtree(venv, ignore_errors=True)
            offline = next((line.strip() for line in output.splitlines() if _OFFLINE.search(line)), None)
            if offline:
                pytest.skip(f"cannot install the official {name}=={version}: PyPI unreachable ({offline[-300:]})")
            raise RuntimeError(f"pip install {name}=={version} failed:\n{output}")
        (venv / MARKER).write_text(json.dumps(wanted, indent=1) + "\n", encoding="utf-8")  # written last
    return python


def _marker(venv: Path) -> object:
    try:
        return json.loads((venv / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` across processes (pytest-xdist workers), held for the block."""
    with open(path, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - CI runs on Linux
            import msvcrt

            handle.seek(0)
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
