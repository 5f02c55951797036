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
from bot.digest.model import Contribution, Digest, NeedsHand, Rate, TrendPoint
from bot.digest.questions import describe
from bot.kernel.aggregates import PRIVACY_FLOOR, WITHHELD
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
WITHHELD_GROUP = (
    f"withheld (a group, or what is left of one, under {PRIVACY_FLOOR} people could be singled out)"
)
LISTS = {"needs_hand": "who needs a hand", "recognition": "people to thank"}


# --- figures as short phrases, shared by every shape -----------------------------------------------


def headline(d: Digest) -> list[tuple[str, str]]:
    """The figures, labelled, in the order a coordinator reads them."""
    now, before = d.this_week, d.last_week
    pairs = d.pairs
    return [
        (
            "Check-in response",
            now.response_rate.show()
            + _counts(now)
            + _delta(now.response_rate, before.response_rate if before else None, "pts"),
        ),
        (
            "Average confidence",
            now.confidence.show("", 1)
            + _delta(now.confidence, before.confidence if before else None, "", 1),
        ),
        (
            "Reflections written",
            f"{d.reflections.written} by {_n(d.reflections.writers, 'person', 'people')}",
        ),
        (
            "Pairs",
            f"{pairs.met} met, {pairs.not_yet} not yet, {pairs.cant} can't"
            + (f" (round {pairs.round_number})" if pairs.round_number else " (no round yet)"),
        ),
        (
            "Observations",
            f"{d.observations.requested} requested, {d.observations.completed} completed, "
            f"{d.observations.unmatched} unmatched",
        ),
        ("Resources shared", str(d.resources.shared)),
    ]


def _counts(point: TrendPoint) -> str:
    """ "(8 of 11)" beside a shown rate; nothing beside a withheld one (the build left no counts)."""
    if point.answered is None or point.sent is None:
        return ""
    return f" ({point.answered} of {point.sent})"


def _delta(now: Rate, before: Rate | None, unit: str, digits: int = 0) -> str:
    if now.value is None or before is None or before.value is None:
        return ""
    change = now.value - before.value
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return f" {arrow} {abs(change):.{digits}f}{unit} on last week" if change else " = last week"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def theme_lines(d: Digest) -> list[str]:
    return [f"{said('#' + t.tag)}: {_n(t.members, 'person', 'people')}" for t in d.themes]


def breakdown_lines(d: Digest) -> list[str]:
    lines = []
    for b in d.by_role:
        if b.response_rate.withheld:
            lines.append(f"{b.group}: {WITHHELD_GROUP}")
        else:
            confidence = WITHHELD_GROUP if b.confidence.withheld else b.confidence.show("", 1)
            lines.append(
                f"{b.group} ({b.people}): response {b.response_rate.show()}, "
                f"confidence {confidence}"
            )
    return lines


def helpful_lines(d: Digest) -> list[str]:
    return [
        f"{said(r.title)} ({_n(r.marks, 'helpful mark', 'helpful marks')})"
        + (f", shared by {said(r.shared_by)}" if r.shared_by else "")
        for r in d.resources.most_helpful
    ]


def need_line(n: NeedsHand) -> str:
    return f"{said(n.person.name)}: {n.reason}. Try: {n.action}."


def thanks_line(c: Contribution) -> str:
    return f"{said(c.person.name)}: {c.summary()}"


# --- chat --------------------------------------------------------------------------------------------


OPEN_PAGE = "Open the full digest"


