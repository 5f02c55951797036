"""The web digest as one server-rendered HTML page, and the friendly page for a link that won't open.

No script and no fetch: the chart is inline SVG, the week picker a GET form, the download a plain
link, so the page works with JavaScript off and under a Content-Security-Policy that loads nothing.
Its one stylesheet is inline and allowed by its hash (``STYLE_HASH``), not by ``'unsafe-inline'``.
The layout is one column that widens to two on a desk, wraps long names rather than scrolling
sideways on a phone, and drops the picker and the download link when printed. Every word that came
from a person (names, program names, titles, tags) is escaped; the figures were made safe to show,
privacy floor applied, when the digest was built.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from bot.digest.build import NEEDS
from bot.digest.model import Digest, NeedsHand
from bot.digest.render import (
    NEEDS_TITLE,
    NOBODY,
    QUESTIONS_TITLE,
    THANKS_TITLE,
    breakdown_lines,
    footnote,
    headline,
    helpful_lines,
    question_lines,
    teachers,
    thanks_line,
    theme_lines,
    themes_title,
    trend_title,
)
from bot.digest.weeks import first_day, starting
from bot.kernel.aggregates import PRIVACY_FLOOR
from bot.kernel.i18n import _, clock, current_language, number, when
from bot.kernel.messages import unsaid

STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f7fafc;color:#1a202c;font:16px/1.5 "Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 4px;line-height:1.25}
h2{font-size:1.15rem;margin:0 0 8px}
p,li,dd,dt,td,th{overflow-wrap:anywhere}
.sub{color:#4a5568;margin:0}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:16px;margin:12px 0}
.needs{border-left:6px solid #c05621}
.tools{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
.tools form{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0}
select,button,.button{font:inherit;padding:6px 10px;border:1px solid #a0aec0;border-radius:6px;background:#fff;color:#1a202c}
button,.button{background:#2b6cb0;border-color:#2b6cb0;color:#fff;text-decoration:none;display:inline-block}
.button.quiet{background:#fff;color:#2b6cb0}
ul{margin:0;padding-left:20px}
li{margin:4px 0}
.figures{display:grid;grid-template-columns:minmax(0,1fr);gap:4px 16px;margin:0}
.figures div{display:flex;flex-wrap:wrap;gap:0 12px;padding:6px 0;border-bottom:1px solid #edf2f7}
.figures dt{color:#4a5568;min-width:10em}
.figures dd{margin:0;font-weight:600}
.charts{display:grid;grid-template-columns:minmax(0,1fr);gap:12px}
.chart{display:block;width:100%;height:auto;max-width:520px}
table{border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:4px 16px 4px 0}
.empty,.note{color:#718096}
.grid{display:grid;grid-template-columns:minmax(0,1fr);gap:0 12px}
@media (min-width:760px){
 main{padding:24px}
 .charts,.grid{grid-template-columns:repeat(2,minmax(0,1fr))}
 .figures{grid-template-columns:repeat(2,minmax(0,1fr))}
}
@media print{
 body{background:#fff;font-size:12pt}
 .tools,.no-print{display:none}
 .card{border:0;border-radius:0;padding:0 0 8pt;break-inside:avoid}
 .needs{border-left:0}
 main{max-width:none;padding:0}
}
"""  # not translated: a stylesheet
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
"""What the Content-Security-Policy allows as style: this stylesheet, byte for byte."""


T = TypeVar("T")
SHOWN_PER_KIND = 8
"""Names each kind of need shows before "and N more"."""
SHOWN_THANKS = 20


def e(text: str) -> str:
    """HTML-escaped, with the said marks gone: on a page, what people wrote is escaped text."""
    return html.escape(unsaid(text))


