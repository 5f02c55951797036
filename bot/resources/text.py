"""What a teacher types, made safe to store: links checked, text plain and short.

Everything stored here is plain text. Markup is removed rather than escaped because every renderer
(Slack mrkdwn, Adaptive Cards, the terminal) has its own escaping, and a stored ``<script>`` or
``<!channel>`` would be a trap for whichever renderer forgot.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.kernel.i18n import _
from bot.resources.terms import slug

MAX_URL = 2000
MAX_TITLE = 150
MAX_NOTE = 1000
MAX_TAGS = 8
MAX_TAG = 40
SOURCE_KINDS = ("peer", "expert")

_SCRIPT = re.compile(r"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src")


class InvalidResource(ValueError):
    """One field is wrong; ``field`` names it so a form can show the error beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def plain(text: str, *, multiline: bool = False) -> str:
    """Markup and control characters out, entities decoded, whitespace tidied."""
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # entities that decoded into tags (&lt;script&gt;)
    text = text.replace("<", "‹").replace(">", "›")
    text = _CONTROL.sub("", text)
    if multiline:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return "\n".join(lines).strip()
    return " ".join(text.split())


def clean_title(text: str) -> str:
    title = plain(text)
    if not title:
        raise InvalidResource("title", _("Please give it a title."))
    if len(title) > MAX_TITLE:
        raise InvalidResource(
            "title", _("Please keep the title under {limit} characters.").format(limit=MAX_TITLE)
        )
    return title


def clean_note(text: str) -> str:
    note = plain(text, multiline=True)
    if len(note) > MAX_NOTE:
        raise InvalidResource(
            "note", _("Please keep the note under {limit} characters.").format(limit=MAX_NOTE)
        )
    return note


def clean_url(text: str) -> str:
    """A link people can open safely: http or https, a real host, no passwords inside."""
    url = text.strip().strip("<>")
    if not url:
        raise InvalidResource("url", _("Please paste a link."))
    if len(url) > MAX_URL:
        raise InvalidResource(
            "url", _("That link is over {limit} characters.").format(limit=MAX_URL)
        )
    if any(c.isspace() for c in url) or _CONTROL.search(url):
        raise InvalidResource("url", _("A link cannot contain spaces."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidResource("url", _("That doesn't look like a link.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidResource(
            "url", _("Only web links (starting with http:// or https://) can be shared.")
        )
    host = parts.hostname or ""
    if not host or not re.fullmatch(r"[a-z0-9.\-\[\]:]+", host):
        raise InvalidResource("url", _("That link has no web address in it."))
    if parts.username or parts.password:
        raise InvalidResource(
            "url", _("Please share links without a username or password in them.")
        )
    del port
    return url


def normalise_url(url: str) -> str:
    """The key that makes two spellings of one link the same resource.

    Scheme, ``www.``, default ports, fragments, trailing slashes, tracking parameters and parameter order
    do not change what a link points to, so they do not count.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    )
    return urlunsplit(("", host, path, urlencode(query), ""))[2:]


def clean_tags(raw: list[str]) -> list[str]:
    """Tags as people read them (``classroom management``), distinct by their slug."""
    tags: dict[str, str] = {}
    for item in raw:
        for piece in re.split(r"[,;]", item):
            text = plain(piece).lstrip("#").replace("-", " ").replace("_", " ").strip()
            text = " ".join(text.split()).lower()
            if not text:
                continue
            if len(text) > MAX_TAG:
                raise InvalidResource(
                    "tags", _("Keep each tag under {limit} characters.").format(limit=MAX_TAG)
                )
            tags.setdefault(slug(text), text)
    if len(tags) > MAX_TAGS:
        raise InvalidResource("tags", _("Up to {most} tags, please.").format(most=MAX_TAGS))
    return list(tags.values())


def title_from_url(url: str) -> str:
    """A readable stand-in title when someone shares a bare link: ``edutopia.org: hinge questions``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    last = [p for p in parts.path.split("/") if p]
    words = (
        re.sub(r"\.[a-z0-9]{1,5}$", "", last[-1]).replace("-", " ").replace("_", " ")
        if last
        else ""
    )
    title = f"{host}: {words}" if words else host
    return plain(title)[:MAX_TITLE]
