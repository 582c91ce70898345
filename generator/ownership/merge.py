"""Three-way merge of one file by ``git merge-file``: git's own merge, not a diff of ours.

Only files that carry hand edits *and* change in the new generation are merged, so a
regeneration without hand edits never needs git.  The conflict style is fixed on the command
line (the classic two-sided markers) and no git configuration is read, so the result does not
depend on the machine.  Without git the run stops before anything is written, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

OURS_LABEL = "yours (on disk)"
BASE_LABEL = "generated last time"
THEIRS_LABEL = "generated now"

# Marker lines as git writes them (default marker size 7).
START, MIDDLE, END = "<<<<<<< ", "=======", ">>>>>>> "


class MergeUnavailable(RuntimeError):
    """git is not installed, or ``git merge-file`` failed."""


@dataclass(frozen=True, slots=True)
class Merged:
    data: bytes
    conflicts: int  # conflicting hunks; 0 for a clean merge


def merge3(base: bytes, ours: bytes, theirs: bytes) -> Merged:
    """Merge ``theirs``' changes to ``base`` into ``ours``; conflicts as git-style markers."""
    if theirs == base or ours == theirs:
        return Merged(ours, 0)
    if ours == base:
        return Merged(theirs, 0)
    git = shutil.which("git")
    if git is None:
        raise MergeUnavailable("git is not installed (sdkgen merges hand edits with `git merge-file`)")
    with tempfile.TemporaryDirectory(prefix="sdkgen-merge-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp, name)
            path.write_bytes(data)
            paths.append(str(path))
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_CEILING_DIRECTORIES=tmp)
        labels = ["-L", OURS_LABEL, "-L", BASE_LABEL, "-L", THEIRS_LABEL]
        command = [git, "-c", "merge.conflictStyle=merge", "merge-file", "-p", *labels, *paths]
        try:
            done = subprocess.run(command, capture_output=True, cwd=tmp, env=env, check=False)
        except OSError as exc:
            raise MergeUnavailable(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode < 0 or done.returncode > 127:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise MergeUnavailable(f"git merge-file failed ({detail or f'exit status {done.returncode}'})")
    return Merged(done.stdout, done.returncode)


def ignored_by_git(folder: Path, names: list[str]) -> list[str]:
    """Which of ``names`` (files in ``folder``) git would not commit, per the repository's
    ignore rules; none when ``folder`` is not in a git repository or git is not installed."""
    git = shutil.which("git")
    if git is None or not names:
        return []
    try:
        done = subprocess.run(
            [git, "check-ignore", "--no-index", "--", *names], cwd=folder, capture_output=True, check=False
        )
    except OSError:
        return []
    return done.stdout.decode("utf-8", "replace").splitlines() if done.returncode == 0 else []


def unresolved(data: bytes, base: bytes) -> bool:
    """True when ``data`` holds conflict markers that ``base`` (the generated file) does not:
    a conflict written by a merge and not resolved yet."""

    def markers(text: bytes) -> set[str]:
        lines = text.decode("utf-8", "replace").splitlines()
        return {line for line in lines if line.startswith((START, END)) or line == MIDDLE}

    found = markers(data) - markers(base)
    return any(m.startswith(START) for m in found) and any(m.startswith(END) for m in found)
