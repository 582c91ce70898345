"""Fast import: ``import polytomic`` loads nothing heavy; names load on first use, and both
ordinary and static imports still work."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

PROJECT = ROOT / "generated" / "polytomic"


def _probe(code: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PROJECT)},
    )
    return json.loads(out.stdout)


LOADED = "json.dumps({m: m in sys.modules for m in ['httpx', 'pydantic', 'polytomic._client', 'polytomic.types.model_response', 'polytomic.resources.models']})"


def test_import_loads_only_the_version() -> None:
    loaded = _probe(f"import json, sys, polytomic; assert polytomic.API_VERSION == '2025-09-18'; print({LOADED})")
    assert not any(loaded.values()), loaded


def test_names_load_on_first_use() -> None:
    loaded = _probe(f"import json, sys; from polytomic import Polytomic, NotFoundError; print({LOADED})")
    assert loaded["httpx"] and loaded["polytomic._client"]
    assert not loaded["polytomic.types.model_response"] and not loaded["polytomic.resources.models"]
    used = _probe(
        "import json, sys, polytomic\n"
        "client = polytomic.Polytomic(api_key='k')\n"
        "client.models\n"
        "from polytomic.types import ModelResponse\n"
        f"print({LOADED})"
    )
    assert used["polytomic.resources.models"] and used["polytomic.types.model_response"]


def test_every_public_name_resolves() -> None:
    names = _probe("import json, polytomic; print(json.dumps(sorted(polytomic.__all__)))")
    assert isinstance(names, list) and "Polytomic" in names and "SyncPager" in names
    resolved = _probe(
        "import json, polytomic; print(json.dumps({n: type(getattr(polytomic, n)).__name__ for n in polytomic.__all__}))"
    )
    assert set(resolved) == set(names)
    assert resolved["Polytomic"] == "type" and resolved["types"] == "module"
