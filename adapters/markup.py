"""People's words shown as words inside a platform's markup: the shared step of the Slack and Teams
renderers.

Slack documents how to escape only ``&``, ``<`` and ``>`` (api.slack.com/reference/surfaces/formatting,
"Escaping text"); it has no escape for ``*``, ``_``, ``~`` or backticks, and a zero-width space next to
one makes it *more* likely to format, not less (Slack formats at word breaks). So each markup character
in what someone wrote becomes a character that looks the same and means nothing to any markup: an
asterisk operator for ``*``, a modifier letter for ``_`` and a backtick, a tilde operator for ``~``
(the full-width forms Slack also reads, likewise). A line of theirs that would start a quote gets an
invisible soft hyphen in front. Web addresses are left as typed, so a link still goes where it says.
"""

from __future__ import annotations

import re

LOOK_ALIKES = str.maketrans(
    {
        "*": "\u2217",  # ∗ asterisk operator
        "\uff0a": "\ufe61",  # ＊ -> ﹡ small asterisk
        "_": "\u02cd",  # ˍ modifier letter low macron
        "\uff3f": "\u02cd",
        "`": "\u02cb",  # ˋ modifier letter grave accent
        "\uff40": "\u02cb",
        "~": "\u223c",  # ∼ tilde operator
        "\uff5e": "\u223c",
    }
)
_ADDRESS = re.compile(r"(https?://[^\s<>]+)")
_QUOTE_START = re.compile(r"^(\s*)(&gt;|>|\uff1e)", re.MULTILINE)
SOFT_HYPHEN = "\u00ad"


def literal_markup(words: str) -> str:
    """``words`` (already escaped for the platform's control characters) that no markup can format."""
    parts = _ADDRESS.split(words)  # words, an address, words, ...
    literal = "".join(
        part if i % 2 else part.translate(LOOK_ALIKES) for i, part in enumerate(parts)
    )
    return _QUOTE_START.sub(lambda m: f"{m.group(1)}{SOFT_HYPHEN}{m.group(2)}", literal)
