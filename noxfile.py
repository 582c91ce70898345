"""Developer sessions: ``nox -s generate tests lint typecheck``."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate every [tool.sdkgen] target into generated/."""
    session.install("-e", ".")
    session.run("sdkgen", "generate", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "generator", "tests", "benchmarks")
    session.run("ruff", "format", "--check", "generator")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the generator and on every generated package."""
    session.install("-e", ".[test]")
    session.run("mypy", "--strict", "generator")
    for project in sorted(Path("generated").iterdir()):
        if (project / "pyproject.toml").is_file():
            with session.chdir(project):
                session.run("mypy", "--strict", project.name)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the peers (issue #7); writes benchmarks/RESULTS.md.

    ``nox -s bench -- --quick`` for a few-minute check; ``-- --only calls`` (repeatable) for one.
    Peers are installed into their own pinned venvs under ~/.cache/sdkgen/bench.
    """
    session.install("-e", ".")
    session.run("python", "-m", "benchmarks", *session.posargs)
