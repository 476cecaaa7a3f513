"""Settings from the environment and `.env` (pydantic-settings), validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    """Every setting, with its default; `.env.example` documents each one."""

    # env_ignore_empty: `NAME=` (every blank line of .env.example, copied as it is) means "use
    # the default", in the environment and in .env alike; an empty KNOWLEDGE_DIR was the
    # current folder before, and the bot refused to start.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    knowledge_dir: Path | None = None
    default_lang: Literal["ru", "en"] = "ru"
    log_level: str = "INFO"
    # Unset: the per-update log leaves question text out, the misses log keeps it.
    # true: both keep it; false: neither does.
    log_questions: bool | None = None

    webhook_url: str | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    # Messages per second to Telegram overall: Telegram's limit is 30 (more with paid
    # broadcasts, or towards a local Bot API server); per-chat limits are fixed by Telegram.
    send_rate_limit: float = Field(default=30.0, gt=0)
    drop_pending_updates: bool = False
    throttle_rate: float = Field(default=1.0, ge=0)  # questions per second per user; 0 = off
    throttle_burst: int = Field(default=5, ge=1)
    inline_cache_time: int = Field(default=300, ge=0)
    shutdown_timeout: float = Field(default=5.0, gt=0)

    # Several replicas behind a load balancer share per-user settings, limits and the misses
    # log through Redis; unset, all of it stays in the process and in DATA_DIR.
    redis_url: str | None = None

    data_dir: Path = Path("data")  # the misses log lives here; created when missing
    misses_retention_days: int = Field(default=30, ge=0)  # 0 = keep forever

    # Operations: who may /reload and /why; where /metrics and /healthz are served.
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()  # "123, 456"; empty = nobody
    metrics_host: str = "0.0.0.0"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)  # None = no metrics server

    @field_validator(
        "bot_token",
        "webhook_secret",
        "webhook_url",
        "telegram_api_url",
        "redis_url",
        "metrics_port",
        "log_questions",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """An empty line (`METRICS_PORT=`, as in .env.example) means unset, not invalid."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        """A typo'd scheme fails at start, not at the first update (the URL is not echoed:
        it may carry a password)."""
        if value is not None and not value.strip().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("expected a URL such as redis://redis:6379/0 (or rediss://, unix://)")
        return value.strip() if value is not None else None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """ADMIN_IDS as written in .env: ids separated by commas, semicolons or spaces."""
        if not isinstance(value, str):
            return value
        parts = [p for p in re.split(r"[\s,;]+", value) if p]
        bad = [p for p in parts if not (p.isascii() and p.isdigit()) or int(p) == 0]
        if bad:
            raise ValueError(
                f"expected Telegram user ids (positive numbers) separated by commas, got {bad[0]!r}"
            )
        return [int(p) for p in parts]

    @property
    def misses_keep_text(self) -> bool:
        """The misses log keeps question text unless LOG_QUESTIONS is explicitly false."""
        return self.log_questions is not False

    def token_problem(self) -> str | None:
        """Why the token cannot be used, without ever echoing it."""
        if self.bot_token is None:
            return "BOT_TOKEN is not set"
        if not TOKEN_RE.match(self.bot_token.get_secret_value().strip()):
            return (
                "BOT_TOKEN is malformed "
                "(expected digits, a colon and the secret, as BotFather gives it)"
            )
        return None

    def webhook_problem(self) -> str | None:
        """Why the webhook settings cannot work; None when polling or when they are fine."""
        if not self.webhook_url:
            return None
        if not self.webhook_url.startswith(("https://", "http://")):
            return "WEBHOOK_URL must be a full URL, e.g. https://bot.example.com/telegram"
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else None
        if secret is not None and not SECRET_RE.match(secret):
            return "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
        return None
