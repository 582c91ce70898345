"""What a broken ``$ref`` costs: only the piece of the SDK that needs it.

Without ``--strict``, the loader records every ``$ref`` it cannot follow (dangling, a bad
pointer, a missing or refused file, a loop) in ``Workspace.broken`` instead of refusing the
document, and the IR is built anyway.  When the IR meets one of them, the *piece* being built
is skipped, with an error (``Diagnostic.skipped``) at the ``$ref`` that names the piece:

* a **schema** that is a declaration of its own (a component, or any ``$ref`` target) whose
  own content holds the broken ``$ref``: no class, no alias.  Everything that refers to it is
  typed as any value there instead (a field, a response, a union member), with a warning at
  that place: one broken schema never takes the operations or the schemas around it along;
* an **operation** whose own content holds it (a parameter, the request body, a response, an
  inline schema of one of them, the path item's shared parameters): no method;
* a **path item** that is itself a broken ``$ref``: none of its operations.

Inline schemas belong to the piece they are written in.  A broken ``$ref`` that nothing
generated needs (an unused component, a webhook, a ``not`` the SDK does not type) costs
nothing: a warning says so.  ``sdkgen generate`` exits 3 when a piece was skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics, Level, add_capped
from ..loader import Location, RefError, Workspace
from .nodes import Alias, Decl, Model
from .types import (
    ANY,
    TYPE_NODES,
    Constrained,
    ListOf,
    MapOf,
    Named,
    Nullable,
    TupleOf,
    TypeRef,
    UnionOf,
    constrained,
    references,
)

_ANY_HERE = "typed as any value here"


@dataclass(slots=True)
class Piece:
    """A schema or an operation being built."""

    what: str  # "schema 'Pet'", "operation 'listPets' (GET /pets)"
    loc: Location
    skipped: bool = False

    def named_from(self, place: Location) -> str:
        """What the piece is and where, its file left out when it is ``place``'s."""
        where = f"#{self.loc.pointer}" if place.file == self.loc.file else str(self.loc)
        return f"{self.what} ({where})"


