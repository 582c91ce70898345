"""The pristine store: what sdkgen generated last time, kept beside the manifest.

Hand edits are merged three ways (base = the last generation, ours = the disk, theirs = the new
generation), so the base must survive until the next run, on every machine that runs sdkgen,
including a fresh CI clone.  Regenerating the base from the recorded inputs is not enough: an
upgraded sdkgen (the most common reason to regenerate) cannot reproduce an older one's output,
and a spec updated in place is gone.  So the base is recorded in the repository:
``sdkgen-pristine.tar.bz2``, a tar archive of every file of the last generation (including the
ones ``.sdkgenignore`` took over), gzip-compressed (about a tenth of the package's size; gzip
because it is fast: bzip2 or xz took seconds on a GitHub-sized SDK).

The archive is deterministic (sorted members, zero times and owners, fixed modes, no gzip
timestamp), and ``tar -xzf`` shows what sdkgen generated.  Its bytes are not compared across
machines (a zlib build such as zlib-ng may compress differently): the manifest records the hash
of every file in it and of the archive itself, and the archive is written again only when the
generation changed or it no longer has the recorded hash.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zlib

from ..render.write import UnsafePathError, check_relpath

STORE = "sdkgen-pristine.tar.gz"

# A store larger than this once decompressed is refused rather than read (a gzip bomb in a
# pull request must not exhaust memory); generated SDKs are a few megabytes.
MAX_UNPACKED = 1 << 30


class StoreError(ValueError):
    """The store cannot be read: corrupt, truncated, or holding something sdkgen never writes."""


def pack(files: dict[str, bytes]) -> bytes:
    """The archive of ``files`` (paths relative to the package directory)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            data = files[path]
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), 6, mtime=0)


def unpack(data: bytes) -> dict[str, bytes]:
    """The files in an archive written by ``pack``, in memory (nothing is extracted)."""
    try:
        decompressor = zlib.decompressobj(wbits=31)  # gzip
        raw = decompressor.decompress(data, MAX_UNPACKED + 1)
        if len(raw) > MAX_UNPACKED or not decompressor.eof or decompressor.unused_data:
            raise StoreError("larger than sdkgen ever writes, truncated, or followed by other data")
        files: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for member in tar.getmembers():
                if not member.isfile():
                    raise StoreError(f"{member.name!r} is not a regular file")
                check_relpath(member.name)
                handle = tar.extractfile(member)
                if handle is None:  # pragma: no cover - regular files always have data
                    raise StoreError(f"{member.name!r} has no data")
                files[member.name] = handle.read()
        return files
    except (OSError, EOFError, zlib.error, tarfile.TarError, UnsafePathError) as exc:
        raise StoreError(str(exc) or type(exc).__name__) from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
