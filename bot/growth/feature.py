"""Growth: a teacher's own record of their professional learning, to read in chat or hand in."""

from __future__ import annotations

from bot.growth import chat, home
from bot.growth.render import EXPORT_ACTION
from bot.kernel.feature import Command, Feature

FEATURE = Feature(
    "growth",
    commands=(Command(chat.GROWTH_VERB, chat.growth),),
    actions={EXPORT_ACTION: chat.export_button, home.HOME_ACTION: home.open_record},
    home_sections=(home.growth_section,),
    home_buttons=(home.growth_button,),
)
