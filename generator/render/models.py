"""Code fragments for ``types/``: one module per declaration (or per recursive group)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..ir.nodes import Alias, Api, Decl, Enum, Field, Model
from ..ir.types import ANY, DeclRef, LiteralOf, Nullable, TypeContext, print_checks, print_type, references
from ..naming import MODEL_HELPERS
from .imports import Imports
from .layout import WIDTH, annotated, assigned, names_list, split_expr
from .text import docstring, py_literal


@dataclass(frozen=True, slots=True)
class FieldCode:
    name: str
    annotation: str
    default: str  # "" or " = ..." text
    doc: str  # escaped docstring body or ""
    line: str  # the whole statement, laid out as black would (lines after the first indented)


@dataclass(frozen=True, slots=True)
class DeclCode:
    kind: str  # model | enum | alias
    name: str
    value: str  # alias / enum right-hand side
    doc: str
    fields: tuple[FieldCode, ...] = ()
    extra: str = ""  # annotation of the values of undeclared properties, when typed
    annotation: str = ""  # ``: TypeAlias`` where mypy would not read the assignment as an alias
    base: str = ""  # a model's base class, as its module names it
    class_vars: tuple[str, ...] = ()  # ``__closed__ = True``, ``__constraints__ = ...``


@dataclass(frozen=True, slots=True)
class ModelModule:
    module: str
    imports: tuple[str, ...]
    decls: tuple[DeclCode, ...]
    rebuild: tuple[str, ...]
    exports: str  # the ``__all__`` statement
    deps: tuple[str, ...] = ()  # the other type modules this one imports
    field: str = "Field"  # pydantic's ``Field``, as this module names it (see ``helper_renames``)


def decl_refs(api: Api) -> dict[str, DeclRef]:
    refs: dict[str, DeclRef] = {}
    for d in api.decls:
        if isinstance(d, Model):
            refs[d.key] = DeclRef(d.name, d.module, "model")
        elif isinstance(d, Enum):
            refs[d.key] = DeclRef(d.name, d.module, "enum", d.base)
        else:
            refs[d.key] = DeclRef(d.name, d.module, "alias")
    return refs


def model_modules(api: Api, refs: dict[str, DeclRef]) -> list[ModelModule]:
    by_module: dict[str, list[Decl]] = {}
    for d in api.decls:
        by_module.setdefault(d.module, []).append(d)
    grouped = {key for group in api.groups for key in group}
    self_aliases = alias_cycles(api)
    out = []
    for module, decls in by_module.items():
        quote = frozenset(d.key for d in decls if d.key in grouped)
        renames = helper_renames(decls, refs)
        ctx = TypeContext(decls=refs, response=True, quote=quote, local_module=module, renames=renames)
        codes = tuple(_decl_code(d, ctx, d.key in self_aliases) for d in decls)
        imports = Imports()
        field_name = renames.get("Field", "Field")
        if any(isinstance(d, Alias) and d.key in quote for d in decls):
            ctx.helper("typing_extensions", "TypeAliasType")
        if any(c.annotation for c in codes):
            ctx.helper("typing_extensions", "TypeAlias")
        for base in sorted({_base(d) for d in decls if isinstance(d, Model)}):
            ctx.helper(".._models", base)
        if any(c.extra or (c.fields and any(f"{field_name}(" in f.default for f in c.fields)) for c in codes):
            ctx.helper("pydantic", "Field")
        imports.absorb(ctx)
        rebuild = tuple(d.name for d in decls if isinstance(d, Model) and quote)
        exports = names_list("__all__", [d.name for d in decls], py_literal)
        deps = tuple(sorted({m[1:] for m, _ in ctx.imports if m.startswith(".") and not m.startswith("..")}))
        out.append(ModelModule(module, tuple(imports.lines()), codes, rebuild, exports, deps, field_name))
    return out


def helper_renames(decls: list[Decl], refs: dict[str, DeclRef]) -> dict[str, str]:
    """The helpers (``naming.MODEL_HELPERS``) a type module imports under a private name: those
    named like a declaration it defines or imports (a schema called ``Tag`` or ``Field``)."""
    names = {str(d.name) for d in decls}
    for d in decls:
        types = [f.type for f in d.fields] + ([d.extra] if d.extra else []) if isinstance(d, Model) else []
        types += [d.target] if isinstance(d, Alias) else []
        names |= {str(refs[k].name) for t in types for k in references(t) if k in refs}
    return {n: "_" + n for n in sorted(names & MODEL_HELPERS)}


# Type modules import the modules of the types they use, and each nested import costs the
# interpreter several stack frames: a chain of a few hundred models importing models would
# exceed Python's recursion limit on first use.  Modules deeper than this get their direct
# imports listed in ``types/__init__``, which loads them deepest first, without nesting.
CHAIN_DEPTH = 24


def import_chains(modules: list[ModelModule]) -> dict[str, tuple[str, ...]]:
    """The direct imports of every type module more than ``CHAIN_DEPTH`` imports deep."""
    deps = {m.module: m.deps for m in modules}
    depth: dict[str, int] = {}
    for root in deps:
        stack = [(root, False)]
        while stack:
            module, expanded = stack.pop()
            if expanded:
                depth[module] = 1 + max((depth.get(d, 0) for d in deps.get(module, ())), default=-1)
            elif module not in depth:
                depth[module] = 0  # in progress: a cycle (never made across modules) stops here
                stack.append((module, True))
                stack.extend((d, False) for d in deps.get(module, ()) if d not in depth)
    return {m: deps[m] for m in sorted(deps) if depth[m] > CHAIN_DEPTH}


def alias_cycles(api: Api) -> set[str]:
    """Aliases that reach themselves through aliases only (``Json = Union[str, List[Json]]``):
    mypy cannot resolve such a ``TypeAliasType`` unless its value is one string."""
    targets = {d.key: d.target for d in api.decls if isinstance(d, Alias)}
    out: set[str] = set()
    for key, target in targets.items():
        pending, seen = sorted(references(target)), set()
        while pending:
            current = pending.pop()
            if current == key:
                out.add(key)
                break
            if current in seen or current not in targets:
                continue
            seen.add(current)
            pending.extend(references(targets[current]))
    return out


def _decl_code(d: Decl, ctx: TypeContext, self_alias: bool = False) -> DeclCode:
    doc = docstring(d.doc, "    ") if d.doc else ""
    if isinstance(d, Enum):
        value = print_type(LiteralOf(d.values), ctx.direction(response=False))
        value = assigned(d.name, value)[len(d.name) + 3 :]
        return DeclCode("enum", d.name, value, docstring(d.doc) if d.doc else "")
    if isinstance(d, Alias):
        if self_alias:
            # The whole value as one forward reference: mypy resolves the cycle then.
            value = py_literal(print_type(d.target, replace(ctx, quote=frozenset())))
        else:
            value = print_type(d.target, ctx)
        # ``X = None`` or ``X = "Y"`` is a variable to mypy, not a type alias.
        type_alias = ctx.renames.get("TypeAlias", "TypeAlias")
        annotation = f": {type_alias}" if value == "None" or value.startswith('"') else ""
        if d.key in ctx.quote:
            # A recursive alias needs a real alias object for its self-references to resolve.
            value = f"{ctx.renames.get('TypeAliasType', 'TypeAliasType')}({py_literal(d.name)}, {value})"
            annotation = ""
        value = assigned(d.name + annotation, value)[len(d.name + annotation) + 3 :]
        return DeclCode("alias", d.name, value, docstring(d.doc) if d.doc else "", annotation=annotation)
    extra = ""
    if d.extra is not None and d.extra != ANY:
        extra = f"{ctx.typing('Dict')}[str, {print_type(d.extra, ctx)}]"
    fields = tuple(_field_code(f, ctx) for f in d.fields)
    class_vars = ["__closed__ = True"] if d.closed else []
    if d.checks:
        class_vars.append(f"__constraints__ = {print_checks(d.checks, ctx)}")
    if d.variants:
        class_vars.append(f"__variants__ = {py_literal([list(v) for v in d.variants])}")
        class_vars += ["__exclusive__ = True"] if d.exclusive else []
    base = ctx.renames.get(_base(d), _base(d))
    return DeclCode("model", d.name, "", doc, fields, extra, base=base, class_vars=tuple(class_vars))


def _base(d: Model) -> str:
    """The runtime's base of a model: ``CheckedModel`` when its properties are limited as a whole."""
    return "CheckedModel" if d.closed or d.checks or d.variants else "BaseModel"


