"""Links to a coordinator's web digest: signed, expiring, revocable, and the only credential.

A link names one workspace, one program, one coordinator, the program's link generation when it was
minted and the moment it expires, signed with the server's secret (``STAFFROOM_WEB_SECRET``). Nothing
is stored when a link is minted: the signature says the server made it, the expiry that it is recent,
and the generation (``revoke_links`` moves it on) that nobody has closed it since. Whether the person
may still read the program's digest is asked again each time the page opens (``web.py``), so a
coordinator who is no longer one finds their old links closed.

itsdangerous does the signing (HMAC-SHA1 over a key derived with the salt, compared in constant
time, URL-safe base64), which hand-written code would get subtly wrong; the expiry is in the payload
and compared with the core's clock rather than itsdangerous' own, so tests and the demo drive it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from itsdangerous import BadData, URLSafeSerializer

from bot.kernel.domain import Member, Program
from bot.kernel.ports import Scope
from bot.kernel.settings import Settings

SALT = "staffroom.digest-link.v1"
"""Keeps these signatures apart from anything else the same secret might ever sign."""
PATH = "/digest"
MAX_TOKEN = 400
"""Longer than any link we mint (about 90 characters); anything longer is refused unread."""
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-.]{1,400}$")


class BadLink(Exception):
    """The token was not made by this server with this secret, or is not a token at all."""


@dataclass(frozen=True)
class DigestLink:
    workspace_id: int
    program_id: int
    member_id: int
    generation: int
    expires: datetime

    def expired(self, now: datetime) -> bool:
        return now >= self.expires


class LinkSigner:
    """Mints and reads link tokens with one secret; the base URL turns a token into a link."""

    def __init__(self, secret: str, *, public_url: str | None = None, days: int = 7) -> None:
        self._serializer = URLSafeSerializer(secret, salt=SALT)
        self.public_url = public_url.rstrip("/") if public_url else None
        self.lifetime = timedelta(days=days)

    def mint(
        self, workspace_id: int, program_id: int, member_id: int, generation: int, now: datetime
    ) -> str:
        expires = int((now + self.lifetime).timestamp())
        token = self._serializer.dumps([workspace_id, program_id, member_id, generation, expires])
        return str(token)

    def read(self, token: str) -> DigestLink:
        """The link a token names, if this server signed it; its expiry is the caller's to check."""
        if len(token) > MAX_TOKEN or not TOKEN_SHAPE.match(token):
            raise BadLink("not a link token")
        try:
            payload = self._serializer.loads(token)
        except (BadData, ValueError, UnicodeError) as exc:
            raise BadLink("bad signature") from exc
        if (
            not isinstance(payload, list)
            or len(payload) != 5
            or not all(type(v) is int for v in payload)
        ):
            raise BadLink("unexpected payload")
        workspace_id, program_id, member_id, generation, expires = payload
        try:
            when = datetime.fromtimestamp(expires, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise BadLink("unexpected expiry") from exc
        return DigestLink(workspace_id, program_id, member_id, generation, when)

    def url(self, token: str, *, week: str | None = None, csv: bool = False) -> str:
        """The link itself: absolute under the public URL when there is one, else a path."""
        path = f"{PATH}/{quote(token, safe='')}" + ("/csv" if csv else "")
        query = f"?{urlencode({'week': week})}" if week else ""
        return f"{self.public_url or ''}{path}{query}"


def signer_from(settings: Settings) -> LinkSigner | None:
    """The server's signer, or None when no secret is set (no web digest, no links in chat)."""
    if not settings.web_secret:
        return None
    return LinkSigner(
        settings.web_secret, public_url=settings.public_url, days=settings.web_link_days
    )


def chat_link_maker(settings: Settings) -> LinkSigner | None:
    """A signer for links sent in chat: those need somewhere public to point at."""
    signer = signer_from(settings)
    return signer if signer is not None and signer.public_url else None


def digest_url(
    signer: LinkSigner, repos: Scope, program: Program, member: Member, week: str, now: datetime
) -> str:
    """A link for this coordinator to this program's digest of ``week``, in its current generation."""
    assert repos.workspace_id is not None and program.id is not None and member.id is not None
    generation = repos.digest.link_generation(program.id)
    token = signer.mint(repos.workspace_id, program.id, member.id, generation, now)
    return signer.url(token, week=week)


CHART = "chart.png"
"""The digest's trend chart, under the page's own link: the same credential, expiry and checks."""


def chart_url(page_url: str) -> str:
    """The chart of the page a link opens (its week kept): ``/digest/TOKEN/chart.png?week=...``."""
    base, sep, query = page_url.partition("?")
    return f"{base}/{CHART}{sep}{query}"
