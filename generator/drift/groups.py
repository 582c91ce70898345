"""Repeated findings grouped for reading: 38 ``V4Foo → Foo`` renames, 99 "no longer documents
error status 401", one row each with a count, instead of one row per change.

A group is the changes of one severity and rule whose messages say the same thing about
different places: the message with its operation (``GET /api/x``) and the names it mentions
replaced by placeholders.  Schema renames are one group, each item its old and new name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .changes import Change, Severity

_OPERATION = re.compile(r"\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE|QUERY) /\S*")
_QUOTED = re.compile(r"'[^']*'")
_DOTTED = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]+(?:\.[A-Za-z_][A-Za-z0-9_]*)+\b")  # not e.body
_TYPE = re.compile(r"\b[A-Z][A-Za-z0-9_]*[a-z0-9][A-Za-z0-9_]*\b")

# Rules read first within a severity: what makes code fail soonest and most visibly.
_PRIORITY = (
    "operation-removed",
    "operation-path-changed",
    "operation-method-changed",
    "operation-id-changed",
    "sdk-method-renamed",
    "server-",
    "security-",
    "operation-",
    "param-",
    "path-param-",
    "request-body-",
    "request-property-",
    "response-body-",
    "response-",
    "error-",
    "schema-removed",
    "schema-renamed",
    "schema-",
    "version-header-",
    "sdk-",
)


def priority(rule: str) -> int:
    for i, prefix in enumerate(_PRIORITY):
        if rule == prefix or (prefix.endswith("-") and rule.startswith(prefix)):
            return i
    return len(_PRIORITY)


@dataclass(frozen=True, slots=True)
class Group:
    severity: Severity
    rule: str
    pattern: str  # what the changes have in common, for one table row
    changes: tuple[Change, ...]

    @property
    def count(self) -> int:
        return len(self.changes)

    @property
    def first(self) -> Change:
        return self.changes[0]


def pattern(c: Change) -> str:
    if c.rule == "schema-renamed" and c.severity.rank > 0:
        return "schema renamed with the same structure: the SDK type is imported under its new name"
    text = _OPERATION.sub("{operation}", c.message)
    text = _QUOTED.sub("'…'", text)
    text = _DOTTED.sub("{name}", text)
    return _TYPE.sub("{name}", text)


def group(changes: Iterable[Change]) -> list[Group]:
    """Groups in reading order: severity, then rule priority, then larger groups first."""
    buckets: dict[tuple[Severity, str, str], list[Change]] = {}
    for c in changes:
        buckets.setdefault((c.severity, c.rule, pattern(c)), []).append(c)
    out = [Group(sev, rule, pat, tuple(items)) for (sev, rule, pat), items in buckets.items()]
    return sorted(out, key=lambda g: (-g.severity.rank, priority(g.rule), -g.count, g.rule, g.pattern))
