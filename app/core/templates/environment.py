"""The Jinja2 sandboxes Herald renders with, and how a cell value looks once printed.

One environment per output kind, because escaping differs:

* PLAIN (subject, plain-text bodies): never escaped; an address book name like `<Tom> & Co`
  must reach the subject exactly as typed.
* HTML: autoescaped, so a cell cannot inject markup.
* MARKDOWN: every printed value is backslash-escaped for CommonMark before the Markdown is
  converted, so `*`, `[`, `<` in a cell are shown literally instead of becoming markup.

All three are `SandboxedEnvironment`s with `StrictUndefined`.

Printed values pass through `finalize`, which formats cells as a person sees them (dates as ISO
dates, whole floats without `.0`, booleans as TRUE/FALSE). While a *token sink* is active (see
`collect_outputs`) finalize instead records the formatted value and prints a placeholder token;
that lets the caller convert the row-independent rest of an HTML/Markdown body once and reuse
it for every row (see `plaintext.py`). Markup values (`|safe`, macros) are structure, not data,
and are printed as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import Any, NoReturn

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.exceptions import UndefinedError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg, missing
from markupsafe import Markup

from app.core.templates import limits
from app.core.templates.filters import FILTERS, format_value

#: Placeholder tokens use Private Use Area characters: never whitespace or punctuation, so
#: HTML and Markdown parsers treat them like letters and leave them in place.
TOKEN_OPEN = "\ue000"  # noqa: S105 (not a password)
TOKEN_CLOSE = "\ue001"  # noqa: S105

_sink: ContextVar[list[str] | None] = ContextVar("herald_template_sink", default=None)


class Escaping(Enum):
    PLAIN = "plain"
    HTML = "html"
    MARKDOWN = "markdown"


class MissingField(UndefinedError):
    """A name or `row[...]` key that is not a column; carries the name for the message."""

    def __init__(self, message: str, name: str | None) -> None:
        super().__init__(message)
        self.name = name


class FieldUndefined(StrictUndefined):
    """StrictUndefined that says *which* name was missing, so we can suggest real columns."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self._undefined_exception is not UndefinedError:
            # the sandbox's "unsafe attribute" undefined carries SecurityError: keep it
            raise self._undefined_exception(self._undefined_message)
        # A top-level name, or a key/attribute looked up on the row mapping, is meant as a
        # column; a missing attribute of some other value (`joined.yeer`) is not.
        owner = self._undefined_obj
        is_column = owner is missing or isinstance(owner, Mapping)
        raise MissingField(self._undefined_message, self._undefined_name if is_column else None)

    # Undefined binds its operator dunders to the *function* object at class creation, so
    # overriding the method alone would not reach them; rebind every one of them.
    _fail = _fail_with_undefined_error
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail
    __div__ = __rdiv__ = __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _fail
    __mod__ = __rmod__ = __pos__ = __neg__ = __pow__ = __rpow__ = _fail
    __call__ = __getitem__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __int__ = __float__ = __complex__ = _fail
    __iter__ = __str__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = __contains__ = _fail


