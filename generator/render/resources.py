"""Code fragments for ``resources/``: one module per resource, sync and async classes from
the same nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import quote

from ..ir.nodes import Api, Operation, Param, Resource, Server
from ..ir.printed import printed_names
from ..ir.types import ANY, Constrained, DeclRef, Nullable, TypeContext, TypeRef, has_checks, print_type
from ..naming import REQUEST_OPTIONS_ORDER, resource_companions
from .imports import Imports, member_key
from .layout import WIDTH, annotated, bracketed, import_from, names_list, split_expr
from .streams import events_arg, stream_method
from .text import docstring, py_literal
from .uploads import upload_annotation

# The per-call tail: its names and order are the runtime's (``naming.REQUEST_OPTIONS_ORDER``, read
# from ``BaseClient._prepare``); here only how each is declared in a generated signature.
_TAIL_TYPES = {
    "extra_headers": "Optional[Headers] = None",
    "extra_query": "Optional[Query] = None",
    "extra_body": "Optional[Body] = None",
    "timeout": "Union[float, httpx.Timeout, None, NotGiven] = NOT_GIVEN",
    "max_retries": "Union[int, NotGiven] = NOT_GIVEN",
}
TAIL = tuple(f"{n}: {_TAIL_TYPES[n]}" for n in REQUEST_OPTIONS_ORDER)
TAIL_CALL = tuple(f"{n}={n}" for n in REQUEST_OPTIONS_ORDER)


@dataclass(frozen=True, slots=True)
class MethodCode:
    name: str
    params: tuple[str, ...]  # signature entries after ``self``
    returns: str  # the return annotation; ``cast`` gets it as a string (nothing to evaluate)
    doc: str
    endpoint: str  # name of the module-level Endpoint constant
    call: tuple[str, ...]  # arguments of ``request``
    has_result: bool
    # Paginated operations return a pager over the items; ``returns`` is then the page model.
    pager_returns: tuple[str, str] | None = None  # (sync, async) return annotations
    pager_args: str = ""  # keyword arguments of the pager after the fetch function
    raw_wrapper: str = "to_raw_response_wrapper"
    # Server-sent events: the (sync, async) return annotations, and ``@overload`` stubs
    stream_returns: tuple[str, str] | None = None
    overloads: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    @property
    def sig_end(self) -> tuple[str, str]:
        """The line closing the signature, ``) -> returns:`` (sync, async), laid out."""
        if self.stream_returns is not None:
            return (
                _lines(") -> ", self.stream_returns[0], ":", "    "),
                _lines(") -> ", self.stream_returns[1], ":", "    "),
            )
        if self.pager_returns is None:
            return (_lines(") -> ", self.returns, ":", "    "),) * 2
        return (
            _lines(") -> ", self.pager_returns[0], ":", "    "),
            _lines(") -> ", self.pager_returns[1], ":", "    "),
        )

    @property
    def cast(self) -> str:
        """The first argument of ``cast(``: the return type as a string (postponed, like every
        annotation of the module, so that the models load on first use)."""
        return py_literal(self.returns)

    @property
    def casts(self) -> tuple[str, str]:
        """``cast``'s first argument for the sync and the async method."""
        if self.stream_returns is not None:
            return py_literal(self.stream_returns[0]), py_literal(self.stream_returns[1])
        return self.cast, self.cast

    @property
    def fetch_page(self) -> tuple[str, str]:
        """``def _fetch_page(...) -> page:`` of a pager (sync, async)."""
        return (_fetch_page("def ", self.returns), _fetch_page("async def ", self.returns))

    @property
    def raw_assign(self) -> tuple[str, str]:
        """``self.m = wrapper(resource.m)`` for the sync and the async raw-response class."""
        return (_assign(self.name, self.raw_wrapper), _assign(self.name, "async_" + self.raw_wrapper))

    @property
    def stream_wrapper(self) -> str:
        return self.raw_wrapper.replace("_raw_", "_streamed_")

    @property
    def stream_assign(self) -> tuple[str, str]:
        """``self.m = wrapper(resource.m)`` for the streaming-response classes."""
        return (_assign(self.name, self.stream_wrapper), _assign(self.name, "async_" + self.stream_wrapper))


def _lines(head: str, expr: str, tail: str, indent: str) -> str:
    """``head + expr + tail`` at ``indent`` (not included), split where black would."""
    return "\n".join(split_expr(head, expr, tail, indent))[len(indent) :]


def _fetch_page(keyword: str, returns: str) -> str:
    line = f"{keyword}_fetch_page(_cursor: Optional[str]) -> {returns}:"
    if 8 + len(line) <= WIDTH:
        return line
    # black splits the parameters off first (adding the trailing comma), then the return type
    end = _lines(") -> ", returns, ":", "        ")
    return f"{keyword}_fetch_page(\n            _cursor: Optional[str],\n        {end}"


def _assign(name: str, wrapper: str) -> str:
    line = f"self.{name} = {wrapper}(resource.{name})"
    if 8 + len(line) <= WIDTH:
        return line
    if 8 + len(f"self.{name} = {wrapper}(") <= WIDTH:
        return f"self.{name} = {wrapper}(\n            resource.{name}\n        )"
    inner = f"{wrapper}(resource.{name})"
    if 12 + len(inner) <= WIDTH:
        return f"self.{name} = (\n            {inner}\n        )"
    return f"self.{name} = (\n            {wrapper}(\n                resource.{name}\n            )\n        )"


@dataclass(frozen=True, slots=True)
class ChildCode:
    attr: str
    module: str
    cls: str


@dataclass(frozen=True, slots=True)
class ResourceModule:
    module: str
    cls: str
    doc: str
    imports: tuple[str, ...]
    endpoints: tuple[str, ...]  # ``_op_x = Endpoint(...)`` statements
    child_imports: tuple[str, ...]  # TYPE_CHECKING imports of the child resources
    exports: str  # the ``__all__`` statement
    methods: tuple[MethodCode, ...]
    children: tuple[ChildCode, ...]


def all_resources(api: Api) -> list[Resource]:
    out: list[Resource] = []
    stack = list(reversed(api.resources))
    while stack:
        res = stack.pop()
        out.append(res)
        stack.extend(reversed(res.children))
    return out


def types_alias(res: Resource) -> str:
    """How the module names the types package: ``types``, so that signatures (``help()``, an
    IDE) read ``-> types.UserEnvelope``, the public ``<package>.types.UserEnvelope``; ``_t`` only
    when a method, argument or child resource of the module is itself called ``types``."""
    names = {c.attr for c in res.children}
    for op in res.operations:
        names |= {op.name, *(p.name for p in (*op.path_params, *op.params))}
        if op.body is not None:
            names |= {f.name for f in op.body.fields} | ({op.body.name} if op.body.name else set())
    return "_t" if "types" in names else "types"


def resource_module(res: Resource, refs: dict[str, DeclRef]) -> ResourceModule:
    # Models are reached through the lazily loading types package (``types.Model``) and only
    # when a call needs them: importing a resource loads no model, and so no pydantic.
    # Signatures print no value constraints: ``Endpoint(checks=...)`` carries them.
    ctx = TypeContext(decls=refs, response=False, prefix="..types.", alias=types_alias(res), checks=False)
    imports = Imports()
    imports.typing |= {"Optional", "Union"}
    imports.modules.add("httpx")
    imports.add(".._types", "NOT_GIVEN", "Body", "Headers", "NotGiven", "Query")
    imports.add(".._base_client", "Endpoint")
    imports.add(".._resource", "AsyncResource", "SyncResource")
    methods = []
    endpoints = []
    for op in res.operations:
        endpoint_name = f"_op_{op.name}"
        endpoints.append(bracketed(f"{endpoint_name} = Endpoint(", _endpoint_args(op, ctx), ")"))
        code = _method(op, endpoint_name, ctx, imports)
        methods.append(stream_method(code, op, ctx, imports) if op.response.events else code)
    if methods:
        wrappers = sorted(
            {w for m in methods for base in (m.raw_wrapper, m.stream_wrapper) for w in (base, "async_" + base)}
        )
        imports.add(".._response", "APIResponse", "AsyncAPIResponse", *wrappers)
    if any(op.server is not None for op in res.operations):
        imports.add(".._servers", "Server as _Server")
    if any(m.pager_returns for m in methods):
        imports.add("..pagination", "AsyncPager", "SyncPager")
        imports.typing.add("Optional")
    if any(m.has_result for m in methods):
        imports.typing.add("cast")
    imports.add("functools", "cached_property")
    if res.children:
        imports.typing.add("TYPE_CHECKING")
    imports.absorb(ctx)
    children = tuple(ChildCode(c.attr, c.module, c.class_name) for c in res.children)
    doc = docstring(res.doc, "    ") if res.doc else ""
    child_imports = tuple(
        import_from(
            "." + c.module,
            sorted(resource_companions(c.cls)),
            "    ",
        )
        for c in children
    )
    exports = names_list("__all__", sorted([res.class_name, "Async" + res.class_name], key=member_key), py_literal)
    return ResourceModule(
        res.module,
        res.class_name,
        doc,
        tuple(imports.lines()),
        tuple(endpoints),
        child_imports,
        exports,
        tuple(methods),
        children,
    )


def _annotation(t: TypeRef, ctx: TypeContext) -> str:
    return print_type(t, ctx)


def _method(op: Operation, endpoint: str, ctx: TypeContext, imports: Imports) -> MethodCode:
    params: list[str] = [_param(p.name, _annotation(p.type, ctx), "") for p in op.path_params]
    params.append("*")
    required: list[str] = []
    optional: list[str] = []
    for p in op.params:
        (required if p.required else optional).append(_kw(p.name, p.type, p.required, ctx))
    body_arg = ""
    # Where the arguments of ``request(...)`` sit in the template: inside ``_fetch_page`` of a
    # pager, inside ``return cast(...)``, or directly under the method.
    indent = " " * (20 if op.pagination else 16 if op.response.type is not None else 12)
    if op.body is not None:
        if op.body.fields:
            for f in op.body.fields:
                text = upload_annotation(op.body, f.type, imports)
                (required if f.required else optional).append(_kw(f.name, f.type, f.required, ctx, text))
            entries = [f"{py_literal(f.wire)}: {f.name}" for f in op.body.fields]
            body_arg = bracketed("body={", entries, "}", indent, ",")
        elif op.body.type is not None and op.body.name:
            text = upload_annotation(op.body, op.body.type, imports)
            (required if op.body.required else optional).append(
                _kw(op.body.name, op.body.type, op.body.required, ctx, text)
            )
            body_arg = f"body={op.body.name}"
    params.extend(required + optional + list(TAIL))
    response_ctx = ctx.direction(response=True)
    returns = print_type(op.response.type, response_ctx) if op.response.type is not None else "None"
    call = [endpoint, _lines("", returns, ",", indent)[:-1] if op.response.type is not None else "None"]
    call.extend(_grouped(op.path_params, "path_params", indent))
    pg = op.pagination
    cursor = {pg.cursor.wire: f"{pg.cursor.name} if _cursor is None else _cursor"} if pg else {}
    call.extend(_grouped(tuple(p for p in op.params if p.location == "query"), "query", indent, cursor))
    call.extend(_grouped(tuple(p for p in op.params if p.location == "header"), "headers", indent))
    call.extend(_grouped(tuple(p for p in op.params if p.location == "cookie"), "cookies", indent))
    if body_arg:
        call.append(body_arg)
    call.extend(TAIL_CALL)
    code = MethodCode(
        op.name, tuple(params), returns, _method_doc(op), endpoint, tuple(call), op.response.type is not None
    )
    if pg is None:
        return code
    item = print_type(pg.item_type, response_ctx)
    pager_args = f"items={py_literal(pg.items)}, next_cursor={py_literal(list(pg.next_cursor))}"
    pager_returns = (f"SyncPager[{item}, {returns}]", f"AsyncPager[{item}, {returns}]")
    return replace(code, pager_returns=pager_returns, pager_args=pager_args, raw_wrapper="to_raw_page_wrapper")


def _kw(name: str, t: TypeRef, required: bool, ctx: TypeContext, text: str | None = None) -> str:
    text = text or _annotation(t, ctx)
    if required:
        return _param(name, text, "")
    return _param(name, f"Union[{text}, NotGiven]", "NOT_GIVEN")


def _param(name: str, annotation: str, default: str) -> str:
    """A parameter of a split signature (the template adds the comma)."""
    return annotated(name, annotation, default, "        ", ",")[:-1]


def _grouped(params: tuple[Param, ...], arg: str, indent: str, values: dict[str, str] | None = None) -> list[str]:
    """``arg={"wire": name, ...}``; ``values`` replaces the expression of some wire names."""
    if not params:
        return []
    values = values or {}
    entries = [f"{py_literal(p.wire)}: {values.get(p.wire, p.name)}" for p in params]
    return [bracketed(f"{arg}={{", entries, "}", indent, ",")]


def wire_path(path: str) -> str:
    """The path template as sent: literal text percent-encoded where a URL would read it
    otherwise (``?`` starting a query, ``#`` a fragment, spaces, controls, non-ASCII), so the
    server sees the spec's path exactly; ``{name}`` placeholders are kept for the runtime."""
    parts = re.split(r"(\{[^{}]+\})", path)
    return "".join(part if i % 2 else quote(part, safe="/!$&'()*+,;=:@-._~%") for i, part in enumerate(parts))


def _endpoint_args(op: Operation, ctx: TypeContext) -> tuple[str, ...]:
    args = [py_literal(op.method), py_literal(wire_path(op.url_path or op.path))]
    if op.security:
        args.append("security=" + py_literal_tuple(op.security))
    if op.idempotency_header:
        args.append(f"idempotency_header={py_literal(op.idempotency_header)}")
    specs = [_param_spec(p) for p in (*op.path_params, *op.params) if _param_spec(p)]
    if specs:
        args.append(_tuple_arg("params", specs))
    errors = [(e.status, e.type) for e in op.errors if e.kind == "json" and e.type is not None and e.type != ANY]
    if errors:
        err_ctx = ctx.direction(response=True)
        entries = [f"{py_literal(s)}: {print_type(t, err_ctx)}" for s, t in errors]
        args.append(bracketed("errors=lambda: {", entries, "}", "    ", ","))  # evaluated when an error arrives
    if op.body is not None and op.body.kind != "json":
        args.append(f"body={py_literal(op.body.kind)}")
    if op.body is not None and _sent_type(op.body.kind, op.body.content_type) != "application/json":
        args.append(f"content_type={py_literal(_sent_type(op.body.kind, op.body.content_type))}")
    if op.body is not None and op.body.encoding:
        entries = [
            _tuple([py_literal(p), py_literal(s), repr(e), repr(r), py_literal(c)])
            for p, s, e, r, c in op.body.encoding
        ]
        args.append(_tuple_arg("encoding", entries))
    accept = ", ".join(op.response.media_types)
    if accept and accept != "application/json":
        args.append(f"accept={py_literal(accept)}")
    if op.response.kind != "json":
        args.append(f"response={py_literal(op.response.kind)}")
    if op.response.events is not None:
        args.append(events_arg(op.response.events))
    if op.fixed_query:
        args.append("fixed_query=" + _tuple([_tuple([py_literal(n), py_literal(v)]) for n, v in op.fixed_query]))
    if op.server is not None:
        args.append("server=" + server_code(op.server))
    checked = _checked_arguments(op)
    if checked:
        check_ctx = replace(ctx, checks=True)
        entries = [
            f"{_tuple([py_literal(w), py_literal(n), py_literal(a)])}: {print_type(t, check_ctx)}"
            for w, n, a, t in checked
        ]
        args.append(bracketed("checks=lambda: {", entries, "}", "    ", ","))  # evaluated by a call
    return tuple(args)


def _checked_arguments(op: Operation) -> list[tuple[str, str | None, str, TypeRef]]:
    """(where, wire name, Python argument, type) of the arguments whose types carry value
    constraints; wire name ``None`` is the whole body.  An upload (bytes, a path or a file: any
    part of a multipart, binary or text body) is not checked."""
    out: list[tuple[str, str | None, str, TypeRef]] = [
        (p.location, p.wire, p.name, p.type) for p in (*op.path_params, *op.params)
    ]
    if op.body is not None and op.body.kind in ("json", "form"):
        out += [("body", f.wire, f.name, f.type) for f in op.body.fields]
        if op.body.type is not None and op.body.name:
            out.append(("body", None, op.body.name, op.body.type))
    return [c for c in out if has_checks(c[3]) and "bytes" not in printed_names(c[3])]


_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


def _param_spec(p: Param) -> str:
    """The runtime's ``(location, name, style, explode, allowReserved, content type)`` of a
    parameter not sent as its location's default, else ``""``."""
    default = _DEFAULT_STYLE[p.location]
    if (p.style or default, p.explode, p.allow_reserved, p.content_type) == (default, default == "form", False, ""):
        return ""
    fields = [py_literal(p.location), py_literal(p.wire), py_literal(p.style or default)]
    return _tuple([*fields, repr(p.explode), repr(p.allow_reserved), py_literal(p.content_type)])


def _tuple_arg(name: str, items: list[str]) -> str:
    """``name=(item, ...)``, a tuple even of one item."""
    text = bracketed(f"{name}=(", items, ")", "    ", ",")
    return text[:-1] + ",)" if len(items) == 1 and "\n" not in text else text


def _sent_type(kind: str, media_type: str) -> str:
    """The ``Content-Type`` of a body: the declared media type; a range (``*/*``,
    ``application/*``) is no type to send, so the kind's own stands in for it."""
    main, _, sub = media_type.split(";", 1)[0].partition("/")
    if "*" not in (main.strip(), sub.strip()):  # (a ``*`` inside a name is no range)
        return media_type
    return {"json": "application/json", "text": "text/plain", "form": "application/x-www-form-urlencoded"}.get(
        kind, "application/octet-stream"
    )


def server_code(server: Server, cls: str = "_Server") -> str:
    """``_Server("https://{region}.example.com", {"region": "us"})`` (the runtime's ``Server``
    is imported under a private name: a schema or a client may be called ``Server``)."""
    if not server.variables:
        return f"{cls}({py_literal(server.url)})"
    defaults = ", ".join(f"{py_literal(v.name)}: {py_literal(v.default)}" for v in server.variables)
    return f"{cls}({py_literal(server.url)}, {{{defaults}}})"


def py_literal_tuple(value: tuple[tuple[str, ...], ...]) -> str:
    return _tuple([_tuple([py_literal(k) for k in req]) for req in value])


def _tuple(items: list[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _method_doc(op: Operation) -> str:
    parts = [op.summary.strip()] if op.summary.strip() else []
    if op.doc.strip() and op.doc.strip() != op.summary.strip():
        parts.append(op.doc.strip())
    if op.deprecated:
        parts.append("Deprecated: this operation may be removed in a future API version.")
    if op.pagination is not None:
        cursor = op.pagination.cursor.name
        parts.append(
            "Returns a pager: iterating it yields every item of every page, requesting the next page only "
            f"when needed; `.iter_pages()` yields the pages. Pass `{cursor}` to start after a known cursor."
        )
    args = []
    named = [(p.name, p.doc, p.type) for p in op.path_params + op.params]
    named += [(f.name, f.doc, f.type) for f in op.body.fields] if op.body is not None else []
    for name, doc, t in named:
        text = " ".join(s for s in (doc.strip(), describe_checks(t)) if s)
        if text:
            args.append(f"{name}: {text}")
    if args:
        parts.append("Args:\n" + "\n\n".join("  " + a.replace("\n", "\n    ") for a in args))
    text = "\n\n".join(parts) or f"{op.method.upper()} {op.path}"
    return docstring(text, "        ")


_WORDS = {
    "min_length": "at least {}",
    "max_length": "at most {}",
    "pattern": "matches {!r}",
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusive_minimum": "greater than {}",
    "exclusive_maximum": "less than {}",
    "multiple_of": "a multiple of {}",
    "min_items": "at least {}",
    "max_items": "at most {}",
    "min_properties": "at least {}",
    "max_properties": "at most {}",
}
_UNITS = {"length": "character", "items": "item", "properties": "property"}


def describe_checks(t: TypeRef) -> str:
    """The constraints an argument is checked against before sending, as docs read them
    (``At least 1, at most 100.``); "" when it has none at its top level."""
    core = t.inner if isinstance(t, Nullable) else t
    if not isinstance(core, Constrained):
        return ""
    words = [_WORDS[k].format(v) + _unit(k, v) for k, v in core.checks if k in _WORDS]
    words += ["unique items"] if dict(core.checks).get("unique_items") else []
    text = ", ".join(words)
    return text[:1].upper() + text[1:] + "." if text else ""


def _unit(keyword: str, count: object) -> str:
    """`` characters`` after a ``min_length`` of 2, `` character`` after 1; "" for bounds."""
    unit = _UNITS.get(keyword.partition("_")[2])
    if unit is None:
        return ""
    plural = unit[:-1] + "ies" if unit.endswith("y") else unit + "s"
    return " " + (unit if count == 1 else plural)
