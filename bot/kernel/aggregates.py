"""Whether a figure drawn from several people may be shown: one rule for every feature that counts.

An average of four answers, read by someone who knows three of them (a coordinator who talked to three
teachers, or three teachers comparing notes), gives the fourth away; so does a response rate over four
people. Every aggregate a coordinator sees (the digest in every format, the ``checkins`` counts) asks
``may_show`` here, so no feature can pick a lower floor of its own. A withheld figure is withheld whole:
the counts behind it would give the same answer away.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.i18n import N_

PRIVACY_FLOOR = 5
"""The fewest distinct people a figure may rest on."""

# Translators: shown in place of a figure; 5 is the privacy floor, the fewest people a figure may
# rest on.
WITHHELD = N_("withheld (fewer than 5 people)")
"""What a person reads in place of a withheld figure, and nothing beside it: shown with ``_(WITHHELD)``.
The floor is written into the words (one string with no placeholder to fill wherever it is shown);
``tests/unit/test_in_spanish.py`` checks it is ``PRIVACY_FLOOR``."""


def may_show(people: int) -> bool:
    """True when a figure resting on ``people`` distinct people cannot single one of them out."""
    return people >= PRIVACY_FLOOR


def withheld_groups(people: Sequence[int]) -> list[bool]:
    """Which of several groups' figures to withhold when their total is shown too.

    A group under the floor is withheld; but if the withheld groups together still number fewer than the
    floor, their figures are the total minus the shown groups. The next smallest shown groups are then
    withheld too, until the hidden part is big enough or nothing is shown (with 7 mentees and 4 mentors,
    neither is shown). Empty groups have nothing to hide and stay as they are.
    """
    hidden = [n > 0 and not may_show(n) for n in people]

    def hidden_total() -> int:
        return sum(n for n, h in zip(people, hidden, strict=True) if h)

    while hidden_total() > 0 and not may_show(hidden_total()):
        shown = [i for i, h in enumerate(hidden) if not h and people[i] > 0]
        if not shown:
            break
        hidden[min(shown, key=lambda i: people[i])] = True
    return hidden
