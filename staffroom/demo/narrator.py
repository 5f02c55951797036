"""The demo's voice: chapter titles, narration and the transcript of what each person typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Narrator:
    write: Callable[[str], None] = print

    def chapter(self, title: str) -> None:
        self.write(f"\n{'=' * 78}\n{title}\n{'=' * 78}")

    def say(self, text: str) -> None:
        self.write(text)

    def transcript(self, who: str, typed: str) -> None:
        self.write(f"\n{who}> {typed}")
