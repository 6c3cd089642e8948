"""Turn a rendered body into its HTML and plain-text forms, fast enough for 10,000 rows.

Converting HTML to text with inscriptis costs about 1 ms for a 3 KB body, and Markdown to HTML
with markdown-it about as much: alone that would blow `herald check`'s budget of 5 s for 10,000
rows. But rows differ only in the values they print. So the body is rendered once per row with
every printed value replaced by a placeholder token (environment.collect_outputs); the result,
the *skeleton*, is the same for every row that takes the same `{% if %}` branches. The expensive
conversions run once per distinct skeleton (LRU-cached) and each row's values are substituted
into the converted skeleton: HTML-escaped into HTML, as plain text into text.

Correctness guards, each falling back to the direct (uncached) conversion of the real values:
a token mangled by a filter (e.g. `truncate` on a captured block), or a token that Markdown did
not keep as text (inside a link target it is percent-encoded). The remaining difference from the
direct path is cosmetic: inscriptis pads table cells to the placeholder's width, not the value's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import escape

from app.core.templates.environment import TOKEN_CLOSE, TOKEN_OPEN

if TYPE_CHECKING:
    from inscriptis.model.config import ParserConfig
    from markdown_it import MarkdownIt

_TOKEN = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
# Same effect as collapsing every `\s+` to a space, but finds no match (and so copies
# nothing) in the usual value whose only whitespace is single spaces.
_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")

_HTML_DOCUMENT = (
    '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"></head>\n<body>\n{}</body>\n</html>\n'
)


# inscriptis (with lxml) and markdown-it take about 60 ms to import: loaded on first use, so
# a plain-text campaign (and every `herald` start) does not pay for them.
@lru_cache(maxsize=1)
def _text_config() -> ParserConfig:
    from inscriptis.model.config import ParserConfig

    return ParserConfig(display_links=True)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def html_to_text(html: str) -> str:
    from inscriptis import get_text

    return str(get_text(html, _text_config())).strip("\n") + "\n"


def markdown_to_html(markdown: str) -> str:
    return _HTML_DOCUMENT.format(_markdown().render(markdown))


@dataclass(frozen=True, slots=True)
class _Pieces:
    """A converted skeleton cut at its tokens: literals at even positions of `parts` (the odd
    ones are placeholders), and for each odd position the index of the value printed there."""

    parts: tuple[str, ...]
    slots: tuple[int, ...]


def _split(skeleton: str) -> _Pieces | None:
    """The skeleton cut at its tokens, or None if a token was mangled."""
    pieces = _TOKEN.split(skeleton)
    for literal in pieces[::2]:
        if TOKEN_OPEN in literal or TOKEN_CLOSE in literal:
            return None
    return _Pieces(tuple(pieces), tuple(int(i) for i in pieces[1::2]))


#: The same body skeleton comes back for every row that takes the same branches; cutting it
#: once instead of per row matters when a template prints ~100 values.
_split_cached = lru_cache(maxsize=128)(_split)


def _fill(pieces: _Pieces, values: Sequence[str], convert: Callable[[str], str]) -> str:
    # A dense template prints the same few cells many times: convert each distinct value once.
    converted = {value: convert(value) for value in set(values)}
    out = list(pieces.parts)
    out[1::2] = [converted[values[i]] for i in pieces.slots]
    return "".join(out)


def _html_escape(value: str) -> str:
    return str(escape(value))


def _as_text(value: str) -> str:
    # In HTML a run of whitespace shows as one space; the text part should read the same.
    return _WHITESPACE.sub(" ", value)


def _indices(pieces: _Pieces) -> frozenset[int]:
    return frozenset(pieces.slots)


@lru_cache(maxsize=128)
def _text_skeleton(html_skeleton: str) -> _Pieces | None:
    return _split(html_to_text(html_skeleton))


@lru_cache(maxsize=128)
def _markdown_skeleton(md_skeleton: str) -> tuple[_Pieces, _Pieces] | None:
    html = markdown_to_html(md_skeleton)
    md_pieces = _split(md_skeleton)
    html_pieces = _split(html)
    if md_pieces is None or html_pieces is None:
        return None
    if _indices(md_pieces) != _indices(html_pieces):
        return None  # a value landed where Markdown does not keep text as text
    text_pieces = _split(html_to_text(html))
    if text_pieces is None:
        return None
    return html_pieces, text_pieces


def html_body(skeleton: str, values: Sequence[str]) -> tuple[str, str] | None:
    """(html, text) for an HTML body rendered with tokens, or None to convert directly."""
    html_pieces = _split_cached(skeleton)
    if html_pieces is None:
        return None
    text_pieces = _text_skeleton(skeleton)
    if text_pieces is None:
        return None
    return _fill(html_pieces, values, _html_escape), _fill(text_pieces, values, _as_text)


def markdown_body(skeleton: str, values: Sequence[str]) -> tuple[str, str] | None:
    """(html, text) for a Markdown body rendered with tokens, or None to convert directly."""
    cached = _markdown_skeleton(skeleton)
    if cached is None:
        return None
    html_pieces, text_pieces = cached
    return _fill(html_pieces, values, _html_escape), _fill(text_pieces, values, _as_text)
