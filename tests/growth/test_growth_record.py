"""A teacher's growth record end to end through the console, the real core and a real database:
what a term of real activity puts in it, the files to hand in, and who may produce it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.domain import Role
from bot.kernel.messages import Message, unsaid
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from tests.conftest import Person, count
from tests.growth.history import (
    EARLIER_GOAL,
    FOCUS_GOAL,
    NEXT_STEP,
    STRENGTHS,
    Term,
    autumn_term,
)
from tests.observations.helpers import button, reply_text


@pytest.fixture
def term(app: Staffroom, person: Person, messenger: ConsoleMessenger) -> Term:
    return autumn_term(app, person, messenger)


def shown(message: Message) -> str:
    from adapters.console.render import render

    return " ".join(unsaid(render(message)[0]).split())  # as read, whatever the terminal's wrapping


def test_the_record_holds_the_terms_activity_and_no_feedback_unless_asked(term: Term) -> None:
    outcome = term.ana.type("growth")
    assert outcome.ok, reply_text(outcome)
    (record,) = outcome.replies
    text = shown(record)
    assert "Your growth record: the last 12 months" in text
    # Goals and the confidence trend: this year's ratings only (the two older ones are left out).
    assert f"★ {FOCUS_GOAL}: confidence 2.0 → 4.0 (up 2.0)" in text
    assert f"{EARLIER_GOAL} (earlier): confidence 3.0" in text
    assert "your teaching in general (no goal set): confidence 2.0" in text
    # Observations both ways, with their focus and where they stand; no feedback, no rating.
    assert (
        "Thu 26 Nov 2026: Ben Okafor observed your lesson, focus *questioning* (feedback given)"
        in text
    )
    assert (
        "Fri 27 Nov 2026: you observed Ben Okafor's lesson, focus *classroom management* "
        "(feedback not written yet)" in text
    )
    assert "wait time" not in text.lower().replace("wait time routines", "")
    assert "no-hands-up" not in text and "/4" not in text and "rating" not in text.lower()
    # Reflections (two typed, one after a check-in), the meeting, the shared link.
    assert "Reflections: 3 (1 after a check-in)" in text
    assert "Check-ins answered: 6" in text
    assert "Year 8 Circle with your group: 1 pairing, met 1" in text
    assert "Resources: 1 shared, marked helpful 1 time" in text
    # 3 reflections x 10 min + 2 observations x 1 h + 1 meeting x 30 min
    assert "Estimated hours: 3.0 h" in text
    assert "each reflection ≈ 10 min" in text and "≈ 30 min" in text
    assert [b.label for b in record.buttons()] == ["Download (HTML + CSV)"]


def test_with_feedback_adds_what_the_observer_wrote(term: Term) -> None:
    text = shown(term.ana.type("growth with feedback").replies[0])
    assert f"Strengths: {STRENGTHS}" in text and f"Next step: {NEXT_STEP}" in text
    assert "It includes the feedback colleagues wrote you" in text
    # Ana's own feedback for Ben's lesson would be Ben's; she wrote none, and none would show.
    assert text.count("Strengths:") == 1


def test_a_shorter_period_counts_only_its_own_days(term: Term) -> None:
    text = shown(term.ana.type("growth since 2026-11-01").replies[0])
    assert "Your growth record: since 1 November 2026" in text
    assert f"★ {FOCUS_GOAL}: confidence 4.0" in text and EARLIER_GOAL not in text
    text = shown(term.ana.type("growth from 2026-09-01 to 2026-10-31").replies[0])
    assert f"★ {FOCUS_GOAL}: confidence 2.0 → 3.0 (up 1.0)" in text
    assert "*Observations* None yet." in text and "Reflections: 0" in text
    assert "Estimated hours: 0.0 h" in text


def test_the_download_is_a_printable_page_and_a_tidy_csv(term: Term, tmp_path: Path) -> None:
    term.ana.files = tmp_path
    record = term.ana.type("growth with feedback").replies[0]
    outcome = term.ana.press_button(button(record, "Download (HTML + CSV)"))
    (reply,) = outcome.replies
    page, table = reply.attachments
    stem = "growth-record-ana-lopez-2025-12-02-to-2026-12-01"
    assert (page.filename, page.mime_type) == (f"{stem}.html", "text/html")
    assert (table.filename, table.mime_type) == (f"{stem}.csv", "text/csv")
    # The console writes both beside the person, as it writes export-my-data's file.
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.csv", f"{stem}.html"]
    assert (tmp_path / f"{stem}.html").read_text(encoding="utf-8") == page.content

    html = page.content
    assert html.startswith("<!doctype html>") and "<script" not in html and "src=" not in html
    assert "<title>Growth record: Ana Lopez, the last 12 months</title>" in html
    assert "The last 12 months: 2 December 2025 to 1 December 2026" in html
    assert (
        "&lt;b&gt;after&lt;/b&gt;" in html and "<b>after</b>" not in html
    )  # people's words escaped
    assert "@media print" in html
    assert "Each reflection ≈ 10 min".lower() in html.lower()
    assert 'Estimated hours in all</th><th></th><th class="n">3.0</th>' in html

    rows = list(csv.DictReader(io.StringIO(table.content)))
    assert list(rows[0]) == ["section", "date", "item", "detail", "count", "hours"]
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert [(r["date"], r["item"], r["count"]) for r in by_section["confidence"]] == [
        ("2026-09-01", FOCUS_GOAL, "1"),
        ("2026-10-01", FOCUS_GOAL, "2"),
        ("2026-11-01", FOCUS_GOAL, "1"),
        ("2026-09-01", EARLIER_GOAL, "1"),
        ("2026-09-01", "your teaching in general (no goal set)", "1"),
    ]
    received, given = by_section["observation"]
    assert (received["date"], received["item"], received["hours"]) == (
        "2026-11-26",
        "observation received",
        "1.00",
    )
    assert "focus: questioning" in received["detail"] and "next step: =Try" in received["detail"]
    assert given["item"] == "observation given" and "strengths" not in given["detail"]
    assert by_section["total"][0]["hours"] == "3.00"
    assert by_section["reflections"][0]["count"] == "3"
    goal_cells = [r["detail"] for r in by_section["goal"]]
    assert goal_cells == [FOCUS_GOAL]


def test_home_shows_the_last_twelve_months_and_opens_the_record(term: Term) -> None:
    page = term.ana.type("home").replies[0]
    text = shown(page)
    assert "Your growth (the last 12 months)" in text
    assert (
        "1 observation of your lessons, 1 of colleagues' · 3 reflections · 0 lesson-study cycles"
        in text
    )
    assert "about 3.0 h" in text
    opened = term.ana.press_button(button(page, "My growth record"))
    assert "Your growth record: the last 12 months" in shown(opened.replies[0])


@pytest.mark.parametrize(
    "typed",
    ["growth Ana Lopez", "growth for ana-lopez", "growth of Ben Okafor with feedback"],
)
def test_nobody_can_produce_someone_elses_record(
    app: Staffroom, term: Term, person: Person, typed: str
) -> None:
    grant_role(app, "console:local", "Ben Okafor", Role.ADMIN)
    for who in (term.maya, term.ben):  # a coordinator; an admin who is also her partner
        before = count(app, OutboxRow)
        outcome = who.type(typed)
        assert not outcome.ok
        refusal = " ".join(reply_text(outcome).split())
        assert "only ever your own" in refusal and "Usage: `growth" in refusal
        # Word for word what a name nobody has gets: a refusal cannot tell who is in Staffroom.
        named = typed.split(" ", 1)[1]
        nobody = " ".join(reply_text(who.type(typed.replace(named, "Zed Nobody"))).split())
        assert refusal.replace(named, "Zed Nobody") == nobody
        assert not any(r.attachments for r in outcome.replies)
        assert count(app, OutboxRow) == before


def test_a_button_from_someone_elses_record_gives_the_presser_their_own(term: Term) -> None:
    record = term.ana.type("growth with feedback").replies[0]
    download = button(record, "Download (HTML + CSV)")
    (reply,) = term.ben.press_button(download).replies
    page, table = reply.attachments
    assert page.filename.startswith("growth-record-ben-okafor-")
    assert "Growth record: Ben Okafor" in page.content and "Ana Lopez" in page.content
    # The feedback he wrote on Ana's lesson is Ana's to include, never his.
    assert "wait time" not in page.content.lower() and "no-hands-up" not in table.content
    assert "Observed by Ana Lopez" in page.content  # his lesson, which Ana observed
    assert "Observed Ana Lopez" in page.content  # hers, which he observed
    assert "feedback" not in table.content.split("hours rule")[0]


def test_a_forged_button_value_is_refused(term: Term) -> None:
    from bot.kernel.messages import Button

    for value in ("2025-12-02..2026-12-01+feedback:ana-lopez", "7", "2026-12-01..2027-01-01"):
        outcome = term.ben.press_button(Button("Download (HTML + CSV)", "growth.export", value))
        assert not outcome.ok and "That download has expired" in reply_text(outcome)


def test_another_workspace_never_sees_these_rows(term: Term) -> None:
    north = shown(term.north_ana.type("growth").replies[0])
    assert "Reflections: 3 (0 after a check-in)" in north
    assert "*Observations* None yet." in north and "Ben Okafor" not in north
    assert "Resources: 1 shared, marked helpful 0 times" in north
    assert "No pairings yet." in north and "Estimated hours: 0.5 h" in north
    local = shown(term.ana.type("growth").replies[0])
    assert "Reflections: 3 (1 after a check-in)" in local  # not six


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("growth since tomorrow", "still to come"),
        ("growth since 2999-01-01", "still to come"),
        ("growth since 1990-01-01", "more than 10 years ago"),
        ("growth since the dawn of time", "couldn't read"),
        ("growth last banana months", "from 1 to 120"),
        ("growth last 0 weeks", "from 1 to 120"),
        ("growth from 2026-10-01 to 2026-09-01", "comes before"),
        ("growth next week", "couldn't read “next week” as a period"),
        ("growth since 2026-02-30", "couldn't read"),
    ],
)
def test_bad_periods_are_refused_kindly_and_change_nothing(
    app: Staffroom, term: Term, typed: str, expected: str
) -> None:
    before = count(app, OutboxRow)
    outcome = term.ana.type(typed)
    assert not outcome.ok
    refusal = reply_text(outcome)
    assert expected in refusal and "Usage: `growth" in refusal, refusal
    assert "Traceback" not in refusal
    assert count(app, OutboxRow) == before
