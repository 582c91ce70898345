"""What the last run left in a package directory: its manifest and pristine store, read lazily."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Level
from .store import STORE, StoreError, sha256, unpack

MANIFEST = "sdkgen-manifest.json"
SIDECARS = frozenset({MANIFEST, STORE})


class Refused(Exception):
    """A file cannot be regenerated (its last generation cannot be found, or it holds an
    unresolved conflict); carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _hashes(value: object) -> dict[str, str] | None:
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    return None


@dataclass(slots=True)
class Previous:
    """The record of the last generation: the files it wrote and the ones it left to the
    maintainer (``.sdkgenignore``), each with the SHA-256 of what sdkgen generated."""

    package_dir: Path
    manifest: dict[str, object]
    files: dict[str, str]
    ignored: dict[str, str]
    _store: dict[str, bytes] | None = field(default=None, repr=False)
    _store_error: str | None = field(default=None, repr=False)

    @property
    def generated(self) -> dict[str, str]:
        """Every path the last generation produced, written or taken over."""
        return {**self.files, **self.ignored}

    def store(self) -> dict[str, bytes] | None:
        """The pristine store's files, or None when it is missing or cannot be read."""
        if self._store is None and self._store_error is None:
            try:
                self._store = unpack((self.package_dir / STORE).read_bytes())
            except FileNotFoundError:
                self._store_error = "it is missing"
            except (OSError, StoreError) as exc:
                self._store_error = f"it cannot be read ({exc})"
        return self._store

    def store_intact(self) -> bool:
        """True when the store on disk is the one the manifest recorded (by its hash; nothing
        is decompressed)."""
        try:
            data = (self.package_dir / STORE).read_bytes()
        except OSError:
            return False
        return sha256(data) == self.manifest.get("pristine_sha256")

    def base(self, path: str) -> bytes:
        """What sdkgen generated for ``path`` last time; raises ``Refused``."""
        store = self.store()
        data = store.get(path) if store is not None else None
        if data is not None and sha256(data) == self.generated.get(path):
            return data
        why = self._store_error or (
            "it does not hold this file" if data is None else "its copy does not match the manifest"
        )
        message = (
            f"{path} carries hand edits, but what sdkgen generated for it last time is not available: "
            f"the pristine store {STORE} {why}"
        )
        hint = (
            f"restore {STORE} from version control (git checkout -- {STORE}); or move {path} "
            "aside, regenerate, and apply your edits again"
        )
        raise Refused(Diagnostic(Level.ERROR, message, str(self.package_dir / path), "", hint))


def read_previous(package_dir: Path) -> tuple[Previous | None, tuple[Diagnostic, ...]]:
    """The last generation's record; None when the package directory has no manifest."""
    path = package_dir / MANIFEST
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no package directory yet
        return None, ()
    except OSError as exc:
        return None, (Diagnostic(Level.ERROR, f"cannot read the manifest: {exc.strerror or exc}", str(path)),)
    try:
        manifest = json.loads(raw)
    except ValueError:
        manifest = None
    files = _hashes(manifest.get("files")) if isinstance(manifest, dict) else None
    ignored = _hashes(manifest.get("ignored", {})) if isinstance(manifest, dict) else None
    if not isinstance(manifest, dict) or files is None or ignored is None:
        hint = f"restore it from version control (git checkout -- {MANIFEST}); sdkgen rewrites it on every run"
        return None, (Diagnostic(Level.ERROR, "the manifest is not one sdkgen wrote", str(path), "", hint),)
    return Previous(package_dir, manifest, files, ignored), ()
