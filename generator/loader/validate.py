"""Validation through openapi-spec-validator; its findings become diagnostics.

The validator resolves ``$ref``s itself.  It is given handlers that serve only the files the
workspace already read (and checked against the folder policy), and that refuse every other
scheme, so validation can never read or fetch anything the loader refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, Level, pointer
from .refs import Location, RefError, Workspace

MAX_FINDINGS = 50


class _Refused(Exception):
    pass


class _WorkspaceHandler:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.root = ws.root_dir.resolve()

    def __call__(self, uri: str) -> Any:
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise _Refused(uri)
        path = unquote(parts.path)
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            raise _Refused(uri) from None
        if rel not in self.ws.documents:
            raise _Refused(uri)
        return self.ws.documents[rel]


def _refuse(uri: str) -> Any:
    raise _Refused(uri)


def validate(ws: Workspace, document: dict[str, Any], minor: int, level: Level) -> None:
    """Add the validator's findings to the workspace diagnostics at the given level."""
    # Imported here: the validator costs a second to import, and ``sdkgen diff`` never needs it.
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base = (ws.root_dir.resolve() / ws.root_file).as_uri()
    handlers = dict.fromkeys(("http", "https", "ftp", "data", "", "<all_urls>"), _refuse)
    handlers["file"] = _WorkspaceHandler(ws)
    base_cls = OpenAPIV31SpecValidator if minor >= 1 else OpenAPIV30SpecValidator
    validator_cls = type("_Validator", (base_cls,), {"resolver_handlers": handlers})
    count = 0
    targets = _RefTargets(document)
    try:
        for error in validator_cls(document, base_uri=base).iter_errors():
            count += 1
            if count > MAX_FINDINGS:
                ws.diagnostics.items.append(
                    _diag(
                        level, f"more than {MAX_FINDINGS} validation findings; the rest are not shown", ws.root_file, ""
                    )
                )
                break
            _report(ws, error, level, targets)
    except _Refused as exc:
        ws.diagnostics.error(f"validation needed {exc.args[0]!r}, which is refused", ws.root_file, "")
    except RecursionError:
        ws.diagnostics.items.append(
            _diag(level, "the validator gave up: the document nests too deeply", ws.root_file, "")
        )
    except Exception as exc:  # noqa: BLE001 - a validator crash must not become a traceback
        ws.diagnostics.items.append(
            _diag(level, f"the validator failed on this document ({type(exc).__name__}: {exc})", ws.root_file, "")
        )


def _report(ws: Workspace, error: Exception, level: Level, targets: _RefTargets) -> None:
    from jsonschema.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        ws.diagnostics.items.append(_diag(level, f"invalid OpenAPI: {error}", ws.root_file, ""))
        return
    best = _deepest(error)
    where = pointer(*[str(p) for p in best.absolute_path])
    message = best.message
    if len(message) > 300:
        message = message[:297] + "..."
    if where and _node(ws, where) is _ABSENT:
        # The validator checks some $ref targets on their own and reports paths relative to
        # the target ("/properties/name/type"): rebase the path on the target it fits.
        rebased = next((t + where for t in targets.get() if _node(ws, t + where) == best.instance), None)
        if rebased is None:
            message += f" (at {where} inside a referenced schema)"
        where = rebased or ""
    ws.diagnostics.items.append(_diag(level, f"invalid OpenAPI: {message}", ws.root_file, where))


_ABSENT = object()


def _node(ws: Workspace, where: str) -> Any:
    try:
        return ws.node(Location(ws.root_file, where))
    except RefError:
        return _ABSENT


class _RefTargets:
    """Pointers of every local ``$ref`` target and every component in the root document,
    found on first use."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._found: list[str] | None = None

    def get(self) -> list[str]:
        if self._found is None:
            found: set[str] = set()
            components = self.document.get("components") if isinstance(self.document, dict) else None
            for kind, group in (components or {}).items() if isinstance(components, dict) else ():
                if isinstance(group, dict):
                    found.update(pointer("components", kind, name) for name in group)
            stack = [self.document]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    ref = node.get("$ref")
                    if isinstance(ref, str) and ref.startswith("#/"):
                        found.add(unquote(ref[1:]))
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
            self._found = sorted(found)
        return self._found


def _deepest(error: Any) -> Any:
    """For oneOf/anyOf failures, the sub-error that got furthest is the readable one."""
    best = error
    for sub in error.context or ():
        candidate = _deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path):
            best = candidate
    return best


def _diag(level: Level, message: str, file: str, where: str) -> Diagnostic:
    return Diagnostic(level, message, file, where)
