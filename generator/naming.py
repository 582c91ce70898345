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

import ast
import builtins
import hashlib
import keyword
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NewType

Ident = NewType("Ident", str)
"""A valid, ASCII Python identifier minted by this module."""

# keep: an identifier that starts with a capital letter as it is (``APIResponse``), else pascal
Style = Literal["snake", "pascal", "upper", "keep"]

MAX_LEN = 80

_HUMP = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) - {"_"}

# -- what the runtime reserves, read from the runtime modules themselves -------------------------

RUNTIME_DIR = Path(__file__).parent / "runtime"


def _runtime_tree(module: str) -> ast.Module:
    return ast.parse((RUNTIME_DIR / f"{module}.py").read_text(encoding="utf-8"))


def _runtime_exports(module: str) -> frozenset[str]:
    """The ``__all__`` of one runtime module."""
    for node in _runtime_tree(module).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    raise LookupError(f"runtime/{module}.py has no __all__")


def _all_runtime_exports() -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        if path.stem != "__init__":
            try:
                out |= _runtime_exports(path.stem)
            except LookupError:
                continue
    return out


def _client_classes() -> list[ast.ClassDef]:
    return [n for n in _runtime_tree("_base_client").body if isinstance(n, ast.ClassDef) and n.name.endswith("Client")]


def _request_options() -> tuple[str, ...]:
    """The per-call tail every generated method ends with and passes on (``extra_headers`` …
    ``max_retries``): the keyword-only parameters of the runtime's ``BaseClient._prepare`` after
    ``body`` (before it come what the generated method fills from the operation; what
    ``request`` takes besides, such as ``stream``, the method decides itself)."""
    for cls in _client_classes():
        for node in cls.body:
            if cls.name == "BaseClient" and isinstance(node, ast.FunctionDef) and node.name == "_prepare":
                names = [a.arg for a in node.args.kwonlyargs]
                return tuple(names[names.index("body") + 1 :])
    raise LookupError("runtime/_base_client.py: no BaseClient._prepare")


def _client_members() -> frozenset[str]:
    """Public attributes of the runtime's client classes (methods, properties, instance
    attributes): a resource attribute of the same name would hide them."""
    out: set[str] = set()
    for cls in _client_classes():
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in cls.body:
                out.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                out.add(node.attr)
    return frozenset(n for n in out if not n.startswith("_"))


def _model_base() -> type:
    from .runtime._models import BaseModel

    return BaseModel


# The runtime's model base class (pydantic's ``BaseModel`` with ``to_dict``/``to_json``): a field
# may not take the name of one of its attributes (pydantic warns, or refuses a protected name),
# nor start with one of the protected namespaces its configuration keeps.
_MODEL_BASE = _model_base()
MODEL_ATTRIBUTES = frozenset(name for name in dir(_MODEL_BASE) if not name.startswith("_"))
MODEL_PROTECTED_PREFIXES = tuple(
    p for p in getattr(_MODEL_BASE, "model_config", {}).get("protected_namespaces", ()) if isinstance(p, str)
)
PYDANTIC_RESERVED = MODEL_ATTRIBUTES  # the former name
# Everything the runtime modules export (``__all__``): a generated module may import any of them.
RUNTIME_EXPORTS = _all_runtime_exports()
# The keyword arguments every generated method ends with, in order, and as a set.
REQUEST_OPTIONS_ORDER = _request_options()
REQUEST_OPTIONS = frozenset(REQUEST_OPTIONS_ORDER)
# Public attributes of the runtime's client classes.
CLIENT_MEMBERS = _client_members()

# -- what the templates reserve ----------------------------------------------------------------

# The companion classes templates/resource.py.jinja defines beside each resource class ``X``
# (``AsyncX``, ``XWithRawResponse``, ``AsyncXWithStreamingResponse``...): minting ``X`` claims them.
RESOURCE_COMPANION_SUFFIXES = ("WithRawResponse", "WithStreamingResponse")


