"""Scoring the engine on a question file (the format of shared/eval/dev-questions.yaml).

A fact question passes when the answer matches every pattern of its fact; a claim (`claim:
true|false`) passes only when, besides that, the engine's verdict is the right one; an
out-of-scope question passes when the engine declines; language is checked on every question.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.engine.engine import AnswerEngine
from bot.engine.types import Answer, AnswerKind
from bot.engine.yamlio import read_yaml

FLAGS = ("typo", "translit", "layout")


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str
    lang: str
    fact: str | None = None
    oos: bool = False
    claim: bool | None = None  # the article confirms (true) or contradicts (false) what it states
    typo: bool = False
    translit: bool = False
    layout: bool = False


class QuestionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: dict[str, list[str]]
    questions: list[Question]


@dataclass
class Tally:
    passed: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.passed += ok
        self.total += 1

    @property
    def pct(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.pct:5.1f}% ({self.passed}/{self.total})" if self.total else "    -"


@dataclass
class Failure:
    question: Question
    answer: Answer
    reason: str


@dataclass
class Report:
    facts: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    oos: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    claims: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    lang: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    failures: list[Failure] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "facts": self.facts["all"].pct,
            "out_of_scope": self.oos["all"].pct,
            "claims": self.claims["all"].pct,
            "language": self.lang["all"].pct,
        }


def load_questions(path: Path) -> QuestionFile:
    return QuestionFile.model_validate(read_yaml(path))


def fact_ok(patterns: list[str], answer: Answer) -> bool:
    return answer.kind is AnswerKind.FACT and all(re.search(p, answer.text, re.I) for p in patterns)


def verdict_ok(expected: bool, answer: Answer) -> bool:
    return answer.claim is not None and answer.claim.confirmed is expected


def evaluate(engine: AnswerEngine, qfile: QuestionFile) -> Report:
    report = Report()
    for q in qfile.questions:
        ans = engine.answer(q.q)
        groups = ["all", q.lang] + [f for f in FLAGS if getattr(q, f)]
        if q.oos:
            _score_out_of_scope(report, q, ans, groups)
        else:
            _score_fact(report, q, ans, groups, qfile.facts.get(q.fact or "", []))
        lang_ok = ans.lang == q.lang
        for g in groups:
            report.lang[g].add(lang_ok)
        if not lang_ok:
            report.failures.append(Failure(q, ans, f"answered in {ans.lang}, expected {q.lang}"))
    return report


def _score_out_of_scope(report: Report, q: Question, ans: Answer, groups: list[str]) -> None:
    """Declining is right: "no answer" or, for an empty message, nothing to answer."""
    ok = ans.kind in (AnswerKind.OUT_OF_SCOPE, AnswerKind.EMPTY)
    for g in groups:
        report.oos[g].add(ok)
    if not ok:
        report.failures.append(Failure(q, ans, "answered an out-of-scope question"))


def _score_fact(
    report: Report, q: Question, ans: Answer, groups: list[str], patterns: list[str]
) -> None:
    """The fact's patterns all match; a claim also needs the right verdict."""
    ok = fact_ok(patterns, ans)
    reason = f"expected {q.fact}"
    if ok and q.claim is not None and not verdict_ok(q.claim, ans):
        ok = False
        got = "no verdict" if ans.claim is None else f"confirmed={ans.claim.confirmed}"
        reason = f"expected the verdict confirmed={q.claim} on {q.fact}, got {got}"
    for g in groups:
        report.facts[g].add(ok)
        if q.claim is not None:
            report.claims[g].add(ok)
    if not ok:
        report.failures.append(Failure(q, ans, reason))


def format_report(report: Report) -> str:
    rows = ["all", "ru", "en", *FLAGS]
    head = ("facts", "out of scope", "claim verdicts", "language")
    lines = [f"{'group':<10} " + " ".join(f"{h:>16}" for h in head)]
    for g in rows:
        cells = (report.facts[g], report.oos[g], report.claims[g], report.lang[g])
        lines.append(f"{g:<10} " + " ".join(f"{c!s:>16}" for c in cells))
    if report.failures:
        lines.append("")
        lines.append(f"failures ({len(report.failures)}):")
        for f in report.failures:
            got = f.answer.intent or f.answer.kind.value
            lines.append(
                f"  {f.question.q!r}: {f.reason}; got {got} (score {f.answer.score:.1f}, {f.answer.lang})"
            )
    s = report.summary()
    lines.append("")
    lines.append(
        f"facts {s['facts']:.1f}%  out of scope {s['out_of_scope']:.1f}%  "
        f"claim verdicts {report.claims['all']!s}  language {s['language']:.1f}%"
    )
    return "\n".join(lines)
