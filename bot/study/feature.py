"""Lesson study: a group plans a research lesson, one teaches while the others observe the students,
they debrief, revise, and may teach it again."""

from __future__ import annotations

from datetime import timedelta

from bot.kernel.feature import Command, Feature, FormRoute, PeriodicJob
from bot.study import chat, from_group, notes, plan, privacy, start
from bot.study.advance import advance_lesson_studies

FEATURE = Feature(
    "study",
    commands=(Command(chat.VERB, chat.study),),
    actions={
        start.PLAN: plan.open_plan,
        plan.BOOK: plan.open_booking,
        notes.REVISE: notes.open_revision,
        from_group.FROM_GROUP: from_group.open_start,
    },
    forms={
        plan.PLAN_FORM: FormRoute(plan.submit_plan, plan.rebuild_plan),
        plan.BOOK_FORM: FormRoute(plan.submit_booking, plan.rebuild_booking),
        notes.REVISE_FORM: FormRoute(notes.submit_revision, notes.rebuild_revision),
        from_group.START_FORM: FormRoute(from_group.submit_start, from_group.rebuild_start),
    },
    jobs=(PeriodicJob("study.advance", advance_lesson_studies, timedelta(minutes=15)),),
    export=privacy.export_study,
    forget=privacy.forget_study,
)
