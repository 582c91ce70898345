"""The pull-request step of ``.github/workflows/sdk-drift.yml``, as a program that a test runs:
``python -m generator.drift.ci --old-config ../base/pyproject.toml``.

For every target of the pull request that the base branch also declares, ``sdkgen diff``
compares the base's pin with the pull request's: annotations on stdout, the full table in the
job summary.  The step fails on a breaking change unless the pull request carries the
acknowledgement label (``breaking-api-change`` by default; ``--label``), read from the event
GitHub writes to ``$GITHUB_EVENT_PATH``.

This replaces a GitHub expression, ``contains(labels, 'breaking-api-change') && '' ||
'--fail-on=breaking'``, that could never work: an empty string is false in GitHub expressions,
so it always yielded ``--fail-on=breaking``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from ..config import ConfigError, find_pyproject, load_targets
from .command import DiffOptions, run_diff

DEFAULT_LABEL = "breaking-api-change"


def labels(event: dict[str, Any]) -> list[str]:
    """The pull request's label names, from a ``pull_request`` event payload."""
    pr = event.get("pull_request")
    raw = pr.get("labels") if isinstance(pr, dict) else None
    return [str(x.get("name")) for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []


def fail_on(event: dict[str, Any], label: str = DEFAULT_LABEL) -> str | None:
    """``breaking`` unless the pull request carries ``label`` (then nothing fails the step)."""
    return None if label in labels(event) else "breaking"


def read_event(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.drift.ci", description=__doc__)
    parser.add_argument("--old-config", type=Path, required=True, help="the base branch's pyproject.toml")
    parser.add_argument("--config", type=Path, help="the pull request's pyproject.toml (default: nearest)")
    parser.add_argument("--label", default=DEFAULT_LABEL, help="the label that accepts a breaking change")
    args = parser.parse_args(argv)
    event = read_event(os.environ.get("GITHUB_EVENT_PATH"))
    threshold = fail_on(event, args.label)
    pyproject = args.config or find_pyproject(Path.cwd())
    try:
        new = [c.target for c in load_targets(pyproject)] if pyproject else []
        old = {c.target for c in load_targets(args.old_config)} if args.old_config.is_file() else set()
    except ConfigError as exc:
        sys.stderr.write(f"sdkgen diff: {exc}\n")
        return 2
    status = 0
    for target in new:
        if target not in old:
            sys.stdout.write(f"::notice title=sdkgen diff::{target}: new target, nothing to compare with\n")
            continue
        options = DiffOptions(
            target, target, fmt="github", fail_on=threshold, config=pyproject, old_config=args.old_config
        )
        sys.stdout.flush()
        status = max(status, run_diff(options))
    if threshold is None:  # after the reports: each one's verdict stays its first line
        sys.stdout.write(f"labelled {args.label!r}: breaking changes are accepted, the step passes\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
