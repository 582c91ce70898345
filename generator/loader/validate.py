"""Validation through openapi-spec-validator; its findings become diagnostics.

The validator resolves ``$ref``s itself.  It is given handlers that serve only the files the
workspace already read (and checked against the folder policy), and that refuse every other
scheme, so validation can never read or fetch anything the loader refused.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, Level, pointer
from .refs import Location, RefError, Workspace

MAX_FINDINGS = 50
# Documents at least this big (bytes read) are validated in a separate process when the caller
# can wait (``start``): validation is most of the loading time, and the rest of the pipeline
# does not depend on it.
BACKGROUND_BYTES = 1_000_000


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


class _SeenIds(list):  # type: ignore[type-arg]
    """What the validator's schema walk keeps as a list of visited ``id()``s, tested with ``in``
    once per schema visit: quadratic on big documents (GitHub's: 38,000 schemas, 6 of its 10 s).
    Same answers from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def __contains__(self, item: object) -> bool:
        return item in self._ids

    def append(self, item: int) -> None:
        self._ids.add(item)


def _linear(schema_validator: type[Any]) -> type[Any]:
    """The validator's schema keyword, with its visit registries in sets."""

    def __init__(self: Any, registry: Any) -> None:
        schema_validator.__init__(self, registry)
        self.visited_schema_ids = _SeenIds()
        self.meta_checked_schema_ids = _SeenIds()

    return type(schema_validator.__name__, (schema_validator,), {"__init__": __init__})


class Pending:
    """A validation running in a forked process; ``wait()`` gives its findings."""

    def __init__(self, future: Future[list[Diagnostic]], pool: ProcessPoolExecutor, job: _Job) -> None:
        self._future = future
        self._pool = pool
        self._job = job

    def wait(self) -> list[Diagnostic]:
        try:
            return self._future.result()
        except Exception:  # noqa: BLE001 - the process died (memory?): validate here instead
            return _run(self._job)
        finally:
            self._pool.shutdown(wait=False)


_Job = tuple[Workspace, dict[str, Any], int, Level]
_forked_job: _Job | None = None


def _run(job: _Job) -> list[Diagnostic]:
    ws = job[0]
    before = len(ws.diagnostics.items)
    validate(*job)
    found = ws.diagnostics.items[before:]
    del ws.diagnostics.items[before:]
    return found


def _run_forked() -> list[Diagnostic]:
    assert _forked_job is not None
    return _run(_forked_job)


def start(ws: Workspace, document: dict[str, Any], minor: int, level: Level) -> Pending | None:
    """Validate a big document in a forked process (which inherits it: nothing is copied);
    a small one, or where processes cannot fork, right here (``None``: the findings are in
    the workspace already)."""
    global _forked_job
    if sum(len(raw) for raw in ws.raw.values()) < BACKGROUND_BYTES or "fork" not in get_all_start_methods():
        validate(ws, document, minor, level)
        return None
    job: _Job = (ws, document, minor, level)
    _forked_job = job
    pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork"))
    try:
        future = pool.submit(_run_forked)  # forks now, with the job in the child's memory
    finally:
        _forked_job = None
    return Pending(future, pool, job)


def validate(ws: Workspace, document: dict[str, Any], minor: int, level: Level) -> None:
    """Add the validator's findings to the workspace diagnostics at the given level."""
    # Imported here: the validator costs a second to import, and ``sdkgen diff`` never needs it.
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base = (ws.root_dir.resolve() / ws.root_file).as_uri()
    handlers = dict.fromkeys(("http", "https", "ftp", "data", "", "<all_urls>"), _refuse)
    handlers["file"] = _WorkspaceHandler(ws)
    base_cls = OpenAPIV31SpecValidator if minor >= 1 else OpenAPIV30SpecValidator
    keywords = dict(base_cls.keyword_validators)
    keywords["schema"] = _linear(keywords["schema"])
    validator_cls = type("_Validator", (base_cls,), {"resolver_handlers": handlers, "keyword_validators": keywords})
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
