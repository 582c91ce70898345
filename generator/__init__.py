"""sdkgen: OpenAPI → typed Python SDKs, kept honest as the API changes.

The public API is small: ``generate`` / ``build`` with a ``Config``, and the diagnostic types.
"""

from ._version import __version__
from .config import Config, ConfigError, load_targets
from .diagnostics import Diagnostic, Level, SpecError
from .pipeline import Result, build, generate

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
