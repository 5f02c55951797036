"""The demo's check-in chapter: four weeks of weekly check-ins and quick reflections.

The scheduler's real job runs every simulated hour; the delivery worker sends what it wrote; simulated
teachers tap the buttons they were sent (a rating, snooze, skip, or nothing) and some write a reflection.
One teacher's week is printed in full; the rest is summed up week by week.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from adapters.console.messenger import ConsoleMessenger, Delivered
from adapters.console.session import ConsoleSession, console_user_id
from bot.kernel.clock import ManualClock
from bot.kernel.feature import PeriodicJob
from bot.kernel.messages import Button, Message
from bot.kernel.scheduler import Scheduler
from staffroom.bootstrap import Staffroom
from staffroom.demo import questions
from staffroom.demo.school import Teacher

CHECKIN_JOB = "checkins.plan"

WENT_WELL = (
    "The hinge question showed who needed a second example",
    "Think-pair-share got the quiet table talking",
    "Exit tickets made tomorrow's groups obvious",
    "A calm start routine saved ten minutes",
    "Mini whiteboards: every student answered",
)
TRY_NEXT = (
    "Wait five seconds before taking answers",
    "Plan two hinge questions, not one",
    "Ask a colleague to watch my questioning",
    "Use the seating plan to mix groups",
    "Model the worked example more slowly",
)


def run_checkins_chapter(
    *,
    app: Staffroom,
    clock: ManualClock,
    messenger: ConsoleMessenger,
    teachers: list[Teacher],
    coordinator: ConsoleSession,
    session: Callable[..., ConsoleSession],
    say: Callable[[str], None],
    transcript: Callable[[str, str], None],
    rng: random.Random,
    weeks: int = 4,
) -> None:

    job = app.bot.registry.job(CHECKIN_JOB)
    scheduler = Scheduler(app.uow_factory, clock, [PeriodicJob(job.name, job.run, job.every)])
    by_user = {console_user_id(t.name): t for t in teachers}
    star = next((t for t in teachers if _active(app, t.name)), teachers[0])
    star_session = session(star, loud=True)
    confidence: dict[str, int] = {t.name: rng.choice((2, 2, 3, 3, 4)) for t in teachers}

    monday = clock.now().date() + timedelta(days=(7 - clock.now().weekday()) % 7 or 7)
    clock.set(datetime.combine(monday, datetime.min.time(), tzinfo=ZoneInfo("UTC")))
    holiday = monday + timedelta(days=7 + 1)  # the Tuesday of the second week
    transcript(
        coordinator_name(coordinator), f'calendar holiday {holiday:%Y-%m-%d} name="Inset day"'
    )
    coordinator.type(f'calendar holiday {holiday:%Y-%m-%d} name="Inset day"')
    say(
        "Each program's check-in goes out on its day at its time in each teacher's own time zone; "
        f"the mentoring check-in of {holiday:%a %d %b} moves to the next school day."
    )
    questions.set_questions(coordinator, coordinator_name(coordinator), transcript, say)

    seen = len(messenger.delivered)
    for week in range(1, weeks + 1):
        stats: Counter[str] = Counter()
        week_start = clock.now()
        printed_star = False
        printed_mentor = week > 1
        for _hour in range(7 * 24):
            clock.advance(timedelta(hours=1))
            if clock.now().weekday() >= 5:
                continue  # the weekend: nothing is due (the scheduler would find nothing to do)
            scheduler.run_job(CHECKIN_JOB)
            app.worker({messenger.platform: messenger}, worker_id="demo").drain()
            while seen < len(messenger.delivered):
                delivered = messenger.delivered[seen]
                seen += 1
                teacher = by_user.get(delivered.recipient_user_id)
                if teacher is None or not delivered.message.buttons():
                    continue
                kind = _kind(delivered.message)
                if kind is None:
                    continue
                stats["checkin" if kind == "mentor" else kind] += 1
                if kind == "mentor":
                    if not printed_mentor:
                        printed_mentor = True
                        _mentor_loudly(
                            teacher, session(teacher, loud=True), delivered, clock, say, transcript
                        )
                        stats["answered"] += 1
                        continue
                    stats[questions.mentor_answers(session(teacher), delivered.message, rng)] += 1
                    continue
                if teacher is star and not printed_star:
                    printed_star = True
                    local = clock.now().astimezone(ZoneInfo(star.timezone))
                    say(f"\n📨 to {star.name} ({local:%a %H:%M} in {star.timezone}):")
                    say(delivered.text)
                    _answer_loudly(
                        star, star_session, delivered.message, confidence, transcript, say, week
                    )
                    stats["answered"] += 1
                    stats["questions" if week == 1 else "reflections"] += 1
                    continue
                stats[
                    _answer(teacher, session(teacher), delivered.message, confidence, rng, stats)
                ] += 1
        say(
            f"\nWeek {week} (from {week_start:%a %d %b}): {stats['checkin']} check-ins sent, "
            f"{stats['answered']} answered, {stats['snoozed']} snoozed, {stats['skipped']} skipped, "
            f"{stats['reminder']} reminders, {stats['questions']} answered the program's questions, "
            f"{stats['reflections']} reflections written."
        )
    _daylight_saving(app, teachers, say)
    transcript(coordinator_name(coordinator), "checkins")
    coordinator.type("checkins")
    transcript(star.name, "checkin history")
    star_session.type("checkin history")
    transcript(star.name, "reflections")
    star_session.type("reflections")
    other = teachers[1]
    transcript(
        coordinator_name(coordinator),
        "reflections show 1   (a coordinator trying to read someone's reflection)",
    )
    coordinator.type("reflections show 1")
    transcript(star.name, "export-my-data")
    star_session.type("export-my-data")
    outcome = star_session.press(1)
    if outcome.replies and outcome.replies[0].attachments:
        size = len(outcome.replies[0].attachments[0].content)
        say(f"(the file staffroom-my-data.json, {size:,} characters, is attached)")
    say(
        f"\n{other.name} and everyone else only ever see their own reflections, what was shared with them, and the anonymous wall."
    )


def _daylight_saving(app: Staffroom, teachers: list[Teacher], say: Callable[[str], None]) -> None:
    """Show one teacher's check-ins either side of a clock change: same local time, new UTC time."""
    from bot.kernel.domain import Platform

    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert ws is not None
        repos = uow.scope(ws.id)
        for teacher in teachers:
            member = repos.members.find(teacher.name)
            if member is None or member.id is None:
                continue
            tz = ZoneInfo(member.timezone)
            dues = sorted(c.due_at for c in repos.checkins.for_member(member.id) if c.sent_at)
            offsets = {d.astimezone(tz).utcoffset() for d in dues}
            if len(offsets) < 2:
                continue
            shown = "; ".join(
                f"{d.astimezone(tz):%a %d %b %H:%M %Z} ({d.astimezone(ZoneInfo('UTC')):%H:%M} UTC)"
                for d in dues
            )
            say(
                f"\nThe clocks changed in {member.timezone} during these weeks; {teacher.name}'s "
                f"check-ins stayed at the same local time: {shown}."
            )
            return