def resource_companions(name: str) -> tuple[str, ...]:
    """Every class the resource template defines for a resource class ``name``, sync first."""
    return tuple(p + name + s for p in ("", "Async") for s in ("", *RESOURCE_COMPANION_SUFFIXES))


# Module-level names the generated modules import; snake_case identifiers must not shadow them.
IMPORTED_NAMES = frozenset(
    {"datetime", "date", "typing", "httpx", "pydantic", "builtins", "annotations", "self", "cls", "importlib"}
)
# Builtins that generated annotations mention: a class attribute (method, sub-resource) with one
# of these names would change what later annotations in the same class body mean.  (Model fields
# are held to the names their own class reads instead: ``field_scope``.)
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "object", "type"})
# Snake-case names that generated class bodies and method bodies look up besides the builtins
# above: ``cast`` and ``cached_property`` in resources, and the runtime's snake_case exports
# (the discriminator helper ``union_tag`` in annotations).
CODE_NAMES = frozenset({"cast", "cached_property"}) | frozenset(
    # only these runtime modules lend snake_case names to generated class and method bodies
    # (``union_tag`` in annotations); the helpers the runtime keeps to itself (``form_body``,
    # ``retry_delay``) never reach a generated scope, so an operation may take their names
    n
    for module in ("_models", "_types")
    for n in _runtime_exports(module)
    if n[:1].islower()
)
# What generated modules import or define at module level besides minted names (checked
# against the generated code by tests/test_hostile_names.py): no model, enum, alias or resource
# class may take one of them, or it would shadow the import in the modules that use it.
TEMPLATE_CLASS_NAMES = (
    frozenset(
        {
            # typing, typing_extensions, pydantic
            "Annotated",
            "Any",
            "Callable",
            "Dict",
            "List",
            "Literal",
            "Mapping",
            "Optional",
            "Tuple",
            "Union",
            "TypeAlias",
            "TypeAliasType",
            "BaseModel",
            "ConfigDict",
            "Discriminator",
            "Field",
            "Tag",
        }
    )
    | frozenset(  # the runtime's classes (its exception classes: EXCEPTION_NAMES, for the client's modules)
        n for n in RUNTIME_EXPORTS - _runtime_exports("_exceptions") if n[:1].isupper() and not n.isupper()
    )
)
# Attributes of generated resource and client classes (methods, sub-resources): besides the
# client's own members, names that later signatures in the same class body evaluate.
MEMBER_RESERVED = (
    frozenset({"with_raw_response", "with_streaming_response", "self", "cls"})
    | CLIENT_MEMBERS
    | REQUEST_OPTIONS
    | IMPORTED_NAMES
    | ANNOTATION_BUILTINS
    | CODE_NAMES
)
# Parameters of generated methods: their bodies evaluate the response type (``cast(...)``), so
# a parameter may not shadow a name a printed type uses (``type`` and ``id`` stay usable).
PARAM_RESERVED = (
    frozenset({"self", "cls", "str", "int", "float", "bool", "bytes", "datetime", "date", "cast"})
    | CODE_NAMES
    | REQUEST_OPTIONS
)
# Parameters of the generated client's ``__init__`` (credentials): its body uses these.
CLIENT_INIT_RESERVED = (
    frozenset(
        {"base_url", "timeout", "max_retries", "http_client", "default_headers", "api_version"}
        | {"server_variables"}
        | {"os", "auth", "super", "self", "cls"}
    )
    | ANNOTATION_BUILTINS
    | CODE_NAMES  # the runtime's snake_case exports (``check_server_variables``)
)


