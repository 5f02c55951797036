"""The digest's trend chart: response rate and average confidence over eight weeks, as a PNG.

Drawn with matplotlib's Agg backend, which needs no display, so the scheduler can draw it on a server.
Withheld weeks (too few people) are gaps in the line, not zeros: a zero would be a false figure.
"""

from __future__ import annotations

import base64
import io

from bot.digest.model import Digest
from bot.digest.svg import CONFIDENCE_TITLE, RESPONSE_TITLE
from bot.digest.weeks import first_day
from bot.kernel.i18n import _


def trend_png(digest: Digest) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    labels = [first_day(p.week) for p in digest.trend]
    rates = [_nan(p.response_rate.value) for p in digest.trend]
    confidence = [_nan(p.confidence.value) for p in digest.trend]
    xs = list(range(len(labels)))

    # A Figure without pyplot: no global state, safe in a scheduler thread.
    fig = Figure(figsize=(7.2, 2.6), dpi=100)
    left, right = fig.subplots(1, 2)
    left.plot(xs, rates, marker="o", color="#2b6cb0", linewidth=2)
    left.set_ylim(0, 100)
    left.set_title(_(RESPONSE_TITLE), fontsize=10)
    right.plot(xs, confidence, marker="o", color="#2f855a", linewidth=2)
    right.set_ylim(1, 5)
    right.set_title(_(CONFIDENCE_TITLE), fontsize=10)
    for ax in (left, right):
        ax.set_xticks(xs, labels, fontsize=7)
        ax.set_xlabel(_("Week of"), fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def trend_png_base64(digest: Digest) -> str:
    return base64.b64encode(trend_png(digest)).decode("ascii")


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value
