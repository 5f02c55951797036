"""The first things `staffroom doctor` checks: the settings load, the database answers, the schema fits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

import staffroom.doctor.timezones
from storage.db import make_engine
from storage.migrate import head_revision, upgrade
from tests.doctor.conftest import Doctor

pytestmark = pytest.mark.postgres  # the doctor inspects the database itself


def test_a_healthy_copy_with_no_platform_passes_and_says_what_it_skipped(
    doctor: Doctor, database_url: str
) -> None:
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 0
    assert report.status("settings") == "ok"
    assert report.line("database").startswith("ok    database: reachable at ")
    assert report.line("database schema") == (
        f"ok    database schema: at revision {head_revision()}, the one this code needs"
    )
    assert report.line("slack") == (
        "skip  slack: not configured (no SLACK_BOT_TOKEN, SLACK_CLIENT_ID or SLACK_APP_TOKEN)"
    )
    assert report.line("teams") == "skip  teams: not configured (no MICROSOFT_APP_ID)"
    assert report.out.splitlines()[-1] == "doctor: 5 ok, 0 warning(s), 0 failed, 2 skipped"


def test_a_malformed_setting_is_a_failed_check_not_a_refusal(
    doctor: Doctor, database_url: str
) -> None:
    report = doctor(DATABASE_URL=database_url, STAFFROOM_DELIVERY_THREADS="64")
    assert report.code == 1
    assert report.line("settings") == (
        "FAIL  settings: Setting STAFFROOM_DELIVERY_THREADS must be a whole number from 1 to 32; "
        "fix: correct STAFFROOM_DELIVERY_THREADS in the environment or .env (see .env.example)"
    )
    for check in ("database", "time zones", "delivery queue", "slack", "teams"):
        assert report.line(check) == f"skip  {check}: not checked: the settings do not load"
    assert report.err == ""


def test_a_setting_in_dot_env_is_read_too(doctor: Doctor, clean_env: Path) -> None:
    (clean_env / ".env").write_text("STAFFROOM_LOG_LEVEL=SHOUTY\n", encoding="utf-8")
    report = doctor()
    assert report.code == 1
    assert report.line("settings").startswith("FAIL  settings: Setting STAFFROOM_LOG_LEVEL ")


def test_an_unreachable_database_names_the_url_without_its_password(
    doctor: Doctor, closed_port: int
) -> None:
    url = f"postgresql+psycopg://staffroom:s3cret@127.0.0.1:{closed_port}/staffroom"
    report = doctor(DATABASE_URL=url)
    assert report.code == 1
    line = report.line("database")
    assert line.startswith(
        f"FAIL  database: DATABASE_URL cannot be reached "
        f"(postgresql+psycopg://staffroom:***@127.0.0.1:{closed_port}/staffroom): "
    )
    assert line.endswith(
        "; fix: start the database server, or correct DATABASE_URL "
        "(host, port, user, password, database name)"
    )
    assert "s3cret" not in report.out
    assert report.line("database schema") == (
        "skip  database schema: not checked: the database cannot be reached"
    )
    assert report.status("time zones") == report.status("delivery queue") == "skip"


def test_a_missing_sqlite_file_is_reported_and_not_created(doctor: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    report = doctor(DATABASE_URL=f"sqlite:///{path}")
    assert report.code == 1
    assert report.line("database") == (
        f"FAIL  database: no SQLite file at {path}; "
        "fix: run `staffroom db upgrade` (it creates the file)"
    )
    assert not path.exists()


def _sqlite_at(path: Path, revision: str | None) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    if revision is None:
        with engine.connect():
            pass  # an empty database file
    else:
        upgrade(engine, revision)
    engine.dispose()
    return url


def test_an_empty_database_needs_its_first_upgrade(doctor: Doctor, tmp_path: Path) -> None:
    report = doctor(DATABASE_URL=_sqlite_at(tmp_path / "empty.db", None))
    assert report.code == 1
    assert report.status("database") == "ok"
    assert report.line("database schema") == (
        f"FAIL  database schema: no Staffroom tables yet (this code needs {head_revision()}); "
        "fix: run `staffroom db upgrade`"
    )
    assert report.line("time zones") == (
        "skip  time zones: not checked: needs the database at the right schema"
    )


def test_a_database_behind_the_code_is_told_to_upgrade_and_then_passes(
    doctor: Doctor, tmp_path: Path
) -> None:
    url = _sqlite_at(tmp_path / "old.db", "0005")
    report = doctor(DATABASE_URL=url)
    assert report.code == 1
    assert report.line("database schema") == (
        f"FAIL  database schema: at revision 0005, behind the {head_revision()} this code needs; "
        "fix: run `staffroom db upgrade`"
    )
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    again = doctor(DATABASE_URL=url)
    assert again.code == 0
    assert again.status("database schema") == "ok"


def test_a_database_migrated_by_newer_code_is_not_called_behind(
    doctor: Doctor, tmp_path: Path
) -> None:
    url = _sqlite_at(tmp_path / "newer.db", "head")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    report = doctor(DATABASE_URL=url)
    assert report.code == 1
    line = report.line("database schema")
    assert line.startswith("FAIL  database schema: at revision 0099, which this code does not know")
    assert "fix: run the Staffroom version that migrated this database" in line
    assert "db upgrade" not in line


def test_a_check_that_breaks_unforeseen_is_a_failed_line_and_the_others_still_run(
    doctor: Doctor, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_engine: object) -> None:
        raise RuntimeError("the zone table exploded")

    monkeypatch.setattr(staffroom.doctor.timezones, "check_time_zones", broken)
    report = doctor(DATABASE_URL=database_url)
    assert report.code == 1
    assert report.line("time zones") == (
        "FAIL  time zones: the check itself failed: RuntimeError: the zone table exploded; "
        "fix: run `staffroom doctor` again; if it repeats, report this line"
    )
    assert report.status("delivery queue") == "ok"
    assert report.status("slack") == "skip"
