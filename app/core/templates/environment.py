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

from jinja2 import StrictUndefined
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup

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


def make_environment(escaping: Escaping) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=FieldUndefined,
        autoescape=escaping is Escaping.HTML,
        finalize=_make_finalize(escaping),
        keep_trailing_newline=escaping is not Escaping.PLAIN,
    )
    env.filters.update(FILTERS)
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
