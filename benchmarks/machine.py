"""The machine block of RESULTS.md: hardware, interpreter, and every compared package's version."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata

from . import envs
from .common import REPO
from .specs import HUGE


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def loadavg() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def _git() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--", "generator", "templates")
    return head + (" + uncommitted generator changes" if dirty else "")


def block(load_start: str, load_end: str, mode: str) -> str:
    sys.path.insert(0, str(REPO))
    from generator import __version__ as sdkgen_version

    rows = [
        ("cores", f"{os.cpu_count()} (affinity: {len(os.sched_getaffinity(0))})"),
        ("CPU", _cpu_model()),
        ("memory", _memory()),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("load average (1/5/15 min) at start", load_start),
        ("load average at end", load_end),
        ("mode", mode),
        (
            "sdkgen",
            f"{sdkgen_version} (commit {_git()}); black {_version('black')}, jinja2 {_version('jinja2')}, "
            f"pyyaml {_version('pyyaml')}, openapi-spec-validator {_version('openapi-spec-validator')}",
        ),
        (
            "openapi-python-client",
            f"{envs.OAPC.version_of('openapi-python-client')} (ruff {envs.OAPC.version_of('ruff')})",
        ),
        (
            "datamodel-code-generator",
            f"{envs.DCG.version_of('datamodel-code-generator')} (black "
            f"{envs.DCG.version_of('black')}, isort {envs.DCG.version_of('isort')})",
        ),
        ("official polytomic SDK", envs.OFFICIAL.version_of("polytomic")),
        ("SDK runtime (both SDKs)", ", ".join(envs.RUNTIME)),
        ("spec documents", "; ".join(s.source for s in HUGE)),
    ]
    lines = ["| | |", "| --- | --- |", *[f"| {k} | {v} |" for k, v in rows]]
    lines.append("")
    lines.append(
        f"Peers run from their own venvs under `{envs.CACHE_HINT}`; sdkgen runs from this checkout "
        f"on {sys.executable.replace(str(REPO), '.')}."
    )
    return "\n".join(lines)
