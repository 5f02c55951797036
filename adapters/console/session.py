"""A person at the terminal: type commands, press buttons by number, fill forms field by field.

``ConsoleSession`` is used three ways: interactively by ``staffroom chat`` (inside a
``TrialConsole``, which adds inboxes and a clock), by the demo to drive a simulated school through
the real inbound path, and by tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.console.files import save_files
from adapters.console.render import prompt_for, render, render_form_header
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.dispatch import Bot, Outcome
from bot.kernel.domain import Platform
from bot.kernel.events import Actor, FormValue, Inbound, InboundKind
from bot.kernel.i18n import _, speaking
from bot.kernel.messages import Button, Form, InputKind, Message, Option

SLUG = re.compile(r"[^a-z0-9]+")


def console_user_id(name: str) -> str:
    """Everyone at the console is known by their name, lower-cased: ``Ana Lopez`` -> ``ana-lopez``."""
    return SLUG.sub("-", name.strip().lower()).strip("-") or "someone"


@dataclass
class ConsoleSession:
    bot: Bot
    name: str
    workspace: str = "local"
    timezone: str | None = None
    language: str | None = None
    """The terminal's language (``LANG``), as Slack and Teams report their client's."""
    worker: DeliveryWorker | None = None
    write: Callable[[str], None] = print
    read: Callable[[str], str] = input
    buttons: list[Button] = field(default_factory=list)
    pending_form: Form | None = None
    speaks: str | None = None
    """The language Staffroom last answered in: the terminal's own words (a form's prompts) follow it."""
    files: Path | None = None
    """Where a message's files (an export, an ``.ics`` invite, the digest's chart) are written; the
    terminal cannot show them, so the person is told the path instead."""

    @property
    def actor(self) -> Actor:
        return Actor(
            platform=Platform.CONSOLE,
            workspace_external_id=self.workspace,
            workspace_name=self.workspace,
            user_id=console_user_id(self.name),
            display_name=self.name,
            timezone=self.timezone,
            language=self.language,
        )

    # --- what the demo and tests call ---------------------------------------------------------

    def type(self, line: str) -> Outcome:
        """A command line, or a button's number."""
        stripped = line.strip()
        if stripped.isdigit() and self.buttons:
            return self.press(int(stripped))
        return self._send(Inbound(actor=self.actor, kind=InboundKind.COMMAND, text=stripped))

    def press(self, number: int) -> Outcome:
        if not 1 <= number <= len(self.buttons):
            with speaking(self.speaks or self.language):
                self.write(_("There is no button {number}.").format(number=number))
            return Outcome(ok=False)
        button = self.buttons[number - 1]
        return self.press_button(button)

    def press_button(self, button: Button) -> Outcome:
        return self._send(
            Inbound(
                actor=self.actor,
                kind=InboundKind.ACTION,
                action_id=button.action_id,
                value=button.value,
            )
        )

    def submit(self, form: Form, values: Mapping[str, FormValue]) -> Outcome:
        payload: dict[str, FormValue] = {**values, "__state__": form.state}
        return self._send(
            Inbound(actor=self.actor, kind=InboundKind.FORM, form_id=form.form_id, values=payload)
        )

    def _send(self, inbound: Inbound) -> Outcome:
        outcome = self.bot.handle(inbound)
        self.buttons = []
        self.pending_form = None
        for reply in outcome.replies:
            self.show(reply)
        if self.worker is not None:
            self.worker.drain()
        return outcome

    def show(self, message: Message) -> None:
        self.speaks = message.language
        text, buttons = render(message, first_button=len(self.buttons) + 1)
        self.buttons += buttons
        if message.form is not None:
            self.pending_form = message.form
            if not message.blocks and message.text:
                self.write(message.text)
            return
        self.write(text)
        if self.files is not None:
            with speaking(message.language):
                for path in save_files(message, self.files):
                    self.write(_("  (saved as {path})").format(path=path))

    # --- forms, field by field -----------------------------------------------------------------

    def fill(self, form: Form) -> dict[str, FormValue] | None:
        """Ask for each field in turn; Enter keeps what is in [brackets]; `cancel` gives up."""
        with speaking(self.speaks or self.language):
            return self._fill(form)

    def _fill(self, form: Form) -> dict[str, FormValue] | None:
        self.write(render_form_header(form))
        values: dict[str, FormValue] = {}
        for field_ in form.inputs:
            if field_.options:
                for i, option in enumerate(field_.options, 1):
                    self.write(f"    {i}. {option.label}")
            hint = field_.hint
            if field_.kind is InputKind.MULTILINE:
                hint = (hint + "; " if hint else "") + _("use ' / ' between lines")
            if field_.kind is InputKind.MULTISELECT:
                hint = _("numbers or names, comma-separated")
            answer = self.read(
                "  " + prompt_for(field_.kind, field_.label, hint, field_.initial, field_.required)
            )
            if answer.strip().lower() in ("cancel", _("cancel")):
                return None
            values[field_.name] = self._value(field_.kind, field_.options, answer, field_.initial)
        return values

    @staticmethod
    def _value(
        kind: InputKind, options: tuple[Option, ...], answer: str, initial: object
    ) -> FormValue:
        text = answer.strip()
        if not text:
            if isinstance(initial, list):
                return list(initial)
            return "" if initial is None else str(initial)
        if kind is InputKind.MULTILINE:
            return "\n".join(part.strip() for part in text.split(" / "))
        if kind in (InputKind.SELECT, InputKind.MULTISELECT) and options:
            picked = []
            for part in [p.strip() for p in text.split(",") if p.strip()]:
                if part.isdigit() and 1 <= int(part) <= len(options):
                    picked.append(options[int(part) - 1].value)
                else:
                    match = next(
                        (o.value for o in options if o.label.lower() == part.lower()), part
                    )
                    picked.append(match)
            return picked if kind is InputKind.MULTISELECT else picked[0]
        return text
