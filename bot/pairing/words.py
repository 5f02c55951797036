"""Small pieces of wording the pairing messages share, in the language being spoken."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal

from bot.kernel.i18n import _, current_language


def and_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names or topics as one phrase."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def one_decimal(value: float) -> str:
    """A score to one decimal place, with the decimal mark of the language being spoken."""
    return format_decimal(value, format="0.0", locale=current_language())
