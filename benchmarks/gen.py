"""Benchmarks 1, 2 and 5: generation time and memory (huge specs, Polytomic, synthetic scaling)."""

from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

from . import synth, tools
from .common import REPO, WORK, Run, Series, log, loglog_slope, measured
from .report import Goal, Section, fence, fmt_mb, fmt_ratio, fmt_s, fmt_stats, ratio
from .specs import GITHUB_PREVIOUS, HUGE, POLYTOMIC_SPECS, NpmSpec

HUGE_TIMEOUT = 2400.0  # per run; a busy 2-core machine needs the room
# Slow series stop repeating once they have used this much wall time (at least one run each);
# the n column says how many runs a median is of.
SERIES_BUDGET = 480.0


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _series_rows(series: Series) -> tuple[list[str], str]:
    """'ok' or the failure, for the status column, and the log tail of the first failure."""
    bad = next((r for r in series.runs if not r.ok), None)
    if bad is None:
        return ["ok"], ""
    what = f"timed out after {fmt_s(bad.wall)}" if bad.timed_out else f"exit {bad.rc} after {fmt_s(bad.wall)}"
    return [f"**failed** ({what})"], bad.tail(25)


def huge_specs(reps: int, specs: tuple[NpmSpec, ...] = HUGE) -> Section:
    """1. GitHub and Stripe: sdkgen (cold cache) vs openapi-python-client vs datamodel-code-generator."""
    section = Section(
        "1. Generation, huge specs",
        f"Cold generation (sdkgen with `SDKGEN_NO_CACHE=1`), output directory emptied before each run; "
        f"median of {reps} interleaved runs. *Peak RSS* is the largest single process (`getrusage(RUSAGE_CHILDREN)` "
        "in a fresh wrapper per run); *tree peak* is the largest sampled sum over the process tree (worker pools "
        "included). *Imports* = modules that import / all modules, in the generator's own venv (openapi-python-client, "
        "datamodel-code-generator) or the SDK runtime venv (sdkgen). Ratios are against sdkgen on the same spec.",
        [
            "spec",
            "generator",
            "n",
            "wall (median)",
            "wall min – max",
            "× sdkgen",
            "CPU",
            "peak RSS",
            "tree peak",
            "× sdkgen RSS",
            "status",
            "compileall",
            "imports",
        ],
    )
    for spec in specs:
        doc = spec.path()
        results: dict[str, Series] = {label: Series() for label in tools.GENERATORS}
        invocations: dict[str, tools.Invocation] = {}
        for rep in range(reps):
            for label, make in tools.GENERATORS.items():
                series = results[label]
                if series.runs and not series.runs[-1].ok:
                    continue  # a failure is deterministic enough: do not repeat a 20-minute timeout
                if sum(r.wall for r in series.runs) > SERIES_BUDGET:
                    continue
                out = _fresh(WORK / "huge" / spec.key / label.split()[0])
                inv = make(doc, out, spec.key)
                invocations[label] = inv
                log(f"[1] {spec.key} {label} rep {rep + 1}/{reps}")
                run = measured(
                    inv.cmd,
                    env=inv.env,
                    log_path=WORK / "logs" / f"huge-{spec.key}-{label.split()[0]}-{rep}.log",
                    timeout=HUGE_TIMEOUT,
                )
                log(f"    {fmt_s(run.wall)}, {fmt_mb(run.maxrss_mb)}, rc {run.rc}")
                series.runs.append(run)
        base = results["sdkgen"]
        for label, series in results.items():
            status, tail = _series_rows(series)
            check = {"compileall": None, "modules": 0, "imported": 0, "first_error": ""}
            if series.runs and series.runs[-1].ok:
                log(f"[1] checking {spec.key} output of {label}")
                check = tools.check_output(invocations[label])
            wall, rss = series.wall(), series.maxrss()
            imports = f"{check['imported']}/{check['modules']}" if check["modules"] else "—"
            if check["modules"] and check["imported"] != check["modules"]:
                imports = f"**{imports}**"
            compiled = {None: "—", True: "yes", False: "**no**"}[check["compileall"]]
            section.rows.append(
                [
                    spec.title,
                    label,
                    str(len(series.runs)),
                    *fmt_stats(wall),
                    fmt_ratio(ratio(wall.median, base.wall().median)),
                    fmt_s(series.cpu().median),
                    fmt_mb(rss.median),
                    fmt_mb(series.tree_peak().median),
                    fmt_ratio(ratio(rss.median, base.maxrss().median)),
                    *status,
                    compiled,
                    imports,
                ]
            )
            if tail:
                section.details.append(fence(f"{spec.title}: {label} failed — last lines", tail))
            if check["first_error"]:
                section.details.append(
                    fence(f"{spec.title}: {label} output — first import error", check["first_error"])
                )
        oapc = results["openapi-python-client"]
        if spec.key == "github" and base.ok:
            _regenerations(section, spec, reps, base, oapc)
        if oapc.ok and base.ok:
            section.goals.append(
                Goal(
                    f"{spec.title}: sdkgen wall ÷ openapi-python-client wall",
                    ratio(base.wall().median, oapc.wall().median),
                    1 / 3,
                )
            )
            section.goals.append(
                Goal(
                    f"{spec.title}: sdkgen peak RSS ÷ openapi-python-client peak RSS",
                    ratio(base.maxrss().median, oapc.maxrss().median),
                    1.0,
                )
            )
        elif base.ok:
            section.notes.append(f"{spec.title}: openapi-python-client failed, so there is no ratio to hold sdkgen to.")
    return section