def chat_message(d: Digest, chart_png_base64: str | None, page_url: str | None = None) -> Message:
    """``page_url`` is the reader's own signed link to the web digest, when the server has one."""
    blocks: list[object] = [
        Section(
            f"*Weekly digest: {d.program_name}*\n{_cap(d.week_description)}, "
            f"{_n(d.people, 'teacher', 'teachers')}",
            fields=tuple(headline(d)),
        )
    ]
    if page_url:
        blocks.append(Link(OPEN_PAGE, page_url))
    if chart_png_base64:
        blocks.append(
            Image(
                alt=f"Response rate and confidence over the last {len(d.trend)} weeks",
                png_base64=chart_png_base64,
                url=chart_url(page_url) if page_url else None,
            )
        )
    extra = []
    if d.by_role:
        extra.append("*By role*\n" + "\n".join(breakdown_lines(d)))
    if d.themes:
        extra.append(
            f"*Themes* (tags used by {PRIVACY_FLOOR}+ people)\n" + "\n".join(theme_lines(d))
        )
    if d.resources.most_helpful:
        extra.append("*Most helpful resources*\n" + "\n".join(helpful_lines(d)))
    if d.questions:
        extra.append(f"*{QUESTIONS_TITLE}*\n" + "\n".join(question_lines(d)))
    for text in extra:
        blocks.append(Section(text))
    blocks.append(Divider())
    blocks.append(
        Section(
            _list_preview(
                "Who needs a hand", support_lines(d) + [need_line(n) for n in d.needs_hand]
            )
        )
    )
    blocks.append(Section(_list_preview("Thank you to", [thanks_line(c) for c in d.recognition])))
    buttons = []
    if len(d.needs_hand) > 0:
        buttons.append(
            Button(
                f"All {len(d.needs_hand)} who need a hand",
                LIST_ACTION,
                list_value(d, "needs_hand"),
                "primary",
            )
        )
    if len(d.recognition) > 0:
        buttons.append(
            Button(f"All {len(d.recognition)} to thank", LIST_ACTION, list_value(d, "recognition"))
        )
    if buttons:
        blocks.append(Actions(tuple(buttons)))
    blocks.append(
        Context(
            f"Week {d.week} in {d.timezone}. Figures for fewer than {PRIVACY_FLOOR} people are "
            "withheld; reflections are counted, never read."
        )
    )
    return Message(text=text_digest(d), blocks=tuple(blocks), ephemeral=False)  # type: ignore[arg-type]


QUESTIONS_TITLE = "The program's questions"


def question_lines(d: Digest) -> list[str]:
    """Counts and spreads of the program's own questions: never a word of what anyone wrote."""
    return [describe(q) for q in d.questions]


def support_lines(d: Digest) -> list[str]:
    """Teachers' own requests for support, as a count: whom they chose heard it from them."""
    if not d.support_requests:
        return []
    times = "request" if d.support_requests == 1 else "requests"
    return [
        f"{d.support_requests} {times} for support this week, sent by teachers to whom they chose"
    ]


def _list_preview(title: str, lines: list[str]) -> str:
    if not lines:
        return f"*{title}*\nNobody this week."
    shown = lines[:CHAT_LIST_LIMIT]
    more = len(lines) - len(shown)
    return (
        f"*{title}*\n"
        + "\n".join(f"• {line}" for line in shown)
        + (f"\n…and {more} more" if more else "")
    )


def list_value(d: Digest, which: str) -> str:
    return f"{d.program_id}:{d.week}:{which}"


def full_list(d: Digest, which: str) -> Message:
    if which == "needs_hand":
        lines = [need_line(n) for n in d.needs_hand]
    else:
        lines = [thanks_line(c) for c in d.recognition]
    title = f"{d.program_name}, {d.week}: {LISTS.get(which, which)} ({len(lines)})"
    body = "\n".join(f"• {line}" for line in lines) or "Nobody this week."
    return Message(text=f"{title}\n{body}", blocks=(Section(f"*{title}*\n{body}"),))


# --- plain text --------------------------------------------------------------------------------------


def text_digest(d: Digest) -> str:
    out = [
        f"Weekly digest: {d.program_name}",
        f"{_cap(d.week_description)} ({d.timezone}), {_n(d.people, 'teacher', 'teachers')}",
        "",
    ]
    width = max(len(k) for k, _ in headline(d))
    out += [f"{k.ljust(width)}  {v}" for k, v in headline(d)]
    out += ["", f"Trend over {len(d.trend)} weeks (response rate, confidence):"]
    out += [
        f"  {p.week}  {p.response_rate.show():>8}  {p.confidence.show('', 1):>5}"
        if not p.response_rate.withheld and not p.confidence.withheld
        else f"  {p.week}  {WITHHELD}"
        for p in d.trend
    ]
    for title, lines, empty in _lists(d):
        out += ["", f"{title}:"]
        out += [f"  - {line}" for line in lines] or [f"  {empty}"]
    out += [
        "",
        f"Figures for fewer than {PRIVACY_FLOOR} people are withheld; reflections are counted, never read.",
    ]
    return unsaid("\n".join(out))  # a terminal, a file: text as text


