"""The typed configuration of one generation run, and ``[tool.sdkgen]`` targets."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

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


# The key of each field in ``[[tool.sdkgen.targets]]``: the field name with dashes (the target
# is called ``name``).  The schema below is derived from the dataclass, never copied.
_KEYS = {("name" if f.name == "target" else f.name.replace("_", "-")): f.name for f in fields(Config)}


def config_keys() -> tuple[str, ...]:
    """Every key a ``[[tool.sdkgen.targets]]`` entry accepts (README and tests read this)."""
    return tuple(_KEYS)


def _kind(field_name: str) -> str:
    """What TOML value a field takes: ``str``, ``path``, ``bool`` or ``list``, from its type."""
    hint = get_type_hints(Config)[field_name]
    base = hint
    if get_origin(hint) in (Union, UnionType):  # X | None
        base = next(a for a in get_args(hint) if a is not type(None))
    if get_origin(base) is tuple:
        return "list"
    if base is bool:
        return "bool"
    if base is Path:
        return "path"
    return "str"


_EXPECTED = {"str": "a string", "path": "a path (a string)", "bool": "true or false", "list": "a list of strings"}
_TOML_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a table",
}


def _value_error(where: str, key: str, value: Any, kind: str) -> ConfigError:
    got = next((name for t, name in _TOML_TYPES.items() if isinstance(value, t)), type(value).__name__)
    fix = ""
    if kind == "bool" and isinstance(value, str):
        truth = value.strip().lower() in ("yes", "true", "on", "1")
        fix = f"; write {key} = {'true' if truth else 'false'} (no quotes)"
    elif kind in ("str", "path") and isinstance(value, (int, float)) and not isinstance(value, bool):
        fix = f'; write {key} = "{value}" (in quotes)'
    elif kind == "list" and isinstance(value, str):
        fix = f'; write {key} = ["{value}"]'
    return ConfigError(f"{where}.{key}: expected {_EXPECTED[kind]}, got {got} {_show(value)}{fix}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check(where: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The values of one target, checked against the schema: known keys, TOML types."""
    for key in raw:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(_KEYS)}"
            raise ConfigError(f"{where}: unknown key {key!r}; {hint}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind = _kind(_KEYS[key])
        ok = {
            "str": isinstance(value, str),
            "path": isinstance(value, str),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
        }[kind]
        if not ok:
            raise _value_error(where, key, value, kind)
        if kind in ("str", "path") and not value.strip():
            raise ConfigError(f"{where}.{key}: must not be empty")
        values[_KEYS[key]] = tuple(value) if kind == "list" else value
    return values


def load_targets(pyproject: Path) -> list[Config]:
    """Read ``[[tool.sdkgen.targets]]`` from a pyproject file; paths are relative to it."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read [tool.sdkgen]: {exc}") from None
    section = data.get("tool", {}).get("sdkgen", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: tool.sdkgen must be a table")
    extra = sorted(set(section) - {"targets"})
    if extra:
        raise ConfigError(
            f"{pyproject}: tool.sdkgen: unknown key {extra[0]!r}; settings go in each [[tool.sdkgen.targets]] entry"
        )
    targets = section.get("targets", [])
    if not isinstance(targets, list) or not targets:
        raise ConfigError(f"{pyproject}: no [[tool.sdkgen.targets]] declared")
    base = pyproject.parent
    out = []
    for i, raw in enumerate(targets):
        where = f"{pyproject}: tool.sdkgen.targets[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where} must be a table")
        values = _check(where, raw)
        pinned = "api" in raw and "api-version" in raw
        if "name" not in raw or ("spec" not in raw and not pinned):
            raise ConfigError(f"{where} needs 'name' and either 'spec' or 'api' and 'api-version'")
        if "spec" in raw and _is_url(raw["spec"]):
            raise ConfigError(f"{where}.spec: {url_message(raw['spec'])}")
        if "spec" in raw:
            values["spec"] = base / values["spec"]
        else:
            values["spec"] = spec_for(base, str(raw["api"]), str(raw["api-version"]))
        for name in ("output", "ref_root", "templates"):
            if name in values:
                values[name] = base / values[name]
        values.setdefault("output", base / "generated")
        out.append(Config(**values))
    names = [c.target for c in out]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{pyproject}: target names must be unique; {duplicates[0]!r} is used more than once")
    return out


def _is_url(value: object) -> bool:
    return isinstance(value, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value) is not None


def url_message(url: str) -> str:
    """Why a URL is not read as a spec, and how to fetch it."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "openapi.yaml"
    if "." not in name:
        name = "openapi.yaml"
    return (
        f"{url} is a URL; sdkgen reads local files only (nothing is downloaded). "
        f"Fetch it first: curl -fsSL -o {name} '{url}', then give {name}"
    )


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
    known = api_versions(base, api)
    raise ConfigError(
        f"no OpenAPI document for {api} {version} in {folder}"
        + (f" (versions present: {', '.join(known)})" if known else "")
    )


def api_versions(base: Path, api: str) -> list[str]:
    """The versions of an API: the folders under ``spec/<api>/`` that hold an OpenAPI document
    (a ``tools/`` or ``examples/`` folder beside them is not a version)."""
    folder = base / "spec" / api
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and any((p / n).is_file() for n in SPEC_NAMES))


def apis(base: Path) -> list[str]:
    """The APIs under ``spec/``: folders with at least one version."""
    folder = base / "spec"
    return (
        sorted(p.name for p in folder.iterdir() if p.is_dir() and api_versions(base, p.name)) if folder.is_dir() else []
    )


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None
