"""One digest, four shapes: a chat message, plain text, a self-contained HTML page, and CSV.

Every shape is drawn from the same ``Digest``, so the privacy floor applied when it was built holds in all
of them. The HTML page uses tables and inline styles only, because e-mail clients drop stylesheets and
scripts, and inlines the chart as a data URI so the page is one file.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable

from bot.digest.links import chart_url
from bot.digest.model import Contribution, Digest, NeedsHand, Rate, TrendPoint, withheld
from bot.digest.questions import describe
from bot.digest.weeks import first_day, starting
from bot.kernel.aggregates import PRIVACY_FLOOR
from bot.kernel.i18n import N_, _, current_language, ngettext, number, pgettext
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Divider,
    Image,
    Link,
    Message,
    Section,
    said,
    unsaid,
)

CHAT_LIST_LIMIT = 5
LIST_ACTION = "digest.list"
LISTS = {"needs_hand": N_("who needs a hand"), "recognition": N_("people to thank")}


def withheld_group() -> str:
    return _(
        "withheld (a group, or what is left of one, under {floor} people could be singled out)"
    ).format(floor=PRIVACY_FLOOR)


def teachers(count: int) -> str:
    return ngettext("{n} teacher", "{n} teachers", count).format(n=number(count))


def people(count: int) -> str:
    return ngettext("{n} person", "{n} people", count).format(n=number(count))


# --- figures as short phrases, shared by every shape -----------------------------------------------


def headline(d: Digest) -> list[tuple[str, str]]:
    """The figures, labelled, in the order a coordinator reads them."""
    now, before = d.this_week, d.last_week
    pairs = d.pairs
    met = _("{met} met, {not_yet} not yet, {cant} can't").format(
        met=number(pairs.met), not_yet=number(pairs.not_yet), cant=number(pairs.cant)
    )
    rounds = (
        _("{pairs} (round {round})").format(pairs=met, round=pairs.round_number)
        if pairs.round_number
        else _("{pairs} (no round yet)").format(pairs=met)
    )
    return [
        (
            _("Check-in response"),
            now.response_rate.show()
            + _counts(now)
            + _delta(now.response_rate, before.response_rate if before else None, points=True),
        ),
        (
            _("Average confidence"),
            now.confidence.show("", 1)
            + _delta(now.confidence, before.confidence if before else None, digits=1),
        ),
        (
            _("Reflections written"),
            _("{written} by {people}").format(
                written=number(d.reflections.written), people=people(d.reflections.writers)
            ),
        ),
        (_("Pairs"), rounds),
        (
            _("Observations"),
            _("{requested} requested, {completed} completed, {unmatched} unmatched").format(
                requested=number(d.observations.requested),
                completed=number(d.observations.completed),
                unmatched=number(d.observations.unmatched),
            ),
        ),
        (_("Resources shared"), number(d.resources.shared)),
    ]


def _counts(point: TrendPoint) -> str:
    """ "(8 of 11)" beside a shown rate; nothing beside a withheld one (the build left no counts)."""
    if point.answered is None or point.sent is None:
        return ""
    return " " + _("({answered} of {sent})").format(
        answered=number(point.answered), sent=number(point.sent)
    )


def _delta(now: Rate, before: Rate | None, *, points: bool = False, digits: int = 0) -> str:
    """`` ▲ 28pts on last week``: a rate's change in percentage points, a mean's as a figure."""
    if now.value is None or before is None or before.value is None:
        return ""
    change = now.value - before.value
    if not change:
        return " " + _("= last week")
    arrow = "▲" if change > 0 else "▼"
    size = number(abs(change), digits=digits)
    if points:
        return " " + _("{arrow} {points}pts on last week").format(arrow=arrow, points=size)
    return " " + _("{arrow} {change} on last week").format(arrow=arrow, change=size)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def theme_lines(d: Digest) -> list[str]:
    return [f"{said('#' + t.tag)}: {people(t.members)}" for t in d.themes]


def breakdown_lines(d: Digest) -> list[str]:
    lines = []
    for b in d.by_role:
        group = _(b.group)
        if b.response_rate.withheld:
            lines.append(f"{group}: {withheld_group()}")
        else:
            confidence = withheld_group() if b.confidence.withheld else b.confidence.show("", 1)
            lines.append(
                _("{group} ({people}): response {response}, confidence {confidence}").format(
                    group=group,
                    people=number(b.people or 0),
                    response=b.response_rate.show(),
                    confidence=confidence,
                )
            )
    return lines


def helpful_lines(d: Digest) -> list[str]:
    lines = []
    for r in d.resources.most_helpful:
        marks = ngettext("{n} helpful mark", "{n} helpful marks", r.marks).format(n=number(r.marks))
        if r.shared_by:
            lines.append(
                _("{title} ({marks}), shared by {name}").format(
                    title=said(r.title), marks=marks, name=said(r.shared_by)
                )
            )
        else:
            lines.append(_("{title} ({marks})").format(title=said(r.title), marks=marks))
    return lines


def need_line(n: NeedsHand) -> str:
    return _("{name}: {reason}. Try: {action}.").format(
        name=said(n.person.name), reason=n.reason, action=n.action
    )


def thanks_line(c: Contribution) -> str:
    return f"{said(c.person.name)}: {c.summary()}"


# --- chat --------------------------------------------------------------------------------------------


OPEN_PAGE = N_("Open the full digest")


def chat_message(d: Digest, chart_png_base64: str | None, page_url: str | None = None) -> Message:
    """``page_url`` is the reader's own signed link to the web digest, when the server has one."""
    blocks: list[object] = [
        Section(
            _("*Weekly digest: {program}*\n{week}, {teachers}").format(
                program=d.program_name, week=_cap(d.week_description), teachers=teachers(d.people)
            ),
            fields=tuple(headline(d)),
        )
    ]
    if page_url:
        blocks.append(Link(_(OPEN_PAGE), page_url))
    if chart_png_base64:
        blocks.append(
            Image(
                alt=chart_alt(d),
                png_base64=chart_png_base64,
                url=chart_url(page_url) if page_url else None,
            )
        )
    extra = []
    if d.by_role:
        extra.append(_("*By role*") + "\n" + "\n".join(breakdown_lines(d)))
    if d.themes:
        extra.append(
            _("*Themes* (tags used by {floor}+ people)").format(floor=PRIVACY_FLOOR)
            + "\n"
            + "\n".join(theme_lines(d))
        )
    if d.resources.most_helpful:
        extra.append(_("*Most helpful resources*") + "\n" + "\n".join(helpful_lines(d)))
    if d.questions:
        extra.append(f"*{_(QUESTIONS_TITLE)}*\n" + "\n".join(question_lines(d)))
    for text in extra:
        blocks.append(Section(text))
    blocks.append(Divider())
    blocks.append(
        Section(
            _list_preview(_(NEEDS_TITLE), support_lines(d) + [need_line(n) for n in d.needs_hand])
        )
    )
    blocks.append(Section(_list_preview(_(THANKS_TITLE), [thanks_line(c) for c in d.recognition])))
    buttons = []
    if len(d.needs_hand) > 0:
        count = len(d.needs_hand)
        buttons.append(
            Button(
                ngettext("{n} person who needs a hand", "All {n} who need a hand", count).format(
                    n=number(count)
                ),
                LIST_ACTION,
                list_value(d, "needs_hand"),
                "primary",
            )
        )
    if len(d.recognition) > 0:
        count = len(d.recognition)
        buttons.append(
            Button(
                ngettext("{n} person to thank", "All {n} to thank", count).format(n=number(count)),
                LIST_ACTION,
                list_value(d, "recognition"),
            )
        )
    if buttons:
        blocks.append(Actions(tuple(buttons)))
    blocks.append(
        Context(
            _(
                "{week_of}, times in {timezone}. Figures for fewer than {floor} people are "
                "withheld; reflections are counted, never read."
            ).format(week_of=_cap(starting(d.week)), timezone=d.timezone, floor=PRIVACY_FLOOR)
        )
    )
    return Message(text=text_digest(d), blocks=tuple(blocks), ephemeral=False)  # type: ignore[arg-type]


