"""Join the spec diff to the generated SDKs: generate both packages in memory, load their
public API with griffe, and compare.

griffe's ``find_breaking_changes`` finds removed objects and parameter changes; griffe does not
compare annotations yet, so return and attribute annotations are compared here as text (after
replacing the names of schemas the spec diff saw renamed).  Every SDK change that no spec
change explains (by symbol) is reported on its own, as an SDK-level change: a class renamed by
a naming collision, a method that now returns a pager, anything the spec rules miss.

The join only ever adds: an SDK change is folded into a spec change (its symbol added there)
only when that spec change is at least as severe; a harmless spec change on the same method
(an error status no longer documented, a new optional property) never silences it.
"""

from __future__ import annotations

import logging
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import griffe

from .changes import BREAKING, Change, Severity, Where
from .sides import SideModel


@dataclass(frozen=True, slots=True)
class SdkFinding:
    rule: str
    symbol: str
    message: str
    kind: str = "other"  # "return" | "attribute" | "other"
    before: str = ""  # annotations, for type changes
    after: str = ""


@contextmanager
def _quiet() -> Iterator[None]:
    logger = logging.getLogger("griffe")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def load_package(files: dict[str, bytes], package: str, folder: Path) -> Any:
    for path, data in files.items():
        if path.startswith(package + "/") and path.endswith((".py", ".typed")):
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    with _quiet():
        return griffe.load(package, search_paths=[str(folder)], allow_inspection=False, resolve_aliases=False)


def sdk_changes(
    old: SideModel, new: SideModel, old_files: dict[str, bytes], new_files: dict[str, bytes], spec: list[Change]
) -> list[Change]:
    """The spec changes with the SDK symbols they explain added, then every SDK change that no
    spec change of at least its severity explains, each on its own."""
    package = new.symbols.package
    with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as tmp:
        before = load_package(old_files, package, Path(tmp, "old"))
        after = load_package(new_files, package, Path(tmp, "new"))
        with _quiet():
            findings = list(_breakages(before, after, old, new))
            findings += _annotations(before, after, old, new, _renamed_classes(spec))
    return join(spec, findings)


def join(spec: list[Change], findings: list[SdkFinding]) -> list[Change]:
    gone, came = _type_names(spec)
    extra: dict[int, list[str]] = {}
    out: dict[tuple[str, str], Change] = {}
    for f in findings:
        if (f.rule, f.symbol) in out:
            continue
        by = explained_by(f.symbol, f.kind, spec, BREAKING)
        if by is not None:
            if f.symbol not in spec[by].symbols:
                extra.setdefault(by, []).append(f.symbol)
            continue
        if _same_shape(f, gone, came):
            continue
        out[(f.rule, f.symbol)] = Change(f.rule, BREAKING, f.message, Where(), (f.symbol,), sdk_only=True)
    joined = [
        replace(c, symbols=tuple(dict.fromkeys((*c.symbols, *extra[i])))) if i in extra else c
        for i, c in enumerate(spec)
    ]
    return joined + list(out.values())


def explained(symbol: str, kind: str, spec: list[Change], severity: Severity = BREAKING) -> bool:
    return explained_by(symbol, kind, spec, severity) is not None


def explained_by(symbol: str, kind: str, spec: list[Change], severity: Severity) -> int | None:
    """The index of a spec change at least as severe as ``severity`` that names ``symbol`` (or
    the method or type it belongs to)."""
    symbol = symbol.replace(".__init__(", "(")  # the client's arguments: Client(api_key=...)
    for i, change in enumerate(spec):
        if change.severity.rank < severity.rank and not (
            kind in ("attribute", "return") and symbol in change.symbols and _types(change.rule)
        ):
            continue  # a harmless change on the same method explains nothing breaking
        for s in change.symbols:
            if not s:
                continue
            if symbol.startswith((s + ".", s + "(")):
                return i
            if symbol == s and (
                kind != "return" or change.direction == "response" or change.rule.startswith("operation-")
            ):
                return i
    return None


_TYPE_RULES = (
    "type-changed",
    "enum-value-",
    "union-variant-",
    "nullable",
    "became-optional",
    "became-required",
    "response-body-",
    "response-media-type-",
)


