"""Peer observation: a teacher asks for an observer in one line; the bot finds one, confirms
with a calendar invite, and carries the observation through to private feedback and a reflection.

The modules: ``model`` (what is remembered), ``ports`` (the repository the core needs), ``parse`` (the
one-line request), ``suggest`` (who could observe), ``invite`` (the .ics file), ``chat`` (verbs,
buttons and forms) and ``jobs`` (the 24-hour hand-over, reminders and feedback prompts).
"""
