"""``--format github``: workflow commands for GitHub Actions.

GitHub shows at most 10 annotations of each level (error, warning, notice) per step and drops
the rest, so the verdict comes first, then for each level the 10 most important findings
(repeated ones as one annotation that says how many more are like it), then a last line of each
level that counts what was not annotated.  The full table goes to the job summary
(``$GITHUB_STEP_SUMMARY``), which ``sdkgen diff`` appends to when the variable is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from .changes import Severity
from .diff import DiffResult
from .groups import Group, group
from .report import LineIndex, display_path

PER_LEVEL = 10
SUMMARY_LIMIT = 1_000_000  # GitHub's job summary holds up to 1 MiB per step
LEVELS = {Severity.BREAKING: "error", Severity.POSSIBLY_BREAKING: "warning", Severity.NON_BREAKING: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: DiffResult) -> str:
    counts = {s: sum(1 for c in result.changes if c.severity is s) for s in LEVELS}
    verdict_level = "error" if result.verdict.bump == "major" else "notice"
    tally = ", ".join(f"{counts[s]} {s.value}" for s in LEVELS)
    verdict = f"SDK version bump: {result.verdict.bump} ({tally}). " + " ".join(result.verdict.reasons)
    out = [f"::{verdict_level} title={escape_property(f'sdkgen diff: {result.verdict.bump}')}::{escape_data(verdict)}"]
    used = {"error": 0, "warning": 0, "notice": 0}
    used[verdict_level] += 1
    for note in result.notes:
        if used["warning"] < PER_LEVEL - 1:
            out.append(f"::warning title=sdkgen diff::{escape_data(note)}")
            used["warning"] += 1
    lines = LineIndex()
    groups = group(result.changes)
    for severity, level in LEVELS.items():
        mine = [g for g in groups if g.severity is severity]
        room = PER_LEVEL - used[level]
        shown = mine if len(mine) <= room else mine[: max(room - 1, 0)]
        for g in shown:
            out.append(_annotation(result, g, level, lines))
        left = sum(g.count for g in mine[len(shown) :])
        if left:
            where = "the job summary" if os.environ.get("GITHUB_STEP_SUMMARY") else "the full report"
            msg = f"{left} more {severity.value} change(s) not annotated (GitHub shows {PER_LEVEL} per level): see {where}"
            out.append(f"::{level} title={escape_property(f'sdkgen diff: {severity.value}')}::{escape_data(msg)}")
    return "\n".join(out) + "\n"


def _annotation(result: DiffResult, g: Group, level: str, lines: LineIndex) -> str:
    c = g.first
    side = result.old if c.where.side == "old" else result.new
    spec = side.config.spec
    file = spec.parent / c.where.file if c.where.file else spec
    props = [f"file={escape_property(display_path(file))}"]
    line = lines.line(file, c.where.pointer)
    if line:
        props.append(f"line={line}")
    props.append(f"title={escape_property(f'{c.severity.value}: {c.rule}')}")
    message = c.message + (
        f" (SDK: {', '.join(c.symbols[:6])}{' …' if len(c.symbols) > 6 else ''})" if c.symbols else ""
    )
    if g.count > 1:
        message += f"\n\nand {g.count - 1} more like it: {g.pattern}"
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def write_job_summary(result: DiffResult) -> Path | None:
    """Append the full table to ``$GITHUB_STEP_SUMMARY`` (when set), within GitHub's limit."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    from .markdown import full, summary

    text = full(result)
    if len(text) > SUMMARY_LIMIT:
        text = summary(result, limit=SUMMARY_LIMIT)
    path = Path(target)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text + "\n")
    return path