_MARKDOWN_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (CommonMark makes each literal)."""
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in text)


def _token(index: int) -> str:
    return f"{TOKEN_OPEN}{index}{TOKEN_CLOSE}"


#: Tokens for the first few hundred printed values, built once rather than per printed value.
_TOKENS = tuple(_token(i) for i in range(512))


def _make_finalize(escaping: Escaping) -> Callable[[Any], Any]:
    tokenize = escaping is not Escaping.PLAIN
    markdown = escaping is Escaping.MARKDOWN
    sink_var = _sink

    # Called for every printed value, a million times for 10,000 rows of a dense template:
    # kept lean on purpose (plain str cells, the common case, skip the isinstance chain).
    def finalize(value: Any) -> Any:
        if type(value) is str:
            text = value
        elif isinstance(value, Markup):
            return value
        else:
            text = format_value(value)
        if tokenize:
            sink = sink_var.get()
            if sink is not None:
                index = len(sink)
                sink.append(text)
                return _TOKENS[index] if index < len(_TOKENS) else _token(index)
            if markdown:
                return escape_markdown(text)
        return text  # HTML: Jinja's autoescape escapes what finalize returns

    return finalize


# --- the budget (limits.py) enforced from inside the sandbox ------------------------------

#: Filter (added to every `{% for %}` at compile time) that times each turn of the loop: a
#: loop with an empty body calls no other hook.
LOOP_GUARD = "herald_loop_guard"
#: String methods whose first argument is the width of the result.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
_PADDING_FILTERS = frozenset({"center", "indent"})


@pass_context
def _guarded_loop(context: Context, iterable: Any) -> Iterator[Any]:
    meter = limits.current()
    if meter is None:
        yield from iterable
        return
    for item in iterable:
        meter.tick()
        yield item


def _check_call(meter: limits.RenderMeter, obj: Any, args: tuple[Any, ...]) -> None:
    """Refuse a string method call whose result would be over the size budget."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _PADDING_METHODS and args and isinstance(args[0], int):
        meter.allow(args[0])
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        meter.allow(len(owner) + owner.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2:
        meter.allow(_replaced_size(owner, args[0], args[1]))
    elif name == "join" and args and isinstance(args[0], list | tuple):
        meter.allow(limits.weight(args[0]) + len(owner) * len(args[0]))


def _replaced_size(text: Any, old: Any, new: Any) -> int:
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return 0
    hits = text.count(old) if old else len(text) + 1
    return len(text) + hits * max(len(new) - len(old), 0)


def _check_binop(meter: limits.RenderMeter, operator: str, left: Any, right: Any) -> None:
    if operator == "**":
        meter.allow(limits.power_bits(left, right) // 8)
    elif operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            meter.allow((left.bit_length() + right.bit_length()) // 8)
        elif isinstance(right, int) and not isinstance(right, bool):
            meter.allow(limits.weight(left) * max(right, 0))
        elif isinstance(left, int) and not isinstance(left, bool):
            meter.allow(limits.weight(right) * max(left, 0))
    elif operator == "+":
        meter.allow(limits.weight(left) + limits.weight(right))
    elif operator == "%" and isinstance(left, str):
        meter.allow(limits.percent_width(left))


class BudgetSandbox(SandboxedEnvironment):
    """The sandbox with every hook also checking the message's budget (limits.py). With no
    meter active (compiling, or rendering outside CompiledTemplate) the hooks only sandbox."""

    # Intercepted operators are also never folded at compile time, so `{{ 'x' * 500000000 }}`
    # cannot hang the compiler either.
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        meter = limits.current()
        if meter is not None:
            meter.tick()
            _check_binop(meter, operator, left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        meter = limits.current()
        if meter is not None:
            meter.tick()
            if type(value) is str:  # `{% set ns.s = ns.s ~ ns.s %}` doubles a string each turn
                meter.allow(len(value))
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        value = super().getitem(obj, argument)
        meter = limits.current()
        if meter is not None:
            meter.tick()
        return value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        meter = limits.current()
        if wrapped is not None and meter is not None:
            meter.allow(limits.format_width(value.__self__))
        return wrapped

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        meter = limits.current()
        if meter is not None:
            meter.tick()
            _check_call(meter, __obj, args)
        return super().call(__context, __obj, *args, **kwargs)


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func` with the budget checked around it. Marked pass_context, which also keeps Jinja
    from running it at compile time on constants (`{{ 'a'|center(500000000) }}`)."""
    passes = _PassArg.from_obj(func)

    @pass_context
    def guarded(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        meter = limits.current()
        if meter is not None:
            meter.tick()
            if name in _PADDING_FILTERS:
                for arg in (*args, *kwargs.values()):
                    if isinstance(arg, int):
                        meter.allow(arg + limits.weight(value))
            elif name == "format" and isinstance(value, str):
                meter.allow(limits.percent_width(value))
            elif name == "replace" and len(args) >= 2:
                meter.allow(_replaced_size(value, args[0], args[1]))
            elif name == "join" and isinstance(value, list | tuple):
                meter.allow(limits.weight(value) * 2)
        if passes is _PassArg.context:
            result = func(context, value, *args, **kwargs)
        elif passes is _PassArg.eval_context:
            result = func(context.eval_ctx, value, *args, **kwargs)
        elif passes is _PassArg.environment:
            result = func(context.environment, value, *args, **kwargs)
        else:
            result = func(value, *args, **kwargs)
        if meter is not None and isinstance(result, str | list | tuple):
            meter.allow(limits.weight(result))
        return result

    guarded.__name__ = getattr(func, "__name__", name)
    return guarded


def guard_loops(template: nodes.Template) -> nodes.Template:
    """Wrap the iterable of every `{% for %}` in LOOP_GUARD, so each turn is timed."""
    for loop in template.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, LOOP_GUARD, [], [], None, None, lineno=loop.lineno)
    return template


def make_environment(escaping: Escaping) -> SandboxedEnvironment:
    env = BudgetSandbox(
        undefined=FieldUndefined,
        autoescape=escaping is Escaping.HTML,
        finalize=_make_finalize(escaping),
        keep_trailing_newline=escaping is not Escaping.PLAIN,
    )
    # lipsum(n) writes n paragraphs; nothing a mail merge needs, and a way to make 1 GB
    env.globals.pop("lipsum", None)
    env.filters.update(FILTERS)
    env.filters = {name: _guard_filter(name, f) for name, f in env.filters.items()}
    env.filters[LOOP_GUARD] = _guarded_loop
    return env


@contextmanager
def collect_outputs() -> Iterator[list[str]]:
    """Within this block, printed values become tokens; the list receives their text."""
    outputs: list[str] = []
    reset = _sink.set(outputs)
    try:
        yield outputs
    finally:
        _sink.reset(reset)
