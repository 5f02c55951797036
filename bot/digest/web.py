"""The web digest's requests, answered without knowing which server carries them.

``DigestWeb.respond(method, path, query)`` returns a status, headers and a body; the Slack WSGI server,
the Teams aiohttp app and ``staffroom web`` each pass requests for ``/digest/...`` in and the answer
back out, and decide nothing. A link opens the page only while all of these hold, checked in this
order and each refused with the same friendly 403: this server signed it, it has not expired, its
workspace and program exist (the program looked up in the link's own workspace), the program's
links have not been revoked since it was minted, and the person it names may still read the
program's digest. Whatever arrives (a broken token, a week that is no week, a thousand query fields)
is answered with a 4xx page, never a traceback.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from urllib.parse import parse_qs

from bot.digest.build import build_digest
from bot.digest.chart import trend_png
from bot.digest.links import CHART, PATH, BadLink, DigestLink, LinkSigner, signer_from
from bot.digest.page import STYLE_HASH, digest_page, refusal_page
from bot.digest.ports import ReadsAlongside
from bot.digest.render import csv_digest
from bot.digest.sending import may_read
from bot.digest.svg import trend_svgs
from bot.digest.weeks import Week, parse_week, week_just_ended, week_of
from bot.kernel.clock import Clock
from bot.kernel.context import speaking_to
from bot.kernel.domain import Member, MemberStatus, Program
from bot.kernel.i18n import N_, _, speaking
from bot.kernel.ports import Scope, UnitOfWork, UnitOfWorkFactory
from bot.kernel.settings import Settings

log = logging.getLogger(__name__)

PICKER_WEEKS = 12
"""Weeks the picker offers, newest first; older closed weeks still open by ``?week=``."""
OLDEST_WEEKS = 156
"""How far back ``?week=`` may reach when the program's start is unknown: three school years."""
MAX_QUERY = 2048

CSP = (
    "default-src 'none'; "
    f"style-src '{STYLE_HASH}'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    # The token is in the address: no other site may learn it from a Referer header.
    ("Referrer-Policy", "no-referrer"),
    # Nor may a shared computer's cache or a proxy keep the page.
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("X-Robots-Tag", "noindex, nofollow"),
)

REFUSED = (
    N_("This link doesn't open a digest"),
    N_(
        "It may have been closed by a coordinator, be meant for another program, or have been "
        "copied incompletely. Digest links work only for the program's coordinators."
    ),
)
EXPIRED = (
    N_("This link has expired"),
    N_(
        "Digest links open for a few days only, so an old message or a forwarded e-mail can't be "
        "used to read it later."
    ),
)
_CSV_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class WebResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def status_line(self) -> str:
        """``403 Forbidden``: what WSGI's ``start_response`` wants."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"


class Refused(Exception):
    """A page that will not open; its words are translated where it is raised, in the language
    being spoken then (the reader's once the link names them, the workspace's before)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status, self.title, self.message = status, _(title), _(message)


def is_digest_path(path: str) -> bool:
    """Whether a server should hand this request to ``DigestWeb`` at all."""
    return path == PATH or path.startswith(PATH + "/")


