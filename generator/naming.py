"""The one place that turns spec names into Python identifiers.

Every identifier in generated code is minted here: snake_case for modules, methods,
parameters and fields, PascalCase for classes.  The rules:

* Words are split on separators, camelCase humps and letter/digit boundaries; non-ASCII
  letters are folded to ASCII where Unicode knows how (``é`` → ``e``), anything else
  becomes a hex word (``中`` → ``x4e2d``), so output is pure ASCII and two names can never
  become equal after the interpreter's NFKC normalization.
* A name that starts with a digit gets a per-kind prefix; a keyword, a reserved name or
  an empty name gets a suffix or fallback; a name that collides with one already minted
  in its scope gets ``_2``, ``_3``…  Nothing is dropped or merged.
* Names are capped so that file names stay far below 255 bytes.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, NewType

Ident = NewType("Ident", str)
"""A valid, ASCII Python identifier minted by this module."""

Style = Literal["snake", "pascal", "upper"]

MAX_LEN = 80

_HUMP = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) - {"_"}
# Names a class body or module may not use for a field because pydantic owns them.
PYDANTIC_RESERVED = frozenset(
    name for name in dir(__import__("pydantic").BaseModel) if not name.startswith("__")
) | frozenset({"model_config", "model_fields", "model_computed_fields", "schema", "fields"})
# Module-level names the generated modules import; snake_case identifiers must not shadow them.
IMPORTED_NAMES = frozenset(
    {"datetime", "date", "typing", "httpx", "pydantic", "builtins", "annotations", "self", "cls"}
)
# Builtins that generated annotations mention: a class attribute (field, method) with one of
# these names would change what later annotations in the same class body mean.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "object", "type"})
# Windows refuses these as file stems, whatever the extension.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
BUILTIN_NAMES = frozenset(dir(builtins))


def _fold(text: str) -> str:
    """ASCII-fold: strip accents, turn other non-ASCII characters into separate hex words."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif unicodedata.combining(ch):
            continue
        elif ch.isalnum():
            out.append(f" x{ord(ch):x} ")
        else:
            out.append(" ")
    return "".join(out)


def words(name: str) -> list[str]:
    """Split any spec name into lower-case ASCII words."""
    return [w.lower() for w in _HUMP.findall(_fold(name))]


def _cap(name: str) -> str:
    if len(name) <= MAX_LEN:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[: MAX_LEN - 9].rstrip("_") + "_" + digest


def convert(name: str, style: Style) -> str:
    """Convert without any scope: may return "" for a name with no letters or digits."""
    parts = words(name)
    if style == "pascal":
        out = "".join(p[:1].upper() + p[1:] for p in parts)
    elif style == "upper":
        out = "_".join(parts).upper()
    else:
        out = "_".join(parts)
    return _cap(out)


@dataclass(slots=True)
class Scope:
    """A namespace in generated code: a module, a class body, a parameter list."""

    style: Style = "snake"
    reserved: frozenset[str] = frozenset()
    digit_prefix: str = "n"
    fallback: str = "value"
    casefold: bool = False  # file names: collide regardless of case
    _used: set[str] = field(default_factory=set)

    def _key(self, name: str) -> str:
        return name.casefold() if self.casefold else name

    def _taken(self, name: str) -> bool:
        return (
            self._key(name) in self._used
            or name in self.reserved
            or name in KEYWORDS
            or name in {"None", "True", "False"}
            or (self.casefold and name.casefold() in WINDOWS_DEVICES)
        )

    def claim(self, name: str) -> None:
        """Mark a fixed name (e.g. a static module) as used."""
        self._used.add(self._key(name))

    def mint(self, wire: str) -> Ident:
        base = convert(wire, self.style) or convert(self.fallback, self.style)
        if base[0].isdigit():
            base = convert(self.digit_prefix, self.style) + ("_" if self.style != "pascal" else "") + base
        candidate = base
        if self._taken(candidate):
            candidate = base + "_"
        counter = 2
        while self._taken(candidate):
            candidate = f"{base}_{counter}"
            counter += 1
        assert candidate.isidentifier() and candidate.isascii(), candidate
        self._used.add(self._key(candidate))
        return Ident(candidate)

    def mint_all(self, wires: list[str]) -> dict[str, Ident]:
        """Mint names for distinct wire names at once (see ``mint_list``)."""
        unique = list(dict.fromkeys(wires))
        return dict(zip(unique, self.mint_list(unique), strict=False))

    def mint_list(self, wires: list[str]) -> list[Ident]:
        """Mint one name per entry, aligned with the input; a wire name that is already its
        own Python name wins.

        ``fooBar`` and ``foo_bar`` both convert to ``foo_bar``: the wire name ``foo_bar`` gets it
        and ``fooBar`` gets ``foo_bar_2``, whatever order they were declared in.
        """
        result: list[Ident | None] = [None] * len(wires)
        exact = [i for i, w in enumerate(wires) if convert(w, self.style) == w]
        exact_set = set(exact)
        for i in exact + [i for i in range(len(wires)) if i not in exact_set]:
            result[i] = self.mint(wires[i])
        return [r for r in result if r is not None]


def class_scope(reserved: frozenset[str] = frozenset()) -> Scope:
    return Scope(
        style="pascal",
        reserved=reserved | frozenset({"Any", "Dict", "List", "Literal", "Optional", "Union", "BaseModel", "Field"}),
        digit_prefix="model",
        fallback="model",
    )


def field_scope() -> Scope:
    return Scope(
        style="snake",
        reserved=PYDANTIC_RESERVED | IMPORTED_NAMES | ANNOTATION_BUILTINS,
        digit_prefix="field",
        fallback="field",
    )


def module_scope(reserved: frozenset[str] = frozenset()) -> Scope:
    return Scope(
        style="snake",
        reserved=reserved | IMPORTED_NAMES,
        digit_prefix="m",
        fallback="module",
        casefold=True,
    )
