"""Markdown reports: a summary that fits a pull-request comment (GitHub refuses comments over
65,536 characters; the summary stays under ``LIMIT``) and the full report, one row per change.

The summary reads top down: the verdict and the counts, the breaking changes, the possibly
breaking ones, then everything else folded in ``<details>``.  Repeated findings are one row
with a count (``groups.py``).  When even that is too long, the lists inside rows shrink, then
the folded sections, and a last line says what was left out and where the full report is.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from .changes import Change, Severity
from .diff import DiffResult
from .groups import Group, group
from .report import display_path

LIMIT = 60_000
ORDER = (Severity.BREAKING, Severity.POSSIBLY_BREAKING, Severity.NON_BREAKING)
TITLES = {
    Severity.BREAKING: "Breaking changes",
    Severity.POSSIBLY_BREAKING: "Possibly breaking changes",
    Severity.NON_BREAKING: "Non-breaking changes",
}
_ENDPOINTS = [
    ("Removed endpoints", ("operation-removed",)),
    ("Moved endpoints", ("operation-path-changed", "operation-method-changed")),
    ("Renamed SDK methods", ("operation-id-changed", "sdk-method-renamed")),
    ("Added endpoints", ("operation-added",)),
]


def cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(value: str) -> str:
    return f"`{value}`" if "`" not in value else value


def _counts(result: DiffResult) -> Counter[Severity]:
    return Counter(c.severity for c in result.changes)


def _head(result: DiffResult, full_report: str | None, *, full: bool) -> list[str]:
    counts = _counts(result)
    strict = " (strict: possibly-breaking counts as breaking)" if result.strict else ""
    tally = " · ".join(f"{counts[s]} {s.value}" for s in ORDER)
    out = [
        f"## sdkgen diff: {code(result.old.label)} → {code(result.new.label)}",
        "",
        f"**SDK version bump: {result.verdict.bump}**{strict} · {tally}",
        "",
        f"Specs: `{display_path(result.old.config.spec)}` → `{display_path(result.new.config.spec)}`",
    ]
    if full_report and not full:
        out += ["", f"Full report, one row per change: [{full_report}]({full_report})"]
    out += ["", *(f"- {cell(reason)}" for reason in result.verdict.reasons)]
    out += [f"\n> **Note:** {cell(note)}" for note in result.notes]
    return [*out, ""]


# -- the full report -----------------------------------------------------------------------


def full(result: DiffResult) -> str:
    """Every change, one row each (for a file or a job summary, not a comment)."""
    out = _head(result, None, full=True)
    out += _endpoints(result.changes, None)
    for severity in ORDER:
        changes = [c for c in result.changes if c.severity is severity]
        if changes:
            out += [f"### {TITLES[severity]} ({len(changes)})", "", *_table(changes), ""]
    return "\n".join(out).rstrip() + "\n"


def _table(changes: Sequence[Change]) -> list[str]:
    rows = ["| rule | where | change | SDK symbols |", "| --- | --- | --- | --- |"]
    for c in changes:
        symbols = "<br>".join(code(cell(s)) for s in c.symbols)
        rows.append(f"| `{c.rule}` | {_place(c)} | {cell(c.message)} | {symbols} |")
    return rows


def _place(c: Change) -> str:
    where = cell(c.where.operation) if c.where.operation else ""
    pointer = f"`{cell(c.where.pointer)}`" if c.where.pointer else ("generated SDK" if c.sdk_only else "")
    return "<br>".join(p for p in (where, pointer) if p)


def _endpoints(changes: Sequence[Change], cap: int | None) -> list[str]:
    out: list[str] = []
    for title, rules in _ENDPOINTS:
        items = [c for c in changes if c.rule in rules and (c.rule != "operation-id-changed" or len(c.symbols) > 1)]
        if not items:
            continue
        out += [f"#### {title} ({len(items)})", ""]
        for c in items[:cap]:
            symbols = " → ".join(code(s) for s in c.symbols)
            what = f"`{c.where.operation}`"
            if c.rule in ("operation-path-changed", "operation-method-changed"):
                what = cell(c.message.split(":", 1)[0])
            out.append(f"- {what}" + (f": {symbols}" if symbols else ""))
        if cap is not None and len(items) > cap:
            out.append(f"- … and {len(items) - cap} more")
        out.append("")
    return out


# -- the summary ---------------------------------------------------------------------------


def summary(result: DiffResult, full_report: str | None = None, limit: int = LIMIT) -> str:
    """The verdict and the breaking changes first, repeated findings grouped, the rest folded;
    never longer than ``limit`` characters."""
    groups = group(result.changes)
    head = "\n".join(_head(result, full_report, full=False)) + "\n"
    # The lists inside rows shrink first (breaking ones last), then whole folded sections go.
    for caps in ((None, None, 40), (None, 40, 12), (60, 12, 5), (25, 5, 0), (10, 0, 0), (3, 0, 0)):
        text = head + "\n".join(_sections(result, groups, caps)) + _tail(full_report, omitted=None)
        if len(text) <= limit:
            return text
    return _cut(head, _sections(result, groups, (3, 0, 0)), full_report, limit)


def _sections(result: DiffResult, groups: list[Group], caps: tuple[int | None, ...]) -> list[str]:
    out: list[str] = []
    for severity, cap in zip(ORDER, caps, strict=True):
        mine = [g for g in groups if g.severity is severity]
        if not mine:
            continue
        count = sum(g.count for g in mine)
        rows = _grouped(mine, cap)
        if severity is Severity.NON_BREAKING:
            out += [f"<details><summary>{TITLES[severity]} ({count})</summary>", "", *rows, "", "</details>", ""]
        else:
            out += [f"### {TITLES[severity]} ({count})", "", *rows, ""]
    endpoints = _endpoints(result.changes, caps[2] if caps[2] is not None else None)
    if endpoints:
        out += ["<details><summary>Endpoints and SDK methods</summary>", "", *endpoints, "</details>", ""]
    return out


def _grouped(groups: list[Group], cap: int | None) -> list[str]:
    rows = ["| rule | change | where and SDK symbols |", "| --- | --- | --- |"]
    for g in groups:
        if g.count == 1:
            c = g.first
            symbols = ", ".join(code(cell(s)) for s in c.symbols[:6]) + (" …" if len(c.symbols) > 6 else "")
            place = "<br>".join(p for p in (_place(c), symbols) if p)
            rows.append(f"| `{g.rule}` | {cell(c.message)} | {place} |")
            continue
        shown = g.changes if cap is None else g.changes[:cap]
        items = ", ".join(_item(c) for c in shown)
        more = g.count - len(shown)
        if more:
            items += f"{', ' if items else ''}… and {more} more"
        if "{" in g.pattern or "…" in g.pattern:  # placeholders: one real message reads better
            what = f"{cell(g.first.message)} — and {g.count - 1} more like it"
        else:
            what = cell(g.pattern)
        rows.append(f"| `{g.rule}` ({g.count}) | {what} | {items} |")
    return rows


def _item(c: Change) -> str:
    if c.rule == "schema-renamed" and len(c.symbols) == 2:
        a, b = (s.rsplit(".", 1)[-1] for s in c.symbols)
        return f"`{a}` → `{b}`"
    if c.symbols and "(" in c.symbols[0]:  # an argument says more than its method's operation
        return code(cell(c.symbols[0]))
    if c.where.operation:
        return code(cell(c.where.operation))
    if c.symbols:
        return code(cell(c.symbols[0]))
    return code(cell(c.where.pointer)) if c.where.pointer else cell(c.message[:80])


def _tail(full_report: str | None, omitted: int | None) -> str:
    lines = []
    if omitted:
        lines.append(f"**{omitted} more lines left out to stay under GitHub's comment limit.**")
    if full_report:
        lines.append(f"Every change, one row each: [{full_report}]({full_report}).")
    elif omitted:
        lines.append("Every change: `sdkgen diff ... --full-report FILE`, or `--format json`.")
    return ("\n" + "\n\n".join(lines) + "\n") if lines else ""


def _cut(head: str, lines: list[str], full_report: str | None, limit: int) -> str:
    """The last resort: whole lines, in reading order, until the limit."""
    budget = limit - len(head) - len(_tail(full_report, omitted=len(lines))) - 64
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    if "<details>" in "".join(kept) and "</details>" not in kept[-1:]:
        kept.append("</details>")
    text = head + "\n".join(kept) + "\n" + _tail(full_report, omitted=len(lines) - len(kept))
    return text[:limit]
