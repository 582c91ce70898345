"""Where requests go: ``servers`` (root, path and operation level, with variables) and path
keys that carry a query or a fragment (``/responses?beta=true``, ``/shared_items#folders``).

Choices (docs/servers.md):

* the first server of a ``servers`` list is used; a path item's servers replace the root's
  for its operations, an operation's replace both;
* a relative server URL at path or operation level is resolved (RFC 3986) against the first
  root server's URL: sdkgen does not know where the document is served, and the root server
  is the API's own answer to "where is this API"; a relative root URL cannot be resolved and
  is a warning (clients then need ``base_url``);
* server variables of every server are one setting per name (``server_variables=``), each
  server keeping its own defaults;
* a query in a path key is a fixed query parameter sent on every call of its operations; a
  fragment is dropped from the URL (it only tells two operations of one path apart).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urljoin

from ..diagnostics import Diagnostics
from ..loader import Location
from .nodes import Param, Server, ServerVariable

_VARIABLE = re.compile(r"\{([^{}]*)\}")
_ABSOLUTE = re.compile(r"^https?://", re.IGNORECASE)


def read_servers(raw: Any, loc: Location, diagnostics: Diagnostics, root: Server | None = None) -> Server | None:
    """The first server of a ``servers`` list (None: the list is absent or empty).  A variable
    it uses without declaring it is the root server's variable of that name, when there is one."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        diagnostics.warning("'servers' must be a list; ignored", loc.file, loc.pointer)
        return None
    if not raw:
        return None
    first, first_loc = raw[0], loc.child(0)
    if not isinstance(first, dict) or not isinstance(first.get("url"), str):
        diagnostics.warning("a server needs a 'url' string; ignored", first_loc.file, first_loc.pointer)
        return None
    url: str = first["url"]
    raw_vars = first.get("variables")
    declared: dict[str, Any] = raw_vars if isinstance(raw_vars, dict) else {}
    variables: list[ServerVariable] = []
    inherited = {v.name: v for v in root.variables} if root is not None else {}
    for name in dict.fromkeys(_VARIABLE.findall(url)):
        var_loc = first_loc.child("variables", name)
        spec = declared.get(name)
        if spec is None and name in inherited:
            variables.append(inherited[name])
            continue
        if not isinstance(spec, dict) or "default" not in spec:
            diagnostics.warning(
                f"server variable {name!r} has no default; clients must set it (server_variables={{{name!r}: ...}})",
                var_loc.file if isinstance(spec, dict) else first_loc.file,
                var_loc.pointer if isinstance(spec, dict) else first_loc.pointer + "/url",
            )
            spec = spec if isinstance(spec, dict) else {}
        enum = tuple(_text(v) for v in spec["enum"]) if isinstance(spec.get("enum"), list) else ()
        default = _text(spec["default"]) if "default" in spec else None
        if enum and default is not None and default not in enum:
            diagnostics.warning(
                f"server variable {name!r}: default {default!r} is not one of its enum values",
                var_loc.file,
                var_loc.pointer + "/default",
            )
        doc = spec.get("description")
        variables.append(ServerVariable(name, default, enum, doc if isinstance(doc, str) else ""))
    description = first.get("description")
    return Server(url, tuple(variables), description if isinstance(description, str) else "", str(first_loc))


def check_root(server: Server | None, diagnostics: Diagnostics) -> None:
    if server is None or _ABSOLUTE.match(server.url):
        return
    loc = _location(server)
    diagnostics.warning(
        f"server URL {server.url!r} is not absolute; clients must pass base_url", loc.file, loc.pointer + "/url"
    )


def resolve_against(server: Server, root: Server | None, diagnostics: Diagnostics) -> Server | None:
    """A path or operation server with an absolute URL; a relative one joined to the root
    server's (its variables join too).  None, with a warning, when it cannot be made absolute:
    the operation then goes to the client's base URL."""
    if _ABSOLUTE.match(server.url):
        return server
    loc = _location(server)
    if root is None or not _ABSOLUTE.match(root.url):
        diagnostics.warning(
            f"server URL {server.url!r} is relative and there is no absolute root server to resolve it "
            "against; the operation is sent to the client's base URL",
            loc.file,
            loc.pointer + "/url",
        )
        return None
    url = urljoin(root.url, server.url)
    own = {v.name for v in server.variables}
    inherited = tuple(v for v in root.variables if v.name not in own and "{" + v.name + "}" in url)
    return Server(url, server.variables + inherited, server.doc, server.location)


