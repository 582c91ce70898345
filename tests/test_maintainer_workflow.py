"""The maintainer's whole workflow on the real Polytomic SDK, through the CLI only, in a git
repository: generate from 2024-02-08, add files and hand edits, regenerate from 2025-09-18;
then an edit that collides with the upgrade; then a file taken over and a template overridden."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.render import template_dir
from tests.conftest import ROOT

OLD, NEW = "2024-02-08", "2025-09-18"
PYPROJECT = """\
[[tool.sdkgen.targets]]
name = "polytomic"
api = "polytomic"
api-version = "{version}"
output = "sdk"
package-name = "polytomic"
client-name = "Polytomic"
version-header = "X-Polytomic-Version"
auth-env = "POLYTOMIC_API_KEY"
{extra}"""

MAINTAINER = {
    "CHANGELOG.md": b"# Changelog\n\n## 1.0.0\n- first release\n",
    "tests/test_mine.py": b"def test_mine() -> None:\n    assert True\n",
    ".editorconfig": b"root = true\n",
    ".github/workflows/release.yml": b"on: push\n",
    "polytomic/custom.py": b"def helper() -> int:\n    return 1\n",
    "polytomic/lib/__init__.py": b"from ..custom import helper as helper\n",
}
MODELS = "polytomic/resources/models.py"
GUARD_AT = """        \"\"\"Get a model with its fields, identity and relations.

        Args:
          id: Identifier of the model.

          async_: Run the work as a background job instead of waiting for it. Follow the job
            named in the answer's `job` object with `GET /api/jobs/{type}/{id}`.\"\"\"
"""
GUARD = """        if not id:  # hand edit: the API answers 404 for an empty id; fail fast instead
            raise ValueError("id must not be empty")
