"""``staffroom admin grant`` trusts only what a platform vouches for: an address a teacher typed into
their own profile names nobody, so typing the head's address makes nobody an admin."""

from __future__ import annotations

import re

import pytest

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from tests.conftest import Person, fetch_all, joined


def test_a_typed_address_cannot_be_granted_a_role(app: Staffroom, person: Person) -> None:
    eve = joined(person("Eve Black"))
    assert eve.type("profile set email=head@hill.example").ok
    with pytest.raises(
        LookupError, match=re.escape("platform-verified e-mail 'head@hill.example'")
    ):
        grant_role(app, "console:local", "head@hill.example", Role.ADMIN)
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Eve Black")
    assert (row.email, row.role) == ("head@hill.example", Role.TEACHER.value)

    # Her console user id (at the console, the name) is what names her.
    assert grant_role(app, "console:local", "Eve Black", Role.COORDINATOR) == "Eve Black"
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Eve Black")
    assert row.role == Role.COORDINATOR.value
