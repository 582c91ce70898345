"""What a regeneration changes in a package directory that the maintainer owns.

Given a new generation and what is on disk, decide each file:

- a file the last generation wrote (the manifest lists it) and nobody touched: replaced by the
  new generation, or removed when it is no longer generated;
- a file the last generation wrote and the maintainer edited: merged three ways (base = the
  last generation, from the pristine store; ours = the disk; theirs = the new generation);
  when it is no longer generated, it is kept, and is the maintainer's from then on;
- a path ``.sdkgenignore`` matches: never written or removed;
- anything else on disk (tests, docs, modules, dotfiles): never read, written or removed; a
  new generated file that would land on one is refused, whatever it holds.

Nothing here writes: ``apply`` (in ``__init__``) hands the plan to the atomic writer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Level, SpecError, add_capped
from ..render.write import check_relpath
from .ignore import IgnoreRules, load_ignore
from .merge import MergeUnavailable, merge3, unresolved
from .previous import MANIFEST, Previous, Refused, read_previous
from .store import STORE, pack, sha256


@dataclass(frozen=True, slots=True)
class Generation:
    """A generation of one package in memory: every file it produces (paths relative to the
    package directory, the manifest and store excluded) and the manifest ``build`` computed."""

    package_dir: Path
    files: Mapping[str, bytes]
    manifest: Mapping[str, object]


@dataclass(slots=True)
class Plan:
    """The changes that bring a package directory to a new generation, and what they mean."""

    package_dir: Path
    writes: dict[str, bytes] = field(default_factory=dict)
    removes: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # hand edits merged cleanly with a change
    conflicts: list[str] = field(default_factory=list)  # merged with conflict markers
    unparsable: list[str] = field(default_factory=list)  # merged cleanly, but not valid Python
    to_merge: list[str] = field(default_factory=list)  # would need a merge (check never merges)
    bases: dict[str, bytes] = field(default_factory=dict)  # of to_merge: the last generation
    kept: list[str] = field(default_factory=list)  # no longer generated, but carry hand edits
    ignored: list[str] = field(default_factory=list)  # generated paths .sdkgenignore takes over
    edited: list[str] = field(default_factory=list)  # carry hand edits once the plan is applied
    unresolved: list[str] = field(default_factory=list)  # conflict markers not resolved yet
    restored: list[str] = field(default_factory=list)  # generated files missing from disk
    first: bool = False  # no earlier generation in this directory
    was_ignored: list[str] = field(default_factory=list)  # taken over at the last generation
    store: str = ""  # the pristine store, when it must be written: "missing" or "outdated"
    not_committed: list[str] = field(default_factory=list)  # sidecars git ignores (after writing)

    @property
    def changes(self) -> bool:
        return bool(self.writes or self.removes or self.to_merge)

    def reasons(self) -> list[str]:
        """Why applying the plan would change the tree, as far as the maintainer's side goes."""

        def listed(paths: list[str]) -> str:
            return ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")

        out = []
        if self.restored:
            out.append(
                f"generated files are missing: {listed(self.restored)} (list them in .sdkgenignore to keep them away)"
            )
        if self.removes:
            out.append(f"files sdkgen no longer generates are still there: {listed(self.removes)}")
        if self.to_merge:
            out.append(f"the new generation changes files that carry your hand edits: {listed(self.to_merge)}")
        if self.kept:
            out.append(f"no longer generated, but carrying your edits (they become yours): {listed(self.kept)}")
        if self.ignored != self.was_ignored and not self.first:
            out.append("the .sdkgenignore rules changed which generated files are yours")
        if self.store == "missing":
            out.append(f"the pristine copy of the last generation ({STORE}) is missing")
        elif self.store == "outdated" and not self.writes.keys() - {STORE, MANIFEST} and not self.removes:
            out.append(f"the pristine copy of the last generation ({STORE}) is not the one the manifest records")
        if self.unresolved:
            out.append(f"conflict markers from the last sdkgen generate are unresolved: {listed(self.unresolved)}")
        return out


