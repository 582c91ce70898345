"""``sdkgen``: a thin shell over ``generate()``.

Exit codes: 0 success; 1 findings (drift, breaking changes, merge conflicts to resolve); 2 bad input
or usage; 3 generated, but pieces of the document were skipped (a broken ``$ref``; each named by
an error line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import NoReturn, Sequence, TextIO

from ._version import __version__
from .config import Config, ConfigError, find_pyproject, load_targets, spec_for
from .diagnostics import Diagnostic, Level, SpecError
from .ownership import report_written
from .pipeline import generate

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_SKIPPED = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"sdkgen: error: {message}\n")
        raise SystemExit(EXIT_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sdkgen", description="Generate typed Python SDKs from OpenAPI documents and keep them in sync."
    )
    parser.add_argument("--version", action="version", version=f"sdkgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gen = sub.add_parser(
        "generate",
        help="generate SDKs (every [tool.sdkgen] target when no SPEC is given)",
        description="Generate an SDK from SPEC into OUTDIR/<package>, or every target declared in "
        "[[tool.sdkgen.targets]] of pyproject.toml when no SPEC is given. Exit codes: 0 generated; "
        "2 bad input, nothing written; 3 generated without the schemas or operations that a broken "
        "$ref costs (each named by an error line; --strict refuses the document instead).",
    )
    gen.add_argument(
        "spec", nargs="?", type=Path, help="OpenAPI document (YAML or JSON; OpenAPI 3.0 or 3.1, or Swagger 2.0)"
    )
    gen.add_argument(
        "-o", "--output", type=Path, help="directory that receives the package directory (default: generated)"
    )
    gen.add_argument("--package-name", help="import name of the generated package (default: from info.title)")
    gen.add_argument("--client-name", help="client class name (default: from the package name)")
    gen.add_argument(
        "--templates", type=Path, metavar="DIR", help="folder of templates overriding the built-in ones by name"
    )
    gen.add_argument("--target", action="append", default=[], help="only this [tool.sdkgen] target (repeatable)")
    gen.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="treat every warning as an error, and refuse a document with a broken $ref (nothing is written)",
    )
    gen.add_argument(
        "--ref-root",
        type=Path,
        metavar="DIR",
        help="a folder whose files $refs may read besides the spec's own (e.g. the repository root); "
        "refs outside both, and URLs, stay refused",
    )
    gen.add_argument(
        "--api-version",
        metavar="V",
        help="generate from spec/<api>/<V>/: the target pinned to V, or else the selected targets re-pinned to V",
    )
    _common(gen)
    tgt = sub.add_parser("targets", help="list the [tool.sdkgen] targets, one per line (for scripts)")
    _common(tgt)
    chk = sub.add_parser("check", help="exit 1 when generated code differs from what the spec and generator produce")
    chk.add_argument("targets", nargs="*", help="target names (default: all)")
    chk.add_argument(
        "--custom-code",
        nargs="?",
        const="text",
        choices=("text", "json"),
        help="also report the custom code: files edited, taken over or added, with lines against the "
        "generated code (json: on stdout, the rest on stderr)",
    )
    _common(chk)
    _diff_parser(sub)
    return parser


def _diff_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    dif = sub.add_parser(
        "diff",
        help="list the changes between two API versions, the SDK symbols they affect, and the semver bump",
        description="Compare two API versions: OLD and NEW are spec files or [tool.sdkgen] target names, "
        "or, with --api-version, versions under spec/<api>/<version>/openapi.yaml. Each change has a "
        "severity (breaking, possibly-breaking, non-breaking) and names the generated SDK symbols it "
        "affects; the report ends with the SDK's semver bump (major, minor or patch).",
    )
    dif.add_argument("old", nargs="?", help="old spec file or target")
    dif.add_argument("new", nargs="?", help="new spec file or target")
    dif.add_argument(
        "--api-version", nargs=2, metavar=("OLD", "NEW"), help="compare spec/<api>/OLD with spec/<api>/NEW"
    )
    dif.add_argument(
        "--api", help="API folder under spec/ for --api-version (default: the only one, or the first target's)"
    )
    dif.add_argument("--format", default="text", choices=("text", "markdown", "json", "github", "junit"))
    dif.add_argument(
        "--fail-on",
        choices=("breaking", "possibly-breaking", "any"),
        help="exit 1 when a change of this severity or worse is found",
    )
    dif.add_argument(
        "--strict", action="store_true", help="count possibly-breaking changes as breaking in the semver verdict"
    )
    dif.add_argument("-o", "--output", type=Path, help="write the report to this file instead of stdout")
    dif.add_argument(
        "--full-report",
        type=Path,
        metavar="FILE",
        help="markdown: also write every change, one row each, to FILE and link it from the summary "
        "(default with -o NAME.md: NAME.full.md)",
    )
    dif.add_argument(
        "--old-config",
        type=Path,
        help="resolve OLD as a target of this pyproject.toml (e.g. the base branch's checkout in CI)",
    )
    _common(dif)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .drift.command import DiffOptions, run_diff

    if args.api_version and (args.old or args.new):
        raise ConfigError("give either OLD NEW or --api-version OLD NEW, not both")
    if not args.api_version and not (args.old and args.new):
        raise ConfigError("diff needs OLD and NEW (spec files or targets), or --api-version OLD NEW")
    old, new = args.api_version or (args.old, args.new)
    options = DiffOptions(
        old,
        new,
        by_version=bool(args.api_version),
        api=args.api,
        fmt=args.format,
        fail_on=args.fail_on,
        strict=args.strict,
        output=args.output,
        config=args.config,
        old_config=args.old_config,
        quiet=args.quiet,
        full_report=args.full_report,
    )
    return run_diff(options)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("--config", type=Path, help="pyproject.toml with [tool.sdkgen] (default: nearest one)")


class _Progress:
    """Stage lines on a terminal; nothing when quiet or piped."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled:
            self.stream.write(f"\r\x1b[2K[{time.monotonic() - self.start:5.1f}s] {message}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def print_diagnostics(diagnostics: Sequence[Diagnostic], quiet: bool, stream: TextIO) -> None:
    for d in diagnostics:
        if d.level is Level.ERROR or not quiet:
            stream.write(d.format() + "\n")


def _targets(args: argparse.Namespace) -> list[Config]:
    pyproject = args.config or find_pyproject(Path.cwd())
    if pyproject is None:
        raise ConfigError("no SPEC given and no pyproject.toml with [tool.sdkgen] found")
    return load_targets(pyproject)


def _select(configs: list[Config], names: list[str]) -> list[Config]:
    if not names:
        return configs
    known = {c.target: c for c in configs}
    missing = [n for n in names if n not in known]
    if missing:
        raise ConfigError(f"unknown target(s): {', '.join(missing)}; known: {', '.join(known)}")
    return [known[n] for n in names]


def _for_version(configs: list[Config], version: str, chosen: bool) -> list[Config]:
    """Targets pinned to ``version``; failing that, the chosen targets (or the first one) with
    their spec switched to ``spec/<api>/<version>/``."""
    pinned = [c for c in configs if c.api and c.api_version == version]
    if pinned:
        return pinned
    candidates = [c for c in configs if c.api] if chosen else [c for c in configs if c.api][:1]
    if not candidates:
        raise ConfigError("--api-version needs a target with 'api' and 'api-version' in [tool.sdkgen]")
    out = []
    for c in candidates:
        base = c.spec.parents[3] if len(c.spec.parents) > 3 else Path(".")
        out.append(c.with_overrides(spec=spec_for(base, c.api or "", version), api_version=version))
        sys.stderr.write(
            f"sdkgen: target {c.target!r} regenerated for API version {version}; "
            f"pin it with api-version = {version!r} in [tool.sdkgen] so that `sdkgen check` agrees\n"
        )
    return out


def _cmd_generate(args: argparse.Namespace) -> int:
    if args.api_version and args.spec is not None:
        raise ConfigError("give either SPEC or --api-version, not both")
    if args.spec is not None:
        configs = [
            Config(
                spec=args.spec,
                output=args.output or Path("generated"),
                package_name=args.package_name,
                client_name=args.client_name,
                ref_root=args.ref_root,
                templates=args.templates,
            )
        ]
        if args.strict:
            configs = [c.with_overrides(strict=True) for c in configs]
    else:
        configs = _select(_targets(args), args.target)
        if args.api_version:
            configs = _for_version(configs, args.api_version, bool(args.target))
        configs = [
            c.with_overrides(
                output=args.output,
                package_name=args.package_name,
                client_name=args.client_name,
                strict=args.strict,
                ref_root=args.ref_root,
                templates=args.templates,
            )
            for c in configs
        ]
    status = EXIT_OK
    for config in configs:
        progress = _Progress(sys.stderr, not args.quiet)
        try:
            result = generate(config, progress)
        except SpecError as exc:
            progress.done()
            print_diagnostics(exc.diagnostics, args.quiet, sys.stderr)
            sys.stderr.write(f"sdkgen: {config.spec}: nothing written\n")
            status = EXIT_INPUT
            continue
        progress.done()
        print_diagnostics(result.diagnostics, args.quiet, sys.stderr)
        if not args.quiet:
            sys.stdout.write(
                f"generated {result.package_dir} ({result.operations} operations, {len(result.files)} files)\n"
            )
        if result.skipped:
            sys.stderr.write(f"sdkgen: {config.spec}: generated without the pieces the errors above name\n")
            status = max(status, EXIT_SKIPPED) if status != EXIT_INPUT else status
        if result.written is not None and report_written(result.written, args.quiet, sys.stderr):
            status = max(status, EXIT_FINDINGS)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    try:
        if args.command == "generate":
            return _cmd_generate(args)
        if args.command == "targets":
            for config in _targets(args):
                sys.stdout.write(f"{config.target}\n")
            return EXIT_OK
        if args.command == "diff":
            return _cmd_diff(args)
        from .drift.check import run_check

        return run_check(_select(_targets(args), args.targets), quiet=args.quiet, custom_code=args.custom_code)
    except ConfigError as exc:
        sys.stderr.write(f"sdkgen: {exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("sdkgen: interrupted; previous output left untouched\n")
        return 130
