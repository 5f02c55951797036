"""Who gets the digest, when, exactly once; who may ask for it; and what the buttons open."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from bot.digest.chat import REFUSAL
from bot.digest.sending import send_digests
from bot.kernel.domain import Platform, Role
from bot.kernel.messages import Image
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from storage.models.programs import ProgramRow
from tests.conftest import Person, count, fetch_all, joined
from tests.digest.history import PROGRAM, SECRET, build_history, nz


def test_sent_once_to_each_coordinator_on_the_programs_day_and_time(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    h = build_history(app, person)
    maya = person("Maya Patel")
    maya.type(f'program set "{PROGRAM}" digest_day=mon digest_time=08:00')
    # A second coordinator, and a teacher who must not get it.
    joined(person("Omar Aziz"))
    grant_role(app, "console:local", "Omar Aziz", Role.ADMIN)
    maya.type(f"program add {PROGRAM} Omar Aziz as coordinator")
    joined(person("Tess Teacher"))
    maya.type(f"program add {PROGRAM} Tess Teacher as mentee")

    assert send_digests(app.uow_factory, nz(23, 7, 59)).queued == 0  # 07:59 Monday in Auckland
    assert count(app, OutboxRow, OutboxRow.idempotency_key.like("digest:%")) == 0
    report = send_digests(app.uow_factory, nz(23, 8, 0))
    assert (report.queued, report.programs) == (2, [PROGRAM])
    # Run again (another copy of Staffroom, the next quarter hour, Tuesday): nothing more.
    assert send_digests(app.uow_factory, nz(23, 8, 0)).queued == 0
    assert send_digests(app.uow_factory, nz(24, 9, 0)).queued == 0
    (omar,) = fetch_all(app, MemberRow, MemberRow.display_name == "Omar Aziz")
    rows = fetch_all(app, OutboxRow, OutboxRow.idempotency_key.like("digest:%"))
    assert sorted(r.idempotency_key for r in rows) == sorted(
        f"digest:{h.program_id}:2026-W47:{member_id}" for member_id in (h.ids["Maya"], omar.id)
    )

    app.clock.set(nz(23, 8, 1))  # type: ignore[attr-defined]
    app.worker({Platform.CONSOLE: messenger}, worker_id="test").drain()
    got = {d.recipient_user_id: d for d in messenger.delivered if "Weekly digest" in d.text}
    assert set(got) == {"maya-patel", "omar-aziz"}
    message = next(iter(got.values())).message
    assert "Weekly digest: Maths Mentoring" in message.text
    assert "73% (8 of 11)" in message.text
    (chart,) = [b for b in message.blocks if isinstance(b, Image)]
    assert chart.png_base64.startswith("iVBORw0KGgo")  # a PNG
    assert [b.label for b in message.buttons()] == ["All 8 who need a hand", "All 5 to thank"]
    assert SECRET not in str(message)
    # The next week's digest is a new message.
    assert send_digests(app.uow_factory, datetime(2026, 11, 29, 19, 0, tzinfo=UTC)).queued == 2


def test_a_teacher_asking_is_politely_refused(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    tess = joined(person("Tess Teacher"))
    outcome = tess.type(f"digest {PROGRAM}")
    assert outcome.replies[0].text == REFUSAL
    outcome = tess.type("digest")
    assert outcome.replies[0].text == REFUSAL
    # Nor can a teacher press a forwarded button.
    outcome = tess.press_button(
        next(b for b in person("Maya Patel").type("digest").replies[0].buttons())
    )
    assert outcome.replies[0].text == REFUSAL
    # A coordinator of another program is no coordinator of this one.
    joined(person("Zed Other"))
    grant_role(app, "console:local", "Zed Other", Role.COORDINATOR)
    zed = person("Zed Other")
    zed.type('program create "Zed PLC" kind=peer')
    assert zed.type(f"digest {PROGRAM}").replies[0].text == REFUSAL


def test_the_coordinator_asks_and_opens_the_full_list(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    maya = person("Maya Patel")
    reply = maya.type("digest week=2026-W47").replies[0]
    assert "Weekly digest: Maths Mentoring" in reply.text
    assert any(isinstance(b, Image) for b in reply.blocks)
    # Monday 09:00 UTC is Monday 22:00 in Auckland: "digest" alone means W47 there.
    assert maya.type("digest").replies[0].text == reply.text
    full = maya.press_button(reply.buttons()[0]).replies[0].text
    assert full.startswith("Maths Mentoring, week of 16 Nov: who needs a hand (8)")
    assert "Gus: Asked for a lesson observation; nobody could observe" in full
    assert "2026-W99" in maya.type("digest 2026-W99").replies[0].text
    # An admin who is not in the program may read it too.
    joined(person("Ada Admin"))
    grant_role(app, "console:local", "Ada Admin", Role.ADMIN)
    assert "Weekly digest" in person("Ada Admin").type(f"digest {PROGRAM}").replies[0].text


def test_the_digest_moment_is_set_per_program(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    maya = person("Maya Patel")
    refused = maya.type(f'program set "{PROGRAM}" digest_day=funday digest_time=07:15')
    assert "is not a weekday" in refused.replies[0].text
    shown = maya.type(f'program set "{PROGRAM}" digest_day=fri digest_time=4pm').replies[0]
    assert ("Weekly digest", "Fri 16:00 local, to coordinators") in shown.blocks[1].fields
    (program,) = fetch_all(app, ProgramRow)
    assert program.settings == {"digest_day": 4, "digest_time": "16:00"}
    # Friday 16:00 in Auckland, not Monday: the week digested is still the one before.
    assert send_digests(app.uow_factory, nz(27, 15, 59)).queued == 0
    assert send_digests(app.uow_factory, nz(27, 16, 0)).queued == 1
    (row,) = fetch_all(app, OutboxRow, OutboxRow.idempotency_key.like("digest:%"))
    assert row.idempotency_key.split(":")[2] == "2026-W47"