class DigestWeb:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        settings: Settings,
        alongside: ReadsAlongside | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.signer: LinkSigner | None = signer_from(settings)
        self.alongside = alongside

    def respond(self, method: str, path: str, query: str = "") -> WebResponse:
        """One request: never raises; a refusal or an error of ours is a page like any other.

        Until the link names its reader, the page speaks the workspace's default language."""
        with speaking(None):
            try:
                return self._respond(method.upper(), path, query)
            except Refused as refusal:
                return _refusal(refusal.status, refusal.title, refusal.message)
            except Exception:
                log.exception("the web digest failed on %s", method)
                return _refusal(
                    500,
                    _("Something went wrong on our side"),
                    _("Please try the link again in a minute."),
                )

    def _respond(self, method: str, path: str, query: str) -> WebResponse:
        if self.signer is None:
            raise Refused(
                404, N_("There is no web digest here"), N_("This server has no web digest.")
            )
        parts = path[len(PATH) :].strip("/").split("/") if is_digest_path(path) else []
        if (
            not parts
            or not parts[0]
            or len(parts) > 2
            or (len(parts) == 2 and parts[1] not in ("csv", CHART))
        ):
            raise Refused(
                404, N_("There is no page here"), N_("Check the link, or ask for a new one.")
            )
        if method not in ("GET", "HEAD"):
            response = _refusal(405, _("That isn't something this page does"), _("Open the link."))
            return WebResponse(405, (*response.headers, ("Allow", "GET, HEAD")), response.body)
        week_text, whole = _asked(query)
        now = self.clock.now()
        link = self._link(parts[0], now)
        with self.uow_factory() as uow:
            try:
                repos = uow.scope(link.workspace_id)
            except LookupError:
                raise Refused(403, *REFUSED) from None
            program, reader = self._admitted(repos, link)
            with speaking_to(reader):
                return self._answer(repos, uow, program, link, parts, method, week_text, whole, now)

    def _answer(
        self,
        repos: Scope,
        uow: UnitOfWork,
        program: Program,
        link: DigestLink,
        parts: list[str],
        method: str,
        week_text: str | None,
        whole: bool,
        now: datetime,
    ) -> WebResponse:
        """The page, its CSV or its chart, in the language of the coordinator the link names."""
        week = _week(program, week_text, now)
        digest = build_digest(repos.digest, program, week, now=now, alongside=self.alongside)
        uow.commit()  # a closed week read for the first time stays as it was read
        if len(parts) == 2 and parts[1] == CHART:
            # The chart a Teams card shows from here rather than carrying it (cards must stay small).
            return _ok(trend_png(digest), "image/png", head=method == "HEAD")
        if len(parts) == 2:
            name = _CSV_NAME.sub("-", f"{program.name}-{week.label}").strip("-") or "digest"
            return _ok(
                csv_digest(digest).encode("utf-8"),
                "text/csv; charset=utf-8",
                ("Content-Disposition", f'attachment; filename="{name}.csv"'),
                head=method == "HEAD",
            )
        page = digest_page(
            digest,
            trend_svgs(digest),
            weeks=_picker(program, now),
            csv_href=f"{parts[0]}/csv?week={week.label}",
            whole=whole,
            whole_href=f"?week={week.label}&all=1",
            expires=link.expires,
            revoke_hint=_(
                "Forwarded it by mistake? Type “digest revoke-links {program}” in chat to close "
                "every link to this page."
            ).format(program=program.name),
        )
        return _ok(page.encode("utf-8"), "text/html; charset=utf-8", head=method == "HEAD")

    def _link(self, token: str, now: datetime) -> DigestLink:
        assert self.signer is not None
        try:
            link = self.signer.read(token)
        except BadLink:
            raise Refused(403, *REFUSED) from None
        if link.expired(now):
            raise Refused(403, *EXPIRED)
        return link

    @staticmethod
    def _admitted(repos: Scope, link: DigestLink) -> tuple[Program, Member]:
        program = repos.programs.get(link.program_id)
        if program is None or program.id is None:
            raise Refused(403, *REFUSED)
        if repos.digest.link_generation(program.id) != link.generation:
            raise Refused(403, *REFUSED)
        member = repos.members.get(link.member_id)
        if member is None or member.status is MemberStatus.OPTED_OUT:
            raise Refused(403, *REFUSED)
        if not may_read(repos, member, program):
            raise Refused(403, *REFUSED)
        return program, member


def _asked(query: str) -> tuple[str | None, bool]:
    """The week asked for, and whether every name of the long lists (``all=1``)."""
    if len(query) > MAX_QUERY:
        raise Refused(400, N_("That address is too long"), N_("Open the link as it was sent."))
    try:
        fields = parse_qs(query, max_num_fields=10)
    except ValueError:
        raise Refused(
            400, N_("That address isn't right"), N_("Open the link as it was sent.")
        ) from None
    asked = fields.get("week")
    return (asked[0] if asked else None), fields.get("all", [""])[0] == "1"


def _earliest(program: Program, now: datetime) -> Week:
    if program.created_at is not None:
        return week_of(program.created_at.date())
    return week_of(now.date()).shifted(-OLDEST_WEEKS)


def _week(program: Program, text: str | None, now: datetime) -> Week:
    """The week asked for: a closed one, from the program's first week on (the last by default)."""
    latest = week_just_ended(now, program.timezone)
    if text is None or not text.strip():
        return latest
    try:
        week = parse_week(text)
    except ValueError as exc:
        raise Refused(400, N_("That isn't a week"), f"{exc}.") from None
    if week.monday > latest.monday:
        raise Refused(
            404,
            N_("That week isn't over yet"),
            N_("A week's digest appears once the week has ended."),
        )
    if week.monday < _earliest(program, now).monday:
        raise Refused(404, N_("No digest for that week"), N_("The program had not started yet."))
    return week


def _picker(program: Program, now: datetime) -> list[str]:
    latest = week_just_ended(now, program.timezone)
    first = _earliest(program, now)
    weeks = [latest.shifted(-n) for n in range(PICKER_WEEKS)]
    return [w.label for w in weeks if w.monday >= first.monday] or [latest.label]


def _ok(body: bytes, content_type: str, *extra: tuple[str, str], head: bool = False) -> WebResponse:
    headers = (
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        *SECURITY_HEADERS,
        *extra,
    )
    return WebResponse(200, headers, b"" if head else body)


def _refusal(status: int, title: str, message: str) -> WebResponse:
    body = refusal_page(title, message).encode("utf-8")
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *SECURITY_HEADERS,
    )
    return WebResponse(status, headers, body)
