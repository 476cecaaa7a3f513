"""Fact-checking in groups: per-chat watch mode, who may switch it, and how often it may speak.

The verdicts come from the answer engine (`AnswerEngine.check`, `AnswerEngine.watch`); this
feature holds only the group's side of it, in the bot's FSM storage (memory, or Redis with
REDIS_URL, so every replica agrees). Its commands are in bot/telegram/routers/factcheck.py.
"""
