"""Microsoft Teams adapter: Bot Framework bot, Adaptive Cards, proactive messenger, app package."""
