"""Escaping: the only way spec text reaches generated files.

* ``py_literal``: any JSON value as a Python literal (``repr``-based, so quotes, backslashes,
  control characters, line separators and bidi controls come out as escapes);
* ``docstring``: a triple-quoted docstring body that cannot end early or smuggle code;
* ``comment``: one line of comment text (no character Python would treat as a line end);
* ``toml_str``: a TOML basic string;
* ``md_text`` / ``md_paragraphs``: Markdown prose with every markup character escaped;
* ``md_code``: an inline code span; ``md_py_literal``: a literal safe inside a fenced block.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from typing import Any

from ..literals import py_literal as py_literal
from ..literals import py_str

# Everything str.splitlines() splits on, so no spec text can start a new line of code.
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _visible(ch: str) -> bool:
    """Characters allowed verbatim in comments and docstrings."""
    if ch == "\t":
        return True
    category = unicodedata.category(ch)
    return not (category.startswith("C") or category in ("Zl", "Zp"))


# The ASCII characters ``_visible`` refuses (categories Cc): the whole test for ASCII text.
_ASCII_HIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def clean_line(text: str) -> str:
    """Drop control, format (bidi) and separator characters from a single line."""
    if text.isascii():
        return _ASCII_HIDDEN.sub("", text).replace("\t", " ")
    return "".join(ch if _visible(ch) else "" for ch in text).replace("\t", " ")


def _ascii_repr(text: str) -> str:
    """``repr`` with every non-ASCII character escaped: output files are pure ASCII."""
    return py_str(text)


CLOSING_WIDTH = 100  # black's line length for generated code (render/fmt.py)


def docstring(text: str, indent: str = "", width: int = 88) -> str:
    """The body of a ``\"\"\"docstring\"\"\"`` (without the quotes), wrapped and escaped."""
    paragraphs = []
    for raw_line in _LINE_BREAKS.split(text.strip()):
        line = clean_line(raw_line).rstrip()
        paragraphs.append(line)
    body = "\n".join(paragraphs).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    lines = []
    for line in body.split("\n"):
        if len(line) > width and not line.lstrip().startswith(("|", "-", "*", "```")):
            lead = line[: len(line) - len(line.lstrip())]
            hang = lead + "  " if lead else ""  # an indented line (an argument) keeps a hanging indent
            wrapped = textwrap.wrap(line, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False)
            lines.extend(wrapped or [""])
        else:
            lines.append(line)
    escaped = "\n".join(_dedent(lines)).replace("\\", "\\\\")
    # A run of three quotes would close the docstring, and so would a quote at the very end
    # (it merges with the closing quotes): escape every quote of such a run.
    escaped = re.sub(r'"{3,}|"+$', lambda m: '\\"' * len(m.group()), escaped)
    # A quote first would merge with the opening quotes (black pads it with a space): escape it.
    escaped = re.sub(r'^"', '\\"', escaped)
    escaped = escaped.encode("ascii", "backslashreplace").decode("ascii")
    body = "\n".join((indent + line) if line else "" for line in escaped.split("\n")).removeprefix(indent)
    pad = " " if body.endswith('"') else ""  # as black pads a quote away from the closing quotes
    last = (body + pad).rsplit("\n", 1)
    if len(last) > 1 and len(last[1]) + 3 > CLOSING_WIDTH:
        return body + "\n" + indent  # black's rule: closing quotes that do not fit go on their own line
    return body + pad


def _dedent(lines: list[str]) -> list[str]:
    """What black does to a docstring's lines (PEP 257): the first stripped, the common
    indentation of the others removed, leading tabs counted as four columns."""
    lines = [_expand_lead(line) for line in lines]
    common = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
    return [lines[0].strip()] + [line[common:] for line in lines[1:]]


def _expand_lead(line: str) -> str:
    stripped = line.lstrip()
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped if stripped else line


def comment(text: str, limit: int = 200) -> str:
    """One line of comment text."""
    line = " ".join(clean_line(part) for part in _LINE_BREAKS.split(text)).strip()
    line = line.encode("ascii", "backslashreplace").decode("ascii")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def toml_str(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code & 0xFFFF:04X}" if code < 0xD800 else "\\uFFFD")
        elif code > 0x7E:
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def md_text(text: str) -> str:
    """Markdown prose: one paragraph, every markup character escaped."""
    line = " ".join(clean_line(part) for part in _LINE_BREAKS.split(text)).strip()
    return _MD_SPECIAL.sub(r"\\\1", line)


def md_code(text: str) -> str:
    """An inline code span on one line; backticks inside are kept, delimited by a longer run."""
    line = " ".join(clean_line(part) for part in _LINE_BREAKS.split(text))
    if "`" not in line:
        return f"`{line}`"
    fence = "`" * (max(len(run) for run in re.findall(r"`+", line)) + 1)
    return f"{fence} {line} {fence}"


def md_paragraphs(text: str) -> str:
    """Markdown prose that keeps the spec's paragraph breaks; each paragraph as ``md_text``."""
    paragraphs = re.split(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)\s*", text.strip())
    return "\n\n".join(p for p in (md_text(part) for part in paragraphs) if p)


def md_py_literal(value: Any) -> str:
    """``py_literal`` for code inside a fenced Markdown block: backticks (which could close
    the fence) come out as ``\\x60`` escapes.  Backticks only ever occur inside the string
    literals ``py_literal`` prints, where the escape means the same character."""
    return py_literal(value).replace("`", "\\x60")
