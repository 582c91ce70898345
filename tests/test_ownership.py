"""The maintainer owns the SDK: regeneration writes and removes only what sdkgen wrote, keeps
hand edits by a three-way merge, leaves `.sdkgenignore`d files alone, and `check` keeps meaning
"generate would change nothing".  Driven through the CLI's entry point, on small specs."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.ownership import STORE
from generator.ownership.store import pack, unpack
from tests.conftest import minimal, write_spec

THING = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}


def _op(op_id: str, tag: str, **extra: Any) -> dict[str, Any]:
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {"operationId": op_id, "tags": [tag], "responses": {"200": ok}, **extra}


V1 = minimal(
    paths={
        "/things": {"get": _op("things.list", "things")},
        "/things/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": _op("things.get", "things", summary="Get a thing."),
        },
        "/gadgets": {"get": _op("gadgets.list", "gadgets")},
    },
    schemas={"Thing": THING},
)


def _v2() -> dict[str, Any]:
    doc = copy.deepcopy(V1)
    doc["info"]["version"] = "2.0"
    del doc["paths"]["/gadgets"]
    doc["paths"]["/things"]["post"] = _op("things.create", "things")
    doc["paths"]["/widgets"] = {"get": _op("widgets.list", "widgets")}
    return doc


V2 = _v2()
PKG = "sdk"


class Project:
    """A project with one target; `generate`/`check` run the CLI in-process."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.spec = write_spec(root / "spec", V1)
        self.pyproject = root / "pyproject.toml"
        self.configure()
        self.package = root / "out" / PKG

    def configure(self, **options: str) -> None:
        extra = "".join(f'{k} = "{v}"\n' for k, v in options.items())
        self.pyproject.write_text(
            '[[tool.sdkgen.targets]]\nname = "t"\nspec = "spec/openapi.yaml"\noutput = "out"\n'
            f'package-name = "{PKG}"\n' + extra,
            encoding="utf-8",
        )

    def use(self, doc: dict[str, Any]) -> None:
        write_spec(self.root / "spec", doc)

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args, "--config", str(self.pyproject)])
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def generate(self, *args: str) -> tuple[int, str, str]:
        return self.run("generate", *args)

    def check(self, *args: str) -> tuple[int, str, str]:
        return self.run("check", *args)

    def tree(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.package).as_posix(): p.read_bytes()
            for p in sorted(self.package.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }

    def file(self, rel: str) -> Path:
        return self.package / rel

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> None:
        text = self.file(rel).read_text(encoding="utf-8")
        assert text.count(old) == count, f"{old!r} in {rel}"
        self.file(rel).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Project:
    p = Project(tmp_path, capsys)
    code, _, err = p.generate()
    assert code == 0, err
    return p


MAINTAINER = {
    "CHANGELOG.md": b"# Changelog\n",
    "tests/test_mine.py": b"def test_mine() -> None:\n    assert True\n",
    ".editorconfig": b"root = true\n",
    f"{PKG}/lib/__init__.py": b"HELPER = 1\n",
    f"{PKG}/custom.py": b"def helper() -> int:\n    return 1\n",
    f"{PKG}/resources/mine.py": b"# my own resource module\n",
}


def _add_maintainer_files(project: Project) -> None:
    for rel, data in MAINTAINER.items():
        project.file(rel).parent.mkdir(parents=True, exist_ok=True)
        project.file(rel).write_bytes(data)


EDIT_OLD = '        """Get a thing."""\n'
EDIT_NEW = '        """Get a thing."""\n        assert id, "hand edit: an id is required"\n'


def test_regeneration_keeps_maintainer_files_and_hand_edits(project: Project) -> None:
    _add_maintainer_files(project)
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)
    assert project.check()[0] == 0
    project.use(V2)
    code, _, err = project.generate()
    assert code == 0, err
    assert "your edits were merged" in err and "things.py" in err
    tree = project.tree()
    for rel, data in MAINTAINER.items():
        assert tree[rel] == data
    things = tree[f"{PKG}/resources/things.py"].decode()
    assert things.count('assert id, "hand edit: an id is required"') == 2  # sync and async get
    assert "def create(" in things
    assert f"{PKG}/resources/widgets.py" in tree
    assert f"{PKG}/resources/gadgets.py" not in tree  # no longer generated, never edited: removed
    code, out, _ = project.check()
    assert code == 0, out
    assert "hand edits kept in 1 file(s)" in out and "things.py" in out


