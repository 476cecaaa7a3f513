"""Test doubles for Telegram: a fake Bot API server, its spec checks and Update builders."""
