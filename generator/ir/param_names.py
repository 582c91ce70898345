"""Argument names of parameters that share a wire name across locations.

OpenAPI keys a parameter by name *and* location: ``id`` in the path and ``id`` in the query
are two parameters.  Their Python arguments must differ, predictably: the name is kept by the
first location of path, query, header, cookie that uses it; the others get the location as a
prefix (``query_id``, ``header_id``), minted after every parameter's own name, so that a
parameter really called ``query_id`` keeps that name.  A warning names both arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostics
from ..loader import Location
from ..naming import Ident, Scope
from .nodes import Param

LOCATION_ORDER = ("path", "query", "querystring", "header", "cookie")


def shared_names(path: list[tuple[str, str]], others: list[tuple[str, str]]) -> list[str]:
    """The wire names to mint for ``others`` (name, location), aligned with them."""
    keeper: dict[str, str] = {}
    for name, location in sorted(path + others, key=lambda item: LOCATION_ORDER.index(item[1])):
        keeper.setdefault(name, location)
    return [name if keeper[name] == location else f"{location}_{name}" for name, location in others]


def mint_own_names_first(scope: Scope, wanted: list[str], wires: list[str]) -> list[Ident]:
    """Names for ``wanted`` (aligned): the unprefixed ones first."""
    own = [i for i, (want, wire) in enumerate(zip(wanted, wires, strict=True)) if want == wire]
    prefixed = [i for i in range(len(wanted)) if i not in set(own)]
    names: dict[int, Ident] = {}
    for group in (own, prefixed):
        names.update(zip(group, scope.mint_list([wanted[i] for i in group]), strict=True))
    return [names[i] for i in range(len(wanted))]


def report_shared(diagnostics: Diagnostics, params: Sequence[tuple[Param, Location]]) -> None:
    """A warning for each parameter whose name another location of the operation took."""
    first: dict[str, Param] = {}
    for param, loc in sorted(params, key=lambda pair: LOCATION_ORDER.index(pair[0].location)):
        owner = first.setdefault(param.wire, param)
        if owner is not param:
            diagnostics.warning(
                f"{param.location} parameter {param.wire!r} is the argument {param.name!r}: "
                f"{owner.name!r} is the {owner.location} parameter of the same name",
                loc.file,
                loc.pointer,
            )