def _active(app: Staffroom, name: str) -> bool:
    from bot.kernel.domain import MemberStatus, Platform

    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        member = uow.scope(ws.id).members.find(name) if ws else None
        return member is not None and member.status is MemberStatus.ACTIVE


def coordinator_name(session: ConsoleSession) -> str:
    return str(session.name)


def _kind(message: Message) -> str | None:
    actions = {b.action_id for b in message.buttons()}
    if "checkin.talked" in actions:
        return "mentor"
    if "checkin.rate" not in actions:
        return None
    if message.text.startswith("A gentle nudge"):
        return "reminder"
    return "checkin"


def _rate_button(message: Message, rating: int) -> Button:
    return next(
        b
        for b in message.buttons()
        if b.action_id == "checkin.rate" and b.value.endswith(f":{rating}")
    )


def _answer(
    teacher: Teacher,
    who: ConsoleSession,
    message: Message,
    confidence: dict[str, int],
    rng: random.Random,
    stats: Counter[str],
) -> str:
    roll = rng.random()
    buttons = {b.action_id: b for b in message.buttons()}
    if roll < 0.12:
        return "ignored"  # a busy week: the one reminder will come
    if roll < 0.2 and "checkin.snooze" in buttons:
        who.press_button(buttons["checkin.snooze"])
        return "snoozed"
    if roll < 0.26 and "checkin.skip" in buttons:
        who.press_button(buttons["checkin.skip"])
        return "skipped"
    confidence[teacher.name] = max(
        1, min(5, confidence[teacher.name] + rng.choice((0, 0, 1, 1, -1)))
    )
    who.press_button(_rate_button(message, confidence[teacher.name]))
    if rng.random() < 0.6 and questions.answer_quietly(who, rng, rating=None):
        stats["questions"] += 1
    elif rng.random() < 0.45 and (reflect := questions.button(who.buttons, "checkin.reflect")):
        who.press_button(reflect)
        if who.pending_form is not None:
            who.submit(
                who.pending_form,
                {
                    "went_well": rng.choice(WENT_WELL),
                    "try_next": rng.choice(TRY_NEXT),
                    "visibility": rng.choice(("private", "private", "mentor", "wall")),
                },
            )
            stats["reflections"] += 1
    return "answered"


