"""The web digest over real HTTP: the Slack WSGI server, the Teams aiohttp app and ``staffroom web``
serving ``/digest/...`` from links the chat digest mints, on every database; and the page as a real
headless Chromium lays it out, on a phone and on a desk."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import timedelta
from email.message import Message as Headers
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.digest.links import LinkSigner
from bot.digest.web import DigestWeb
from bot.kernel.domain import Platform
from bot.kernel.messages import Link
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom, build, digest_web
from storage.models.programs import MembershipRow
from tests.conftest import Person, shared_engine
from tests.digest.browser import chromium, look
from tests.digest.history import PROGRAM, SECRET, add_teacher, build_history

if TYPE_CHECKING:
    from sqlalchemy import Engine

WEB_SECRET = "test-web-secret-0123456789-abcdefghijklmnop"
PUBLIC = "https://staffroom.example"
W47 = "73% (8 of 11)"
W46 = "45% (5 of 11)"


@pytest.fixture
def app(database_url: str, clock: object, engines: dict[str, Engine]) -> Staffroom:
    """The suite's app, with the web digest set up: a signing secret and a public URL."""
    settings = Settings(database_url=database_url, web_secret=WEB_SECRET, public_url=PUBLIC)
    return build(settings, clock=clock, engine=shared_engine(engines, database_url))  # type: ignore[arg-type]


Serve = Callable[[Staffroom], AbstractContextManager[str]]


@contextmanager
def slack_server(app: Staffroom) -> Iterator[str]:
    from slack_bolt import App

    from adapters.slack.server import BackgroundServer

    bolt = App(token="xoxb-test", signing_secret="s" * 32, token_verification_enabled=False)
    web = digest_web(app)  # as serve slack builds it: who needs a hand read alongside
    with BackgroundServer(bolt, web=web) as server:
        yield server.base


@contextmanager
def teams_server(app: Staffroom) -> Iterator[str]:
    from adapters.teams.app import build_teams_app
    from storage.db import make_session_factory
    from storage.repositories.platform import SqlTeamsConversations
    from tests.support.aiohttp_loop import Loop

    loop = Loop()
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    settings = replace(app.settings, teams_allow_unauthenticated=True)
    web = digest_web(app)
    try:
        yield f"http://127.0.0.1:{loop.serve(build_teams_app(app.bot, store, settings, web))}"
    finally:
        loop.close()


@contextmanager
def console_server(app: Staffroom) -> Iterator[str]:
    from adapters.web import BackgroundWebServer

    with BackgroundWebServer(digest_web(app)) as server:
        yield server.base


SERVERS: dict[str, Serve] = {
    "slack": slack_server,
    "teams": teams_server,
    "web": console_server,
}


