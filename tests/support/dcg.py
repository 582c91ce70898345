"""datamodel-code-generator as a reference model emitter, run in-process.

``dcg_models(spec, folder)`` writes the OpenAPI document to ``folder``, has
datamodel-code-generator emit pydantic v2 models for its component schemas into a
``.py`` file next to it, and imports that file under a unique module name.

Options, and why:

* ``strict_nullable=True``: honour ``nullable: true`` / ``type: [..., "null"]`` on required
  properties (without it datamodel-code-generator types a required 3.0 ``nullable: true``
  property as plain ``str``). Optional properties still accept ``null`` either way, as
  sdkgen's do.
* ``formatters=[BUILTIN]``: no subprocess formatter (fast, and no deprecation warning).
* ``disable_timestamp=True``: deterministic output.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from datamodel_code_generator import DataModelType, InputFileType, generate
from datamodel_code_generator.format import Formatter

_counter = itertools.count()


def dcg_source(spec: dict[str, Any], folder: Path) -> Path:
    """Generate datamodel-code-generator's pydantic v2 models for ``spec``; the output file."""
    folder.mkdir(parents=True, exist_ok=True)
    n = next(_counter)
    spec_path = folder / f"openapi_{n}.json"
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    out = folder / f"dcg_models_{n}.py"
    generate(
        spec_path,
        input_file_type=InputFileType.OpenAPI,
        output=out,
        output_model_type=DataModelType.PydanticV2BaseModel,
        strict_nullable=True,
        disable_timestamp=True,
        formatters=[Formatter.BUILTIN],
    )
    return out


def import_file(path: Path, prefix: str = "_dcg_reference") -> ModuleType:
    """Import a single ``.py`` file under a fresh module name (registered in ``sys.modules``
    so pydantic can resolve the forward references of recursive models)."""
    name = f"{prefix}_{next(_counter)}_{path.stem}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def dcg_models(spec: dict[str, Any], folder: Path) -> ModuleType:
    """datamodel-code-generator's models for ``spec``, imported: ``getattr(module, "SchemaName")``."""
    return import_file(dcg_source(spec, folder))
