"""``sdkgen diff``: every change between two API versions, joined to the SDK symbols it
affects, with the semver bump the SDK needs.

    load both documents → IR of both (same package and client names) → spec-level diff
    → generate both SDKs in memory → griffe comparison → unexplained SDK changes → verdict
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Config, api_versions, apis
from ..diagnostics import Diagnostic, Level, SpecError
from ..ir.build import build_api
from ..loader import LoadedSpec, load
from ..pipeline import build, sdk_names
from .changes import Change, Verdict, verdict
from .sdk_join import sdk_changes
from .sides import SideModel
from .spec_diff import diff_specs

_VERSION_HEADER = re.compile(r"(?i)^(x-)?([a-z0-9]+-)*(api-)?version$")


@dataclass(frozen=True, slots=True)
class DiffInput:
    """One side as the user named it: a label (target, version or path) and its config."""

    label: str
    config: Config


@dataclass(frozen=True, slots=True)
class DiffResult:
    old: DiffInput
    new: DiffInput
    changes: tuple[Change, ...]
    verdict: Verdict
    strict: bool = False
    notes: tuple[str, ...] = ()  # what could not be compared, said in every format

    @property
    def package(self) -> str:
        return self.new.config.package_name or ""


def diff(old: DiffInput, new: DiffInput, *, strict: bool = False, sdk: bool = True) -> DiffResult:
    """Compare two API versions.  Raises ``SpecError`` when either document has errors."""
    old, new = borrow_settings(old, new)
    new_loaded = _load(new.config)
    old_loaded = _load(old.config)
    package, client = sdk_names(new_loaded, new.config)
    configs = [
        _side_config(side.config, loaded, package, client) for side, loaded in ((old, old_loaded), (new, new_loaded))
    ]
    notes: list[str] = []
    before = _side("old", old.label, configs[0], old_loaded, notes)
    after = _side("new", new.label, configs[1], new_loaded, notes)
    changes = diff_specs(before, after)
    if sdk:
        old_files = build(configs[0], loaded=old_loaded, formatted=False).files
        new_files = build(configs[1], loaded=new_loaded, formatted=False).files
        try:
            changes = sdk_changes(before, after, old_files, new_files, changes)
        except Exception as exc:  # noqa: BLE001 - the spec diff stands on its own; say what is missing
            notes.append(f"the generated SDKs could not be compared ({type(exc).__name__}: {exc}); spec changes only")
    ordered = tuple(sorted(changes, key=Change.sort_key))
    named = (DiffInput(old.label, configs[0]), DiffInput(new.label, configs[1]))
    return DiffResult(named[0], named[1], ordered, verdict(ordered, strict=strict), strict, tuple(notes))


def _configured(config: Config) -> bool:
    return bool(config.target or config.package_name)


def borrow_settings(old: DiffInput, new: DiffInput) -> tuple[DiffInput, DiffInput]:
    """A bare spec file compared with a target takes the target's settings (package and client
    names, version header, pagination names...): ``sdkgen diff polytomic new.yaml`` names
    ``polytomic`` symbols, not ones derived from the new file's ``info.title``."""
    if _configured(old.config) and not _configured(new.config):
        return old, DiffInput(new.label, replace(old.config, spec=new.config.spec, target="", api_version=None))
    if _configured(new.config) and not _configured(old.config):
        return DiffInput(old.label, replace(new.config, spec=old.config.spec, target="", api_version=None)), new
    return old, new


def _load(config: Config) -> LoadedSpec:
    loaded = load(config.spec, strict=False, validation=False, ref_root=config.ref_root)
    if loaded.has_errors:
        raise SpecError(loaded.diagnostics)
    return loaded


def _side_config(config: Config, loaded: LoadedSpec, package: str, client: str) -> Config:
    header = config.version_header or detect_version_header(loaded.document)
    return config.with_overrides(package_name=package, client_name=client, version_header=header, strict=False)


