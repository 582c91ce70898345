"""RESULTS.md: one markdown table per benchmark, the goals of issue #7, and the machine."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .common import Stats


@dataclass
class Goal:
    text: str
    value: float
    limit: float
    lower_is_better: bool = True
    unit: str = "×"

    def show(self, value: float) -> str:
        return "—" if math.isnan(value) else f"{value:.2f}{self.unit}"

    @property
    def verdict(self) -> str:
        if math.isnan(self.value):
            return "n/a"
        ok = self.value <= self.limit if self.lower_is_better else self.value >= self.limit
        return "met" if ok else "**missed**"


@dataclass
class Section:
    title: str
    intro: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # fenced blocks: failures, profiles

    def markdown(self) -> str:
        out = [f"## {self.title}", "", self.intro, ""]
        out.append("| " + " | ".join(self.headers) + " |")
        out.append("|" + "|".join(" --- " for _ in self.headers) + "|")
        out += ["| " + " | ".join(row) + " |" for row in self.rows]
        out.append("")
        if self.goals:
            out += [f"- Goal: {g.text}: {g.show(g.value)} (limit {g.show(g.limit)}) — {g.verdict}" for g in self.goals]
            out.append("")
        out += [f"- {n}" for n in self.notes]
        if self.notes:
            out.append("")
        for block in self.details:
            out += [block, ""]
        return "\n".join(out)


def fmt_s(seconds: float) -> str:
    if math.isnan(seconds):
        return "—"
    if seconds >= 100:
        return f"{seconds:.0f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_mb(mb: float) -> str:
    return "—" if math.isnan(mb) else f"{mb:.0f} MB"


def fmt_ratio(r: float) -> str:
    return "—" if math.isnan(r) else f"{r:.2f}×"


def fmt_stats(stats: Stats, fmt: Callable[[float], str] = fmt_s) -> list[str]:
    """median, then 'min – max'."""
    if not stats.values:
        return ["—", "—"]
    return [fmt(stats.median), f"{fmt(stats.min)} – {fmt(stats.max)}"]


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def fence(title: str, text: str) -> str:
    body = text.replace("```", "'''").rstrip()
    return f"<details><summary>{title}</summary>\n\n```\n{body}\n```\n</details>"


@dataclass
class Kept:
    """A section carried over verbatim from an earlier RESULTS.md (``--merge``)."""

    title: str
    text: str

    def markdown(self) -> str:
        return self.text.rstrip() + "\n"


def read_sections(path: Path) -> list[Kept]:
    """The ``## `` sections of an earlier RESULTS.md (headings inside code fences ignored)."""
    if not path.is_file():
        return []
    sections: list[Kept] = []
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced:
            sections.append(Kept(line[3:].strip(), ""))
        if sections:
            sections[-1].text += line + "\n"
    return sections


def write(path: Path, header: str, sections: list[Section | Kept], machine: str) -> None:
    parts = [header.rstrip(), ""]
    parts += [s.markdown() for s in sections]
    parts += ["## Machine", "", machine.rstrip(), ""]
    path.write_text("\n".join(parts), encoding="utf-8")