def manifest_bytes(manifest: Mapping[str, object]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()


def plan(gen: Generation, *, merge: bool = True) -> Plan:
    """The plan for ``gen`` against its package directory; ``merge=False`` (for ``check``)
    lists the files a merge would change instead of running git.  Raises ``SpecError`` for an
    ignore file that cannot be read, a missing base, or a file sdkgen would overwrite but did
    not write: nothing may be written then."""
    for path in gen.files:
        check_relpath(path)  # raises UnsafePathError: nothing outside the package is even read
    found = Diagnostics()
    rules, errors = load_ignore(gen.package_dir)
    found.extend(errors)
    previous, errors = read_previous(gen.package_dir)
    found.extend(errors)
    if found.has_errors:
        raise SpecError(found.sorted())
    out = Plan(gen.package_dir, first=previous is None, was_ignored=sorted(previous.ignored) if previous else [])
    ignored = {p for p in gen.files if rules.matches(p)}
    out.ignored = sorted(ignored)
    owned = {p: data for p, data in gen.files.items() if p not in ignored}
    blocked: list[Diagnostic] = []
    for path, data in sorted(owned.items()):
        try:
            _one(out, previous, path, data, merge, blocked)
        except Refused as exc:
            found.items.append(exc.diagnostic)
        except MergeUnavailable as exc:
            hint = "install git, or move the file aside, regenerate, and apply your edits again"
            found.error(f"cannot merge your edits: {exc}", str(gen.package_dir / path), "", hint)
    add_capped(found, blocked, "files sdkgen would overwrite")
    if previous is not None:
        _removed(out, previous, rules, gen.files)
    if found.has_errors:
        raise SpecError(found.sorted())
    _sidecars(out, gen, owned, ignored, previous)
    return out


def _read(package_dir: Path, path: str) -> bytes | None:
    """The file at ``path``; None when there is none.  Raises ``IsADirectoryError`` (or
    ``NotADirectoryError``) when something else stands there."""
    target = package_dir / path
    if not target.exists() and not target.is_symlink():
        parent = target.parent
        while parent != package_dir and not parent.exists():
            parent = parent.parent
        if parent.exists() and not parent.is_dir():
            raise NotADirectoryError(str(parent))
        return None
    if not target.is_file():
        raise IsADirectoryError(str(target))
    return target.read_bytes()


def _one(out: Plan, previous: Previous | None, path: str, new: bytes, merge: bool, blocked: list[Diagnostic]) -> None:
    try:
        disk = _read(out.package_dir, path)
    except OSError:
        blocked.append(_blocked(out.package_dir, path, previous, "something that is not a file stands there"))
        return
    if disk is None:
        out.writes[path] = new
        if previous is not None and path in previous.files:
            out.restored.append(path)
        return
    recorded = previous.generated.get(path) if previous is not None else None
    if previous is None or recorded is None:
        if disk != new or previous is None:
            blocked.append(_blocked(out.package_dir, path, previous, "sdkgen did not write it"))
        return
    if sha256(disk) == recorded and path in previous.files:
        if disk != new:
            out.writes[path] = new
        return
    _edited(out, previous, path, disk, new, merge)


def _edited(out: Plan, previous: Previous, path: str, disk: bytes, new: bytes, merge: bool) -> None:
    """A file with hand edits (or one ``.sdkgenignore`` gives back): keep the edits."""
    if disk == new:
        return
    if sha256(new) == previous.generated[path]:  # the generation did not change: nothing to merge
        out.edited.append(path)
        if unresolved(disk, new):
            out.unresolved.append(path)
        return
    base = previous.base(path)
    if not merge:
        out.to_merge.append(path)
        out.bases[path] = base
        if unresolved(disk, base):
            out.unresolved.append(path)
        return
    if unresolved(disk, base):
        out.unresolved.append(path)
        hint = "resolve it first (keep the right lines, delete the marker lines), then regenerate"
        raise Refused(
            Diagnostic(
                Level.ERROR,
                f"{path} still holds conflict markers from the last run",
                str(out.package_dir / path),
                "",
                hint,
            )
        )
    merged = merge3(base, disk, new)
    out.writes[path] = merged.data
    (out.conflicts if merged.conflicts else out.merged).append(path)
    if not merged.conflicts and path.endswith(".py") and not _compiles(merged.data, path):
        out.unparsable.append(path)
    if merged.data != new:
        out.edited.append(path)


def _compiles(source: bytes, path: str) -> bool:
    """A clean merge of two valid modules is almost always valid; say so when it is not."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _blocked(package_dir: Path, path: str, previous: Previous | None, why: str) -> Diagnostic:
    if previous is None:
        message = (
            f"{path} exists, but {MANIFEST} is missing, so sdkgen cannot tell the files it wrote "
            "from yours and will not overwrite it"
        )
        hint = (
            f"restore {MANIFEST} (and {STORE}) from version control, e.g. git checkout -- {MANIFEST} {STORE}; "
            "or move the files sdkgen generates out of the way and generate again"
        )
    else:
        message = f"sdkgen would write {path}, but {why}, and it is not sdkgen's to overwrite"
        hint = "move it aside, or list it in .sdkgenignore to keep it as yours instead of the generated one"
    return Diagnostic(Level.ERROR, message, str(package_dir / path), "", hint)


def _removed(out: Plan, previous: Previous, rules: IgnoreRules, generated: Mapping[str, bytes]) -> None:
    """Files the last generation wrote that the new one does not: removed unless edited."""
    for path, recorded in sorted(previous.files.items()):
        if path in generated or rules.matches(path):
            continue
        try:
            disk = _read(out.package_dir, path)
        except OSError:
            continue
        if disk is None:
            continue
        if sha256(disk) == recorded:
            out.removes.append(path)
        else:
            out.kept.append(path)


def _sidecars(
    out: Plan, gen: Generation, owned: Mapping[str, bytes], ignored: set[str], previous: Previous | None
) -> None:
    """The manifest (hashes of what was written, of what was taken over, and of the store) and
    the store, written again only when the generation changed or the store is not intact."""
    manifest = dict(gen.manifest)
    manifest["files"] = {p: sha256(d) for p, d in sorted(owned.items())}
    manifest["ignored"] = {p: sha256(gen.files[p]) for p in sorted(ignored)}
    same = previous is not None and previous.generated == {p: sha256(d) for p, d in gen.files.items()}
    if previous is not None and same and previous.store_intact():
        manifest["pristine_sha256"] = previous.manifest["pristine_sha256"]
    else:
        store = pack(dict(gen.files))
        out.writes[STORE] = store
        manifest["pristine_sha256"] = sha256(store)
        exists = (gen.package_dir / STORE).is_file()
        out.store = "outdated" if previous is None or not same or exists else "missing"
    data = manifest_bytes(manifest)
    try:
        current = _read(gen.package_dir, MANIFEST)
    except OSError:
        current = None
    if current != data:
        out.writes[MANIFEST] = data