def _lists(d: Digest) -> list[tuple[str, list[str], str]]:
    """The digest's lists, each with what to say when it is empty, for the text and HTML shapes."""
    return [
        ("By role", breakdown_lines(d), "No check-ins this week."),
        (
            f"Themes (tags used by {PRIVACY_FLOOR}+ people)",
            theme_lines(d),
            f"No tag was used by {PRIVACY_FLOOR} or more people.",
        ),
        ("Most helpful resources", helpful_lines(d), "No helpful marks this week."),
        (QUESTIONS_TITLE, question_lines(d), "No answers to the program's questions this week."),
        (
            "Who needs a hand",
            support_lines(d) + [need_line(n) for n in d.needs_hand],
            "Nobody this week.",
        ),
        ("Thank you to", [thanks_line(c) for c in d.recognition], "Nobody this week."),
    ]


# --- CSV ---------------------------------------------------------------------------------------------


def csv_digest(d: Digest) -> str:
    """One row a figure: section, item, week, value. Withheld figures say so rather than being blank."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(["program", "week", "section", "item", "value"])

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
        row("needs_hand", n.person.name, f"{n.kind}: {n.reason}. Try: {n.action}")
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

_FONT = "font-family:Segoe UI,Helvetica,Arial,sans-serif;"


def html_digest(d: Digest, chart_png_base64: str | None) -> str:
    e = html.escape
    rows = "".join(
        f'<tr><td style="padding:6px 12px 6px 0;color:#4a5568;">{e(k)}</td>'
        f'<td style="padding:6px 0;font-weight:600;">{e(v)}</td></tr>'
        for k, v in headline(d)
    )
    chart = (
        f'<img src="data:image/png;base64,{chart_png_base64}" width="640" '
        f'alt="Response rate and confidence over the last {len(d.trend)} weeks" '
        'style="display:block;max-width:100%;height:auto;border:0;">'
        if chart_png_base64
        else ""
    )
    trend_rows = "".join(
        f'<tr><td style="padding:2px 12px 2px 0;">{e(p.week)}</td>'
        f'<td style="padding:2px 12px 2px 0;">{e(p.response_rate.show())}</td>'
        f'<td style="padding:2px 0;">{e(p.confidence.show("", 1))}</td></tr>'
        for p in d.trend
    )
    sections = [_html_list(title, lines, empty) for title, lines, empty in _lists(d)]
    title = f"Weekly digest: {d.program_name}, {d.week}"
    return f"""<!DOCTYPE html>
<html lang="en">
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
<h1 style="margin:0 0 4px 0;font-size:22px;">Weekly digest: {e(d.program_name)}</h1>
<p style="margin:0;color:#4a5568;">{e(_cap(d.week_description))} ({e(d.timezone)}), {e(_n(d.people, "teacher", "teachers"))}</p>
</td></tr>
<tr><td style="padding:8px 24px;"><table role="presentation" cellpadding="0" cellspacing="0">{rows}</table></td></tr>
<tr><td style="padding:8px 24px;">{chart}</td></tr>
<tr><td style="padding:8px 24px;"><h2 style="margin:8px 0;font-size:17px;">Trend over {len(d.trend)} weeks</h2>
<table role="presentation" cellpadding="0" cellspacing="0" style="font-size:14px;"><tr><th align="left" style="padding-right:12px;">Week</th><th align="left" style="padding-right:12px;">Response</th><th align="left">Confidence</th></tr>{trend_rows}</table></td></tr>
{"".join(sections)}
<tr><td style="padding:16px 24px 24px 24px;color:#718096;font-size:13px;">Figures for fewer than {PRIVACY_FLOOR} people are withheld; reflections are counted, never read.</td></tr>
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
