"""The pristine store: what sdkgen generated last time, kept beside the manifest.

Hand edits are merged three ways (base = the last generation, ours = the disk, theirs = the new
generation), so the base must survive until the next run, on every machine that runs sdkgen,
including a fresh CI clone.  Regenerating the base from the recorded inputs is not enough: an
upgraded sdkgen (the most common reason to regenerate) cannot reproduce an older one's output,
and a spec updated in place is gone.  So the base is recorded in the repository:
``sdkgen-pristine.tar.bz2``, a tar archive of every file of the last generation (including the
ones ``.sdkgenignore`` took over), compressed with bzip2 (about 7% of the package's size).

The archive is byte-for-byte deterministic (sorted members, zero times and owners, fixed
modes; bzip2's output does not vary across library versions), so regenerating an unchanged
SDK leaves it unchanged, and ``tar -xjf`` shows what sdkgen generated.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import tarfile

from ..render.write import UnsafePathError, check_relpath

STORE = "sdkgen-pristine.tar.bz2"

# A store larger than this once decompressed is refused rather than read (a bzip2 bomb in a
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
    return bz2.compress(raw.getvalue(), 9)


def unpack(data: bytes) -> dict[str, bytes]:
    """The files in an archive written by ``pack``, in memory (nothing is extracted)."""
    try:
        decompressor = bz2.BZ2Decompressor()
        raw = decompressor.decompress(data, MAX_UNPACKED + 1)
        if len(raw) > MAX_UNPACKED or not decompressor.eof:
            raise StoreError("larger than sdkgen ever writes, or truncated")
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
    except (OSError, EOFError, tarfile.TarError, UnsafePathError) as exc:
        raise StoreError(str(exc) or type(exc).__name__) from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