def get(url: str, method: str = "GET") -> tuple[int, Headers, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read().decode()


def chat_link(person: Person, command: str = "digest") -> str:
    """The link the chat digest carries for whoever asked."""
    (reply,) = person("Maya Patel").type(command).replies
    (link,) = [b for b in reply.blocks if isinstance(b, Link)]
    assert link.url.startswith(f"{PUBLIC}/digest/")
    return link.url


def on(base: str, link: str) -> str:
    return base + link.removeprefix(PUBLIC)


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_a_signed_link_opens_the_week_asked_for(
    app: Staffroom, person: Person, server: str
) -> None:
    build_history(app, person)
    link = chat_link(person)
    assert link.endswith("?week=2026-W47")
    with SERVERS[server](app) as base:
        status, headers, page = get(on(base, link))
        assert status == 200, page
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "Weekly digest: Maths Mentoring" in page and W47 in page
        # Who needs a hand comes before the figures; the chart is inline SVG with a description.
        assert page.index("Who needs a hand") < page.index("Check-in response")
        assert '<svg class="chart"' in page and "<desc" in page
        assert "<script" not in page and SECRET not in page
        # The week picker asks for another week by GET, and the page shows that week's figures.
        assert '<option value="2026-W46">' in page
        status, _, older = get(on(base, link).replace("2026-W47", "2026-W46"))
        assert status == 200 and W46 in older and W47 not in older
        # The CSV download is the digest's CSV.
        status, headers, csv = get(on(base, link).replace("?week=", "/csv?week="))
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert 'filename="Maths-Mentoring-2026-W47.csv"' in headers["Content-Disposition"]
        assert csv.startswith("program,week,section,item,value\n")
        assert "Maths Mentoring,2026-W47,checkins,answered,8" in csv


@pytest.mark.parametrize("server", ["slack", "teams"])
def test_every_link_that_should_not_open_is_refused_kindly(
    app: Staffroom, person: Person, server: str
) -> None:
    h = build_history(app, person)
    link = chat_link(person)
    signer = LinkSigner(WEB_SECRET)
    token = link.removeprefix(f"{PUBLIC}/digest/").partition("?")[0]
    minted = signer.read(token)
    with SERVERS[server](app) as base:

        def refused(url: str, status: int = 403) -> str:
            got, headers, page = get(url)
            assert got == status, (url, page)
            assert headers["Referrer-Policy"] == "no-referrer"
            assert "Traceback" not in page and "<script" not in page
            return page

        assert get(on(base, link))[0] == 200
        # Tampered: one character of the signature changed, or of the payload.
        flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert "open a digest" in refused(on(base, link).replace(token, flipped))
        refused(on(base, link).replace(token, "x" + token[1:]))
        # Signed with another secret.
        forged = LinkSigner("another-secret-" * 4).mint(
            minted.workspace_id, h.program_id, minted.member_id, 0, app.clock.now()
        )
        refused(f"{base}/digest/{forged}")
        # Another program's, another workspace's, or somebody else's link, signed properly.
        for workspace, program, member in (
            (minted.workspace_id, h.program_id + 1, minted.member_id),
            (minted.workspace_id + 1, h.program_id, minted.member_id),
            (minted.workspace_id, h.program_id, h.ids["Ana"]),  # a mentee
        ):
            other = signer.mint(workspace, program, member, 0, app.clock.now())
            refused(f"{base}/digest/{other}")
        # Expired: a week on, the link minted today no longer opens.
        clock = app.clock
        clock.advance(timedelta(days=7))  # type: ignore[attr-defined]
        assert "expired" in refused(on(base, link))
        clock.advance(timedelta(days=-7))  # type: ignore[attr-defined]
        assert get(on(base, link))[0] == 200
        # Garbage: never a 500.
        refused(f"{base}/digest/%00%ff", 403)
        refused(f"{base}/digest/" + "a" * 5000, 403)
        refused(f"{base}/digest/{token}/nothing", 404)
        refused(on(base, link).replace("2026-W47", "2026-W99"), 400)
        refused(on(base, link).replace("2026-W47", "not-a-week"), 400)
        refused(on(base, link).replace("2026-W47", "2031-W01"), 404)
        refused(on(base, link) + "&" + "&".join(f"k{i}=v" for i in range(50)), 400)
        assert get(on(base, link), method="POST")[0] == 405
        # Demoted: once Maya no longer coordinates the program, her links close.
        with Session(app.engine) as s:
            s.execute(
                update(MembershipRow)
                .where(MembershipRow.member_id == h.ids["Maya"])
                .values(role="mentor")
            )
            s.commit()
        refused(on(base, link))
        with Session(app.engine) as s:
            s.execute(
                update(MembershipRow)
                .where(MembershipRow.member_id == h.ids["Maya"])
                .values(role="coordinator")
            )
            s.commit()
        assert get(on(base, link))[0] == 200
        # Revoked: every link minted so far closes; a fresh one opens.
        (reply,) = person("Maya Patel").type(f'digest revoke-links "{PROGRAM}"').replies
        assert "is closed" in reply.text
        refused(on(base, link))
        assert get(on(base, chat_link(person)))[0] == 200


def test_a_teacher_cannot_revoke_and_the_chat_link_is_each_readers_own(
    app: Staffroom, person: Person
) -> None:
    from bot.digest.chat import REFUSAL
    from tests.conftest import joined

    build_history(app, person)
    tess = joined(person("Tess Teacher"))
    assert tess.type(f"digest revoke-links {PROGRAM}").replies[0].text == REFUSAL
    signer = LinkSigner(WEB_SECRET)
    first = chat_link(person).removeprefix(f"{PUBLIC}/digest/").partition("?")[0]
    assert signer.read(first).generation == 0


def test_the_weekly_digest_carries_each_coordinators_own_link(
    app: Staffroom, person: Person
) -> None:
    from adapters.console.messenger import ConsoleMessenger
    from adapters.teams.cards import render_card, size_of
    from bot.digest.sending import send_digests
    from staffroom.runtime import make_scheduler
    from tests.digest.history import nz

    h = build_history(app, person)
    scheduler = make_scheduler(app)
    app.clock.set(nz(23, 8, 0))  # type: ignore[attr-defined]
    scheduler.run_job("digest.send")
    messenger = ConsoleMessenger(quiet=True)
    app.worker({Platform.CONSOLE: messenger}, worker_id="t").drain()
    (delivered,) = [d for d in messenger.delivered if "Weekly digest" in d.text]
    (link,) = [b for b in delivered.message.blocks if isinstance(b, Link)]
    token = link.url.removeprefix(f"{PUBLIC}/digest/").partition("?")[0]
    assert LinkSigner(WEB_SECRET).read(token).member_id == h.ids["Maya"]
    # On Teams the card shows the chart from the bot's own server instead of carrying it, and
    # stays well under the ~28 KB Teams accepts.
    card = render_card(delivered.message)
    assert "data:image/png" not in str(card)
    assert size_of(card) < 28_000
    [image] = [e for e in card["body"] if e.get("type") == "Image"]
    base, _, week = link.url.partition("?")
    assert image["url"] == f"{base}/chart.png?{week}"
    with teams_server(app) as served:  # the bot's own HTTP server answers it with the chart
        with urllib.request.urlopen(on(served, image["url"]), timeout=30) as response:
            assert response.headers["Content-Type"] == "image/png"
            assert response.headers["Cache-Control"] == "no-store"
            assert response.read().startswith(b"\x89PNG")
        forged = on(served, image["url"]).replace(token, token[:-2] + "xx")
        assert get(forged)[0] == 403  # the same credential: a forged token opens nothing
    assert {"type": "Action.OpenUrl", "title": "Open the full digest", "url": link.url} in [
        {k: a[k] for k in ("type", "title", "url")}
        for e in card["body"]
        if e.get("type") == "ActionSet"
        for a in e["actions"]
        if a["type"] == "Action.OpenUrl"
    ]
    # Without a public URL (or a secret) the job sends no link, as before.
    assert send_digests(app.uow_factory, nz(30, 8, 0)).queued == 1


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("width", [375, 1280])
def test_the_page_in_a_real_browser_fits_the_screen(
    app: Staffroom, person: Person, tmp_path: Path, width: int
) -> None:
    build_history(app, person)
    link = chat_link(person).replace("2026-W47", "2026-W46")
    # Long unbroken words from people must wrap, not push the page sideways on a phone.
    with Session(app.engine) as s:
        from storage.models.members import MemberRow

        s.execute(
            update(MemberRow)
            .where(MemberRow.display_name == "Dev")
            .values(display_name="Dev" + "W" * 80 + "<b>bold</b>")
        )
        s.commit()
    with console_server(app) as base:
        seen = look(on(base, link), width=width, height=900, profile=tmp_path / "profile")
    assert seen.scroll_width <= seen.client_width == width, (seen.scroll_width, width)
    assert "Weekly digest: Maths Mentoring" in seen.text
    assert W46 in seen.text and W47 not in seen.text
    assert "<b>bold</b>" in seen.text  # shown as the text it is, not as markup
    assert seen.text.index("Who needs a hand") < seen.text.index("Check-in response")
    from matplotlib.image import imread

    shot = tmp_path / "shot.png"
    shot.write_bytes(seen.screenshot)
    pixels = imread(shot)
    assert pixels.shape[1] == width
    rgb = (pixels[..., :3] * 255).round().astype(int)
    blue = (abs(rgb - (0x2B, 0x6C, 0xB0)).sum(axis=2) < 30).sum()
    assert blue > 100, "the chart or the buttons did not draw"


def test_the_web_settings_are_checked_at_start_up() -> None:
    from bot.kernel.settings import SettingsError, load_settings

    good = load_settings(
        {"STAFFROOM_WEB_SECRET": WEB_SECRET, "STAFFROOM_PUBLIC_URL": f"{PUBLIC}/"}, dotenv_path=None
    )
    assert (good.web_secret, good.public_url, good.web_link_days) == (WEB_SECRET, PUBLIC, 7)
    for env, name in (
        ({"STAFFROOM_WEB_SECRET": "short"}, "STAFFROOM_WEB_SECRET"),
        ({"STAFFROOM_PUBLIC_URL": "staffroom.example"}, "STAFFROOM_PUBLIC_URL"),
        ({"STAFFROOM_WEB_LINK_DAYS": "0"}, "STAFFROOM_WEB_LINK_DAYS"),
    ):
        with pytest.raises(SettingsError) as refused:
            load_settings(env, dotenv_path=None)
        assert refused.value.name == name


def test_a_link_block_survives_the_outbox_and_renders_on_every_platform() -> None:
    from adapters.console.render import render
    from adapters.slack.blocks import LINK_ACTION, core_action_id, message_blocks
    from bot.kernel.messages import Message, message_from_dict, message_to_dict

    message = Message(text="digest", blocks=(Link("Open the full digest", f"{PUBLIC}/digest/t"),))
    assert message_from_dict(message_to_dict(message)) == message
    assert message.buttons() == []  # a link calls no handler
    (actions,) = message_blocks(message)
    (button,) = actions["elements"]
    assert (
        button["url"] == f"{PUBLIC}/digest/t" and core_action_id(button["action_id"]) == LINK_ACTION
    )
    assert f"Open the full digest: {PUBLIC}/digest/t" in render(message)[0]


def test_a_long_list_shows_a_few_of_each_kind_and_everyone_when_asked(
    app: Staffroom, person: Person
) -> None:
    from datetime import UTC, datetime

    build_history(app, person)
    joined = datetime(2026, 9, 1, tzinfo=UTC)
    with Session(app.engine) as s:
        for n in range(12):  # twelve more the platform can't reach
            add_teacher(
                s, f"Gone {n:02d}", role="peer", at=joined, consented_at=joined, reachable=False
            )
        s.commit()
    path, _, query = chat_link(person).removeprefix(PUBLIC).partition("?")
    web = DigestWeb(app.uow_factory, app.clock, app.settings)

    page = web.respond("GET", path, query).body.decode()
    section = page[page.index('id="needs-h"') : page.index('id="week-h"')]
    unreachable = section.split("Can&#x27;t be reached (13)</h3>")[1].split("<h3>")[0]  # Dev too
    assert unreachable.count("Gone ") == 7 and "and 5 more" in unreachable  # eight of the kind
    assert '<a href="?week=2026-W47&amp;all=1">Show everyone' in section
    assert "Quiet for two weeks or more" in section  # the other kinds keep their place

    everyone = web.respond("GET", path, query + "&all=1").body.decode()
    section = everyone[everyone.index('id="needs-h"') : everyone.index('id="week-h"')]
    unreachable = section.split("Can&#x27;t be reached (13)</h3>")[1].split("<h3>")[0]
    assert unreachable.count("Gone ") == 12 and "more</li>" not in section
    assert "Show everyone" not in section


@pytest.mark.postgres
def test_who_needs_a_hand_read_alongside_gives_the_page_read_in_one_go(
    app: Staffroom, person: Person
) -> None:
    build_history(app, person)
    path, _, query = chat_link(person).removeprefix(PUBLIC).partition("?")
    in_one_go = DigestWeb(app.uow_factory, app.clock, app.settings).respond("GET", path, query)
    alongside = digest_web(app).respond("GET", path, query)
    assert alongside.status == in_one_go.status == 200
    assert alongside.body == in_one_go.body
    assert "Not in a pair or group" in alongside.body.decode()  # the needs are there


@pytest.mark.postgres
def test_a_read_alongside_does_not_wait_for_a_writer(app: Staffroom, person: Person) -> None:
    """On SQLite every unit of work takes the write lock as it begins; a read beside it must not
    queue behind that lock (the page would wait for whatever else the server is writing)."""
    from concurrent.futures import TimeoutError as Timeout

    from storage.reads_alongside import SqlReadsAlongside

    build_history(app, person)
    reads = SqlReadsAlongside(app.engine)
    with app.uow_factory() as writer:
        (ws,) = writer.workspaces.active_ids()
        program = writer.scope(ws).programs.by_name(PROGRAM)
        assert program is not None and program.id is not None
        writer.scope(ws).digest.program_people(program.id)  # the writer's transaction is open
        people = reads.submit(ws, lambda q: q.program_people(program.id or 0))
        try:
            assert people.result(timeout=5) == 11
        except Timeout:  # pragma: no cover - the failure this test is here to catch
            pytest.fail("the read alongside waited for the writer's transaction")
    reads.close()
