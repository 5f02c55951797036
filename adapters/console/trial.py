"""A school's trial in one terminal: be anyone, read their inbox, press their buttons, move time.

``staffroom chat --as NAME`` runs one of these. Messages addressed to a person wait in their inbox
(``adapters/console/inbox.py``) and are shown when the terminal is being that person: as soon as
they arrive, even mid-prompt, or on ``/as NAME``. With a manual clock, ``/tick`` moves time forward
and runs the periodic jobs on the way, so a week of check-ins, reminders and the Monday digest plays
out in a minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from adapters.console.inbox import ConsoleInbox, InboxEntry
from adapters.console.session import ConsoleSession, console_user_id
from adapters.console.ticks import tick_target
from bot.kernel.clock import Clock
from bot.kernel.i18n import N_, _, clock, ngettext, speaking, when
from bot.kernel.messages import message_from_dict
from bot.kernel.parsing import ParseError

SHOWN_AT_START = 5
"""A person coming back to a busy inbox sees the latest few; `/inbox N` shows more."""

TRIAL_HELP = N_("""Trial commands (everything else goes to Staffroom, as in Slack or Teams):
  /as NAME        be someone else in this terminal; their waiting messages are shown
  /inbox [N]      show your last N messages again (default 5), with their buttons
  /who            who has messages they have not read yet
  /time           the trial's clock, in your time zone
  /tick 1d        move the clock forward (2h, 30m, 1w, `until tue 16:00`) and run what falls due
  quit            leave""")


Advance = Callable[[datetime], int]
"""Moves a manual clock to a moment, running the periodic jobs on the way; returns messages sent."""


@dataclass
class TrialConsole:
    session: ConsoleSession
    inbox: ConsoleInbox
    clock: Clock
    zone: tzinfo
    advance: Advance | None = None
    """None when the clock is the real one: time then moves by itself."""
    lock: threading.RLock = field(default_factory=threading.RLock)
    _notified: dict[str, int] = field(default_factory=dict)

    @property
    def user_id(self) -> str:
        return console_user_id(self.session.name)

    # --- one line typed ------------------------------------------------------------------------

    def handle(self, line: str) -> None:
        """A trial command, or a line for Staffroom followed by whatever it delivered."""
        stripped = line.strip()
        with self.lock, self._speaking():
            if stripped.startswith("/") and not stripped.lower().startswith("/staffroom"):
                self._trial_command(stripped[1:])
            else:
                self.session.type(stripped.removeprefix("/staffroom").strip() or "help")
                while self.session.pending_form is not None:
                    form = self.session.pending_form
                    values = self.session.fill(form)
                    if values is None:
                        self.session.pending_form = None
                        self.session.write(_("Cancelled; nothing was saved."))
                        break
                    self.session.submit(form, values)
            self.show_new()

    def _speaking(self) -> AbstractContextManager[str]:
        """The trial's own words follow the language Staffroom last answered this person in."""
        return speaking(self.session.speaks or self.session.language)

    def _trial_command(self, text: str) -> None:
        verb, _space, rest = text.partition(" ")
        verb, rest = verb.lower(), rest.strip()
        write = self.session.write
        if verb == "as":
            if not rest:
                write(_("Who? `/as Sam Lee`"))
                return
            self.switch_to(rest)
        elif verb == "inbox":
            self.show_recent(int(rest) if rest.isdigit() else SHOWN_AT_START)
        elif verb == "who":
            waiting = self.inbox.waiting(self.session.workspace, besides=self.user_id)
            if not waiting:
                write(_("Nobody else has unread messages."))
            for person in waiting:
                write(
                    "  "
                    + _("{name}: {count} unread  (/as {name})").format(
                        name=person.name, count=person.unread
                    )
                )
        elif verb == "time":
            write(_("It is {moment}.").format(moment=self._local(self.clock.now())))
        elif verb == "tick":
            self.tick(rest)
        else:
            write(_(TRIAL_HELP))

    # --- people and their inboxes ----------------------------------------------------------------

    def switch_to(self, name: str) -> None:
        self.session.name = name.strip()
        self.session.buttons = []
        self.session.pending_form = None
        self._notified.pop(self.user_id, None)
        self.session.write(_("You are now {name}.").format(name=self.session.name))
        self.show_new(limit=SHOWN_AT_START)

    def show_new(self, limit: int | None = None) -> bool:
        """Deliver what is due, show this person's unread messages, and say who else has some."""
        if self.session.worker is not None:
            self.session.worker.drain()
        unread = list(self.inbox.unread(self.session.workspace, self.user_id))
        shown = unread[-limit:] if limit is not None else unread
        if len(shown) < len(unread):
            earlier = len(unread) - len(shown)
            self.session.write(
                ngettext(
                    "({n} earlier message marked read; `/inbox {all}` shows it)",
                    "({n} earlier messages marked read; `/inbox {all}` shows them)",
                    earlier,
                ).format(n=earlier, all=len(unread))
            )
        for entry in shown:
            self._show(entry)
        self.inbox.mark_read((e.outbox_id for e in unread), self.clock.now())
        return bool(unread) | self._announce_others()

    def show_recent(self, count: int) -> None:
        recent = self.inbox.recent(self.session.workspace, self.user_id, max(1, count))
        if not recent:
            self.session.write(_("Your inbox is empty."))
            return
        self.session.buttons = []
        for entry in recent:
            self._show(entry)

    def _show(self, entry: InboxEntry) -> None:
        when = self._local(entry.sent_at) if entry.sent_at is not None else ""
        self.session.write(f"\n📨 {when}")
        self.session.show(message_from_dict(entry.payload))

    def _announce_others(self) -> bool:
        """One line per person when something new waits for them, not again until more comes."""
        said = False
        for person in self.inbox.waiting(self.session.workspace, besides=self.user_id):
            if self._notified.get(person.user_id, 0) >= person.newest_id:
                continue
            self._notified[person.user_id] = person.newest_id
            self.session.write(
                ngettext(
                    "📬 {name} has {n} new message: `/as {name}`",
                    "📬 {name} has {n} new messages: `/as {name}`",
                    person.unread,
                ).format(name=person.name, n=person.unread)
            )
            said = True
        return said

    # --- time ------------------------------------------------------------------------------------

    def tick(self, spec: str) -> None:
        write = self.session.write
        if self.advance is None:
            write(
                _(
                    "The clock is the real one here. Start with "
                    "`staffroom chat --as NAME --clock 2026-12-07T08:00` to move time by hand."
                )
            )
            return
        try:
            target = tick_target(spec, self.clock.now(), self.zone)
        except ParseError as exc:
            write(str(exc))
            return
        sent = self.advance(target)
        write(
            ngettext(
                "⏩ It is now {moment}; {n} message delivered on the way.",
                "⏩ It is now {moment}; {n} messages delivered on the way.",
                sent,
            ).format(moment=self._local(target), n=sent)
        )

    def _local(self, moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        return f"{when(local, 'short_year')} {clock(local)} ({local.tzname()})"

    # --- the interactive loop -------------------------------------------------------------------

    def run(self, *, watch_every: float | None = None) -> None:
        """Read lines until quit; ``watch_every`` seconds, show what arrived meanwhile."""
        with self._speaking():
            self.session.write(
                _(
                    "You are {name} in workspace “{workspace}”. Type `help` for "
                    "Staffroom's commands, `/help` for the trial's, `quit` to leave."
                ).format(name=self.session.name, workspace=self.session.workspace)
            )
        with self.lock, self._speaking():
            self.show_new(limit=SHOWN_AT_START)
        stop = threading.Event()
        watcher = None
        if watch_every:
            watcher = threading.Thread(
                target=self._watch, args=(stop, watch_every), name="inbox-watch", daemon=True
            )
            watcher.start()
        try:
            while True:
                try:
                    line = self.session.read("you> ")
                except (EOFError, KeyboardInterrupt):
                    self.session.write("")
                    return
                if line.strip().lower() in ("quit", "exit"):
                    return
                if line.strip():
                    self.handle(line)
        finally:
            stop.set()
            if watcher is not None:
                watcher.join(timeout=5)

    def _watch(self, stop: threading.Event, every: float) -> None:
        """Messages arriving while the person types: printed above the prompt, which is redrawn."""
        while not stop.wait(every):
            if not self.lock.acquire(blocking=False):
                continue  # a command is running; it shows what it delivered itself
            try:
                lines: list[str] = []
                write = self.session.write
                self.session.write = lines.append
                try:
                    self.show_new()
                except Exception:  # the database is briefly busy: look again next time
                    pass
                finally:
                    self.session.write = write
                if lines:
                    redraw_above_prompt(write, "\n".join(lines))
            finally:
                self.lock.release()


def redraw_above_prompt(write: Callable[[str], None], text: str) -> None:
    """Print over the half-typed line, then put the prompt and what was typed back."""
    try:
        import readline

        typed = readline.get_line_buffer()
    except ImportError:  # pragma: no cover - every Unix Python has readline
        typed = ""
    write(f"\r\x1b[2K{text}")
    import sys

    sys.stdout.write(f"you> {typed}")
    sys.stdout.flush()
