"""Reflections: a teacher's own short notes, private unless they choose to share them."""

from __future__ import annotations

from functools import partial

from bot.checkins.ports import Suggester
from bot.kernel.feature import Command, Feature, FormRoute
from bot.reflections import chat, home, privacy


def build(*, suggest: Suggester | None = None) -> Feature:
    """``suggest``: what colleagues shared on the reflection's tag, offered once it is saved."""
    reflect, reflections = chat.VERBS
    return Feature(
        "reflections",
        commands=(Command(reflect, chat.reflect), Command(reflections, chat.reflections)),
        actions={
            "reflection.edit": chat.edit_button,
            "reflection.delete": chat.delete_button,
            "home.reflect": home.open_reflection,
        },
        forms={chat.FORM_ID: FormRoute(partial(chat.submit, suggest=suggest), chat.rebuild)},
        export=privacy.export_reflections,
        forget=privacy.forget_shared_copies,
        home_sections=(home.reflections_section,),
        home_buttons=(home.reflect_button,),
    )
