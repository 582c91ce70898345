"""One side of a diff: the loaded document, its IR, and the SDK symbols the IR produces.

Both sides are built with the same package and client names (the new side's), so that a
symbol means the same thing on both sides: ``Polytomic.models.update(refresh=...)``,
``polytomic.types.SyncResponse.encryption_passphrase``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..ir.nodes import Api, Decl, Operation, Resource
from ..loader import LoadedSpec, Location, RefError
from .changes import Side as SideName
from .changes import Where

COMPONENT_PREFIX = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class Symbols:
    """Public names of the generated SDK, from the IR."""

    package: str
    client: str
    operations: dict[str, str]  # operation key ("get /x") → "Client.resource.method"
    types: dict[str, str]  # normalized declaration key → "package.types.ClassName"
    prefixes: tuple[tuple[str, str], ...]  # griffe path prefix → public symbol, longest first

    def operation(self, key: str) -> str:
        return self.operations.get(key, "")

    def argument(self, key: str, name: str) -> str:
        return f"{self.operations[key]}({name}=...)" if key in self.operations else ""

    def public(self, griffe_path: str) -> str:
        """``pkg.resources.models.AsyncModelsResource.update`` → ``Client.models.update``."""
        for prefix, symbol in self.prefixes:
            if griffe_path == prefix or griffe_path.startswith(prefix + "."):
                return symbol + griffe_path[len(prefix) :]
        return griffe_path


@dataclass(slots=True)
class SideModel:
    name: SideName
    label: str  # what the user named: a target, a version or a path
    config: Config
    loaded: LoadedSpec
    api: Api
    symbols: Symbols = field(init=False)
    decls: dict[str, Decl] = field(init=False)
    operations: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        self.decls = {self.norm(d.key): d for d in self.api.decls}
        self.operations = {op.key: op for op in self.api.all_operations()}
        self.symbols = build_symbols(self)

    @property
    def spec(self) -> Path:
        return self.config.spec

    @property
    def root_file(self) -> str:
        return self.loaded.workspace.root_file

    def norm(self, key: str) -> str:
        """A declaration key without the root file's name, so that ``old.yaml#/a`` and
        ``new.yaml#/a`` are the same key."""
        file, _, pointer = key.partition("#")
        return f"#{pointer}" if file == self.root_file else key

    def where(self, location: str, method: str = "", path: str = "") -> Where:
        file, _, pointer = location.partition("#")
        return Where(method.upper(), path, pointer, file, self.name)

    def node(self, location: str) -> Any:
        file, _, pointer = location.partition("#")
        try:
            return self.loaded.workspace.node(Location(file, pointer))
        except RefError:
            return None

    def follow(self, location: str) -> tuple[str, Any]:
        """The node at a location, following a ``$ref`` there (chains included)."""
        node = self.node(location)
        if isinstance(node, dict) and "$ref" in node:
            file, _, pointer = location.partition("#")
            try:
                loc, node = self.loaded.workspace.resolve(node["$ref"], Location(file, pointer))
            except RefError:
                return location, None
            return str(loc), node
        return location, node

    def param_location(self, op: Operation, wire: str, where_in: str) -> str:
        """Where a parameter of an operation is declared (its entry in the parameter list)."""
        item = op.location.rsplit("/", 1)[0]
        for base in (op.location, item):
            params = self.node(base + "/parameters")
            for i, _ in enumerate(params if isinstance(params, list) else []):
                _, raw = self.follow(f"{base}/parameters/{i}")
                if isinstance(raw, dict) and raw.get("name") == wire and raw.get("in") == where_in:
                    return f"{base}/parameters/{i}"
        return op.location

    def property_location(self, schema_location: str, wire: str, depth: int = 0) -> str | None:
        """Where a property is declared in a schema, looking through ``allOf`` and ``$ref``."""
        location, node = self.follow(schema_location)
        if not isinstance(node, dict) or depth > 16:
            return None
        props = node.get("properties")
        if isinstance(props, dict) and wire in props:
            return f"{location}/properties/{_escape(wire)}"
        members = node.get("allOf")
        for i, _ in enumerate(members if isinstance(members, list) else []):
            found = self.property_location(f"{location}/allOf/{i}", wire, depth + 1)
            if found:
                return found
        return None

    def body_schema(self, op: Operation) -> str | None:
        """The location of an operation's request body schema (after ``$ref``s)."""
        if op.body is None:
            return None
        body_loc, body = self.follow(op.location + "/requestBody")
        if not isinstance(body, dict):
            return None
        location, _ = self.follow(f"{body_loc}/content/{_escape(op.body.content_type)}/schema")
        return location


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def build_symbols(side: SideModel) -> Symbols:
    api, package, client = side.api, side.config.package_name or "", side.config.client_name or ""
    operations: dict[str, str] = {}
    prefixes: dict[str, str] = {
        f"{package}._client.{client}": client,
        f"{package}._client.Async{client}": client,
        f"{package}.{client}": client,
        f"{package}.Async{client}": client,
    }

    def visit(res: Resource, attrs: tuple[str, ...]) -> None:
        path = ".".join((client, *attrs, res.attr))
        for op in res.operations:
            operations[op.key] = f"{path}.{op.name}"
        for cls in (res.class_name, f"Async{res.class_name}"):
            for suffix in ("", "WithRawResponse"):
                prefixes[f"{package}.resources.{res.module}.{cls}{suffix}"] = path
        for child in res.children:
            visit(child, (*attrs, res.attr))

    for res in api.resources:
        visit(res, ())
    types: dict[str, str] = {}
    for decl in api.decls:
        types[side.norm(decl.key)] = f"{package}.types.{decl.name}"
        prefixes[f"{package}.types.{decl.module}.{decl.name}"] = f"{package}.types.{decl.name}"
        # the module of a declaration stands for it (recursive groups share one: the first)
        prefixes.setdefault(f"{package}.types.{decl.module}", f"{package}.types.{decl.name}")
    ordered = tuple(sorted(prefixes.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return Symbols(package, client, operations, types, ordered)