def test_edited_file_that_is_no_longer_generated_is_kept(project: Project) -> None:
    project.edit(f"{PKG}/resources/gadgets.py", "class GadgetsResource(", "# mine\nclass GadgetsResource(")
    edited = project.file(f"{PKG}/resources/gadgets.py").read_bytes()
    project.use(V2)
    code, _, err = project.generate()
    assert code == 0, err
    assert "gadgets.py is no longer generated but carries your edits" in err
    assert project.file(f"{PKG}/resources/gadgets.py").read_bytes() == edited
    manifest = json.loads(project.file("sdkgen-manifest.json").read_text())
    assert f"{PKG}/resources/gadgets.py" not in manifest["files"]  # the maintainer's now
    assert project.check()[0] == 0


def test_overlapping_edit_conflicts_with_both_sides(project: Project) -> None:
    _add_maintainer_files(project)
    project.edit("README.md", "# Test API Python SDK", "# Our Test API SDK (hand edit)")
    v2 = copy.deepcopy(V2)
    v2["info"]["title"] = "Test API Two"
    untouched = {rel: project.file(rel).read_bytes() for rel in MAINTAINER}
    project.use(v2)
    code, _, err = project.generate()
    assert code == 1
    readme = project.file("README.md").read_text()
    assert "<<<<<<< yours (on disk)\n# Our Test API SDK (hand edit)\n=======\n# Test API Two Python SDK\n>>>>>>> generated now" in readme
    assert f"conflict: {project.file('README.md')}" in err
    assert "keep the lines that should stay and delete the marker lines" in err
    assert {rel: project.file(rel).read_bytes() for rel in MAINTAINER} == untouched
    code, out, _ = project.check()
    assert code == 1 and "unresolved conflict" in out and "README.md" in out
    assert project.generate()[0] == 0  # the same generation again: nothing to merge, markers stay
    v3 = copy.deepcopy(v2)
    v3["info"]["title"] = "Test API Three"
    project.use(v3)
    before = project.tree()
    again = project.generate()  # merging into unresolved markers is refused
    assert again[0] == 2 and "still holds conflict markers" in again[2]
    assert project.tree() == before
    project.use(v2)
    project.edit(
        "README.md",
        "<<<<<<< yours (on disk)\n# Our Test API SDK (hand edit)\n=======\n# Test API Two Python SDK\n>>>>>>> generated now",
        "# Our Test API Two SDK",
    )
    code, out, _ = project.check()
    assert code == 0, out
    assert "README.md" in out


def test_check_exit_codes_follow_what_generate_would_do(project: Project) -> None:
    assert project.check()[0] == 0
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)  # a hand edit is not drift
    assert project.check()[0] == 0
    project.file(f"{PKG}/_version.py").unlink()  # a deleted generated file is
    code, out, _ = project.check()
    assert code == 1 and "generated files are missing" in out and f"{PKG}/_version.py" in out
    assert project.generate()[0] == 0
    project.use(V2)
    code, out, _ = project.check()
    assert code == 1 and "the spec changed" in out
    assert "changes files that carry your hand edits" in out and "things.py" in out
    assert "(generated last time)" in out  # the diff shows what the generation changes


def test_custom_code_report(project: Project) -> None:
    _add_maintainer_files(project)
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)
    code, out, _ = project.check("--custom-code")
    assert code == 0
    assert f"edited               +2 -0  {PKG}/resources/things.py" in out
    assert "yours                +2 -0  tests/test_mine.py" in out
    code, out, err = project.check("--custom-code", "json")
    assert code == 0 and "in sync" in err
    report = json.loads(out)
    files = {f["path"]: f for f in report["targets"][0]["files"]}
    assert files[f"{PKG}/resources/things.py"] == {
        "path": f"{PKG}/resources/things.py",
        "kind": "edited",
        "added": 2,
        "removed": 0,
        "known": True,
    }
    assert files["CHANGELOG.md"]["kind"] == "yours"
    assert report["targets"][0]["totals"]["files"] == len(MAINTAINER) + 1


def test_ignore_file_takes_a_generated_file_over(project: Project) -> None:
    (project.package / ".sdkgenignore").write_text("# ours\nREADME.md\n/sdk/resources/things.py\n")
    project.file("README.md").write_text("our own README\n")
    project.file(f"{PKG}/resources/things.py").write_text("# taken over\n")
    project.use(V2)
    code, _, err = project.generate()
    assert code == 0, err
    assert err.count(".sdkgenignore") == 1  # said once per run
    assert "2 generated file(s) are yours per .sdkgenignore" in err
    assert project.file("README.md").read_text() == "our own README\n"
    assert project.file(f"{PKG}/resources/things.py").read_text() == "# taken over\n"
    manifest = json.loads(project.file("sdkgen-manifest.json").read_text())
    assert set(manifest["ignored"]) == {"README.md", f"{PKG}/resources/things.py"}
    assert "README.md" not in manifest["files"]
    code, out, _ = project.check("--custom-code")
    assert code == 0 and "taken over by .sdkgenignore: 2 file(s)" in out
    assert "taken over" in out and "README.md" in out
    # Giving a file back merges the maintainer's version with the generation.
    (project.package / ".sdkgenignore").write_text("README.md\n")
    assert project.check()[0] == 1
    code, _, err = project.generate()
    assert code == 0, err
    assert "# taken over" in project.file(f"{PKG}/resources/things.py").read_text()


