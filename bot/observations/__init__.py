"""Peer observation: a teacher asks for an observer in one line; the bot finds one, confirms
with a calendar invite, and carries the observation through to private feedback and a reflection.

The modules: ``feature`` (what it registers), ``model`` (what is remembered), ``ports`` (the repository
the core needs), ``chat`` (thin handlers for the verbs, buttons and forms), and the services: ``parse``
(the one-line request), ``request`` (reading it and showing the draft), ``suggest`` (who could
observe), ``asking`` (colleagues in turn, until one accepts), ``invite`` (the .ics file), ``cancel``,
``feedback`` (the form and its delivery), ``reflection``, ``overview`` (list, show, stats),
``free_periods``, ``lifecycle`` (the periodic hand-over, reminders and feedback prompts), ``render``
(how an observation reads) and ``privacy`` (export and forget).
"""
