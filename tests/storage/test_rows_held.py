"""A unit of work asks for its workspace and for a program once, however often the core reads them,
and a read after a write in the same unit of work still sees the write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from bot.kernel.domain import Member, Platform, Program, ProgramKind
from staffroom.bootstrap import Staffroom

pytestmark = pytest.mark.postgres


@contextmanager
def selects(app: Staffroom, table: str) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn, _cursor, sql, *_args) -> None:  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("SELECT") and f"FROM {table}" in " ".join(sql.split()):
            seen.append(sql)

    event.listen(app.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", note)


def test_scoping_the_workspace_found_by_its_platform_id_asks_once(app: Staffroom) -> None:
    with app.uow_factory() as uow:
        uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        uow.commit()
    with app.uow_factory() as uow, selects(app, "workspaces") as seen:
        found = uow.workspaces.by_external_id(Platform.CONSOLE, "T-HILL")
        assert found is not None
        assert uow.scope(found.id).workspace_id == found.id
    assert len(seen) == 1


def test_a_program_read_twice_is_asked_for_once_and_a_save_is_seen(app: Staffroom) -> None:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        added = uow.scope(ws.id).programs.add(Program(workspace_id=ws.id, name="Year 9 PLC"))
        uow.commit()
    assert added.id is not None
    with app.uow_factory() as uow, selects(app, "programs") as seen:
        programs = uow.scope(ws.id).programs
        first = programs.get(added.id)
        assert first is not None and programs.get(added.id) == first
        assert len(seen) == 1
        first.name, first.kind = "Year 9 peers", ProgramKind.MENTORING
        programs.save(first)
        again = programs.get(added.id)
        assert again is not None and (again.name, again.kind) == (
            "Year 9 peers",
            ProgramKind.MENTORING,
        )
    with app.uow_factory() as uow:
        unsaved = uow.scope(ws.id).programs.get(added.id)
        assert unsaved is not None and unsaved.name == "Year 9 PLC"  # that unit of work rolled back


def test_saving_the_member_found_by_platform_id_reads_them_once(app: Staffroom) -> None:
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "T-HILL", "Hillcrest")
        uow.scope(ws.id).members.add(
            Member(workspace_id=ws.id, platform_user_id="U-ANA", display_name="Ana")
        )
        uow.commit()
    with app.uow_factory() as uow, selects(app, "members") as seen:
        members = uow.scope(ws.id).members
        ana = members.by_platform_user("U-ANA")
        assert ana is not None
        ana.goals = ["Use more open questions"]
        members.save(ana)
        uow.commit()
    assert len(seen) == 1
    with app.uow_factory() as uow:
        saved = uow.scope(ws.id).members.by_platform_user("U-ANA")
        assert saved is not None and saved.goals == ["Use more open questions"]
