"""`python -m bench.watch`: precision and recall of watch mode and /check on blind message files.

Both files were written by a helper that saw only the article and the issues, never the
knowledge base or the code (see their headers); nothing is tuned on them. Watch mode
(`AnswerEngine.watch`) must stay silent on ordinary chatter and on right claims, and correct a
wrong claim with the article's value (every pattern of its fact in the correction). /check
(`AnswerEngine.check`) must give each claim the right verdict.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import AnswerEngine
from bot.engine.yamlio import read_yaml

ROOT = Path(__file__).resolve().parent.parent
CHATTER = ROOT / "bench" / "watch-chatter.yaml"
CLAIMS = ROOT / "bench" / "watch-claims.yaml"


@dataclass
class WatchReport:
    chatter: int = 0
    chatter_corrected: list[str] = field(default_factory=list)
    wrong: int = 0
    wrong_corrected: int = 0  # with the article's value
    wrong_missed: list[str] = field(default_factory=list)
    right: int = 0
    right_corrected: list[str] = field(default_factory=list)
    check_right_verdict: int = 0  # /check: a claim given the verdict it deserves
    ms_per_message: float = 0.0

    def summary(self) -> dict[str, float]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 0.0

        return {
            "chatter_messages": self.chatter,
            "chatter_corrected": len(self.chatter_corrected),
            "chatter_corrected_pct": pct(len(self.chatter_corrected), self.chatter),
            "wrong_claims": self.wrong,
            "wrong_corrected_pct": pct(self.wrong_corrected, self.wrong),
            "right_claims": self.right,
            "right_corrected": len(self.right_corrected),
            "check_verdicts_pct": pct(self.check_right_verdict, self.wrong + self.right),
            "ms_per_message": round(self.ms_per_message, 2),
        }


def measure(
    engine: AnswerEngine, chatter_path: Path = CHATTER, claims_path: Path = CLAIMS
) -> WatchReport:
    report = WatchReport()
    start = time.perf_counter()
    messages = 0
    for item in read_yaml(chatter_path)["messages"]:
        messages += 1
        report.chatter += 1
        if engine.watch(item["text"]) is not None:
            report.chatter_corrected.append(item["text"])
    data = read_yaml(claims_path)
    facts: dict[str, list[str]] = data["facts"]
    for item in data["claims"]:
        messages += 1
        text, right = item["text"], bool(item["right"])
        ans = engine.watch(text)
        verdicts = [a.claim.confirmed for a in engine.check(text) if a.claim is not None]
        if right:
            report.right += 1
            if ans is not None:
                report.right_corrected.append(text)
            report.check_right_verdict += bool(verdicts) and all(v is not False for v in verdicts)
        else:
            report.wrong += 1
            patterns = facts[item["fact"]]
            ok = ans is not None and all(re.search(p, ans.text, re.I) for p in patterns)
            report.wrong_corrected += ok
            if not ok:
                report.wrong_missed.append(text)
            report.check_right_verdict += False in verdicts
    report.ms_per_message = 1000 * (time.perf_counter() - start) / max(1, messages)
    return report


def render(report: WatchReport) -> str:
    s = report.summary()
    lines = [
        "### Watch mode and /check",
        "",
        "| figure | measured | target |",
        "|---|---:|---:|",
        f"| chatter corrected (of {s['chatter_messages']}) | {s['chatter_corrected']} ({s['chatter_corrected_pct']}%) | at most 1 (0.3%) |",
        f"| wrong claims corrected with the article's value (of {s['wrong_claims']}) | {s['wrong_corrected_pct']}% | at least 90% |",
        f"| right claims corrected (of {s['right_claims']}) | {s['right_corrected']} | 0 |",
        f"| /check: right verdict on a claim (of {s['wrong_claims'] + s['right_claims']}) | {s['check_verdicts_pct']}% | - |",
        f"| time per message, watch and /check | {s['ms_per_message']} ms | - |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.watch", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="also list the messages it got wrong (the files stop being blind to whoever reads them)",
    )
    parser.add_argument("--chatter", type=Path, default=CHATTER, help="default: %(default)s")
    parser.add_argument("--claims", type=Path, default=CLAIMS, help="default: %(default)s")
    args = parser.parse_args(argv)
    report = measure(AnswerEngine.load(), args.chatter, args.claims)
    print(render(report))
    if args.show:
        for title, items in (
            ("chatter corrected", report.chatter_corrected),
            ("right claims corrected", report.right_corrected),
            ("wrong claims not corrected", report.wrong_missed),
        ):
            print(f"\n{title}:")
            print("\n".join(f"  {t!r}" for t in items))
    print(json.dumps({"watch": report.summary()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
