"""The Telegram side: routers, middlewares, rendering, the session policy, polling and webhook."""
