"""How cell values print, and the filters templates get: `date`, `number`, `money`.

Values print as a person saw them in the sheet: a date cell as `2024-03-01` (Excel hands us a
datetime at midnight, which would otherwise print `2024-03-01 00:00:00`), a whole float as
`3` rather than `3.0`, booleans as Excel shows them (TRUE / FALSE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

ISO_DATE = "%Y-%m-%d"


@lru_cache(maxsize=4096, typed=True)
def _strftime_naive(when: dt.date, fmt: str) -> str:
    return when.strftime(fmt)


def _strftime(when: dt.date, fmt: str) -> str:
    # strftime is the dearest step of printing a date, and a template prints the same few
    # dates over and over (in every row, often several times a row), so results are cached.
    # Not for aware datetimes: 12:00+00:00 == 13:00+01:00, yet they print differently.
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        return when.strftime(fmt)
    return _strftime_naive(when, fmt)


def format_value(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return _strftime(value, ISO_DATE)
        return _strftime(value, "%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return _strftime(value, ISO_DATE)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _as_date(value: object, filter_name: str) -> dt.date | None:
    if isinstance(value, dt.date):  # datetime is a date too
        return value
    if isinstance(value, str):
        if not value.strip():
            return None  # an empty cell stays empty rather than failing the row
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"the `{filter_name}` filter needs a date, but got {format_value(value)!r}")


def date_filter(value: object, fmt: str = ISO_DATE) -> str:
    """`{{ joined|date }}` -> 2024-03-01; `{{ joined|date("%d %B %Y") }}` -> 01 March 2024."""
    when = _as_date(value, "date")
    return "" if when is None else _strftime(when, fmt)


def _as_number(value: object, filter_name: str) -> float | int | None:
    if isinstance(value, bool):
        raise ValueError(f"the `{filter_name}` filter needs a number, but got {value!r}")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        try:
            return int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            pass
    raise ValueError(f"the `{filter_name}` filter needs a number, but got {format_value(value)!r}")


def number_filter(value: object, decimals: int | None = None, separator: str = ",") -> str:
    """`{{ 1234567|number }}` -> 1,234,567; `{{ 3.14159|number(2) }}` -> 3.14."""
    number = _as_number(value, "number")
    if number is None:
        return ""
    text = f"{number:,}" if decimals is None else f"{number:,.{decimals}f}"
    return text.replace(",", separator) if separator != "," else text


def money_filter(value: object, symbol: str = "", decimals: int = 2) -> str:
    """`{{ amount|money("¥") }}` -> ¥1,234.50 (negative: -¥1,234.50)."""
    number = _as_number(value, "money")
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    return f"{sign}{symbol}{abs(number):,.{decimals}f}"


FILTERS: dict[str, Callable[..., Any]] = {
    "date": date_filter,
    "number": number_filter,
    "money": money_filter,
}