def digest_page(
    d: Digest,
    charts: Sequence[str],
    *,
    weeks: Sequence[str],
    csv_href: str,
    expires: datetime,
    revoke_hint: str,
    whole: bool = False,
    whole_href: str = "",
) -> str:
    """The whole page for one week: who needs a hand first, then the figures, the trend, the rest.

    A district program can have hundreds who need a hand; a list that long helps nobody start, so each
    kind shows its first few with how many more there are, and ``whole`` (the page's "Show everyone"
    link, ``whole_href``) lists them all."""
    needs = _needs_section(d, whole=whole, whole_href=whole_href)
    figures = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in headline(d))
    trend_rows = "".join(
        f"<tr><td>{e(first_day(p.week))}</td><td>{e(p.response_rate.show())}</td>"
        f"<td>{e(p.confidence.show('', 1))}</td></tr>"
        for p in d.trend
    )
    options = "".join(
        f'<option value="{e(w)}"{" selected" if w == d.week else ""}>{e(starting(w))}</option>'
        for w in weeks
    )
    lists = [
        _list(_("By role"), breakdown_lines(d), _("No check-ins this week.")),
        _list(
            themes_title(),
            theme_lines(d),
            _("No tag was used by {floor} or more people.").format(floor=PRIVACY_FLOOR),
        ),
        _list(_("Most helpful resources"), helpful_lines(d), _("No helpful marks this week.")),
        _list(
            _(QUESTIONS_TITLE),
            question_lines(d),
            _("No answers to the program's questions this week."),
        ),
        _list(
            _(THANKS_TITLE),
            _capped(d.recognition, thanks_line, None if whole else SHOWN_THANKS),
            _(NOBODY),
        ),
    ]
    week_text = d.week_description[:1].upper() + d.week_description[1:]
    heading = _("Weekly digest: {program}").format(program=d.program_name)
    sub = _("{week} ({timezone}), {teachers}").format(
        week=week_text, timezone=d.timezone, teachers=teachers(d.people)
    )
    until = _("{day} {time} UTC").format(day=when(expires, "short_year"), time=clock(expires))
    yours = _("This link is yours alone and opens this page until {until}.").format(until=until)
    # The page's own words, each marked where extraction can see it (never inside an f-string).
    words = {
        "choose": _("Choose a week"),
        "week": _("Week"),
        "show": _("Show"),
        "download": _("Download CSV"),
        "this_week": _("This week"),
        "gaps": _("Weeks with a gap in the line had too few people, or no check-ins."),
        "week_of": _("Week of"),
        "response": _("Response"),
        "confidence": _("Confidence"),
    }
    w = {key: e(value) for key, value in words.items()}
    body = f"""<header>
<h1>{e(heading)}</h1>
<p class="sub">{e(sub)}</p>
</header>
<nav class="card tools" aria-label="{w["choose"]}">
<form method="get"><label for="week">{w["week"]}</label>
<select id="week" name="week">{options}</select>
<button type="submit">{w["show"]}</button></form>
<a class="button quiet" href="{e(csv_href)}" download>{w["download"]}</a>
</nav>
{needs}
<section class="card" aria-labelledby="week-h">
<h2 id="week-h">{w["this_week"]}</h2>
<dl class="figures">{figures}</dl>
</section>
<section class="card" aria-labelledby="trend-h">
<h2 id="trend-h">{e(trend_title(d))}</h2>
<div class="charts">{"".join(charts)}</div>
<table><caption class="note">{w["gaps"]}</caption>
<thead><tr><th scope="col">{w["week_of"]}</th><th scope="col">{w["response"]}</th><th scope="col">{w["confidence"]}</th></tr></thead>
<tbody>{trend_rows}</tbody></table>
</section>
<div class="grid">{"".join(lists)}</div>
<footer class="note">
<p>{e(footnote())}</p>
<p class="no-print">{e(yours)} {e(revoke_hint)}</p>
</footer>"""
    title = _("Weekly digest: {program}, {week}").format(
        program=d.program_name, week=starting(d.week)
    )
    return _document(title, body)


def refusal_page(title: str, message: str) -> str:
    """What a link that will not open shows: why in general terms, and how to get a good one."""
    body = f"""<section class="card" aria-labelledby="refused-h">
<h1 id="refused-h">{e(title)}</h1>
<p>{e(message)}</p>
<p class="note">{_fresh_link()}</p>
</section>"""
    return _document(title, body)


def _fresh_link() -> str:
    """How to get a good link; ``digest`` is a command, shown as code."""
    text = e(
        _(
            "Staffroom sends each coordinator a fresh link with every weekly digest. To get one "
            "now, type `digest` to Staffroom in your chat."
        )
    )
    return text.replace("`digest`", "<code>digest</code>")  # not translated: markup


def _needs_section(d: Digest, *, whole: bool, whole_href: str) -> str:
    by_kind: dict[str, list[NeedsHand]] = {}
    for n in d.needs_hand:
        by_kind.setdefault(n.kind, []).append(n)
    groups = []
    for kind, found in by_kind.items():
        shown = found if whole else found[:SHOWN_PER_KIND]
        try_this = _("Try: {action}.")
        items = "".join(
            f"<li><strong>{e(n.person.name)}</strong>: {e(n.reason)}. "
            f'<span class="note">{e(try_this.format(action=n.action))}</span></li>'
            for n in shown
        )
        if len(found) > len(shown):
            more_text = _("and {n} more").format(n=number(len(found) - len(shown)))
            items += f'<li class="note">{e(more_text)}</li>'
        heading = _(NEEDS[kind].heading) if kind in NEEDS else kind.replace("_", " ").capitalize()
        groups.append(f"<h3>{e(heading)} ({number(len(found))})</h3><ul>{items}</ul>")
    more = ""
    if not whole and any(len(found) > SHOWN_PER_KIND for found in by_kind.values()):
        everyone = _("Show everyone ({n})").format(n=number(len(d.needs_hand)))
        or_csv = _("or download the CSV.")
        more = (
            f'<p><a href="{e(whole_href)}">{e(everyone)}</a> '
            f'<span class="note">{e(or_csv)}</span></p>'
        )
    inner = "".join(groups) + more if groups else f'<p class="empty">{e(_(NOBODY))}</p>'
    return f"""<section class="card needs" aria-labelledby="needs-h">
<h2 id="needs-h">{e(_(NEEDS_TITLE))} ({number(len(d.needs_hand))})</h2>
{inner}
</section>"""


def _capped(items: Sequence[T], line: Callable[[T], str], top: int | None) -> list[str]:
    """The first ``top`` items as lines, and how many more: only the lines shown are written."""
    if top is None or len(items) <= top:
        return [line(i) for i in items]
    rest = _("and {n} more (all in the CSV)").format(n=number(len(items) - top))
    return [*(line(i) for i in items[:top]), rest]


def _list(title: str, lines: Sequence[str], empty: str) -> str:
    items = "".join(f"<li>{e(line)}</li>" for line in lines)
    inner = f"<ul>{items}</ul>" if items else f'<p class="empty">{e(empty)}</p>'
    return f'<section class="card"><h2>{e(title)}</h2>{inner}</section>'


def _document(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="{e(current_language())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
