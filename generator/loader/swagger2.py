"""Swagger 2.0 → OpenAPI 3.0.3, in memory, before validation.

No well-kept pure-Python converter exists (the usual one, ``swagger2openapi``, is JavaScript),
so this is ours. It follows the OpenAPI 3 "upgrading from 2.0" rules:

* ``host`` / ``basePath`` / ``schemes`` → ``servers`` (``https`` first when offered);
* ``definitions`` → ``components.schemas``; top-level ``parameters`` (other than ``body`` and
  ``formData``, which are inlined where used) → ``components.parameters``; ``responses`` →
  ``components.responses``; ``securityDefinitions`` → ``components.securitySchemes``
  (``basic`` → HTTP basic, OAuth2 flows renamed);
* a ``body`` parameter → ``requestBody`` with one media type per ``consumes`` entry;
  ``formData`` parameters → one object schema under ``multipart/form-data`` (when a file is
  sent or the operation consumes it) or ``application/x-www-form-urlencoded``;
* other parameters move their type keywords under ``schema``; ``collectionFormat`` becomes
  ``style`` / ``explode``;
* a response ``schema`` → ``content`` with one media type per ``produces`` entry;
* in schemas: ``type: file`` → binary string, ``x-nullable`` → ``nullable``, a string
  ``discriminator`` → ``{propertyName: ...}``; every local ``$ref`` is rewritten.

Other files of the spec are converted as they are read (``convert_other``), so a ref rewritten
to ``other.yaml#/components/schemas/X`` finds its target. Diagnostics that later stages report against the converted document are mapped back to a
pointer in the original with ``original_pointer``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from ..diagnostics import Diagnostics, pointer

_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
_LITERAL = frozenset({"example", "default", "enum", "const", "x-example", "examples"})
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_OAUTH_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def is_swagger2(doc: dict[str, Any]) -> bool:
    return "openapi" not in doc and str(doc.get("swagger", "")).strip() in ("2.0", "2")


def rewrite_ref(ref: Any) -> Any:
    if not isinstance(ref, str):
        return ref
    path, sep, fragment = ref.partition("#")
    for old, new in _REF_PREFIXES:
        if sep and ("#" + fragment).startswith(old):
            return path + new + fragment[len(old) - 1 :]
    return ref


def original_pointer(converted: str) -> str:
    """Map a JSON pointer into the converted document back to the Swagger 2.0 original."""
    for new, old in (
        ("/components/schemas", "/definitions"),
        ("/components/parameters", "/parameters"),
        ("/components/responses", "/responses"),
        ("/components/securitySchemes", "/securityDefinitions"),
    ):
        if converted == new or converted.startswith(new + "/"):
            converted = old + converted[len(new) :]
            break
    if converted == "/servers" or converted.startswith("/servers/"):
        return "/host"
    converted = re.sub(r"^(/paths/[^/]+/[^/]+)/requestBody(/.*)?$", r"\1/parameters", converted)
    return re.sub(r"^((?:/paths/[^/]+/[^/]+)?/responses/[^/]+)/content/[^/]+/schema", r"\1/schema", converted)


class _Converter:
    def __init__(self, doc: dict[str, Any], diagnostics: Diagnostics, file: str) -> None:
        self.doc = doc
        self.diagnostics = diagnostics
        self.file = file
        self.consumes = _media_list(doc.get("consumes"))
        self.produces = _media_list(doc.get("produces"))
        raw_params = doc.get("parameters")
        self.shared_params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}

    def warn(self, message: str, *tokens: str | int) -> None:
        self.diagnostics.warning(message, self.file, pointer(*tokens))

    # -- document -----------------------------------------------------------------------

    def convert(self) -> dict[str, Any]:
        doc = self.doc
        out: dict[str, Any] = {"openapi": "3.0.3"}
        for key in ("info", "tags", "externalDocs"):
            if key in doc:
                out[key] = doc[key]
        out["info"] = out.get("info") if isinstance(out.get("info"), dict) else {"title": "API", "version": ""}
        out["servers"] = self.servers()
        if "security" in doc:
            out["security"] = doc["security"]
        out["paths"] = self.paths(doc.get("paths"))
        components: dict[str, Any] = {}
        definitions = doc.get("definitions")
        if isinstance(definitions, dict) and definitions:
            components["schemas"] = {k: schema(v) for k, v in definitions.items()}
        params = {
            k: self.parameter(v, ("parameters", k))
            for k, v in self.shared_params.items()
            if not (isinstance(v, dict) and v.get("in") in ("body", "formData"))
        }
        if params:
            components["parameters"] = params
        responses = doc.get("responses")
        if isinstance(responses, dict) and responses:
            components["responses"] = {k: self.response(v, self.produces) for k, v in responses.items()}
        schemes = self.security_schemes(doc.get("securityDefinitions"))
        if schemes:
            components["securitySchemes"] = schemes
        if components:
            out["components"] = components
        out.update({k: v for k, v in doc.items() if isinstance(k, str) and k.startswith("x-")})
        return out

    def servers(self) -> list[dict[str, Any]]:
        host = self.doc.get("host")
        base = str(self.doc.get("basePath") or "")
        if base and not base.startswith("/"):
            base = "/" + base
        if not isinstance(host, str) or not host:
            return [{"url": base or "/"}]
        if "://" in host:  # not valid 2.0, but written: the scheme is part of the host
            return [{"url": host.rstrip("/") + base}]
        raw = self.doc.get("schemes")
        schemes = [s for s in raw if s in ("http", "https", "ws", "wss")] if isinstance(raw, list) else []
        schemes = sorted(schemes or ["https"], key=lambda s: (s not in ("https", "wss"), s))
        return [{"url": f"{scheme}://{host.rstrip('/')}{base}"} for scheme in schemes]

    def security_schemes(self, raw: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not isinstance(raw, dict):
            return out
        for name, scheme in raw.items():
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            extra = {k: v for k, v in scheme.items() if k == "description" or str(k).startswith("x-")}
            if kind == "basic":
                out[name] = {"type": "http", "scheme": "basic", **extra}
            elif kind == "apiKey":
                out[name] = {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in"), **extra}
            elif kind == "oauth2" and scheme.get("flow") in _OAUTH_FLOWS:
                flow_name, urls = _OAUTH_FLOWS[scheme["flow"]]
                flow = {u: scheme.get(u, "") for u in urls}
                flow["scopes"] = scheme.get("scopes") if isinstance(scheme.get("scopes"), dict) else {}
                out[name] = {"type": "oauth2", "flows": {flow_name: flow}, **extra}
            else:
                self.warn(f"security definition of type {kind!r} cannot be converted", "securityDefinitions", name)
        return out

    # -- paths and operations -----------------------------------------------------------

    def paths(self, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        out: dict[str, Any] = {}
        for path, item in raw.items():
            if not isinstance(item, dict) or str(path).startswith("x-"):
                out[path] = item
                continue
            shared = _list(item.get("parameters"))
            new: dict[str, Any] = {}
            for key, value in item.items():
                if key == "$ref":
                    new[key] = rewrite_ref(value)
                elif key in _METHODS and isinstance(value, dict):
                    new[key] = self.operation(value, shared, ("paths", path, key))
                elif key != "parameters":
                    new[key] = value
            plain = [p for p in (self.resolve_param(p) for p in shared) if p.get("in") not in ("body", "formData")]
            if plain:
                new["parameters"] = [self.parameter(p, ("paths", path, "parameters")) for p in plain]
            out[path] = new
        return out

    def resolve_param(self, param: Any) -> dict[str, Any]:
        """A top-level body/formData parameter behind a ``$ref`` is inlined; others keep the ref."""
        if isinstance(param, dict) and isinstance(param.get("$ref"), str) and param["$ref"].startswith("#/parameters/"):
            target = self.shared_params.get(param["$ref"][len("#/parameters/") :].replace("~1", "/").replace("~0", "~"))
            if isinstance(target, dict) and target.get("in") in ("body", "formData"):
                return target
        return param if isinstance(param, dict) else {}

    def operation(self, op: dict[str, Any], shared: list[Any], where: tuple[str, ...]) -> dict[str, Any]:
        consumes = _media_list(op.get("consumes")) or self.consumes
        produces = _media_list(op.get("produces")) or self.produces
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for i, raw in enumerate([*shared, *_list(op.get("parameters"))]):
            p = self.resolve_param(raw)
            ident = (str(p.get("name")), str(p.get("in"))) if "$ref" not in p else ("$ref", f"{p['$ref']}#{i}")
            merged[ident] = p
        out: dict[str, Any] = {}
        for key, value in op.items():
            if key in ("consumes", "produces", "parameters", "schemes"):
                continue
            if key == "responses":
                out[key] = self.responses(value, produces)
            else:
                out[key] = value
        params = list(merged.values())
        plain = [self.parameter(p, (*where, "parameters")) for p in params if p.get("in") not in ("body", "formData")]
        if plain:
            out["parameters"] = plain
        body = [p for p in params if p.get("in") == "body"]
        form = [p for p in params if p.get("in") == "formData"]
        if body:
            out["requestBody"] = _body(body[0], consumes)
        elif form:
            out["requestBody"] = self.form_body(form, consumes, where)
        return out

    def parameter(self, p: Any, where: tuple[str | int, ...]) -> Any:
        if not isinstance(p, dict):
            return p
        if "$ref" in p:
            return {"$ref": rewrite_ref(p["$ref"])}
        out = {k: v for k, v in p.items() if k not in _SCHEMA_KEYS and k not in ("collectionFormat", "allowEmptyValue")}
        if p.get("allowEmptyValue") is True and p.get("in") == "query":
            out["allowEmptyValue"] = True
        if "schema" in p:  # not valid 2.0 outside body parameters, but seen in the wild
            out["schema"] = schema(p["schema"])
        else:
            out["schema"] = _param_schema(p)
        if p.get("type") == "array":
            fmt = str(p.get("collectionFormat") or "csv")
            style = {"csv": "form", "ssv": "spaceDelimited", "pipes": "pipeDelimited", "multi": "form"}.get(fmt)
            if style is None:
                self.warn(f"collectionFormat {fmt!r} has no OpenAPI 3 equivalent; sent comma-separated", *where)
                style = "form"
            if p.get("in") in ("path", "header"):
                style = "simple"
            out["style"], out["explode"] = style, fmt == "multi"
        return out

    def form_body(self, params: list[dict[str, Any]], consumes: list[str], where: tuple[str, ...]) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for p in params:
            name = str(p.get("name"))
            prop = _param_schema(p)
            if isinstance(p.get("description"), str):
                prop["description"] = p["description"]
            properties[name] = prop
            if p.get("required") is True:
                required.append(name)
            if p.get("type") == "array":
                encoding[name] = {"style": "form", "explode": p.get("collectionFormat") == "multi"}
        has_file = any(p.get("type") == "file" for p in params)
        forms = [m for m in consumes if m.split(";")[0].strip().lower() in _FORM_TYPES]
        if has_file or not forms:
            forms = [m for m in forms if m.startswith("multipart/")] or (
                ["multipart/form-data"] if has_file else ["application/x-www-form-urlencoded"]
            )
        body_schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            body_schema["required"] = required
        content: dict[str, Any] = {}
        for media in forms:
            content[media] = {"schema": body_schema}
            if encoding and media.startswith("application/x-www-form-urlencoded"):
                content[media]["encoding"] = encoding
        return {"content": content, "required": bool(required)}

    def responses(self, raw: Any, produces: list[str]) -> Any:
        if not isinstance(raw, dict):
            return raw
        return {code: self.response(r, produces) if not str(code).startswith("x-") else r for code, r in raw.items()}

    def response(self, r: Any, produces: list[str]) -> Any:
        if not isinstance(r, dict):
            return r
        if "$ref" in r:
            return {"$ref": rewrite_ref(r["$ref"])}
        out: dict[str, Any] = {"description": r.get("description") if isinstance(r.get("description"), str) else ""}
        headers = r.get("headers")
        if isinstance(headers, dict) and headers:
            out["headers"] = {
                name: {
                    **({"description": h["description"]} if isinstance(h.get("description"), str) else {}),
                    "schema": _param_schema(h),
                }
                for name, h in headers.items()
                if isinstance(h, dict)
            }
        if "schema" in r:
            raw_examples = r.get("examples")
            examples: dict[str, Any] = raw_examples if isinstance(raw_examples, dict) else {}
            content: dict[str, Any] = {}
            for media in produces or ["application/json"]:
                content[media] = {"schema": schema(r["schema"])}
                if media in examples:
                    content[media]["example"] = examples[media]
            out["content"] = content
        out.update({k: v for k, v in r.items() if str(k).startswith("x-")})
        return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _media_list(value: Any) -> list[str]:
    return [m for m in value if isinstance(m, str)] if isinstance(value, list) else []


def _body(p: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    media_types = [m for m in consumes if m.split(";")[0].strip().lower() not in _FORM_TYPES] or consumes
    body_schema = schema(p.get("schema", {}))
    out: dict[str, Any] = {"content": {m: {"schema": body_schema} for m in media_types or ["application/json"]}}
    if isinstance(p.get("description"), str):
        out["description"] = p["description"]
    if p.get("required") is True:
        out["required"] = True
    out.update({k: v for k, v in p.items() if str(k).startswith("x-")})
    return out


def _param_schema(p: dict[str, Any]) -> dict[str, Any]:
    """The schema keywords of a 2.0 parameter, header or items object."""
    out: dict[str, Any] = {}
    for key in _SCHEMA_KEYS:
        if key in p:
            out[key] = _param_schema(p[key]) if key == "items" and isinstance(p[key], dict) else p[key]
    if out.get("type") == "file":
        out["type"], out["format"] = "string", "binary"
    if p.get("x-nullable") is True:
        out["nullable"] = True
    return out or {"type": "string"}


def schema(node: Any) -> Any:
    """A 2.0 Schema Object (recursively) in its 3.0 form."""
    if isinstance(node, list):
        return [schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = rewrite_ref(value)
        elif key in _LITERAL or str(key).startswith("x-"):
            if key == "x-nullable" and value is True:
                out["nullable"] = True
            elif key != "x-nullable":
                out[key] = value
        elif key in ("properties", "definitions", "patternProperties") and isinstance(value, dict):
            out[key] = {k: schema(v) for k, v in value.items()}
        elif key == "discriminator" and isinstance(value, str):
            out[key] = {"propertyName": value}
        elif key == "type" and value == "file":
            out["type"], out["format"] = "string", "binary"
        elif isinstance(value, (dict, list)):
            out[key] = schema(value)
        else:
            out[key] = value
    return out


def convert(doc: dict[str, Any], diagnostics: Diagnostics, file: str) -> dict[str, Any]:
    """The OpenAPI 3.0.3 form of a Swagger 2.0 document; lossy steps become warnings."""
    return _Converter(doc, diagnostics, file).convert()


def convert_other(
    doc: Any,
    diagnostics: Diagnostics,
    file: str,
    path_items: Collection[str] = (),
    root: dict[str, Any] | None = None,
) -> Any:
    """Another file of a Swagger 2.0 spec: a whole document (or one with ``definitions``,
    ``parameters`` or ``responses`` at the top) is converted like the root, so refs rewritten
    to ``other.yaml#/components/...`` find their target; any other file (a bare schema or a
    map of schemas) gets the schema conversion.

    ``path_items``: the pointers of the file that the root's ``paths`` refer to (a path item
    written in its own file); each is converted as a path item, with the root document's
    ``consumes``, ``produces`` and shared parameters."""
    if path_items:
        return _convert_path_items(doc, diagnostics, file, path_items, root or {})
    if isinstance(doc, dict) and (is_swagger2(doc) or {"definitions", "parameters", "responses"} & doc.keys()):
        return convert(doc, diagnostics, file)
    return schema(doc)


def _convert_path_items(
    doc: Any, diagnostics: Diagnostics, file: str, pointers: Collection[str], root: dict[str, Any]
) -> Any:
    converter = _Converter(root, diagnostics, file)
    for where in sorted(pointers, key=lambda p: -p.count("/")):  # inner ones first
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in where.split("/")[1:]] if where else []
        parent: Any = None
        node: Any = doc
        for token in tokens:
            parent = node
            if isinstance(node, dict):
                node = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                node = None
        if not isinstance(node, dict):
            continue
        converted = converter.paths({where or "/": node})[where or "/"]
        if not tokens:
            doc = converted
        elif isinstance(parent, dict):
            parent[tokens[-1]] = converted
        elif isinstance(parent, list):
            parent[int(tokens[-1])] = converted
    return doc
