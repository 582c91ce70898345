"""Validation through openapi-spec-validator; its findings become diagnostics.

The validator (bounded as ``spec_validator`` describes) runs only on documents the loader
accepted: no ``$ref`` loops, nesting within ``MAX_DEPTH``.  Its schema walk is still
recursive, about 12 frames per level of nesting or of ``$ref`` followed: it runs in a thread
with a large stack and a recursion limit that covers ``MAX_SCHEMA_LEVELS``.  Whatever stops it
(a RecursionError, a crash of its own) is reported where it happened, never as a traceback.
Each finding is placed in the file and at the pointer it is about, following the ``$ref``s
the validator went through.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods
from typing import Any
from urllib.parse import unquote

from .. import workers
from ..diagnostics import Diagnostic, Level, pointer
from ..workers import stop
from .refs import Location, RefError, Workspace
from .spec_validator import MAX_SCHEMA_LEVELS, Refused, validator_class

MAX_FINDINGS = 50
# Documents at least this big (bytes read) are validated in a separate process when the caller
# can wait (``start``): validation is most of the loading time, and the rest of the pipeline
# does not depend on it.
BACKGROUND_BYTES = 1_000_000
RECURSION_LIMIT = 16_000
STACK_BYTES = 128 * 1024 * 1024


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
            self.cancel()

    def cancel(self) -> None:
        """Stop the validation if it still runs (its findings are no longer wanted)."""
        if self._future.done():
            self._pool.shutdown(wait=False)
        else:
            stop(self._pool, kill=True)  # safe: the job went to the worker by fork


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
    small = sum(len(raw) for raw in ws.raw.values()) < BACKGROUND_BYTES
    if small or "fork" not in get_all_start_methods() or not workers.allowed():
        validate(ws, document, minor, level)
        return None
    job: _Job = (ws, document, minor, level)
    _forked_job = job
    pool = workers.pool(1, "fork")
    try:
        future = pool.submit(_run_forked)  # forks now, with the job in the child's memory
    finally:
        _forked_job = None
    return Pending(future, pool, job)


def validate(ws: Workspace, document: dict[str, Any], minor: int, level: Level) -> None:
    """Add the validator's findings to the workspace diagnostics at the given level."""
    base = (ws.root_dir.resolve() / ws.root_file).as_uri()
    validator = validator_class(ws, minor)(document, base_uri=base)
    targets = _RefTargets(document)
    found: list[Diagnostic] = []

    def run() -> None:
        count = 0
        try:
            for error in validator.iter_errors():
                count += 1
                if count > MAX_FINDINGS:
                    message = f"more than {MAX_FINDINGS} validation findings; the rest are not shown"
                    found.append(Diagnostic(level, message, ws.root_file, "", summary=True))
                    break
                found.append(_finding(ws, error, level, targets))
        except Refused as exc:
            found.append(Diagnostic(Level.ERROR, f"validation needed {exc.args[0]!r}, which is refused", ws.root_file))
        except RecursionError as exc:
            where = _stopped_at(ws, exc, outermost=True)
            message = (
                "openapi-spec-validator gave up on the schema here: the schemas it leads to refer to each other "
                "too deeply (or in a loop) for it; the rest of the document was not validated"
            )
            found.append(Diagnostic(level, message, where.file, where.pointer))
        except Exception as exc:  # noqa: BLE001 - a validator crash must not become a traceback
            where = _stopped_at(ws, exc, outermost=False)
            message = (
                f"openapi-spec-validator failed here ({type(exc).__name__}: {str(exc)[:200]}); "
                "the rest of the document was not validated"
            )
            found.append(Diagnostic(level, message, where.file, where.pointer))

    _run_deep(run)
    ws.diagnostics.extend(found)
    _report_deferred(ws, validator, level)
    if ws.broken:
        message = (
            "only checked against the OpenAPI schema: the checks that follow $refs (operation ids, path "
            "parameters, schemas against their dialect) were not run, as the document has broken $refs"
        )
        ws.diagnostics.warning(message, ws.root_file, "")


