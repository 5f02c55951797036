"""The school calendar: holidays and terms that check-ins and pairing rounds respect."""

from __future__ import annotations

from bot.calendar import chat
from bot.kernel.feature import Command, Feature

FEATURE = Feature("calendar", commands=(Command(chat.VERB, chat.calendar),))
