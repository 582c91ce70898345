"""``components.securitySchemes`` → ``SecurityScheme`` nodes: one credential per scheme, with
constructor argument names and environment variables.

Naming rule (documented in docs/authentication.md):

* token-like schemes (HTTP bearer, API keys, OAuth2 flows other than client credentials,
  OpenID Connect): when the API has one, its argument is ``api_key`` (environment variable
  ``auth-env`` from the configuration, else ``<PACKAGE>_API_KEY``).  When it has several, the
  one most operations declare (ties: the first by name) keeps ``api_key``; each other is named
  after its scheme: the scheme name in snake case, generic words at its end (``auth``,
  ``authentication``, ``scheme``, ``security``, ``bearer``, ``http``, ``oauth``) dropped, then
  ``_api_key`` added unless it already ends in ``key``, ``token``, ``id``, ``secret`` or
  ``password`` (``AdminBearer`` → ``admin_api_key``, ``partnerKey`` → ``partner_key``,
  ``appId`` → ``app_id``);
* HTTP basic: ``username``/``password``; with several basic schemes, the others get the
  scheme's prefix (``admin_username``);
* OAuth2 client credentials: ``client_id``/``client_secret``, prefixed the same way when there
  are several;
* every argument's environment variable is ``<PACKAGE>_<ARGUMENT>`` in upper case.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostics
from ..loader import Location
from ..naming import CLIENT_INIT_RESERVED, Scope, convert
from .nodes import SecurityKind, SecurityScheme

_GENERIC = ("auth", "authentication", "scheme", "security", "bearer", "http", "oauth", "oauth2")
_CREDENTIAL_WORDS = ("key", "token", "id", "secret", "password")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def security_schemes(
    doc: dict[str, Any], config: Config, package: str, diagnostics: Diagnostics, root: Location, is_token: Any
) -> tuple[SecurityScheme, ...]:
    raw = (doc.get("components") or {}).get("securitySchemes") or {}
    prefix = convert(package, "upper")
    usage, scopes = _usage(doc)
    kinds: dict[str, tuple[SecurityKind, dict[str, Any]]] = {}
    for key in sorted(raw):
        s = raw[key]
        loc = root.child("components", "securitySchemes", key)
        if not isinstance(s, dict):
            continue
        kind, scheme = s.get("type"), str(s.get("scheme", "")).lower()
        flows: dict[str, Any] = s["flows"] if isinstance(s.get("flows"), dict) else {}
        cc = flows.get("clientCredentials") if kind == "oauth2" else None
        if kind == "http" and scheme == "basic":
            kinds[key] = ("basic", s)
        elif isinstance(cc, dict) and isinstance(cc.get("tokenUrl"), str) and cc["tokenUrl"]:
            kinds[key] = ("oauth2_client_credentials", s)
        elif (kind == "http" and scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
            kinds[key] = ("bearer", s)
        elif (
            kind == "apiKey"
            and s.get("in") in ("header", "query", "cookie")
            and isinstance(s.get("name"), str)
            and (s["in"] == "query" or is_token(s["name"]))
        ):
            kinds[key] = ("api_key", s)
        else:
            diagnostics.warning(
                f"security scheme {key!r} ({kind} {scheme}) is not supported; pass credentials with extra_headers",
                loc.file,
                loc.pointer,
            )
    scope = Scope(style="snake", reserved=CLIENT_INIT_RESERVED)
    names = _names(kinds, usage, scope)
    out: list[SecurityScheme] = []
    for key, (kind, s) in kinds.items():
        args = names[key]
        env = tuple(_env(prefix, a, config) for a in args)
        doc_text = str(s.get("description") or "")
        if kind == "api_key":
            out.append(SecurityScheme(key, kind, args, s["name"], s["in"], env, doc_text))
        elif kind == "oauth2_client_credentials":
            cc = s["flows"]["clientCredentials"]
            declared = cc.get("scopes") if isinstance(cc.get("scopes"), dict) else {}
            wanted = tuple(sorted(scopes.get(key, set()))) or tuple(str(k) for k in declared)
            out.append(
                SecurityScheme(key, kind, args, env=env, doc=doc_text, token_url=str(cc["tokenUrl"]), scopes=wanted)
            )
        else:
            out.append(SecurityScheme(key, kind, args, env=env, doc=doc_text))
    return tuple(out)


def _env(prefix: str, arg: str, config: Config) -> str:
    if arg == "api_key" and config.auth_env:
        return config.auth_env
    return f"{prefix}_{arg.upper()}"


def _names(
    kinds: dict[str, tuple[SecurityKind, dict[str, Any]]], usage: Counter[str], scope: Scope
) -> dict[str, tuple[Any, ...]]:
    """Constructor argument names per scheme (see the module's naming rule)."""
    groups: dict[str, list[str]] = {"token": [], "basic": [], "oauth2_client_credentials": []}
    for key, (kind, _) in kinds.items():
        groups["token" if kind in ("bearer", "api_key") else kind].append(key)
    out: dict[str, tuple[Any, ...]] = {}
    taken: set[str] = set()

    def mint(name: str) -> Any:
        ident = scope.mint(name)
        taken.add(str(ident))
        return ident

    plain = {
        "token": ("api_key",),
        "basic": ("username", "password"),
        "oauth2_client_credentials": ("client_id", "client_secret"),
    }
    for group, keys in groups.items():
        ranked = sorted(keys, key=lambda k: (-usage[k], k))
        for i, key in enumerate(ranked):
            if i == 0:
                out[key] = tuple(mint(n) for n in plain[group])
                continue
            base = _base(key)
            if group == "token":
                wanted = base if base.endswith(_CREDENTIAL_WORDS) else f"{base}_api_key"
                fallback = convert(key, "snake") or "api_key"
                out[key] = (mint(wanted if wanted not in taken else fallback),)
            else:
                out[key] = tuple(mint(f"{base}_{n}") for n in plain[group])
    return out


def _base(key: str) -> str:
    parts = convert(key, "snake").split("_")
    while len(parts) > 1 and parts[-1] in _GENERIC:
        parts.pop()
    while len(parts) > 1 and parts[0] in _GENERIC:
        parts.pop(0)
    return "_".join(p for p in parts if p) or "scheme"


def _usage(doc: dict[str, Any]) -> tuple[Counter[str], dict[str, set[str]]]:
    """How many operations declare each scheme, and the scopes requirements ask of each."""
    counts: Counter[str] = Counter()
    scopes: dict[str, set[str]] = {}
    root = doc.get("security")
    paths = doc.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            security = op.get("security", root)
            for requirement in security if isinstance(security, list) else ():
                if not isinstance(requirement, dict):
                    continue
                for key, wanted in requirement.items():
                    counts[str(key)] += 1
                    if isinstance(wanted, list):
                        scopes.setdefault(str(key), set()).update(str(w) for w in wanted)
    return counts, scopes
