"""Annotations of upload arguments: a file in a multipart body (``FileTypes``: bytes, an open
file, a path, or a ``(filename, content[, content_type])`` tuple) and a binary request body
(``FileContent``); the runtime (``_files``) streams them."""

from __future__ import annotations

from ..ir.nodes import Body
from ..ir.types import ListOf, Prim, TypeRef, UnionOf
from .imports import Imports

_FILE = UnionOf((Prim("bytes"), Prim("str")))


def upload_annotation(body: Body, t: TypeRef, imports: Imports) -> str | None:
    """The annotation of an upload argument, or None when ``t`` is not a file."""
    if body.kind == "binary" and t == Prim("bytes"):
        imports.add(".._types", "FileContent")
        return "FileContent"
    if body.kind != "multipart":
        return None
    if t == _FILE:
        imports.add(".._types", "FileTypes")
        return "FileTypes"
    if t == ListOf(Prim("bytes")):
        imports.add(".._types", "FileTypes")
        imports.typing.add("List")
        return "List[FileTypes]"
    return None
