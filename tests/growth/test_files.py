"""The growth record's files with hostile words in every place a person's text can reach: the page
escapes them and the CSV keeps a spreadsheet from running them (no database needed)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from bot.growth.export import attachments
from bot.growth.model import (
    Activity,
    Bucket,
    ConfidencePoint,
    GrowthRecord,
    Hours,
    Meetings,
    ObservationEntry,
    ObservationRole,
    Period,
)
from bot.kernel.messages import said

HOSTILE = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'


def hostile_record() -> GrowthRecord:
    made = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    lesson = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)
    return GrowthRecord(
        name=said(HOSTILE),
        period=Period(date(2026, 9, 1), date(2026, 12, 1), "since 1 September 2026", True),
        made_at=made,
        timezone="Europe/London",
        goals=(HOSTILE,),
        buckets=(Bucket("Nov 2026", made, made),),
        confidence=(ConfidencePoint(HOSTILE, 0, 3.0, 1),),
        observations=(
            ObservationEntry(
                ObservationRole.RECEIVED,
                lesson,
                lesson,
                HOSTILE,
                HOSTILE,
                True,
                HOSTILE,
                (HOSTILE,),
            ),
        ),
        activity=Activity(),
        meetings=(Meetings(program=HOSTILE, role="peer", met=1),),
        hours=Hours(0, 1, 0.5),
        observations_held=1,
        trend_goals=(HOSTILE,),
    )


def test_the_page_escapes_every_persons_word_and_loads_nothing() -> None:
    page, _table = attachments(hostile_record())
    assert "<script>" not in page.content and "&lt;script&gt;" in page.content
    assert "\x1e" not in page.content and "\x1d" not in page.content  # no said marks left
    assert "href" not in page.content and "&quot;http://evil.example&quot;" in page.content
    assert page.filename.startswith("growth-record-hyperlink-http-evil-example")
    assert page.filename.endswith("-2026-09-01-to-2026-12-01.html")
    assert "/" not in page.filename and '"' not in page.filename


def test_no_csv_cell_starts_a_formula() -> None:
    _page, table = attachments(hostile_record())
    rows = list(csv.reader(io.StringIO(table.content)))
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
