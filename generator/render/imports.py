"""Import blocks: collected while code fragments are printed, emitted sorted."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir.types import TypeContext
from .layout import import_from


@dataclass(slots=True)
class Imports:
    typing: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)  # "import x"
    names: dict[str, set[str]] = field(default_factory=dict)  # module -> names

    def add(self, module: str, *names: str) -> None:
        self.names.setdefault(module, set()).update(names)

    def absorb(self, ctx: TypeContext) -> None:
        self.typing |= ctx.typing_names
        for module, name in ctx.imports:
            self.add(module, name)
        if ctx.uses_datetime:
            self.add("datetime", *sorted(ctx.uses_datetime))

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.typing:
            out.append(import_from("typing", sorted(self.typing)))
        third_party = sorted(m for m in self.names if not m.startswith(".") and m != "typing")
        for module in sorted(self.modules):
            out.append(f"import {module}")
        for module in third_party:
            out.append(import_from(module, sorted(self.names[module])))
        local = sorted((m for m in self.names if m.startswith(".")), key=lambda m: (-_depth(m), m))
        if local and out:
            out.append("")
        for module in local:
            out.append(import_from(module, sorted(self.names[module])))
        return out


def _depth(module: str) -> int:
    return len(module) - len(module.lstrip("."))
