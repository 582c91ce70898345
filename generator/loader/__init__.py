"""Stage 1: read, resolve, validate.  ``load()`` turns a path into a ``LoadedSpec``."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics, Level
from . import swagger2
from .refs import Location, RefError, RefLoop, Workspace, check_refs
from .tolerated import inline_tolerated_refs
from .validate import Pending, start, validate

__all__ = ["LoadedSpec", "Location", "RefError", "RefLoop", "Workspace", "load", "spec_digest"]


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    workspace: Workspace
    document: dict[str, Any]
    minor: int  # 0 for OpenAPI 3.0.x, 1 for 3.1.x, 2 for 3.2.x (read as 3.1 plus what 3.2 adds)
    spec_sha256: str  # the files as read
    normalized_sha256: str  # the parsed documents, canonical JSON
    diagnostics: tuple[Diagnostic, ...]
    converted_from: str = ""  # "2.0" when the document was Swagger 2.0, converted on load
    pending: Pending | None = field(default=None, compare=False, repr=False)

    def validated(self) -> LoadedSpec:
        """The spec with the findings of a validation still running in the background
        (``load(background=True)``); waits for it."""
        if self.pending is None:
            return self
        found = tuple(self.original(d) for d in self.pending.wait())
        return replace(self, diagnostics=tuple(sorted(self.diagnostics + found, key=Diagnostic.sort_key)), pending=None)

    def original(self, diagnostic: Diagnostic) -> Diagnostic:
        """The diagnostic with its pointer mapped back into the document as written."""
        if self.converted_from != "2.0" or diagnostic.file != self.workspace.root_file:
            return diagnostic
        mapped = swagger2.original_pointer(diagnostic.pointer)
        return diagnostic if mapped == diagnostic.pointer else replace(diagnostic, pointer=mapped)

    @property
    def root(self) -> Location:
        return Location(self.workspace.root_file)

    @property
    def has_errors(self) -> bool:
        return any(d.blocking for d in self.diagnostics)


def load(
    path: Path,
    *,
    strict: bool = False,
    validation: bool = True,
    background: bool = False,
    ref_root: Path | None = None,
) -> LoadedSpec:
    """Read a spec and everything it refers to.  Never raises for bad input: check ``has_errors``.

    ``validation=False`` skips openapi-spec-validator (most of the time spent here); refs are
    still checked.  ``sdkgen diff`` uses it: it reads two documents and only needs their IR.
    ``background=True`` lets a big document's validation run in a separate process while the
    caller goes on: its findings come with ``LoadedSpec.validated()``.  ``ref_root``: a folder
    whose files $refs may read besides the spec's own (``ref-root``)."""
    diagnostics = Diagnostics()
    path = Path(path)
    ws = Workspace(root_dir=path.parent, root_file=path.name, diagnostics=diagnostics, ref_root=ref_root)
    if path.is_dir():
        inside = [name for name in ("openapi.yaml", "openapi.yml", "openapi.json") if (path / name).is_file()]
        hint = f"give the document inside it: {path / inside[0]}" if inside else ""
        diagnostics.error("is a folder, not an OpenAPI document", str(path), "", hint)
        return _result(ws, {}, 0)
    if not path.is_file():
        diagnostics.error("no such file", str(path), "")
        return _result(ws, {}, 0)
    doc = ws.document(path.name)
    if doc is None:
        if not diagnostics.has_errors:
            diagnostics.error("the document is empty", path.name, "")
        return _result(ws, {}, 0)
    if not isinstance(doc, dict):
        diagnostics.error("an OpenAPI document must be a mapping at the top level", path.name, "")
        return _result(ws, {}, 0)
    converted_from = ""
    if swagger2.is_swagger2(doc):
        original = doc
        doc = ws.documents[path.name] = swagger2.convert(doc, diagnostics, path.name)
        items = _path_item_targets(ws, doc)
        ws.transform = lambda name, other: swagger2.convert_other(
            other, diagnostics, name, items.get(name, ()), original
        )
        converted_from = "2.0"
    minor = _version(doc, diagnostics, path.name)
    if diagnostics.has_errors:
        return _result(ws, doc, minor, converted_from)
    check_refs(ws, keep_going=not strict, inline=inline_tolerated_refs)
    if validation and not diagnostics.has_errors:
        level = Level.ERROR if strict else Level.WARNING
        if background:
            pending = start(ws, doc, minor, level)
            return replace(_result(ws, doc, minor, converted_from), pending=pending)
        validate(ws, doc, minor, level)
    return _result(ws, doc, minor, converted_from)


def _path_item_targets(ws: Workspace, doc: dict[str, Any]) -> dict[str, set[str]]:
    """Where the path items the root's ``paths`` refer to are written: file -> pointers."""
    found: dict[str, set[str]] = {}
    paths = doc.get("paths")
    for key, item in paths.items() if isinstance(paths, dict) else ():
        if isinstance(item, dict) and "$ref" in item:
            try:
                target = ws.target(item["$ref"], Location(ws.root_file).child("paths", key))
            except RefError:
                continue  # reported by check_refs
            if target.file != ws.root_file:
                found.setdefault(target.file, set()).add(target.pointer)
    return found


def _version(doc: dict[str, Any], diagnostics: Diagnostics, file: str) -> int:
    version = doc.get("openapi")
    if version is None and "swagger" not in doc and ("components" in doc or "paths" in doc):
        # schemas (or paths) without the version line, as other generators read them
        diagnostics.warning("no 'openapi' field: read as OpenAPI 3.1", file, "", hint="add openapi: 3.1.0")
        doc["openapi"] = version = "3.1.0"
    old = "swagger" if "swagger" in doc else "swaggerVersion" if "swaggerVersion" in doc else ""
    if old and version is None:  # 2.0 is converted before this; 1.x says swaggerVersion
        diagnostics.error(
            f"Swagger {doc.get(old)!s} documents are not supported",
            file,
            "/" + old,
            hint="sdkgen reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2: convert it to one of those first",
        )
        return 0
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        # `openapi: 3.0` unquoted is a YAML number; other tools read the version it spells
        text = f"{version}.0" if isinstance(version, float) else str(version)
        diagnostics.warning(
            f"'openapi' is the number {version!r}, not a string: read as '{text}'",
            file,
            "/openapi",
            hint=f"write openapi: '{text}'",
        )
        doc["openapi"] = version = text
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        diagnostics.error(
            f"unsupported 'openapi' version {version!r}",
            file,
            "/openapi",
            hint="sdkgen reads OpenAPI 3.0, 3.1 and 3.2",
        )
        return 0
    return int(match.group(1))


_VERSION = re.compile(r"3\.([0-2])(?:\.|$)")


def spec_digest(files: dict[str, bytes]) -> str:
    """SHA-256 of the spec files as read (names relative to the root spec's folder)."""
    raw = hashlib.sha256()
    for name in sorted(files):
        raw.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return raw.hexdigest()


def _result(ws: Workspace, doc: dict[str, Any], minor: int, converted_from: str = "") -> LoadedSpec:
    normalized = json.dumps(
        {name: ws.documents[name] for name in sorted(ws.documents)}, sort_keys=True, ensure_ascii=True, default=str
    )
    loaded = LoadedSpec(
        workspace=ws,
        document=doc,
        minor=minor,
        spec_sha256=spec_digest(ws.raw),
        normalized_sha256=hashlib.sha256(normalized.encode()).hexdigest(),
        diagnostics=ws.diagnostics.sorted(),
        converted_from=converted_from,
    )
    if converted_from:
        loaded = replace(loaded, diagnostics=tuple(loaded.original(d) for d in loaded.diagnostics))
    return loaded
