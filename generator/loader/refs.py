"""``$ref`` resolution over the spec's own folder.

A small resolver of our own rather than ``referencing``/``jsonschema-path``: the IR needs the
canonical location (file + JSON pointer) of every target, to give each shared schema exactly
one name, and a refusal policy that no library offers out of the box:

* refs to files inside the folder of the root document (after following symlinks) are read,
  and inside ``ref_root`` when one is configured (``ref-root``: e.g. the repository root, for
  a spec that shares ``../common/`` files with others);
* ``file://`` URIs, absolute paths, ``..`` that leaves those folders, backslashes, and remote
  ``http(s)://`` refs are refused without being read or fetched;
* fragments must be JSON pointers (RFC 6901, percent-decoded first);
* an absolute URI that the root document's ``$self`` (OpenAPI 3.2: the document's own URI)
  names, or that names a file beside it, is that file in the folder: it is read locally, the
  same policy applying, and never fetched.

Each file is read and parsed once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import SplitResult, unquote, urldefrag, urljoin, urlsplit

from ..diagnostics import Diagnostic, Diagnostics, Level, add_capped
from .documents import read_document
from .ids import base_of, id_index


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A node's address: file (posix path relative to the spec folder) and JSON pointer."""

    file: str
    pointer: str = ""

    def child(self, *tokens: str | int) -> Location:
        extra = "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
        return Location(self.file, self.pointer + extra)

    @property
    def tokens(self) -> list[str]:
        if not self.pointer:
            return []
        return [t.replace("~1", "/").replace("~0", "~") for t in self.pointer.split("/")[1:]]

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