def _regenerations(section: Section, spec: NpmSpec, reps: int, cold: Series, oapc: Series) -> None:
    """sdkgen regenerating after an API change: the cache is what a generation from an earlier
    release of the document left; the new release is generated into that output.  The result
    must be the cold run's, byte for byte."""
    cold_out = WORK / "huge" / spec.key / "sdkgen" / spec.key
    for old in GITHUB_PREVIOUS:
        series = Series()
        identical = True
        for rep in range(reps):
            out = _fresh(WORK / "regen" / spec.key / old.version)
            env = tools.sdkgen_env(_fresh(WORK / "regen" / f"cache-{old.version}"))
            log(f"[1] {spec.key} sdkgen after {old.version}, rep {rep + 1}/{reps}")
            warm = tools.sdkgen(old.path(), out, spec.key).cmd
            measured(
                warm, env=env, log_path=WORK / "logs" / f"regen-{old.version}-warm-{rep}.log", timeout=HUGE_TIMEOUT
            )
            run = measured(
                tools.sdkgen(spec.path(), out, spec.key).cmd,
                env=env,
                log_path=WORK / "logs" / f"regen-{old.version}-{rep}.log",
                timeout=HUGE_TIMEOUT,
            )
            log(f"    {fmt_s(run.wall)}, {fmt_mb(run.maxrss_mb)}, rc {run.rc}")
            series.runs.append(run)
            identical = identical and run.ok and _same_tree(out / spec.key, cold_out)
        status, tail = _series_rows(series)
        if series.ok and not identical:
            status = ["**output differs from the cold run's**"]
        wall = series.wall()
        section.rows.append(
            [
                spec.title,
                f"sdkgen, regenerating after {old.version} (cache from it)",
                str(len(series.runs)),
                *fmt_stats(wall),
                fmt_ratio(ratio(wall.median, cold.wall().median)),
                fmt_s(series.cpu().median),
                fmt_mb(series.maxrss().median),
                fmt_mb(series.tree_peak().median),
                fmt_ratio(ratio(series.maxrss().median, cold.maxrss().median)),
                *status,
                "same files as cold" if identical else "—",
                "same files as cold" if identical else "—",
            ]
        )
        if tail:
            section.details.append(fence(f"{spec.title}: regeneration after {old.version} failed", tail))
        if series.ok and oapc.ok:
            section.notes.append(
                f"{spec.title}, regenerating after {old.version} (not a goal: openapi-python-client has no "
                f"cache, its every run is cold): sdkgen ÷ openapi-python-client wall "
                f"{fmt_ratio(ratio(wall.median, oapc.wall().median))}."
            )


def _same_tree(left: Path, right: Path) -> bool:
    """The same generated files (bytecode the import check wrote left out)."""

    def files(root: Path) -> list[Path]:
        return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)

    names = files(left)
    return names == files(right) and all((left / f).read_bytes() == (right / f).read_bytes() for f in names)


def _polytomic_project(root: Path) -> Path:
    """A pyproject.toml with this repo's Polytomic targets, writing under ``root/out``."""
    import tomllib

    from generator.config import spec_for

    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lines = []
    for target in data["tool"]["sdkgen"]["targets"]:
        lines.append("[[tool.sdkgen.targets]]")
        if "api" in target and "spec" not in target:  # a pinned version: the same document, by path
            target = {"spec": spec_for(REPO, target.pop("api"), target["api-version"]), **target}
        for key, value in target.items():
            if key == "spec":
                value = str((REPO / value).resolve())
            elif key == "output":
                value = "out"
            lines.append(f"{key} = {'true' if value is True else 'false' if value is False else repr(str(value))}")
        lines.append("")
    _fresh(root)
    (root / "pyproject.toml").write_text("\n".join(lines), encoding="utf-8")
    return root / "pyproject.toml"


