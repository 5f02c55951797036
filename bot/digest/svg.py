"""The trend chart as inline SVG, for the web digest.

The chat's PNG (``chart.py``) costs matplotlib a few hundred milliseconds a drawing; a page opened on
a phone should not. Eight points a line are a few SVG elements written by hand: sharp at any width,
printable, readable by a screen reader (a title and a description with every week's value), and
allowed by a Content-Security-Policy that loads nothing. Withheld or empty weeks are gaps in the line,
never zeros, as in the PNG.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from bot.digest.model import Digest, Rate
from bot.digest.weeks import first_day
from bot.kernel.i18n import N_, _, ngettext, number

RESPONSE_TITLE = N_("Check-in response rate (%)")
CONFIDENCE_TITLE = N_("Average confidence (1-5)")

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 30, 28


@dataclass(frozen=True)
class Panel:
    title: str
    values: Sequence[Rate]
    low: float
    high: float
    ticks: Sequence[float]
    colour: str
    unit: str
    digits: int


def trend_svgs(digest: Digest) -> list[str]:
    """Two charts (response rate, confidence), each its own ``<svg>`` so a phone can stack them."""
    labels = [first_day(p.week) for p in digest.trend]
    panels = [
        Panel(
            _(RESPONSE_TITLE),
            [p.response_rate for p in digest.trend],
            0,
            100,
            (0, 25, 50, 75, 100),
            "#2b6cb0",
            "%",
            0,
        ),
        Panel(
            _(CONFIDENCE_TITLE),
            [p.confidence for p in digest.trend],
            1,
            5,
            (1, 2, 3, 4, 5),
            "#2f855a",
            "",
            1,
        ),
    ]
    return [_panel(p, labels, f"chart-{n}") for n, p in enumerate(panels)]


def _panel(panel: Panel, labels: Sequence[str], ident: str) -> str:
    e = html.escape
    count = max(len(labels), 1)
    span = WIDTH - LEFT - RIGHT

    def x(i: int) -> float:
        return LEFT + (span * i / (count - 1) if count > 1 else span / 2)

    def y(v: float) -> float:
        clamped = min(max(v, panel.low), panel.high)
        return TOP + (HEIGHT - TOP - BOTTOM) * (panel.high - clamped) / (panel.high - panel.low)

    parts: list[str] = []
    for tick in panel.ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#e2e8f0" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#4a5568">{e(number(tick))}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
            f'fill="#4a5568">{e(label)}</text>'
        )
    # One polyline a run of shown weeks: a withheld week breaks the line instead of dropping to 0.
    run: list[str] = []
    runs: list[list[str]] = []
    for i, rate in enumerate(panel.values):
        if rate.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{x(i):.1f},{y(rate.value):.1f}")
    if run:
        runs.append(run)
    for points in runs:
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{panel.colour}" '
                'stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for point in points:
            cx, cy = point.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="{panel.colour}"/>')
    described = "; ".join(
        f"{label}: {rate.show(panel.unit, panel.digits)}"
        for label, rate in zip(labels, panel.values, strict=True)
    )
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{e(_title(panel.title, len(labels)))}</title>'
        f'<desc id="{ident}-d">{e(described)}</desc>'
        f'<text x="{LEFT}" y="18" font-size="13" font-weight="600" fill="#1a202c">'
        f"{e(panel.title)}</text>" + "".join(parts) + "</svg>"
    )


def _title(chart: str, weeks: int) -> str:
    return ngettext("{chart}, last week", "{chart}, last {n} weeks", weeks).format(
        chart=chart, n=weeks
    )
