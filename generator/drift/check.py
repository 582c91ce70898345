"""``sdkgen check``: regenerate in memory and compare with what is on disk."""

from __future__ import annotations

import difflib
import hashlib
import json
import sys
from pathlib import Path

from .._version import __version__
from ..config import Config
from ..diagnostics import SpecError
from ..loader import spec_digest
from ..pipeline import MANIFEST, Result, build, config_sha256
from ..render import BLACK_VERSION, toolchain_sha256

MAX_DIFF_LINES = 400


# Tool caches that appear beside generated code and are never part of it.
IGNORED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".nox", ".tox", ".venv"})


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not IGNORED_DIRS.intersection(p.relative_to(root).parts)
    }


def compare(expected: dict[str, bytes], actual: dict[str, bytes]) -> tuple[list[str], list[str], list[str]]:
    added = sorted(set(expected) - set(actual))
    removed = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    return added, removed, changed


def reasons(result: Result, actual: dict[str, bytes]) -> list[str]:
    """Why the tree on disk differs, from the manifest it carries."""
    try:
        old = json.loads(actual.get(MANIFEST, b"{}"))
    except ValueError:
        old = {}
    if not old:
        return ["no manifest on disk: the package was never generated, or the manifest was removed"]
    new = result.manifest
    out = []
    if old.get("spec_sha256") != new["spec_sha256"]:
        out.append("the spec changed")
    if (
        old.get("toolchain_sha256") != new["toolchain_sha256"]
        or old.get("generator_version") != new["generator_version"]
    ):
        out.append("the templates or the generator changed")
    if old.get("formatter") != new["formatter"]:
        out.append(f"the formatter changed ({old.get('formatter')} -> {new['formatter']})")
    recorded = old.get("files") if isinstance(old.get("files"), dict) else {}
    edited = sorted(
        p
        for p, data in actual.items()
        if p != MANIFEST and recorded.get(p) not in (None, hashlib.sha256(data).hexdigest())
    )
    extra = sorted(p for p in actual if p != MANIFEST and p not in recorded)
    if edited:
        out.append("generated files were edited by hand: " + ", ".join(edited[:10]))
    if extra:
        out.append("files not produced by sdkgen were added: " + ", ".join(extra[:10]))
    return out or ["unknown (the manifest matches but the files differ)"]


def unchanged(config: Config, package_dir: Path) -> bool:
    """The fast path: True when the manifest on disk proves that regenerating would give the
    same files: same spec bytes, options, generator, templates and formatter, and every file
    on disk still has the hash the manifest recorded.  Nothing is loaded or rendered."""
    try:
        manifest = json.loads((package_dir / MANIFEST).read_bytes())
        names = manifest["spec_files"]
        spec = {name: (config.spec.parent / name).read_bytes() for name in names}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    expected = {
        "spec_sha256": spec_digest(spec),
        "config_sha256": config_sha256(config),
        "generator_version": __version__,
        "toolchain_sha256": toolchain_sha256(),
        "formatter": f"black {BLACK_VERSION}",
    }
    if any(manifest.get(k) != v for k, v in expected.items()):
        return False
    actual = read_tree(package_dir)
    actual.pop(MANIFEST, None)
    recorded = manifest.get("files")
    return isinstance(recorded, dict) and recorded == {p: hashlib.sha256(d).hexdigest() for p, d in actual.items()}


def run_check(configs: list[Config], quiet: bool = False) -> int:
    status = 0
    for config in configs:
        name = config.target or str(config.spec)
        if config.package_name and unchanged(config, config.output / config.package_name):
            if not quiet:
                sys.stdout.write(f"{name}: in sync ({config.output / config.package_name})\n")
            continue
        try:
            result = build(config)
        except SpecError as exc:
            for d in exc.diagnostics:
                sys.stderr.write(d.format() + "\n")
            sys.stderr.write(f"sdkgen check: {name}: the spec has errors\n")
            return 2
        actual = read_tree(result.package_dir)
        added, removed, changed = compare(result.files, actual)
        if not (added or removed or changed):
            if not quiet:
                sys.stdout.write(f"{name}: in sync ({result.package_dir})\n")
            continue
        status = 1
        out = sys.stdout
        out.write(f"{name}: {result.package_dir} is out of date\n")
        for why in reasons(result, actual):
            out.write(f"  why: {why}\n")
        out.write(f"  files: {len(added)} missing, {len(removed)} extra, {len(changed)} changed\n")
        lines: list[str] = []
        for path in added + changed + removed:
            old = actual.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
            new = result.files.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
            lines.extend(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
        for line in lines[:MAX_DIFF_LINES]:
            out.write(line if line.endswith("\n") else line + "\n")
        if len(lines) > MAX_DIFF_LINES:
            out.write(f"... {len(lines) - MAX_DIFF_LINES} more diff lines\n")
        out.write(f"  fix: sdkgen generate{' --target ' + config.target if config.target else ''}\n")
    return status