# The package's public exception classes, as ``generator/runtime/_exceptions.py`` exports
# them (read from its ``__all__``): the client class is exported beside them.
EXCEPTION_NAMES = _runtime_exports("_exceptions")
# Other names bound at module level in the modules that define or export the client class
# (``_client.py``, the package ``__init__``).
CLIENT_MODULE_NAMES = frozenset(
    {
        "APIResponse",
        "AsyncAPIResponse",
        "API_VERSION",
        "BASE_URL",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "NOT_GIVEN",
        "TYPE_CHECKING",
        "cached_property",
        "check_server_variables",
        "httpx",
        "importlib",
        "os",
        "types",
    }
)
# Top-level modules of the standard library (the union over Python 3.9 to 3.14, frozen here so
# the output does not depend on the Python that runs sdkgen) and of the SDK's dependencies: a
# generated package of the same name would shadow them or be shadowed by them.
_STDLIB_WORDS = """
    abc aifc annotationlib antigravity argparse array ast asynchat asyncio asyncore atexit audioop
    base64 bdb binascii binhex bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code
    codecs codeop collections colorsys compileall compression concurrent configparser contextlib
    contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis
    distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch
    formatter fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip
    hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools
    json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap
    modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode
    operator optparse os ossaudiodev parser pathlib pdb pickle pickletools pipes pkgutil platform
    plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data
    pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select
    selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3
    sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau
    symbol symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this
    threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle
    turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser
    winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
    """
