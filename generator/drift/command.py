"""The ``sdkgen diff`` command: resolve both sides, diff, print, and pick the exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, ConfigError, find_pyproject, load_targets
from ..diagnostics import SpecError
from .annotations import write_job_summary
from .changes import at_least
from .diff import DiffInput, DiffResult, diff, resolve_side, resolve_version
from .report import render

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class DiffOptions:
    old: str
    new: str
    by_version: bool = False  # OLD and NEW are API versions under spec/<api>/
    api: str | None = None
    fmt: str = "text"
    fail_on: str | None = None
    strict: bool = False
    output: Path | None = None
    config: Path | None = None
    old_config: Path | None = None  # resolve OLD in another checkout (e.g. the base branch)
    quiet: bool = False
    full_report: Path | None = None  # markdown: every change, one row each, linked from the summary


def run_diff(options: DiffOptions) -> int:
    try:
        old, new = _resolve(options)
        result = diff(old, new, strict=options.strict)
    except (ConfigError, FileNotFoundError) as exc:
        sys.stderr.write(f"sdkgen diff: {exc}\n")
        return EXIT_INPUT
    except SpecError as exc:
        for d in exc.diagnostics:
            sys.stderr.write(d.format() + "\n")
        sys.stderr.write("sdkgen diff: a document has errors; nothing compared\n")
        return EXIT_INPUT
    link = _full_report(result, options)
    report = render(result, options.fmt, options.fail_on, link)
    if options.fmt == "github":
        write_job_summary(result)
    if options.output is not None:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text(report, encoding="utf-8")
        if not options.quiet:
            sys.stdout.write(
                f"sdkgen diff: {result.verdict.bump} ({len(result.changes)} changes) -> {options.output}\n"
            )
    else:
        sys.stdout.write(report)
    failing = at_least(result.changes, options.fail_on) if options.fail_on else []
    if failing:
        sys.stderr.write(f"sdkgen diff: {len(failing)} change(s) at or above --fail-on {options.fail_on}\n")
        return EXIT_FINDINGS
    return EXIT_OK


def _full_report(result: DiffResult, options: DiffOptions) -> str | None:
    """Write the full markdown report (``--full-report``, or ``NAME.full.md`` beside a markdown
    ``-o NAME.md``) and return the link the summary gives it: relative to the summary's file."""
    if options.fmt != "markdown":
        return None
    path = options.full_report
    if path is None and options.output is not None:
        path = options.output.with_name(options.output.stem + ".full" + (options.output.suffix or ".md"))
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result, "markdown-full"), encoding="utf-8")
    base = options.output.parent if options.output is not None else Path.cwd()
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:
        return path.as_posix()


def _resolve(options: DiffOptions) -> tuple[DiffInput, DiffInput]:
    pyproject = options.config or find_pyproject(Path.cwd())
    targets = _targets(pyproject)
    base = pyproject.parent if pyproject is not None else Path.cwd()
    if options.by_version:
        return (
            resolve_version(options.api, options.old, targets, base),
            resolve_version(options.api, options.new, targets, base),
        )
    if options.old_config is not None:
        old_targets = _targets(options.old_config)
        return resolve_side(options.old, old_targets, options.old_config.parent), resolve_side(
            options.new, targets, base
        )
    return resolve_side(options.old, targets, base), resolve_side(options.new, targets, base)


def _targets(pyproject: Path | None) -> list[Config]:
    if pyproject is None:
        return []
    try:
        return load_targets(pyproject)
    except ConfigError:
        if "[tool.sdkgen" in pyproject.read_text(encoding="utf-8", errors="replace"):
            raise
        return []  # a pyproject without sdkgen targets: sides must be spec files
