"""How each generator is invoked, where its output lands, and how that output is checked."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import envs
from .common import REPO, WORKERS, run_json


@dataclass(frozen=True)
class Invocation:
    cmd: list[str]
    env: dict[str, str]
    import_root: Path  # goes on sys.path
    import_name: str  # package or module imported by the output check
    check_python: Path  # interpreter with the output's runtime dependencies


def sdkgen_env(cache_dir: Path | None = None) -> dict[str, str]:
    """sdkgen from this checkout (not whatever an editable install points at)."""
    env = {k: v for k, v in os.environ.items() if k != "SDKGEN_CACHE_DIR"}
    env["PYTHONPATH"] = str(REPO)
    if cache_dir is None:
        env["SDKGEN_NO_CACHE"] = "1"
    else:
        env.pop("SDKGEN_NO_CACHE", None)
        env["SDKGEN_CACHE_DIR"] = str(cache_dir)
    return env


def sdkgen(spec: Path, out: Path, name: str) -> Invocation:
    cmd = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), "--package-name", name, "-q"]
    return Invocation(cmd, sdkgen_env(), out / name, name, envs.GENERATED_RT.python)


def openapi_python_client(spec: Path, out: Path, name: str) -> Invocation:
    """Default settings (poetry metadata, ruff post-hooks), only the package name fixed."""
    config = out / f"{name}-oapc.yaml"
    out.mkdir(parents=True, exist_ok=True)
    config.write_text(f"package_name_override: {name}\n", encoding="utf-8")
    exe = envs.OAPC.bin / "openapi-python-client"
    cmd = [str(exe), "generate", "--path", str(spec), "--output-path", str(out / name), "--overwrite"]
    cmd += ["--config", str(config)]
    return Invocation(cmd, envs.OAPC.environ(), out / name, name, envs.OAPC.python)


def _has_dotted_schema_names(spec: Path) -> bool:
    """datamodel-code-generator turns `a.b` schema names into modules: it needs a directory then."""
    try:
        doc = json.loads(spec.read_text(encoding="utf-8")) if spec.suffix == ".json" else {}
    except ValueError:
        return False
    return any("." in name for name in doc.get("components", {}).get("schemas", {}))


def datamodel_code_generator(spec: Path, out: Path, name: str) -> Invocation:
    """Models only (pydantic v2): one module, or a package when the spec's schema names are dotted."""
    module = f"{name}_models"
    target = out / name / module if _has_dotted_schema_names(spec) else out / name / f"{module}.py"
    exe = envs.DCG.bin / "datamodel-codegen"
    cmd = [str(exe), "--input", str(spec), "--input-file-type", "openapi", "--output", str(target)]
    cmd += ["--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.10"]
    (out / name).mkdir(parents=True, exist_ok=True)
    return Invocation(cmd, envs.DCG.environ(), out / name, module, envs.DCG.python)


GENERATORS: dict[str, Callable[[Path, Path, str], Invocation]] = {
    "sdkgen": sdkgen,
    "openapi-python-client": openapi_python_client,
    "datamodel-code-generator (models only)": datamodel_code_generator,
}


def check_output(inv: Invocation, timeout: float = 900) -> dict:
    """compileall + import every module; a crash of the checker is itself a result."""
    try:
        return run_json(
            [str(inv.check_python), str(WORKERS / "outputcheck.py"), str(inv.import_root), inv.import_name],
            timeout=timeout,
        )
    except Exception as exc:  # noqa: BLE001 - recorded as the result
        return {"compileall": False, "modules": 0, "imported": 0, "failed": 0, "first_error": f"checker: {exc}"}
