"""Code fragments for the package-level files: client, version, pyproject, README."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir.nodes import Api, Operation, Resource, SecurityScheme
from ..naming import convert
from .text import comment, docstring, md_code, md_text, py_literal


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


def _scheme_code(s: SecurityScheme) -> tuple[list[str], list[str], list[str]]:
    """Constructor arguments, set-up lines and doc lines for one security scheme."""
    key = py_literal(s.key)
    if s.kind == "basic":
        user, password = s.names
        args = [f"{user}: Optional[str] = None", f"{password}: Optional[str] = None"]
        setup = [
            f"if {user} is None:",
            f"    {user} = os.environ.get({py_literal(s.env[0])})",
            f"if {password} is None:",
            f"    {password} = os.environ.get({py_literal(s.env[1])})",
            f"auth[{key}] = BasicAuth({user}, {password})",
        ]
        docs = [f"``{user}``/``{password}`` (HTTP Basic) from ``{s.env[0]}``/``{s.env[1]}``"]
        return args, setup, docs
    (name,) = s.names
    args = [f"{name}: Union[str, Callable[[], str], None] = None"]
    setup = []
    if s.env and s.env[0]:
        setup += [f"if {name} is None:", f"    {name} = os.environ.get({py_literal(s.env[0])})"]
    if s.kind == "bearer":
        setup.append(f"auth[{key}] = BearerAuth({name})")
    else:
        setup.append(f"auth[{key}] = ApiKeyAuth({py_literal(s.wire)}, {py_literal(s.location)}, {name})")
    docs = [
        f"``{name}`` ({'bearer token' if s.kind == 'bearer' else 'API key'})"
        + (f" from ``{s.env[0]}``" if s.env and s.env[0] else "")
    ]
    return args, setup, docs


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
        f"base_url=base_url or os.environ.get({py_literal(base_env)}) or BASE_URL",
        "auth=auth",
        version_arg,
        "timeout=timeout",
        "max_retries=max_retries",
        "default_headers=default_headers",
    ]
    doc = f"Client for {api.title} (API version {api.api_version}).\n\n"
    if doc_lines:
        doc += "Credentials: " + "; ".join(doc_lines) + ".\n"
    doc += f"The base URL defaults to ``{base_env}``, then {api.base_url or 'nothing'}."
    if api.version_header:
        doc += f"\nEvery request sends the API version in ``{api.version_header}``; pass ``api_version=None`` to send none."
    return {
        "client": meta.client,
        "package": meta.package,
        "docs": {
            "": docstring("Synchronous c" + doc[1:], "    "),
            "Async": docstring("Asynchronous c" + doc[1:], "    "),
        },
        "init_args": init_args,
        "setup": setup,
        "super_args": super_args,
        "resources": [ClientTop(r.attr, r.module, r.class_name) for r in api.resources],
    }


def _first_operation(api: Api) -> tuple[list[Resource], Operation] | None:
    """The first GET without required arguments, for the README example; else the first one."""
    chains: list[tuple[list[Resource], Operation]] = []
    stack: list[list[Resource]] = [[r] for r in reversed(api.resources)]
    while stack:
        chain = stack.pop()
        chains.extend((chain, op) for op in chain[-1].operations)
        stack.extend([*chain, c] for c in reversed(chain[-1].children))
    for chain, op in chains:
        if op.method == "get" and not op.path_params and not any(p.required for p in op.params):
            return chain, op
    return chains[0] if chains else None


def readme_context(api: Api, meta: Meta) -> dict[str, Any]:
    first = _first_operation(api)
    call = ".".join(r.attr for r in first[0]) + "." + first[1].name + "()" if first else None
    env_note = ""
    for s in api.security_schemes:
        if s.kind != "basic" and s.env and s.env[0]:
            env_note = f"  # reads {s.env[0]} from the environment"
            break
    example = f"from {meta.package} import {meta.client}\n\nclient = {meta.client}(){env_note}\n"
    async_example = f"import asyncio\n\nfrom {meta.package} import Async{meta.client}\n\n\nasync def main() -> None:\n    client = Async{meta.client}()\n"
    if call:
        example += f"result = client.{call}\nprint(result)"
        async_example += f"    result = await client.{call}\n    print(result)\n"
    else:
        async_example += "    print(client)\n"
    async_example += "\n\nasyncio.run(main())"
    auth_lines = []
    for s in api.security_schemes:
        names = "/".join(f"`{n}`" for n in s.names)
        envs = "/".join(f"`{e}`" for e in s.env if e)
        line = f"{names}: {md_text(s.doc) or s.kind}"
        if envs:
            line += f" (default from {envs})"
        auth_lines.append(line)
    return {
        "header_text": comment(f"Generated by sdkgen {meta.generator_version}. Do not edit by hand."),
        "title_md": md_text(api.title),
        "api_version_md": md_code(api.api_version),
        "dist_name_md": meta.package.replace("_", "-"),
        "package": meta.package,
        "example": example,
        "async_example": async_example,
        "auth_lines": auth_lines,
        "version_header_md": md_code(api.version_header) if api.version_header else "",
    }
