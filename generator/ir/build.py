"""Stage 2: ``build_api`` turns a ``LoadedSpec`` into the frozen ``Api``."""

from __future__ import annotations

import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..diagnostics import Diagnostic, Diagnostics
from ..loader import LoadedSpec
from ..naming import (
    ANNOTATION_BUILTINS,
    MEMBER_RESERVED,
    Ident,
    Scope,
    class_scope,
    module_scope,
    resource_companions,
    types_scope,
    words,
)
from . import servers
from .nodes import Alias, Api, Decl, Enum, Model, Resource
from .operations import TAIL, OperationReader, RawOperation, is_token, read_security
from .pagination import paginate
from .schemas import SchemaConverter
from .security import security_schemes
from .tags import TagTree
from .types import references

# Names the templates bind besides ``naming.TEMPLATE_CLASS_NAMES`` (the runtime's exports and the
# typing names, which ``class_scope`` reserves itself); no schema or resource may take them.
RUNTIME_NAMES = frozenset(
    {"NOT_GIVEN", "TYPE_CHECKING", "Sequence", "Server", "RequestOptions", "SyncPage", "AsyncPage"}
)
RESOURCE_RESERVED = (
    frozenset({"with_raw_response", "with_streaming_response", "httpx", "cast", "cached_property"})
    | TAIL
    | ANNOTATION_BUILTINS
    | MEMBER_RESERVED
)
_TRAILING_WORDS = {
    "api",
    "apis",
    "rest",
    "openapi",
    "service",
    "spec",
    "specification",
    "client",
    "sdk",
    "v1",
    "v2",
    "v3",
}


def default_package_name(title: str) -> str:
    """The package name a title suggests (``Pet Store API`` → ``pet_store``): snake_case words
    without trailing words like "API"; ``naming.checked_package_name`` makes it usable."""
    parts = words(title)
    while len(parts) > 1 and parts[-1] in _TRAILING_WORDS:
        parts.pop()
    return "_".join(parts)


def build_api(
    loaded: LoadedSpec, config: Config, package: str, client: str, *, checks: bool = True
) -> tuple[Api | None, tuple[Diagnostic, ...]]:
    """The IR of a loaded document, or ``None`` with error diagnostics.

    A bug of ours must not reach the user as a traceback: an unexpected exception becomes one
    error diagnostic that says it is an internal error (the corpus run counts those as crashes).
    """
    diagnostics = Diagnostics()
    try:
        api = _build(loaded, config, package, client, diagnostics, checks)
    except Exception as exc:  # noqa: BLE001 - reported as an internal error, see above
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        diagnostics.error(
            f"internal error while building the SDK ({type(exc).__name__} at {where}: {str(exc)[:200]})",
            loaded.workspace.root_file,
            "",
            hint="this is a bug in sdkgen, not in the document: please report it with the document",
        )
        api = None
    found = tuple(loaded.original(d) for d in diagnostics.sorted())
    return (None if diagnostics.has_errors else api), found


def _build(
    loaded: LoadedSpec, config: Config, package: str, client: str, diagnostics: Diagnostics, checks: bool = True
) -> Api:
    doc = loaded.document
    root = loaded.root
    classes = class_scope(RUNTIME_NAMES | {client, "Async" + client, package})
    # Types live in ``types/`` and are used as ``types.Name``: a schema named like the client
    # keeps its name there (resource classes and the client take theirs from ``classes``).
    converter = SchemaConverter(
        loaded.workspace, diagnostics, loaded.minor, types_scope(frozenset({package})), checks=checks
    )
    converter.declare_components(doc, root)
    schemes = security_schemes(doc, config, package, diagnostics, root, is_token)
    known = frozenset(s.key for s in schemes)
    default_security = read_security(doc.get("security", []), known, diagnostics, root.child("security"))
    tags = TagTree.read(doc, diagnostics, root)
    root_server = servers.read_servers(doc.get("servers"), root.child("servers"), diagnostics)
    servers.check_root(root_server, diagnostics)
    reader = OperationReader(
        loaded.workspace,
        diagnostics,
        converter,
        config.version_header,
        config.idempotency_header,
        default_security,
        known,
        tags,
        root_server,
    )
    raws = reader.read_all(doc, root)
    converter.finish()
    resources = paginate(_resources(raws, tags.docs, classes), converter.decls, config)
    decls, groups = _order_decls(converter.decls)
    raw_info = doc.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    api = Api(
        title=str(info.get("title") or package),
        description=str(info.get("description") or ""),
        api_version=config.api_version or str(info.get("version") or ""),
        base_url=servers.default_url(root_server),
        version_header=config.version_header,
        security_schemes=schemes,
        resources=resources,
        decls=decls,
        groups=groups,
        server=root_server,
        server_variables=tuple(servers.variable_table([root_server, *(raw.build.server for raw in raws)]).items()),
    )
    return api