def _report_deferred(ws: Workspace, validator: Any, level: Level) -> None:
    """Schemas the walk left for later because it met them too deep: a component schema of
    the root document is checked by the components pass; say so for any other."""
    schemas = validator.keyword_validators_registry["schema"]
    checked = set(schemas.visited_schema_ids or ())
    for parts in schemas.deferred:
        where = _canonical(ws, parts)
        if where is None or id(ws.node(where)) in checked:
            continue
        checked.add(id(ws.node(where)))
        message = (
            f"not validated: openapi-spec-validator reaches this schema only through more than "
            f"{MAX_SCHEMA_LEVELS} levels of schemas"
        )
        ws.diagnostics.items.append(Diagnostic(level, message, where.file, where.pointer))


def _run_deep(work: Callable[[], None]) -> None:
    """Run ``work`` in a thread with a stack and a recursion limit large enough for the
    validator on any document the loader accepts (inline when threads cannot be sized)."""
    old_limit = sys.getrecursionlimit()
    try:
        old_size = threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):  # pragma: no cover - platforms without sized stacks
        work()
        return
    failure: list[BaseException] = []

    def guarded() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            failure.append(exc)

    try:
        thread = threading.Thread(target=guarded, name="sdkgen-validate")
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
        threading.stack_size(old_size)
    if failure:
        raise failure[0]


def _stopped_at(ws: Workspace, exc: BaseException, *, outermost: bool) -> Location:
    """Where in the document the validator was when it raised: the object its innermost frame
    was checking, or for a RecursionError the schema its outermost schema frame started from."""
    from jsonschema_path import SchemaPath

    found: list[tuple[Any, ...]] = []
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if "openapi_spec_validator" not in frame.f_code.co_filename:
            continue
        local = frame.f_locals.get("schema")
        if not isinstance(local, SchemaPath):
            local = next((v for k, v in frame.f_locals.items() if k != "self" and isinstance(v, SchemaPath)), None)
        if local is not None:
            found.append(tuple(local.parts))
            if outermost and isinstance(frame.f_locals.get("schema"), SchemaPath):
                break
    where = _canonical(ws, found[-1]) if found else None
    return where or Location(ws.root_file)


def _canonical(ws: Workspace, parts: tuple[Any, ...], *, follow_last: bool = True) -> Location | None:
    """The location of a validator path, following the ``$ref``s it went through (and the
    one it ends on, unless ``follow_last`` is false)."""
    loc = Location(ws.root_file)
    try:
        node = ws.node(loc)
        for token in parts:
            while isinstance(node, dict) and "$ref" in node and str(token) not in node:
                loc = ws.target(node["$ref"], loc)
                node = ws.node(loc)
            loc = loc.child(token)
            node = ws.node(loc)
        while follow_last and isinstance(node, dict) and "$ref" in node:
            loc = ws.target(node["$ref"], loc)
            node = ws.node(loc)
    except RefError:
        return None
    return loc


def _finding(ws: Workspace, error: Exception, level: Level, targets: _RefTargets) -> Diagnostic:
    from jsonschema.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        return Diagnostic(level, f"invalid OpenAPI: {error}", ws.root_file, "")
    best = _deepest(error)
    where = pointer(*[str(p) for p in best.absolute_path])
    message = best.message
    if len(message) > 300:
        message = message[:297] + "..."
    marked = getattr(error, "sdkgen_at", None)
    if marked is not None:
        # A second-pass finding: its path is relative to the object the validator checked.
        parts, about_default = marked
        base = _canonical(ws, parts, follow_last=not about_default)
        if base is not None:
            at = base.child("default") if about_default else base
            return Diagnostic(level, f"invalid OpenAPI: {message}", at.file, at.pointer + where)
    if where and _node(ws, where) is _ABSENT:
        # The validator checks some $ref targets on their own and reports paths relative to
        # the target ("/properties/name/type"): rebase the path on the target it fits.
        rebased = next((t + where for t in targets.get() if _node(ws, t + where) == best.instance), None)
        if rebased is None:
            message += f" (at {where} inside a referenced schema)"
        where = rebased or ""
    return Diagnostic(level, f"invalid OpenAPI: {message}", ws.root_file, where)


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