class RefError(Exception):
    def __init__(self, message: str, hint: str = "", at: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.at = at  # where the $ref that cannot be followed is written, when known

    def located(self, at: Location) -> RefError:
        return type(self)(self.message, self.hint, at)


class RefLoop(RefError):
    """A chain of ``$ref``s that comes back to where it started: it names no schema at all."""


_MISSING = object()
_BAD_ESCAPE = re.compile("~(?![01])")
MAX_LOOP_HOPS = 4  # hops of a $ref loop shown in its message


@dataclass(slots=True)
class Workspace:
    """The files of one spec: the root document and every file it refers to."""

    root_dir: Path
    root_file: str
    diagnostics: Diagnostics
    documents: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict)
    # Applied to every other file as it is read (Swagger 2.0: the same conversion as the root).
    transform: Callable[[str, Any], Any] | None = None
    # Without --strict: each $ref that cannot be followed, by where it is written (the node
    # holding it), with why.  ``resolve`` raises that error for it; the IR skips what needs it.
    broken: dict[Location, RefError] = field(default_factory=dict)
    # A folder (holding the spec's, usually) whose files $refs may read too: ``ref-root``.
    ref_root: Path | None = None
    # ``$anchor``/``$dynamicAnchor`` names of each file read, with their pointers (JSON Schema
    # 2020-12: ``$ref: "#item"`` names the schema that says ``$anchor: item``)
    _anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    _ids: dict[str, dict[str, str]] = field(default_factory=dict)

    def document(self, file: str) -> Any:
        if file not in self.documents:
            doc, self.raw[file] = read_document(self.root_dir / file, self.diagnostics, file)
            if self.transform is not None and file != self.root_file and doc is not None:
                doc = self.transform(file, doc)
            self.documents[file] = doc
        return self.documents[file]

    def text(self, file: str) -> str:
        """A file read as UTF-8 text, not parsed (a Markdown description); raises RefError."""
        try:
            raw = (self.root_dir / file).read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise RefError(f"cannot read {file!r}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise RefError(f"{file!r} is not UTF-8 text") from None
        self.raw[file] = raw
        return text

    def anchors(self, file: str) -> dict[str, str]:
        """The ``$anchor`` and ``$dynamicAnchor`` names of a file, each with its JSON pointer
        (the first one written, in document order)."""
        if file not in self._anchors:
            found: dict[str, str] = {}
            stack: list[tuple[Any, Location]] = [(self.document(file), Location(file))]
            while stack:
                node, loc = stack.pop()
                if isinstance(node, dict):
                    for key in ("$anchor", "$dynamicAnchor"):
                        if isinstance(node.get(key), str):
                            found.setdefault(node[key], loc.pointer)
                    stack.extend((v, loc.child(k)) for k, v in reversed(list(node.items())))
                elif isinstance(node, list):
                    stack.extend((v, loc.child(i)) for i, v in reversed(list(enumerate(node))))
            self._anchors[file] = found
        return self._anchors[file]

    def node(self, loc: Location) -> Any:
        """The node at a location; raises RefError when there is none."""
        node = self.document(loc.file)
        if node is None:
            raise RefError(f"cannot read {loc.file!r}")
        for token in loc.tokens:
            if isinstance(node, dict):
                node = node.get(token, _MISSING)
            elif isinstance(node, list) and token.isdigit() and (token == "0" or not token.startswith("0")):
                node = node[int(token)] if int(token) < len(node) else _MISSING
            else:
                node = _MISSING
            if node is _MISSING:
                raise RefError(f"nothing at {loc.file}#{loc.pointer}")
        return node

    def target(self, ref: Any, at: Location) -> Location:
        """Where a ``$ref`` written at ``at`` points; raises RefError when refused."""
        if not isinstance(ref, str):
            raise RefError("$ref must be a string")
        if "\\" in ref:
            raise RefError("$ref contains a backslash", hint="use forward slashes in relative refs")
        try:
            parts = urlsplit(ref)
        except ValueError as exc:  # "http://[x": an invalid IPv6 host
            raise RefError(f"$ref {ref!r} is not a URI reference ({exc})") from None
        embedded = self._embedded(parts, at)
        if embedded is not None:
            return embedded
        by_self = self.file_by_self(ref) if parts.scheme or parts.netloc else None
        if by_self is not None:
            parts = urlsplit("#" + parts.fragment) if parts.fragment else urlsplit("")
        elif parts.scheme or parts.netloc:
            if parts.scheme in ("http", "https"):
                raise RefError(
                    f"remote $ref {ref!r} refused: sdkgen reads nothing outside the spec's folder",
                    hint="download the referenced document into the spec folder and refer to it by relative path",
                )
            raise RefError(f"$ref {ref!r} refused: only relative refs inside the spec's folder are read")
        file = by_self or at.file
        if parts.path:
            try:
                file = self._relative_file(unquote(parts.path), at.file)
            except RefError:
                named = self._schema_named(ref, parts, at)
                if named is None:
                    raise
                return named
        try:
            fragment = unquote(parts.fragment, errors="strict")
        except UnicodeDecodeError:
            raise RefError(f"$ref fragment {parts.fragment!r} is not percent-encoded UTF-8") from None
        if fragment and not fragment.startswith("/"):
            anchored = self.anchors(file).get(fragment)
            if anchored is not None:
                return Location(file, anchored)
            if not self._exists(Location(file, "/" + fragment)):
                raise RefError(
                    f"$ref fragment {parts.fragment!r} is neither a JSON pointer nor an $anchor of {file!r}",
                    hint="write '#/components/...'",
                )
            # '#definitions/Pet', as some tools write and read it: a pointer without its '/'
            message = f"$ref fragment {parts.fragment!r} is not a JSON pointer; read as '#/{parts.fragment}'"
            self.diagnostics.warning(message, at.file, at.pointer + "/$ref", hint=f"write '#/{parts.fragment}'")
            fragment = "/" + fragment
        if _BAD_ESCAPE.search(fragment):
            raise RefError(
                f"$ref fragment {parts.fragment!r} is not a JSON pointer: '~' must be followed by 0 or 1",
                hint="write ~0 for '~' and ~1 for '/'",
            )
        return Location(file, fragment)

    def _embedded(self, parts: SplitResult, at: Location) -> Location | None:
        """Where a ``$ref`` leads inside an embedded resource (``$id``) of the file it is
        written in: one it names, or its own ``#/...`` inside one; None otherwise."""
        ids = self.ids(at.file)
        if not ids:
            return None
        base, resource = base_of(self.document(at.file), at.file, tuple(at.tokens))
        fragment = unquote(parts.fragment)
        if parts.scheme or parts.netloc or parts.path:
            try:
                found = ids.get(urldefrag(urljoin(base, parts._replace(fragment="").geturl())).url)
            except ValueError:  # not a URI reference: refused below
                return None
            if found is None or (fragment and not fragment.startswith("/")):
                return None
            return Location(at.file, found + fragment)
        inside = Location(at.file, resource + fragment)
        # "#/..." in a resource is its own; where it has nothing there, the document's (as
        # specs that give components an $id mean it)
        return inside if resource and fragment.startswith("/") and self._exists(inside) else None

    def ids(self, file: str) -> dict[str, str]:
        """The embedded resources of a file (``$id``), by URI, with their pointers."""
        if file not in self._ids:
            self._ids[file] = id_index(self.document(file), file)
        return self._ids[file]

    def _schema_named(self, ref: str, parts: SplitResult, at: Location) -> Location | None:
        """``$ref: Pet`` where no file is called that but a schema is (Swagger's old shorthand,
        in the OpenAPI Initiative's own 2.0 examples): that schema, with a warning."""
        name = unquote(parts.path)
        if parts.fragment or parts.query or "/" in name:
            return None
        loc = Location(self.root_file).child("components", "schemas", name)
        if not self._exists(loc):
            return None
        # as the document says it: a Swagger 2.0 one (converted as read) has definitions
        shown = "#" + (Location("", "/definitions").child(name) if self.transform else loc).pointer
        message = f"$ref {ref!r} names no file but a schema: read as '{shown}'"
        self.diagnostics.warning(message, at.file, at.pointer + "/$ref", hint=f"write '{shown}'")
        return loc

    def _exists(self, loc: Location) -> bool:
        try:
            self.node(loc)
        except RefError:
            return False
        return True

    def file_by_self(self, uri: str) -> str | None:
        """The file in the folder an absolute URI names through the root document's ``$self``
        (the root itself, or a file beside or below it); None when it names none.  Raises
        RefError when the file it names is refused or missing."""
        root = self.documents.get(self.root_file)
        own = root.get("$self") if isinstance(root, dict) else None
        try:
            if not isinstance(own, str) or not urlsplit(own).scheme:
                return None
            url, base = urlsplit(uri)._replace(fragment="").geturl(), urlsplit(own)._replace(fragment="").geturl()
        except ValueError:  # not URIs: names no file
            return None
        if url == base:
            return self.root_file
        folder = base.rsplit("/", 1)[0] + "/"
        if not url.startswith(folder) or urlsplit(url).query:
            return None
        return self._relative_file(unquote(url[len(folder) :]), self.root_file)

    def _relative_file(self, rel: str, current: str) -> str:
        if rel.startswith("/"):
            raise RefError(f"$ref to absolute path {rel!r} refused: only files inside the spec's folder are read")
        joined = PurePosixPath(current).parent / rel
        candidate = (self.root_dir.resolve() / joined).resolve()
        key = self.key_of(candidate)
        if key is None:
            raise self._outside(rel)
        if not candidate.is_file():
            raise RefError(f"$ref to {rel!r}: no such file")
        return key

    def key_of(self, path: Path) -> str | None:
        """A file's name in the workspace (posix, relative to the spec's folder: ``../common/
        Error.yaml`` under a ``ref_root``), or None when $refs may not read it."""
        resolved = path.resolve()
        base = self.root_dir.resolve()
        roots = [base] if self.ref_root is None else [base, self.ref_root.resolve()]
        if not any(root == resolved or root in resolved.parents for root in roots):
            return None
        return Path(os.path.relpath(resolved, base)).as_posix()

    def _outside(self, rel: str) -> RefError:
        if self.ref_root is None:
            return RefError(
                f"$ref to {rel!r} leaves the spec's folder and is refused",
                hint="to read files above it, set ref-root (--ref-root) to a folder that holds them",
            )
        shown = Path(os.path.relpath(self.ref_root.resolve(), self.root_dir.resolve())).as_posix()
        return RefError(f"$ref to {rel!r} leaves the spec's folder and ref-root ({shown}) and is refused")

    def resolve(self, ref: Any, at: Location) -> tuple[Location, Any]:
        """Follow a ``$ref`` (and chains of pure refs) to its node."""
        seen: set[Location] = set()
        if at in self.broken:
            raise self.broken[at].located(at)
        loc = self.target(ref, at)
        while True:
            if loc in seen:
                raise RefLoop("$ref chain loops back on itself")
            seen.add(loc)
            node = self.node(loc)
            if isinstance(node, dict) and "$ref" in node and len(node) == 1:
                if loc in self.broken:
                    raise self.broken[loc].located(loc)
                loc = self.target(node["$ref"], loc)
                continue
            return loc, node


# Keys whose values are literal data, not OpenAPI objects: their "$ref"s are not refs.
_LITERAL_KEYS = frozenset({"example", "default", "const", "enum"})
# Keys whose values map user-chosen names to objects (a property may be called "example").
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "schemas",
        "responses",
        "parameters",
        "headers",
        "securitySchemes",
        "requestBodies",
        "links",
        "callbacks",
        "paths",
        "content",
        "encoding",
        "variables",
        "mapping",
        "pathItems",
        "webhooks",
        "dependentSchemas",
    }
)


