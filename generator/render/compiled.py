"""The last check before anything is written: every generated module compiles.

black parses each module, but a module can parse and still not compile: a parameter list
with the same name twice, ``return`` outside a function, a ``nonlocal`` with nothing to bind
are found by the compiler's later passes only.  A generated module that does not compile is a
bug of sdkgen, never of the document, and must never be written with exit 0: ``check_compiles``
compiles each one (to bytecode, in memory; nothing is imported or executed) and raises
``CompileError`` with the module and the compiler's message.

The static runtime modules are copied verbatim, and compiled by their own tests: they are left
out here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["CompileError", "check_compiles"]


class CompileError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def check_compiles(files: Mapping[str, str], skip: Iterable[str] = ()) -> None:
    """Compile every ``.py`` file of ``files`` (path → text) but those in ``skip``; raise
    ``CompileError`` on the first, in path order, that does not compile."""
    left_out = frozenset(skip)
    for path in sorted(files):
        if not path.endswith(".py") or path in left_out:
            continue
        try:
            compile(files[path], path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            raise CompileError(path, _describe(exc)) from None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"{type(exc).__name__}: {exc.msg}{where}"
    return f"{type(exc).__name__}: {str(exc)[:200]}"
