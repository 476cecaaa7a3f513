"""Settings from the environment and `.env` (pydantic-settings), validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    """Every setting, with its default; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    knowledge_dir: Path | None = None
    default_lang: Literal["ru", "en"] = "ru"
    log_level: str = "INFO"
    log_questions: bool = False

    webhook_url: str | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    drop_pending_updates: bool = False
    throttle_rate: float = Field(default=1.0, ge=0)  # questions per second per user; 0 = off
    throttle_burst: int = Field(default=5, ge=1)
    inline_cache_time: int = Field(default=300, ge=0)
    shutdown_timeout: float = Field(default=5.0, gt=0)

    @field_validator(
        "bot_token", "webhook_secret", "webhook_url", "telegram_api_url", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

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
