"""Servers: the API's URL templates and their variables (``https://{region}.example.com``).

A client's ``server_variables`` set the variables of every server by name; a variable not
set takes its server's default.  A ``base_url`` given to the client (or in the environment)
replaces every server, the operations' own included: all calls go there.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional, Tuple

# Generated modules import ``Server`` as ``_Server`` (a schema or client may take the name).
__all__ = ["check_server_variables"]


class Server:
    """One server URL template and the defaults of its variables (None: no default)."""

    __slots__ = ("url", "defaults")

    def __init__(self, url: str, defaults: Optional[Mapping[str, Optional[str]]] = None) -> None:
        self.url = url
        self.defaults: Mapping[str, Optional[str]] = defaults or {}

    def resolve(self, values: Mapping[str, str]) -> str:
        url = self.url
        for name, default in self.defaults.items():
            value = values.get(name, default)
            if value is None:
                raise ValueError(
                    f"server variable {name!r} has no default: pass server_variables={{{name!r}: ...}} or base_url"
                )
            url = url.replace("{" + name + "}", value)
        return url.rstrip("/")

    def __repr__(self) -> str:
        return f"Server({self.url!r})"


def check_server_variables(
    given: Optional[Mapping[str, str]], known: Mapping[str, Tuple[str, ...]]
) -> Dict[str, str]:
    """The client's server variables, checked against the names (and allowed values) that
    the API's servers declare."""
    values = dict(given or {})
    for name, value in values.items():
        if name not in known:
            names = ", ".join(repr(n) for n in known) or "none"
            raise ValueError(f"unknown server variable {name!r} (the API's servers have: {names})")
        if not isinstance(value, str):
            raise TypeError(
                f"server variable {name!r} must be a string, not {type(value).__name__}"
            )
        allowed = known[name]
        if allowed and value not in allowed:
            raise ValueError(
                f"server variable {name!r} must be one of {', '.join(map(repr, allowed))}, not {value!r}"
            )
    return values
