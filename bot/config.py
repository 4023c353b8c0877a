"""Typed settings: `config.toml` (optional), then `STUDYBOT_*` environment variables, then
`DISCORD_TOKEN`, each overriding the one before.

Settings are read once by the CLI and handed to everything else; nothing reads the environment on
its own. Any problem becomes one `ConfigError` that names the file (or variable), the key and what
was expected, because a member of a study community running the bot should never have to read a
pydantic traceback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ENV_PREFIX = "STUDYBOT_"
TOKEN_VARIABLE = "DISCORD_TOKEN"
DEFAULT_CONFIG_FILE = Path("config.toml")
DEFAULT_ENV_FILE = Path(".env")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class ConfigError(Exception):
    """Settings that cannot be used; the message is complete and meant to be printed as is."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"an IANA timezone name such as 'Europe/Berlin' or 'UTC', got {value!r}"
        ) from exc
    return value


class DiscordSettings(_Section):
    token: str = Field(default="", repr=False)
    dev_guild_id: int = Field(default=0, ge=0)
    api_base_url: str = ""
    gateway_url: str = ""
    guild_ready_timeout: float = Field(default=2.0, ge=0, le=60)
    shard_count: int = Field(default=0, ge=0, le=10000)
    shard_ids: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shards(self) -> DiscordSettings:
        if self.shard_ids and not self.shard_count:
            raise ValueError("shard_count when shard_ids is set (the total number of shards)")
        bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
        if bad:
            raise ValueError(f"shard ids from 0 to shard_count - 1, got {bad}")
        return self

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://", "ws://", "wss://")):
            raise ValueError(f"an http(s) or ws(s) URL, or empty for Discord's own, got {value!r}")
        return value.rstrip("/")


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///data/bot.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "a URL starting with 'sqlite+aiosqlite://' or 'postgresql+asyncpg://', "
                f"got {value!r}"
            )
        return value


class RoadmapSettings(_Section):
    path: Path = Path("data/roadmap.yaml")


class CommunitySettings(_Section):
    """Defaults for a server that has not configured anything yet."""

    default_timezone: str = "UTC"
    streak_minimum: int = Field(default=15, ge=1, le=720)
    max_groups_per_member: int = Field(default=3, ge=1, le=25)

    _tz = field_validator("default_timezone")(_check_timezone)


class SchedulingSettings(_Section):
    grace_hours: float = Field(default=12, ge=0, le=168)
    leader_retry_seconds: float = Field(default=15, gt=0, le=600)


class MetricsSettings(_Section):
    port: int = Field(default=0, ge=0, le=65535)
    host: str = "127.0.0.1"


class Settings(BaseSettings):
    """Everything the bot can be told. See config.example.toml for each key's meaning."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
        nested_model_default_partial_update=True,
    )

    log_level: LogLevel = "INFO"
    discord: DiscordSettings = DiscordSettings()
    database: DatabaseSettings = DatabaseSettings()
    roadmap: RoadmapSettings = RoadmapSettings()
    community: CommunitySettings = CommunitySettings()
    scheduling: SchedulingSettings = SchedulingSettings()
    metrics: MetricsSettings = MetricsSettings()

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Highest priority first. The TOML file arrives as init kwargs, so it goes last.
        return (env_settings, dotenv_settings, init_settings)


def load_settings(
    config_file: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    env_file: Path | None = DEFAULT_ENV_FILE,
) -> Settings:
    """Read the settings; raise ConfigError with a message naming where each problem is.

    `config_file` None means `config.toml` when it exists. `env` defaults to the process
    environment; tests pass their own mapping instead of touching `os.environ`.
    """
    environ = dict(os.environ if env is None else env)
    explicit = config_file is not None
    path = config_file if config_file is not None else DEFAULT_CONFIG_FILE
    file_data = _read_toml(path, required=explicit)
    dotenv = _read_dotenv(env_file)
    overrides = _prefixed(environ) | {
        k: v for k, v in _prefixed(dotenv).items() if k not in environ
    }
    _reject_unknown_variables(overrides)
    try:
        settings = _build(file_data, overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, overrides)) from None
    token = environ.get(TOKEN_VARIABLE) or dotenv.get(TOKEN_VARIABLE) or ""
    if token.strip():
        settings.discord.token = token.strip()
    return settings


def _build(file_data: dict[str, Any], overrides: dict[str, str]) -> Settings:
    """Validate file values with the environment's overrides on top, without reading os.environ."""

    class _Scoped(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (_MappingEnvSource(settings_cls, overrides), init_settings)

    scoped = _Scoped(**file_data)
    return Settings.model_construct(
        **{name: getattr(scoped, name) for name in Settings.model_fields}
    )


class _MappingEnvSource(PydanticBaseSettingsSource):
    """pydantic-settings' env parsing (prefix, `__` nesting, JSON for complex values), fed from
    a mapping rather than the process environment."""

    def __init__(self, settings_cls: type[BaseSettings], values: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        from pydantic_settings import EnvSettingsSource

        self._inner = EnvSettingsSource(settings_cls, case_sensitive=False)
        self._inner.env_vars = {k.lower(): v for k, v in values.items()}

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._inner.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        return self._inner()


def _read_toml(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: the settings file does not exist")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def _read_dotenv(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _prefixed(values: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k.upper().startswith(ENV_PREFIX)}


def _reject_unknown_variables(overrides: Mapping[str, str]) -> None:
    """pydantic-settings ignores a prefixed variable naming no setting; a typo deserves a word."""
    known = {name.upper() for name in Settings.model_fields}
    unknown = sorted(
        name
        for name in overrides
        if name.upper().removeprefix(ENV_PREFIX).split("__")[0] not in known
    )
    if unknown:
        raise ConfigError(
            "Invalid settings:\n"
            + "\n".join(
                f"  environment variable {name}: unknown setting "
                "(check the spelling against config.example.toml)"
                for name in unknown
            )
        )


def _describe(exc: ValidationError, path: Path, overrides: Mapping[str, str]) -> str:
    lines = []
    env_keys = {k.upper(): k for k in overrides}
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        key = ".".join(loc)
        variable = ENV_PREFIX + "__".join(part.upper() for part in loc)
        where = f"environment variable {env_keys[variable]}" if variable in env_keys else str(path)
        lines.append(f"{where}: {key}: {_expected(error)}")
    return "Invalid settings:\n" + "\n".join(f"  {line}" for line in lines)


def _expected(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return "unknown setting (check the spelling against config.example.toml)"
    if kind == "value_error":
        return "expected " + str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {value!r}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"expected a whole number, got {value!r}"
    if kind in {"float_parsing", "float_type"}:
        return f"expected a number, got {value!r}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"expected true or false, got {value!r}"
    if kind in {"string_type"}:
        return f"expected text, got {value!r}"
    if kind in {"model_type", "dict_type"}:
        return f"expected a table of settings, got {value!r}"
    return f"{error['msg']} (got {value!r})"