# -- resources ------------------------------------------------------------------------------


class _Node:
    def __init__(self, segments: tuple[str, ...]) -> None:
        self.segments = segments
        self.ops: list[RawOperation] = []
        self.children: dict[str, _Node] = {}


def _resources(raws: list[RawOperation], tag_docs: dict[str, str], classes: Scope) -> tuple[Resource, ...]:
    root = _Node(())
    for raw in raws:
        node = root
        for seg in raw.tag_path:
            node = node.children.setdefault(seg, _Node((*node.segments, seg)))
        node.ops.append(raw)
    modules = module_scope(frozenset({"init"}))
    return _build_children(
        root, tag_docs, classes, modules, Scope(style="snake", reserved=RESOURCE_RESERVED, fallback="resource")
    )


def _build_children(
    node: _Node, docs: dict[str, str], classes: Scope, modules: Scope, scope: Scope
) -> tuple[Resource, ...]:
    attrs = scope.mint_all(sorted(node.children))
    out = []
    for seg in sorted(node.children):
        child = node.children[seg]
        child_scope = Scope(style="snake", reserved=RESOURCE_RESERVED, fallback="method", digit_prefix="op")
        children = _build_children(child, docs, classes, modules, child_scope)
        method_names = child_scope.mint_list([raw.name_hint for raw in child.ops])
        ops = tuple(raw.build.named(name) for raw, name in zip(child.ops, method_names, strict=False))
        key = ".".join(child.segments)
        out.append(
            Resource(
                key=key,
                attr=attrs[seg],
                class_name=_mint_pair(classes, " ".join(child.segments) + " resource"),
                module=modules.mint("_".join(child.segments)),
                doc=docs.get(key, ""),
                operations=ops,
                children=children,
            )
        )
    return tuple(out)


def _mint_pair(classes: Scope, wire: str) -> Ident:
    """A class name ``X`` such that its companions (``AsyncX``, ``XWithRawResponse``,
    ``XWithStreamingResponse``...: ``resource_companions``) are free as well; all are claimed."""
    while True:
        name = classes.mint(wire)
        companions = resource_companions(name)[1:]
        if not any(classes._taken(c) for c in companions):
            for c in companions:
                classes.claim(c)
            return name
        wire = name + " 2"


# -- declarations ---------------------------------------------------------------------------


def _order_decls(decls: dict[str, Decl]) -> tuple[tuple[Decl, ...], tuple[tuple[str, ...], ...]]:
    """Dependencies first (a stable topological sort); recursive groups share one module."""
    edges = {key: sorted(references(_decl_types(d)) & decls.keys()) for key, d in decls.items()}
    order = sorted(decls, key=lambda k: (decls[k].name, k))
    groups = _strongly_connected(order, edges)
    # a module named like a declaration would replace it as an attribute of ``types``
    modules = module_scope(frozenset({"init"}) | {str(d.name) for d in decls.values()})
    out: list[Decl] = []
    group_keys: list[tuple[str, ...]] = []
    for group in groups:
        members = sorted(group, key=lambda k: (_kind_rank(decls[k]), decls[k].name))
        recursive = len(group) > 1 or group[0] in edges[group[0]]
        module = modules.mint(min(decls[k].name for k in group))
        for key in members:
            out.append(replace(decls[key], module=module))
        if recursive:
            group_keys.append(tuple(members))
    return tuple(out), tuple(group_keys)


def _kind_rank(decl: Decl) -> int:
    return 0 if isinstance(decl, Enum) else 1 if isinstance(decl, Alias) else 2


def _decl_types(decl: Decl) -> Any:
    from .types import UnionOf

    if isinstance(decl, Model):
        members = [f.type for f in decl.fields] + ([decl.extra] if decl.extra else [])
        return UnionOf(tuple(members))
    if isinstance(decl, Alias):
        return decl.target
    return UnionOf(())


def _strongly_connected(order: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components come out dependencies first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in order:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = edges[node]
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


# -- client-level facts ---------------------------------------------------------------------
