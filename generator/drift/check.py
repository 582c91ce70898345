"""``sdkgen check``: regenerate in memory and compare with what is on disk."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import TextIO

from .._version import __version__
from ..config import Config
from ..diagnostics import Diagnostic, Level, SpecError
from ..loader import spec_digest
from ..ownership import MANIFEST, SIDECARS, STORE, Generation, Plan, plan, recorded
from ..ownership.report import as_json, as_text, custom_code_in
from ..pipeline import Result, build, config_sha256
from ..render import BLACK_VERSION, toolchain_sha256
from ..render.custom import custom_hashes
from ..render.write import pending

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


def reasons(result: Result, actual: dict[str, bytes]) -> list[str]:
    """Why the output differs, from the manifest on disk: which input changed."""
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
    if old.get("config_sha256") != new["config_sha256"]:
        out.append(_settings_changed(old.get("config"), new.get("config")))
    if old.get("custom_templates", {}) != new["custom_templates"]:
        out.append("the custom templates changed")
    if old.get("formatter") != new["formatter"]:
        out.append(f"the formatter changed ({old.get('formatter')} -> {new['formatter']})")
    return out


def _settings_changed(before: object, after: object) -> str:
    """Which recorded settings differ (package-name, client-name, version-header, ...)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return "the target's settings changed (the manifest records another config hash)"
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    shown = [f"{k.replace('_', '-')} {before.get(k)!r} -> {after.get(k)!r}" for k in keys[:6]]
    more = f" and {len(keys) - 6} more" if len(keys) > 6 else ""
    return "the target's settings changed: " + "; ".join(shown) + more


def unchanged(config: Config, package_dir: Path) -> bool:
    """The fast path: True when the manifest on disk proves that regenerating would give what
    the last generation gave: same spec bytes, options, generator, templates (built-in and
    custom) and formatter.  Nothing is loaded or rendered."""
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
        "custom_templates": custom_hashes(config.templates),
    }
    return all(manifest.get(k) == v for k, v in expected.items())


def run_check(configs: list[Config], quiet: bool = False, custom_code: str | None = None) -> int:
    """0 when regenerating every target (and re-applying the hand edits its files carry)
    would change nothing on disk; 1 when it would, or a conflict is unresolved; 2 on bad input."""
    status = 0
    out = sys.stderr if custom_code == "json" else sys.stdout
    reports = []
    for config in configs:
        name = config.target or str(config.spec)
        try:
            changes, result = _plan(config)
        except SpecError as exc:
            for d in exc.diagnostics:
                sys.stderr.write(d.format() + "\n")
            sys.stderr.write(f"sdkgen check: {name}: cannot check\n")
            return 2
        if changes.changes or changes.unresolved:
            status = 1
            _stale(out, name, config, changes, result)
        elif not quiet:
            out.write(f"{name}: in sync ({changes.package_dir})\n")
            if changes.edited:
                out.write(f"  hand edits kept in {len(changes.edited)} file(s): {_edits(changes)}\n")
            if changes.ignored:
                out.write(f"  taken over by .sdkgenignore: {len(changes.ignored)} file(s)\n")
        if custom_code:
            reports.append((name, changes.package_dir, custom_code_in(changes.package_dir)))
    if custom_code == "json":
        sys.stdout.write(as_json(reports))
    elif custom_code:
        for _, package_dir, files in reports:
            sys.stdout.write(as_text(package_dir, files))
    return status


def _edits(changes: Plan) -> str:
    """The files that carry hand edits, with their lines added and removed."""
    counts = {f.path: f for f in custom_code_in(changes.package_dir) if f.kind == "edited" and f.known}
    shown = [
        f"{path} (+{counts[path].added} -{counts[path].removed})" if path in counts else path
        for path in changes.edited[:10]
    ]
    return ", ".join(shown) + (f" and {len(changes.edited) - 10} more" if len(changes.edited) > 10 else "")