QUESTIONS_TITLE = N_("The program's questions")
NEEDS_TITLE = N_("Who needs a hand")
THANKS_TITLE = N_("Thank you to")
NOBODY = N_("Nobody this week.")


def chart_alt(d: Digest) -> str:
    return ngettext(
        "Response rate and confidence over the last week",
        "Response rate and confidence over the last {n} weeks",
        len(d.trend),
    ).format(n=len(d.trend))


def footnote() -> str:
    return _(
        "Figures for fewer than {floor} people are withheld; reflections are counted, never read."
    ).format(floor=PRIVACY_FLOOR)


def question_lines(d: Digest) -> list[str]:
    """Counts and spreads of the program's own questions: never a word of what anyone wrote."""
    return [describe(q) for q in d.questions]


def support_lines(d: Digest) -> list[str]:
    """Teachers' own requests for support, as a count: whom they chose heard it from them."""
    if not d.support_requests:
        return []
    return [
        ngettext(
            "{n} request for support this week, sent by a teacher to whom they chose",
            "{n} requests for support this week, sent by teachers to whom they chose",
            d.support_requests,
        ).format(n=number(d.support_requests))
    ]


def _list_preview(title: str, lines: list[str]) -> str:
    if not lines:
        return f"*{title}*\n{_(NOBODY)}"
    shown = lines[:CHAT_LIST_LIMIT]
    more = len(lines) - len(shown)
    return (
        f"*{title}*\n"
        + "\n".join(f"• {line}" for line in shown)
        + ("\n" + _("…and {n} more").format(n=number(more)) if more else "")
    )


