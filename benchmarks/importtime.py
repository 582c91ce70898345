"""Benchmark 3: import time of the generated Polytomic SDK vs the official one (Fern).

Each sample is a fresh interpreter.  Variants are interleaved so drift hits both alike.
Both SDKs run on the same httpx and pydantic (``envs.RUNTIME``)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from . import envs
from .common import Stats, log
from .report import Goal, Section, fmt_ratio, fmt_s, fmt_stats, ratio

GENERATED = "generated (sdkgen)"
OFFICIAL = "official `polytomic` (Fern)"

# (label, code for the generated SDK, code for the official SDK)
SNIPPETS = (
    ("`import polytomic`", "import polytomic", "import polytomic"),
    ("`from polytomic import Polytomic`", "from polytomic import Polytomic", "from polytomic import Polytomic"),
    (
        "import + `Polytomic(...).models`",
        "from polytomic import Polytomic; Polytomic(api_key='k').models",
        "from polytomic import Polytomic; Polytomic(token='k').models",
    ),
    ("`import httpx, pydantic` (shared floor)", "import httpx, pydantic", "import httpx, pydantic"),
)


def _env(extra_path: Path | None, venv: envs.Env) -> dict[str, str]:
    env = venv.environ()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return env


def _top_level_imports(python: Path, code: str, env: dict[str, str]) -> dict[str, float]:
    """Top-level entries of ``-X importtime``: module → cumulative seconds."""
    proc = subprocess.run(
        [str(python), "-X", "importtime", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    out: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            out[parts[2].strip()] = out.get(parts[2].strip(), 0.0) + int(parts[1]) / 1e6
    return out


def _importtime(python: Path, code: str, env: dict[str, str], startup: set[str]) -> float:
    """Seconds of every import ``code`` triggers (interpreter start-up imports left out)."""
    return sum(v for k, v in _top_level_imports(python, code, env).items() if k not in startup)


def _wall(python: Path, code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(python), "-c", code], env=env, check=True)
    return time.perf_counter() - start


def run(generated_project: Path, reps: int) -> Section:
    sides = {
        GENERATED: (envs.GENERATED_RT.python, _env(generated_project, envs.GENERATED_RT)),
        OFFICIAL: (envs.OFFICIAL.python, _env(None, envs.OFFICIAL)),
    }
    startup = {side: set(_top_level_imports(py, "pass", env)) for side, (py, env) in sides.items()}
    importtime: dict[tuple[str, str], Stats] = {(s[0], side): Stats([]) for s in SNIPPETS for side in sides}
    walls: dict[tuple[str, str], Stats] = {(s[0], side): Stats([]) for s in SNIPPETS for side in sides}
    baseline: dict[str, Stats] = {side: Stats([]) for side in sides}
    for side, (python, env) in sides.items():  # warm-up: write .pyc files, page in the venv
        for _, gen_code, off_code in SNIPPETS:
            _wall(python, gen_code if side == GENERATED else off_code, env)
    log(f"[3] import time, {reps} interleaved samples")
    for _ in range(reps):
        for side, (python, env) in sides.items():
            baseline[side].values.append(_wall(python, "pass", env))
            for label, gen_code, off_code in SNIPPETS:
                code = gen_code if side == GENERATED else off_code
                importtime[(label, side)].values.append(_importtime(python, code, env, startup[side]))
                walls[(label, side)].values.append(_wall(python, code, env))
    section = Section(
        "3. Import time, Polytomic SDK",
        f"Fresh interpreter per sample, {reps} interleaved samples, `.pyc` files already written. Both SDKs on "
        f"{', '.join(envs.RUNTIME)}; the generated one from this run's output via `PYTHONPATH`. *importtime*: the "
        "sum of the top-level cumulative times `-X importtime` reports for the snippet (interpreter start-up "
        "imports left out); for `import polytomic` that is the issue's measure. *wall*: a whole `python -c` run "
        "minus the median of `python -c pass` in the same venv.",
        ["snippet", "SDK", "importtime median", "min – max", "× official", "wall median", "× official"],
    )
    for label, _, _ in SNIPPETS:
        off_it = importtime[(label, OFFICIAL)].median
        off_wall = Stats([v - baseline[OFFICIAL].median for v in walls[(label, OFFICIAL)].values]).median
        for side in sides:
            it = importtime[(label, side)]
            wall = Stats([v - baseline[side].median for v in walls[(label, side)].values])
            section.rows.append(
                [
                    label,
                    side,
                    *fmt_stats(it),
                    fmt_ratio(ratio(it.median, off_it)),
                    fmt_s(wall.median),
                    fmt_ratio(ratio(wall.median, off_wall)),
                ]
            )
    both = Stats(baseline[GENERATED].values + baseline[OFFICIAL].values)
    section.notes.append(f"`python -c pass` (subtracted from the wall column): median {fmt_s(both.median)}.")
    section.goals.append(
        Goal(
            "generated ÷ official, importtime of `import polytomic`",
            ratio(importtime[(SNIPPETS[0][0], GENERATED)].median, importtime[(SNIPPETS[0][0], OFFICIAL)].median),
            0.5,
        )
    )
    section.goals.append(
        Goal(
            "generated ÷ official, importtime up to `Polytomic(...).models`",
            ratio(importtime[(SNIPPETS[2][0], GENERATED)].median, importtime[(SNIPPETS[2][0], OFFICIAL)].median),
            0.5,
        )
    )
    return section
