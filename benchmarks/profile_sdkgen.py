"""cProfile of one sdkgen run (in memory, cold cache), with a per-stage breakdown and diagnostics.

    SDKGEN_NO_CACHE=1 PYTHONPATH=. python -m benchmarks.profile_sdkgen SPEC NAME REPORT.txt [--serial]

Stage times come from ``generate``'s progress messages (load, IR, render + black).  black runs
in a process pool for big outputs, which cProfile cannot see into; ``--serial`` makes the
formatting run in this process so that its cost shows in the profile as well.
"""

from __future__ import annotations

import collections
import cProfile
import io
import pstats
import sys
import time
import traceback
from pathlib import Path


def main() -> int:
    spec, name, report = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    serial = "--serial" in sys.argv[4:]
    import generator
    from generator.render import fmt

    per_file: list[tuple[float, int, str]] = []
    if serial:
        fmt.PARALLEL_THRESHOLD = float("inf")  # type: ignore[assignment]
        original = fmt._format_item

        def timed(item: tuple[str, fmt.Piece]) -> object:
            t0 = time.perf_counter()
            try:
                return original(item)
            finally:
                per_file.append((time.perf_counter() - t0, len(item[1].text), item[0]))

        fmt._format_item = timed  # type: ignore[assignment]
    stages: list[tuple[float, str]] = []
    start = time.perf_counter()

    def progress(message: str) -> None:
        stages.append((time.perf_counter() - start, message))

    config = generator.Config(spec=spec, output=report.parent / "unused", package_name=name)
    profiler = cProfile.Profile()
    out = io.StringIO()
    outcome = "ok"
    diagnostics: list = []
    profiler.enable()
    try:
        result = generator.build(config, progress)
        diagnostics = list(result.diagnostics)
        outcome = f"ok: {result.operations} operations, {len(result.files)} files"
    except generator.SpecError as exc:
        diagnostics = list(exc.diagnostics)
        outcome = f"SpecError with {len(diagnostics)} diagnostics"
    except Exception:  # noqa: BLE001 - the traceback is the finding
        outcome = "crashed:\n" + traceback.format_exc()
    finally:
        profiler.disable()
    total = time.perf_counter() - start
    out.write(f"outcome: {outcome}\ntotal: {total:.2f} s (under cProfile{', black serial' if serial else ''})\n\n")
    out.write("stages (time at which each progress message was printed):\n")
    previous = 0.0
    for at, message in [*stages, (total, "done")]:
        out.write(f"  {at:8.2f} s  (+{at - previous:6.2f} s)  {message}\n")
        previous = at
    levels = collections.Counter(d.level.name for d in diagnostics)
    out.write(f"\ndiagnostics: {dict(levels) or 'none'}\n")
    by_message = collections.Counter(d.message.split(":")[0][:80] for d in diagnostics)
    for message, count in by_message.most_common(8):
        out.write(f"  {count:5d} × {message}\n")
    for d in diagnostics[:5]:
        out.write(f"  e.g. {d.format()[:300]}\n")
    if per_file:
        pieces = len(per_file)
        by_path: dict[str, tuple[float, int]] = {}
        for t, n, path in per_file:  # a big module goes to black in pieces: one line per module
            spent_so_far, size_so_far = by_path.get(path, (0.0, 0))
            by_path[path] = (spent_so_far + t, size_so_far + n)
        per_file = [(t, n, path) for path, (t, n) in by_path.items()]
        spent = sum(t for t, _, _ in per_file)
        size = sum(n for _, n, _ in per_file)
        out.write(
            f"\nblack: {len(per_file)} files in {pieces} pieces, {size / 1e6:.1f} MB of source, {spent:.1f} s; "
            "slowest files:\n"
        )
        for t, n, path in sorted(per_file, reverse=True)[:10]:
            out.write(f"  {t:6.2f} s  {n / 1e3:8.1f} kB  {path}\n")
    for key, title, limit in (("cumulative", "by cumulative time", 30), ("tottime", "by own time", 20)):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(limit)
        text = buf.getvalue()
        text = text[text.find("ncalls") :] if "ncalls" in text else text
        out.write(f"\ntop {limit} {title}:\n{text.rstrip()}\n")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(out.getvalue(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
