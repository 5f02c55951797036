"""Sharing, finding, feedback and curation through the console adapter and the real core."""

from __future__ import annotations

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from storage.models.resources import (
    ResourceMarkRow,
    ResourcePinRow,
    ResourceRow,
    ResourceSharerRow,
    ResourceViewRow,
)
from tests.conftest import Person, count, fetch_all, joined


def reply_text(outcome: object) -> str:
    from bot.kernel.dispatch import Outcome

    assert isinstance(outcome, Outcome)
    return "\n".join(r.text for r in outcome.replies)


def only_resource(app: Staffroom) -> ResourceRow:
    (row,) = fetch_all(app, ResourceRow)
    return row


def test_share_stores_a_clean_resource_with_tags(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    outcome = ana.type(
        "share https://www.Example.org/hinge-questions/?utm_source=x Hinge questions in 5 minutes "
        "#questioning #Assessment-for-learning subject=Maths grade=9-10 kind=expert"
    )
    assert outcome.ok, reply_text(outcome)
    assert "Shared ✅" in reply_text(outcome)
    row = only_resource(app)
    assert row.title == "Hinge questions in 5 minutes"
    assert row.url == "https://www.Example.org/hinge-questions/?utm_source=x"
    assert row.normalized_url == "example.org/hinge-questions"
    assert row.tags == ["questioning", "assessment for learning"]
    assert (row.subject, row.grade_band, row.source_kind) == ("Maths", "9-10", "expert")
    (sharer,) = fetch_all(app, ResourceSharerRow)
    assert sharer.resource_id == row.id


def test_bad_input_is_refused_and_nothing_is_stored(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    for line, expected in (
        ("share javascript:alert(1) Click me", "Only web links"),
        ("share ftp://files.example.org/plan.pdf Plan", "Only web links"),
        ("share example.org/plan Plan", "Only web links"),
        ("share https://user:secret@example.org/x Plan", "without a username or password"),
        ("share https://example.org/x " + "long " * 40, "under 150 characters"),
        ("share https://example.org/x Plan grade=Year12", "Grades are one of"),
        ("share https://example.org/x <script>alert(1)</script>", "give it a title"),
        ("share subject=Maths", "Start with the link"),
    ):
        outcome = ana.type(line)
        assert not outcome.ok, line
        assert expected in reply_text(outcome), (line, reply_text(outcome))
        assert "Usage: `share" in reply_text(outcome)
    assert count(app, ResourceRow) == 0


def test_script_tags_and_markup_are_stored_as_plain_text(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("share")
    form = ana.pending_form
    assert form is not None
    outcome = ana.submit(
        form,
        {
            "title": "Exit <b>tickets</b><script>steal()</script> &lt;script&gt;x&lt;/script&gt;",
            "url": "",
            "note": "Use <!channel> <img src=x onerror=alert(1)>three questions\nat the door",
            "subject": "",
            "grade_band": "",
            "tags": "assessment, <i>exit</i>",
            "source_kind": "peer",
        },
    )
    assert outcome.ok, outcome.replies
    row = only_resource(app)
    assert row.title == "Exit tickets x"
    assert row.body == "Use three questions\nat the door"
    assert row.tags == ["assessment", "exit"]
    assert row.url is None
    for text in (row.title, row.body, *row.tags):
        assert "<" not in text and "script" not in text


def test_the_form_shows_errors_beside_fields(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("share")
    form = ana.pending_form
    assert form is not None
    outcome = ana.submit(
        form,
        {"title": "x" * 151, "url": "https://example.org", "note": "", "source_kind": "peer"},
    )
    assert not outcome.ok
    assert set(outcome.form_errors) == {"title"}
    outcome = ana.submit(form, {"title": "Idea", "url": "", "note": "", "source_kind": "peer"})
    assert outcome.form_errors == {"url": "Share a link, or write the idea itself in the note."}
    assert count(app, ResourceRow) == 0


def test_the_same_link_twice_is_one_resource_crediting_both(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ben = joined(person("Ben Okafor"))
    ana.type("share https://example.org/seating-plans Seating plans that work #behaviour")
    outcome = ben.type("share http://EXAMPLE.org/seating-plans/#top Seating #routines")
    assert "Ana Lopez shared this link already" in reply_text(outcome)
    row = only_resource(app)
    assert row.title == "Seating plans that work"
    assert row.tags == ["behaviour", "routines"]
    sharers = fetch_all(app, ResourceSharerRow)
    assert len(sharers) == 2
    found = ana.type("resources seating")
    assert "shared by Ana Lopez and Ben Okafor" in "\n".join(ana.shown)  # type: ignore[attr-defined]
    assert found.ok
    again = ben.type("share https://example.org/seating-plans")
    assert "already" in reply_text(again)
    assert count(app, ResourceSharerRow) == 2


def test_search_shows_the_best_five_with_helpful_buttons(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    for i in range(7):
        ana.type(f"share https://example.org/q{i} Questioning idea {i} #questioning")
    ana.type("share https://example.org/other Seating plans #behaviour")
    ben = joined(person("Ben Okafor"))
    outcome = ben.type("resources questions")
    (reply,) = outcome.replies
    assert reply.text.startswith("The best 5 for “questions”")
    buttons = reply.buttons()
    assert [b.label for b in buttons].count("Helpful") == 5
    assert buttons[0].description.startswith(
        "Mark “Questioning idea"
    )  # heard alone, it still says which
    assert "Seating" not in reply.text
    assert count(app, ResourceViewRow) == 5
    ben.press_button(buttons[0])
    (mark,) = fetch_all(app, ResourceMarkRow)
    assert mark.mark == "helpful"
    assert only_helpful_count(app, int(buttons[0].value)) == 1
    ben.press_button(buttons[1])  # "Not helpful" on the same resource replaces the mark
    (mark,) = fetch_all(app, ResourceMarkRow)
    assert mark.mark == "unhelpful"
    row = fetch_all(app, ResourceRow, ResourceRow.id == int(buttons[0].value))[0]
    assert (row.helpful_count, row.unhelpful_count) == (0, 1)


def only_helpful_count(app: Staffroom, resource_id: int) -> int:
    return int(fetch_all(app, ResourceRow, ResourceRow.id == resource_id)[0].helpful_count)


def test_filters_by_subject_grade_and_tag(app: Staffroom, person: Person) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("share https://example.org/a Group work roles #engagement subject=Maths grade=6-8")
    ana.type(
        "share https://example.org/b Group work in science #engagement subject=Science grade=9-10"
    )
    ana.type("share https://example.org/c Group work debates #oracy subject=English grade=9-10")
    assert titles(ana.type("resources group work subject=maths")) == ["Group work roles"]
    assert titles(ana.type("resources group grade=9-10")) == [
        "Group work in science",
        "Group work debates",
    ]
    assert titles(ana.type("resources group #oracy")) == ["Group work debates"]
    assert titles(ana.type("resources #engagement")) == [
        "Group work in science",
        "Group work roles",
    ]
    outcome = ana.type("resources volcanoes")
    assert "Nothing in the library for “volcanoes” yet" in reply_text(outcome)


def titles(outcome: object) -> list[str]:
    from bot.kernel.dispatch import Outcome

    assert isinstance(outcome, Outcome)
    (reply,) = outcome.replies
    return [
        line.removeprefix("• ").split(" <")[0].split(" (shared")[0]
        for line in reply.text.splitlines()[1:]
    ]


def test_members_remove_their_own_and_coordinators_remove_any(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    ben = joined(person("Ben Okafor"))
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    ana.type("share https://example.org/a Anas plan")
    ana_id = only_resource(app).id
    outcome = ben.type(f"resources remove {ana_id}")
    assert "Only the people who shared" in reply_text(outcome)
    assert only_resource(app).removed_at is None
    ana.type("resources mine")
    remove = next(b for b in ana.buttons if b.label == "Remove")
    ana.press_button(remove)
    assert only_resource(app).removed_at is not None
    assert "Nothing in the library" in reply_text(ben.type("resources plan"))
    ana.type("share https://example.org/a Anas plan again")  # her own removal can be undone
    assert only_resource(app).removed_at is None
    outcome = maya.type(f"resources remove {ana_id}")
    assert "Removed “Anas plan again”" in reply_text(outcome)
    (notice,) = fetch_all(app, OutboxRow, OutboxRow.idempotency_key.like("resource-removed:%"))
    assert "A coordinator removed" in notice.payload["text"]
    outcome = ana.type("share https://example.org/a Anas plan")
    assert "A coordinator removed that link" in reply_text(outcome)
    assert only_resource(app).removed_at is not None


def test_coordinators_pin_for_a_program_and_pins_rank_first(app: Staffroom, person: Person) -> None:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    maya.type("program create Mentoring kind=mentoring")
    ana = joined(person("Ana Lopez"))
    ana.type("join Mentoring")
    ana.type("share https://example.org/a Behaviour routines that stick #behaviour")
    ana.type("share https://example.org/b Quiet signals #behaviour")
    quiet = fetch_all(app, ResourceRow, ResourceRow.title == "Quiet signals")[0]
    assert "That one is for programme coordinators" in reply_text(
        ana.type(f"resources pin {quiet.id}")
    )
    assert "Pinned" in reply_text(maya.type(f"resources pin {quiet.id} Mentoring"))
    assert count(app, ResourcePinRow) == 1
    assert titles(ana.type("resources behaviour")) == [
        "Quiet signals",
        "Behaviour routines that stick",
    ]
    assert "Quiet signals" in reply_text(ana.type("resources pinned"))
    maya.type(f"resources unpin {quiet.id} Mentoring")
    assert count(app, ResourcePinRow) == 0
