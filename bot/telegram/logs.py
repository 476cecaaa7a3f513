"""Logging set-up: one format, quiet library loggers, and the token scrubbed from every line."""

from __future__ import annotations

import logging

from bot.config import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replaces the bot token wherever it would be written (URLs in errors, say)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.secrets = [s for s in {token, token.partition(":")[2]} if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and any(s in record.exc_text for s in self.secrets):
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        return True


def setup_logging(settings: Settings) -> None:
    """Root handler on stderr; aiogram's own per-update line is silenced (ours replaces it)."""
    logging.basicConfig(level=settings.log_level.upper(), format=FORMAT, force=True)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    if settings.bot_token is not None:
        redact = RedactToken(settings.bot_token.get_secret_value().strip())
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
