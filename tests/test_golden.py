"""The golden record: regenerating every configured target reproduces generated/ byte for byte,
also under other hash seeds and with a cold formatter cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator import build, load_targets
from generator.drift.check import read_tree
from generator.ownership import MANIFEST, STORE, Generation, plan
from tests.conftest import ROOT

TARGETS = load_targets(ROOT / "pyproject.toml")


def test_generated_matches_every_target() -> None:
    """Regenerating changes nothing in generated/, which holds only sdkgen's files (no hand
    edits, nothing taken over, nothing else): the manifest, the pristine store, the package."""
    for config in TARGETS:
        result = build(config)
        generated = {p: d for p, d in result.files.items() if p != MANIFEST}
        changes = plan(Generation(result.package_dir, generated, result.manifest), merge=False)
        assert not (changes.changes or changes.edited or changes.ignored), (
            f"{config.target}: generated/ is stale (to write {sorted(changes.writes)}, to remove {changes.removes}, "
            f"edited {changes.edited}); run `sdkgen generate` and commit"
        )
        assert set(read_tree(result.package_dir)) == {*result.files, STORE}


def test_check_passes_on_the_golden_record() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count(": in sync") == len(TARGETS)
    assert "hand edits" not in out.stdout


def test_byte_identical_under_other_hash_seeds(tmp_path: Path) -> None:
    config = TARGETS[0]
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SDKGEN_CACHE_DIR": str(tmp_path / f"cache{seed}")}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(config.spec), "-o", str(out),
             "--package-name", config.package_name or "", "--client-name", config.client_name or "", "-q"],
            check=True, env=env, cwd=tmp_path,
        )
        trees.append(read_tree(out / (config.package_name or "")))
    assert trees[0] == trees[1]
    assert trees[0].keys() - {"sdkgen-manifest.json"}


def test_cli_generate_without_arguments_uses_pyproject_targets(tmp_path: Path) -> None:
    """`sdkgen generate` with no SPEC generates every [tool.sdkgen] target."""
    spec = ROOT / "tests" / "data" / "tiny.yaml"
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.sdkgen.targets]]\n"
        f'name = "tiny"\nspec = "{spec.as_posix()}"\noutput = "out"\npackage-name = "tiny_sdk"\n',
        encoding="utf-8",
    )
    subprocess.run([sys.executable, "-m", "generator", "generate", "-q"], check=True, cwd=tmp_path)
    assert (tmp_path / "out" / "tiny_sdk" / "tiny_sdk" / "__init__.py").is_file()
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