@dataclass(slots=True)
class Skips:
    ws: Workspace
    diagnostics: Diagnostics
    _stack: list[Piece] = field(default_factory=list)
    _met: set[Location] = field(default_factory=set)
    _met_messages: set[str] = field(default_factory=set)  # a loop is met once, at one of its $refs
    # declaration key -> the piece it belongs to (itself, for a shared one)
    _owner: dict[str, Piece] = field(default_factory=dict)
    _degraded: list[tuple[Location, str]] = field(default_factory=list)
    _errors: list[Diagnostic] = field(default_factory=list)

    # -- pieces -------------------------------------------------------------------------

    @contextmanager
    def piece(self, what: str, loc: Location) -> Iterator[Piece]:
        """Build a piece: a broken ``$ref`` met meanwhile skips it."""
        current = Piece(what, loc)
        self._stack.append(current)
        try:
            yield current
        finally:
            self._stack.pop()

    @contextmanager
    def declaration(self, key: str, name: str, loc: Location, *, shared: bool) -> Iterator[None]:
        """Build a declaration: a shared one (a component or a ``$ref`` target) is a piece of
        its own; an inline one belongs to the piece it is written in."""
        if shared:
            current = self._owner.setdefault(key, Piece(f"schema {name!r}", loc))
            if self._stack and self._stack[-1] is current:
                yield  # already inside: the component's piece, entered by ``declare_components``
                return
            self._stack.append(current)
            try:
                yield
            finally:
                self._stack.pop()
            return
        owner = self._owner.setdefault(key, self._stack[-1]) if self._stack else None
        if owner is None or (self._stack and self._stack[-1] is owner):
            yield
            return
        self._stack.append(owner)  # built later than met (deferred): back in its piece
        try:
            yield
        finally:
            self._stack.pop()

    def note_owner(self, key: str) -> None:
        """A declaration met now but built later belongs to the current piece."""
        if self._stack:
            self._owner.setdefault(key, self._stack[-1])

    # -- broken refs --------------------------------------------------------------------

    def broken(self, exc: RefError, at: Location) -> bool:
        """A ``$ref`` written at ``at`` cannot be followed: skip the current piece, with an
        error naming it.  False when there is no piece to skip (the caller approximates)."""
        self._met.add(at)
        self._met_messages.add(exc.message)
        if not self._stack:
            return False
        current = self._stack[-1]
        current.skipped = True
        message = f"{exc.message}; skipped: {current.named_from(at)}"
        self._errors.append(Diagnostic(Level.ERROR, message, at.file, at.pointer + "/$ref", exc.hint, skipped=True))
        return True

    def ref_loop(self, exc: RefError, site: Location) -> TypeRef:
        """A schema ``$ref`` at ``site`` that loops back to itself (``A: {$ref: B}``, ``B:
        {$ref: A}``): no schema constrains it, so any value; a warning, not a skipped piece."""
        self._met.add(exc.at or site)
        self._met_messages.add(exc.message)
        self._degraded.append((site, f"{exc.message}; it names no schema: typed as any value"))
        return ANY

    def broken_ref(self, exc: RefError, site: Location, loc: Location, *, here: str = _ANY_HERE) -> TypeRef:
        """A schema's ``$ref`` written at ``site`` did not lead to a schema (``loc``: as far as
        it got).  When that ``$ref`` is the broken one, the current piece is skipped; when a
        schema it leads to is itself a broken ``$ref`` (``A: {$ref: missing}``), that schema
        is skipped as a piece of its own, and here the value is typed as any value (``here``
        says what happens instead)."""
        where = exc.at or loc
        if where == site:
            if not self.broken(exc, site):
                self._degraded.append((site, f"{exc.message}; typed as any value"))
            return ANY
        key = str(where)
        with self.declaration(key, where.tokens[-1] if where.tokens else where.file, where, shared=True):
            self.broken(exc, where)
        return self.skipped_type(Named(key), site, here=here)

    def skipped_type(self, t: TypeRef, at: Location, *, here: str = _ANY_HERE) -> TypeRef:
        """``t``, or any value when it is a skipped schema (with a warning at ``at``)."""
        gone = sorted(k for k in references(t) if self.is_skipped(k))
        if not gone:
            return t
        what = self._owner[gone[0]].what
        self._degraded.append((at, f"{what} was skipped (a broken $ref); {here}"))
        return ANY

    def is_skipped(self, key: str) -> bool:
        owner = self._owner.get(key)
        return owner is not None and owner.skipped

    # -- after every piece was built ------------------------------------------------------

    def prune(self, decls: dict[str, Decl], locations: dict[str, Location]) -> None:
        """Drop the declarations of skipped pieces; what still refers to one of them (a
        recursive schema met while it was being built) is typed as any value there."""
        gone = {key for key in decls if self.is_skipped(key)}
        for key in gone:
            del decls[key]
        if not gone:
            return
        for key, decl in sorted(decls.items()):
            fixed = _without_decl(decl, gone)
            if fixed is not decl:
                decls[key] = fixed
                loc = locations[key]
                self._degraded.append(
                    (loc, "refers to a schema that was skipped (a broken $ref): typed as any value there")
                )

    def report(self) -> None:
        """The errors of the skipped pieces, the warnings of the places typed as any value,
        and one for each broken ``$ref`` that nothing generated needed (each list capped)."""
        add_capped(self.diagnostics, list(dict.fromkeys(self._errors)), "broken $refs")
        found = [self._warning(at, message) for at, message in sorted(set(self._degraded), key=lambda item: item[0])]
        add_capped(self.diagnostics, found, "places typed as any value")
        unused = [
            self._warning(Location(at.file, at.pointer + "/$ref"), f"{exc.message}; nothing generated needs it")
            for at, exc in sorted(self.ws.broken.items(), key=lambda item: item[0])
            if at not in self._met and exc.message not in self._met_messages
        ]
        add_capped(self.diagnostics, unused, "broken $refs that nothing generated needs")

    @staticmethod
    def _warning(at: Location, message: str) -> Diagnostic:
        return Diagnostic(Level.WARNING, message, at.file, at.pointer)


def _without_decl(decl: Decl, gone: set[str]) -> Decl:
    if isinstance(decl, Model):
        fields = tuple(replace(f, type=without(f.type, gone)) for f in decl.fields)
        extra = without(decl.extra, gone) if decl.extra is not None else None
        if fields == decl.fields and extra == decl.extra:
            return decl
        return replace(decl, fields=fields, extra=extra)
    if isinstance(decl, Alias):
        target = without(decl.target, gone)
        return decl if target == decl.target else replace(decl, target=target)
    return decl


def without(t: TypeRef, gone: set[str]) -> TypeRef:
    """``t`` with every reference to a declaration of ``gone`` typed as any value; a union
    that lost a member that way loses its discriminator (any value has no tag)."""
    if not references(t) & gone:
        return t
    if isinstance(t, Named):
        return ANY
    if isinstance(t, ListOf):
        return ListOf(without(t.item, gone))
    if isinstance(t, MapOf):
        return MapOf(without(t.value, gone))
    if isinstance(t, TupleOf):
        return TupleOf(tuple(without(m, gone) for m in t.items))
    if isinstance(t, Nullable):
        inner = without(t.inner, gone)
        return ANY if inner == ANY else Nullable(inner)
    if isinstance(t, Constrained):  # (``prefix_items``, ``items``: types too)
        checks = tuple((k, _without_in(v, gone)) for k, v in t.checks)
        return constrained(without(t.inner, gone), checks)
    assert isinstance(t, UnionOf)
    return UnionOf(tuple(dict.fromkeys(without(m, gone) for m in t.members)))


def _without_in(value: Any, gone: set[str]) -> Any:
    if isinstance(value, tuple) and all(isinstance(v, TYPE_NODES) for v in value):
        return tuple(without(v, gone) for v in value)
    return without(value, gone) if isinstance(value, TYPE_NODES) else value
