"""The one pipeline behind every command: load → IR → render, in memory; then write."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable

import jinja2

from ._version import __version__
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Level, SpecError
from .ir.build import build_api, default_package_name
from .loader import LoadedSpec, load
from .naming import checked_client_name, checked_package_name, convert
from .ownership import MANIFEST, Generation, Plan, regenerate
from .render import BLACK_VERSION, Meta, render, template_dir, toolchain_sha256
from .render.compiled import CompileError
from .render.custom import check_templates, custom_hashes, template_error
from .render.fmt import FormatError
from .render.write import UnsafePathError

Progress = Callable[[str], None]
_BUG_HINT = "this is a bug in sdkgen, not in the document: please report it with the document"


@dataclass(frozen=True, slots=True)
class Result:
    """A generated package, in memory: paths relative to ``package_dir``."""

    package_dir: Path
    files: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    manifest: dict[str, object]
    operations: int
    written: Plan | None = None  # what ``generate`` changed on disk (hand edits merged, conflicts)

    @property
    def skipped(self) -> tuple[Diagnostic, ...]:
        """The errors of the pieces a broken ``$ref`` cost (left out; the rest is generated)."""
        return tuple(d for d in self.diagnostics if d.skipped)


def _silent(_: str) -> None:
    return None


def build(
    config: Config, progress: Progress = _silent, *, loaded: LoadedSpec | None = None, formatted: bool = True
) -> Result:
    """Generate a package in memory.  Raises ``SpecError`` (with every diagnostic) on errors.

    ``loaded``: the spec, when the caller has loaded it already; ``formatted=False`` skips black
    (for callers that only read the generated API, like ``sdkgen diff``)."""
    custom = check_templates(config.templates, template_dir())
    if any(d.level is Level.ERROR for d in custom):
        raise SpecError(custom)
    progress("loading " + config.spec.name)
    if loaded is None:
        # A big document's validation runs in another process meanwhile; its findings are
        # waited for before anything is returned (or written), and it is stopped on any failure.
        loaded = load(config.spec, strict=config.strict, background=True, ref_root=config.ref_root)
    try:
        return _build(config, progress, loaded, formatted, custom)
    finally:
        if loaded.pending is not None:
            loaded.pending.cancel()


def _build(
    config: Config, progress: Progress, loaded: LoadedSpec, formatted: bool, custom: tuple[Diagnostic, ...]
) -> Result:
    if loaded.has_errors:
        raise SpecError(loaded.validated().diagnostics)
    package, client, naming = choose_sdk_names(loaded, config)
    progress("building the IR")
    api, diagnostics = build_api(loaded, config, package, client)
    diagnostics = (*naming, *diagnostics, *custom)
    if api is None:
        raise SpecError(_all_diagnostics(config, loaded.validated(), diagnostics))
    all_diags = _all_diagnostics(config, loaded, diagnostics)
    if any(d.blocking for d in all_diags):
        raise SpecError(_all_diagnostics(config, loaded.validated(), diagnostics))
    operations = len(api.all_operations())
    progress(f"rendering {operations} operations, {len(api.decls)} types")
    meta = Meta(package=package, client=client, package_version=config.package_version, generator_version=__version__)
    try:
        texts = render(api, meta, formatted=formatted, templates=config.templates)
    except (FormatError, CompileError) as exc:  # a generator bug (or a custom template's): say so plainly
        verb = "parse" if isinstance(exc, FormatError) else "compile"
        if config.templates:
            who, hint = f"custom templates in {config.templates} may be at fault", ""
        else:
            who, hint = "internal error", _BUG_HINT
        message = f"{who}: generated code did not {verb} ({exc})"
        raise SpecError((Diagnostic(Level.ERROR, message, str(config.spec), "", hint),)) from None
    except jinja2.TemplateError as exc:
        raise SpecError((template_error(exc, config.templates, template_dir()),)) from None
    loaded = loaded.validated()
    all_diags = _all_diagnostics(config, loaded, diagnostics)
    if any(d.blocking for d in all_diags):
        raise SpecError(all_diags)
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    manifest = _manifest(config, loaded, api.api_version, files)
    skipped = [d.format() for d in all_diags if d.skipped]
    if skipped:  # what a broken $ref cost, for `sdkgen check` and reviewers of the generated code
        manifest["skipped"] = skipped
    files[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    progress(f"rendered {len(files)} files")
    return Result(config.output / package, dict(sorted(files.items())), all_diags, manifest, operations)


def _all_diagnostics(
    config: Config, loaded: LoadedSpec, diagnostics: Diagnostics | tuple[Diagnostic, ...]
) -> tuple[Diagnostic, ...]:
    """The loader's and the IR's diagnostics, sorted; all errors in strict mode."""
    found = Diagnostics()
    found.extend(loaded.diagnostics)
    found.extend(diagnostics)
    if config.strict:
        found.items = [replace(d, level=Level.ERROR, skipped=False) for d in found.items]
    return found.sorted()


def generate(config: Config, progress: Progress = _silent) -> Result:
    """Generate and write a package; nothing is written when there are errors."""
    result = build(config, progress)
    progress(f"writing {result.package_dir}")
    generated = {path: data for path, data in result.files.items() if path != MANIFEST}
    try:
        written = regenerate(Generation(result.package_dir, generated, result.manifest))
    except UnsafePathError as exc:  # a generator bug, never the user's: refused all the same
        raise SpecError((Diagnostic(Level.ERROR, f"internal error: {exc}", str(config.spec), ""),)) from None
    except OSError as exc:
        message = f"cannot write {result.package_dir}: {exc.strerror or exc}"
        raise SpecError((Diagnostic(Level.ERROR, message, str(config.spec), ""),)) from None
    return replace(result, written=written)


def sdk_names(loaded: LoadedSpec, config: Config) -> tuple[str, str]:
    """The package and client names: configured, or derived from ``info.title``."""
    package, client, _ = choose_sdk_names(loaded, config)
    return package, client


def choose_sdk_names(loaded: LoadedSpec, config: Config) -> tuple[str, str, tuple[Diagnostic, ...]]:
    """The package and client names, with a warning for each one that had to differ from the
    name configured or derived (a keyword, a module it would shadow, no usable letters...)."""
    file = loaded.workspace.root_file
    diagnostics = Diagnostics()
    info = loaded.document.get("info")
    if config.package_name:
        wanted, origin, where = config.package_name, "configured", ""
    elif isinstance(info, dict) and info.get("title"):
        title = str(info["title"])
        wanted, origin, where = default_package_name(title), f"from info.title {title[:80]!r}", "/info/title"
    else:
        wanted, origin, where = default_package_name(config.spec.stem), "from the file name", ""
    package, why = checked_package_name(wanted)
    if not wanted and not config.package_name:
        why = "has no letters or digits"
    if why:
        diagnostics.warning(
            f"package name {wanted!r} ({origin}) {why}; the package is named {package!r}",
            file,
            where,
            hint="choose the name with package-name in [tool.sdkgen] or --package-name",
        )
    wanted, origin = (
        (config.client_name, "configured") if config.client_name else (_pascal(package), "from the package name")
    )
    client, why = checked_client_name(wanted)
    if why:
        diagnostics.warning(
            f"client class name {wanted!r} ({origin}) {why}; the client is named {client!r}",
            file,
            "",
            hint="choose the name with client-name in [tool.sdkgen] or --client-name",
        )
    return package, client, diagnostics.sorted()


def _pascal(package: str) -> str:
    return convert(package, "pascal") or "Client"


def shaping_config(config: Config) -> dict[str, object]:
    """The options that shape the output (not where it is written, nor the target's name), as
    the manifest records them so that ``sdkgen check`` can say which one changed."""
    shaping = {f.name: getattr(config, f.name) for f in fields(config) if f.name not in _NOT_SHAPING}
    shaping["spec"] = config.spec.name
    if config.ref_root is None:  # (the hash of a target without one is what it was before ref-root)
        del shaping["ref_root"]
    else:  # where it is from the spec, not where the checkout is
        shaping["ref_root"] = os.path.relpath(config.ref_root.resolve(), config.spec.parent.resolve())
    return json.loads(json.dumps(shaping, sort_keys=True, default=list))  # type: ignore[no-any-return]


def config_sha256(config: Config) -> str:
    """SHA-256 of the options that shape the output (``shaping_config``)."""
    return hashlib.sha256(json.dumps(shaping_config(config), sort_keys=True).encode()).hexdigest()


# templates: by content; target: a name for the command line, the same output under any name
_NOT_SHAPING = frozenset({"output", "strict", "api", "templates", "target"})


def _manifest(config: Config, loaded: LoadedSpec, api_version: str, files: dict[str, bytes]) -> dict[str, object]:
    return {
        "generator": "sdkgen",
        "generator_version": __version__,
        "target": config.target or "",
        "api_version": api_version,
        "spec_sha256": loaded.spec_sha256,
        "spec_files": sorted(loaded.workspace.raw),
        "config_sha256": config_sha256(config),
        "config": shaping_config(config),
        "normalized_spec_sha256": loaded.normalized_sha256,
        "toolchain_sha256": toolchain_sha256(),
        "formatter": f"black {BLACK_VERSION}",
        "custom_templates": custom_hashes(config.templates),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
        "ignored": {},  # generated paths .sdkgenignore takes over: filled in by ``ownership``
    }
