"""Uploads: a file argument may be ``bytes``, an open binary file, a path (``pathlib.Path`` or
any ``os.PathLike``), or a ``(filename, content[, content_type])`` tuple.

Files are streamed, never read whole: a path is opened when the request body is written and
closed at its end (again for each retry); an open file is rewound for each retry.  In a
multipart body a file part carries its filename (the path's or the open file's name) and a
content type guessed from it (``application/octet-stream`` otherwise).
"""

from __future__ import annotations

import os
from typing import IO, Any, AsyncIterator, Dict, Iterator, Mapping, Optional, Tuple, Union

__all__ = [
    "OpenFile",
    "PathFile",
    "content_length",
    "file_part",
    "for_client",
    "raw_content",
    "upload_fields",
]

CHUNK_SIZE = 64 * 1024


class PathFile:
    """A file named by its path, opened only while it is read."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None:
        self.name = os.fspath(path)
        self._file: Optional[IO[bytes]] = None
        self._pos = 0

    def read(self, size: Optional[int] = -1) -> bytes:
        if self._file is None:
            self._file = open(self.name, "rb")  # noqa: SIM115 - closed at the end of the data
            self._file.seek(self._pos)
        data = self._file.read(-1 if size is None else size)
        self._pos = self._file.tell()
        if not data or size is None or size < 0:
            self.close()
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END:
            self._pos = os.path.getsize(self.name) + offset
        elif whence == os.SEEK_CUR:
            self._pos += offset
        else:
            self._pos = offset
        if self._file is not None:
            self._file.seek(self._pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self) -> Iterator[bytes]:
        self.seek(0)
        chunk = self.read(CHUNK_SIZE)
        while chunk:
            yield chunk
            chunk = self.read(CHUNK_SIZE)

    def __repr__(self) -> str:
        return f"PathFile({self.name!r})"


def _is_upload(value: object) -> bool:
    return isinstance(value, os.PathLike) or (
        hasattr(value, "read") and not isinstance(value, PathFile)
    )


def file_part(value: Any, declared: str = "") -> Any:
    """A multipart file value as httpx takes it, ``(filename, content, content type)``: a path
    opened lazily; the filename from the path or the open file; the content type the spec's
    ``encoding`` declares, else guessed from the filename."""
    if isinstance(value, os.PathLike):
        path = os.fspath(value)
        return (os.path.basename(path), PathFile(value), declared or _guess(path))
    if isinstance(value, tuple) and len(value) >= 2 and isinstance(value[1], os.PathLike):
        name, path = value[0], value[1]
        kind = value[2] if len(value) > 2 else declared or _guess(str(name or os.fspath(path)))
        return (name, PathFile(path), kind, *value[3:])
    if _is_upload(value):
        name = getattr(value, "name", None)
        filename = os.path.basename(name) if isinstance(name, str) and name else "upload"
        return (filename, value, declared or _guess(filename))
    return value


def upload_fields(
    fields: Mapping[str, Any], encoding: Mapping[str, Tuple[Any, ...]]
) -> Dict[str, Any]:
    """A multipart body's fields with every file (also in a list) as ``file_part`` makes it."""
    out: Dict[str, Any] = {}
    for name, value in fields.items():
        declared = str(encoding[name][3]) if name in encoding else ""
        if isinstance(value, list):
            out[name] = [file_part(v, declared) for v in value]
        else:
            out[name] = file_part(value, declared)
    return out


def raw_content(value: Any) -> Any:
    """A binary request body: bytes as they are, a path opened lazily, a file streamed."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, os.PathLike):
        return PathFile(value)
    if hasattr(value, "read") and not isinstance(value, PathFile):
        return OpenFile(value)
    return value


class OpenFile:
    """A caller's open file as a request body: read from where it stood, again on retries."""

    def __init__(self, file: Any) -> None:
        self.file = file
        try:
            self._start: Optional[int] = file.tell()
        except (AttributeError, OSError, ValueError):
            self._start = None  # not seekable: one attempt only reads it

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        return data.encode() if isinstance(data, str) else bytes(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return int(self.file.seek(offset, whence))

    def tell(self) -> int:
        return int(self.file.tell())

    def rewind(self) -> None:
        if self._start is not None:
            self.file.seek(self._start)

    def __iter__(self) -> Iterator[bytes]:
        chunk = self.read(CHUNK_SIZE)
        while chunk:
            yield chunk
            chunk = self.read(CHUNK_SIZE)


def content_length(value: Any) -> Optional[int]:
    """The size of a file body, when it can be known without reading it."""
    if isinstance(value, PathFile):
        return os.path.getsize(value.name)
    if isinstance(value, OpenFile):
        try:
            return int(os.fstat(value.file.fileno()).st_size - value.file.tell())
        except (AttributeError, OSError, ValueError):
            return None
    return None


def for_client(value: Any, asynchronous: bool) -> Any:
    """A file body for one attempt: rewound; for the async client, read through an async
    iterator (httpx streams sync files only from the sync client)."""
    if isinstance(value, PathFile):
        value.seek(0)
    elif isinstance(value, OpenFile):
        value.rewind()
    else:
        return value
    return _aiter(value) if asynchronous else value


async def _aiter(value: Any) -> AsyncIterator[bytes]:
    chunk = value.read(CHUNK_SIZE)
    while chunk:
        yield chunk
        chunk = value.read(CHUNK_SIZE)


def _guess(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


FilePart = Union[bytes, IO[bytes], "os.PathLike[str]", Tuple[Any, ...]]