def _plan(config: Config) -> tuple[Plan, Result | None]:
    """What ``sdkgen generate`` would change, without writing or merging: from the pristine
    store when nothing that shapes the output changed, else from a regeneration in memory."""
    package_dir = config.output / config.package_name if config.package_name else None
    if package_dir is not None and pending(package_dir):
        message = "an interrupted sdkgen generate left this package half-written"
        hint = "run sdkgen generate: it rolls the interrupted run back first"
        raise SpecError((Diagnostic(Level.ERROR, message, str(package_dir), "", hint),))
    gen = recorded(package_dir) if package_dir is not None and unchanged(config, package_dir) else None
    result = None
    if gen is None:
        result = build(config)
        files = {p: d for p, d in result.files.items() if p != MANIFEST}
        gen = Generation(result.package_dir, files, _same_target(result.manifest, result.package_dir))
    return plan(gen, merge=False), result


def _same_target(manifest: dict[str, object], package_dir: Path) -> dict[str, object]:
    """The target name the manifest on disk records: a package generated with ``sdkgen generate
    SPEC --package-name P`` and then declared as a target with the same settings is in sync
    (the name is bookkeeping; it shapes nothing)."""
    try:
        disk = json.loads((package_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return manifest
    if isinstance(disk, dict) and isinstance(disk.get("target"), str) and disk["target"] != manifest.get("target"):
        return {**manifest, "target": disk["target"]}
    return manifest


def _stale(out: TextIO, name: str, config: Config, changes: Plan, result: Result | None) -> None:
    package_dir = changes.package_dir
    actual = {MANIFEST: (package_dir / MANIFEST).read_bytes()} if (package_dir / MANIFEST).is_file() else {}
    why = reasons(result, actual) if result is not None else []
    why += changes.reasons()
    if changes.changes:
        out.write(f"{name}: {package_dir} is out of date\n")
    for path in changes.unresolved:
        out.write(f"{name}: unresolved conflict in {package_dir / path}\n")
    for line in why or ["unknown (the manifest matches but the files differ)"]:
        out.write(f"  why: {line}\n")
    if changes.changes:
        to_write = [p for p in changes.writes if p not in SIDECARS]
        out.write(
            f"  files: {len(to_write)} to write, {len(changes.removes)} to remove, "
            f"{len(changes.to_merge)} to merge with your edits\n"
        )
        _print_diff(out, changes, result)
    if changes.unresolved:
        out.write("  fix: in each file keep the right lines between <<<<<<< and >>>>>>> and delete the marker lines\n")
    if changes.changes:
        out.write(f"  fix: sdkgen generate{' --target ' + config.target if config.target else ''}\n")


def _print_diff(out: TextIO, changes: Plan, result: Result | None) -> None:
    package_dir = changes.package_dir
    lines: list[str] = []
    new_files = result.files if result is not None else {}
    for path in changes.to_merge:  # what the new generation changes under the maintainer's edits
        old = changes.bases[path].decode("utf-8", "replace").splitlines(keepends=True)
        new = new_files.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines.extend(difflib.unified_diff(old, new, f"a/{path} (generated last time)", f"b/{path} (generated now)"))
    for path in sorted(p for p in changes.writes if p != STORE):
        old = _text(package_dir / path)
        new = changes.writes[path].decode("utf-8", "replace").splitlines(keepends=True)
        lines.extend(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
    for path in changes.removes:
        lines.extend(difflib.unified_diff(_text(package_dir / path), [], f"a/{path}", "/dev/null"))
    for line in lines[:MAX_DIFF_LINES]:
        out.write(line if line.endswith("\n") else line + "\n")
    if len(lines) > MAX_DIFF_LINES:
        out.write(f"... {len(lines) - MAX_DIFF_LINES} more diff lines\n")


def _text(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8", "replace").splitlines(keepends=True)
    except OSError:
        return []
