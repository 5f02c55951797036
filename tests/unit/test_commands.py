from __future__ import annotations

import pytest

from bot.features import REGISTRY
from bot.kernel.commands import help_text
from bot.kernel.commands import parse as parse_with
from bot.kernel.errors import UserError

VERBS = REGISTRY.verbs


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_with(text, registry=VERBS)


def test_parse_verbs_args_and_both_option_styles() -> None:
    cmd = parse('/staffroom program set "Year 9 PLC" cadence=2 --group-size 4')
    assert cmd.verb == "program"
    assert cmd.args == ("set", "Year 9 PLC")
    assert cmd.options == {"cadence": "2", "group_size": "4"}


def test_stray_apostrophes_do_not_break_parsing() -> None:
    cmd = parse("goals add I'm trying cold calling")
    assert cmd.args == ("add", "I'm", "trying", "cold", "calling")
    assert cmd.rest == "add I'm trying cold calling"


def test_empty_input_means_help() -> None:
    assert parse("   ").verb == "help"


def test_unknown_verb_suggests_the_closest() -> None:
    with pytest.raises(UserError, match="Did you mean `profile`"):
        parse("profil")
    with pytest.raises(UserError, match="Type `help`"):
        parse("xyzzy")


def test_help_hides_coordinator_verbs_from_teachers() -> None:
    teacher_help = help_text(None, is_coordinator=False, registry=VERBS)
    assert "`program" not in teacher_help and "`roster" not in teacher_help
    assert "`profile [edit | set key=value ...]`" in teacher_help
    assert "`program …`" in help_text(None, is_coordinator=True, registry=VERBS)
    assert "For coordinators" in help_text("program", is_coordinator=False, registry=VERBS)