def test_new_generated_file_never_overwrites_a_maintainer_file(project: Project) -> None:
    project.file(f"{PKG}/resources/widgets.py").write_text("# mine, same name as a new resource\n")
    before = project.tree()
    project.use(V2)
    code, _, err = project.generate()
    assert code == 2
    assert "sdkgen would write sdk/resources/widgets.py, but sdkgen did not write it" in err
    assert "list it in .sdkgenignore" in err
    assert project.tree() == before
    (project.package / ".sdkgenignore").write_text("sdk/resources/widgets.py\n")
    assert project.generate()[0] == 0
    assert project.file(f"{PKG}/resources/widgets.py").read_text() == "# mine, same name as a new resource\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ok.py\nbad\\\n", "line 2: 'bad\\\\' is not a valid pattern"),
        (b"!\n", "line 1: '!' is not a valid pattern"),
        (b"\xff\xfe", "not UTF-8 text"),
    ],
)
def test_malformed_ignore_file_exits_2_untouched(project: Project, content: bytes, message: str) -> None:
    (project.package / ".sdkgenignore").write_bytes(content)
    project.use(V2)
    before = project.tree()
    code, _, err = project.generate()
    assert code == 2
    assert message in err and ".sdkgenignore" in err
    assert project.tree() == before
    assert project.check()[0] == 2


def test_missing_manifest_exits_2_untouched(project: Project) -> None:
    _add_maintainer_files(project)
    project.file("sdkgen-manifest.json").unlink()
    before = project.tree()
    code, _, err = project.generate()
    assert code == 2
    assert "sdkgen-manifest.json is missing, so sdkgen cannot tell the files it wrote from yours" in err
    assert "git checkout" in err
    assert project.tree() == before


