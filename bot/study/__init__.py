"""Lesson study: a group plans a research lesson, one teaches while the others watch the students, they
debrief and revise, and someone may teach it again."""
