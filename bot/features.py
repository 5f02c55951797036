"""Every feature of Staffroom, in the order help lists their verbs: the only list there is.

A feature is one folder of ``bot/`` with a ``feature.py`` declaring what it answers and runs. Where one
feature helps another (the library offering resources in check-ins, reflections, introductions and after
a new goal; lesson study offered on a peer group's introduction; pairing telling a leaver's partners), the help is passed in here as an explicit port, so
each feature still works without it.
"""

from __future__ import annotations

from bot.calendar.feature import FEATURE as CALENDAR
from bot.checkins import feature as checkins
from bot.digest.feature import FEATURE as DIGEST
from bot.growth.feature import FEATURE as GROWTH
from bot.home.feature import FEATURE as HOME
from bot.kernel.dispatch import HELP
from bot.kernel.feature import Feature, Registry
from bot.members import feature as members
from bot.observations.feature import FEATURE as OBSERVATIONS
from bot.pairing import departures
from bot.pairing import feature as pairing
from bot.privacy import feature as privacy
from bot.programs.feature import FEATURE as PROGRAMS
from bot.reflections import feature as reflections
from bot.resources import offers
from bot.resources.feature import FEATURE as RESOURCES
from bot.study.feature import FEATURE as STUDY
from bot.study.from_group import group_button as study_button

CHECKIN_SUGGESTIONS = offers.checkin_suggestions
INTRODUCTION_EXTRAS = (offers.introduction_suggestions, study_button)

FEATURES: tuple[Feature, ...] = (
    members.build(
        goal_added=offers.goal_suggestions,
        member_left=departures.tell_partners,
        member_paused=departures.paused_for_the_round,
    ),
    PROGRAMS,
    pairing.build(introduction_extras=INTRODUCTION_EXTRAS),
    checkins.build(suggest=CHECKIN_SUGGESTIONS),
    reflections.build(suggest=CHECKIN_SUGGESTIONS),
    CALENDAR,
    privacy.build(member_forgotten=departures.tell_partners),
    OBSERVATIONS,
    STUDY,
    RESOURCES,
    DIGEST,
    GROWTH,
    HOME,
)

REGISTRY = Registry.of((HELP, *FEATURES))
"""What this Staffroom answers and runs: help first, then every feature's declarations, checked once."""