STDLIB_MODULES = frozenset(_STDLIB_WORDS.split())
DEPENDENCY_MODULES = frozenset(
    {
        "annotated_types",
        "anyio",
        "certifi",
        "exceptiongroup",
        "h11",
        "httpcore",
        "httpx",
        "idna",
        "pydantic",
        "pydantic_core",
        "sniffio",
        "typing_extensions",
        "typing_inspection",
    }
)
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
    if style == "keep":
        # (a lower-case name becomes PascalCase: a field, snake_case, could take it otherwise)
        keep = name.isidentifier() and name.isascii() and name[:1].isupper()
        return _cap(name) if keep else convert(name, "pascal")
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
    reserved_prefixes: tuple[str, ...] = ()  # e.g. pydantic's protected namespaces
    _used: set[str] = field(default_factory=set)

    def _key(self, name: str) -> str:
        return name.casefold() if self.casefold else name

    def _taken(self, name: str) -> bool:
        return (
            self._key(name) in self._used
            or name in self.reserved
            or name.startswith(self.reserved_prefixes)
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
            pascal = self.style in ("pascal", "keep")
            base = convert(self.digit_prefix, "pascal" if pascal else self.style) + ("" if pascal else "_") + base
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


# What a type module (``types/*.py``) imports besides declarations: under a private name
# (``from pydantic import Tag as _Tag``) in a module that defines or imports a declaration of
# that name (see ``render.models``), so schemas keep names like ``Tag``, ``Field``, ``List``.
MODEL_HELPERS = frozenset(
    {"Annotated", "Any", "Dict", "List", "Literal", "Optional", "Tuple", "Union", "TypeAlias", "TypeAliasType"}
    | {"BaseModel", "CheckedModel", "Constraints", "Discriminator", "Field", "Tag"}
)
# Bound by ``types/__init__`` beside the declarations it exports (see its template), and the
# snake_case names type modules read (builtins in annotations, ``datetime``, ``union_tag``).
TYPES_INIT_NAMES = frozenset({"TYPE_CHECKING"}) | ANNOTATION_BUILTINS | IMPORTED_NAMES | CODE_NAMES


def types_scope(reserved: frozenset[str] = frozenset()) -> Scope:
    """The declarations of ``types/``: a schema's own name when it is a class name already
    (``APIResponse``, ``HTTP_Error``; else PascalCase: ``pet_store`` is ``PetStore``).  Every other module reaches them as
    ``types.Name`` and type modules alias their helpers (``MODEL_HELPERS``), so only the names
    ``types/__init__`` and the type modules themselves read are reserved."""
    return Scope(style="keep", reserved=reserved | TYPES_INIT_NAMES, digit_prefix="model", fallback="model")


def class_scope(reserved: frozenset[str] = frozenset()) -> Scope:
    return Scope(
        style="pascal",
        reserved=reserved | TEMPLATE_CLASS_NAMES,
        digit_prefix="model",
        fallback="model",
    )


def field_scope(reads: frozenset[str] = frozenset()) -> Scope:
    """The fields of one model class.  A wire name stays the Python name unless it is a keyword,
    an attribute of the runtime's model base (``model_dump``, ``json``, ``to_dict``), or a name
    the class body itself reads (``reads``: what its annotations print, e.g. ``date`` beside a
    ``date``-typed field): ``type``, ``fields``, ``id`` stay as they are."""
    return Scope(
        style="snake",
        reserved=MODEL_ATTRIBUTES | reads,
        reserved_prefixes=MODEL_PROTECTED_PREFIXES,
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


def package_name(name: str) -> Ident:
    """The generated package's import name (see ``checked_package_name``)."""
    return checked_package_name(name)[0]


def checked_package_name(name: str) -> tuple[Ident, str]:
    """The generated package's import name, and why it is not ``name`` ("" when it is).

    ``name`` when it is already a snake_case identifier that shadows nothing; minted from it
    otherwise, with ``_sdk`` appended when it would be a standard-library or dependency module
    or a Windows device (``email``, ``con``)."""
    why: list[str] = []
    chosen = name
    if not (name.isidentifier() and name == convert(name, "snake") and name not in KEYWORDS):
        why.append(_unusable(name, "snake"))
        chosen = Scope(style="snake", fallback="sdk", digit_prefix="sdk").mint(name)
    clash = _module_clash(chosen)
    if clash:
        why.append(clash)
        chosen += "_sdk"
    return Ident(chosen), " and ".join(why)


def client_name(name: str) -> Ident:
    """The client class name (see ``checked_client_name``)."""
    return checked_client_name(name)[0]


def checked_client_name(name: str) -> tuple[Ident, str]:
    """The client class name, and why it is not ``name`` ("" when it is).

    ``name`` when it is a public ASCII identifier, else minted from it; with ``Client``
    appended when it (or ``Async`` + it) would shadow a builtin (``super``, ``str``) or a name
    the package's modules import or export (``Auth``, ``Pager``, ``NotFoundError``)."""
    why: list[str] = []
    chosen = name
    if not (name.isidentifier() and name.isascii() and name not in KEYWORDS and not name.startswith("_")):
        why.append(
            "starts with an underscore" if name.isidentifier() and name[:1] == "_" else _unusable(name, "pascal")
        )
        chosen = Scope(style="pascal", fallback="client").mint(name)
    clash = _client_clash(chosen)
    if clash:
        why.append(clash)
        chosen += "Client"
    return Ident(chosen), " and ".join(why)


def _unusable(name: str, style: Style) -> str:
    whole = "_".join(words(name))
    if not name:
        return "is empty"
    if not whole:
        return "has no letters or digits"
    if whole[0].isdigit():
        return "starts with a digit"
    if len(whole) > MAX_LEN:
        return f"is longer than {MAX_LEN} characters"
    if name in KEYWORDS or convert(name, style) in KEYWORDS:
        return "is a Python keyword"
    return "is not a snake_case Python identifier" if style == "snake" else "is not an ASCII Python identifier"


def _module_clash(name: str) -> str:
    if name in STDLIB_MODULES:
        return f"would shadow the standard-library module {name!r}"
    if name in DEPENDENCY_MODULES:
        return f"would shadow {name!r}, a module the SDK depends on"
    if name in WINDOWS_DEVICES:
        return "is a reserved device name on Windows"
    return ""


def _client_clash(name: str) -> str:
    for candidate in (name, "Async" + name):
        if candidate in BUILTIN_NAMES:
            return f"would shadow the builtin {candidate!r}"
        if candidate in EXCEPTION_NAMES:
            return f"would shadow the SDK's exception class {candidate!r}"
        if candidate in TEMPLATE_CLASS_NAMES or candidate in CLIENT_MODULE_NAMES or candidate in RUNTIME_EXPORTS:
            return f"would shadow {candidate!r}, which the SDK's modules import"
    return ""
