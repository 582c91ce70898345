"""Security requirements, security schemes and the API version header across two versions."""

from __future__ import annotations

from typing import Any

from ..ir.nodes import Operation, SecurityScheme
from .changes import BREAKING, POSSIBLY, SAFE, Change, Severity, Where
from .sides import SideModel

Requirement = tuple[str, ...]


def diff_security(old: SideModel, new: SideModel) -> list[Change]:
    out = _schemes(old, new)
    renames = scheme_renames(old, new)
    before, after = _renamed(_top_level(old), renames), _top_level(new)
    if before != after:
        where = new.where(f"{new.root_file}#/security")
        out += _requirements(before, after, "every operation (top-level security)", where, (new.symbols.client,))
    for key, op in sorted(new.operations.items()):
        prior = old.operations.get(key)
        if prior is None or not (_own(old, prior) or _own(new, op)):
            continue
        prior_security = _renamed(prior.security, renames)
        if set(prior_security) == set(op.security):
            continue
        where = new.where(op.location + "/security", op.method, op.path)
        label = f"{op.method.upper()} {op.path}"
        out += _requirements(prior_security, op.security, label, where, (new.symbols.operation(key),))
    return out


def _renamed(reqs: tuple[Requirement, ...], renames: dict[str, str]) -> tuple[Requirement, ...]:
    return tuple(tuple(sorted(renames.get(k, k) for k in r)) for r in reqs)


def _own(side: SideModel, op: Operation) -> bool:
    node = side.node(op.location)
    return isinstance(node, dict) and "security" in node


def _top_level(side: SideModel) -> tuple[Requirement, ...]:
    raw = side.loaded.document.get("security")
    if not isinstance(raw, list):
        return ()
    return tuple(tuple(sorted(str(k) for k in r)) for r in raw if isinstance(r, dict))


def _requirements(
    before: tuple[Requirement, ...], after: tuple[Requirement, ...], label: str, where: Where, symbols: tuple[str, ...]
) -> list[Change]:
    """Alternatives (each a set of schemes): removing one, or requiring auth where none was
    needed, breaks callers; adding an alternative or dropping the requirement does not."""
    anonymous_before = not before or () in before
    anonymous_after = not after or () in after
    removed = [r for r in before if r not in after and r != ()]
    added = [r for r in after if r not in before and r != ()]
    out = []
    if anonymous_before and not anonymous_after:
        msg = f"{label} now requires authentication ({_alts(after)})"
        out.append(Change("security-requirement-added", BREAKING, msg, where, symbols, direction="request"))
    elif added:
        msg = f"{label} also accepts {_alts(tuple(added))}"
        out.append(Change("security-requirement-added", SAFE, msg, where, symbols, direction="request"))
    if removed and not anonymous_after:
        msg = f"{label} no longer accepts {_alts(tuple(removed))}"
        out.append(Change("security-requirement-removed", BREAKING, msg, where, symbols, direction="request"))
    elif anonymous_after and not anonymous_before:
        msg = f"{label} no longer requires authentication"
        out.append(Change("security-requirement-removed", SAFE, msg, where, symbols, direction="request"))
    return out


def _alts(reqs: tuple[Requirement, ...]) -> str:
    return " or ".join(" + ".join(r) or "no credentials" for r in reqs) or "nothing"


def scheme_renames(old: SideModel, new: SideModel) -> dict[str, str]:
    """Removed and added schemes that give the client the same arguments (``api_key``), 1:1:
    the same credential under another key, perhaps sent another way."""
    olds = {s.key: s for s in old.api.security_schemes}
    news = {s.key: s for s in new.api.security_schemes}
    gone = [olds[k] for k in sorted(olds.keys() - news.keys())]
    came = [news[k] for k in sorted(news.keys() - olds.keys())]
    out: dict[str, str] = {}
    for a in gone:
        match = [b for b in came if b.names == a.names and b.key not in out.values()]
        if len(match) >= 1:
            best = next((b for b in match if (b.kind, b.wire, b.location) == (a.kind, a.wire, a.location)), match[0])
            out[a.key] = best.key
    return out


