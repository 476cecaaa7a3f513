"""Answer quality side by side: the project's matcher and the two baselines on a question file.

The baselines' thresholds are chosen on the tuning file (their best case there) and then
applied unchanged to the held-out files, which nothing is ever tuned on. The matcher runs
as shipped, with its own THRESHOLD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from bench.baselines import Baseline
from bench.threshold import Point, choose_threshold
from bot.engine import Answer, AnswerEngine
from bot.engine.evaluate import QuestionFile, Report, evaluate, fact_ok
from bot.engine.types import Lang


@dataclass
class MethodResult:
    name: str
    threshold: float
    shown: str  # the threshold as the method's scores are written
    report: Report


@dataclass
class QualityResult:
    label: str  # the file's stem: keys in the JSON line
    path: str
    tuned_here: bool  # were the baselines' thresholds chosen on this file?
    facts: int
    out_of_scope: int
    methods: list[MethodResult]


class _InQuestionLanguage:
    """A baseline as evaluate() sees it, writing its answer in the question's `lang`.

    evaluate() hands over the text only; the answer text follows the file (the baselines'
    best case), while `Answer.lang`, what language accuracy reads, stays the script's.
    """

    def __init__(self, baseline: Baseline, qfile: QuestionFile) -> None:
        self.baseline = baseline
        self.langs = {q.q: cast(Lang, q.lang) for q in qfile.questions}

    def answer(self, text: str) -> Answer:
        return self.baseline.answer(text, text_lang=self.langs.get(text))


def baseline_points(baseline: Baseline, qfile: QuestionFile) -> list[Point]:
    """Each question's best score and whether that answer has the right fact."""
    points = []
    saved = baseline.threshold
    baseline.threshold = float("-inf")
    try:
        for q in qfile.questions:
            ans = baseline.answer(q.q, text_lang=cast(Lang, q.lang))
            correct = not q.oos and fact_ok(qfile.facts.get(q.fact or "", []), ans)
            points.append(Point(ans.score, q.oos, correct))
    finally:
        baseline.threshold = saved
    return points


def tune(baselines: list[Baseline], qfile: QuestionFile) -> None:
    """Set each baseline's threshold to its best on `qfile` (max facts% + out-of-scope%)."""
    for baseline in baselines:
        baseline.threshold = choose_threshold(baseline_points(baseline, qfile))


def compare(
    engine: AnswerEngine,
    baselines: list[Baseline],
    qfile: QuestionFile,
    path: Path,
    tuned_here: bool,
) -> QualityResult:
    methods = [
        MethodResult("matcher", engine.threshold, f"{engine.threshold:g}", evaluate(engine, qfile))
    ]
    for b in baselines:
        # evaluate() only calls .answer(text): the wrapper stands in for an engine.
        report = evaluate(cast(AnswerEngine, _InQuestionLanguage(b, qfile)), qfile)
        methods.append(
            MethodResult(b.name, b.threshold, b.score_format.format(b.threshold), report)
        )
    oos = sum(q.oos for q in qfile.questions)
    return QualityResult(path.stem, str(path), tuned_here, len(qfile.questions) - oos, oos, methods)
