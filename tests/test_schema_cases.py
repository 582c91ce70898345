"""The schema feature cases (``tests/data/schema-cases/``): every document generates a package
that imports and passes ``mypy --strict`` (one mypy run over all of them), whatever the document:
empty, no schemas, null-only enums, recursive unions, allOf, tuples, enums of any value."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import Config, Result, generate

CASES = Path(__file__).parent / "data" / "schema-cases"
DOCUMENTS = sorted(CASES.glob("*.yaml"))


def case_package(name: str) -> str:
    return "case_" + name.replace("-", "_")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every case generated once, each into its own project folder."""
    out = tmp_path_factory.mktemp("schema_cases")
    return {
        doc.stem: generate(Config(spec=doc, output=out / doc.stem, package_name=case_package(doc.stem)))
        for doc in DOCUMENTS
    }


def load(result: Result) -> Any:
    project = str(result.package_dir)
    sys.path.insert(0, project)
    try:
        importlib.invalidate_caches()
        return importlib.import_module(result.package_dir.name)
    finally:
        sys.path.remove(project)


def test_there_are_cases() -> None:
    assert len(DOCUMENTS) >= 8


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_case_imports_with_every_component(doc: Path, packages: dict[str, Result]) -> None:
    import yaml

    from generator.naming import convert

    result = packages[doc.stem]
    pkg = load(result)
    assert not [d for d in result.diagnostics if d.level == "error"]
    schemas = (yaml.safe_load(doc.read_text()).get("components") or {}).get("schemas") or {}
    for name in pkg.types.__all__:
        getattr(pkg.types, name)  # every module imports
    warned = " ".join(d.message for d in result.diagnostics)
    for name in schemas:
        # every component under its own name, or PascalCase where the name is no class name
        # (``pet``, ``pet-store``: README), or a warning that names both names
        pascal = convert(name, "pascal")
        assert name in pkg.types.__all__ or repr(name) in warned or (pascal != name and pascal in pkg.types.__all__), name


def test_every_case_passes_mypy_strict(packages: dict[str, Result], tmp_path: Path) -> None:
    targets = [str(r.package_dir / r.package_dir.name) for r in packages.values()]
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *targets],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
