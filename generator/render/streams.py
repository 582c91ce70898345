"""Code fragments for operations that answer with server-sent events: the method returns
``Stream[Event]`` (sync) / ``AsyncStream[Event]`` (async), or, where a boolean request field
chooses between JSON and the stream, is overloaded on that field (``Literal[True]`` → the
stream, ``Literal[False]``/omitted → the JSON model)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..ir.nodes import EventStream, Operation
from ..ir.types import TypeContext, print_type
from .imports import Imports
from .layout import annotated
from .text import py_literal

if TYPE_CHECKING:
    from .resources import MethodCode


def events_arg(events: EventStream) -> str:
    """The ``events=Events(...)`` argument of the operation's ``Endpoint`` (non-defaults only)."""
    args = []
    if events.envelope:
        args.append("envelope=True")
    if not events.json_data:
        args.append("json_data=False")
    if events.sentinel != "[DONE]":
        args.append(f"sentinel={py_literal(events.sentinel) if events.sentinel is not None else 'None'}")
    if events.names:
        names = ", ".join(py_literal(n) for n in events.names)
        args.append(f"names=({names}{',' if len(events.names) == 1 else ''})")
    if events.text_names:
        names = ", ".join(py_literal(n) for n in events.text_names)
        args.append(f"text_names=({names}{',' if len(events.text_names) == 1 else ''})")
    return f"events=Events({', '.join(args)})"


def stream_method(code: MethodCode, op: Operation, ctx: TypeContext, imports: Imports) -> MethodCode:
    """Turn a method's code into the streaming one (``op.response.events`` is set)."""
    events = op.response.events
    assert events is not None
    response_ctx = ctx.direction(response=True)
    item = print_type(events.type, response_ctx)
    imports.add(".._streaming", "AsyncStream", "Events", "Stream")
    streams = (f"Stream[{item}]", f"AsyncStream[{item}]")
    call, tail = list(code.call[:-5]), list(code.call[-5:])  # the five per-call options last
    if events.condition is None:
        call[1] = "None"
        call += ["stream=True", f"event_type={item}", *tail]
        return replace(code, call=tuple(call), stream_returns=streams)
    field = next(f for f in (op.body.fields if op.body else ()) if f.wire == events.condition)
    imports.typing |= {"Literal", "overload"}
    call += [f"stream={field.name} is True", f"event_type={item}", *tail]
    prefix = f"{field.name}: "
    stubs: list[tuple[str, ...]] = []
    for keyword, stream in (("def", streams[0]), ("async def", streams[1])):
        on = _params(code.params, prefix, annotated(field.name, "Literal[True]", "", "        ", ",")[:-1])
        off_default = "" if field.required else "NOT_GIVEN"
        off_type = "Literal[False]" if field.required else "Union[Literal[False], NotGiven]"
        off = _params(code.params, prefix, annotated(field.name, off_type, off_default, "        ", ",")[:-1])
        stubs.append((_stub(keyword, code.name, on, stream), _stub(keyword, code.name, off, code.returns)))
    returns = (f"Union[{code.returns}, {streams[0]}]", f"Union[{code.returns}, {streams[1]}]")
    return replace(code, call=tuple(call), stream_returns=returns, overloads=(stubs[0], stubs[1]))


def _params(params: tuple[str, ...], prefix: str, replacement: str) -> tuple[str, ...]:
    return tuple(replacement if p.startswith(prefix) else p for p in params)


def _stub(keyword: str, name: str, params: tuple[str, ...], returns: str) -> str:
    lines = ["@overload", f"{keyword} {name}(", "        self,"]
    lines += [f"        {p}," for p in params]
    lines.append(f"    ) -> {returns}: ...")
    return "\n    ".join(lines[:2]) + "\n" + "\n".join(lines[2:])
