"""Tags → resource paths: which resource an operation belongs to, and its docstring.

A tag name splits on dots into nested resources (``admin.users`` → ``client.admin.users``).
OpenAPI 3.2 adds a tag hierarchy: a tag's ``parent`` names another tag, so a tag's resource
path is its parent's path followed by its own (``{name: toys, parent: pets}`` →
``client.pets.toys``).  A parent that is not declared, or a chain of parents that comes back,
is warned about and cut there.  A tag's ``kind`` says what it is for: an operation goes to
the resource of its first tag whose kind is ``nav`` or not given (a ``badge`` or an
``audience`` tag labels an operation, it does not group it), or else of its first tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location

_NAVIGATION = (None, "nav")


@dataclass(slots=True)
class TagTree:
    parents: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)  # by resource path, dot-joined
    _paths: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, document: dict[str, Any], diagnostics: Diagnostics, root: Location) -> TagTree:
        tree = cls()
        raw = document.get("tags")
        declared = [(i, t) for i, t in enumerate(raw if isinstance(raw, list) else []) if isinstance(t, dict)]
        named = [(i, t) for i, t in declared if isinstance(t.get("name"), str)]
        names = {t["name"] for _, t in named}
        for i, tag in named:
            tree.kinds[tag["name"]] = tag.get("kind")
            parent = tag.get("parent")
            if parent is None:
                continue
            loc = root.child("tags", i, "parent")
            if isinstance(parent, str) and parent in names and parent != tag["name"]:
                tree.parents[tag["name"]] = parent
            else:
                diagnostics.warning(
                    f"tag {tag['name']!r}: parent {parent!r} is not a declared tag; its resource is not nested",
                    loc.file,
                    loc.pointer,
                )
        for i, tag in named:
            path = tree._resolve(tag["name"], diagnostics, root.child("tags", i, "parent"))
            text = tag.get("description") or tag.get("summary")
            tree.docs.setdefault(".".join(path), text if isinstance(text, str) else "")
        return tree

    def _resolve(self, name: str, diagnostics: Diagnostics, loc: Location) -> tuple[str, ...]:
        if name in self._paths:
            return self._paths[name]
        chain = [name]
        while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
            chain.append(self.parents[chain[-1]])
        if chain[-1] in self.parents:  # the parents come back to a tag of the chain
            diagnostics.warning(
                f"tag {name!r}: its parents form a loop ({' → '.join([*chain, self.parents[chain[-1]]])}); "
                f"nested no deeper than {chain[-1]!r}",
                loc.file,
                loc.pointer,
            )
        path = tuple(seg for tag in reversed(chain) for seg in tag.split(".") if seg)
        self._paths[name] = path
        return path

    def resource_of(self, tags: list[Any]) -> tuple[str, ...] | None:
        """The resource path of an operation with these tags (None: untagged)."""
        names = [str(t) for t in tags]
        if not names:
            return None
        pick = next((n for n in names if self.kinds.get(n) in _NAVIGATION), names[0])
        if pick in self._paths:
            return self._paths[pick]
        return tuple(seg for seg in pick.split(".") if seg)
