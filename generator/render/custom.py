"""Custom templates: a folder whose templates override the built-in ones by name.

``templates = "sdk-templates"`` in a target (or ``--templates DIR``) puts the folder in front
of the built-in templates: ``sdk-templates/README.md.jinja`` replaces the README template,
and any other file in it can be included or imported by an override.  Every file's SHA-256 goes
into the manifest (``custom_templates``), so ``sdkgen check`` notices when one changes.
Overrides render exactly like the built-in templates (``StrictUndefined``): a syntax error or
an undefined variable is a diagnostic naming the file and line, and nothing is written.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from types import TracebackType

import jinja2

from ..diagnostics import Diagnostic, Level

SKIPPED_DIRS = frozenset({"__pycache__", ".git"})


def template_files(folder: Path) -> dict[str, Path]:
    """The files of a templates folder by their template name (``a/b.jinja``)."""
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not SKIPPED_DIRS.intersection(p.relative_to(folder).parts)
    }


def custom_hashes(folder: Path | None) -> dict[str, str]:
    """SHA-256 of every file of the custom templates folder (empty without one)."""
    if folder is None or not folder.is_dir():
        return {}
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in template_files(folder).items()}


def check_templates(folder: Path | None, builtin: Path) -> tuple[Diagnostic, ...]:
    """Errors for a missing folder and for every template that does not parse; a warning for a
    name that looks like a misspelt built-in template (it would override nothing)."""
    if folder is None:
        return ()
    if not folder.is_dir():
        return (
            Diagnostic(
                Level.ERROR,
                "the custom templates folder does not exist",
                str(folder),
                "",
                "fix 'templates' in [tool.sdkgen] or --templates",
            ),
        )
    known = sorted(template_files(builtin))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    found: list[Diagnostic] = []
    for name, path in template_files(folder).items():
        if not name.endswith(".jinja"):
            continue  # read only if an override includes it: its errors are reported then
        try:
            env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except UnicodeDecodeError as exc:
            found.append(Diagnostic(Level.ERROR, f"template {name} is not UTF-8 text ({exc.reason})", str(path)))
        except jinja2.TemplateSyntaxError as exc:
            found.append(_diagnostic(name, path, exc.lineno, exc.message or str(exc)))
        if name not in known:
            lowered = {k.lower(): k for k in known}
            close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.8)
            if close:
                message = f"template {name} overrides no built-in template; did you mean {lowered[close[0]]}?"
                hint = "built-in templates: " + ", ".join(known)
                found.append(Diagnostic(Level.WARNING, message, str(path), "", hint))
    return tuple(found)


def loader(folder: Path | None, builtin: Path) -> jinja2.BaseLoader:
    paths = [str(folder)] if folder is not None else []
    return jinja2.FileSystemLoader([*paths, str(builtin)])


def template_error(exc: jinja2.TemplateError, folder: Path | None, builtin: Path) -> Diagnostic:
    """A diagnostic for an error raised while rendering: the template file and line it comes
    from (Jinja keeps them in the traceback), and what to do."""
    where = _template_frame(exc.__traceback__, [p for p in (folder, builtin) if p is not None])
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = (Path(exc.filename), exc.lineno)
    if where is None:
        return Diagnostic(Level.ERROR, f"a template failed: {exc.message or exc}", str(folder or builtin))
    path, line = where
    name = path.relative_to(folder).as_posix() if folder and path.is_relative_to(folder) else path.name
    return _diagnostic(name, path, line, exc.message or str(exc))


def _diagnostic(name: str, path: Path, line: int | None, message: str) -> Diagnostic:
    hint = "templates see the same variables as the built-in template of the same name; copy it and edit"
    at = f", line {line}" if line else ""
    return Diagnostic(Level.ERROR, f"template {name}{at}: {message}", str(path), "", hint)


def _template_frame(tb: TracebackType | None, folders: list[Path]) -> tuple[Path, int] | None:
    """The innermost traceback frame that runs a template file of one of ``folders``."""
    roots = [f.resolve() for f in folders]
    found = None
    while tb is not None:
        file = Path(tb.tb_frame.f_code.co_filename)
        if any(file.resolve().is_relative_to(r) for r in roots):
            found = (file, tb.tb_lineno)
        tb = tb.tb_next
    return found