def list_value(d: Digest, which: str) -> str:
    return f"{d.program_id}:{d.week}:{which}"


def full_list(d: Digest, which: str) -> Message:
    if which == "needs_hand":
        lines = [need_line(n) for n in d.needs_hand]
    else:
        lines = [thanks_line(c) for c in d.recognition]
    title = _("{program}, {week}: {list} ({n})").format(
        program=d.program_name,
        week=starting(d.week),
        list=_(LISTS.get(which, which)),
        n=number(len(lines)),
    )
    body = "\n".join(f"• {line}" for line in lines) or _(NOBODY)
    return Message(text=f"{title}\n{body}", blocks=(Section(f"*{title}*\n{body}"),))


# --- plain text --------------------------------------------------------------------------------------


def text_digest(d: Digest) -> str:
    out = [
        _("Weekly digest: {program}").format(program=d.program_name),
        _("{week} ({timezone}), {teachers}").format(
            week=_cap(d.week_description), timezone=d.timezone, teachers=teachers(d.people)
        ),
        "",
    ]
    figures = headline(d)
    width = max(len(k) for k, _v in figures)
    out += [f"{k.ljust(width)}  {v}" for k, v in figures]
    out += ["", trend_title(d, detail=True)]
    starts = [first_day(p.week) for p in d.trend]
    column = max((len(s) for s in starts), default=0)
    out += [
        f"  {start.ljust(column)}  {p.response_rate.show():>8}  {p.confidence.show('', 1):>5}"
        if not p.response_rate.withheld and not p.confidence.withheld
        else f"  {start.ljust(column)}  {withheld()}"
        for start, p in zip(starts, d.trend, strict=True)
    ]
    for title, lines, empty in _lists(d):
        out += ["", f"{title}:"]
        out += [f"  - {line}" for line in lines] or [f"  {empty}"]
    out += ["", footnote()]
    return unsaid("\n".join(out))  # a terminal, a file: text as text


