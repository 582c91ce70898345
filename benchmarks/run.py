"""``python -m benchmarks [--quick] [--only NAME ...]``: run the benchmarks, write RESULTS.md.

Full mode is what RESULTS.md records; ``--quick`` takes fewer repetitions, smaller synthetic
specs, and skips the huge specs and the profiles, for a check in a few minutes; it writes
``benchmarks/.work/RESULTS-quick.md`` unless ``--output`` says otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import calls, concurrency, envs, gen, importtime, machine, tools
from .common import HERE, REPO, WORK, log
from .report import Kept, Section, fence, read_sections, write
from .specs import HUGE, NpmSpec

BENCHMARKS = ("huge", "polytomic", "import", "calls", "concurrency", "scaling", "profile")


@dataclass(frozen=True)
class Plan:
    huge_reps: int
    polytomic_reps: int
    import_reps: int
    call_rounds: int
    call_reps: int
    sizes: tuple[int, ...]
    scaling_reps: int
    concurrency_rounds: int = 3
    concurrency_batches: int = 3


FULL = Plan(
    huge_reps=3,
    polytomic_reps=3,
    import_reps=25,
    call_rounds=5,
    call_reps=5,
    sizes=(100, 1000, 5000),
    scaling_reps=2,
)
QUICK = Plan(
    huge_reps=1,
    polytomic_reps=2,
    import_reps=10,
    call_rounds=1,
    call_reps=3,
    sizes=(100, 300, 1000),
    scaling_reps=1,
    concurrency_rounds=1,
    concurrency_batches=2,
)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; skip the huge specs and profiles")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only these (repeatable)")
    parser.add_argument(
        "--spec", action="append", choices=[s.key for s in HUGE], help="huge specs to use (default: all)"
    )
    parser.add_argument("--reps", type=int, help="override every repetition count")
    parser.add_argument(
        "--merge", action="store_true", help="keep the sections of the existing output that this run does not redo"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="default: benchmarks/RESULTS.md; with --quick benchmarks/.work/RESULTS-quick.md (not committed), "
        "so that a quick check never replaces the recorded full run",
    )
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = WORK / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md"
    return args


@functools.cache
def _generated_polytomic() -> Path:
    """The `polytomic` project generated from this checkout, once per run (never an output
    left by an earlier run, which may come from other code)."""
    gen._polytomic_project(WORK / "polytomic")
    config = str(WORK / "polytomic/pyproject.toml")
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", config, "--target", "polytomic", "-q"],
        env=tools.sdkgen_env(),
        check=True,
    )
    return WORK / "polytomic" / "out" / "polytomic"


def _machines_of(kept: list[Kept], earlier: list[Kept]) -> list[Kept]:
    """The machine blocks of the earlier runs that produced a kept section, once each."""
    keys = {_SECTION_KEYS.get(k.title.split(" ")[0], "profile") for k in kept}
    out: dict[str, Kept] = {}
    for block in earlier:
        if block.title.startswith("Machine"):
            machine_block = _earlier_machine(block)
            mode = machine_block.title.partition("(")[2].rstrip(")")
            if keys & {part.strip() for part in mode.partition(":")[2].split(",")}:
                out[mode] = machine_block
    return list(out.values())


_SECTION_KEYS = {"1.": "huge", "2.": "polytomic", "3.": "import", "4.": "calls", "5.": "scaling", "6.": "concurrency"}


def _earlier_machine(block: Kept) -> Kept:
    """An earlier run's machine block, titled by that run's mode line."""
    if block.title != "Machine":
        return block
    mode = next((line.split("|")[2].strip() for line in block.text.splitlines() if line.startswith("| mode |")), "?")
    title = f"Machine of an earlier run ({mode})"
    return Kept(title, block.text.replace("## Machine", f"## {title}", 1))


def _profiles(specs: tuple[NpmSpec, ...]) -> Section:
    section = Section(
        "Appendix: where sdkgen spends its time on the huge specs",
        "`python -m benchmarks.profile_sdkgen` (cProfile over `generator.build`, cold cache). The first profile of "
        "each spec runs black in-process (`--serial`) so that formatting is visible; the stage lines give the "
        "wall-clock split between loading, building the IR and rendering + formatting.",
        ["spec", "profile"],
    )
    for spec in specs:
        report = WORK / "profiles" / f"{spec.key}.txt"
        log(f"[profile] {spec.key}")
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.profile_sdkgen", str(spec.path()), spec.key, str(report), "--serial"],
            env=tools.sdkgen_env(),
            cwd=REPO,
            check=False,
            capture_output=True,
            text=True,
        )
        text = report.read_text(encoding="utf-8") if report.is_file() else proc.stderr[-4000:]
        section.rows.append([spec.title, f"below ({text.splitlines()[0] if text else 'no output'})"])
        section.details.append(fence(f"{spec.title}: sdkgen profile", text))
    return section


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    plan = QUICK if args.quick else FULL
    if args.reps:
        plan = dataclasses.replace(plan, **{f.name: args.reps for f in dataclasses.fields(plan) if f.name != "sizes"})
    huge = tuple(s for s in HUGE if not args.spec or s.key in args.spec)
    default = {"polytomic", "import", "calls", "concurrency", "scaling"} | (set() if args.quick else {"huge", "profile"})
    only = set(args.only or default)
    WORK.mkdir(parents=True, exist_ok=True)
    load_start = machine.loadavg()
    started = time.monotonic()
    for env in (envs.OAPC, envs.DCG, envs.OFFICIAL, envs.GENERATED_RT):
        env.ensure()
    sections: list[Section] = []
    mode = f"{'quick' if args.quick else 'full'}: {', '.join(b for b in BENCHMARKS if b in only)}"

    earlier = read_sections(args.output) if args.merge else []

    def save(done: bool) -> None:
        minutes = (time.monotonic() - started) / 60
        state = f"{minutes:.0f} min" if done else f"**incomplete**, {minutes:.0f} min so far"
        header = (
            "# Benchmarks\n\n"
            f"Written by `nox -s bench{' -- --quick' if args.quick else ''}` ({mode}; {state}). Every number "
            "comes from one run on the machine described at the end, the tools side by side; compare ratios, not "
            "seconds. Goals are those of issue #7. Raw logs of the run are in `benchmarks/.work/` (not committed).\n"
        )
        redone = {s.title for s in sections}
        kept = [k for k in earlier if k.title not in redone and not k.title.startswith("Machine")]
        if kept:
            header += (
                f"\nMerged (`--merge`): {', '.join(k.title for k in kept)} kept from earlier runs, whose machine "
                "blocks are kept at the end.\n"
            )
            kept += _machines_of(kept, earlier)
        ordered = sorted([*sections, *kept], key=lambda s: s.title)  # "1. …" to "5. …", appendix, machine
        write(args.output, header, ordered, machine.block(load_start, machine.loadavg(), mode))
        log(f"wrote {args.output}")

    # Quick benchmarks first, so an interrupted full run still leaves most of the table.
    steps: list[tuple[str, str, Callable[[], Section]]] = [
        ("polytomic", "2. Generation, Polytomic", lambda: gen.polytomic(plan.polytomic_reps)),
        ("import", "3. Import time, Polytomic SDK", lambda: importtime.run(_generated_polytomic(), plan.import_reps)),
        (
            "calls",
            "4. Per-call overhead, Polytomic SDK",
            lambda: calls.run(_generated_polytomic(), plan.call_rounds, plan.call_reps),
        ),
        (
            "concurrency",
            "6. Concurrency, 1,000 async calls",
            lambda: concurrency.run(_generated_polytomic(), plan.concurrency_rounds, plan.concurrency_batches),
        ),
        ("huge", "1. Generation, huge specs", lambda: gen.huge_specs(plan.huge_reps, huge)),
        ("scaling", "5. Scaling, synthetic specs", lambda: gen.scaling(plan.sizes, plan.scaling_reps)),
        ("profile", "Appendix: sdkgen profiles", lambda: _profiles(huge)),
    ]
    for name, title, step in steps:
        if name not in only:
            continue
        try:
            sections.append(step())
        except Exception:  # noqa: BLE001 - a broken benchmark is reported, the others still run
            log(f"{name} crashed:\n{traceback.format_exc()}")
            crashed = Section(title, "This benchmark crashed; the traceback is below.", ["benchmark", "status"])
            crashed.rows.append([name, "**crashed**"])
            crashed.details.append(fence(f"{name}: traceback", traceback.format_exc()))
            sections.append(crashed)
        save(False)
    save(True)
    return 0
