"""Benchmark 4: per-call overhead through an in-process ``httpx.MockTransport``.

The floor (httpx + json + pydantic ``model_validate`` on the generated models), the generated
SDK and the official SDK each run in ``workers/calls.py``; worker processes are interleaved in
rounds so that drift hits every variant alike.  Payloads are the examples of ``models.list``
and ``models.create`` in the Polytomic spec, the list grown to 50 distinct models."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import yaml

from . import envs
from .common import WORK, WORKERS, Stats, log, run_json
from .report import Goal, Section, fmt_ratio, fmt_s, fmt_stats, ratio
from .specs import POLYTOMIC_SPECS

LIST_SIZE = 50
FLOOR = "floor: httpx + json + model_validate"
GENERATED = "generated (sdkgen)"
OFFICIAL = "official `polytomic` (Fern)"


def _example(spec: dict, path: str, method: str) -> dict:
    content = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return content["example"]


def write_payloads(target: Path) -> Path:
    spec = yaml.safe_load(POLYTOMIC_SPECS["polytomic"].read_text(encoding="utf-8"))
    template = _example(spec, "/api/models", "get")["data"][0]
    models = []
    for i in range(LIST_SIZE):
        model = copy.deepcopy(template)
        model["id"] = str(uuid.UUID(int=0x3B3561F332474C3896B5A36A86D99DEE + i))
        model["name"] = f"{template['name']} {i}"
        model["configuration"] = {"table": f"public.users_{i}"}
        model["version"] = i + 1
        models.append(model)
    target.mkdir(parents=True, exist_ok=True)
    (target / "list.json").write_text(json.dumps({"data": models}), encoding="utf-8")
    (target / "create.json").write_text(json.dumps(_example(spec, "/api/models", "post")), encoding="utf-8")
    return target


def run(generated_project: Path, rounds: int, reps: int) -> Section:
    payloads = write_payloads(WORK / "payloads")
    # floor and generated share a venv and one worker process, timed repetition by repetition;
    # the official SDK (also named `polytomic`) needs its own venv and process.
    labels = {"floor": FLOOR, "generated": GENERATED, "official": OFFICIAL}
    workers = (
        (("floor", "generated"), envs.GENERATED_RT, {"PYTHONPATH": str(generated_project)}),
        (("official",), envs.OFFICIAL, {}),
    )
    samples: dict[tuple[str, str, str], Stats] = {}
    for round_ in range(rounds):
        for is_async in (False, True):
            flavour = "async" if is_async else "sync"
            for modes, venv, extra in workers:
                log(f"[4] round {round_ + 1}/{rounds} {flavour} {' + '.join(modes)}")
                cmd = [str(venv.python), str(WORKERS / "calls.py"), "--payloads", str(payloads), "--reps", str(reps)]
                cmd += [arg for mode in modes for arg in ("--mode", mode)]
                data = run_json([*cmd, "--async"] if is_async else cmd, env=venv.environ(**extra), timeout=900)
                for mode, per_call in data.items():
                    for call, values in per_call.items():
                        samples.setdefault((call, flavour, labels[mode]), Stats([])).values.extend(values)
    variants = (FLOOR, GENERATED, OFFICIAL)
    section = Section(
        "4. Per-call overhead, Polytomic SDK",
        f"Time per call through `httpx.MockTransport` (no network), {rounds} rounds × {reps} repetitions; floor and "
        "generated alternate repetition by repetition in one process, the official SDK runs in its own venv and "
        "process after them in each round. A repetition is 100 `list` calls or 300 `create` calls after a warm-up. `list` returns "
        f"{LIST_SIZE} models (the spec's `models.list` example, varied); `create` sends seven fields and parses the "
        "spec's `models.create` example. Every variant checks its parsed results first. Same httpx/pydantic on all "
        "sides.",
        [
            "call",
            "mode",
            "variant",
            "median",
            "min – max",
            "× floor",
            "× official",
            "best: × floor",
            "best: × official",
        ],
    )
    for call in ("list", "create"):
        for flavour in ("sync", "async"):
            floor = samples[(call, flavour, FLOOR)].median
            official = samples[(call, flavour, OFFICIAL)].median
            for label in variants:
                stats = samples[(call, flavour, label)]
                section.rows.append(
                    [
                        call,
                        flavour,
                        label,
                        *fmt_stats(stats),
                        fmt_ratio(ratio(stats.median, floor)),
                        fmt_ratio(ratio(stats.median, official)),
                        fmt_ratio(ratio(stats.min, samples[(call, flavour, FLOOR)].min)),
                        fmt_ratio(ratio(stats.min, samples[(call, flavour, OFFICIAL)].min)),
                    ]
                )
            generated = samples[(call, flavour, GENERATED)].median
            section.goals.append(Goal(f"{call} {flavour}: generated ÷ floor", ratio(generated, floor), 1.2))
            section.goals.append(Goal(f"{call} {flavour}: generated ÷ official", ratio(generated, official), 1.0))
    section.notes.append(
        "*best* columns compare the fastest repetition of each variant: on a machine shared with other work they "
        "move less than medians, which absorb other processes' time slices."
    )
    section.notes.append(
        "Overhead above the floor per call: "
        + "; ".join(
            f"{call} {flavour} {fmt_s(samples[(call, flavour, GENERATED)].median - samples[(call, flavour, FLOOR)].median)}"
            for call in ("list", "create")
            for flavour in ("sync", "async")
        )
    )
    return section
