"""Worker processes that stop with sdkgen: black's batches and a big document's validation.

A terminal's Ctrl-C reaches the whole process group.  Left to themselves, workers would die
half-way through sending a result, and the interpreter's exit would then wait for them for
ever.  So workers ignore SIGINT, and the parent, which decides, stops them (``stop``): what
has not started is cancelled; what has is finished (black's batches are short), or the worker
is terminated at once where that is safe (the validation, which took its work by fork).
"""

from __future__ import annotations

import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import current_process, get_context
from typing import Iterator


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def allowed() -> bool:
    """Whether this process may start workers: a daemonic one (a worker of the caller's own
    multiprocessing pool) may not, and then sdkgen does its work in-process."""
    return not current_process().daemon


def pool(processes: int, method: str | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers leave Ctrl-C to the parent (``method``: fork, spawn...)."""
    return ProcessPoolExecutor(processes, mp_context=get_context(method), initializer=_ignore_interrupts)


def stop(executor: ProcessPoolExecutor, *, kill: bool = False) -> None:
    """Cancel what has not started; with ``kill``, terminate the workers too.  Only a pool whose
    work went to its workers by fork may be killed: a worker killed while the parent still
    feeds it arguments would leave the parent's feeder thread, and so its exit, blocked."""
    processes = list((getattr(executor, "_processes", None) or {}).values()) if kill else []
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


@contextmanager
def running(processes: int) -> Iterator[ProcessPoolExecutor]:
    """``with running(n) as p:`` a pool that is shut down after the block, and stopped (what
    has not started is cancelled) if the block raises, Ctrl-C included."""
    executor = pool(processes)
    try:
        yield executor
    except BaseException:
        stop(executor)
        raise
    executor.shutdown(wait=True)
