"""Time and peak memory of ``sdkgen generate`` on hostile documents.

    python benchmarks/hostile_limits.py            # every case, a table on stdout
    python benchmarks/hostile_limits.py --check    # exit 1 when a case exceeds its bound
    python benchmarks/hostile_limits.py deep-json-array ops-2000

Each case runs the CLI in a fresh interpreter (``python -m generator generate SPEC -o OUT``)
and reports the exit code, the wall time, and the peak RSS of that interpreter and of any
formatter workers it started.  The documents come from ``tests/support/hostile.py``, the same
ones the tests use (which check the behaviour: a clean refusal or a generated SDK, never a
traceback); the bounds below are what this script checks, deliberately loose (CI machines
vary), so a regression to unbounded work stands out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import hostile  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    text: Callable[[], str]
    expect: int  # exit code: 0 generated, 2 refused
    seconds: float  # bound on wall time
    megabytes: float  # bound on peak RSS


def _json(doc: Callable[[], dict[str, object]]) -> Callable[[], str]:
    return lambda: json.dumps(doc())


CASES = [
    Case("deep-json-array", "openapi.json", lambda: hostile.deep_json(5000, "array"), 2, 10, 300),
    Case("deep-json-object", "openapi.json", lambda: hostile.deep_json(5000, "object"), 2, 10, 300),
    Case("deep-yaml-flow-array", "openapi.yaml", lambda: hostile.deep_yaml(5000, "array"), 2, 10, 300),
    Case("deep-yaml-flow-object", "openapi.yaml", lambda: hostile.deep_yaml(5000, "object"), 2, 10, 300),
    Case("deep-yaml-block", "openapi.yaml", lambda: hostile.deep_yaml(2000, "object", block=True), 2, 10, 300),
    Case("deep-yaml-100k", "openapi.yaml", lambda: hostile.deep_yaml(100_000, "array"), 2, 10, 300),
    Case("deep-json-100k", "openapi.json", lambda: hostile.deep_json(100_000, "object"), 2, 10, 300),
    Case("deep-schema-240", "openapi.json", _json(lambda: hostile.deep_schema(240)), 0, 30, 400),
    Case("alias-bomb-9x9", "openapi.yaml", lambda: hostile.alias_bomb(9, 9), 2, 10, 300),
    Case("alias-self", "openapi.yaml", lambda: "openapi: 3.1.0\nx-a: &a [*a]\n", 2, 10, 300),
    Case("schema-cycles", "openapi.json", _json(hostile.cycles_doc), 0, 30, 400),
    Case("ref-loops", "openapi.json", _json(lambda: hostile.cycles_doc(broken=True)), 2, 30, 400),
    Case("ref-chain-3000", "openapi.json", _json(lambda: hostile.ref_chain(3000)), 0, 120, 800),
    Case("allof-doubling-40", "openapi.json", _json(lambda: hostile.all_of_doubling(40)), 0, 30, 400),
    Case("ops-500", "openapi.json", _json(lambda: hostile.many_operations(500)), 0, 60, 800),
    Case("ops-2000", "openapi.json", _json(hostile.many_operations), 0, 240, 1500),
]

_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from generator.cli import main
code = main(sys.argv[1:])
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(json.dumps({"code": code, "seconds": time.perf_counter() - start, "kb": max(self_kb, children_kb)}))
"""


def run(case: Case, work: Path) -> dict[str, float]:
    folder = work / case.name
    folder.mkdir(parents=True)
    spec = folder / case.file
    spec.write_text(case.text(), encoding="utf-8")
    argv = ["generate", str(spec), "-o", str(folder / "out"), "--package-name", "bench", "-q"]
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], cwd=ROOT, capture_output=True, text=True, env=_env(), check=False
    )
    if "Traceback" in proc.stderr or not proc.stdout:
        raise SystemExit(f"{case.name}: crashed\n{proc.stderr}")
    out: dict[str, float] = json.loads(proc.stdout)
    out["spec_mb"] = spec.stat().st_size / 1e6
    out["stderr_lines"] = len(proc.stderr.splitlines())
    return out


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["SDKGEN_NO_CACHE"] = "1"  # format everything: the worst case
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a case exceeds its bounds")
    args = parser.parse_args()
    chosen = [c for c in CASES if not args.cases or c.name in args.cases]
    failed = []
    print(f"{'case':24} {'spec MB':>8} {'exit':>4} {'seconds':>8} {'peak MB':>8}  bounds")
    with tempfile.TemporaryDirectory(prefix="sdkgen-hostile-") as tmp:
        for case in chosen:
            r = run(case, Path(tmp))
            mb = r["kb"] / 1024
            ok = r["code"] == case.expect and r["seconds"] <= case.seconds and mb <= case.megabytes
            if not ok:
                failed.append(case.name)
            print(
                f"{case.name:24} {r['spec_mb']:8.2f} {int(r['code']):4d} {r['seconds']:8.2f} {mb:8.0f}"
                f"  exit {case.expect}, <= {case.seconds:g} s, <= {case.megabytes:g} MB{'' if ok else '  EXCEEDED'}"
            )
    if failed and args.check:
        print("over bounds: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
