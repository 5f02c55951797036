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
from bot.growth.period import between
from bot.growth.record import (
    MEETING_MINUTES,
    OBSERVATION_MINUTES,
    REFLECTION_MINUTES,
    STUDY_MINUTES,
    hours_rule,
    lesson_took_place,
    series,
    took_place,
    trend_words,
)
from bot.growth.render import goal_name, local_day, observation_status, study_phase, study_words
from bot.kernel.i18n import N_, _, current_language, number, pgettext
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
"""  # not translated: the page's stylesheet


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
        (_("Observations of your lessons"), _count(record, ObservationRole.RECEIVED), ""),
        (_("Observations of colleagues' lessons"), _count(record, ObservationRole.GIVEN), ""),
        (
            _("Observations that took place"),
            record.observations_held,
            number(h.observations, digits=1),
        ),
        (_("Reflections written"), a.reflections, number(h.reflections, digits=1)),
        (_("… of them after a check-in"), a.reflections_after_checkin, ""),
        (_("… of them shared"), a.reflections_shared, ""),
        (_("Check-ins answered"), a.checkins_answered, ""),
        (_("Lesson-study cycles"), len(record.studies), ""),
        (_("… with the research lesson held"), record.studies_held, number(h.studies, digits=1)),
        (
            _("Pairings answered “we met”"),
            sum(m.met for m in record.meetings),
            number(h.meetings, digits=1),
        ),
        (_("Resources shared"), a.resources_shared, ""),
        (_("Helpful marks from colleagues"), a.helpful_marks_received, ""),
        (_("Resources you marked helpful"), a.resources_found_helpful, ""),
    ]
    rows = "".join(
        f'<tr><td>{e(k)}</td><td class="n">{v}</td><td class="n">{hrs}</td></tr>'
        for k, v, hrs in summary
    )
    total = _tag("th", _("Estimated hours in all"))
    rows += f'<tr>{total}<th></th><th class="n">{number(h.total, digits=1)}</th></tr>'
    made = _(
        "Made by Staffroom on {date} from the teacher's own records; only they can produce it."
    ).format(date=local_day(record.made_at, record.timezone))
    body = "".join(
        (
            _tag("h1", _("Growth record: {name}").format(name=record.name)),
            _tag("p", _period_words(record), "sub"),
            _tag("p", made, "sub"),
            _tag("h2", _("Summary")),
            "<table><tr>",
            _tag("th", _("What")),
            _tag("th", _("Count"), "n"),
            _tag("th", _("Hours"), "n"),
            f"</tr>{rows}</table>",
            _tag("h2", _("Goals and confidence")),
            _goals(record),
            _tag("h2", _("Observations")),
            _observations(record),
            _tag("h2", _("Lesson study")),
            _studies(record),
            _tag("h2", _("Meetings with a mentor or group")),
            _meetings(record),
            _tag("h2", _("How the hours are estimated")),
            _tag("p", hours_rule(), "note"),
            _tag("p", _feedback_note(record), "note"),
        )
    )
    title = _("Growth record: {name}, {period}").format(
        name=unsaid(record.name), period=record.period.label
    )
    return (
        f'<!doctype html><html lang="{current_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _period_words(record: GrowthRecord) -> str:
    p = record.period
    dates = between(p.start, p.end)
    if p.label == dates:
        return _("Period: {dates}").format(dates=dates)
    return _("{period}: {dates}").format(period=f"{p.label[:1].upper()}{p.label[1:]}", dates=dates)


def _feedback_note(record: GrowthRecord) -> str:
    if record.period.with_feedback:
        return _("The feedback colleagues wrote is included at the teacher's request.")
    return _("Feedback colleagues wrote is not included; the teacher may choose to include it.")


def _count(record: GrowthRecord, role: ObservationRole) -> int:
    return sum(1 for o in record.observations if o.role is role)


def _tag(tag: str, text: str, css: str = "") -> str:
    """``<th class="n">Hours</th>``: words escaped, in an element of the page."""
    opens = f'<{tag} class="{css}">' if css else f"<{tag}>"
    return f"{opens}{e(text)}</{tag}>"


def _empty(text: str) -> str:
    return f'<p class="empty">{e(text)}</p>'


def _goals(record: GrowthRecord) -> str:
    current = "".join(
        f"<li>{'★ ' if i == 0 else ''}{e(goal)}</li>" for i, goal in enumerate(record.goals)
    )
    goals = _tag("p", _("Current goals:")) + f"<ul>{current}</ul>" if current else ""
    if not record.trend_goals:
        return goals + _empty(_("No confidence ratings in this period."))
    head = "".join(f'<th class="n">{e(b.label)}</th>' for b in record.buckets)
    lines = []
    for goal in record.trend_goals:
        cells = "".join(
            f'<td class="n">{number(p.average, digits=1)}</td>' if p else '<td class="n">·</td>'
            for p in series(record, goal)
        )
        lines.append(
            f"<tr><td>{e(goal_name(goal))}</td>{cells}<td>{e(trend_words(record, goal))}</td></tr>"
        )
    intro = _("Average self-rated confidence (1–5) from weekly check-ins:")
    return (
        goals
        + f"<p>{e(intro)}</p>"
        + "<table><tr>"
        + _tag("th", _("Goal"))
        + head
        + _tag("th", _("Trend"))
        + "</tr>"
        + f"{''.join(lines)}</table>"
    )


def _observations(record: GrowthRecord) -> str:
    if not record.observations:
        return _empty(_("No observations in this period."))
    feedback = record.period.with_feedback
    lines = []
    for o in record.observations:
        colleague = o.colleague or _("a colleague")
        who = (
            _("Observed by {name}").format(name=colleague)
            if o.role is ObservationRole.RECEIVED
            else _("Observed {name}").format(name=colleague)
        )
        cells = (
            f"<td>{e(local_day(o.starts_at, record.timezone))}</td>"
            f"<td>{e(who)}</td>"
            f"<td>{e(o.focus)}</td><td>{e(observation_status(o, record))}</td>"
        )
        if feedback:
            words = [_("Strengths: {text}").format(text=o.strengths)] if o.strengths else []
            words += [_("Next step: {text}").format(text=s) for s in o.next_steps]
            cells += "<td>" + "<br>".join(e(w) for w in words) + "</td>"
        lines.append(f"<tr>{cells}</tr>")
    extra = _tag("th", _("Feedback")) if feedback else ""
    heads = "".join(f"<th>{e(h)}</th>" for h in (_("Date"), _("Who"), _("Focus"), _("Status")))
    return f"<table><tr>{heads}{extra}</tr>{''.join(lines)}</table>"


def _studies(record: GrowthRecord) -> str:
    if not record.studies:
        return _empty(_("No lesson-study cycles in this period."))
    lines = "".join(
        f"<tr><td>{e(local_day(s.started_at, record.timezone))}</td><td>{e(s.name)}</td>"
        f"<td>{e(study_words(s))}</td><td>{e(study_phase(s))}</td></tr>"
        for s in record.studies
    )
    heads = "".join(
        f"<th>{e(h)}</th>"
        for h in (pgettext("growth page", "Started"), _("Cycle"), _("You"), _("Phase"))
    )
    return f"<table><tr>{heads}</tr>{lines}</table>"


def _meetings(record: GrowthRecord) -> str:
    if not record.meetings:
        return _empty(_("No pairings in this period."))
    lines = "".join(
        f"<tr><td>{e(m.program)}</td><td>{e(_role(m.role))}</td>"
        f'<td class="n">{m.pairings}</td><td class="n">{m.met}</td><td class="n">{m.not_yet}</td>'
        f'<td class="n">{m.cant}</td><td class="n">{m.unanswered}</td></tr>'
        for m in record.meetings
    )
    counted = (_("Pairings"), _("Met"), _("Not yet"), _("Couldn't"), _("No answer"))
    heads = (
        _tag("th", _("Program"))
        + _tag("th", _("Role"))
        + "".join(f'<th class="n">{e(h)}</th>' for h in counted)
    )
    return f"<table><tr>{heads}</tr>{lines}</table>"


# --- the CSV --------------------------------------------------------------------------------------

AS_ROLE = {"mentor": N_("as mentor"), "mentee": N_("as mentee"), "peer": N_("in a peer group")}
"""A pairing's role as a document read by someone else words it; shown through ``_role``."""