def _types(rule: str) -> bool:
    """A spec rule about the type of the very symbol whose annotation changed: the same fact,
    judged by the spec rule (a response enum value added widens ``Literal[...]`` in an open
    enum: possibly breaking, not breaking)."""
    return any(part in rule for part in _TYPE_RULES)


def _breakages(before: Any, after: Any, old: SideModel, new: SideModel) -> Iterator[SdkFinding]:
    for b in griffe.find_breaking_changes(before, after):
        kind = b.kind.name.lower().replace("_", "-")
        path = b.obj.path
        index = old.symbols if b.kind is griffe.BreakageKind.OBJECT_REMOVED else new.symbols
        symbol = index.public(path)
        param = b.old_value if isinstance(b.old_value, griffe.Parameter) else b.new_value
        if isinstance(param, griffe.Parameter):
            symbol = f"{symbol}({param.name}=...)"
        what = "return" if b.kind is griffe.BreakageKind.RETURN_CHANGED_TYPE else "other"
        yield SdkFinding(f"sdk-{kind}", symbol, f"{symbol}: {b.kind.value.lower()}", what)


def _annotations(
    before: Any, after: Any, old: SideModel, new: SideModel, renames: dict[str, str]
) -> Iterator[SdkFinding]:
    olds = dict(_typed_members(before))
    for path, (kind, text) in _typed_members(after):
        prior = olds.get(path)
        if prior is None or prior[0] != kind or _rename(prior[1], renames) == text:
            continue
        symbol = new.symbols.public(path)
        noun = "return type" if kind == "return" else "type"
        message = f"{symbol}: {noun} changed from {prior[1]} to {text}"
        yield SdkFinding(f"sdk-{kind}-type-changed", symbol, message, kind, prior[1], text)


def _typed_members(package: Any) -> Iterator[tuple[str, tuple[str, str]]]:
    """(path, (kind, annotation)) of every public function and attribute of the resources and
    types modules, and of the client classes."""
    stack = [package[name] for name in ("resources", "types", "_client") if name in package.members]
    while stack:
        obj = stack.pop()
        for name, member in obj.members.items():
            if member.is_alias or name.startswith("_"):
                continue
            if member.is_module or member.is_class:
                stack.append(member)
            elif member.is_function and member.returns is not None:
                yield member.path, ("return", str(member.returns))
            elif member.is_attribute and member.annotation is not None:
                yield member.path, ("attribute", str(member.annotation))


def _type_names(spec: list[Change]) -> tuple[set[str], set[str]]:
    """Class names of SDK types the spec diff reports gone (removed, renamed) and new."""
    gone: set[str] = set()
    came: set[str] = set()
    for c in spec:
        names = [s.rsplit(".", 1)[-1] for s in c.symbols]
        if c.rule in ("schema-removed", "schema-renamed") and names:
            gone.add(names[0])
        if c.rule in ("schema-added", "schema-renamed") and names:
            came.add(names[-1])
    return gone, came


def _same_shape(f: SdkFinding, gone: set[str], came: set[str]) -> bool:
    """An annotation that only swaps a type reported gone for one reported new, keeping its
    shape (``Optional[V2Mapping]`` → ``Optional[Mapping]``), is explained by those reports.
    A new shape (``Envelope`` → ``SyncPage[Item]``) is not."""
    if not f.before or not (gone and came):
        return False
    before = _IDENT.sub(lambda m: "T" if m.group(0) in gone else m.group(0), f.before)
    after = _IDENT.sub(lambda m: "T" if m.group(0) in came else m.group(0), f.after)
    return before == after and before != f.before


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _renamed_classes(spec: list[Change]) -> dict[str, str]:
    out = {}
    for change in spec:
        if change.rule == "schema-renamed" and len(change.symbols) == 2:
            out[change.symbols[0].rsplit(".", 1)[-1]] = change.symbols[1].rsplit(".", 1)[-1]
    return out


def _rename(text: str, renames: dict[str, str]) -> str:
    if not renames:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: renames[m.group(1)], text)
