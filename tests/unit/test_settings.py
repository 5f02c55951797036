from __future__ import annotations

import pytest

from bot.kernel.settings import SettingsError, load_settings


def test_defaults_without_environment() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///staffroom.db"
    assert settings.default_timezone == "UTC"
    assert not settings.teams_allow_unauthenticated
    assert settings.slack_messages_per_second is None  # learnt from Slack's 429s


def test_delivery_threads_and_a_stable_worker_name() -> None:
    assert (load_settings({}).delivery_threads, load_settings({}).worker_id) == (8, None)
    settings = load_settings({"STAFFROOM_DELIVERY_THREADS": "8", "STAFFROOM_WORKER_ID": "pod-7"})
    assert (settings.delivery_threads, settings.worker_id) == (8, "pod-7")


def test_a_known_slack_ceiling_is_read_as_messages_a_second() -> None:
    assert load_settings({"SLACK_MESSAGES_PER_SECOND": "2.5"}).slack_messages_per_second == 2.5


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"STAFFROOM_DEFAULT_TIMEZONE": "Europe/Atlantis"}, "STAFFROOM_DEFAULT_TIMEZONE"),
        ({"STAFFROOM_LOG_LEVEL": "LOUD"}, "STAFFROOM_LOG_LEVEL"),
        ({"STAFFROOM_DELIVERY_MAX_ATTEMPTS": "0"}, "STAFFROOM_DELIVERY_MAX_ATTEMPTS"),
        ({"SLACK_API_BASE_URL": "ftp://x"}, "SLACK_API_BASE_URL"),
        ({"SLACK_MESSAGES_PER_SECOND": "fast"}, "SLACK_MESSAGES_PER_SECOND"),
        ({"STAFFROOM_DELIVERY_THREADS": "0"}, "STAFFROOM_DELIVERY_THREADS"),
        ({"STAFFROOM_WORKER_ID": "pod 7; drop"}, "STAFFROOM_WORKER_ID"),
        ({"SLACK_MESSAGES_PER_SECOND": "0"}, "SLACK_MESSAGES_PER_SECOND"),
        ({"MICROSOFT_APP_TYPE": "Weird"}, "MICROSOFT_APP_TYPE"),
        ({"STAFFROOM_PUBLIC_URL": "staffroom.school.org"}, "STAFFROOM_PUBLIC_URL"),
        ({"STAFFROOM_DEFAULT_LANGUAGE": "klingon"}, "STAFFROOM_DEFAULT_LANGUAGE"),
    ],
)
def test_malformed_settings_name_themselves_in_one_line(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert caught.value.name == name
    assert str(caught.value).startswith(f"Setting {name} ")
    assert "\n" not in str(caught.value)


def test_the_public_address_is_kept_without_a_trailing_slash() -> None:
    assert load_settings({}).public_url is None
    settings = load_settings({"STAFFROOM_PUBLIC_URL": "https://staffroom.school.org/"})
    assert settings.public_url == "https://staffroom.school.org"


def test_required_settings_for_an_adapter() -> None:
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET is required"):
        load_settings({}).require("slack_signing_secret")


def test_the_default_language_is_a_language_staffroom_speaks_however_it_is_named() -> None:
    assert load_settings({}).default_language == "en"
    for named in ("es", "es-MX", "Spanish", "español"):
        assert load_settings({"STAFFROOM_DEFAULT_LANGUAGE": named}).default_language == "es"