def _role(role: str) -> str:
    return _(AS_ROLE[role]) if role in AS_ROLE else role


def csv_header() -> tuple[str, ...]:
    """The columns, in the language the record is made in."""
    return (
        pgettext("growth CSV column", "section"),
        pgettext("growth CSV column", "date"),
        pgettext("growth CSV column", "item"),
        pgettext("growth CSV column", "detail"),
        pgettext("growth CSV column", "count"),
        pgettext("growth CSV column", "hours"),
    )


def csv_record(record: GrowthRecord) -> str:
    """Dates stay ISO (2026-11-26) and figures keep their point: cells a spreadsheet sorts and sums
    whatever its language; the words around them are the teacher's language."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(csv_header())

    def row(section: str, day: str, item: str, detail: str, count: object, hours: object) -> None:
        cells = (section, day, unsaid(item), unsaid(detail), count, hours)
        w.writerow([spreadsheet_safe(c) for c in cells])

    p, a = record.period, record.activity
    record_ = pgettext("growth CSV section", "record")
    row(record_, "", pgettext("growth CSV item", "teacher"), record.name, "", "")
    row(
        record_,
        p.start.isoformat(),
        pgettext("growth CSV item", "period"),
        _("to {date}").format(date=p.end.isoformat()),
        "",
        "",
    )
    row(
        record_,
        record.made_at.date().isoformat(),
        pgettext("growth CSV item", "made"),
        _("from the teacher's own records"),
        "",
        "",
    )
    row(record_, "", pgettext("growth CSV item", "hours rule"), hours_rule(), "", "")
    for i, goal in enumerate(record.goals):
        row(
            pgettext("growth CSV section", "goal"),
            "",
            pgettext("growth CSV item", "focus goal")
            if i == 0
            else pgettext("growth CSV item", "goal"),
            goal,
            "",
            "",
        )
    for rated in record.trend_goals:
        for bucket, point in zip(record.buckets, series(record, rated), strict=True):
            if point is not None:
                detail = _("average confidence {average}").format(average=f"{point.average:.2f}")
                row(
                    pgettext("growth CSV section", "confidence"),
                    bucket.starts_at.date().isoformat(),
                    goal_name(rated),
                    detail,
                    point.answers,
                    "",
                )
    for o in record.observations:
        held = took_place(o, record.made_at)
        kind = (
            pgettext("growth CSV item", "observation received")
            if o.role is ObservationRole.RECEIVED
            else pgettext("growth CSV item", "observation given")
        )
        detail = _("focus: {focus}; with {colleague}; {status}").format(
            focus=o.focus,
            colleague=o.colleague or _("a colleague"),
            status=observation_status(o, record),
        )
        if o.strengths:
            detail += _("; strengths: {text}").format(text=o.strengths)
        for step in o.next_steps:
            detail += _("; next step: {text}").format(text=step)
        day = _local_iso(o, record)
        hours = f"{OBSERVATION_MINUTES / 60:.2f}" if held else "0"
        row(pgettext("growth CSV section", "observation"), day, kind, detail, 1, hours)
    reflection_hours = a.reflections * REFLECTION_MINUTES / 60
    row(
        pgettext("growth CSV section", "reflections"),
        "",
        pgettext("growth CSV item", "reflections written"),
        _("{after} after a check-in, {shared} shared").format(
            after=a.reflections_after_checkin, shared=a.reflections_shared
        ),
        a.reflections,
        f"{reflection_hours:.2f}",
    )
    row(
        pgettext("growth CSV section", "checkins"),
        "",
        pgettext("growth CSV item", "check-ins answered"),
        "",
        a.checkins_answered,
        "",
    )
    today = record.made_at.astimezone(ZoneInfo(record.timezone)).date()
    for s in record.studies:
        held = lesson_took_place(s, today)
        day = s.started_at.astimezone(ZoneInfo(record.timezone)).date().isoformat()
        detail = f"{study_words(s)}; {study_phase(s)}"
        hours = f"{STUDY_MINUTES / 60:.2f}" if held else "0"
        row(pgettext("growth CSV section", "lesson study"), day, s.name, detail, 1, hours)
    resources = pgettext("growth CSV section", "resources")
    row(resources, "", pgettext("growth CSV item", "resources shared"), "", a.resources_shared, "")
    row(
        resources,
        "",
        pgettext("growth CSV item", "helpful marks from colleagues"),
        "",
        a.helpful_marks_received,
        "",
    )
    row(
        resources,
        "",
        pgettext("growth CSV item", "resources marked helpful"),
        "",
        a.resources_found_helpful,
        "",
    )
    for m in record.meetings:
        detail = _(
            "{role}; met {met}, not yet {not_yet}, couldn't {cant}, no answer {unanswered}"
        ).format(
            role=_role(m.role), met=m.met, not_yet=m.not_yet, cant=m.cant, unanswered=m.unanswered
        )
        row(
            pgettext("growth CSV section", "meetings"),
            "",
            m.program,
            detail,
            m.pairings,
            f"{m.met * MEETING_MINUTES / 60:.2f}",
        )
    row(
        pgettext("growth CSV section", "total"),
        "",
        pgettext("growth CSV item", "estimated hours"),
        "",
        "",
        f"{record.hours.total:.2f}",
    )
    return buffer.getvalue()


def _local_iso(entry: ObservationEntry, record: GrowthRecord) -> str:
    return entry.starts_at.astimezone(ZoneInfo(record.timezone)).date().isoformat()
