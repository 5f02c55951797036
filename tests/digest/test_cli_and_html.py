"""``staffroom digest`` at the terminal, and the HTML page as a browser draws it (headless Chromium)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from staffroom.bootstrap import Staffroom
from staffroom.cli import main
from tests.conftest import Person
from tests.digest.history import PROGRAM, SECRET, build_history

CHART_BLUE = (0x2B, 0x6C, 0xB0)


@pytest.fixture
def cli_env(app: Staffroom, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", app.settings.database_url)


def test_cli_prints_text_and_writes_csv(
    app: Staffroom,
    person: Person,
    cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_history(app, person)
    assert main(["digest", "--program", PROGRAM, "--week", "2026-W47"]) == 0
    out = capsys.readouterr().out
    assert "Weekly digest: Maths Mentoring" in out and "73% (8 of 11)" in out
    target = tmp_path / "d.csv"
    assert (
        main(
            [
                "digest",
                "--program",
                PROGRAM,
                "--week",
                "2026-W47",
                "--format",
                "csv",
                "--out",
                str(target),
            ]
        )
        == 0
    )
    assert target.read_text().startswith("program,week,section,item,value\n")
    assert main(["digest", "--program", "Nope"]) == 1
    assert "no program called 'Nope'" in capsys.readouterr().err
    assert main(["digest", "--program", PROGRAM, "--week", "2026-W60"]) == 1
    assert "2026 has no week 60" in capsys.readouterr().err


def _chromium() -> str | None:
    return next(
        (
            found
            for name in ("chromium", "chromium-browser", "google-chrome")
            if (found := shutil.which(name))
        ),
        None,
    )


def test_the_html_page_renders_in_a_browser(
    app: Staffroom, person: Person, cli_env: None, tmp_path: Path
) -> None:
    build_history(app, person)
    page = tmp_path / "digest.html"
    assert (
        main(
            [
                "digest",
                "--program",
                PROGRAM,
                "--week",
                "2026-W47",
                "--format",
                "html",
                "--out",
                str(page),
            ]
        )
        == 0
    )
    html = page.read_text()
    # One self-contained file: the chart is inlined, nothing is fetched, no script runs.
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert SECRET not in html
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed (.ci/run installs Debian's chromium); cannot screenshot"
        )
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=800,1400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from matplotlib.image import imread

    pixels = imread(shot)
    height, width = pixels.shape[:2]
    assert (width, height) == (800, 1400)
    rgb = (pixels[..., :3] * 255).round().astype(int)
    # The page drew text (dark pixels) and the inlined chart drew its blue line.
    dark = ((rgb.sum(axis=2)) < 150).sum()
    blue = (abs(rgb - CHART_BLUE).sum(axis=2) < 30).sum()
    assert dark > 2000, "no text drawn"
    assert blue > 60, "the inlined chart did not render"  # nothing else on the page is this blue