def _lists(d: Digest) -> list[tuple[str, list[str], str]]:
    """The digest's lists, each with what to say when it is empty, for the text and HTML shapes."""
    return [
        (_("By role"), breakdown_lines(d), _("No check-ins this week.")),
        (
            themes_title(),
            theme_lines(d),
            _("No tag was used by {floor} or more people.").format(floor=PRIVACY_FLOOR),
        ),
        (_("Most helpful resources"), helpful_lines(d), _("No helpful marks this week.")),
        (
            _(QUESTIONS_TITLE),
            question_lines(d),
            _("No answers to the program's questions this week."),
        ),
        (
            _(NEEDS_TITLE),
            support_lines(d) + [need_line(n) for n in d.needs_hand],
            _(NOBODY),
        ),
        (_(THANKS_TITLE), [thanks_line(c) for c in d.recognition], _(NOBODY)),
    ]


def themes_title() -> str:
    return _("Themes (tags used by {floor}+ people)").format(floor=PRIVACY_FLOOR)


def trend_title(d: Digest, *, detail: bool = False) -> str:
    """``Trend over 8 weeks``; with ``detail``, what its columns are."""
    if detail:
        return ngettext(
            "Trend over {n} week (week of, response rate, confidence):",
            "Trend over {n} weeks (week of, response rate, confidence):",
            len(d.trend),
        ).format(n=len(d.trend))
    return ngettext("Trend over {n} week", "Trend over {n} weeks", len(d.trend)).format(
        n=len(d.trend)
    )


# --- CSV ---------------------------------------------------------------------------------------------


