"""The growth record as files a teacher can hand in as evidence of professional learning.

The page is one self-contained HTML document: an inline stylesheet, no script, no image or font to
fetch, printable on A4 or Letter as it is. The CSV is tidy (one fact a row: section, date, item,
detail, count, hours) so a school's spreadsheet can total it. Every word that came from a person is
escaped on the page (``bot.digest.page.e``) and made formula-safe in the CSV
(``bot.digest.render.spreadsheet_safe``).
"""

from __future__ import annotations

import csv
import io
import re
from zoneinfo import ZoneInfo

from bot.digest.page import e
from bot.digest.render import spreadsheet_safe
from bot.growth.model import GrowthRecord, ObservationEntry, ObservationRole
from bot.growth.period import long_date
from bot.growth.record import (
    HOURS_RULE,
    MEETING_MINUTES,
    OBSERVATION_MINUTES,
    REFLECTION_MINUTES,
    STUDY_MINUTES,
    lesson_took_place,
    series,
    took_place,
    trend_words,
)
from bot.growth.render import goal_name, local_day, study_phase, study_words
from bot.kernel.messages import Attachment, unsaid

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1a202c;font:15px/1.5 "Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:900px;margin:0 auto;padding:24px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:20px 0 6px;border-bottom:1px solid #e2e8f0;padding-bottom:2px}
p,td,th,li{overflow-wrap:anywhere}
.sub,.note{color:#4a5568;margin:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:4px 12px 4px 0;border-bottom:1px solid #edf2f7}
td.n,th.n{text-align:right}
.empty{color:#718096}
@media print{main{max-width:none;padding:0}body{font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def filename_stem(record: GrowthRecord) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", unsaid(record.name).lower()).strip("-") or "teacher"
    return f"growth-record-{name[:40]}-{record.period.start.isoformat()}-to-{record.period.end.isoformat()}"


def attachments(record: GrowthRecord) -> tuple[Attachment, Attachment]:
    stem = filename_stem(record)
    return (
        Attachment(f"{stem}.html", "text/html", html_page(record)),
        Attachment(f"{stem}.csv", "text/csv", csv_record(record)),
    )


# --- the page -------------------------------------------------------------------------------------


def html_page(record: GrowthRecord) -> str:
    a, h = record.activity, record.hours
    summary = [
        ("Observations of your lessons", _count(record, ObservationRole.RECEIVED), ""),
        ("Observations of colleagues' lessons", _count(record, ObservationRole.GIVEN), ""),
        ("Observations that took place", record.observations_held, f"{h.observations:.1f}"),
        ("Reflections written", a.reflections, f"{h.reflections:.1f}"),
        ("… of them after a check-in", a.reflections_after_checkin, ""),
        ("… of them shared", a.reflections_shared, ""),
        ("Check-ins answered", a.checkins_answered, ""),
        ("Lesson-study cycles", len(record.studies), ""),
        ("… with the research lesson held", record.studies_held, f"{h.studies:.1f}"),
        ("Pairings answered “we met”", sum(m.met for m in record.meetings), f"{h.meetings:.1f}"),
        ("Resources shared", a.resources_shared, ""),
        ("Helpful marks from colleagues", a.helpful_marks_received, ""),
        ("Resources you marked helpful", a.resources_found_helpful, ""),
    ]
    rows = "".join(
        f'<tr><td>{e(k)}</td><td class="n">{v}</td><td class="n">{hrs}</td></tr>'
        for k, v, hrs in summary
    )
    rows += f'<tr><th>Estimated hours in all</th><th></th><th class="n">{h.total:.1f}</th></tr>'
    body = (
        f"<h1>Growth record: {e(record.name)}</h1>"
        f'<p class="sub">{e(_period_words(record))}</p>'
        f'<p class="sub">Made by Staffroom on {e(local_day(record.made_at, record.timezone))} '
        "from the teacher's own records; only they can produce it.</p>"
        "<h2>Summary</h2>"
        '<table><tr><th>What</th><th class="n">Count</th><th class="n">Hours</th></tr>'
        f"{rows}</table>"
        f"<h2>Goals and confidence</h2>{_goals(record)}"
        f"<h2>Observations</h2>{_observations(record)}"
        f"<h2>Lesson study</h2>{_studies(record)}"
        f"<h2>Meetings with a mentor or group</h2>{_meetings(record)}"
        "<h2>How the hours are estimated</h2>"
        f'<p class="note">{e(HOURS_RULE)}</p>'
        f'<p class="note">{e(_feedback_note(record))}</p>'
    )
    title = f"Growth record: {unsaid(record.name)}, {record.period.label}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _period_words(record: GrowthRecord) -> str:
    p = record.period
    dates = f"{long_date(p.start)} to {long_date(p.end)}"
    return (
        f"Period: {dates}" if p.label == dates else f"{p.label[:1].upper()}{p.label[1:]}: {dates}"
    )


def _feedback_note(record: GrowthRecord) -> str:
    if record.period.with_feedback:
        return "The feedback colleagues wrote is included at the teacher's request."
    return "Feedback colleagues wrote is not included; the teacher may choose to include it."


def _count(record: GrowthRecord, role: ObservationRole) -> int:
    return sum(1 for o in record.observations if o.role is role)


def _goals(record: GrowthRecord) -> str:
    current = "".join(
        f"<li>{'★ ' if i == 0 else ''}{e(goal)}</li>" for i, goal in enumerate(record.goals)
    )
    goals = f"<p>Current goals:</p><ul>{current}</ul>" if current else ""
    if not record.trend_goals:
        return goals + '<p class="empty">No confidence ratings in this period.</p>'
    head = "".join(f'<th class="n">{e(b.label)}</th>' for b in record.buckets)
    lines = []
    for goal in record.trend_goals:
        cells = "".join(
            f'<td class="n">{p.average:.1f}</td>' if p else '<td class="n">·</td>'
            for p in series(record, goal)
        )
        lines.append(
            f"<tr><td>{e(goal_name(goal))}</td>{cells}<td>{e(trend_words(record, goal))}</td></tr>"
        )
    return (
        goals
        + "<p>Average self-rated confidence (1–5) from weekly check-ins:</p>"
        + f"<table><tr><th>Goal</th>{head}<th>Trend</th></tr>{''.join(lines)}</table>"
    )


def _status(entry: ObservationEntry, record: GrowthRecord) -> str:
    if not took_place(entry, record.made_at):
        return "coming up"
    return "feedback given" if entry.feedback_given else "feedback not written yet"


def _observations(record: GrowthRecord) -> str:
    if not record.observations:
        return '<p class="empty">No observations in this period.</p>'
    feedback = record.period.with_feedback
    lines = []
    for o in record.observations:
        side = "Observed by" if o.role is ObservationRole.RECEIVED else "Observed"
        cells = (
            f"<td>{e(local_day(o.starts_at, record.timezone))}</td>"
            f"<td>{e(side)} {e(o.colleague or 'a colleague')}</td>"
            f"<td>{e(o.focus)}</td><td>{e(_status(o, record))}</td>"
        )
        if feedback:
            words = [f"Strengths: {o.strengths}"] if o.strengths else []
            words += [f"Next step: {s}" for s in o.next_steps]
            cells += "<td>" + "<br>".join(e(w) for w in words) + "</td>"
        lines.append(f"<tr>{cells}</tr>")
    extra = "<th>Feedback</th>" if feedback else ""
    return (
        "<table><tr><th>Date</th><th>Who</th><th>Focus</th><th>Status</th>"
        f"{extra}</tr>{''.join(lines)}</table>"
    )


def _studies(record: GrowthRecord) -> str:
    if not record.studies:
        return '<p class="empty">No lesson-study cycles in this period.</p>'
    lines = "".join(
        f"<tr><td>{e(local_day(s.started_at, record.timezone))}</td><td>{e(s.name)}</td>"
        f"<td>{e(study_words(s))}</td><td>{e(study_phase(s))}</td></tr>"
        for s in record.studies
    )
    return (
        f"<table><tr><th>Started</th><th>Cycle</th><th>You</th><th>Phase</th></tr>{lines}</table>"
    )


def _meetings(record: GrowthRecord) -> str:
    if not record.meetings:
        return '<p class="empty">No pairings in this period.</p>'
    lines = "".join(
        f"<tr><td>{e(m.program)}</td><td>{e(AS_ROLE.get(m.role, m.role))}</td>"
        f'<td class="n">{m.pairings}</td><td class="n">{m.met}</td><td class="n">{m.not_yet}</td>'
        f'<td class="n">{m.cant}</td><td class="n">{m.unanswered}</td></tr>'
        for m in record.meetings
    )
    return (
        '<table><tr><th>Program</th><th>Role</th><th class="n">Pairings</th><th class="n">Met</th>'
        '<th class="n">Not yet</th><th class="n">Couldn\'t</th><th class="n">No answer</th></tr>'
        f"{lines}</table>"
    )


# --- the CSV --------------------------------------------------------------------------------------

AS_ROLE = {"mentor": "as mentor", "mentee": "as mentee", "peer": "in a peer group"}
"""A pairing's role as a document read by someone else words it."""

CSV_HEADER = ("section", "date", "item", "detail", "count", "hours")


def csv_record(record: GrowthRecord) -> str:
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(CSV_HEADER)

    def row(section: str, day: str, item: str, detail: str, count: object, hours: object) -> None:
        cells = (section, day, unsaid(item), unsaid(detail), count, hours)
        w.writerow([spreadsheet_safe(c) for c in cells])

    p, a = record.period, record.activity
    row("record", "", "teacher", record.name, "", "")
    row("record", p.start.isoformat(), "period", f"to {p.end.isoformat()}", "", "")
    row(
        "record",
        record.made_at.date().isoformat(),
        "made",
        "from the teacher's own records",
        "",
        "",
    )
    row("record", "", "hours rule", HOURS_RULE, "", "")
    for i, goal in enumerate(record.goals):
        row("goal", "", "focus goal" if i == 0 else "goal", goal, "", "")
    for rated in record.trend_goals:
        for bucket, point in zip(record.buckets, series(record, rated), strict=True):
            if point is not None:
                detail = f"average confidence {point.average:.2f}"
                row(
                    "confidence",
                    bucket.starts_at.date().isoformat(),
                    goal_name(rated),
                    detail,
                    point.answers,
                    "",
                )
    for o in record.observations:
        held = took_place(o, record.made_at)
        item = "observation received" if o.role is ObservationRole.RECEIVED else "observation given"
        detail = f"focus: {o.focus}; with {o.colleague or 'a colleague'}; {_status(o, record)}"
        if o.strengths:
            detail += f"; strengths: {o.strengths}"
        for step in o.next_steps:
            detail += f"; next step: {step}"
        day = _local_iso(o, record)
        row("observation", day, item, detail, 1, f"{OBSERVATION_MINUTES / 60:.2f}" if held else "0")
    reflection_hours = a.reflections * REFLECTION_MINUTES / 60
    row(
        "reflections",
        "",
        "reflections written",
        f"{a.reflections_after_checkin} after a check-in, {a.reflections_shared} shared",
        a.reflections,
        f"{reflection_hours:.2f}",
    )
    row("checkins", "", "check-ins answered", "", a.checkins_answered, "")
    today = record.made_at.astimezone(ZoneInfo(record.timezone)).date()
    for s in record.studies:
        held = lesson_took_place(s, today)
        day = s.started_at.astimezone(ZoneInfo(record.timezone)).date().isoformat()
        detail = f"{study_words(s)}; {study_phase(s)}"
        row("lesson study", day, s.name, detail, 1, f"{STUDY_MINUTES / 60:.2f}" if held else "0")
    row("resources", "", "resources shared", "", a.resources_shared, "")
    row("resources", "", "helpful marks from colleagues", "", a.helpful_marks_received, "")
    row("resources", "", "resources marked helpful", "", a.resources_found_helpful, "")
    for m in record.meetings:
        detail = (
            f"{AS_ROLE.get(m.role, m.role)}; met {m.met}, not yet {m.not_yet}, "
            f"couldn't {m.cant}, no answer {m.unanswered}"
        )
        row("meetings", "", m.program, detail, m.pairings, f"{m.met * MEETING_MINUTES / 60:.2f}")
    row("total", "", "estimated hours", "", "", f"{record.hours.total:.2f}")
    return buffer.getvalue()


def _local_iso(entry: ObservationEntry, record: GrowthRecord) -> str:
    return entry.starts_at.astimezone(ZoneInfo(record.timezone)).date().isoformat()
