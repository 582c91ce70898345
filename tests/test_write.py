"""Atomic output: a failed or interrupted write leaves the previous package untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.write import UnsafePathError, check_relpath, write_package


def test_replaces_whole_directory(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    write_package(target, {"a.py": b"1", "sub/b.py": b"2"})
    write_package(target, {"a.py": b"3"})
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == ["a.py"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_failure_midway_keeps_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "pkg"
    write_package(target, {"a.py": b"old"})
    original = Path.write_bytes
    calls = {"n": 0}

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(KeyboardInterrupt):
        write_package(target, {"a.py": b"new", "b.py": b"new"})
    monkeypatch.undo()
    assert (target / "a.py").read_bytes() == b"old"
    assert not (target / "b.py").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


@pytest.mark.parametrize("rel", ["../x.py", "/abs.py", "a/../../b.py", "con.py", "a\\b.py", ""])
def test_unsafe_paths_refused(rel: str) -> None:
    with pytest.raises(UnsafePathError):
        check_relpath(rel)


def test_case_collisions_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        write_package(tmp_path / "p", {"A.py": b"", "a.py": b""})