"""


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.package = root / "sdk" / "polytomic"

    def sdkgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=self.root, capture_output=True, text=True, check=False
        )

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=True)
        return done.stdout

    def pin(self, version: str, extra: str = "") -> None:
        (self.root / "pyproject.toml").write_text(PYPROJECT.format(version=version, extra=extra), encoding="utf-8")

    def tree(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.package).as_posix(): p.read_bytes()
            for p in sorted(self.package.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code], cwd=self.package, capture_output=True, text=True, check=False
        )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("git is needed for this workflow")
    for version in (OLD, NEW):
        shutil.copytree(ROOT / "spec" / "polytomic" / version, tmp_path / "spec" / "polytomic" / version)
    r = Repo(tmp_path)
    r.git("init", "-q")
    r.git("config", "user.email", "maintainer@example.com")
    r.git("config", "user.name", "Maintainer")
    r.pin(OLD)
    done = r.sdkgen("generate")
    assert done.returncode == 0, done.stderr
    r.commit(f"Generate the SDK for {OLD}")
    return r


def _customise(repo: Repo) -> None:
    for rel, data in MAINTAINER.items():
        (repo.package / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo.package / rel).write_bytes(data)
    models = repo.package / MODELS
    text = models.read_text(encoding="utf-8")
    assert text.count(GUARD_AT) == 2  # the sync and the async get
    models.write_text(text.replace(GUARD_AT, GUARD_AT + GUARD), encoding="utf-8")
    assert repo.sdkgen("check").returncode == 0


def test_maintainer_workflow(repo: Repo) -> None:
    _customise(repo)
    customised = repo.commit("Our files and a fix in models.get")

    # 1. Regenerate from the new API version: files kept, edits merged, new operations in.
    repo.pin(NEW)
    done = repo.sdkgen("generate")
    assert done.returncode == 0, done.stderr
    assert "your edits were merged" in done.stderr and MODELS in done.stderr
    tree = repo.tree()
    for rel, data in MAINTAINER.items():
        assert tree[rel] == data, rel
    models = tree[MODELS].decode()
    assert models.count(GUARD) == 2
    assert "def delete(" in models and "def remove(" not in models  # 2025-09-18 renamed it
    assert "polytomic/resources/entities.py" in tree  # a resource new in 2025-09-18
    imported = repo.python(
        "import polytomic\n"
        "from polytomic.lib import helper\n"
        "client = polytomic.Polytomic(api_key='k', base_url='http://127.0.0.1:9')\n"
        "assert polytomic.API_VERSION == '2025-09-18' and helper() == 1\n"
        "assert callable(client.entities.get_for_partner)\n"
        "try:\n    client.models.get('')\nexcept ValueError as e:\n    print('guard:', e)\n"
    )
    assert imported.returncode == 0, imported.stderr
    assert "guard: id must not be empty" in imported.stdout
    check = repo.sdkgen("check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "hand edits kept in 1 file(s): polytomic/resources/models.py (+4 -0)" in check.stdout
    clean = repo.tree()

    # 2. An edit that collides with the upgrade: markers with both sides, nothing else touched.
    repo.git("reset", "-q", "--hard", customised)
    repo.pin(OLD)
    text = (repo.package / MODELS).read_text(encoding="utf-8")
    collision = "            _op_remove,\n"
    assert text.count(collision) == 2
    (repo.package / MODELS).write_text(
        text.replace(collision, "            _op_remove,  # hand edit: our own endpoint\n"), encoding="utf-8"
    )
    repo.pin(NEW)
    done = repo.sdkgen("generate")
    assert done.returncode == 1
    assert f"conflict: {repo.package / MODELS}" in done.stderr
    assert "sdkgen check" in done.stderr  # what to do next
    models = (repo.package / MODELS).read_text(encoding="utf-8")
    both = (
        "<<<<<<< yours (on disk)\n            _op_remove,  # hand edit: our own endpoint\n=======\n"
        "            _op_delete,\n>>>>>>> generated now\n"
    )
    assert models.count(both) == 2
    assert models.count(GUARD) == 2  # the edit that did not collide is merged all the same
    after = repo.tree()
    assert {k: v for k, v in after.items() if k != MODELS} == {k: v for k, v in clean.items() if k != MODELS}
    check = repo.sdkgen("check")
    assert check.returncode == 1 and "unresolved conflict" in check.stdout
    (repo.package / MODELS).write_text(models.replace(both, "            _op_delete,\n"), encoding="utf-8")
    assert repo.sdkgen("check").returncode == 0
    repo.commit("Upgrade to 2025-09-18, conflict resolved")

    # 3. Take a generated file over, and override a template.
    (repo.package / ".sdkgenignore").write_text("# ours from now on\n/README.md\n", encoding="utf-8")
    (repo.package / "README.md").write_text("# Polytomic for Python\n\nOur own words.\n", encoding="utf-8")
    templates = repo.root / "sdk-templates"
    templates.mkdir()
    version = (template_dir() / "version.py.jinja").read_text(encoding="utf-8")
    (templates / "version.py.jinja").write_text(version + 'USER_AGENT_SUFFIX = "acme"\n', encoding="utf-8")
    repo.pin(NEW, 'templates = "sdk-templates"\n')
    assert repo.sdkgen("check").returncode == 1  # the template changed: stale until regenerated
    done = repo.sdkgen("generate")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(".sdkgenignore") == 1 and "README.md" in done.stderr
    assert (repo.package / "README.md").read_text() == "# Polytomic for Python\n\nOur own words.\n"
    assert 'USER_AGENT_SUFFIX = "acme"' in (repo.package / "polytomic" / "_version.py").read_text()
    for rel, data in MAINTAINER.items():
        assert (repo.package / rel).read_bytes() == data, rel
    check = repo.sdkgen("check", "--custom-code")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "taken over" in check.stdout and "README.md" in check.stdout
    assert f"edited               +4 -0  {MODELS}" in check.stdout
    status = repo.git("status", "--porcelain")
    assert "sdkgen-pristine.tar.gz" in status and "_version.py" in status
