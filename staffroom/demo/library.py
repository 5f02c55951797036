"""The demo's chapter for the shared library: sharing, finding, marking, pinning, and a
resource offered after a reflection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from staffroom.demo.school import Teacher
from staffroom.demo.synthetic_library import DEMO_LIBRARY

if TYPE_CHECKING:
    from adapters.console.session import ConsoleSession

GOAL = "Improve classroom management"


def library_chapter(
    chapter: Callable[[str], None],
    say: Callable[[str], None],
    transcript: Callable[[str, str], None],
    session: Callable[..., ConsoleSession],
    teachers: Sequence[Teacher],
    coordinator: Teacher,
    program: str,
) -> None:
    chapter("8. The shared library: teachers share, find, and get offered what helps")

    def has_goal(teacher: Teacher) -> bool:
        replies = session(teacher).type("goals").replies
        return any(GOAL in r.text for r in replies)

    reflecting = next((t for t in reversed(teachers) if GOAL in t.goals and has_goal(t)), None)
    reflecting = reflecting or teachers[-1]
    sharers = [t for t in teachers if t is not reflecting][:4]
    first = session(sharers[0], loud=True)
    url, title, tags, _note = DEMO_LIBRARY[0]
    line = f"share {url} {title} {tags}"
    transcript(sharers[0].name, line)
    first.type(line)
    for i, (url, title, tags, note) in enumerate(DEMO_LIBRARY[1:], start=1):
        who = session(sharers[i % len(sharers)])
        extra = f' note="{note}"' if note else ""
        kind = " kind=expert" if i % 3 == 0 else ""
        who.type(f"share {url} {title} {tags}{extra}{kind}")
    say(f"\n({len(DEMO_LIBRARY) - 1} more resources shared by {len(sharers)} colleagues.)")

    second = session(sharers[3], loud=True)
    url = DEMO_LIBRARY[1][0].replace("https://", "http://www.") + "?utm_source=newsletter"
    line = f"share {url} Hinge questions #assessment"
    transcript(sharers[3].name, f"{line}   (a link already shared, spelled differently)")
    second.type(line)
    line = "share javascript:alert('hi') Free worksheets"
    transcript(sharers[3].name, line)
    second.type(line)

    searcher = session(sharers[2], loud=True)
    transcript(sharers[2].name, "resources questioning")
    searcher.type("resources questioning")
    transcript(sharers[2].name, "1   (presses 👍 Helpful on the first one)")
    searcher.type("1")

    found = session(coordinator).type(f"resources {DEMO_LIBRARY[0][1]}")
    resource_id = next(
        b.value for b in found.replies[0].buttons() if b.action_id == "resource.helpful"
    )
    line = f'resources pin {resource_id} "{program}"'
    transcript(coordinator.name, line)
    session(coordinator, loud=True).type(line)

    say(
        f"\n{reflecting.name} has the goal “{GOAL}”. After a hard afternoon they write a quick "
        "reflection, and Staffroom offers what colleagues shared on it (at most two, never one they "
        "have seen):"
    )
    r = session(reflecting, loud=True)
    if GOAL not in reflecting.goals:
        r.type(f"goals add {GOAL}")
    transcript(reflecting.name, "reflect")
    r.type("reflect")
    form = r.pending_form
    if form is None:
        say("(the reflection form did not open)")
        return
    values = {
        "went_well": "Period 5 settled faster once I met them at the door",
        "try_next": "Get the first task on the board before they arrive",
        "tag": GOAL,
        "visibility": "private",
    }
    transcript(reflecting.name, "(fills in: what went well, what to try next, the goal, private)")
    r.submit(form, values)
    transcript(reflecting.name, "reflect   (a week later, the same goal)")
    r.type("reflect")
    if r.pending_form is not None:
        r.submit(r.pending_form, values)
    say("(Nothing is offered twice: the second reflection gets the next best match, or nothing.)")
