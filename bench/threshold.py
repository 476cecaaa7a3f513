"""Choosing and defending rejection thresholds.

Every method scores each question once; a threshold then only decides accept or decline, so
a whole sweep costs one pass. The engine's sweep reads the confidence of the intent it chose
with both thresholds at 0: its other out-of-scope rules (unknown years, names, qualified
terms, "when") still decline, whatever the thresholds. The engine has two: THRESHOLD for
questions and CLAIM_THRESHOLD for a message that states a value of the chosen intent's own
(the stated value is evidence of the topic). `cross_validate` chooses THRESHOLD on k-1 folds
and scores the fold left out, so the figure it reports is not one fitted to its questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bot.engine import AnswerEngine
from bot.engine.evaluate import QuestionFile, fact_ok

SWEEP = tuple(float(t) for t in range(0, 81, 2))


@dataclass(frozen=True, slots=True)
class Point:
    """One question as a threshold sees it."""

    score: float | None  # None: declined whatever the threshold
    oos: bool
    correct: bool  # a fact question whose answer, if given, has the right fact
    evidence: str | None = None  # "claim", "kind", "top", "lead": that bar applies, fixed


@dataclass(frozen=True, slots=True)
class Rates:
    threshold: float
    accepted: float  # % of all questions answered
    facts: float  # % of fact questions answered with the right fact
    out_of_scope: float  # % of out-of-scope questions declined

    @property
    def criterion(self) -> float:
        """What thresholds are chosen by: facts% + out-of-scope%, both kinds weigh the same."""
        return self.facts + self.out_of_scope


def rates(points: list[Point], threshold: float, bars: dict[str, float] | None = None) -> Rates:
    """`bars`: the fixed thresholds for points with evidence; None: all held to `threshold`."""
    bars = bars or {}
    taken = [
        p.score is not None and p.score >= bars.get(p.evidence or "", threshold) for p in points
    ]
    facts = [ok and p.correct for p, ok in zip(points, taken, strict=True) if not p.oos]
    declined = [not ok for p, ok in zip(points, taken, strict=True) if p.oos]
    return Rates(
        threshold,
        _pct(sum(taken), len(points)),
        _pct(sum(facts), len(facts)),
        _pct(sum(declined), len(declined)),
    )


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def choose_threshold(points: list[Point], bars: dict[str, float] | None = None) -> float:
    """The threshold with the best criterion, halfway between two observed scores.

    A threshold exactly at a question's score would hang on that one question; the midpoint
    is the most neutral choice among thresholds with the same outcome. Ties: the lowest.
    """
    scores = sorted({p.score for p in points if p.score is not None})
    if not scores:
        return 0.0
    candidates = [scores[0] - 1.0]
    candidates += [(a + b) / 2 for a, b in pairwise(scores)]
    candidates.append(scores[-1] + 1.0)
    return max(candidates, key=lambda t: (rates(points, t, bars).criterion, -t))


def engine_points(engine: AnswerEngine, qfile: QuestionFile) -> list[Point]:
    """The chosen intent's confidence per question, the engine's other rejection rules kept."""
    saved = (
        engine.threshold,
        engine.claim_threshold,
        engine.kind_threshold,
        engine.top_threshold,
        engine.lead_threshold,
    )
    engine.threshold = engine.claim_threshold = engine.kind_threshold = 0.0
    engine.top_threshold = engine.lead_threshold = 0.0
    try:
        points = []
        for q in qfile.questions:
            ans = engine.answer(q.q)
            score = None
            if ans.matched:
                trace = ans.details
                score = trace.candidates[0].confidence if trace and trace.candidates else 100.0
            correct = not q.oos and fact_ok(qfile.facts.get(q.fact or "", []), ans)
            evidence = ans.details.evidence if ans.details else None
            points.append(Point(score, q.oos, correct, evidence))
        return points
    finally:
        (
            engine.threshold,
            engine.claim_threshold,
            engine.kind_threshold,
            engine.top_threshold,
            engine.lead_threshold,
        ) = saved


@dataclass(frozen=True, slots=True)
class Fold:
    chosen: float  # THRESHOLD chosen on the other folds
    held_out: Rates  # and what it gives on this one


def cross_validate(points: list[Point], bars: dict[str, float], k: int = 5) -> list[Fold]:
    """k-fold: every k-th question (by position) forms a fold, so each fold mixes the files."""
    folds = []
    for i in range(k):
        train = [p for j, p in enumerate(points) if j % k != i]
        test = [p for j, p in enumerate(points) if j % k == i]
        chosen = choose_threshold(train, bars)
        folds.append(Fold(chosen, rates(test, chosen, bars)))
    return folds


@dataclass
class Sweep:
    file: str
    threshold: float  # the engine's THRESHOLD
    rows: list[Rates]
    claim_threshold: float = 0.0  # the engine's CLAIM_THRESHOLD, held while THRESHOLD moves
    claim_rows: list[Rates] | None = None  # claims only, CLAIM_THRESHOLD moving
    folds: list[Fold] | None = None

    @property
    def best(self) -> list[float]:
        """Every swept threshold that reaches the best criterion."""
        top = max(r.criterion for r in self.rows)
        return [r.threshold for r in self.rows if r.criterion == top]

    def at(self, threshold: float) -> Rates:
        return next(r for r in self.rows if r.threshold == threshold)


def sweep(engine: AnswerEngine, qfiles: list[QuestionFile], file: str) -> Sweep:
    points = [p for qfile in qfiles for p in engine_points(engine, qfile)]
    ct = engine.claim_threshold
    bars = {
        "claim": ct,
        "kind": engine.kind_threshold,
        "top": engine.top_threshold,
        "lead": engine.lead_threshold,
    }
    rows = [rates(points, t, bars) for t in sorted({*SWEEP, engine.threshold})]
    claims = [p for p in points if p.evidence == "claim"]
    claim_rows = [rates(claims, t) for t in sorted({*SWEEP, ct})]
    return Sweep(file, engine.threshold, rows, ct, claim_rows, cross_validate(points, bars))


def plot(result: Sweep, path: Path) -> None:
    """Facts, out-of-scope rejection and accepted share against the threshold, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in result.rows if r.threshold in SWEEP]
    xs = [r.threshold for r in rows]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.plot(xs, [r.facts for r in rows], marker=".", label="facts answered right, %")
    ax.plot(xs, [r.out_of_scope for r in rows], marker=".", label="out of scope declined, %")
    ax.plot(xs, [r.accepted for r in rows], linestyle="--", label="questions answered, %")
    ax.axvline(
        result.threshold, color="grey", linestyle=":", label=f"THRESHOLD = {result.threshold:g}"
    )
    ax.set_xlabel("rejection threshold (best-intent confidence)")
    ax.set_ylabel("%")
    ax.set_ylim(0, 102)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_title(f"Matcher threshold sweep on {result.file}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
