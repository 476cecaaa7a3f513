"""The answer engine: knowledge loading and validation, normalization, matching, composing.

Imports nothing from aiogram, so the CLI, benchmarks and the bot share it.
"""

from bot.engine.engine import AnswerEngine, lang_from_code
from bot.engine.knowledge import KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.engine.types import LANGS, Answer, AnswerKind, ClaimCheck, Lang, Source, Suggestion

__all__ = [
    "LANGS",
    "Answer",
    "AnswerEngine",
    "AnswerKind",
    "ClaimCheck",
    "KnowledgeBase",
    "KnowledgeError",
    "Lang",
    "Problem",
    "Source",
    "Suggestion",
    "lang_from_code",
    "load_knowledge",
]
