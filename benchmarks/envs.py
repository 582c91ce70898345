"""Pinned virtual environments for the peers and for running SDKs, cached between runs.

Each environment lives in ``<cache>/venvs/<name>-<hash of its pins>`` and is built once with
the ordinary ``venv`` + ``pip``; a marker file written last means "complete".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import CACHE, log

# The versions compared; bump deliberately and rerun the whole bench.
OPENAPI_PYTHON_CLIENT = "openapi-python-client==0.29.1"
DATAMODEL_CODE_GENERATOR = "datamodel-code-generator==0.89.0"
POLYTOMIC_OFFICIAL = "polytomic==25.9.10"
# The runtime both Polytomic SDKs import: the same httpx and pydantic on both sides.
RUNTIME = ("httpx==0.28.1", "pydantic==2.13.4")


@dataclass(frozen=True)
class Env:
    name: str
    pins: tuple[str, ...]

    @property
    def path(self) -> Path:
        digest = hashlib.sha256(json.dumps([sys.version, *self.pins]).encode()).hexdigest()[:10]
        return CACHE / "venvs" / f"{self.name}-{digest}"

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    def environ(self, **extra: str) -> dict[str, str]:
        """os.environ with this venv first on PATH (post-hooks such as ruff are found there)."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.path)
        env.update(extra)
        return env

    def ensure(self) -> Env:
        marker = self.path / ".bench-complete"
        if marker.is_file():
            return self
        log(f"creating venv {self.path.name}: {' '.join(self.pins)}")
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(self.path)], check=True)
        pip = [str(self.python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", *self.pins], check=True)
        marker.write_text(self.freeze(), encoding="utf-8")
        return self

    def freeze(self) -> str:
        out = subprocess.run(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", "list", "--format=freeze"],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def version_of(self, dist: str) -> str:
        marker = self.path / ".bench-complete"
        text = marker.read_text(encoding="utf-8") if marker.is_file() else self.freeze()
        for line in text.splitlines():
            name, _, version = line.partition("==")
            if name.lower().replace("_", "-") == dist.lower().replace("_", "-"):
                return version
        return "?"


OAPC = Env("openapi-python-client", (OPENAPI_PYTHON_CLIENT,))
# email-validator: the models it writes use EmailStr, which needs pydantic[email] at import time.
DCG = Env("datamodel-code-generator", (DATAMODEL_CODE_GENERATOR, "email-validator==2.4.0"))
OFFICIAL = Env("polytomic-official", (POLYTOMIC_OFFICIAL, *RUNTIME))
# Runs the generated SDK (on PYTHONPATH) with the same httpx/pydantic as OFFICIAL.
GENERATED_RT = Env("polytomic-generated-runtime", RUNTIME)

CACHE_HINT = "~/.cache/sdkgen/bench/venvs"
