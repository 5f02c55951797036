"""The demo's growth chapter: the observed teacher's own record of the term, and its files.

After the observation and library chapters the teacher has been observed, reflected and shared;
``growth`` shows what that adds up to, and the download writes the printable page and the CSV into
the demo's folder, as the console writes any file it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from adapters.console.session import ConsoleSession
from staffroom.demo.school import Teacher

Say = Callable[[str], None]


def growth_chapter(
    *,
    teachers: list[Teacher],
    session: Callable[..., ConsoleSession],
    chapter: Say,
    say: Say,
    transcript: Callable[[str, str], None],
    out: Path,
) -> None:
    london = [t for t in teachers if t.timezone == "Europe/London"]
    if not london:
        return
    teacher = london[0]  # the teacher the observation chapter follows
    chapter(f"{teacher.name}'s growth record: evidence of a term's professional learning")
    me = session(teacher, loud=True)
    transcript(teacher.name, "growth")
    me.type("growth")
    download = next((b for b in me.buttons if b.label == "Download (HTML + CSV)"), None)
    if download is None:
        return
    me.files = out
    transcript(teacher.name, f"[presses “{download.label}”]")
    me.press_button(download)
    say("(Only the teacher can produce it; a coordinator typing `growth NAME` is refused.)")