def polytomic(reps: int) -> Section:
    """2. Both Polytomic targets: cold generate, then `sdkgen check` with nothing changed."""
    root = WORK / "polytomic"
    pyproject = _polytomic_project(root)
    names = list(POLYTOMIC_SPECS)
    cache = root / "cache"
    section = Section(
        "2. Generation, Polytomic",
        f"Both targets of this repository's `pyproject.toml`, median of {reps} runs. *Cold*: `SDKGEN_NO_CACHE=1`, "
        "output removed first. *check, warm*: `sdkgen check TARGET` against just-generated output with the black "
        "cache warm (nothing changed). *check, no cache*: the same with `SDKGEN_NO_CACHE=1`.",
        ["target", "command", "wall (median)", "wall min – max", "× cold generate", "CPU", "peak RSS", "status"],
    )
    gen = [sys.executable, "-m", "generator", "generate", "--config", str(pyproject), "-q"]
    chk = [sys.executable, "-m", "generator", "check", "--config", str(pyproject), "-q"]
    for name in names:
        cold, warm, nocache = Series(), Series(), Series()
        for rep in range(reps):
            shutil.rmtree(root / "out", ignore_errors=True)
            log(f"[2] {name} cold generate rep {rep + 1}/{reps}")
            cold.runs.append(
                measured(
                    [*gen, "--target", name],
                    env=tools.sdkgen_env(),
                    log_path=WORK / "logs" / f"poly-{name}-cold-{rep}.log",
                )
            )
        # Warm the cache with one generate, then check the untouched output.
        measured(
            [*gen, "--target", name], env=tools.sdkgen_env(cache), log_path=WORK / "logs" / f"poly-{name}-warmup.log"
        )
        for rep in range(reps):
            log(f"[2] {name} check rep {rep + 1}/{reps}")
            warm.runs.append(
                measured(
                    [*chk, name], env=tools.sdkgen_env(cache), log_path=WORK / "logs" / f"poly-{name}-check-{rep}.log"
                )
            )
            nocache.runs.append(
                measured(
                    [*chk, name],
                    env=tools.sdkgen_env(),
                    log_path=WORK / "logs" / f"poly-{name}-check-nocache-{rep}.log",
                )
            )
        base = cold.wall().median
        for label, series in (("generate, cold", cold), ("check, warm", warm), ("check, no cache", nocache)):
            status, tail = _series_rows(series)
            section.rows.append(
                [
                    name,
                    label,
                    *fmt_stats(series.wall()),
                    fmt_ratio(ratio(series.wall().median, base)),
                    fmt_s(series.cpu().median),
                    fmt_mb(series.maxrss().median),
                    *status,
                ]
            )
            if tail:
                section.details.append(fence(f"{name}: {label} failed — last lines", tail))
        section.goals.append(Goal(f"{name}: check (warm) ÷ cold generate", ratio(warm.wall().median, base), 0.25))
    return section


def scaling(sizes: tuple[int, ...], reps: int) -> Section:
    """5. Synthetic specs of growing size: time and memory against operation count."""
    section = Section(
        "5. Scaling, synthetic specs",
        f"`benchmarks/synth.py` documents (CRUD groups of five operations, six schemas per resource), sdkgen cold, "
        f"median of {reps}. The exponent is the least-squares slope of log(value) on log(operations); "
        "1.0 is linear. Fixed start-up cost pulls it below 1 at small sizes, so the slope between the two largest "
        "sizes is given too.",
        [
            "operations",
            "schemas",
            "spec size",
            "n",
            "wall (median)",
            "wall min – max",
            "per operation",
            "CPU",
            "peak RSS",
            "tree peak",
            "status",
        ],
    )
    walls: list[float] = []
    cpus: list[float] = []
    rsss: list[float] = []
    for n in sizes:
        spec = synth.write(n, WORK / "synth" / f"synthetic-{n}.json")
        doc = synth.build(n)
        series = Series()
        for rep in range(reps):
            out = _fresh(WORK / "synth" / f"out-{n}")
            inv = tools.sdkgen(spec, out, "synthetic")
            log(f"[5] {n} operations rep {rep + 1}/{reps}")
            run: Run = measured(
                inv.cmd, env=inv.env, log_path=WORK / "logs" / f"synth-{n}-{rep}.log", timeout=HUGE_TIMEOUT
            )
            log(f"    {fmt_s(run.wall)}, {fmt_mb(run.maxrss_mb)}")
            series.runs.append(run)
            if not run.ok or sum(r.wall for r in series.runs) > SERIES_BUDGET:
                break
        status, tail = _series_rows(series)
        wall, rss = series.wall(), series.maxrss()
        walls.append(wall.median)
        cpus.append(series.cpu().median)
        rsss.append(rss.median)
        section.rows.append(
            [
                f"{n:,}",
                f"{len(doc['components']['schemas']):,}",
                f"{spec.stat().st_size / 1e6:.1f} MB",
                str(len(series.runs)),
                *fmt_stats(wall),
                fmt_s(wall.median / n),
                fmt_s(series.cpu().median),
                fmt_mb(rss.median),
                fmt_mb(series.tree_peak().median),
                *status,
            ]
        )
        if tail:
            section.details.append(fence(f"{n} operations failed — last lines", tail))
    xs = [float(n) for n in sizes]
    for what, ys in (("Wall-time", walls), ("CPU-time (whole process tree)", cpus), ("Peak-RSS", rsss)):
        section.notes.append(
            f"{what} exponent over all sizes: **{loglog_slope(xs, ys):.2f}**; "
            f"between the two largest: **{loglog_slope(xs[-2:], ys[-2:]):.2f}**."
        )
    for what, ys in (("wall", walls), ("CPU", cpus)):
        slope = loglog_slope(xs[-2:], ys[-2:])
        section.goals.append(
            Goal(f"{what}-time exponent between the two largest sizes (close to linear)", slope, 1.15, unit="")
        )
    if any(math.isnan(w) for w in walls):
        section.notes.append("A size failed; its exponent terms are missing.")
    return section
