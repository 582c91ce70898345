"""Python string literals for spec text: ``repr``-exact, pure ASCII, in black's quote style.

Everything printed here is a literal and nothing else: the text goes through ``repr``, so
quotes, backslashes and line breaks are escaped; every non-ASCII character becomes an escape
too, so no bidi control or line separator reaches a generated file raw.  Double quotes are
chosen when the text has none (black's preference), so black has nothing to change.
"""

from __future__ import annotations


def py_str(text: str) -> str:
    literal = repr(text).encode("ascii", "backslashreplace").decode("ascii")
    if literal.startswith("'") and '"' not in literal:
        return '"' + literal[1:-1] + '"'
    return literal
