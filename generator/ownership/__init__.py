"""The maintainer owns the SDK: a regeneration changes only what sdkgen wrote.

- ``plan``: what a new generation changes in a package directory (hand edits merged three
  ways against the pristine store, ``.sdkgenignore`` honoured, foreign files never touched);
- ``regenerate``: that plan applied atomically (``render.write.apply_changes``);
- ``report``: the custom code in a package (``sdkgen check --custom-code``).

See docs/your-code-in-the-sdk.md for the maintainer's view.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..render.write import apply_changes, recover
from .ignore import IGNORE_FILE
from .merge import ignored_by_git
from .plan import Generation, Plan, manifest_bytes, plan
from .previous import MANIFEST, SIDECARS, read_previous
from .store import STORE, sha256

__all__ = [
    "IGNORE_FILE",
    "MANIFEST",
    "SIDECARS",
    "STORE",
    "Generation",
    "Plan",
    "conflict_lines",
    "manifest_bytes",
    "notes",
    "plan",
    "recorded",
    "regenerate",
    "report_written",
]


def regenerate(gen: Generation) -> Plan:
    """Bring ``gen.package_dir`` to ``gen``: roll back an interrupted earlier run, plan, then
    apply the plan as one transaction.  Raises ``SpecError`` when the plan is refused (nothing
    is written) and ``OSError`` when writing fails (the previous tree is put back)."""
    recover(gen.package_dir)
    changes = plan(gen)
    if changes.changes:
        apply_changes(gen.package_dir, changes.writes, changes.removes)
    changes.not_committed = ignored_by_git(gen.package_dir, sorted(SIDECARS))
    return changes


def recorded(package_dir: Path) -> Generation | None:
    """The last generation, from the pristine store: what regenerating gives when nothing that
    shapes the output changed (``check``'s fast path).  None when the store cannot tell."""
    previous, errors = read_previous(package_dir)
    if previous is None or errors:
        return None
    store = previous.store()
    generated = previous.generated
    if store is None or set(store) != set(generated):
        return None
    if any(sha256(data) != generated[path] for path, data in store.items()):
        return None
    return Generation(package_dir, store, previous.manifest)


def notes(changes: Plan) -> list[str]:
    """What a regeneration did that the maintainer should know, one line each."""
    lines = []

    def listed(paths: list[str]) -> str:
        shown = ", ".join(paths[:10])
        return shown + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")

    if changes.ignored:
        lines.append(
            f"{len(changes.ignored)} generated file(s) are yours per {IGNORE_FILE} and were left as they are: "
            + listed(changes.ignored)
        )
    if changes.merged:
        lines.append(f"your edits were merged into the new generation of {listed(changes.merged)}")
    for path in changes.unparsable:
        lines.append(f"{path} merged without conflict but is not valid Python: check the merge there")
    if changes.restored:
        lines.append(
            f"restored generated file(s) missing from disk: {listed(changes.restored)} "
            f"(list them in {IGNORE_FILE} to keep them away)"
        )
    if changes.not_committed:
        lines.append(
            f"git ignores {' and '.join(changes.not_committed)} here: commit "
            f"{'it' if len(changes.not_committed) == 1 else 'them'} with the package (git add -f), "
            "or hand edits cannot be merged in a fresh clone"
        )
    for path in changes.kept:
        lines.append(
            f"{path} is no longer generated but carries your edits: kept, and it is yours now (delete it if unneeded)"
        )
    return lines


def conflict_lines(changes: Plan) -> list[str]:
    """Every conflicted file, and what to do next."""
    if not changes.conflicts:
        return []
    lines = [f"conflict: {changes.package_dir / path}" for path in changes.conflicts]
    lines.append(
        f"{len(changes.conflicts)} file(s) hold conflict markers: your edit and the new generation changed the "
        "same lines. In each file, between '<<<<<<< yours (on disk)' and '>>>>>>> generated now', keep the lines "
        "that should stay and delete the marker lines; then run `sdkgen check` (exit 0 when resolved). "
        "Both sides are in the file; nothing else was lost."
    )
    return lines


def report_written(changes: Plan, quiet: bool, stream: TextIO) -> bool:
    """Print what the maintainer should know (notes unless ``quiet``; conflicts always);
    True when conflicts are left to resolve."""
    for line in [] if quiet else notes(changes):
        stream.write(f"sdkgen: {line}\n")
    for line in conflict_lines(changes):
        stream.write(f"{line}\n")
    return bool(changes.conflicts)
