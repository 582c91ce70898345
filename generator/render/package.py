"""Code fragments for the package-level files: client, version, pyproject (README: ``docs``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir.nodes import Api, SecurityScheme
from ..naming import convert
from .imports import member_key
from .layout import call, import_from, names_list
from .resources import server_code
from .text import docstring, py_literal


@dataclass(frozen=True, slots=True)
class Meta:
    """Facts about the output that do not come from the spec."""

    package: str
    client: str
    package_version: str
    generator_version: str


@dataclass(frozen=True, slots=True)
class ClientTop:
    attr: str
    module: str
    cls: str

    @property
    def type_import(self) -> str:
        return import_from(".resources." + self.module, ["Async" + self.cls, self.cls], "    ")

    @property
    def lazy_import(self) -> tuple[str, str]:
        """The import in the client's property (sync, async)."""
        module = ".resources." + self.module
        return import_from(module, [self.cls], "        "), import_from(module, ["Async" + self.cls], "        ")


_SETUP_INDENT = "        "  # the client's __init__ body (templates/client.py.jinja)


def _scheme_code(s: SecurityScheme) -> tuple[list[str], list[str], list[str]]:
    """Constructor arguments, set-up lines and doc lines for one security scheme."""
    key = py_literal(s.key)
    defaults = []
    for name, env in zip(s.names, s.env, strict=True):
        if env:
            defaults += [f"if {name} is None:", f"    {name} = os.environ.get({py_literal(env)})"]
    given = " and ".join(f"{n}=" for n in s.names)
    hint = py_literal(f"pass {given} (or set {' and '.join(e for e in s.env if e)})" if any(s.env) else f"pass {given}")
    if s.kind in ("basic", "oauth2_client_credentials"):
        first, second = s.names
        args = [f"{first}: Optional[str] = None", f"{second}: Optional[str] = None"]
        if s.kind == "basic":
            made = call(f"auth[{key}] = BasicAuth", [first, second, f"hint={hint}"], _SETUP_INDENT)
            what = "HTTP Basic"
        else:
            scopes = "(" + "".join(f"{py_literal(x)}, " for x in s.scopes).rstrip(" ") + ")"
            options = [f"token_url={py_literal(s.token_url)}", f"scopes={scopes}", f"hint={hint}"]
            made = call(f"auth[{key}] = OAuth2ClientCredentials", [first, second, *options], _SETUP_INDENT)
            what = "OAuth2 client credentials"
        envs = "/".join(f"``{e}``" for e in s.env)
        return args, [*defaults, made], [f"``{first}``/``{second}`` ({what}) from {envs}"]
    (name,) = s.names
    args = [f"{name}: Union[str, Callable[[], str], None] = None"]
    if s.kind == "bearer":
        made = call(f"auth[{key}] = BearerAuth", [name, f"hint={hint}"], _SETUP_INDENT)
    else:
        where = [py_literal(s.wire), py_literal(s.location)]
        made = call(f"auth[{key}] = ApiKeyAuth", [*where, name, f"hint={hint}"], _SETUP_INDENT)
    docs = [
        f"``{name}`` ({'bearer token' if s.kind == 'bearer' else 'API key'})"
        + (f" from ``{s.env[0]}``" if s.env and s.env[0] else "")
    ]
    return args, [*defaults, made], docs


def auth_imports(api: Api) -> list[str]:
    """The client module's imports of the runtime's credential classes."""
    used = {"bearer": "BearerAuth", "basic": "BasicAuth", "api_key": "ApiKeyAuth"}
    names = sorted({"Auth"} | {used[s.kind] for s in api.security_schemes if s.kind in used})
    lines = [import_from("._auth", names)]
    if any(s.kind == "oauth2_client_credentials" for s in api.security_schemes):
        lines.append("from ._oauth import OAuth2ClientCredentials")
    return lines


def _server_lines(api: Api) -> list[str]:
    """Module-level constants: the root server."""
    return [f"_SERVER = {server_code(api.server, '_Server')}"] if api.server is not None else []


def py_literal_tuple_of(values: tuple[str, ...]) -> str:
    items = [py_literal(v) for v in values]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def env_prefix(package: str) -> str:
    return convert(package, "upper")


def client_context(api: Api, meta: Meta) -> dict[str, Any]:
    init_args: list[str] = []
    setup: list[str] = ["auth: Dict[str, Auth] = {}"]
    doc_lines: list[str] = []
    for s in api.security_schemes:
        args, lines, docs = _scheme_code(s)
        init_args += args
        setup += lines
        doc_lines += docs
    init_args.append("base_url: Optional[str] = None")
    if api.server_variables:
        init_args.append("server_variables: Optional[Mapping[str, str]] = None")
    if api.version_header:
        init_args.append("api_version: Optional[str] = API_VERSION")
        version_arg = f"version_header=({py_literal(api.version_header)}, api_version)"
    else:
        version_arg = "version_header=None"
    init_args += [
        "timeout: Timeout = DEFAULT_TIMEOUT",
        "max_retries: int = DEFAULT_MAX_RETRIES",
        "default_headers: Optional[Mapping[str, str]] = None",
    ]
    base_env = f"{env_prefix(meta.package)}_BASE_URL"
    super_args = [
        f"base_url=base_url or os.environ.get({py_literal(base_env)})",
        "auth=auth",
        version_arg,
        "timeout=timeout",
        "max_retries=max_retries",
        "default_headers=default_headers",
        "server=_SERVER" if api.server is not None else "server=None",
    ]
    if api.server_variables:
        table = ", ".join(f"{py_literal(name)}: {py_literal_tuple_of(enum)}" for name, enum in api.server_variables)
        super_args.append(f"server_variables=_check_server_variables(server_variables, {{{table}}})")
    # private names: a client class (or a credential argument) may be called ``Server``
    server_names = (["Server as _Server"] if api.server is not None else []) + (
        ["check_server_variables as _check_server_variables"] if api.server_variables else []
    )
    doc = f"Client for {api.title} (API version {api.api_version}).\n\n"
    if doc_lines:
        doc += "Credentials: " + "; ".join(doc_lines) + ".\n"
    doc += f"The base URL defaults to ``{base_env}``, then {api.base_url or 'nothing'}"
    doc += " (a base URL given replaces every server of the API, the operations' own included)."
    if api.server_variables:
        names = ", ".join(f"``{name}``" for name, _ in api.server_variables)
        doc += f"\n``server_variables`` sets the variables of the API's servers: {names}."
    if api.version_header:
        doc += f"\nEvery request sends the API version in ``{api.version_header}``; pass ``api_version=None`` to send none."
    return {
        "client_all": names_list("__all__", sorted([meta.client, "Async" + meta.client], key=member_key), py_literal),
        "client": meta.client,
        "package": meta.package,
        "docs": {
            "": docstring("Synchronous c" + doc[1:], "    "),
            "Async": docstring("Asynchronous c" + doc[1:], "    "),
        },
        "auth_imports": auth_imports(api),
        "init_args": init_args,
        "setup": setup,
        "super_args": super_args,
        "server_lines": _server_lines(api),
        "server_imports": [import_from("._servers", server_names)] if server_names else [],
        "resources": [ClientTop(r.attr, r.module, r.class_name) for r in api.resources],
    }
