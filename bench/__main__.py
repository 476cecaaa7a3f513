"""`python -m bench`: answer quality against baselines, the threshold sweep, speed, memory.

Progress goes to standard error; standard output gets the tables, then one JSON line.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import e2e, quality, speed, threshold
from bench.baselines import TfidfBaseline, WRatioBaseline
from bench.report import Results, render
from bot.engine import AnswerEngine
from bot.engine.evaluate import load_questions

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS = ROOT / "bench" / "questions" / "dev-questions.yaml"  # copies of shared/eval/
# Calibrated on together with --questions: the group-chat development files.
DEV_CHATS = tuple(sorted((ROOT / "bench" / "questions").glob("dev-chat*.yaml")))
# Held-out sets: scored with what was chosen on --questions, never tuned on.
HOLDOUTS = (
    ROOT / "bench" / "holdout-blind.yaml",
    ROOT / "tests" / "engine" / "holdout-questions.yaml",
    ROOT / "bench" / "holdout-chat-blind.yaml",
    ROOT / "bench" / "holdout-chat-blind-2.yaml",
    ROOT / "bench" / "holdout-chat-blind-3.yaml",
    ROOT / "bench" / "holdout-chat-blind-4.yaml",
    ROOT / "bench" / "holdout-chat-blind-5.yaml",
    ROOT / "bench" / "holdout-chat-blind-6.yaml",
    ROOT / "bench" / "holdout-chat-blind-7.yaml",
    ROOT / "bench" / "holdout-chat-blind-8.yaml",
)
SWEEP_PLOT = ROOT / "bench" / "threshold-sweep.png"

FULL = {
    "repeats": 50,
    "extract": 10,
    "startups": 5,
    "updates": 5000,
    "idle": 200,
    "shipped": 300,
    "rounds": 3,
}
QUICK = {
    "repeats": 3,
    "extract": 1,
    "startups": 1,
    "updates": 300,
    "idle": 20,
    "shipped": 60,
    "rounds": 1,
}


def _progress(message: str, start: float) -> None:
    print(f"[bench {time.perf_counter() - start:5.1f}s] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--questions",
        type=Path,
        default=DEFAULT_QUESTIONS,
        help="question file to compare on and tune the baselines on (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="few repeats and updates: a smoke run")
    parser.add_argument("--skip-e2e", action="store_true", help="no bot processes")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    start = time.perf_counter()
    if not args.questions.is_file():
        print(f"bench: no question file at {args.questions} (see --questions)", file=sys.stderr)
        return 2
    qfile = load_questions(args.questions)
    engine = AnswerEngine.load()

    _progress("answer quality", start)
    baselines = [WRatioBaseline(engine.kb), TfidfBaseline(engine.kb)]
    quality.tune(baselines, qfile)
    results = [quality.compare(engine, baselines, qfile, args.questions, tuned_here=True)]
    for path in HOLDOUTS:
        if path.is_file() and path.resolve() != args.questions.resolve():
            results.append(quality.compare(engine, baselines, load_questions(path), path, False))

    _progress("threshold sweep", start)
    chats = [p for p in DEV_CHATS if p.resolve() != args.questions.resolve()]
    calibration = [qfile, *(load_questions(p) for p in chats)]
    sweep = threshold.sweep(
        engine, calibration, " + ".join([args.questions.stem, *(p.stem for p in chats)])
    )
    threshold.plot(sweep, SWEEP_PLOT)

    texts = [q.q for q in qfile.questions]
    _progress(f"matcher speed ({len(texts)} questions × {size['repeats']})", start)
    matcher = speed.matcher_speed(engine, texts, size["repeats"], size["extract"])
    _progress("start-up of `technopolis-bot ask`", start)
    startup = speed.startup(texts, size["startups"])

    problems: list[str] = []
    end_to_end = None
    if not args.skip_e2e:
        _progress(
            f"end to end ({size['rounds']} round(s), {size['updates']} updates per bot)", start
        )
        try:
            end_to_end = e2e.e2e(
                [(q.q, q.lang) for q in qfile.questions],
                size["updates"],
                size["idle"],
                size["shipped"],
                size["rounds"],
            )
        except (e2e.E2EError, OSError) as exc:
            problems.append(f"end to end failed: {exc}")
            print(f"bench: {problems[-1]}", file=sys.stderr)
    _progress("done", start)

    print(
        render(
            Results(
                results,
                sweep,
                str(SWEEP_PLOT.relative_to(ROOT)),
                matcher,
                startup,
                end_to_end,
                problems,
            )
        )
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
