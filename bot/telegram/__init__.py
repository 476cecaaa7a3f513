"""The Telegram side (aiogram): routers, middlewares, rendering, the transport, polling and webhook runners."""
