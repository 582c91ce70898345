"""Atomic output, file by file: an interrupted or failed run leaves the previous tree exactly as it
was, the maintainer's files included; a run killed outright is rolled back by the next one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from generator.render import write
from generator.render.write import UnsafePathError, apply_changes, check_relpath, pending, recover, write_package
from tests.conftest import ROOT


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _previous(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    write_package(target, {"a.py": b"old a", "sub/b.py": b"old b", "gone.py": b"old"})
    (target / "tests").mkdir()
    (target / "tests" / "test_mine.py").write_bytes(b"maintainer's test")
    (target / ".hidden").write_bytes(b"dotfile")
    (target / "sub" / "mine.py").write_bytes(b"maintainer's module")
    return target


CHANGES = {"a.py": b"new a", "sub/b.py": b"new b", "new/c.py": b"new c", "d.py": b"new d"}


def test_changes_only_the_files_given(tmp_path: Path) -> None:
    target = _previous(tmp_path)
    apply_changes(target, CHANGES, ["gone.py"])
    assert tree(target) == {
        ".hidden": b"dotfile",
        "a.py": b"new a",
        "d.py": b"new d",
        "new/c.py": b"new c",
        "sub/b.py": b"new b",
        "sub/mine.py": b"maintainer's module",
        "tests/test_mine.py": b"maintainer's test",
    }
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]  # no transaction left behind


def test_removing_the_last_file_of_a_folder_removes_the_folder_only_then(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    write_package(target, {"x/only.py": b"1", "y/gen.py": b"2"})
    (target / "y" / "mine.py").write_bytes(b"3")
    apply_changes(target, {}, ["x/only.py", "y/gen.py"])
    assert not (target / "x").exists()
    assert tree(target) == {"y/mine.py": b"3"}


def test_keeps_the_permissions_of_a_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    write_package(target, {"run.sh": b"old"})
    os.chmod(target / "run.sh", 0o755)
    write_package(target, {"run.sh": b"new"})
    assert (target / "run.sh").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4])
def test_interrupted_midway_keeps_the_previous_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    """Ctrl-C (or any exception) after any number of applied operations: every file is back."""
    target = _previous(tmp_path)
    before = tree(target)
    done = {"n": 0}

    def interrupt(op: Mapping[str, object]) -> None:
        done["n"] += 1
        if done["n"] > steps:
            raise KeyboardInterrupt

    monkeypatch.setattr(write, "after_step", interrupt)
    with pytest.raises(KeyboardInterrupt):
        apply_changes(target, CHANGES, ["gone.py"])
    assert tree(target) == before
    assert not (target / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


def test_failure_while_staging_touches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _previous(tmp_path)
    before = tree(target)
    original = Path.write_bytes
    calls = {"n": 0}

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(OSError):
        apply_changes(target, CHANGES, ["gone.py"])
    monkeypatch.undo()
    assert tree(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


KILLED = """
import os, sys
from pathlib import Path
from generator.render import write

count = {{"n": 0}}
def die(op):
    count["n"] += 1
    if count["n"] > {steps}:
        os._exit(9)  # no cleanup, no finally: as if the process were killed
write.after_step = die
write.apply_changes(Path(sys.argv[1]), {changes!r}, ["gone.py"])
"""


@pytest.mark.parametrize("steps", [0, 2, 4])
def test_a_killed_run_is_rolled_back_by_the_next_one(tmp_path: Path, steps: int) -> None:
    target = _previous(tmp_path)
    before = tree(target)
    script = textwrap.dedent(KILLED.format(steps=steps, changes=CHANGES))
    done = subprocess.run([sys.executable, "-c", script, str(target)], cwd=ROOT, check=False)
    assert done.returncode == 9
    assert pending(target)  # the journal is there...
    assert tree(target) != before or steps == 0
    assert recover(target)  # ...and undoing it restores every file
    assert tree(target) == before
    assert not pending(target)
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


def test_a_new_run_recovers_first(tmp_path: Path) -> None:
    target = _previous(tmp_path)
    script = textwrap.dedent(KILLED.format(steps=1, changes=CHANGES))
    subprocess.run([sys.executable, "-c", script, str(target)], cwd=ROOT, check=False)
    apply_changes(target, {"a.py": b"third"}, [])
    assert (target / "a.py").read_bytes() == b"third"
    assert (target / "sub" / "b.py").read_bytes() == b"old b"  # the killed run's write was undone
    assert (target / "gone.py").is_file()
    assert not (target / "new").exists()


@pytest.mark.parametrize("rel", ["../x.py", "/abs.py", "a/../../b.py", "con.py", "a\\b.py", ""])
def test_unsafe_paths_refused(rel: str) -> None:
    with pytest.raises(UnsafePathError):
        check_relpath(rel)


def test_case_collisions_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        write_package(tmp_path / "p", {"A.py": b"", "a.py": b""})
    assert not (tmp_path / "p").exists()