def _side(name: Any, label: str, config: Config, loaded: LoadedSpec, notes: list[str]) -> SideModel:
    # value constraints are compared on the specs (constraints.py), not as types
    api, diagnostics = build_api(loaded, config, config.package_name or "", config.client_name or "", checks=False)
    skipped = [d for d in diagnostics if d.skipped]
    if skipped:  # those pieces are missing from its SDK: what the diff says about them follows
        places = ", ".join(f"{d.file}#{d.pointer}" for d in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        notes.append(
            f"{name} ({label}): {len(skipped)} broken $ref(s) left schemas or operations out of its SDK "
            f"({places}); changes to them are changes to what was left out"
        )
    if api is None:
        errors = tuple(d for d in diagnostics if d.level is Level.ERROR) or (
            Diagnostic(Level.ERROR, "the document cannot be turned into an SDK", str(config.spec)),
        )
        raise SpecError(errors)
    return SideModel(name, label, config, loaded, api)


def detect_version_header(document: dict[str, Any]) -> str | None:
    """A header parameter named like ``X-Api-Version`` or ``X-Polytomic-Version`` with a default
    or an enum, when no target configures one: the diff treats it as the version pin the SDK
    sends, not as an ordinary parameter of every operation."""
    candidates: set[str] = set()
    components = (document.get("components") or {}).get("parameters") or {}
    raw: list[Any] = list(components.values()) if isinstance(components, dict) else []
    for item in (document.get("paths") or {}).values():
        if isinstance(item, dict):
            raw += _list(item.get("parameters"))
            raw += [p for op in item.values() if isinstance(op, dict) for p in _list(op.get("parameters"))]
    for p in raw:
        if isinstance(p, dict) and p.get("in") == "header" and _VERSION_HEADER.match(str(p.get("name", ""))):
            schema = p.get("schema")
            if isinstance(schema, dict) and (
                "default" in schema or "enum" in schema
            ):  # a pinned value, not a free-form header
                candidates.add(str(p["name"]))
    return sorted(candidates)[0] if candidates else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def resolve_side(arg: str, targets: list[Config], base: Path) -> DiffInput:
    """A target name, or a spec file (with the settings of the target that uses it, if any)."""
    by_name = {c.target: c for c in targets}
    if arg in by_name:
        return DiffInput(arg, by_name[arg])
    path = Path(arg)
    if not path.is_file():
        known = ", ".join(sorted(by_name)) or "none"
        raise FileNotFoundError(f"{arg}: no such spec file or target (targets: {known})")
    for config in targets:
        if _same_file(config.spec, path):
            return DiffInput(arg, config)
    return DiffInput(arg, Config(spec=path))


def resolve_version(api: str | None, version: str, targets: list[Config], base: Path) -> DiffInput:
    """``spec/<api>/<version>/openapi.yaml``, with the settings of a target of that API."""
    name = api or default_api(targets, base)
    folder = base / "spec" / name / version
    spec = next((folder / f for f in ("openapi.yaml", "openapi.yml", "openapi.json") if (folder / f).is_file()), None)
    if spec is None:
        versions = api_versions(base, name)
        raise FileNotFoundError(
            f"no spec for {name} {version} at {folder}/openapi.yaml (versions: {', '.join(versions) or 'none'})"
        )
    for config in targets:
        if _same_file(config.spec, spec):
            return DiffInput(f"{name} {version}", config)
    like = next((c for c in targets if _api_of(c, base) == name), None)
    if like is None:
        return DiffInput(f"{name} {version}", Config(spec=spec))
    return DiffInput(f"{name} {version}", like.with_overrides(spec=spec, target="", api_version=None))


def default_api(targets: list[Config], base: Path) -> str:
    folders = apis(base)  # folders under spec/ that hold versions
    if len(folders) == 1:
        return folders[0]
    if len(folders) > 1:
        raise FileNotFoundError(
            f"{base / 'spec'} holds {len(folders)} APIs ({', '.join(folders)}); say which: --api {folders[0]}"
        )
    for config in targets:
        api = _api_of(config, base)
        if api:
            return api
    raise FileNotFoundError(f"cannot tell which API under {base / 'spec'} is meant; pass --api NAME")


def _api_of(config: Config, base: Path) -> str | None:
    try:
        parts = config.spec.resolve().relative_to((base / "spec").resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) >= 3 else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
