"""``servers`` across two versions: the root list (its first entry is the generated
``BASE_URL``), path-item and operation overrides, and server variables.

A new base *path* (``https://api.example.com/v1`` → ``.../v2``) is breaking: every request the
SDK builds changes, and a ``base_url`` a user passes (on-premises, a proxy, staging) must now
carry the new path.  A new host or scheme with the same path is possibly breaking: the default
changes under users who rely on it, a ``base_url`` they pass keeps working.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .changes import BREAKING, POSSIBLY, SAFE, Change, Severity
from .sides import SideModel

_VARIABLE = re.compile(r"\{([^{}]+)\}")


def _servers(node: Any) -> list[dict[str, Any]]:
    items = node.get("servers") if isinstance(node, dict) else None
    return [s for s in items if isinstance(s, dict)] if isinstance(items, list) else []


def _variables(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = server.get("variables")
    return {str(k): v for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}


def resolve(server: dict[str, Any]) -> str:
    """The server's URL with every variable at its default (what ``BASE_URL`` holds)."""
    variables = _variables(server)

    def substitute(match: re.Match[str]) -> str:
        var = variables.get(match.group(1))
        return str(var.get("default", "")) if var is not None else match.group(0)

    return _VARIABLE.sub(substitute, str(server.get("url") or "")).rstrip("/")


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") if "://" in url else url.split("?", 1)[0].rstrip("/")


def url_severity(before: str, after: str) -> tuple[Severity, str]:
    if _path(before) != _path(after):
        return BREAKING, (
            f"the base path changes from {_path(before) or '/'!r} to {_path(after) or '/'!r}: every request goes "
            "elsewhere, and a base_url you pass must carry the new path"
        )
    return POSSIBLY, "same base path on another host or scheme: the default changes, a base_url you pass still works"


def diff_servers(old: SideModel, new: SideModel) -> list[Change]:
    client = new.symbols.client
    out = _compare(old, new, _servers(old.loaded.document), _servers(new.loaded.document), "", (client,), "", "")
    olds = {(op.method, op.path): op for op in old.operations.values()}
    for key, op in sorted(new.operations.items()):
        prior = old.operations.get(key) or olds.get((op.method, op.path))
        if prior is None:
            continue
        symbol = new.symbols.operation(key)
        for level, loc_old, loc_new in (
            ("path", prior.location.rsplit("/", 1)[0], op.location.rsplit("/", 1)[0]),
            ("operation", prior.location, op.location),
        ):
            if level == "path" and any(o.path == op.path and o.key < key for o in new.operations.values()):
                continue  # a path item's servers are reported once, with its first operation
            a, b = _servers(old.node(loc_old)), _servers(new.node(loc_new))
            if a or b:
                label = f"{op.method.upper()} {op.path}" if level == "operation" else f"path {op.path}"
                out += _compare(old, new, a, b, label, (symbol,), loc_old, loc_new, op.method, op.path)
    return out


def _compare(
    old: SideModel,
    new: SideModel,
    a: list[dict[str, Any]],
    b: list[dict[str, Any]],
    label: str,
    symbols: tuple[str, ...],
    loc_old: str,
    loc_new: str,
    method: str = "",
    path: str = "",
) -> list[Change]:
    base_old = loc_old or f"{old.root_file}#"
    base_new = loc_new or f"{new.root_file}#"
    scope = f"servers of {label}" if label else "servers"
    name = "BASE_URL" if not label else f"the base URL of {label}"
    if not a and not b:
        return []
    if label and (not a or not b):  # an override appears or goes: compare what the operation is served from
        roots_old, roots_new = _servers(old.loaded.document), _servers(new.loaded.document)
        before = resolve(a[0]) if a else resolve(roots_old[0]) if roots_old else ""
        after = resolve(b[0]) if b else resolve(roots_new[0]) if roots_new else ""
        rule = "server-added" if b else "server-removed"
        where = new.where(f"{base_new}/servers", method, path) if b else old.where(f"{base_old}/servers", method, path)
        if before == after:
            msg = f"{scope} {'added' if b else 'removed'}; {label} is still served from {after!r}"
            return [Change(rule, SAFE, msg, where, symbols)]
        severity, why = url_severity(before, after)
        msg = f"{scope} {'added' if b else 'removed'}: {name} changes from {before!r} to {after!r} ({why})"
        return [Change(rule, severity, msg, where, symbols)]
    if not b:
        where = old.where(f"{base_old}/servers", method, path)
        msg = f"{scope} removed: {name} was {resolve(a[0])!r}; clients must now pass base_url"
        return [Change("server-removed", BREAKING, msg, where, symbols)]
    where = new.where(f"{base_new}/servers/0/url", method, path)
    if not a:
        msg = f"{scope} added: {name} is now {resolve(b[0])!r} (clients had to pass base_url)"
        return [Change("server-added", SAFE, msg, where, symbols, addition=True)]
    out: list[Change] = []
    before, after = resolve(a[0]), resolve(b[0])
    if before != after:
        severity, why = url_severity(before, after)
        msg = f"{scope}: {name} changes from {before!r} to {after!r} ({why})"
        out.append(Change("server-url-changed", severity, msg, where, symbols))
    out += _variables_diff(old, new, a[0], b[0], scope, symbols, base_old, base_new, method, path)
    gone = [resolve(s) for s in a[1:] if resolve(s) not in {resolve(x) for x in b}]
    came = [resolve(s) for s in b[1:] if resolve(s) not in {resolve(x) for x in a}]
    if gone:
        msg = f"{scope}: alternative server{'s' if len(gone) > 1 else ''} {', '.join(map(repr, gone))} no longer listed (a base_url pointing there may stop working)"
        out.append(Change("server-removed", POSSIBLY, msg, old.where(f"{base_old}/servers", method, path), symbols))
    if came:
        msg = f"{scope}: alternative server{'s' if len(came) > 1 else ''} {', '.join(map(repr, came))} added"
        out.append(Change("server-added", SAFE, msg, new.where(f"{base_new}/servers", method, path), symbols))
    return out


