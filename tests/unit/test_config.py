"""Settings: sources, precedence, and one clear message for every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = load_settings(None, env={}, env_file=None)
    assert settings.database.url == "sqlite+aiosqlite:///data/bot.db"
    assert settings.community.default_timezone == "UTC"
    assert settings.community.streak_minimum == 15
    assert settings.discord.token == ""


def test_example_file_is_valid_and_complete() -> None:
    settings = load_settings(Path("config.example.toml"), env={}, env_file=None)
    text = Path("config.example.toml").read_text(encoding="utf-8")
    for section, model in settings:
        if not hasattr(type(model), "model_fields"):
            assert f"{section} =" in text
            continue
        for name in type(model).model_fields:
            assert f"\n{name} =" in text, f"{section}.{name} is missing from config.example.toml"


def test_environment_overrides_file_and_token_wins(tmp_path: Path) -> None:
    path = write(tmp_path, '[discord]\ntoken = "from-file"\ndev_guild_id = 5\n')
    env = {
        "STUDYBOT_DISCORD__DEV_GUILD_ID": "7",
        "STUDYBOT_DISCORD__TOKEN": "from-env-setting",
        "DISCORD_TOKEN": "winner",
        "STUDYBOT_COMMUNITY__DEFAULT_TIMEZONE": "Asia/Tokyo",
    }
    settings = load_settings(path, env=env, env_file=None)
    assert settings.discord.dev_guild_id == 7
    assert settings.discord.token == "winner"
    assert settings.community.default_timezone == "Asia/Tokyo"


def test_dotenv_file_supplies_the_token(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-dotenv\nSTUDYBOT_LOG_LEVEL=debug\n", encoding="utf-8")
    settings = load_settings(None, env={}, env_file=dotenv)
    assert settings.discord.token == "from-dotenv"
    assert settings.log_level == "DEBUG"
    assert load_settings(None, env={"DISCORD_TOKEN": "env"}, env_file=dotenv).discord.token == "env"


def test_token_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    settings = load_settings(None, env={"DISCORD_TOKEN": "sekrit-token"}, env_file=None)
    assert "sekrit-token" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[discord\n", "not valid TOML"),
        ("[discord]\nnope = 1\n", "discord.nope: unknown setting"),
        ("mystery = 1\n", "mystery: unknown setting"),
        ('[discord]\ndev_guild_id = "abc"\n', "discord.dev_guild_id: expected a whole number"),
        ('[community]\ndefault_timezone = "Mars/Olympus"\n', "expected an IANA timezone"),
        ('log_level = "LOUD"\n', "log_level: expected"),
        ('[database]\nurl = "mysql://x"\n', "database.url: expected a URL starting with"),
        ("[community]\nstreak_minimum = 0\n", "community.streak_minimum"),
        ("discord = 3\n", "discord: expected a table of settings"),
    ],
)
def test_bad_file_names_file_key_and_expectation(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={}, env_file=None)
    message = str(caught.value)
    assert str(path) in message
    assert expected in message


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[discord]\ndev_guild_id = "x"\nfoo = 1\n[community]\nstreak_minimum = "y"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={}, env_file=None)
    message = str(caught.value)
    for key in ("discord.dev_guild_id", "discord.foo", "community.streak_minimum"):
        assert key in message


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"STUDYBOT_DISCORD__DEV_GUILD_ID": "abc"}, "STUDYBOT_DISCORD__DEV_GUILD_ID"),
        ({"STUDYBOT_NOPE": "1"}, "STUDYBOT_NOPE: unknown setting"),
        ({"STUDYBOT_DISCORD__NOPE": "1"}, "STUDYBOT_DISCORD__NOPE: discord.nope: unknown"),
        ({"STUDYBOT_COMMUNITY__DEFAULT_TIMEZONE": "Nowhere"}, "IANA timezone"),
    ],
)
def test_bad_environment_names_the_variable(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, env=env, env_file=None)
    assert expected in str(caught.value)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={}, env_file=None)
