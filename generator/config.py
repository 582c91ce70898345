"""The typed configuration of one generation run, and ``[tool.sdkgen]`` targets."""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


DEFAULT_CURSOR_PARAMS = (
    "page_token",
    "cursor",
    "page_cursor",
    "next_token",
    "continuation_token",
    "starting_after",
    "after",
)
DEFAULT_NEXT_CURSOR_FIELDS = (
    "next_page_token",
    "next_cursor",
    "next_token",
    "next_page_cursor",
    "continuation_token",
    "end_cursor",
)


@dataclass(frozen=True, slots=True)
class Config:
    """What to generate from which spec, and where.

    ``output`` is the directory that receives the package directory ``<package_name>/``.
    Everything else defaults from the spec: the package name from ``info.title``, the
    client class name from the package name, the API version from ``info.version``.
    """

    spec: Path
    output: Path = Path("generated")
    api: str | None = None  # the folder under spec/ when the spec is chosen by API version
    package_name: str | None = None
    client_name: str | None = None
    target: str = ""
    api_version: str | None = None
    version_header: str | None = None
    auth_env: str | None = None
    idempotency_header: str = "Idempotency-Key"
    package_version: str = "0.1.0"
    strict: bool = False
    # A folder whose files $refs may read besides the spec's own folder (e.g. the repository
    # root, for specs that share ``../common/`` files); outside it, and for URLs, refused.
    ref_root: Path | None = None
    # Cursor pagination: query parameters that take a cursor, and response fields (a name,
    # or a dotted path such as ``pagination.next_page_token``) that carry the next one.
    cursor_params: tuple[str, ...] = DEFAULT_CURSOR_PARAMS
    next_cursor_fields: tuple[str, ...] = DEFAULT_NEXT_CURSOR_FIELDS
    # A folder of templates that override the built-in ones by name (their hashes go into
    # the manifest, not this path: see ``render.custom``).
    templates: Path | None = None

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


class ConfigError(Exception):
    pass


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config)}
_KEYS["name"] = "target"


def load_targets(pyproject: Path) -> list[Config]:
    """Read ``[[tool.sdkgen.targets]]`` from a pyproject file; paths are relative to it."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.sdkgen]: {exc}") from None
    section = data.get("tool", {}).get("sdkgen", {})
    targets = section.get("targets", [])
    if not isinstance(targets, list) or not targets:
        raise ConfigError(f"{pyproject}: no [[tool.sdkgen.targets]] declared")
    base = pyproject.parent
    out = []
    for i, raw in enumerate(targets):
        if not isinstance(raw, dict):
            raise ConfigError(f"{pyproject}: tool.sdkgen.targets[{i}] must be a table")
        unknown = sorted(set(raw) - set(_KEYS))
        if unknown:
            raise ConfigError(f"{pyproject}: tool.sdkgen.targets[{i}]: unknown keys {', '.join(unknown)}")
        pinned = "api" in raw and "api-version" in raw
        if "name" not in raw or ("spec" not in raw and not pinned):
            raise ConfigError(
                f"{pyproject}: tool.sdkgen.targets[{i}] needs 'name' and either 'spec' or 'api' and 'api-version'"
            )
        values: dict[str, Any] = {_KEYS[k]: v for k, v in raw.items()}
        if "spec" in raw:
            values["spec"] = base / values["spec"]
        else:
            values["spec"] = spec_for(base, str(raw["api"]), str(raw["api-version"]))
        values["output"] = base / values.get("output", "generated")
        if "ref_root" in values:
            if not isinstance(values["ref_root"], str):
                raise ConfigError(f"{pyproject}: tool.sdkgen.targets[{i}].ref-root: expected a folder name")
            values["ref_root"] = base / values["ref_root"]
        if "templates" in values:
            if not isinstance(values["templates"], str):
                raise ConfigError(f"{pyproject}: tool.sdkgen.targets[{i}].templates: expected a folder path")
            values["templates"] = base / values["templates"]
        for key in ("cursor_params", "next_cursor_fields"):
            if key in values:
                if not isinstance(values[key], list) or not all(isinstance(v, str) for v in values[key]):
                    raise ConfigError(f"{pyproject}: tool.sdkgen.targets[{i}].{key}: expected a list of strings")
                values[key] = tuple(values[key])
        out.append(Config(**values))
    names = [c.target for c in out]
    if len(set(names)) != len(names):
        raise ConfigError(f"{pyproject}: target names must be unique")
    return out


SPEC_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json")


def spec_for(base: Path, api: str, version: str) -> Path:
    """The document of one API version: ``spec/<api>/<version>/openapi.{yaml,yml,json}``."""
    for part in (api, version):
        if not part or part in (".", "..") or any(c in part for c in "/\\\0"):
            raise ConfigError(f"not a folder name: {part!r}")
    folder = base / "spec" / api / version
    for name in SPEC_NAMES:
        if (folder / name).is_file():
            return folder / name
    known = (
        sorted(p.name for p in (base / "spec" / api).iterdir() if p.is_dir()) if (base / "spec" / api).is_dir() else []
    )
    raise ConfigError(
        f"no OpenAPI document for {api} {version} in {folder}"
        + (f" (versions present: {', '.join(known)})" if known else "")
    )


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None
