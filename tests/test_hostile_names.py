"""Names from a spec become distinct, valid Python identifiers that shadow nothing, and every
wire name still round-trips: properties, parameters, schemas, tags (resources) and
operationIds (methods) named after keywords, builtins, dunders, pydantic's members, the names
the generated modules import, digits, or names equal after snake_casing, NFKC or case folding.

The name pool is harvested from the templates and the static runtime (every identifier they
mention), plus keywords, builtins and pydantic's ``BaseModel`` members; hypothesis adds
variants (case, underscores, digits, fullwidth letters, ligatures, suffixes the templates add).
"""

from __future__ import annotations

import ast
import builtins
import keyword
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.ir.nodes import Api, Model
from generator.naming import (
    CLIENT_INIT_RESERVED,
    EXCEPTION_NAMES,
    KEYWORDS,
    MEMBER_RESERVED,
    PARAM_RESERVED,
    TEMPLATE_CLASS_NAMES,
    client_name,
    convert,
    field_scope,
    module_scope,
    resource_companions,
)
from generator.render import RUNTIME_DIR, runtime_files, template_dir
from generator.render.resources import all_resources
from tests.support.hostile import (
    Sdk,
    build_sdk,
    call,
    call_every_operation,
    client,
    import_every_module,
    walk,
    write_spec_text,
)

# -- the pool ----------------------------------------------------------------------------------


def _harvest() -> list[str]:
    words: set[str] = set()
    for path in [*template_dir().glob("*.jinja"), *RUNTIME_DIR.glob("*.py")]:
        words |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text(encoding="utf-8")))
    words |= set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins)) | set(dir(pydantic.BaseModel))
    return sorted(words)


POOL = _harvest()
# Names equal after snake_casing, NFKC or case folding, and other corner cases.
TWINS = [
    "fooBar",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "FOO_BAR",
    "foo bar",
    "ﬁeld",
    "field",
    "Field",
    "\uff21\uff22\uff23",
    "abc",
    "Abc",
    "ABC",
    "aBc",
    "_x",
    "x",
    "__x",
    "__x__",
    "x_",
    "X",
    "2fa",
    "2FA",
    "_2fa",
    "1",
    "0",
    "",
    "_",
    "__",
    "$",
    "-",
    "é",
    "e",
    "名前",
    "名字",
    "__init__",
    "__class__",
    "__dict__",
    "__getattr__",
    "self",
    "cls",
    "None",
    "True",
    "false",
    "model_config",
    "model_dump",
    "schema",
    "json",
    "copy",
    "dict",
    "fields",
    "to_dict",
    "to_json",
    "Optional",
    "List",
    "Field",
    "BaseModel",
    "httpx",
    "datetime",
    "date",
    "typing",
    "pydantic",
    "con",
    "nul",
    "aux",
    "com1",
    "lpt9",
    "CON",
    "Nul",
]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


VARIANTS: list[Callable[[str], str]] = [
    lambda s: s,
    str.upper,
    str.lower,
    str.capitalize,
    str.swapcase,
    lambda s: "_" + s,
    lambda s: f"__{s}__",
    lambda s: s + "_",
    lambda s: "9" + s,
    _fullwidth,
    lambda s: s.replace("fi", "ﬁ") if "fi" in s else "ﬁ" + s,
    lambda s: s.replace("_", "-"),
    lambda s: "Async" + s,
    lambda s: s + "WithRawResponse",
    lambda s: s + "_2",
]


# -- the spec ----------------------------------------------------------------------------------


