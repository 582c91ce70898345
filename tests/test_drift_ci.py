"""The shipped CI pieces run, not only parse: the pull-request step of
``.github/workflows/sdk-drift.yml`` is executed the way a GitHub runner executes it (its
``${{ }}`` expressions evaluated from a ``pull_request`` event, its script run by
``bash -eo pipefail`` in a checkout with the base branch beside it) for a labelled and an
unlabelled pull request; the hooks of ``.pre-commit-hooks.yaml`` run their entries where
pre-commit would."""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.drift.ci import fail_on, labels
from tests.conftest import ROOT, write_spec
from tests.test_diff import base, schema

WORKFLOW = ROOT / ".github" / "workflows" / "sdk-drift.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent
LABEL = "breaking-api-change"

PYPROJECT = """\
[[tool.sdkgen.targets]]
name = "shop"
api = "shop"
api-version = "{version}"
output = "generated"
package-name = "shopsdk"
client-name = "Shop"
"""


def _event(*names: str, base_sha: str = "") -> dict[str, Any]:
    return {
        "action": "labeled" if names else "opened",
        "pull_request": {"number": 7, "labels": [{"name": n} for n in names], "base": {"sha": base_sha}},
    }


def test_the_label_decides_whether_breaking_changes_fail() -> None:
    assert fail_on(_event()) == "breaking"
    assert fail_on(_event("docs")) == "breaking"
    assert fail_on(_event("docs", LABEL)) is None
    assert fail_on(_event("accepted"), "accepted") is None
    assert labels({"pull_request": {"labels": "junk"}}) == [] and fail_on({}) == "breaking"


# -- GitHub's expressions, as far as the workflow uses them ----------------------------------

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_PATH = re.compile(r"^[a-z_]+(\.[a-zA-Z_][a-zA-Z0-9_-]*)*$")
_EQUALS = re.compile(r"^([a-z_.]+)\s*==\s*'([^']*)'$")


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """The two forms the workflow may use: a property path (``github.event.pull_request.base.sha``;
    a missing property is null, printed as '') and ``path == 'literal'``.  Anything else fails
    the test: logic belongs in the tested program, not in an expression."""
    match = _EQUALS.match(expression)
    if match:
        return evaluate(match.group(1), context) == match.group(2)
    assert _PATH.match(expression), f"unsupported expression in {WORKFLOW.name}: {expression}"
    value: Any = context
    for part in expression.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def substitute(text: str, context: dict[str, Any]) -> str:
    return _EXPR.sub(lambda m: str(evaluate(m.group(1), context) or ""), text)


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository whose pull request moves the pin from v1 to v2, which drops a response
    property (a breaking change); generated/ matches v2."""
    root = tmp_path_factory.mktemp("repo") / "checkout"
    root.mkdir()
    v2 = base()
    schema(v2, "Item")["properties"].pop("note")
    write_spec(root / "spec" / "shop" / "v1", base())
    write_spec(root / "spec" / "shop" / "v2", copy.deepcopy(v2))
    (root / "pyproject.toml").write_text(PYPROJECT.format(version="v1"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    base_sha = _git(root, "rev-parse", "HEAD")
    (root / "pyproject.toml").write_text(PYPROJECT.format(version="v2"))
    subprocess.run([str(BIN / "sdkgen"), "generate", "-q"], cwd=root, check=True)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "pull request")
    return root, base_sha


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    return list(job["steps"])


def _run_step(step: dict[str, Any], cwd: Path, context: dict[str, Any], tmp: Path) -> subprocess.CompletedProcess[str]:
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(context["github"]["event"]))
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_EVENT_NAME": context["github"]["event_name"],
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "GITHUB_ACTIONS": "true",
    }
    env.update({k: substitute(str(v), context) for k, v in (step.get("env") or {}).items()})
    script = substitute(step["run"], context)
    # GitHub's default shell on Linux runners: bash --noprofile --norc -eo pipefail {0}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("names", "code"), [((), 1), (("docs",), 1), ((LABEL,), 0), (("docs", LABEL), 0)])
def test_the_shipped_pull_request_step_honours_the_label(
    names: tuple[str, ...], code: int, repo: tuple[Path, str], tmp_path: Path
) -> None:
    root, base_sha = repo
    checkout = tmp_path / "work" / "checkout"
    subprocess.run(["git", "clone", "-q", str(root), str(checkout)], check=True)
    context = {"github": {"event_name": "pull_request", "event": _event(*names, base_sha=base_sha)}}
    steps = [s for s in _steps() if "run" in s and "if" in s]
    (step,) = [s for s in steps if evaluate(s["if"], context)]
    done = _run_step(step, checkout, context, tmp_path)
    assert done.returncode == code, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    commands = [x for x in lines if x.startswith("::")]  # (git worktree add prints first)
    assert commands[0].startswith("::error title=sdkgen diff%3A major::SDK version bump: major")  # verdict first
    assert any("response-property-removed" in x for x in lines)
    assert "| `response-property-removed` |" in (tmp_path / "summary.md").read_text()
    if LABEL in names:
        assert f"labelled {LABEL!r}" in done.stdout
    # the step runs only for pull requests
    assert not evaluate(step["if"], {"github": {"event_name": "push", "event": {}}})


def test_the_shipped_check_step_passes_on_a_synced_checkout(repo: tuple[Path, str], tmp_path: Path) -> None:
    root = repo[0]
    context = {"github": {"event_name": "push", "event": {}}}
    (step,) = [s for s in _steps() if s.get("name") == "Generated code matches the pinned specs"]
    done = _run_step(step, root, context, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


# -- pre-commit hooks ------------------------------------------------------------------------


def _hooks() -> dict[str, dict[str, Any]]:
    return {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}


def _run_hook(hook: dict[str, Any], cwd: Path) -> subprocess.CompletedProcess[str]:
    """As pre-commit runs a ``language: python`` hook with ``pass_filenames: false``: the entry,
    split like a shell would, with the hook's environment (sdkgen installed) first on PATH."""
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    argv = shlex.split(hook["entry"])
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_pre_commit_hooks_run_on_the_files_they_claim(repo: tuple[Path, str], tmp_path: Path) -> None:
    hooks = _hooks()
    assert set(hooks) == {"sdkgen-check", "sdkgen-generate"}
    for hook in hooks.values():
        files = re.compile(hook["files"])
        assert files.search("spec/shop/v2/openapi.yaml") and files.search("pyproject.toml")
        assert not files.search("README.md")
    assert re.search(hooks["sdkgen-check"]["files"], "generated/shopsdk/shopsdk/_client.py")

    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", str(repo[0]), str(checkout)], check=True)
    assert _run_hook(hooks["sdkgen-check"], checkout).returncode == 0
    spec = checkout / "spec" / "shop" / "v2" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("Shop API", "Shop API (renamed)"))
    stale = _run_hook(hooks["sdkgen-check"], checkout)
    assert stale.returncode == 1 and "the spec changed" in stale.stdout
    fixed = _run_hook(hooks["sdkgen-generate"], checkout)
    assert fixed.returncode == 0, fixed.stderr
    assert _run_hook(hooks["sdkgen-check"], checkout).returncode == 0