def check_refs(
    ws: Workspace,
    *,
    keep_going: bool = False,
    inline: Callable[[Workspace, Any, Location], None] | None = None,
) -> None:
    """Visit every file reachable from the root; report each ref that cannot be followed, and
    each chain of refs that loops back on itself (it resolves to nothing).

    ``keep_going`` (without ``--strict``): nothing is reported here; each such ref is recorded
    in ``ws.broken`` instead, for the IR to skip what needs it and report it there.

    ``inline``: applied to each file before its refs are read (``tolerated``: the $refs
    OpenAPI does not allow where multi-file specs write them)."""
    pending = [Location(ws.root_file)]
    visited_files: set[str] = set()
    found: list[Diagnostic] = []
    sources: list[Location] = []
    while pending:
        start = pending.pop()
        if start.file in visited_files:
            continue
        visited_files.add(start.file)
        doc = ws.document(start.file)
        if doc is None:
            continue
        if inline is not None:
            inline(ws, doc, Location(start.file))
        for ref, where in _iter_refs(doc, start):
            if ref is None and keep_going:  # `$ref: null` (or `$ref:`): no reference at all
                del ws.node(where)["$ref"]
                ws.diagnostics.warning("$ref is null: ignored", where.file, where.pointer + "/$ref")
                continue
            try:
                target = ws.target(ref, where)
                node = ws.node(target)
                if not isinstance(node, (dict, bool)):
                    raise RefError(f"$ref points at {_kind(node)}, not at an object")
                if target == Location(ws.root_file):
                    raise RefError(
                        "$ref points at the whole OpenAPI document, not at an object inside it",
                        hint="point at a component: '#/components/...'",
                    )
            except RefError as exc:
                found.append(Diagnostic(Level.ERROR, exc.message, where.file, where.pointer + "/$ref", exc.hint))
                continue
            sources.append(where)
            if target.file not in visited_files:
                pending.append(Location(target.file))
    loops = _ref_loops(ws, sources)
    errors = [_loop_error(loop) for loop in loops]
    if keep_going:
        for d in found:
            ws.broken[Location(d.file, d.pointer.removesuffix("/$ref"))] = RefError(d.message, d.hint)
        for loop, d in zip(loops, errors, strict=True):
            ws.broken.update(dict.fromkeys(loop, RefLoop(d.message, d.hint)))
        return
    add_capped(ws.diagnostics, found, "unresolvable $refs")
    add_capped(ws.diagnostics, errors, "$ref loops")