def variable_table(servers: Iterable[Server | None]) -> dict[str, tuple[str, ...]]:
    """Every server variable by name, with the values it may take (() = any)."""
    table: dict[str, tuple[str, ...]] = {}
    for server in servers:
        for var in server.variables if server is not None else ():
            if var.name not in table:
                table[var.name] = var.enum
            elif table[var.name] and var.enum:
                table[var.name] = tuple(dict.fromkeys(table[var.name] + var.enum))
            else:
                table[var.name] = ()
    return table


def default_url(server: Server | None) -> str:
    """The URL with every variable at its default (the base URL shown in documentation)."""
    if server is None:
        return ""
    url = server.url
    for var in server.variables:
        if var.default is not None:
            url = url.replace("{" + var.name + "}", var.default)
    return url.rstrip("/")


def _location(server: Server) -> Location:
    file, _, pointer = server.location.partition("#")
    return Location(file, pointer)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- path keys ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathKey:
    path: str  # the URL path template
    query: tuple[tuple[str, str], ...] = ()  # fixed query parameters
    fragment: str = ""


def split_path_key(key: str, loc: Location, diagnostics: Diagnostics) -> PathKey:
    """A path key's path, fixed query and fragment; ``?`` and ``#`` inside ``{...}`` are part
    of a template name, not separators."""
    cut = _separator(key, "#")
    path, fragment = (key[:cut], key[cut + 1 :]) if cut >= 0 else (key, "")
    cut = _separator(path, "?")
    path, query_text = (path[:cut], path[cut + 1 :]) if cut >= 0 else (path, "")
    if cut < 0:
        return PathKey(path, (), fragment)
    pairs: list[tuple[str, str]] = []
    for item in (part for part in re.split(r"[&;]", query_text) if part):
        if "{" in item:
            diagnostics.warning(
                f"the path key's query part {item!r} holds a template; declare it as a query parameter "
                "(it is not sent from the path key)",
                loc.file,
                loc.pointer,
            )
            continue
        if "=" not in item:
            diagnostics.warning(
                f"the path key's query part {item!r} has no value; it is sent as {item + '='!r}",
                loc.file,
                loc.pointer,
            )
        pairs.extend(parse_qsl(item, keep_blank_values=True))
    return PathKey(path, tuple(pairs), fragment)


def path_part(key: str) -> str:
    """A path key without its query and fragment."""
    for char in "#?":
        cut = _separator(key, char)
        key = key[:cut] if cut >= 0 else key
    return key


def _separator(text: str, char: str) -> int:
    depth = 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c == char and depth == 0:
            return i
    return -1


def fixed_query(
    pairs: tuple[tuple[str, str], ...], params: Iterable[Param], location: str, diagnostics: Diagnostics
) -> tuple[tuple[str, str], ...]:
    """The fixed query parameters of an operation's path key; one the operation also declares
    as a query parameter is left to the declared parameter, with a warning."""
    declared = {p.wire for p in params if p.location == "query"}
    names = sorted({n for n, _ in pairs if n in declared})
    if names:
        file, _, pointer = location.partition("#")
        diagnostics.warning(
            f"the path key's query sets {', '.join(map(repr, names))}, which the operation also declares as a "
            "query parameter: the declared parameter is sent instead",
            file,
            pointer,
        )
    return tuple(pair for pair in pairs if pair[0] not in declared)


def report_same_requests(ops: Iterable[tuple[str, str, PathKey, Location]], diagnostics: Diagnostics) -> None:
    """Two operations whose requests are the same once fragments are dropped (same method,
    path and fixed query): the server cannot tell them apart."""
    seen: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
    for method, key, split, loc in ops:
        request = (method, split.path, tuple(sorted(split.query)))
        if request in seen and seen[request] != key:
            diagnostics.warning(
                f"{method.upper()} {key!r} sends the same request as {method.upper()} {seen[request]!r} "
                "(a fragment is not sent); the server cannot tell them apart",
                loc.file,
                loc.pointer,
            )
        seen.setdefault(request, key)
