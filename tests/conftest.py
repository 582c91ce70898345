"""Shared fixtures: generate a package from an inline spec into a temp dir and import it."""

from __future__ import annotations

import importlib
import itertools
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml
from hypothesis import settings

from generator import Config, Result, generate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "polytomic"
_counter = itertools.count()

# Property tests draw the same examples on every run and machine, so CI passes or fails on the
# code, never on the luck of the draw. SDKGEN_HYPOTHESIS=hunt draws new ones each run (with
# SDKGEN_HOSTILE_EXAMPLES=500, say) to look for what the fixed draw misses.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("hunt", database=None)
settings.load_profile(os.environ.get("SDKGEN_HYPOTHESIS", "ci"))


def valid(tp: Any, value: Any) -> bool:
    """Whether a generated type (a model class, an alias, a union) accepts ``value`` as the
    caller's code would validate it (every constraint checked)."""
    import pydantic

    try:
        if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
            tp.model_validate(value)
        else:
            pydantic.TypeAdapter(tp).validate_python(value)
    except pydantic.ValidationError:
        return False
    return True


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


# Whole test modules in the slow tier (see docs/architecture.md): each builds the Polytomic SDKs,
# virtual environments, peers or big documents, or runs the CLI in subprocesses.  Single slow
# tests elsewhere carry ``@pytest.mark.slow`` themselves.  ``pytest -m "not slow"`` is the fast loop.
SLOW_MODULES = frozenset(
    {
        "test_cli",
        "test_cli_errors",
        "test_contract",
        "test_contract_server",
        "test_corpus_regressions",
        "test_custom_templates",
        "test_dcg_differential",
        "test_diff",
        "test_docs",
        "test_faults",
        "test_generated_lint",
        "test_golden",
        "test_hostile",
        "test_hostile_documents",
        "test_hostile_files",
        "test_hostile_names",
        "test_hostile_resources",
        "test_layout",
        "test_maintainer_workflow",
        "test_ownership",
        "test_packaging",
        "test_peers",
        "test_pieces",
        "test_polytomic_client",
        "test_polytomic_spec",
        "test_side_by_side",
        "test_typecheck",
        "test_validation_fast_path",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
