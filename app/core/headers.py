"""Header safety: is a value fit to be placed in a message header?

A value bound for a header (a display name, an address, the subject, a List-Unsubscribe
address) must not be able to start a new header line. We refuse, rather than clean up:

* CR, LF and every other character `str.splitlines()` treats as a line break (VT, FF, the
  FS/GS/RS separators, NEL U+0085, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR);
* every other control character (C0, DEL, C1) and lone surrogates, which no name or subject
  legitimately contains. TAB is allowed: it is ordinary header whitespace.
* every RFC 2047 encoded-word (`=?charset?Q|B?text?=`). Python 3.11.7, which we run on, still
  has CVE-2024-6923: a tool that re-parses and re-folds our message could decode such a word
  into a real line break (`=?UTF-8?Q?=0A?=Bcc: evil@example.org` became a Bcc header). Nobody
  types encoded-words into a spreadsheet, so rejecting all of them costs nothing and leaves no
  decoder subtleties (charsets, malformed words) to reason about. A word that decodes to a line
  break gets its own, more pointed message.

Silently "sanitising" would send something the user did not write, so the row becomes a problem
instead and the user fixes the cell.
"""

from __future__ import annotations

import re
from email.header import decode_header

from app.core.model import Problem, ProblemKind

# Loose on purpose: anything that looks like an encoded-word to some decoder is refused.
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?]*\?=")

_NAMED = {
    "\r": "a carriage return (CR)",
    "\n": "a line break (LF)",
    "\x85": "a next-line character (NEL, U+0085)",
    "\u2028": "a line separator (U+2028)",
    "\u2029": "a paragraph separator (U+2029)",
}


# Exactly the categories Cc (minus TAB), Zl, Zp and Cs: one regex scan instead of a Python loop.
_UNSAFE_CHAR = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _describe_unsafe_char(value: str) -> str | None:
    match = _UNSAFE_CHAR.search(value)
    if match is None:
        return None
    char = match.group()
    return _NAMED.get(char) or f"an invisible control character (U+{ord(char):04X})"


def _encoded_word_hides_line_break(word: str) -> bool:
    try:
        decoded = decode_header(word)
    except Exception:  # malformed words are refused anyway; the reason is what differs
        return False
    for chunk, charset in decoded:
        if isinstance(chunk, bytes):
            text = chunk.decode(charset or "latin-1", errors="replace")
        else:
            text = chunk
        if _describe_unsafe_char(text) is not None:
            return True
    return False


def check_header_value(
    value: str, *, column: str | None = None, row: int | None = None
) -> Problem | None:
    """Return an UNSAFE_HEADER problem if `value` could break out of its header, else None."""
    where = f"The value in column {column!r}" if column else "A value bound for a header"
    unsafe = _describe_unsafe_char(value)
    if unsafe is not None:
        return Problem(
            kind=ProblemKind.UNSAFE_HEADER,
            message=(
                f"{where} contains {unsafe}, which could add a header to the message "
                f"(for example a hidden Bcc). Remove it from the cell and check again."
            ),
            row=row,
            column=column,
        )
    match = _ENCODED_WORD.search(value)
    if match is not None:
        if _encoded_word_hides_line_break(match.group()):
            reason = f"an encoded word {match.group()!r} that decodes to a line break"
        else:
            reason = f"MIME-encoded text {match.group()!r}, which mail programs would decode"
        return Problem(
            kind=ProblemKind.UNSAFE_HEADER,
            message=(
                f"{where} contains {reason}; it could be used to add a hidden header. "
                "Type the plain text in the cell instead."
            ),
            row=row,
            column=column,
        )
    return None
