"""``$ref``s that OpenAPI does not allow where published multi-file specs write them, and
bundlers (Redocly) accept: replaced by what they name before anything else reads the spec.

* a ``$ref`` as a ``description`` or ``summary`` (a tag's, an operation's...) is the text it
  names: a Markdown or text file read as UTF-8, or a string in a YAML or JSON file;
* ``info``, ``externalDocs``, a tag or a root server written as a ``$ref`` is the object;
* an operation written as a ``$ref`` (``get: {$ref: resources/list.yml}``, as DigitalOcean's
  spec does) is the operation, its own ``$ref``s rewritten to stay relative to where they
  were written.

What cannot be followed is a warning with its pointer (the text left empty, the object or the
operation left out): never a refusal of the document.
"""

from __future__ import annotations

import copy
import posixpath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .refs import _LITERAL_KEYS, _NAME_MAPS, Location, RefError, Workspace, _kind

__all__ = ["inline_tolerated_refs"]

# Keys whose value is text: a "$ref" there is not an OpenAPI Reference Object, but bundlers
# tolerate it (Redocly reads a Markdown file into a description), and published multi-file
# specs use it.  It is replaced by the text it names.
_TEXT_KEYS = frozenset({"description", "summary"})
# Objects of the root document where OpenAPI allows no Reference Object, written as a $ref to
# another file anyway: replaced by the object the $ref names.
_ROOT_OBJECTS = ("info", "externalDocs")
_ROOT_LISTS = ("tags", "servers")
_DATA_SUFFIXES = (".yaml", ".yml", ".json")


