"""Shared fixtures: generate a package from an inline spec into a temp dir and import it."""

from __future__ import annotations

import importlib
import itertools
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml

from generator import Config, Result, generate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "polytomic"
_counter = itertools.count()


def write_spec(folder: Path, spec: dict[str, Any] | str, name: str = "openapi.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(spec if isinstance(spec, str) else yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def minimal(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, version: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "Test API", "version": "1.0"},
        "servers": [{"url": "https://api.test"}],
        "paths": paths or {},
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


GenerateFn = Callable[..., tuple[Any, Result]]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[GenerateFn]:
    """``generated(spec, **config)`` → (imported package module, Result)."""
    added: list[str] = []

    def run(spec: dict[str, Any] | str, **config: Any) -> tuple[Any, Result]:
        n = next(_counter)
        folder = tmp_path / f"case{n}"
        spec_path = write_spec(folder / "spec", spec)
        package = config.pop("package_name", f"sdk_case_{n}")
        result = generate(Config(spec=spec_path, output=folder / "out", package_name=package, **config))
        project = str(result.package_dir)
        sys.path.insert(0, project)
        added.append(project)
        importlib.invalidate_caches()
        return importlib.import_module(package), result

    yield run
    for p in added:
        if p in sys.path:
            sys.path.remove(p)
