# technopolis-bot: the Telegram bot, polling by default, webhook when WEBHOOK_URL is set.
# No secret is baked in: pass BOT_TOKEN (and WEBHOOK_SECRET) at run time, e.g. --env-file .env
FROM python:3.11-slim AS build
WORKDIR /src
# Only what the wheel needs: a local .env or .venv can never end up in the image.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
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
# `--require-token`: without BOT_TOKEN the container fails loudly instead of opening a terminal chat.
CMD ["technopolis-bot", "run", "--require-token"]
