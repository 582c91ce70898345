"""``sdkgen diff`` output: text, markdown, json, GitHub Actions annotations, JUnit XML.

Every format is deterministic (no timestamps, no absolute paths when a relative one exists),
so a report can be committed and compared.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import yaml

from .changes import Change, Severity, at_least
from .diff import DiffInput, DiffResult

FORMATS = ("text", "markdown", "json", "github", "junit")
_ORDER = (Severity.BREAKING, Severity.POSSIBLY_BREAKING, Severity.NON_BREAKING)


def render(result: DiffResult, fmt: str, fail_on: str | None = None, full_report: str | None = None) -> str:
    """The report in one format.  ``markdown`` is the summary that fits a pull-request comment
    (linking ``full_report``, the file with every change); ``markdown-full`` is that file."""
    from .annotations import github
    from .markdown import full, summary

    renderers: dict[str, Callable[[DiffResult], str]] = {
        "text": text,
        "markdown": lambda r: summary(r, full_report),
        "markdown-full": full,
        "json": to_json,
        "github": github,
        "junit": lambda r: junit(r, fail_on or "breaking"),
    }
    return renderers[fmt](result)


def display_path(path: Path) -> str:
    """A spec path as the user would type it: relative to the working directory if inside it."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return path.as_posix()


def _side(side: DiffInput) -> str:
    return f"{side.label} ({display_path(side.config.spec)})" if side.label != str(side.config.spec) else side.label


def _counts(result: DiffResult) -> Counter[Severity]:
    return Counter(c.severity for c in result.changes)


def _where(c: Change) -> str:
    if c.sdk_only:
        return "generated SDK"
    op = c.where.operation
    ref = f"{c.where.file}#{c.where.pointer}" if c.where.file else ""
    return f"{op} ({ref})" if op and ref else op or ref


# -- text ---------------------------------------------------------------------------------


def text(result: DiffResult) -> str:
    counts = _counts(result)
    lines = [
        f"sdkgen diff: {_side(result.old)} -> {_side(result.new)}",
        f"semver: {result.verdict.bump}",
        *(f"  - {reason}" for reason in result.verdict.reasons),
        *(f"note: {note}" for note in result.notes),
    ]
    for severity in _ORDER:
        group = [c for c in result.changes if c.severity is severity]
        if not group:
            continue
        lines += ["", f"{severity.value} ({len(group)})"]
        for c in group:
            lines.append(f"  [{c.rule}] {c.message}")
            if c.symbols:
                lines.append(f"      sdk: {', '.join(c.symbols)}")
            lines.append(f"      at: {_where(c)}")
    summary = ", ".join(f"{counts[s]} {s.value}" for s in _ORDER)
    lines += ["", f"{summary} -> {result.verdict.bump}"]
    return "\n".join(lines) + "\n"


# -- json ---------------------------------------------------------------------------------


def as_dict(result: DiffResult) -> dict[str, Any]:
    counts = _counts(result)
    return {
        "old": _side_dict(result.old),
        "new": _side_dict(result.new),
        "semver": result.verdict.bump,
        "reasons": list(result.verdict.reasons),
        "summary": {s.value: counts[s] for s in _ORDER},
        "notes": list(result.notes),
        "changes": [_change_dict(c) for c in result.changes],
    }


def _side_dict(side: DiffInput) -> dict[str, Any]:
    return {"label": side.label, "spec": display_path(side.config.spec)}


def _change_dict(c: Change) -> dict[str, Any]:
    return {
        "severity": c.severity.value,
        "rule": c.rule,
        "message": c.message,
        "location": {
            "method": c.where.method,
            "path": c.where.path,
            "pointer": c.where.pointer,
            "file": c.where.file,
            "document": c.where.side if c.where.file else "",
        },
        "symbols": list(c.symbols),
        "direction": c.direction,
        "addition": c.addition,
        "source": "sdk" if c.sdk_only else "spec",
    }


def to_json(result: DiffResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"


# -- GitHub Actions: annotations.py; JSON pointer → line ----------------------------------


class LineIndex:
    """JSON pointer → line number in a YAML or JSON file (composed once per file)."""

    def __init__(self) -> None:
        self._roots: dict[Path, Any] = {}

    def _root(self, file: Path) -> Any:
        if file not in self._roots:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                self._roots[file] = yaml.compose(file.read_text(encoding="utf-8"), Loader=loader)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                self._roots[file] = None
        return self._roots[file]

    def line(self, file: Path, pointer: str) -> int | None:
        node = self._root(file)
        if node is None:
            return None
        mark = node.start_mark
        for token in [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]:
            found = _child(node, token)
            if found is None:
                return None
            mark, node = found[0].start_mark, found[1]
        return int(mark.line) + 1


def _child(node: Any, token: str) -> tuple[Any, Any] | None:
    """(the node that names the child, the child)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return key, value
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        item = node.value[int(token)]
        return item, item
    return None


# -- JUnit XML ----------------------------------------------------------------------------


def junit(result: DiffResult, fail_on: str) -> str:
    failing = set(map(id, at_least(result.changes, fail_on)))
    name = f"sdkgen diff {result.old.label} -> {result.new.label}"
    suites = ET.Element("testsuites", name="sdkgen diff")
    suite = ET.SubElement(suites, "testsuite", name=name)
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="semver", value=result.verdict.bump)
    for note in result.notes:
        ET.SubElement(props, "property", name="note", value=note)
    for c in result.changes:
        case = ET.SubElement(
            suite, "testcase", classname=f"sdkgen.diff.{c.severity.value}", name=f"{c.rule}: {_where(c) or c.message}"
        )
        details = "\n".join([c.message, *(f"sdk: {s}" for s in c.symbols), f"at: {_where(c)}"])
        if id(c) in failing:
            failure = ET.SubElement(case, "failure", type=c.rule, message=c.message)
            failure.text = details
        else:
            ET.SubElement(case, "system-out").text = details
    if not result.changes:
        ET.SubElement(suite, "testcase", classname="sdkgen.diff", name="no API changes")
    count, failures = str(max(1, len(result.changes))), str(len(failing))
    for element in (suites, suite):
        element.set("tests", count)
        element.set("failures", failures)
        element.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