def _schemes(old: SideModel, new: SideModel) -> list[Change]:
    olds = {s.key: s for s in old.api.security_schemes}
    news = {s.key: s for s in new.api.security_schemes}
    renames = scheme_renames(old, new)
    client = new.symbols.client
    still = {name for s in news.values() for name in s.names}
    out = []
    for key in sorted(olds.keys() - news.keys() - renames.keys()):
        where = old.where(f"{old.root_file}#/components/securitySchemes/{key}")
        names = olds[key].names
        gone = [n for n in names if n not in still]
        kept = [n for n in names if n in still]
        msg = f"security scheme {key!r} removed"
        if gone:
            msg += f" (client argument{'s' if len(gone) > 1 else ''} {', '.join(f'{n}=' for n in gone)} gone)"
        if kept:
            msg += f" (client argument{'s' if len(kept) > 1 else ''} {', '.join(f'{n}=' for n in kept)} stay{'' if len(kept) > 1 else 's'}, for another scheme)"
        out.append(Change("security-scheme-removed", BREAKING, msg, where, _args(client, olds[key])))
    for key in sorted(news.keys() - olds.keys() - set(renames.values())):
        where = new.where(f"{new.root_file}#/components/securitySchemes/{key}")
        msg = f"security scheme {key!r} added ({news[key].kind})"
        out.append(Change("security-scheme-added", SAFE, msg, where, _args(client, news[key]), addition=True))
    pairs = [(k, k) for k in sorted(olds.keys() & news.keys())] + sorted(renames.items())
    for before, after in pairs:
        a, b = olds[before], news[after]
        where = new.where(f"{new.root_file}#/components/securitySchemes/{after}")
        args = ", ".join(f"{n}=" for n in b.names)
        named = f"security scheme {before!r}" + (f" (now {after!r})" if before != after else "")
        if (a.kind, a.wire, a.location) != (b.kind, b.wire, b.location) or a.names != b.names:
            if a.names == b.names:
                msg = (
                    f"{named} changed: {_scheme(a)} -> {_scheme(b)}; the client argument {args} stays, but the SDK "
                    "now sends the credential another way, which the old value may not satisfy"
                )
            else:
                msg = (
                    f"{named} changed: {_scheme(a)} -> {_scheme(b)}; client arguments "
                    f"{', '.join(f'{n}=' for n in a.names)} -> {args}"
                )
            args_both = tuple(dict.fromkeys(_args(client, a) + _args(client, b)))
            out.append(Change("security-scheme-changed", BREAKING, msg, where, args_both))
        elif before != after:
            msg = f"security scheme {before!r} renamed to {after!r}: the client argument {args} and how it is sent stay"
            out.append(Change("security-scheme-renamed", SAFE, msg, where, _args(client, b)))
    return out


def _args(client: str, s: SecurityScheme) -> tuple[str, ...]:
    return tuple(f"{client}({name}=...)" for name in s.names)


def _scheme(s: SecurityScheme) -> str:
    where = f" {s.location} {s.wire!r}" if s.kind == "api_key" else ""
    return f"{s.kind}{where}"


# -- the version header -------------------------------------------------------------------


def version_header_param(side: SideModel) -> tuple[str, dict[str, Any]] | None:
    """The version header's declaration (location, parameter object), when the SDK sends one."""
    name = side.api.version_header
    if not name:
        return None
    doc = side.loaded.document
    params = (doc.get("components") or {}).get("parameters") or {}
    for key, raw in sorted(params.items()) if isinstance(params, dict) else []:
        if _is_header(raw, name):
            return f"{side.root_file}#/components/parameters/{key}", raw
    for op in side.operations.values():
        for base in (op.location, op.location.rsplit("/", 1)[0]):
            items = side.node(base + "/parameters")
            for i, _ in enumerate(items if isinstance(items, list) else []):
                location, raw = side.follow(f"{base}/parameters/{i}")
                if _is_header(raw, name):
                    return location, raw
    return f"{side.root_file}#/info/version", {"name": name, "in": "header"}


def _is_header(raw: Any, name: str) -> bool:
    return isinstance(raw, dict) and raw.get("in") == "header" and str(raw.get("name", "")).lower() == name.lower()


def diff_version_header(old: SideModel, new: SideModel) -> list[Change]:
    before, after = version_header_param(old), version_header_param(new)
    if before is None and after is None:
        return []
    client = new.symbols.client
    if after is None:
        assert before is not None
        msg = (
            f"version header {old.api.version_header} is no longer sent: the client argument api_version= "
            "(which pinned it) is gone"
        )
        return [
            Change(
                "version-header-removed", BREAKING, msg, old.where(before[0]), (client, f"{client}(api_version=...)")
            )
        ]
    where = new.where(after[0])
    if before is None:
        msg = f"every request now sends {new.api.version_header}: {new.api.api_version}"
        return [Change("version-header-added", SAFE, msg, where, (client,))]
    facts, severity = _header_facts(old, new, before[1], after[1])
    if not facts:
        return []
    msg = f"version header {new.api.version_header}: " + "; ".join(facts)
    return [Change("version-header-changed", severity, msg, where, (client,))]


def _header_facts(old: SideModel, new: SideModel, a: dict[str, Any], b: dict[str, Any]) -> tuple[list[str], Severity]:
    facts = []
    severity = POSSIBLY
    if (old.api.version_header or "").lower() != (new.api.version_header or "").lower():
        facts.append(f"renamed from {old.api.version_header} to {new.api.version_header}")
    if old.api.api_version != new.api.api_version:
        facts.append(
            f"every request now sends {new.api.api_version!r} (was {old.api.api_version!r}): the server answers "
            "with that version's behaviour, including changes no schema shows"
        )
    sa, sb = _schema(a), _schema(b)
    if sa.get("default") != sb.get("default") and sb.get("default") != new.api.api_version:
        facts.append(f"default {sa.get('default')!r} -> {sb.get('default')!r}")
    gone = [v for v in sa.get("enum") or [] if v not in (sb.get("enum") or [])]
    came = [v for v in sb.get("enum") or [] if v not in (sa.get("enum") or [])]
    if gone and sb.get("enum"):
        facts.append(f"versions no longer accepted: {', '.join(map(str, gone))}")
        if old.api.api_version in gone:
            severity = BREAKING
    if came:
        facts.append(f"versions added: {', '.join(map(str, came))}")
    return facts, severity


def _schema(param: dict[str, Any]) -> dict[str, Any]:
    schema = param.get("schema")
    return schema if isinstance(schema, dict) else {}
