"""Does a generated package compile and import?  ``compileall`` over it, then import every module.

Runs inside the environment the output needs (its generator's venv, or the SDK runtime venv).
Standard library only.  Prints one JSON line:
``{"compileall": bool, "modules": n, "imported": n, "failed": n, "first_error": str}``.

    python outputcheck.py ROOT NAME     # ROOT on sys.path; NAME a package or a module
"""

from __future__ import annotations

import compileall
import importlib
import io
import json
import pkgutil
import sys
import traceback
from contextlib import redirect_stdout
from pathlib import Path


def main() -> int:
    root, name = Path(sys.argv[1]).resolve(), sys.argv[2]
    target = root / name if (root / name).is_dir() else root / f"{name}.py"
    with redirect_stdout(io.StringIO()):
        if target.is_dir():
            compiled = compileall.compile_dir(str(target), quiet=2, workers=1)
        else:
            compiled = compileall.compile_file(str(target), quiet=2)
    sys.path.insert(0, str(root))
    names = [name]
    failed: list[str] = []
    first_error = ""
    try:
        top = importlib.import_module(name)
    except Exception:  # noqa: BLE001 - reported, not raised
        top = None
        failed.append(name)
        first_error = traceback.format_exc(limit=-3)
    if top is not None and hasattr(top, "__path__"):
        for info in pkgutil.walk_packages(top.__path__, prefix=f"{name}.", onerror=lambda _: None):
            names.append(info.name)
            try:
                importlib.import_module(info.name)
            except Exception:  # noqa: BLE001 - reported, not raised
                failed.append(info.name)
                if not first_error:
                    first_error = f"{info.name}: " + traceback.format_exc(limit=-3)
    result = {
        "compileall": bool(compiled),
        "modules": len(names),
        "imported": len(names) - len(failed),
        "failed": len(failed),
        "first_error": first_error[-1500:],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