def _mentor_loudly(
    mentor: Teacher,
    who: ConsoleSession,
    delivered: Delivered,
    clock: ManualClock,
    say: Callable[[str], None],
    transcript: Callable[[str, str], None],
) -> None:
    """One mentor's check-in in full: did you and your mentee talk, then the mentor's questions."""
    local = clock.now().astimezone(ZoneInfo(mentor.timezone))
    say(f"\n📨 to {mentor.name}, a mentor ({local:%a %H:%M} in {mentor.timezone}):")
    say(delivered.text)
    talked = questions.button(delivered.message.buttons(), "checkin.talked", ":yes")
    if talked is None:
        return
    transcript(mentor.name, "(taps Yes, we talked)")
    who.press_button(talked)
    questions.answer_loudly(
        mentor.name,
        who,
        delivered.message,
        {"Anything": "A seating plan template", "How is mentoring": "4"},
        transcript,
        say,
    )


def _answer_loudly(
    star: Teacher,
    who: ConsoleSession,
    message: Message,
    confidence: dict[str, int],
    transcript: Callable[[str, str], None],
    say: Callable[[str], None],
    week: int,
) -> None:
    confidence[star.name] = min(5, 2 + week // 2 + 1)
    rating = confidence[star.name]
    transcript(star.name, f"(taps {rating})")
    who.press_button(_rate_button(message, rating))
    if week == 1:  # the first week: the program's own questions, answered on the check-in
        questions.answer_loudly(
            star.name,
            who,
            message,
            {
                "Did your group": "yes",
                "What did you try": TRY_NEXT[0],
                "Which routine": "exit ticket",
                "How manageable": "3",
            },
            transcript,
            say,
        )
        return
    transcript(star.name, "(taps Write a reflection)")
    who.press_button(next(b for b in who.buttons if b.action_id == "checkin.reflect"))
    form = who.pending_form
    if form is None:
        return
    if week == 2:
        long = " ".join([WENT_WELL[week % len(WENT_WELL)]] * 80)
        transcript(star.name, f"(pastes {len(long):,} characters of notes)")
        who.submit(form, {"went_well": long, "try_next": "", "visibility": "wall"})
        transcript(star.name, "(taps Shorten it, and trims it)")
        who.press(1)
        if who.pending_form is not None:
            who.submit(
                who.pending_form,
                {
                    "went_well": WENT_WELL[week % len(WENT_WELL)],
                    "try_next": TRY_NEXT[week],
                    "visibility": "wall",
                },
            )
        return
    transcript(
        star.name,
        f"went well: {WENT_WELL[week % len(WENT_WELL)]} / try next: {TRY_NEXT[week % len(TRY_NEXT)]}",
    )
    who.submit(
        form,
        {
            "went_well": WENT_WELL[week % len(WENT_WELL)],
            "try_next": TRY_NEXT[week % len(TRY_NEXT)],
            "visibility": "private",
        },
    )
