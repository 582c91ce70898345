"""sdkgen: OpenAPI → typed Python SDKs, kept honest as the API changes.

The public API is small: ``generate`` / ``build`` with a ``Config``, and the diagnostic types.
Each is imported on first use, so that ``sdkgen`` answers (and Ctrl-C stops it) at once.
"""

from __future__ import annotations

from ._version import __version__

TYPE_CHECKING = False  # typing itself is not imported here: it costs time at startup
if TYPE_CHECKING:
    from .config import Config, ConfigError, load_targets
    from .diagnostics import Diagnostic, Level, SpecError
    from .pipeline import Result, build, generate

_HOMES = {
    "Config": "config",
    "ConfigError": "config",
    "load_targets": "config",
    "Diagnostic": "diagnostics",
    "Level": "diagnostics",
    "SpecError": "diagnostics",
    "Result": "pipeline",
    "build": "pipeline",
    "generate": "pipeline",
}

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "Level",
    "Result",
    "SpecError",
    "__version__",
    "build",
    "generate",
    "load_targets",
]


def __getattr__(name: str) -> object:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
