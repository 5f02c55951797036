"""``staffroom demo``: a simulated school using Staffroom, through the console adapter's real inbound
path, on a fresh SQLite file, with a simulated clock. Each feature adds its chapter here."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.kernel.clock import ManualClock
from bot.kernel.domain import MemberStatus, Platform, Role
from bot.kernel.messages import Message
from bot.kernel.settings import Settings
from bot.programs.chat import plural
from staffroom.demo.narrator import Narrator
from staffroom.demo.school import Teacher, make_school, roster_csv

START = datetime(2026, 9, 7, 7, 0, tzinfo=UTC)  # a Monday early in the autumn term


def run_demo(
    *, teachers: int, weeks: int, seed: int, out: Path, write: Callable[[str], None] = print
) -> int:
    from adapters.console.messenger import ConsoleMessenger
    from adapters.console.session import ConsoleSession, console_user_id
    from staffroom import bootstrap

    if not 4 <= teachers <= 2000:
        write("staffroom: --teachers must be from 4 to 2000")
        return 2
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "staffroom-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = Settings(database_url=f"sqlite:///{db_path}")
    bootstrap.upgrade_database(settings)
    clock = ManualClock(START)
    app = bootstrap.build(settings, clock=clock)
    rng = random.Random(seed)
    school = make_school(teachers, rng)
    names = {console_user_id(t.name): t.name for t in school.teachers}
    names[console_user_id(school.coordinator.name)] = school.coordinator.name
    messenger = ConsoleMessenger(write=write, name_of=lambda uid: names.get(uid, uid), quiet=True)
    worker = app.worker({Platform.CONSOLE: messenger}, worker_id="demo")
    story = Narrator(write)

    def session(person: Teacher, *, loud: bool = False) -> ConsoleSession:
        return ConsoleSession(
            app.bot,
            person.name,
            timezone=person.timezone,
            language=person.language,
            worker=worker,
            write=write if loud else (lambda _s: None),
        )

    story.chapter(
        f"Staffroom demo: {school.name}, {teachers} teachers, {weeks} weeks (seed {seed})"
    )
    story.say(f"Database: {db_path}. Clock starts {START:%A %d %B %Y %H:%M} UTC.")
    story.say(
        f"Time zones in this district: {', '.join(sorted({t.timezone for t in school.teachers}))}."
    )

    # --- Chapter 1: the coordinator sets up ----------------------------------------------------
    story.chapter("1. The PD lead sets up two programs")
    coord = school.coordinator
    c = session(coord, loud=True)
    story.transcript(coord.name, "join")
    c.type("join")
    assert c.pending_form is not None
    c.submit(c.pending_form, coord.profile_values())
    bootstrap.grant_role(app, "console:local", coord.name, Role.COORDINATOR)
    story.say(f'\n(The IT admin runs: staffroom admin grant "{coord.name}" --role coordinator)')
    for line in (
        'program create "New Teacher Mentoring" kind=mentoring day=tue time=15:30 cadence=4',
        'program create "Cross-subject Peer Groups" kind=peer day=thu time=14:45 group_size=3',
        "program list",
    ):
        story.transcript(coord.name, line)
        c.type(line)

    # --- Chapter 2: roster import, all-or-nothing -----------------------------------------------
    story.chapter("2. A roster with a mistake is refused whole; the fixed one goes in")
    imported, self_joiners = school.teachers[: teachers // 2], school.teachers[teachers // 2 :]
    from staffroom.demo.languages import SPANISH_TEACHER, languages_chapter

    self_joiners = [*self_joiners, SPANISH_TEACHER]
    names[console_user_id(SPANISH_TEACHER.name)] = SPANISH_TEACHER.name
    broken = roster_csv(imported, break_line=3)
    c.type("roster import New Teacher Mentoring")
    form = c.pending_form
    assert form is not None
    story.transcript(
        coord.name, "roster import New Teacher Mentoring   (pastes a CSV with a typo on line 3)"
    )
    c.submit(form, {"program": str(form.inputs[0].initial), "csv": broken, "skip_bad": "no"})
    story.transcript(coord.name, "(fixes line 3 and submits again)")
    c.submit(
        form,
        {"program": str(form.inputs[0].initial), "csv": roster_csv(imported), "skip_bad": "no"},
    )
    invited = imported[0]
    mine: list[Message] = []
    for _hour in range(96):  # invitations keep school hours in each teacher's own time zone
        worker.drain()
        mine = [
            d.message
            for d in messenger.delivered
            if d.recipient_user_id == console_user_id(invited.name)
        ]
        if mine:
            break
        clock.advance(timedelta(hours=1))
    (invitation,) = mine
    story.say(
        f"(Each invitation waits for school hours where its teacher is: {clock.now():%a %H:%M} UTC.)"
    )
    story.say(f"\nWhat {invited.name} finds in Staffroom's chat:\n{invitation.text}")
    join = next(b for b in invitation.buttons() if b.label == "Join")
    story.transcript(invited.name, "(presses Join)")
    session(invited, loud=True).press_button(join)

    # --- Chapter 3: teachers join themselves ----------------------------------------------------
    story.chapter("3. Teachers join by themselves, in their own time zones")
    first = self_joiners[0]
    s = session(first, loud=True)
    story.transcript(first.name, "join Cross-subject Peer Groups")
    s.type("join Cross-subject Peer Groups")
    assert s.pending_form is not None
    story.say(
        f"(fills in the one-minute form: {', '.join(first.subjects)}; {first.years} years; {first.timezone})"
    )
    s.submit(s.pending_form, first.profile_values())
    for teacher in self_joiners[1:]:
        t = session(teacher)
        t.type("join Cross-subject Peer Groups")
        assert t.pending_form is not None
        t.submit(t.pending_form, teacher.profile_values())
    for teacher in imported[:3]:
        t = session(teacher)
        t.type("profile")  # first contact claims the roster entry
    story.say(
        f"\n{len(self_joiners)} teachers joined the peer groups themselves; {len(imported)} came from the roster."
    )
    story.transcript(first.name, "goals add Plan better hinge questions")
    s.type("goals add Plan better hinge questions")
    story.transcript(first.name, "profile")
    s.type("profile")

    # --- Chapter 4: weeks go by -------------------------------------------------------------------
    story.chapter(f"4. {weeks} weeks of school life: breaks, returns and second thoughts")
    everyone = imported + self_joiners
    for week in range(1, weeks + 1):
        clock.set(START + timedelta(weeks=week - 1))
        events = []
        paused_names = set()
        with app.uow_factory() as uow:
            ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
            assert ws is not None
            paused_names = {
                m.display_name for m in uow.scope(ws.id).members.list((MemberStatus.PAUSED,))
            }
        for teacher in rng.sample(everyone, k=max(1, len(everyone) // 10)):
            t = session(teacher)
            roll = rng.random()
            if teacher.name in paused_names:
                t.type("resume")
                events.append(f"{teacher.name} came back early from a break")
            elif roll < 0.5:
                until = (clock.now() + timedelta(days=rng.choice((7, 10, 14)))).date()
                t.type(f"pause until {until:%Y-%m-%d}")
                events.append(f"{teacher.name} paused until {until:%a %d %b}")
            else:
                t.type(f"goals add {rng.choice(school.goal_bank)}")
                events.append(f"{teacher.name} added a goal")
        story.say(f"Week {week} (from {clock.now():%a %d %b}): " + "; ".join(events) + ".")

    example = everyone[1]
    e = session(example, loud=True)
    story.transcript(example.name, "pause until next friday   (a typo-tolerant date)")
    e.type("pause friday")
    story.transcript(example.name, "resume")
    e.type("resume")
    story.transcript(example.name, "pause until 2020-01-01")
    e.type("pause until 2020-01-01")
    story.transcript(example.name, "paws")
    e.type("paws")

    # --- one chapter a feature, in the order a school meets them ----------------------------------
    from staffroom.demo.pairing import pairing_chapter

    pairing_chapter(story, app, clock, c, session, everyone, worker, messenger)

    from staffroom.demo.onboarding import onboarding_chapter

    onboarding_chapter(story, app, clock, c, session, worker, messenger, names)

    from staffroom.demo.checkins import run_checkins_chapter

    story.chapter(f"{weeks} weeks of check-ins and quick reflections")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert ws is not None
        reachable = {
            m.display_name for m in uow.scope(ws.id).members.list() if m.consented_at is not None
        }
    run_checkins_chapter(
        app=app,
        clock=clock,
        messenger=messenger,
        teachers=[t for t in self_joiners + imported if t.name in reachable],  # paused ones too
        coordinator=c,
        session=session,
        say=story.say,
        transcript=story.transcript,
        rng=rng,
        weeks=weeks,
    )

    languages_chapter(story, session, messenger, first)

    from staffroom.demo.observations import observation_chapter

    observation_chapter(
        app=app,
        clock=clock,
        worker=worker,
        messenger=messenger,
        teachers=everyone,
        coordinator=coord,
        session=session,
        chapter=story.chapter,
        say=story.say,
        transcript=story.transcript,
    )

    from staffroom.demo.study import lesson_study_chapter

    lesson_study_chapter(
        app=app,
        clock=clock,
        worker=worker,
        messenger=messenger,
        teachers=everyone,
        coordinator=coord,
        session=session,
        chapter=story.chapter,
        say=story.say,
        transcript=story.transcript,
    )

    from staffroom.demo.library import library_chapter

    library_chapter(
        story.chapter,
        story.say,
        story.transcript,
        session,
        everyone,
        coord,
        "New Teacher Mentoring",
    )

    from staffroom.demo.teams import teams_chapter

    teams_chapter(
        story.chapter, story.say, example.name, session(example).type("profile").replies[0]
    )
    from staffroom.demo.slack import slack_chapter

    slack_chapter(
        story.chapter, story.say, example.name, session(example).type("profile").replies[0]
    )

    from staffroom.demo.digest import digest_chapter

    digest_chapter(app, story, clock, worker, db_path)

    from staffroom.demo.growth import growth_chapter

    growth_chapter(
        teachers=everyone,
        session=session,
        chapter=story.chapter,
        say=story.say,
        transcript=story.transcript,
        out=out,
    )

    # --- Summary ------------------------------------------------------------------------------
    story.chapter("What Staffroom knows now")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert ws is not None
        repos = uow.scope(ws.id)
        members = repos.members.list()
        by_status = {s: sum(1 for m in members if m.status is s) for s in MemberStatus}
        story.say(
            f"Members: {len(members)} ({', '.join(f'{n} {s.value}' for s, n in by_status.items())})."
        )
        for program in repos.programs.list():
            assert program.id is not None
            roles: dict[str, int] = {}
            for m in repos.memberships.for_program(program.id):
                roles[m.role.value] = roles.get(m.role.value, 0) + 1
            story.say(
                f"{program.name}: " + ", ".join(plural(n, r) for r, n in sorted(roles.items()))
            )
    story.say(
        f'\nTry it yourself: DATABASE_URL=sqlite:///{db_path} staffroom chat --as "{first.name}"'
    )
    return 0
