"""Fast import: ``import polytomic`` loads nothing heavy; names load on first use, models on
the first call that needs them, and both ordinary and static imports still work."""

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


def test_import_loads_no_module_beyond_the_package() -> None:
    """Not typing, not importlib (unless the interpreter loaded them at start-up), no dependency."""
    new = _probe(
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import polytomic\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    assert new == ["polytomic", "polytomic._version"], new
    for module in ("typing", "importlib", "httpx", "pydantic"):
        assert module not in new


def test_resources_load_the_models_of_the_operations_called() -> None:
    """A resource loads no model (so no pydantic); a call loads its response model, and the
    error model only when an error arrives."""
    code = (
        "import json, sys, httpx, polytomic\n"
        "def handler(request):\n"
        "    if request.method == 'DELETE':\n"
        "        return httpx.Response(404, json={'message': 'no such model'})\n"
        "    return httpx.Response(200, json={'data': {'id': 'm1', 'name': 'Users'}})\n"
        "client = polytomic.Polytomic(api_key='k', http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "names = ['pydantic', 'polytomic.types.model_response_envelope', 'polytomic.types.model_list_response_envelope', 'polytomic.types.api_error']\n"
        "seen = {}\n"
        "client.models\n"
        "seen['resource'] = [n for n in names if n in sys.modules]\n"
        "assert client.models.get('m1').data.name == 'Users'\n"
        "seen['call'] = [n for n in names if n in sys.modules]\n"
        "try:\n"
        "    client.models.delete('m1')\n"
        "except polytomic.NotFoundError as exc:\n"
        "    assert type(exc.body).__name__ == 'ApiError', exc.body\n"
        "seen['error'] = [n for n in names if n in sys.modules]\n"
        "print(json.dumps(seen))"
    )
    seen = _probe(code)
    assert seen["resource"] == []
    assert seen["call"] == ["pydantic", "polytomic.types.model_response_envelope"]
    assert seen["error"] == ["pydantic", "polytomic.types.model_response_envelope", "polytomic.types.api_error"]


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