def names_spec(
    props: list[str], params: list[str], schemas: list[str], tags: list[str], op_ids: list[str]
) -> dict[str, Any]:
    """One round-trip operation (query parameters ``params``, body and response properties
    ``props``), and one operation per operationId, spread over ``tags``, each returning one of
    ``schemas`` (so every schema class is imported into a resource module)."""
    string = {"type": "string"}
    thing = {"type": "object", "properties": dict.fromkeys(props, string)}
    components: dict[str, Any] = {"Thing Round Trip": thing}
    for name in schemas:
        components.setdefault(name, {"type": "object", "properties": {"a": string}})
    targets = [n for n in schemas if n != "Thing Round Trip"] or ["Thing Round Trip"]
    paths: dict[str, Any] = {
        "/round/{" + params[0] + "}": {
            "post": {
                "operationId": "roundTrip",
                "tags": ["round trip"],
                "parameters": [{"name": params[0], "in": "path", "required": True, "schema": string}]
                + [{"name": p, "in": "query", "schema": string} for p in params[1:]],
                "requestBody": {"content": {"application/json": {"schema": thing}}},
                "responses": {
                    "200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/Thing Round Trip"})}
                },
            }
        }
    }
    for i, op_id in enumerate(op_ids):
        target = targets[i % len(targets)]
        paths[f"/op/{i}"] = {
            "get": {
                "operationId": op_id,
                "tags": [tags[i % len(tags)]],
                "parameters": [
                    {"name": p, "in": "query", "schema": {"type": "string", "format": "date-time"}} for p in params[:3]
                ],
                "responses": {
                    "200": {"description": "ok", "content": _json({"$ref": "#/components/schemas/" + _escape(target)})}
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        "components": {"schemas": components},
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _escape(token: str) -> str:
    from urllib.parse import quote

    return quote(token.replace("~", "~0").replace("/", "~1"), safe="~")


# -- the checks --------------------------------------------------------------------------------


def check_names(sdk: Sdk, props: list[str], params: list[str]) -> None:
    """Every minted name is valid and distinct in its scope; nothing dropped or merged."""
    api = sdk.api
    classes = [d.name for d in api.decls] + [r.class_name for _, r, _ in walk(api)]
    modules = [d.module for d in api.decls]
    for name in classes + modules:
        assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name), name
        assert not name.startswith("_"), name
    assert len({d.name for d in api.decls}) == len(api.decls)
    assert len({m.casefold() for m in {d.module for d in api.decls}}) == len({d.module for d in api.decls})
    for d in api.decls:
        if isinstance(d, Model):
            names = [f.name for f in d.fields]
            assert len(set(names)) == len(names), d.name
            assert all(n.isidentifier() and not n.startswith("_") and n not in KEYWORDS for n in names), names
    trip = next(op for _, _, op in walk(api) if op.operation_id == "roundTrip")
    assert [p.wire for p in trip.path_params + trip.params] == list(dict.fromkeys(params))
    assert trip.body is not None and [f.wire for f in trip.body.fields] == list(dict.fromkeys(props))
    signature = [p.name for p in trip.path_params + trip.params] + [f.name for f in trip.body.fields]
    assert len(set(signature)) == len(signature), signature


def check_round_trip(sdk: Sdk, props: list[str], params: list[str]) -> None:
    """Values sent and received under exactly the spec's wire names."""
    chain, trip = next((c, op) for c, _, op in walk(sdk.api) if op.operation_id == "roundTrip")
    assert trip.body is not None
    sent = {p.name: f"param-{i}" for i, p in enumerate(trip.path_params + trip.params)}
    sent |= {f.name: f"body-{i}" for i, f in enumerate(trip.body.fields)}
    reply = {wire: f"reply-{i}" for i, wire in enumerate(dict.fromkeys(props))}
    api_client = client(sdk, lambda request, op: httpx.Response(200, json=reply))
    result = call(sdk, api_client, chain, trip, sent)
    request, _ = sdk.requests[-1]
    query = request.url.params
    for p in trip.params:
        assert query.get_list(p.wire) == [sent[p.name]], p.wire
    assert sorted(query.keys()) == sorted(p.wire for p in trip.params)
    assert request.url.path.endswith("/" + sent[trip.path_params[0].name])
    body = __import__("json").loads(request.content)
    assert body == {f.wire: sent[f.name] for f in trip.body.fields}
    fields = type(result).model_fields
    assert len(fields) == len(reply), "a property was dropped"
    for name, info in fields.items():
        wire = name if info.alias is None else info.alias
        assert getattr(result, name) == reply[wire], wire
    assert result.to_dict() == reply
    assert not result.model_extra


def generate_and_check(
    props: list[str], params: list[str], schemas: list[str], tags: list[str], op_ids: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = write_spec_text(Path(tmp) / "spec", names_spec(props, params, schemas, tags, op_ids))
        sdk = build_sdk(
            spec, Path(tmp) / "out", formatted=False, validation=False, package_name="names_sdk", client_name="Names"
        )
        check_names(sdk, props, params)
        import_every_module(sdk)
        call_every_operation(sdk)
        check_round_trip(sdk, props, params)


# -- tests -------------------------------------------------------------------------------------


def test_every_harvested_name_everywhere() -> None:
    """The whole pool (and its twins) as properties, query parameters, schemas, tags and
    operationIds at once."""
    everything = POOL + [t for t in TWINS if t not in POOL]
    generate_and_check(everything, ["path id", *everything], everything, everything, everything)


# Half the draws from the short list of known troublemakers, half from the whole pool.
base_name = st.one_of(st.sampled_from(TWINS), st.sampled_from(POOL))
name = st.builds(lambda base, variant: variant(base), base_name, st.sampled_from(VARIANTS))
names = st.lists(name, min_size=1, max_size=10, unique=True)


@settings(
    max_examples=int(os.environ.get("SDKGEN_HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(props=names, params=names, schemas=names, tags=names, op_ids=names)
def test_name_variants(
    props: list[str], params: list[str], schemas: list[str], tags: list[str], op_ids: list[str]
) -> None:
    # The first parameter is the path parameter: an empty name cannot be one ("/round/{}" has
    # no name to fill; sdkgen skips it with a warning), so it goes last, as a query parameter.
    assume(params != [""])
    params = sorted(params, key=lambda p: p == "")
    generate_and_check(props, params, schemas, tags, op_ids)


# -- the reserved sets are complete ------------------------------------------------------------
#
# Which names can a minted name shadow?  The generated code answers: every name a class body
# evaluates (annotations, defaults, decorators), every name a method body reads or binds, every
# name a module imports.  These tests read them off generated SDKs (Polytomic's, and the
# kitchen-sink spec of test_hostile with plain text) and check that the naming module reserves
# each one in the scope that could shadow it.


def _minted(api: Api, client: str) -> set[str]:
    out = {client, "Async" + client}
    for decl in api.decls:
        out |= {decl.name, decl.module}
        if isinstance(decl, Model):
            out |= {f.name for f in decl.fields}
    for res in all_resources(api):
        out |= {res.attr, res.module, *resource_companions(res.class_name)}
    for _, _, op in walk(api):
        out |= {op.name, "_op_" + op.name}
        out |= {p.name for p in op.path_params + op.params}
        if op.body is not None:
            out |= {f.name for f in op.body.fields} | ({op.body.name} if op.body.name else set())
    for scheme in api.security_schemes:
        out |= set(scheme.names)
    return out


class _Reads(ast.NodeVisitor):
    """Names a piece of code reads or binds, without descending into nested scopes' bodies
    unless asked (a method's body is its own scope; its signature belongs to the class)."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        self.names.add(node.id)


def _reads(*nodes: ast.AST | None) -> set[str]:
    visitor = _Reads()
    for node in nodes:
        if node is not None:
            visitor.visit(node)
    return visitor.names


def _signature_reads(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """What a ``def`` evaluates where it is defined: decorators, defaults, annotations."""
    args = func.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, *filter(None, [args.vararg, args.kwarg])]
    return _reads(
        *func.decorator_list,
        *args.defaults,
        *filter(None, args.kw_defaults),
        *(a.annotation for a in every),
        func.returns,
    )


def _body_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """What a function body reads or binds (nested functions included), minus its parameters."""
    args = func.args
    params = {
        a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, *filter(None, [args.vararg, args.kwarg])]
    }
    names = set()
    for stmt in func.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return names - params


def _module_bound(tree: ast.Module) -> set[str]:
    """Names bound at module level: imports (also under ``if TYPE_CHECKING``), defs, assignments."""
    names: set[str] = set()
    for stmt in ast.walk(tree):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _snake(name: str) -> bool:
    return convert(name, "snake") == name


def _pascal(name: str) -> bool:
    return convert(name, "pascal") == name


def check_scopes(files: dict[str, str], package: str, api: Api, client_cls: str) -> None:
    minted = _minted(api, client_cls)
    missing: dict[str, set[str]] = {}

    def need(scope: str, names: set[str], reserved: frozenset[str]) -> None:
        gap = {n for n in names - minted if not n.startswith("_") and n not in reserved and n not in KEYWORDS}
        if gap:
            missing.setdefault(scope, set()).update(gap)

    fields = field_scope().reserved
    modules = module_scope().reserved
    static = set(runtime_files())
    for rel, source in files.items():
        parts = rel.split("/")
        if parts[0] != package or not rel.endswith(".py") or parts[-1] in static:
            continue  # the static runtime's modules hold no minted name
        tree = ast.parse(source)
        kind = parts[1] if len(parts) > 2 else parts[-1]
        bound = _module_bound(tree) - minted
        if rel.endswith("/__init__.py") and kind in ("types", "resources"):
            # its submodules become attributes of the package: a minted module name would
            # replace a name the package's code reads
            need(f"{kind} modules", {n for n in bound if _snake(n)}, modules)
        if kind in ("types", "resources") and not rel.endswith("/__init__.py"):
            need("class names", {n for n in bound if _pascal(n)}, TEMPLATE_CLASS_NAMES)
        if kind in ("_client.py", "__init__.py"):  # beside the client class
            need("client name", {n for n in bound if client_name(n) == n}, frozenset())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            member_scope = "fields" if kind == "types" else "members"
            class_reads: set[str] = set()
            for stmt in cls.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    class_reads |= _signature_reads(stmt)
                    body_scope = "client __init__" if stmt.name == "__init__" and kind == "_client.py" else "parameters"
                    if (
                        kind in ("resources", "_client.py") and not stmt.name.startswith("__")
                    ) or body_scope != "parameters":
                        # ``types``: a resource module names the types package so unless one of its
                        # methods, arguments or children is called that (render.resources.types_alias)
                        reserved = CLIENT_INIT_RESERVED if body_scope != "parameters" else PARAM_RESERVED | {"types"}
                        need(body_scope, {n for n in _body_names(stmt) if _snake(n)}, reserved)
                elif isinstance(stmt, ast.AnnAssign):
                    class_reads |= _reads(stmt.annotation, stmt.value)
                elif not isinstance(stmt, ast.Expr):
                    class_reads |= _reads(stmt)
            if member_scope == "fields":
                # a model's fields keep their wire names unless the class body reads that name
                # (or the model base owns it): no field may be a name its own class reads
                own = {s.target.id for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
                clash = own & (class_reads | fields)
                if clash:
                    missing.setdefault(f"fields of {cls.name}", set()).update(clash)
            else:
                need(member_scope, {n for n in class_reads if _snake(n)}, MEMBER_RESERVED | {"types"})
    assert not missing, f"names the generated code uses that minted names could shadow: {missing}"


def test_reserved_names_cover_the_polytomic_sdk() -> None:
    from tests.support.calls import TARGETS, api

    config = TARGETS["polytomic"]
    project = config.output / (config.package_name or "")
    files = {p.relative_to(project).as_posix(): p.read_text(encoding="utf-8") for p in project.rglob("*.py")}
    check_scopes(files, config.package_name or "", api("polytomic"), config.client_name or "")


def test_reserved_names_cover_the_kitchen_sink(tmp_path: Path) -> None:
    from tests.test_hostile import SLOTS, _prepare, hostile_spec

    plain = _prepare({slot: f"plain {slot.replace('_', ' ')}" for slot in SLOTS})
    sdk = build_sdk(write_spec_text(tmp_path / "spec", hostile_spec(plain)), tmp_path / "out", formatted=False)
    check_scopes(sdk.python_files(), sdk.package.__name__, sdk.api, sdk.client_name)


def test_class_names_reserve_the_runtime_exports() -> None:
    """Every name the static runtime exports may be imported by a generated module."""
    for path in RUNTIME_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = next(
            (
                ast.literal_eval(s.value)
                for s in tree.body
                if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in s.targets)
            ),
            [],
        )
        pascal = {n for n in exported if _pascal(n)}
        assert pascal <= TEMPLATE_CLASS_NAMES | EXCEPTION_NAMES, (path.name, pascal - TEMPLATE_CLASS_NAMES)


# -- package and client names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "package"),
    [
        ("Email API", "email_sdk"),
        ("JSON", "json_sdk"),
        ("Types", "types_sdk"),
        ("httpx", "httpx_sdk"),
        ("Typing Extensions", "typing_extensions_sdk"),
        ("con", "con_sdk"),
        ("NUL", "nul_sdk"),
        ("../../etc/passwd", "etc_passwd"),
        ("C:\\Windows", "c_windows"),
        ("", "openapi"),  # the spec file's stem
        ("__init__", "init"),
        ("Pet Store", "pet_store"),
    ],
)
def test_package_names_shadow_no_module(title: str, package: str, tmp_path: Path) -> None:
    spec = {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": {}}
    sdk = build_sdk(write_spec_text(tmp_path / "spec", spec), tmp_path / "out", formatted=False)
    assert sdk.package.__name__ == package
    assert sdk.result.package_dir == tmp_path / "out" / package
    renamed = [(d.level.value, d.pointer, d.message) for d in sdk.result.diagnostics if "is named" in d.message]
    if package.endswith("_sdk"):  # the title's name would shadow a module: said, with the place
        assert len(renamed) == 1 and renamed[0][:2] == ("warning", "/info/title"), renamed
        assert renamed[0][2].endswith(f"; the package is named {package!r}")
    else:
        assert not renamed


def test_configured_names_that_change_are_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec_text(tmp_path / "spec", {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}})
    argv = ["generate", str(spec), "-o", str(tmp_path / "out"), "--package-name", "json", "--client-name", "super"]
    assert main(argv) == 0
    assert capsys.readouterr().err.splitlines() == [
        "warning: openapi.json#: client class name 'super' (configured) would shadow the builtin 'super'; "
        "the client is named 'superClient' (hint: choose the name with client-name in [tool.sdkgen] or --client-name)",
        "warning: openapi.json#: package name 'json' (configured) would shadow the standard-library module 'json'; "
        "the package is named 'json_sdk' (hint: choose the name with package-name in [tool.sdkgen] or --package-name)",
    ]
    assert (tmp_path / "out" / "json_sdk" / "json_sdk" / "_client.py").read_text(encoding="utf-8").count(
        "class superClient("
    ) == 1
    assert main([*argv, "--strict"]) == 2  # warnings are errors: nothing written


@pytest.mark.parametrize(
    "name", sorted(TEMPLATE_CLASS_NAMES | EXCEPTION_NAMES | {"Pager", "APIResponse", "API_VERSION", "os"})
)
def test_client_names_shadow_nothing_the_package_uses(name: str) -> None:
    chosen = client_name(name)
    assert chosen.isidentifier()
    assert chosen not in TEMPLATE_CLASS_NAMES | EXCEPTION_NAMES and "Async" + chosen not in TEMPLATE_CLASS_NAMES
