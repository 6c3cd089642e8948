"""Hand-made MIME encoders: fast, and correct by construction (lines <= 998 octets, CRLF).

The stdlib's EmailMessage costs about 1 ms per message, a fifth of `herald check`'s whole budget
per row, so messages are assembled from bytes here. Values reaching these functions have passed
`headers.check_header_value` (no line breaks, no control characters, no encoded-words).

* Display names and subjects that are not plain, short ASCII words become RFC 2047 base64
  encoded-words of at most 72 characters (RFC 2047: 75), one per folded line, never splitting
  a UTF-8 sequence; addresses are never encoded.
* Bodies: 7bit when ASCII with short lines, else quoted-printable (mostly ASCII) or base64.
* Attachment filenames: RFC 2231 (`filename*=utf-8''...`), split into continuations when long.
"""

from __future__ import annotations

import base64
import binascii
import re
from email.header import decode_header, make_header
from urllib.parse import quote

CRLF = "\r\n"
FOLD = "\r\n "

# 42 bytes -> 56 base64 chars -> "=?utf-8?b?" + 56 + "?=" = 68 chars per encoded-word.
_WORD_BYTES = 42
# RFC 5322 atext plus space: a phrase made of these needs neither quoting nor encoding.
_ATOM_PHRASE = re.compile(r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*")
_PLAIN_TEXT = re.compile(r"[\x21-\x7e]+(?: [\x21-\x7e]+)*")
_MAX_PLAIN_WORD = 66
# 45 bytes -> 60 base64 chars -> a 72-character encoded-word: within RFC 2047's 75.
_PHRASE_WORD_BYTES = 45


def encoded_words(text: str, word_bytes: int = _WORD_BYTES) -> list[str]:
    """RFC 2047 base64 words, each holding whole characters (never a split UTF-8 sequence)."""
    data = text.encode("utf-8")
    words: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + word_bytes, len(data))
        # step back off UTF-8 continuation bytes (10xxxxxx) so a character stays whole
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        words.append(_word(data[start:end]))
        start = end
    return words or [_word(b"")]


def _word(data: bytes) -> str:
    return "=?utf-8?b?" + base64.b64encode(data).decode("ascii") + "?="


def _short_words(text: str) -> bool:
    return all(len(word) <= _MAX_PLAIN_WORD for word in text.split(" "))


def phrase(display_name: str) -> str:
    """A display name as it goes before `<address>`: atoms, a quoted string or encoded-words."""
    if "=?" in display_name:  # a reader would try to decode it: encode it ourselves
        return _encoded_phrase(display_name)
    if _ATOM_PHRASE.fullmatch(display_name) and _short_words(display_name):
        return display_name.replace(" ", FOLD) if len(display_name) > 60 else display_name
    if display_name.isascii() and len(display_name) <= 60 and _PLAIN_TEXT.fullmatch(display_name):
        escaped = display_name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    return _encoded_phrase(display_name)


def _encoded_phrase(display_name: str) -> str:
    """Encoded-words for a display name, each at most 72 characters (RFC 2047's limit is 75).

    45 bytes of UTF-8 a word keeps names of up to 15 Chinese characters in one word. Longer
    names take several words, which RFC 2047 readers join again; Python's address parser
    (policy.default) shows a space between them, so Herald's own previews decode names with
    `display_header` instead.
    """
    return FOLD.join(encoded_words(display_name, _PHRASE_WORD_BYTES))


def display_header(raw: str) -> str:
    """A raw header value decoded as RFC 2047 says (adjacent encoded-words joined without the
    space between them), for showing a message: `张三 <a@example.com>`."""
    return str(make_header(decode_header(raw)))


def mailbox(address: str, display_name: str) -> str:
    if not display_name:
        return address
    return f"{phrase(display_name)} <{address}>"


def address_list(mailboxes: list[str]) -> str:
    """Join mailboxes; each after the first starts on its own folded line."""
    return ("," + FOLD).join(mailboxes)


def unstructured(text: str) -> str:
    """A Subject value: plain ASCII folded at spaces, anything else as encoded-words.

    Plain means printable ASCII words separated by single spaces, no word longer than 66
    characters and no `=?` (which a reader would try to decode). Anything else, including
    leading, trailing or doubled spaces, is encoded so it round-trips exactly.
    """
    if (
        text
        and _PLAIN_TEXT.fullmatch(text)
        and "=?" not in text
        and _short_words(text)
        and text.isascii()
    ):
        return _fold_at_spaces(text)
    return FOLD.join(encoded_words(text))


def _fold_at_spaces(text: str, width: int = 68) -> str:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return FOLD.join(lines)


def header(name: str, value: str) -> str:
    return f"{name}: {value}{CRLF}"


# --- bodies ------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_ASCII_BYTES = bytes(range(128))


# C0 controls but TAB and LF, and DEL: RFC 2045 keeps NUL out of 7bit, and a mail program
# shows the rest as garbage or not at all. Such a part goes quoted-printable (`=00`, `=1B`).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def encode_text_body(text: str) -> tuple[str, bytes]:
    """(Content-Transfer-Encoding, body bytes with CRLF line ends) for a UTF-8 text part.

    7bit only for ASCII with short lines and no control characters. A control character from
    a cell (NUL, ESC, ...) is not refused: a body cannot add a header, and the reader gets
    exactly what the sheet holds, encoded so no server or client mangles the part. Base64 is
    the encoding of the canonical text, whose line ends are CRLF (RFC 2045, 6.8).
    """
    normalised = _LINE_BREAKS.sub("\n", text)
    data = normalised.encode("utf-8", errors="replace")
    if (
        data.isascii()
        and max(map(len, data.split(b"\n")), default=0) <= 990
        and _CONTROL_BYTES.search(data) is None  # (QP and base64 encode them anyway)
    ):
        return "7bit", data.replace(b"\n", b"\r\n")
    non_ascii = len(data.translate(None, _ASCII_BYTES))  # bytes >= 0x80, counted in C
    if non_ascii * 3 > len(data):  # mostly non-ASCII (e.g. Chinese): base64 is shorter
        return "base64", base64_lines(data.replace(b"\n", b"\r\n"))
    encoded = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    return "quoted-printable", encoded.replace(b"\n", b"\r\n")


def base64_lines(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


# --- attachment filenames ----------------------------------------------------------------

_SAFE_FILENAME = re.compile(r"[A-Za-z0-9 !#$%&'()*+,\-.;=@\[\]^_`{}~]{1,60}")


def filename_params(param: str, filename: str) -> str:
    """`; filename="x.pdf"` or RFC 2231 `; filename*=utf-8''...` (continued when long)."""
    if _SAFE_FILENAME.fullmatch(filename):
        return f';{FOLD}{param}="{filename}"'
    encoded = quote(filename.encode("utf-8"), safe="")
    if len(encoded) <= 60:
        return f";{FOLD}{param}*=utf-8''{encoded}"
    pieces = []
    start = 0
    index = 0
    while start < len(encoded):
        end = min(start + 60, len(encoded))
        # never split a %XX escape across two continuations
        percent = encoded.rfind("%", max(start, end - 2), end)
        if percent != -1 and end < len(encoded):
            end = percent
        prefix = "utf-8''" if index == 0 else ""
        pieces.append(f";{FOLD}{param}*{index}*={prefix}{encoded[start:end]}")
        start = end
        index += 1
    return "".join(pieces)
