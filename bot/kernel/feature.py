"""What a feature declares about itself, and the registry the dispatcher builds from all of them.

A feature is one value: its verbs with their handlers, the buttons and forms it answers, its periodic
jobs, its part of ``export-my-data`` and ``forget-me``, and what it adds to someone's Home page. The
dispatcher, the scheduler, help and privacy read the ``Registry`` made from the tuple of features in
``bot/features.py``; nothing registers itself at import time, so what a running Staffroom can do is
exactly that tuple, whichever modules happened to be imported first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.domain import Member
from bot.kernel.events import FormValue
from bot.kernel.messages import Block, Button, Form, Message
from bot.kernel.ports import Scope, UnitOfWorkFactory
from bot.kernel.settings import Settings

if TYPE_CHECKING:
    from bot.kernel.context import Ctx

CommandHandler = Callable[["Ctx", ParsedCommand], list[Message]]
ActionHandler = Callable[["Ctx", str], list[Message]]
"""A button press: the context and the button's value."""
FormHandler = Callable[["Ctx", Mapping[str, FormValue], str], list[Message]]
"""A form submission: the context, the typed values and the state the form was opened with."""
FormBuilder = Callable[["Ctx", str], Form]
JobFunction = Callable[[UnitOfWorkFactory, datetime], object]
ExportPart = Callable[[Scope, Member], dict[str, Any]]
"""A feature's part of the export: a JSON-able mapping of what it stores about the member."""
ForgetPart = Callable[[Scope, Member], Sequence[str] | None]
"""A feature's part of forget-me: erase or anonymise what it stores about the member, and return the
words they wrote that messages to other people may quote (a focus, look-fors), to be taken out of
those messages in the same pass as their name."""
HomeSection = Callable[["Ctx", Member], list[Block]]
HomeButtons = Callable[["Ctx", Member], list[Button]]
PlatformEventHandler = Callable[["Ctx", str], list[Message]]
"""What a feature does when the platform reports an install, an uninstall or a new member."""


@dataclass(frozen=True)
class Command:
    verb: Verb
    handler: CommandHandler
    before_joining: bool = False
    """Usable by someone who has not joined (``help``, ``join``, ``home``); the rest ask them to join."""


@dataclass(frozen=True)
class FormRoute:
    submit: FormHandler
    rebuild: FormBuilder
    """Builds the form again so a refused submission can be shown with its errors and what was typed."""


@dataclass(frozen=True)
class PeriodicJob:
    """Work the scheduler runs on an interval with the clock it is given, so tests drive it.

    A job must be idempotent: several running copies of Staffroom may run it at the same minute, and the
    outbox's idempotency keys are what make the result exactly-once.
    """

    name: str
    """Stable id: the scheduler's job id, so restarts replace rather than duplicate the job."""
    run: JobFunction
    every: timedelta
    configure: Callable[[Settings], JobFunction] | None = None
    """For a job that needs the server's settings (the digest signs its links with a secret): makes
    the function to run from them, once, when a scheduler is made. ``run`` is the job without them."""

    def configured(self, settings: Settings) -> PeriodicJob:
        return self if self.configure is None else replace(self, run=self.configure(settings))


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[Command, ...] = ()
    actions: Mapping[str, ActionHandler] = field(default_factory=dict)
    forms: Mapping[str, FormRoute] = field(default_factory=dict)
    jobs: tuple[PeriodicJob, ...] = ()
    export: ExportPart | None = None
    forget: ForgetPart | None = None
    home_sections: tuple[HomeSection, ...] = ()
    home_buttons: tuple[HomeButtons, ...] = ()
    platform_events: PlatformEventHandler | None = None


@dataclass(frozen=True)
class Registry:
    """Every feature's declarations merged once, refusing any verb, button, form or job claimed twice."""

    features: tuple[Feature, ...]
    verbs: Mapping[str, Verb]
    commands: Mapping[str, CommandHandler]
    before_joining: frozenset[str]
    actions: Mapping[str, ActionHandler]
    forms: Mapping[str, FormRoute]
    jobs: tuple[PeriodicJob, ...]

    @classmethod
    def of(cls, features: Iterable[Feature]) -> Registry:
        chosen = tuple(features)
        verbs: dict[str, Verb] = {}
        commands: dict[str, CommandHandler] = {}
        actions: dict[str, ActionHandler] = {}
        forms: dict[str, FormRoute] = {}
        jobs: dict[str, PeriodicJob] = {}
        for feature in chosen:
            for command in feature.commands:
                _claim(verbs, command.verb.name, command.verb, feature, "verb")
                commands[command.verb.name] = command.handler
            for action_id, handler in feature.actions.items():
                _claim(actions, action_id, handler, feature, "button")
            for form_id, route in feature.forms.items():
                _claim(forms, form_id, route, feature, "form")
            for job in feature.jobs:
                _claim(jobs, job.name, job, feature, "job")
        return cls(
            features=chosen,
            verbs=verbs,
            commands=commands,
            before_joining=frozenset(
                c.verb.name for f in chosen for c in f.commands if c.before_joining
            ),
            actions=actions,
            forms=forms,
            jobs=tuple(jobs.values()),
        )

    def export_parts(self) -> list[tuple[str, ExportPart]]:
        return [(f.name, f.export) for f in self.features if f.export is not None]

    def forget_parts(self) -> list[tuple[str, ForgetPart]]:
        return [(f.name, f.forget) for f in self.features if f.forget is not None]

    def home_sections(self) -> list[HomeSection]:
        return [section for f in self.features for section in f.home_sections]

    def home_buttons(self) -> list[HomeButtons]:
        return [buttons for f in self.features for buttons in f.home_buttons]

    def platform_event_handlers(self) -> list[PlatformEventHandler]:
        return [f.platform_events for f in self.features if f.platform_events is not None]

    def job(self, name: str) -> PeriodicJob:
        for job in self.jobs:
            if job.name == name:
                return job
        raise KeyError(name)


def _claim(table: dict[str, Any], key: str, value: Any, feature: Feature, what: str) -> None:
    if key in table:
        raise ValueError(f"{feature.name} declares the {what} {key!r}, which another feature has")
    table[key] = value
