"""Readable tables (Markdown, so they paste into the README) and one JSON line of every figure.

JSON keys follow the table rows: quality.<file>.<method>.<facts|out_of_scope|language>.<group>,
threshold_sweep, matcher, startup, e2e, memory, targets. A figure that was not measured
(--skip-e2e, a failed run) is null.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.e2e import E2E
from bench.quality import QualityResult
from bench.speed import MatcherSpeed, Startup
from bench.threshold import Sweep
from bot.engine.evaluate import FLAGS, Report, Tally

GROUPS = ("all", "ru", "en", *FLAGS)
METRICS = (
    ("facts", "facts answered right"),
    ("out_of_scope", "out of scope declined"),
    ("language", "answered in the right language"),
)
SPEED_HEADERS = ["figure", "value", "reference", "reference value", "ratio"]
TARGET_RSS_MB = 150.0
TARGET_MATCHER_US = 1000.0
TARGET_ASK_JSON_S = 2.0
TARGET_THROUGHPUT_RATIO = 0.8


@dataclass
class Results:
    quality: list[QualityResult]
    sweep: Sweep
    sweep_plot: str
    matcher: MatcherSpeed
    startup: Startup
    e2e: E2E | None
    problems: list[str] = field(default_factory=list)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A Markdown table with padded columns; `align` is one l/r per column (default: l, then r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if a == "r" else c.ljust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        "-" * (w + 1) + ":" if a == "r" else "-" * (w + 2)
        for w, a in zip(widths, align, strict=True)
    )
    return "\n".join([line(headers), rule + "|", *(line(r) for r in rows)])


def _pct(t: Tally) -> str:
    return f"{t.pct:.1f}%" if t.total else "-"


def _tallies(report: Report, metric: str) -> dict[str, Tally]:
    return {"facts": report.facts, "out_of_scope": report.oos, "language": report.lang}[metric]


def quality_text(q: QualityResult, tuned_on: str) -> str:
    head = f"### Answer quality: {q.label} ({q.facts + q.out_of_scope} questions: {q.facts} facts, {q.out_of_scope} out of scope)"
    if q.tuned_here:
        note = "Baseline thresholds chosen on this file (max facts% + out-of-scope%), their best case; the matcher runs with its own THRESHOLD."
    else:
        note = f"Held out: thresholds as chosen on {tuned_on}, nothing tuned on this file."
    parts = [head, note]
    first = q.methods[0].report
    for metric, title in METRICS:
        counts = _tallies(first, metric)
        headers = [title, "threshold"] + [f"{g} ({counts[g].total})" for g in GROUPS]
        rows = [
            [m.name, m.shown] + [_pct(_tallies(m.report, metric)[g]) for g in GROUPS]
            for m in q.methods
        ]
        parts.append(table(headers, rows))
    return "\n\n".join(parts)


def sweep_text(s: Sweep, plot: str) -> str:
    best = s.best
    shown = [r for r in s.rows if r.threshold % 4 == 0 or r.threshold == s.threshold]
    rows = []
    for r in shown:
        mark = " ← THRESHOLD" if r.threshold == s.threshold else ""
        rows.append(
            [
                f"{r.threshold:g}{mark}",
                f"{r.accepted:.1f}%",
                f"{r.facts:.1f}%",
                f"{r.out_of_scope:.1f}%",
                f"{r.criterion:.1f}",
            ]
        )
    parts = [
        f"### Matcher threshold sweep on {s.file} (chart: {plot}; every 2 in the JSON line)",
        "Confidence of the chosen intent, read with both thresholds at 0; unknown years, names, "
        f"qualified terms and 'when' still decline. Claims held at CLAIM_THRESHOLD = {s.claim_threshold:g}.",
        table(["threshold", "answered", "facts", "out of scope", "facts + oos"], rows),
        f"Best facts% + out-of-scope% on these files: {max(r.criterion for r in s.rows):.1f}, "
        f"at thresholds {_ranges(best)}.",
    ]
    if s.claim_rows:
        top = max(r.facts for r in s.claim_rows)
        at = [r.threshold for r in s.claim_rows if r.facts == top]
        here = next(r for r in s.claim_rows if r.threshold == s.claim_threshold)
        parts.append(
            "Claims alone, CLAIM_THRESHOLD swept: right verdict and fact "
            f"{here.facts:.1f}% at CLAIM_THRESHOLD = {s.claim_threshold:g}; best {top:.1f}% at {_ranges(at)}."
        )
    if s.folds:
        chosen = ", ".join(f"{f.chosen:g}" for f in s.folds)
        facts = sum(f.held_out.facts for f in s.folds) / len(s.folds)
        oos = sum(f.held_out.out_of_scope for f in s.folds) / len(s.folds)
        parts.append(
            f"{len(s.folds)}-fold cross-validation (THRESHOLD chosen on four folds, scored on the "
            f"fifth): chosen {chosen}; held-out facts {facts:.1f}%, out of scope {oos:.1f}%."
        )
    return "\n\n".join(parts)


def _ranges(values: list[float]) -> str:
    """2, 4, 6, 10 -> "2–6, 10" (the sweep's step is 2)."""
    spans: list[list[float]] = []
    for v in values:
        if spans and v - spans[-1][-1] <= 2:
            spans[-1].append(v)
        else:
            spans.append([v])
    return ", ".join(f"{s[0]:g}–{s[-1]:g}" if len(s) > 1 else f"{s[0]:g}" for s in spans)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def _row(
    figure: str, value: float | None, reference: str, ref: float | None, fmt: str
) -> list[str]:
    """A speed row: the figure, its reference measured in the same run, and their ratio."""

    def shown(v: float | None) -> str:
        return fmt.format(v) if v is not None else "-"

    return [figure, shown(value), reference, shown(ref), _ratio(value, ref)]


def speed_text(r: Results) -> str:
    m, st, e = r.matcher, r.startup, r.e2e
    us, sec, ms = "{:,.0f} µs", "{:.2f} s", "{:,.1f} ms"
    python = "`python -c pass`"
    rows = [
        _row(
            f"matcher, median per question ({m.questions} questions × {m.repeats})",
            m.median_us,
            f"rapidfuzz extractOne over the {m.examples:,} example strings, median",
            m.extract_one_median_us,
            us,
        ),
        _row("matcher, p99 per question", m.p99_us, "extractOne, p99", m.extract_one_p99_us, us),
        _row(
            f"`ask` start-up to the first answer (median of {st.runs})",
            st.ask_s,
            python,
            st.python_s,
            "{:.3f} s",
        ),
        _row(
            f"`ask --json`, {st.ask_json_answers} questions piped, start to exit",
            st.ask_json_100_s,
            python,
            st.python_s,
            "{:.3f} s",
        ),
    ]
    parts = ["### Speed and memory (each next to a reference measured in the same run)"]
    if e is None:
        parts.append(table(SPEED_HEADERS, rows, "lrlrr"))
        parts.append("End to end: not measured (" + ("; ".join(r.problems) or "--skip-e2e") + ").")
        return "\n\n".join(parts)
    b, o, s, t = e.bot, e.echo, e.shipped, e.echo_like_bot
    echo = "echo bot"
    like = "echo bot set up like the bot"
    rows += [
        _row(
            "`run` start-up to the first answer (update queued before start)",
            s.startup_s,
            "echo bot, same measurement",
            o.startup_s,
            sec,
        ),
        _row(
            f"throughput, {b.load_updates:,} updates from as many users, {b.concurrency} in flight",
            b.throughput,
            echo,
            o.throughput,
            "{:,.0f} /s",
        ),
        _row("throughput, the same run", b.throughput, like, t.throughput, "{:,.0f} /s"),
        _row("latency p50 under that load", b.load_p50_ms, echo, o.load_p50_ms, ms),
        _row("latency p99 under that load", b.load_p99_ms, echo, o.load_p99_ms, ms),
        _row(
            f"latency p50, one update at a time ({b.idle_updates})",
            b.idle_p50_ms,
            echo,
            o.idle_p50_ms,
            ms,
        ),
        _row("latency p99, one update at a time", b.idle_p99_ms, echo, o.idle_p99_ms, ms),
        _row(
            "bot process CPU per update under load",
            b.cpu_ms_per_update,
            echo,
            o.cpu_ms_per_update,
            "{:.2f} ms",
        ),
        _row(
            "bot process CPU per update, the same run",
            b.cpu_ms_per_update,
            like,
            t.cpu_ms_per_update,
            "{:.2f} ms",
        ),
        _row(
            "fake server CPU per update (the bench process)",
            b.server_cpu_ms_per_update,
            "in the echo run",
            o.server_cpu_ms_per_update,
            "{:.2f} ms",
        ),
        _row(
            "peak RSS of the bot process (VmHWM)", b.peak_rss_mb, echo, o.peak_rss_mb, "{:.0f} MB"
        ),
        _row("peak RSS, the same run", b.peak_rss_mb, like, t.peak_rss_mb, "{:.0f} MB"),
        _row("RSS after the load", b.rss_mb, echo, o.rss_mb, "{:.0f} MB"),
        _row(
            f"as shipped: throughput under its send limit ({s.load_updates} updates)",
            s.throughput,
            "the limit: 30 msg/s overall (Telegram's), burst 30",
            e.shipped_limit,
            "{:,.1f} /s",
        ),
    ]
    parts.append(table(SPEED_HEADERS, rows, "lrlrr"))
    health = [
        f"{run.label}: {run.answered}/{run.load_updates} answered, {run.failed_sends} sends refused, "
        f"{run.violations} Bot API violations, {run.log_warnings} warnings logged"
        for run in (s, b, o, t)
    ]
    rounds = "; ".join(f"{a:.2f} and {c:.2f}" for a, c in e.rounds)
    health.append(
        f"Throughput ratios against the echo bot and against it set up like the bot, per round "
        f"({len(e.rounds)}): {rounds}. The table shows the round with the median first ratio."
    )
    parts.append(
        "Throughput, latency, CPU and RSS: `technopolis-bot run` with only its global 30 msg/s "
        "send limit lifted (bench/bot_runner.py), against the fake Bot API on loopback, long "
        "polling. The echo bot (bench/echo_bot.py) is aiogram as its documentation writes one, "
        "the framework's floor. Set up like the bot (its session: JSON bodies, pinned Response "
        "models, the request policy; its garbage-collector settings) it is the second "
        "reference, the cost of the bot's own work with everything around it the same. "
        "Every update comes from "
        "a new user in a private chat, so per-user throttling and per-chat limits never apply. "
        "`run` start-up and the last row: the command as shipped.\n" + "\n".join(health)
    )
    return "\n\n".join(parts)


def targets(r: Results) -> list[tuple[str, str, str, bool | None]]:
    """(key, target, measured, met) for every target of the issues; None: not measured."""
    out: list[tuple[str, str, str, bool | None]] = []
    for q in r.quality:
        mine = q.methods[0].report
        others = [m.report for m in q.methods[1:]]
        for metric, word in (("facts", "facts"), ("out_of_scope", "out of scope")):
            value = _tallies(mine, metric)["all"].pct
            rivals = [_tallies(o, metric)["all"].pct for o in others]
            out.append(
                (
                    f"matcher_beats_baselines_{metric}_{q.label}",
                    f"matcher beats both baselines on {word}: {q.label}",
                    f"{value:.1f}% vs " + " / ".join(f"{v:.1f}%" for v in rivals),
                    all(value > v for v in rivals),
                )
            )
    m, st, e = r.matcher, r.startup, r.e2e
    out.append(
        (
            "matcher_median_under_1ms",
            "matcher median under 1 ms (one question, in process)",
            f"{m.median_us / 1000:.2f} ms",
            m.median_us < TARGET_MATCHER_US,
        )
    )
    out.append(
        (
            "ask_json_100_under_2s",
            "`ask --json`, 100 piped questions with start-up, under 2 s",
            f"{st.ask_json_100_s:.2f} s",
            st.ask_json_100_s < TARGET_ASK_JSON_S,
        )
    )
    if e is None:
        out.append(
            (
                "throughput_at_least_80pct_of_echo",
                "end-to-end throughput ≥ 80% of the echo bot's",
                "not measured",
                None,
            )
        )
        out.append(("peak_rss_under_150mb", "peak RSS under 150 MB", "not measured", None))
    else:
        ratio = e.bot.throughput / e.echo.throughput
        out.append(
            (
                "throughput_at_least_80pct_of_echo",
                "end-to-end throughput ≥ 80% of the echo bot's",
                f"{100 * ratio:.0f}% ({e.bot.throughput:,.0f} vs {e.echo.throughput:,.0f} /s)",
                ratio >= TARGET_THROUGHPUT_RATIO,
            )
        )
        vs_like = e.bot.throughput / e.echo_like_bot.throughput
        out.append(
            (
                "throughput_vs_echo_like_bot",
                "(no target) throughput against the echo bot set up like the bot",
                f"{100 * vs_like:.0f}% ({e.bot.throughput:,.0f} vs "
                f"{e.echo_like_bot.throughput:,.0f} /s)",
                None,
            )
        )
        out.append(
            (
                "peak_rss_under_150mb",
                "peak RSS under 150 MB",
                f"{e.bot.peak_rss_mb:.0f} MB (echo bot {e.echo.peak_rss_mb:.0f} MB)",
                e.bot.peak_rss_mb < TARGET_RSS_MB,
            )
        )
    return out


def targets_text(r: Results) -> str:
    def met(target: str, v: bool | None) -> str:
        if v is None:
            return "-" if target.startswith("(no target)") else "not measured"
        return "yes" if v else "NO"

    rows = [[t, measured, met(t, ok)] for _, t, measured, ok in targets(r)]
    return "### Targets (reported, not asserted)\n\n" + table(
        ["target", "measured", "met"], rows, "lrl"
    )


def _metric_json(report: Report, metric: str) -> dict[str, float | None]:
    tallies = _tallies(report, metric)
    return {g: round(tallies[g].pct, 2) if tallies[g].total else None for g in GROUPS}


def _r(v: float | None, digits: int = 3) -> float | None:
    return None if v is None else round(v, digits)


def figures(r: Results) -> dict[str, Any]:
    quality: dict[str, Any] = {}
    for q in r.quality:
        entry: dict[str, Any] = {
            "file": q.path,
            "tuned_here": q.tuned_here,
            "facts_questions": q.facts,
            "out_of_scope_questions": q.out_of_scope,
        }
        for m in q.methods:
            entry[m.name.lower().replace("-", "")] = {
                "threshold": _r(m.threshold, 4),
                **{metric: _metric_json(m.report, metric) for metric, _ in METRICS},
            }
        quality[q.label] = entry
    s, m, st, e = r.sweep, r.matcher, r.startup, r.e2e
    out: dict[str, Any] = {
        "quality": quality,
        "threshold_sweep": {
            "file": s.file,
            "threshold": s.threshold,
            "claim_threshold": s.claim_threshold,
            "best": s.best,
            "cross_validation": [
                {
                    "chosen": f.chosen,
                    "facts": _r(f.held_out.facts, 2),
                    "out_of_scope": _r(f.held_out.out_of_scope, 2),
                }
                for f in s.folds or []
            ],
            "plot": r.sweep_plot,
            "rows": [
                {
                    "threshold": row.threshold,
                    "answered": _r(row.accepted, 2),
                    "facts": _r(row.facts, 2),
                    "out_of_scope": _r(row.out_of_scope, 2),
                }
                for row in s.rows
            ],
        },
        "matcher": {
            "questions": m.questions,
            "repeats": m.repeats,
            "examples": m.examples,
            "median_us": _r(m.median_us, 1),
            "p99_us": _r(m.p99_us, 1),
            "extract_one_median_us": _r(m.extract_one_median_us, 1),
            "extract_one_p99_us": _r(m.extract_one_p99_us, 1),
            "median_ratio": _r(m.median_us / m.extract_one_median_us),
            "p99_ratio": _r(m.p99_us / m.extract_one_p99_us),
        },
        "startup": {
            "python_s": _r(st.python_s, 4),
            "ask_s": _r(st.ask_s),
            "ask_ratio": _r(st.ask_s / st.python_s, 2),
            "ask_json_100_s": _r(st.ask_json_100_s),
            "ask_json_100_ratio": _r(st.ask_json_100_s / st.python_s, 2),
            "run_s": _r(e.shipped.startup_s) if e else None,
            "echo_run_s": _r(e.echo.startup_s) if e else None,
            "run_ratio": _r(e.shipped.startup_s / e.echo.startup_s) if e else None,
        },
        "e2e": None,
        "memory": None,
        "targets": {key: ok for key, t, _, ok in targets(r) if not t.startswith("(no target)")},
        "problems": r.problems,
    }
    if e is not None:
        b, o = e.bot, e.echo
        out["e2e"] = {
            "updates": b.load_updates,
            "concurrency": b.concurrency,
            "answered": b.answered,
            "throughput_per_s": _r(b.throughput, 1),
            "echo_throughput_per_s": _r(o.throughput, 1),
            "throughput_ratio": _r(b.throughput / o.throughput),
            "latency_p50_ms": _r(b.load_p50_ms, 2),
            "latency_p99_ms": _r(b.load_p99_ms, 2),
            "echo_latency_p50_ms": _r(o.load_p50_ms, 2),
            "echo_latency_p99_ms": _r(o.load_p99_ms, 2),
            "idle_updates": b.idle_updates,
            "idle_latency_p50_ms": _r(b.idle_p50_ms, 2),
            "idle_latency_p99_ms": _r(b.idle_p99_ms, 2),
            "echo_idle_latency_p50_ms": _r(o.idle_p50_ms, 2),
            "echo_idle_latency_p99_ms": _r(o.idle_p99_ms, 2),
            "cpu_ms_per_update": _r(b.cpu_ms_per_update),
            "echo_cpu_ms_per_update": _r(o.cpu_ms_per_update),
            "server_cpu_ms_per_update": _r(b.server_cpu_ms_per_update),
            "echo_server_cpu_ms_per_update": _r(o.server_cpu_ms_per_update),
            "echo_like_bot_throughput_per_s": _r(e.echo_like_bot.throughput, 1),
            "throughput_ratio_like_bot": _r(b.throughput / e.echo_like_bot.throughput),
            "rounds": len(e.rounds),
            "round_throughput_ratios": [_r(a) for a, _ in e.rounds],
            "round_throughput_ratios_like_bot": [_r(c) for _, c in e.rounds],
            "echo_like_bot_cpu_ms_per_update": _r(e.echo_like_bot.cpu_ms_per_update),
            "shipped_updates": e.shipped.load_updates,
            "shipped_throughput_per_s": _r(e.shipped.throughput, 1),
            "shipped_limit_per_s": e.shipped_limit,
            "failed_sends": sum(run.failed_sends for run in (b, o, e.shipped, e.echo_like_bot)),
            "violations": sum(run.violations for run in (b, o, e.shipped, e.echo_like_bot)),
        }
        out["memory"] = {
            "peak_rss_mb": _r(b.peak_rss_mb, 1),
            "echo_peak_rss_mb": _r(o.peak_rss_mb, 1),
            "rss_mb": _r(b.rss_mb, 1),
            "echo_rss_mb": _r(o.rss_mb, 1),
            "ratio": _r(b.peak_rss_mb / o.peak_rss_mb),
            "echo_like_bot_peak_rss_mb": _r(e.echo_like_bot.peak_rss_mb, 1),
            "shipped_peak_rss_mb": _r(e.shipped.peak_rss_mb, 1),
        }
    return out


def render(r: Results) -> str:
    tuned_on = next((q.label for q in r.quality if q.tuned_here), "?")
    parts = [quality_text(q, tuned_on) for q in r.quality]
    parts += [sweep_text(r.sweep, r.sweep_plot), speed_text(r), targets_text(r)]
    return "\n\n".join(parts) + "\n\n" + json.dumps(figures(r), ensure_ascii=False)
