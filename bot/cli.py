"""The `technopolis-bot` command: ask, chat, validate, eval, run.

Errors a user can fix (a broken knowledge base, a bad token) are one clear message and exit
code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import ValidationError

from bot.engine import Answer, AnswerEngine, KnowledgeError, load_knowledge
from bot.engine.dictionary import preload as preload_dictionary
from bot.engine.types import LANGS
from bot.telegram.uikeys import TELEGRAM_UI_KEYS

EXIT_USAGE = 2


def answer_json(answer: Answer) -> str:
    """One line of `ask --json`; other tools read this shape, keep it stable."""
    return json.dumps(
        {
            "question": answer.question,
            "lang": answer.lang,
            "matched": answer.matched,
            "intent": answer.intent,
            "score": answer.score,
            "answer": answer.text,
            "sources": [{"quote": s.quote, "speaker": s.speaker} for s in answer.sources],
            "suggestions": [s.question for s in answer.suggestions],
            # null, or the verdict on what the message states (confirmed null: partly)
            "claim": None
            if answer.claim is None
            else {
                "confirmed": answer.claim.confirmed,
                "stated": list(answer.claim.stated),
                "article": answer.claim.article,
            },
        },
        ensure_ascii=False,
    )


def answer_plain(engine: AnswerEngine, answer: Answer) -> str:
    """The terminal form: the answer, its sources as quotes, then suggestions."""
    lines = [answer.text]
    for src in answer.sources:
        who = src.speaker or engine.texts(answer.lang, "article_words")
        lines.append(f"  > «{src.quote}»" if answer.lang == "ru" else f'  > "{src.quote}"')
        lines.append(f"    — {who}")
    if answer.suggestions:
        if answer.matched and answer.kind.value == "fact":
            lines.append(engine.texts(answer.lang, "did_you_mean"))
        lines.extend(f"  • {s.question}" for s in answer.suggestions)
    return "\n".join(lines)


def _engine(args: argparse.Namespace) -> AnswerEngine:
    from bot.config import Settings

    folder = args.knowledge or Settings().knowledge_dir
    return AnswerEngine.load(folder)


def _lines(stream: TextIO):
    for line in stream:
        yield line.rstrip("\r\n")


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _engine(args)
    questions = [args.question] if args.question is not None else _lines(sys.stdin)
    for q in questions:
        ans = engine.answer(q, lang=args.lang)
        print(answer_json(ans) if args.json else answer_plain(engine, ans), flush=True)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    engine = _engine(args)
    interactive = sys.stdin.isatty()
    if interactive:
        print(engine.texts("ru", "empty"))
        print("(Ctrl+D — exit)")
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        q = line.rstrip("\r\n")
        if not q.strip() and not interactive:
            continue
        print(answer_plain(engine, engine.answer(q, lang=args.lang)), flush=True)
        print(flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    folder = args.dir or args.knowledge
    kb = load_knowledge(folder, TELEGRAM_UI_KEYS)
    examples = sum(len(i.examples.ru) + len(i.examples.en) for i in kb.intents.values())
    print(f"{kb.root}: OK, {len(kb.intents)} intents, {examples} examples")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.engine.evaluate import evaluate, format_report, load_questions

    engine = _engine(args)
    try:
        qfile = load_questions(Path(args.file))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(
            f"technopolis-bot: cannot read {args.file}: {' '.join(str(exc).split())}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    report = evaluate(engine, qfile)
    print(format_report(report))
    if args.json:
        print(json.dumps(report.summary()))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import Settings

    settings = Settings()
    if args.knowledge:
        settings = settings.model_copy(update={"knowledge_dir": args.knowledge})
    if settings.bot_token is None and not args.require_token:
        print(
            "BOT_TOKEN is not set: opening the terminal chat (set it in .env to talk to Telegram).",
            file=sys.stderr,
        )
        return cmd_chat(args)
    problem = settings.token_problem()
    if problem:
        print(f"technopolis-bot: {problem}", file=sys.stderr)
        return EXIT_USAGE
    engine = AnswerEngine.load(settings.knowledge_dir, required_ui_keys=TELEGRAM_UI_KEYS)
    # Before aiogram is imported, so the word list's transient parse memory is reused by it
    # rather than added to the process's peak.
    preload_dictionary()
    from bot.telegram.runners import run_bot

    return run_bot(settings, engine)


def _since(value: str) -> str:
    from bot.misses.report import parse_since

    try:
        parse_since(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value.strip()


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a whole number, 1 or more")
    return int(value)


def cmd_misses(args: argparse.Namespace) -> int:
    """Unanswered questions, grouped, for a curator: what to add to the knowledge base next."""
    import time

    from bot.config import Settings
    from bot.misses.report import (
        engine_normalize,
        format_table,
        group,
        parse_since,
        plain_normalize,
        questions,
    )
    from bot.misses.store import read_misses

    settings = Settings()
    data_dir = args.data_dir if args.data_dir is not None else settings.data_dir
    # With REDIS_URL: the replicas' shared stream, plus this machine's file (written before
    # Redis, or while it was down).
    result = read_misses(data_dir, settings.redis_url, since=time.time() - parse_since(args.since))
    for problem in result.problems:
        print(f"technopolis-bot: {problem}", file=sys.stderr)
    found = result.misses
    if not found:
        where = " and ".join(result.sources)
        print(f"No unanswered questions recorded in the last {args.since} ({where}).")
        return 0
    try:
        normalize = engine_normalize(_engine(args))
    except KnowledgeError:  # grouping still works, only a little less cleverly
        print("technopolis-bot: knowledge base broken, grouping by plain text", file=sys.stderr)
        normalize = plain_normalize
    groups = group(found, top=args.top, normalize=normalize)
    if args.json:
        for g in groups:
            print(g.as_json())
    else:
        print(format_table(groups, total=len(questions(found)), since=args.since))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="technopolis-bot", description=__doc__.splitlines()[0])
    p.add_argument(
        "--knowledge",
        type=Path,
        help="knowledge folder (default: KNOWLEDGE_DIR or the built-in one)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a question, or every line of standard input")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("--lang", choices=LANGS, help="answer in this language")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal (reads standard input)")
    chat.add_argument("--lang", choices=LANGS)
    chat.set_defaults(func=cmd_chat)

    val = sub.add_parser("validate", help="check a knowledge base; exit 2 on any problem")
    val.add_argument("dir", nargs="?", type=Path)
    val.set_defaults(func=cmd_validate)

    ev = sub.add_parser("eval", help="score a question file")
    ev.add_argument("file")
    ev.add_argument("--json", action="store_true", help="also print the summary as JSON")
    ev.set_defaults(func=cmd_eval)

    run = sub.add_parser("run", help="run the Telegram bot (terminal chat when BOT_TOKEN is unset)")
    run.add_argument(
        "--require-token", action="store_true", help="fail instead of opening the terminal chat"
    )
    run.add_argument("--lang", choices=LANGS, help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)

    mis = sub.add_parser("misses", help="unanswered questions, grouped by similarity")
    mis.add_argument(
        "--since", type=_since, default="7d", help="how far back: 7d, 24h, 30m (default: 7d)"
    )
    mis.add_argument("--top", type=_positive, default=20, help="groups to show (default: 20)")
    mis.add_argument("--data-dir", type=Path, help="default: DATA_DIR")
    mis.add_argument("--json", action="store_true", help="one JSON object per group")
    mis.set_defaults(func=cmd_misses)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KnowledgeError as exc:
        print(
            f"technopolis-bot: the knowledge base is broken ({len(exc.problems)} problems):",
            file=sys.stderr,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:  # a setting from the environment or .env
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]).upper()
            # The value is left out on purpose: it may be a secret.
            print(f"technopolis-bot: setting {name}: {err['msg']}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        return 0