def test_missing_or_corrupt_store_with_hand_edits_exits_2(project: Project) -> None:
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)
    store = project.file(STORE).read_bytes()
    project.use(V2)
    for damage in (b"", store[: len(store) // 2], pack({f"{PKG}/resources/things.py": b"not it"})):
        project.file(STORE).write_bytes(damage)
        before = project.tree()
        code, _, err = project.generate()
        assert code == 2, err
        assert "what sdkgen generated for it last time is not available" in err
        assert "git checkout -- sdkgen-pristine.tar.gz" in err
        assert project.tree() == before
    project.file(STORE).unlink()
    assert project.generate()[0] == 2
    project.file(STORE).write_bytes(store)
    assert project.generate()[0] == 0


def test_a_store_missing_without_hand_edits_is_written_again(project: Project) -> None:
    project.file(STORE).unlink()
    code, out, _ = project.check()
    assert code == 1 and "sdkgen-pristine.tar.gz) is missing" in out
    assert project.generate()[0] == 0
    assert project.check()[0] == 0


def test_merge_without_git_says_so_and_writes_nothing(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)
    project.use(V2)
    before = project.tree()
    monkeypatch.setenv("PATH", os.devnull)
    code, _, err = project.generate()
    assert code == 2
    assert "git is not installed" in err and "things.py" in err
    assert project.tree() == before


def test_regenerating_an_unchanged_sdk_writes_nothing(project: Project) -> None:
    _add_maintainer_files(project)
    project.edit(f"{PKG}/resources/things.py", EDIT_OLD, EDIT_NEW, 2)
    stamps = {p: p.stat().st_mtime_ns for p in project.package.rglob("*") if p.is_file()}
    assert project.generate()[0] == 0
    assert {p: p.stat().st_mtime_ns for p in project.package.rglob("*") if p.is_file()} == stamps


def test_store_is_deterministic_and_round_trips() -> None:
    files = {"b/x.py": b"x = 1\n", "a.md": "é\n".encode(), "long/" + "n" * 150 + ".py": b""}
    assert pack(files) == pack(dict(reversed(list(files.items()))))
    assert unpack(pack(files)) == files


def test_a_run_killed_midway_is_reported_by_check_and_undone_by_generate(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import write

    _add_maintainer_files(project)
    before = project.tree()
    project.use(V2)

    def killed(op: object) -> None:
        raise SystemExit(137)

    monkeypatch.setattr(write, "after_step", killed)
    monkeypatch.setattr(write, "_rollback", lambda *args: None)  # a killed process rolls nothing back...
    monkeypatch.setattr(write.shutil, "rmtree", lambda *args, **kwargs: None)  # ...and cleans nothing up
    with pytest.raises(SystemExit):
        project.generate()
    monkeypatch.undo()
    assert project.tree() != before  # half-written
    code, _, err = project.check()
    assert code == 2 and "an interrupted sdkgen generate left this package half-written" in err
    project.use(V1)
    assert project.generate()[0] == 0  # rolls the killed run back first: V1 again, as before
    assert project.tree() == before
    assert project.check()[0] == 0


def test_warns_when_git_would_not_commit_the_record(project: Project) -> None:
    import subprocess

    if subprocess.run(["git", "init", "-q", str(project.root)], check=False).returncode != 0:
        pytest.skip("git is not available")
    (project.root / ".gitignore").write_text("*.tar.gz\n")
    project.use(V2)
    code, _, err = project.generate()
    assert code == 0
    assert "git ignores sdkgen-pristine.tar.gz here: commit it with the package (git add -f)" in err


def test_a_clean_merge_that_is_not_valid_python_is_pointed_out(tmp_path: Path) -> None:
    from generator.ownership import Generation, notes, regenerate

    package = tmp_path / "pkg"
    base = b"def f():\n    return 1\n\n\ndef g():\n    return 2\n"
    assert regenerate(Generation(package, {"m.py": base}, {})).writes
    (package / "m.py").write_bytes(base.replace(b"def f():", b"class F:"))  # a hand edit...
    new = base.replace(b"return 2", b"return 20")  # ...and a change elsewhere: no conflict
    changes = regenerate(Generation(package, {"m.py": new}, {}))
    assert changes.merged == ["m.py"] and not changes.conflicts
    assert (package / "m.py").read_bytes() == b"class F:\n    return 1\n\n\ndef g():\n    return 20\n"
    assert "m.py merged without conflict but is not valid Python: check the merge there" in notes(changes)


# -- a property: whatever two generations and the maintainer do, no file of theirs changes -----

_NAMES = st.sampled_from(["a.py", "b.md", "pkg/c.py", "pkg/d.py", "pkg/sub/e.py", "docs/f.md", ".g"])
_TEXT = st.lists(st.sampled_from(["x = 1\n", "y = 2\n", "# note\n", "z = 3\n"]), min_size=1, max_size=6).map(
    lambda lines: "".join(lines).encode()
)
_GENERATION = st.dictionaries(_NAMES, _TEXT, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=_GENERATION,
    second=_GENERATION,
    own=st.dictionaries(st.sampled_from(["mine.txt", "pkg/mine.py", "tests/t.py", "pkg/sub/m.py", "a.py"]), _TEXT),
    edits=st.dictionaries(_NAMES, _TEXT, max_size=3),
)
def test_no_file_sdkgen_did_not_write_ever_changes(
    tmp_path_factory: pytest.TempPathFactory,
    first: dict[str, bytes],
    second: dict[str, bytes],
    own: dict[str, bytes],
    edits: dict[str, bytes],
) -> None:
    from generator.diagnostics import SpecError
    from generator.ownership import Generation, regenerate

    package = tmp_path_factory.mktemp("prop") / "pkg_dir"
    regenerate(Generation(package, first, {}))
    own = {p: d for p, d in own.items() if p not in first}  # a path sdkgen wrote is not "own"
    for rel, data in {**own, **{p: d for p, d in edits.items() if p in first}}.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_bytes(data)
    before = {p.relative_to(package).as_posix(): p.read_bytes() for p in package.rglob("*") if p.is_file()}
    try:
        changes = regenerate(Generation(package, second, {}))
    except SpecError:  # refused (a new generated file would land on one of the maintainer's)
        after = {p.relative_to(package).as_posix(): p.read_bytes() for p in package.rglob("*") if p.is_file()}
        assert after == before
        assert any(p in own for p in second)
        return
    for rel, data in own.items():
        assert (package / rel).read_bytes() == data, rel
    for rel in first:
        if rel not in second and rel in edits and edits[rel] != first[rel]:
            assert (package / rel).read_bytes() == edits[rel]  # edited, no longer generated: kept
    for rel, data in second.items():
        on_disk = (package / rel).read_bytes()
        if rel in changes.conflicts:
            assert b"<<<<<<< yours (on disk)" in on_disk
        elif rel not in changes.edited:
            assert on_disk == data