def _field_code(f: Field, ctx: TypeContext) -> FieldCode:
    t = f.type
    if not f.required and not isinstance(t, Nullable) and t != ANY:
        t = Nullable(t)
    annotation = print_type(t, ctx)
    fc = ctx.renames.get("Field", "Field") + "("  # pydantic's Field, as this module names it
    alias = f.wire != f.name
    if f.required:
        default = f" = {fc}alias={py_literal(f.wire)})" if alias else ""
    else:
        default = f" = {fc}default=None, alias={py_literal(f.wire)})" if alias else " = None"
    if not default.startswith(f" = {fc}"):
        line = annotated(f.name, annotation, default.removeprefix(" = "), "    ")
        return FieldCode(f.name, annotation, default, field_doc(f), line)
    head = f"    {f.name}: {annotation} = {fc}"
    line = f"{f.name}: {annotation}{default}"
    if len(head) + len(default) - len(f" = {fc}") > WIDTH:
        args = default[len(f" = {fc}") : -1]
        call = default.removeprefix(" = ")
        if len(head) <= WIDTH and 8 + len(args) <= WIDTH:
            default = f" = {fc}\n        {args}\n    )"  # black's right-hand split
            line = f"{f.name}: {annotation}{default}"
        elif "[" in annotation and len(f"    {f.name}: {annotation} = (") <= WIDTH and 8 + len(call) <= WIDTH:
            line = f"{f.name}: {annotation} = (\n        {call}\n    )"
        elif len(head) > WIDTH:
            line = "\n".join(split_expr(f"{f.name}: ", annotation, default, "    "))[4:]
    return FieldCode(f.name, annotation, default, field_doc(f), line)


def field_doc(f: Field) -> str:
    parts = []
    if f.deprecated:
        parts.append("Deprecated.")
    if f.doc:
        parts.append(f.doc)
    if f.has_default and f.default is not None and not isinstance(f.default, (dict, list)):
        parts.append(f"Server default: {py_literal(f.default)}.")
    return docstring("\n\n".join(parts), "    ") if parts else ""