def inline_tolerated_refs(ws: Workspace, doc: Any, start: Location) -> None:
    """Replace the ``$ref``s written where OpenAPI expects text (a tag's or an operation's
    ``description``) by that text, and (in the root document) the ``$ref``s standing for
    ``info``, ``externalDocs``, a tag or a server by the object.  A Markdown or text file is
    read as text; a YAML or JSON file must hold a string at the pointer.  What cannot be
    followed is a warning and leaves the text empty: never a refusal of the document."""
    if start == Location(ws.root_file) and isinstance(doc, dict) and id(doc) == id(ws.documents.get(ws.root_file)):
        _inline_root_objects(ws, doc, start)
    if not start.pointer:
        _inline_operations(ws, doc, start)
    stack: list[tuple[Any, Location, bool]] = [(doc, start, False)]
    while stack:
        node, loc, names = stack.pop()
        if isinstance(node, list):
            stack.extend((v, loc.child(i), False) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if names:
                stack.append((value, loc.child(key), False))
            elif key in _LITERAL_KEYS or key in ("examples", "$ref") or key.startswith("x-"):
                continue
            elif key in _TEXT_KEYS and isinstance(value, dict) and "$ref" in value:
                node[key] = _text_at(ws, value["$ref"], loc.child(key))
            else:
                stack.append((value, loc.child(key), key in _NAME_MAPS))


def _inline_root_objects(ws: Workspace, doc: dict[str, Any], start: Location) -> None:
    for key in _ROOT_OBJECTS:
        doc[key] = _object_at(ws, doc.get(key), start.child(key))
    info = doc.get("info")
    if isinstance(info, dict):
        for key in ("contact", "license"):
            if key in info:
                info[key] = _object_at(ws, info[key], start.child("info", key))
    for key in _ROOT_LISTS:
        if isinstance(doc.get(key), list):
            found = [_object_at(ws, v, start.child(key, i)) for i, v in enumerate(doc[key])]
            doc[key] = [v for v in found if v is not None]
    for key in _ROOT_OBJECTS:
        if doc[key] is None:
            del doc[key]


def _object_at(ws: Workspace, value: Any, loc: Location) -> Any:
    if not (isinstance(value, dict) and "$ref" in value):
        return value
    try:
        target, node = ws.resolve(value["$ref"], loc)
    except RefError as exc:
        ws.diagnostics.warning(f"{exc.message}; ignored", loc.file, loc.pointer + "/$ref", exc.hint)
        return None
    if not isinstance(node, dict):
        ws.diagnostics.warning(
            f"$ref points at {_kind(node)}, not at an object; ignored", loc.file, loc.pointer + "/$ref"
        )
        return None
    inline_tolerated_refs(ws, node, target)  # its text $refs are relative to its own file
    return rebased(node, target.file, loc.file)


def _text_at(ws: Workspace, ref: Any, loc: Location) -> str:
    where = loc.pointer + "/$ref"
    try:
        target = ws.target(ref, loc)
        if not target.pointer and not target.file.lower().endswith(_DATA_SUFFIXES):
            return ws.text(target.file)
        _, node = ws.resolve(ref, loc)
    except RefError as exc:
        ws.diagnostics.warning(f"{exc.message}; the text is left empty", loc.file, where, exc.hint)
        return ""
    if not isinstance(node, str):
        ws.diagnostics.warning(
            f"$ref in place of text points at {_kind(node) if node is not None else 'null'}, not at text; "
            "the text is left empty",
            loc.file,
            where,
        )
        return ""
    return node


# -- operations written as $refs ----------------------------------------------------------------

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_PATH_ITEM_MAPS = ("paths", "webhooks")


def _inline_operations(ws: Workspace, doc: Any, start: Location) -> None:
    """The operations written as ``$ref``s in this file's path items: the root document's
    ``paths``, ``webhooks`` and ``components/pathItems``, or the path items other files hold
    for the root's ``paths`` (``/pets: {$ref: paths/pets.yaml}``)."""
    if not isinstance(doc, dict):
        return
    items: list[tuple[Any, Location]] = []
    if start == Location(ws.root_file):
        for key in _PATH_ITEM_MAPS:
            group = doc.get(key)
            if isinstance(group, dict):
                items += [(v, start.child(key, k)) for k, v in group.items() if not k.startswith("x-")]
        components = doc.get("components")
        group = components.get("pathItems") if isinstance(components, dict) else None
        if isinstance(group, dict):
            items += [(v, start.child("components", "pathItems", k)) for k, v in group.items()]
    else:
        for pointer in _path_items_of(ws, start.file):
            try:
                items.append((ws.node(Location(start.file, pointer)), Location(start.file, pointer)))
            except RefError:
                continue
    for item, loc in items:
        if isinstance(item, dict):
            _inline_item_operations(ws, item, loc)


def _path_items_of(ws: Workspace, file: str) -> list[str]:
    """The pointers in ``file`` that the root document's ``paths`` point at."""
    root = ws.documents.get(ws.root_file)
    paths = root.get("paths") if isinstance(root, dict) else None
    found = []
    for key, item in paths.items() if isinstance(paths, dict) else ():
        if isinstance(item, dict) and "$ref" in item:
            try:
                target = ws.target(item["$ref"], Location(ws.root_file).child("paths", key))
            except RefError:
                continue
            if target.file == file:
                found.append(target.pointer)
    return found


def _inline_item_operations(ws: Workspace, item: dict[str, Any], loc: Location) -> None:
    ops = [(m, item, loc.child(m)) for m in _METHODS if m in item]
    extra = item.get("additionalOperations")
    if isinstance(extra, dict):
        ops += [(m, extra, loc.child("additionalOperations", m)) for m in extra]
    for method, holder, op_loc in ops:
        op = holder[method]
        if not (isinstance(op, dict) and "$ref" in op):
            continue
        try:
            target, node = ws.resolve(op["$ref"], op_loc)
        except RefError as exc:
            ws.diagnostics.warning(
                f"{exc.message}; the operation is left out", op_loc.file, op_loc.pointer + "/$ref", exc.hint
            )
            del holder[method]
            continue
        if not isinstance(node, dict):
            ws.diagnostics.warning(
                f"$ref points at {_kind(node)}, not at an operation; the operation is left out",
                op_loc.file,
                op_loc.pointer + "/$ref",
            )
            del holder[method]
            continue
        inline_tolerated_refs(ws, node, target)  # its own text $refs, relative to its file
        holder[method] = rebased(node, target.file, op_loc.file)


def rebased(node: Any, source: str, dest: str) -> Any:
    """A deep copy of a node written in ``source``, to be placed in ``dest``: each ``$ref``
    in it (literal data and extensions aside) rewritten to name the same target from there."""
    out = copy.deepcopy(node)
    if source == dest:
        return out
    stack: list[tuple[Any, bool]] = [(out, False)]
    while stack:
        value, names = stack.pop()
        if isinstance(value, list):
            stack.extend((v, False) for v in value)
            continue
        if not isinstance(value, dict):
            continue
        if not names and isinstance(value.get("$ref"), str):
            value["$ref"] = _rebase_ref(value["$ref"], source, dest)
        for key, child in value.items():
            if names:
                stack.append((child, False))
            elif key in _LITERAL_KEYS or key in ("examples", "$ref") or key.startswith("x-"):
                continue
            else:
                stack.append((child, key in _NAME_MAPS))
    return out


def _rebase_ref(ref: str, source: str, dest: str) -> str:
    try:
        parts = urlsplit(ref)
    except ValueError:
        return ref
    if parts.scheme or parts.netloc or "\\" in ref:
        return ref  # refused wherever it is written
    path = unquote(parts.path)
    if path.startswith("/"):
        return ref
    file = posixpath.normpath(posixpath.join(posixpath.dirname(source), path)) if path else source
    fragment = "#" + parts.fragment if parts.fragment or ref.endswith("#") else ""
    if file == dest:
        return fragment or "#"
    return quote(posixpath.relpath(file, posixpath.dirname(dest) or "."), safe="/") + fragment
