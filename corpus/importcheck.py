"""The script a fresh interpreter runs to import every module of a generated package."""

from __future__ import annotations

IMPORT_SCRIPT = r"""
import importlib, sys, traceback
from pathlib import Path
root, package = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(root))
failures = 0
modules = []
for path in sorted((root / package).rglob("*.py")):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    modules.append(".".join(parts))
for name in modules:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        failures += 1
        if failures == 1:
            traceback.print_exc(limit=-3)
            first = f"{name}: {type(exc).__name__}: {exc}".splitlines()[0][:400]
if failures:
    print(f"{failures} of {len(modules)} modules failed; first: {first}")
    sys.exit(1)
print(f"imported {len(modules)} modules")
"""