def _kind(node: Any) -> str:
    if node is None:
        return "null"
    if isinstance(node, list):
        return "a list"
    return "a string" if isinstance(node, str) else "a number"


def _ref_loops(ws: Workspace, sources: list[Location]) -> list[list[Location]]:
    """Every cycle of the graph "node holding a ``$ref`` → its target", as the list of its
    nodes in chain order, starting at the smallest.  Each node is followed once: linear time.

    A node that holds a ``$ref`` is followed whatever else it holds (a schema's siblings do not
    stop ``$ref`` from being applied), so ``A: {$ref: A, description: x}`` is a loop too;
    ``A: {allOf: [{$ref: A}]}`` or ``A: {items: {$ref: A}}`` are not: a recursive schema."""
    ends: dict[Location, bool] = {}  # does the chain from here reach a node without $ref?
    loops: list[list[Location]] = []
    for start in sources:
        chain: list[Location] = []
        index: dict[Location, int] = {}
        loc = start
        while True:
            if loc in ends:
                result = ends[loc]
                break
            if loc in index:
                loop = chain[index[loc] :]
                first = loop.index(min(loop))
                loops.append(loop[first:] + loop[:first])
                result = False
                break
            try:
                node = ws.node(loc)
                if not (isinstance(node, dict) and "$ref" in node):
                    result = True
                    break
                index[loc] = len(chain)
                chain.append(loc)
                loc = ws.target(node["$ref"], loc)
            except RefError:  # reported where that ref is written
                result = True
                break
        for visited in chain:
            ends[visited] = result
    return loops