def _variables_diff(
    old: SideModel,
    new: SideModel,
    a: dict[str, Any],
    b: dict[str, Any],
    scope: str,
    symbols: tuple[str, ...],
    base_old: str,
    base_new: str,
    method: str,
    path: str,
) -> list[Change]:
    va, vb = _variables(a), _variables(b)
    exposed = {name for name, _ in getattr(old.api, "server_variables", ())}
    arg = tuple(dict.fromkeys((*symbols, f"{new.symbols.client}(server_variables=...)")))
    out = []
    for key in sorted(va.keys() - vb.keys()):
        where = old.where(f"{base_old}/servers/0/variables/{key}", method, path)
        if key in exposed and key not in {n for n, _ in getattr(new.api, "server_variables", ())}:
            msg = (
                f"{scope}: server variable {key!r} removed: the client's server_variables={{{key!r}: ...}} "
                "now raises ValueError (unknown server variable)"
            )
            out.append(Change("server-variable-removed", BREAKING, msg, where, arg))
        else:
            msg = f"{scope}: server variable {key!r} removed (base URLs built with its other values are no longer described)"
            out.append(Change("server-variable-removed", POSSIBLY, msg, where, symbols))
    for key in sorted(vb.keys() - va.keys()):
        where = new.where(f"{base_new}/servers/0/variables/{key}", method, path)
        if vb[key].get("default") is None:
            msg = f"{scope}: server variable {key!r} added without a default: every client must now set it"
            out.append(Change("server-variable-added", BREAKING, msg, where, arg))
        else:
            msg = f"{scope}: server variable {key!r} added (default {vb[key].get('default')!r}; server_variables= may set it)"
            out.append(Change("server-variable-added", SAFE, msg, where, arg, addition=True))
    for key in sorted(va.keys() & vb.keys()):
        where = new.where(f"{base_new}/servers/0/variables/{key}", method, path)
        ea, eb = va[key].get("enum"), vb[key].get("enum")
        if isinstance(ea, list) and isinstance(eb, list):
            gone = [v for v in ea if v not in eb]
            came = [v for v in eb if v not in ea]
            if gone:
                values = ", ".join(map(repr, gone))
                msg = (
                    f"{scope}: server variable {key!r} no longer allows {values}: the client rejects "
                    f"server_variables={{{key!r}: {gone[0]!r}}} (ValueError)"
                )
                out.append(Change("server-variable-value-removed", BREAKING, msg, where, arg))
            if came:
                msg = f"{scope}: server variable {key!r} allows {', '.join(map(repr, came))}"
                out.append(Change("server-variable-value-added", SAFE, msg, where, arg, addition=True))
        if va[key].get("default") != vb[key].get("default"):
            msg = (
                f"{scope}: server variable {key!r} default {va[key].get('default')!r} -> {vb[key].get('default')!r} "
                "(the URL clients use unless they set it changes)"
            )
            out.append(Change("server-variable-default-changed", POSSIBLY, msg, where, symbols))
    return out
