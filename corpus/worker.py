"""One corpus document, in its own process: generate, check completeness, import, compile.

``python -m corpus.worker SPEC OUT RESULT.json [--mypy]`` writes one JSON record. The parent
(``corpus.run``) runs it under a timeout and a memory limit, so a document that makes the
generator loop or swell costs that one record and nothing else.

Classes, in the order they are decided:

* ``refused``: ``SpecError`` (the CLI's exit 2) with diagnostics;
* ``crash``: any other exception (the CLI would print a traceback), or a diagnostic that
  reports an internal error (a bug the generator caught in itself);
* ``import-fail``: a module of the package fails to import in a fresh interpreter, or
  ``compileall`` fails;
* ``incomplete``: an operation under ``paths`` or a response with a body is missing from the
  SDK and named in no diagnostic (see ``completeness``);
* ``ok``.
"""

from __future__ import annotations

import compileall
import json
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any
from unittest import mock

from generator import Config, SpecError
from generator.diagnostics import Diagnostic, Level
from generator.ir import build as ir_build
from generator.ir.nodes import Api
from generator.loader import LoadedSpec
from generator.loader.documents import DocumentError, parse_text

from .completeness import Coverage, check
from .importcheck import IMPORT_SCRIPT

PACKAGE = "corpus_sdk"
MEMORY_LIMIT = 8 * 1024**3
IMPORT_TIMEOUT = 900
MYPY_TIMEOUT = 900


class _Spy:
    """Keeps the IR the pipeline builds, for the completeness check (the Result has only counts)."""

    def __init__(self) -> None:
        self.api: Api | None = None
        self.loaded: LoadedSpec | None = None
        self._real = ir_build.build_api

    def __call__(self, loaded: LoadedSpec, *args: Any, **kwargs: Any) -> tuple[Api | None, tuple[Diagnostic, ...]]:
        self.loaded = loaded
        api, diagnostics = self._real(loaded, *args, **kwargs)
        self.api = api
        return api, diagnostics


def _first(diagnostics: tuple[Diagnostic, ...]) -> str:
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    pick = errors or list(diagnostics)
    return pick[0].format() if pick else ""


def _raw_document(spec: Path) -> Any:
    try:
        return parse_text(spec.read_text(encoding="utf-8-sig"), spec.name)
    except (OSError, UnicodeDecodeError, DocumentError):
        return None


def generate(spec: Path, out: Path) -> dict[str, Any]:
    from generator import pipeline

    spy = _Spy()
    record: dict[str, Any] = {}
    start = time.monotonic()
    try:
        with mock.patch.object(pipeline, "build_api", spy):
            result = pipeline.generate(Config(spec=spec, output=out, package_name=PACKAGE))
    except SpecError as exc:
        internal = [d.format() for d in exc.diagnostics if "internal error" in d.message]
        record.update(result="refused", diagnostics=len(exc.diagnostics), first=_first(exc.diagnostics))
        if internal:  # the generator caught its own bug: a crash all the same
            record.update(result="crash", first=internal[0])
        record["errors"] = [d.format() for d in exc.diagnostics if d.level is Level.ERROR][:20]
        return record
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, recorded with its traceback
        record.update(result="crash", first=f"{type(exc).__name__}: {exc}"[:500], traceback=traceback.format_exc())
        return record
    finally:
        record["generate_seconds"] = round(time.monotonic() - start, 2)
    record.update(
        result="generated",
        ops_generated=result.operations,
        diagnostics=len(result.diagnostics),
        first=_first(result.diagnostics),
        files=len(result.files),
        skipped=len(result.skipped),  # errors of pieces a broken $ref cost (generate exits 3)
    )
    if spy.api is not None:
        coverage = check(_raw_document(spec), spy.api, result.diagnostics)
        record.update(_coverage_fields(coverage))
    return record


def _coverage_fields(c: Coverage) -> dict[str, Any]:
    return {
        "ops_spec": c.spec_operations,
        "ops_named": len(c.named_operations),
        "ops_missing": sorted(c.missing_operations)[:20],
        "responses_spec": c.spec_responses,
        "responses_missing": sorted(c.missing_responses)[:20],
        "responses_missing_count": len(c.missing_responses),
    }


def import_all(project: Path) -> str:
    """'' when every module imports in a fresh interpreter, else the first failure."""
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT, str(project), PACKAGE],
        capture_output=True,
        text=True,
        timeout=IMPORT_TIMEOUT,
        check=False,
    )
    if proc.returncode == 0:
        return ""
    lines = [line for line in (proc.stderr + "\n" + proc.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else f"import check exited {proc.returncode}"


def run_mypy(project: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", PACKAGE],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=MYPY_TIMEOUT,
        check=False,
    )
    if proc.returncode == 0:
        return "pass"
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    return f"fail ({len(errors)} errors): " + (errors[0] if errors else proc.stdout.strip()[-300:])


def main(argv: list[str]) -> int:
    spec, out, result_file = Path(argv[0]), Path(argv[1]), Path(argv[2])
    with_mypy = "--mypy" in argv[3:]
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    sys.setrecursionlimit(10_000)
    record = generate(spec, out)
    if record["result"] == "generated":
        project = out / PACKAGE  # the generated project: pyproject.toml, README.md, corpus_sdk/
        start = time.monotonic()
        failure = import_all(project)
        if not failure and not compileall.compile_dir(str(project / PACKAGE), quiet=2, force=True):
            failure = "compileall failed"
        record["import_seconds"] = round(time.monotonic() - start, 2)
        if failure:
            record.update(result="import-fail", first=failure[:500])
        elif record.get("ops_missing") or record.get("responses_missing"):
            record["result"] = "incomplete"
        else:
            record["result"] = "ok"
        if with_mypy and record["result"] in ("ok", "incomplete"):
            record["mypy"] = run_mypy(project)
    result_file.write_text(json.dumps(record, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
