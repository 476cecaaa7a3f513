"""`technopolis-bot run`, with only the bot's global send limit lifted: the throughput run.

As shipped, the bot paces everything it sends to Telegram's 30 messages a second overall,
so 5,000 answers would take 167 s whatever the bot costs: the run would measure that limit.
This lifts it, and nothing else (per-chat limits, throttling, retries stay), then runs the
same `main(["run"])` the console script runs. The echo bot uses the same session limits.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from bot.telegram import session

GLOBAL_RATE = 1e9


@dataclass(frozen=True)
class LiftedLimits(session.Limits):
    global_rate: float = GLOBAL_RATE
    global_burst: float = GLOBAL_RATE


def main() -> int:
    # build_session(url, None) -> RequestPolicy(None) -> session.Limits(): patch that name.
    session.Limits = LiftedLimits  # type: ignore[misc]
    from bot.cli import main as cli_main

    return cli_main(["run", "--require-token"])


if __name__ == "__main__":
    sys.exit(main())
