"""Surfacing: at most two, relevant, never seen, shared or marked before, and remembered once shown."""

from __future__ import annotations

import pytest

from bot.kernel.domain import Platform
from bot.resources import surfacing
from bot.resources.model import Mark, ShownIn
from bot.resources.surfacing import suggest_resources, suggestion_blocks
from staffroom.bootstrap import Staffroom
from storage.models.resources import ResourceRow, ResourceViewRow
from tests.conftest import Person, count, fetch_all, joined
from tests.resources.test_search import scope

LIBRARY = (
    "share https://example.org/1 Calm entry routines #classroom-management",
    "share https://example.org/2 De-escalation scripts for behaviour #classroom-management",
    "share https://example.org/3 Seating plans that work #classroom-management",
    "share https://example.org/4 Hinge questions #questioning",
    "share https://example.org/5 Volcano model kit #science",
)


def member(app: Staffroom, name: str):  # type: ignore[no-untyped-def]
    with scope(app) as repos:
        found = repos.members.find(name)
        assert found is not None
        return found


def suggest(app: Staffroom, name: str, words: str) -> list[str]:
    with scope(app) as repos:
        person = repos.members.find(name)
        assert person is not None
        chosen = suggest_resources(
            repos, person, words, now=app.clock.now(), shown_in=ShownIn.REFLECTION
        )
        return [r.title for r in chosen]


def test_at_most_two_matching_the_moment_and_the_goals(app: Staffroom, person: Person) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    joined(person("Ana Lopez"), goals="Improve classroom management")
    first = suggest(
        app, "Ana Lopez", "Year 9 were loud after lunch; I lost ten minutes settling them"
    )
    assert len(first) == 2
    assert set(first) <= {
        "Calm entry routines",
        "De-escalation scripts for behaviour",
        "Seating plans that work",
    }
    views = fetch_all(app, ResourceViewRow)
    assert sorted(v.shown_in for v in views) == ["reflection", "reflection"]
    second = suggest(app, "Ana Lopez", "still loud")
    assert len(second) == 1 and second[0] not in first  # never the same one twice
    assert suggest(app, "Ana Lopez", "still loud") == []


def test_nothing_weakly_related_and_nothing_for_unrelated_words(
    app: Staffroom, person: Person
) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    joined(person("Ana Lopez"), goals="")
    assert suggest(app, "Ana Lopez", "The lesson went well today, students worked") == []
    assert suggest(app, "Ana Lopez", "poetry anthology") == []
    assert count(app, ResourceViewRow) == 0


def test_never_what_they_saw_shared_or_marked_unhelpful(app: Staffroom, person: Person) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    ana = joined(person("Ana Lopez"), goals="Improve classroom management")
    ana.type("share https://example.org/6 My classroom management checklist")
    found = ana.type("resources calm entry")
    assert "Calm entry routines" in found.replies[0].text
    seating = fetch_all(app, ResourceRow, ResourceRow.title == "Seating plans that work")[0]
    ana_id = member(app, "Ana Lopez").id
    with scope(app) as repos:
        repos.resources.mark(seating.id, ana_id, Mark.UNHELPFUL, app.clock.now())
    assert suggest(app, "Ana Lopez", "classroom management") == [
        "De-escalation scripts for behaviour"
    ]
    # Ben shared all but Ana's: hers is the only one to offer him.
    assert suggest(app, "Ben Okafor", "classroom management behaviour questions") == [
        "My classroom management checklist"
    ]


def test_a_new_goal_surfaces_resources_once(app: Staffroom, person: Person) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    ana = joined(person("Ana Lopez"), goals="")
    outcome = ana.type("goals add Ask better hinge questions")
    assert outcome.ok
    offer = outcome.replies[-1]
    assert "For your new goal" in offer.blocks[0].text  # type: ignore[union-attr]
    assert "Hinge questions" in "\n".join(ana.shown)  # type: ignore[attr-defined]
    assert [b.label for b in offer.buttons()] == ["Helpful", "Not helpful"]
    (view,) = fetch_all(app, ResourceViewRow)
    assert view.shown_in == "profile"
    again = ana.type("goals add More hinge questions")
    assert len(again.replies) == 1  # nothing new to offer


def test_suggestion_blocks_are_empty_without_suggestions() -> None:
    assert suggestion_blocks([]) == ()


def test_a_saved_reflection_offers_a_resource_for_its_goal(app: Staffroom, person: Person) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    ana = joined(person("Ana Lopez"), goals="Improve classroom management")
    ana.type("reflect")
    form = ana.pending_form
    assert form is not None
    values = {
        "went_well": "Lining up at the door calmed period 5",
        "try_next": "A seating plan for Year 9",
        "tag": "Improve classroom management",
        "visibility": "private",
    }
    outcome = ana.submit(form, values)  # type: ignore[arg-type]
    assert outcome.ok, outcome.replies
    (reply,) = outcome.replies
    shown = "\n".join(b.text for b in reply.blocks if hasattr(b, "text"))
    assert "Colleagues shared something on this" in shown
    offered = [b for b in reply.buttons() if b.action_id == "resource.helpful"]
    assert len(offered) == 2
    views = fetch_all(app, ResourceViewRow)
    assert sorted(v.resource_id for v in views) == sorted(int(b.value) for b in offered)
    assert {v.shown_in for v in views} == {"suggested"}
    ana.press_button(offered[0])  # "Helpful" straight from the reflection's reply
    assert count(app, ResourceRow, ResourceRow.helpful_count == 1) == 1
    ana.type("reflect")
    assert ana.pending_form is not None
    again = ana.submit(ana.pending_form, values)  # type: ignore[arg-type]
    third = [b for b in again.replies[0].buttons() if b.action_id == "resource.helpful"]
    assert len(third) == 1 and third[0].value not in {b.value for b in offered}


def test_a_batch_offers_each_person_what_they_would_be_offered_alone(
    app: Staffroom, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = joined(person("Ben Okafor"))
    for line in LIBRARY:
        ben.type(line)
    names = ("Ana Lopez", "Cara Kim", "Dev Shah")
    for name in names:
        joined(person(name), goals="Improve classroom management")
    words = "calm entry and behaviour in class"
    assert len(suggest(app, "Cara Kim", words)) == 2  # Cara has seen two of the three already

    def batch(depth: int) -> list[list[str]]:
        monkeypatch.setattr(surfacing, "DEPTH", depth)
        with app.uow_factory() as uow:  # rolled back: each batch starts from the same state
            ws = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
            repos = uow.scope(ws.id)
            people = [repos.members.find(n) for n in (*names, "Ben Okafor")]
            found = surfacing.suggest_for_many(
                repos,
                [(p, words) for p in people if p is not None],
                now=app.clock.now(),
                shown_in=ShownIn.PAIRING,
            )
            return [[r.title for r in f] for f in found]

    shared, short = batch(12), batch(1)  # a shared search too short for Cara: she gets her own
    alone = [suggest(app, n, words) for n in names]
    assert shared[:3] == alone == short[:3]
    assert alone[1] == ["Seating plans that work"]
    assert shared[3] == [] == short[3]  # Ben shared every one of them