def csv_digest(d: Digest) -> str:
    """One row a figure: section, item, week, value. Withheld figures say so rather than being blank."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    # The headers are for the reader, in their language; the cells below are data, as stored.
    w.writerow(
        [
            pgettext("CSV column", "program"),
            pgettext("CSV column", "week"),
            pgettext("CSV column", "section"),
            pgettext("CSV column", "item"),
            pgettext("CSV column", "value"),
        ]
    )

    def row(section: str, item: str, value: object, week: str = d.week) -> None:
        w.writerow(
            [spreadsheet_safe(cell) for cell in (d.program_name, week, section, item, value)]
        )

    for p in d.trend:
        row("checkins", "sent", _csv_count(p.sent), p.week)
        row("checkins", "answered", _csv_count(p.answered), p.week)
        row("checkins", "response_rate_pct", _csv_rate(p.response_rate, 1), p.week)
        row("checkins", "average_confidence", _csv_rate(p.confidence, 2), p.week)
    for b in d.by_role:
        row("by_role", f"{b.group}:people", _csv_count(b.people))
        row("by_role", f"{b.group}:response_rate_pct", _csv_rate(b.response_rate, 1))
        row("by_role", f"{b.group}:average_confidence", _csv_rate(b.confidence, 2))
    row("reflections", "written", d.reflections.written)
    row("reflections", "writers", d.reflections.writers)
    for t in d.themes:
        row("themes", t.tag, t.members)
    row("pairs", "met", d.pairs.met)
    row("pairs", "not_yet", d.pairs.not_yet)
    row("pairs", "cant", d.pairs.cant)
    row("observations", "requested", d.observations.requested)
    row("observations", "completed", d.observations.completed)
    row("observations", "unmatched", d.observations.unmatched)
    row("resources", "shared", d.resources.shared)
    for r in d.resources.most_helpful:
        row("resources_helpful", r.title, r.marks)
    for q in d.questions:
        row("questions", f"{q.question}:answers", _csv_count(q.answers))
        for value, given in q.spread:
            row("questions", f"{q.question}:{value}", given)
    for c in d.recognition:
        row("recognition", c.person.name, c.summary())
    for n in d.needs_hand:
        row(
            "needs_hand",
            n.person.name,
            _("{kind}: {reason}. Try: {action}").format(
                kind=n.kind, reason=n.reason, action=n.action
            ),
        )
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """Text a spreadsheet would run as a formula (a name or a title that starts ``=HYPERLINK(``, ``+``,
    ``-``, ``@``, a tab or a carriage return) gets a leading quote, OWASP's rule, so it shows as typed.
    Numbers are left alone: only text comes from people."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv_count(count: int | None) -> object:
    """A count the build withheld (None) says so, like a withheld rate, rather than being blank."""
    return "withheld" if count is None else count


def _csv_rate(rate: Rate, digits: int) -> str:
    if rate.withheld:
        return "withheld"
    return "" if rate.value is None else f"{rate.value:.{digits}f}"


# --- HTML --------------------------------------------------------------------------------------------

_FONT = "font-family:Segoe UI,Helvetica,Arial,sans-serif;"  # not translated: CSS


def html_digest(d: Digest, chart_png_base64: str | None) -> str:
    e = html.escape
    rows = "".join(
        f'<tr><td style="padding:6px 12px 6px 0;color:#4a5568;">{e(k)}</td>'
        f'<td style="padding:6px 0;font-weight:600;">{e(v)}</td></tr>'
        for k, v in headline(d)
    )
    chart = (
        f'<img src="data:image/png;base64,{chart_png_base64}" width="640" '
        f'alt="{e(chart_alt(d))}" '
        'style="display:block;max-width:100%;height:auto;border:0;">'
        if chart_png_base64
        else ""
    )
    trend_rows = "".join(
        f'<tr><td style="padding:2px 12px 2px 0;">{e(first_day(p.week))}</td>'
        f'<td style="padding:2px 12px 2px 0;">{e(p.response_rate.show())}</td>'
        f'<td style="padding:2px 0;">{e(p.confidence.show("", 1))}</td></tr>'
        for p in d.trend
    )
    sections = [_html_list(title, lines, empty) for title, lines, empty in _lists(d)]
    title = _("Weekly digest: {program}, {week}").format(
        program=d.program_name, week=starting(d.week)
    )
    heading = _("Weekly digest: {program}").format(program=d.program_name)
    sub = _("{week} ({timezone}), {teachers}").format(
        week=_cap(d.week_description), timezone=d.timezone, teachers=teachers(d.people)
    )
    columns = (_("Week of"), _("Response"), _("Confidence"))
    return f"""<!DOCTYPE html>
<html lang="{e(current_language())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
</head>
<body style="margin:0;padding:0;background:#f7fafc;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f7fafc;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="680" cellpadding="0" cellspacing="0" style="max-width:680px;width:100%;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;{_FONT}color:#1a202c;font-size:15px;line-height:1.5;">
<tr><td style="padding:24px 24px 8px 24px;">
<h1 style="margin:0 0 4px 0;font-size:22px;">{e(heading)}</h1>
<p style="margin:0;color:#4a5568;">{e(sub)}</p>
</td></tr>
<tr><td style="padding:8px 24px;"><table role="presentation" cellpadding="0" cellspacing="0">{rows}</table></td></tr>
<tr><td style="padding:8px 24px;">{chart}</td></tr>
<tr><td style="padding:8px 24px;"><h2 style="margin:8px 0;font-size:17px;">{e(trend_title(d))}</h2>
<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:14px;"><tr><th align="left" style="padding-right:12px;">{e(columns[0])}</th><th align="left" style="padding-right:12px;">{e(columns[1])}</th><th align="left">{e(columns[2])}</th></tr>{trend_rows}</table></td></tr>
{"".join(sections)}
<tr><td style="padding:16px 24px 24px 24px;color:#718096;font-size:13px;">{e(footnote())}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


def _html_list(title: str, lines: Iterable[str], empty: str) -> str:
    items = "".join(f'<li style="margin:2px 0;">{html.escape(unsaid(line))}</li>' for line in lines)
    body = (
        f'<ul style="margin:0;padding-left:20px;">{items}</ul>'
        if items
        else f'<p style="margin:0;color:#718096;">{html.escape(empty)}</p>'
    )
    return (
        f'<tr><td style="padding:8px 24px;"><h2 style="margin:8px 0;font-size:17px;">'
        f"{html.escape(title)}</h2>{body}</td></tr>\n"
    )
