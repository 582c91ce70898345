"""sdkgen's worker processes (black's batches, a big document's validation): a Ctrl-C is the
parent's to handle, a failure cancels what has not started, and inside a daemonic process (a
worker of the caller's own pool) the work is done in-process instead."""

from __future__ import annotations

import importlib
import multiprocessing
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from generator import Config, generate
from generator.render import fmt
from generator.workers import running
from tests.conftest import minimal, write_spec


def _sigint_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_leave_ctrl_c_to_the_parent() -> None:
    with running(2) as pool:
        assert pool.submit(_sigint_ignored).result() is True


def test_a_failing_block_cancels_what_has_not_started() -> None:
    futures: list[Any] = []
    with pytest.raises(KeyboardInterrupt), running(2) as pool:
        futures.extend(pool.submit(time.sleep, 0.2) for _ in range(40))
        raise KeyboardInterrupt
    deadline = time.monotonic() + 60  # the executor cancels them in its own thread
    while not all(f.done() for f in futures) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sum(f.cancelled() for f in futures) >= 30


def _generate_in(spec: str, out: str) -> int:
    return generate(Config(spec=Path(spec), output=Path(out), package_name="daemon_sdk")).operations


def test_generate_inside_a_daemonic_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document is "big" here, so both the validation and black would use workers."""
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(importlib.import_module("generator.loader.validate"), "BACKGROUND_BYTES", 0)
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    ops = {f"/r{i}": {"get": {"operationId": f"get{i}", "responses": {"204": {"description": "ok"}}}} for i in range(3)}
    spec = write_spec(tmp_path / "spec", minimal(ops))
    with multiprocessing.get_context("fork").Pool(1) as pool:  # its workers are daemonic
        assert pool.apply(_generate_in, (str(spec), str(tmp_path / "out"))) == 3
    assert (tmp_path / "out" / "daemon_sdk" / "daemon_sdk" / "__init__.py").is_file()
