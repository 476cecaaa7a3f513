# technopolis-bot: the Telegram bot, polling by default, webhook when WEBHOOK_URL is set.
# No secret is baked in: pass BOT_TOKEN (and WEBHOOK_SECRET) at run time, e.g. --env-file .env
#
# BASE_IMAGE: any Python 3.11 image with pip (a registry mirror's copy, a local tag), e.g.
#   docker build --build-arg BASE_IMAGE=registry.example.com/python:3.11-slim -t technopolis-bot .
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
# Only what the wheel needs (.dockerignore keeps the rest, a local .env included, out of the
# build context altogether).
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
# The wheel ships the knowledge base (bot/_knowledge), so nothing else is copied.
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
 && useradd --system --uid 10001 --home-dir /app --create-home bot \
 && mkdir -p /app/data && chown bot /app/data
USER bot
WORKDIR /app
# The unanswered-questions log (misses.sqlite3): mount a volume to keep it across containers.
ENV DATA_DIR=/app/data
VOLUME ["/app/data"]
# Webhook mode listens here (WEBHOOK_PORT); polling needs no open port.
EXPOSE 8080
# Both modes, no setting needed: webhook mode asks its own /healthz (always served there),
# polling reads the health file the bot rewrites every 5 s in DATA_DIR (bot/health/check.py).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-m", "bot.health.check"]
# SIGTERM (docker stop): updates in flight finish within SHUTDOWN_TIMEOUT (5 s), the rest
# stay queued at Telegram for the next container; well inside docker stop's 10 s.
STOPSIGNAL SIGTERM
# `--require-token`: without BOT_TOKEN the container fails loudly instead of opening a terminal chat.
CMD ["technopolis-bot", "run", "--require-token"]
