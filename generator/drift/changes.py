"""What ``sdkgen diff`` reports: changes with a severity, a rule, a location and SDK symbols,
and the semver verdict they add up to.

Severity is about users of the generated SDK talking to the new API version:

* ``breaking``: code that worked against the old SDK/API fails (a removed method, type,
  argument or field; a request the server now rejects; a response the old shape cannot hold);
* ``possibly-breaking``: nothing fails to import or to parse, but behaviour may change (a new
  enum value in a response that an exhaustive ``match`` misses, a changed default, the API
  version every request pins);
* ``non-breaking``: additions and relaxations.

The rule table, with the reasoning for each severity, is in ``docs/diff-rules.md``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable, Literal


class Severity(str, enum.Enum):
    BREAKING = "breaking"
    POSSIBLY_BREAKING = "possibly-breaking"
    NON_BREAKING = "non-breaking"

    @property
    def rank(self) -> int:
        return {"breaking": 2, "possibly-breaking": 1, "non-breaking": 0}[self.value]


BREAKING = Severity.BREAKING
POSSIBLY = Severity.POSSIBLY_BREAKING
SAFE = Severity.NON_BREAKING

Direction = Literal["request", "response", "both", ""]
Side = Literal["old", "new"]


@dataclass(frozen=True, slots=True)
class Where:
    """Where a change is: the operation (upper-case method and path) and a JSON pointer into
    ``file`` (relative to the spec's folder) of the ``side`` that shows it best: the old
    document for removals, the new one otherwise."""

    method: str = ""
    path: str = ""
    pointer: str = ""
    file: str = ""
    side: Side = "new"

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}".strip()


@dataclass(frozen=True, slots=True)
class Change:
    rule: str
    severity: Severity
    message: str
    where: Where = field(default_factory=Where)
    symbols: tuple[str, ...] = ()
    addition: bool = False  # adds to the SDK's public API: a minor bump when nothing breaks
    direction: Direction = ""
    sdk_only: bool = False  # found by comparing the generated packages, not the documents

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (-self.severity.rank, self.where.path, self.where.method, self.rule, self.message)


Bump = Literal["major", "minor", "patch"]

# Non-breaking changes that let SDK users do something new without adding a symbol: an
# argument or property that became optional or nullable, a request type that accepts more.
RELAXATIONS = frozenset(
    {
        "param-became-optional",
        "param-became-nullable",
        "param-type-changed",
        "request-property-became-optional",
        "request-property-became-nullable",
        "request-property-type-changed",
        "request-body-became-optional",
        "request-body-became-nullable",
        "request-body-type-changed",
        "request-schema-type-changed",
    }
)


def widens_api(c: Change) -> bool:
    """Whether a non-breaking change adds to, or relaxes, the SDK's public API (a minor bump)."""
    return c.severity is SAFE and (c.addition or c.rule in RELAXATIONS) and not deprecates(c)


def deprecates(c: Change) -> bool:
    """A deprecation (an operation, parameter, property or schema): SemVer makes it a minor
    release, so that users see the warning before the removal."""
    return c.severity is SAFE and c.rule.endswith("-deprecated")


@dataclass(frozen=True, slots=True)
class Verdict:
    bump: Bump
    reasons: tuple[str, ...]


def verdict(changes: Iterable[Change], *, strict: bool = False) -> Verdict:
    """The maximum over every change, each judged on its own: any breaking change → major;
    possibly-breaking → minor (major with ``strict``); any addition or relaxation of the SDK's
    API, or a deprecation → minor; anything else → patch."""
    items = list(changes)
    breaking = [c for c in items if c.severity is BREAKING]
    possibly = [c for c in items if c.severity is POSSIBLY]
    additions = [c for c in items if widens_api(c)]
    deprecations = [c for c in items if deprecates(c)]
    reasons: list[str] = []
    if breaking:
        reasons.append(_count(len(breaking), "breaking change") + _examples(breaking))
    if possibly:
        how = "counted as breaking (--strict)" if strict else "counted as minor; --strict counts them as breaking"
        reasons.append(_count(len(possibly), "possibly-breaking change") + f" ({how})" + _examples(possibly))
    if additions:
        reasons.append(
            _count(len(additions), "addition") + " to (or relaxation of) the public API" + _examples(additions)
        )
    if deprecations:
        reasons.append(
            _count(len(deprecations), "deprecation") + " (a minor release under SemVer)" + _examples(deprecations)
        )
    if breaking or (possibly and strict):
        return Verdict("major", tuple(reasons))
    if possibly or additions or deprecations:
        return Verdict("minor", tuple(reasons))
    others = len(items)
    reasons.append(_count(others, "non-breaking change") if others else "no change to the API or the SDK")
    return Verdict("patch", tuple(reasons))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _examples(changes: list[Change], limit: int = 3) -> str:
    picked = sorted(changes, key=Change.sort_key)[:limit]
    text = "; ".join(f"{c.rule}: {c.message}" for c in picked)
    more = f"; and {len(changes) - limit} more" if len(changes) > limit else ""
    return f", e.g. {text}{more}"


def at_least(changes: Iterable[Change], threshold: str) -> list[Change]:
    """Changes at or above a ``--fail-on`` threshold (``any`` matches every change)."""
    if threshold == "any":
        return list(changes)
    rank = Severity(threshold).rank
    return [c for c in changes if c.severity.rank >= rank]