def _loop_error(loop: list[Location]) -> Diagnostic:
    anchor = loop[0]
    hops = [loc if loc.file != anchor.file else Location("", loc.pointer) for loc in [*loop, anchor]]
    shown = [f"{h.file}#{h.pointer}" for h in hops]
    if len(shown) > MAX_LOOP_HOPS + 1:
        shown = [*shown[:MAX_LOOP_HOPS], f"… ({len(loop)} refs)", shown[-1]]
    message = "$ref chain loops back on itself: " + " → ".join(shown)
    return Diagnostic(Level.ERROR, message, anchor.file, anchor.pointer + "/$ref", "a $ref must lead to an object")


def _iter_refs(doc: Any, start: Location) -> list[tuple[Any, Location]]:
    """Every ``$ref`` in a document, skipping literal data (examples, defaults, enums, ``x-``)."""
    found: list[tuple[Any, Location]] = []
    stack: list[tuple[Any, Location, str]] = [(doc, start, "object")]
    while stack:
        node, loc, mode = stack.pop()
        if isinstance(node, list):
            stack.extend((value, loc.child(i), "object") for i, value in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        if mode != "names" and "$ref" in node:
            found.append((node["$ref"], loc))
        for key, value in node.items():
            if mode == "names":
                stack.append((value, loc.child(key), "object"))
            elif mode == "examples":
                stack.append((value, loc.child(key), "example"))
            elif (
                key == "$ref" or key in _LITERAL_KEYS or key.startswith("x-") or (mode == "example" and key == "value")
            ):
                continue
            elif key == "examples":
                if isinstance(value, dict):
                    stack.append((value, loc.child(key), "examples"))
            else:
                stack.append((value, loc.child(key), "names" if key in _NAME_MAPS else "object"))
    found.sort(key=lambda item: item[1])
    return found
