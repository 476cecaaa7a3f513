"""The technopolis-bot command as a user and other tools see it: real processes, real pipes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from procs import run_cli

ROOT = Path(__file__).resolve().parents[2]
DEV_QUESTIONS = ROOT / "bench" / "questions" / "dev-questions.yaml"  # shipped copy


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "KNOWLEDGE_DIR")}
    full_env.update(env or {})
    return run_cli(*args, env=full_env, cwd=ROOT, stdin=stdin)


def test_ask_json_shape() -> None:
    res = run("ask", "--json", "how much did residents export?")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {
        "question",
        "lang",
        "matched",
        "intent",
        "score",
        "answer",
        "sources",
        "suggestions",
        "claim",
    }
    assert obj["claim"] is None  # a question, not a claim
    assert obj["matched"] is True and obj["intent"] == "export_volume" and obj["lang"] == "en"
    assert 0 <= obj["score"] <= 100
    assert "1.2 billion" in obj["answer"] and "<" not in obj["answer"]
    assert obj["sources"][0]["speaker"].startswith("Vladimir Efimov")
    assert "1,2 миллиарда" in obj["sources"][0]["quote"]


def test_ask_json_claim() -> None:
    res = run("ask", "--json", "экспорт вырос вдвое, так?")
    claim = json.loads(res.stdout)["claim"]
    assert claim == {
        "confirmed": False,
        "stated": ["вдвое"],
        "article": "в три раза больше, чем в 2019 году",
    }


def test_ask_reads_every_line_of_stdin() -> None:
    questions = [
        "сколько стран?",
        "",
        "🙂",
        "who is the mayor of Moscow?",
        "<b>&amp;",
        "x" * 10_000,
        "\x01\x02",
        "rfrbt gkjoflrb d ptktyjuhflt",
    ]
    res = run("ask", "--json", stdin="\n".join(questions) + "\n")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert rows[0]["intent"] == "countries"
    assert rows[1]["matched"] is False and rows[1]["suggestions"]
    assert rows[3]["matched"] is False and rows[3]["intent"] is None
    assert rows[7]["intent"] == "zelenograd_sites" and rows[7]["lang"] == "ru"


def test_ask_lang_override() -> None:
    obj = json.loads(run("ask", "--json", "--lang", "en", "сколько стран?").stdout)
    assert obj["lang"] == "en" and "20" in obj["answer"]


def test_ask_plain_shows_the_quote() -> None:
    res = run("ask", "Кто такой Дегтев?")
    assert res.returncode == 0
    assert "Геннадий Дегтев" in res.stdout and "> «" in res.stdout


def test_chat_is_pipeable() -> None:
    res = run("chat", stdin="привет\nсколько резидентов?\nкакая погода?\n")
    assert res.returncode == 0, res.stderr
    assert "180" in res.stdout
    assert "В статье об этом не говорится" in res.stdout


def test_run_without_token_opens_the_terminal_chat() -> None:
    res = run("run", stdin="сколько площадок?\n")
    assert res.returncode == 0, res.stderr
    assert "223,3" in res.stdout
    assert "BOT_TOKEN is not set" in res.stderr


def test_malformed_token_is_one_line_and_exit_2() -> None:
    res = run("run", env={"BOT_TOKEN": "not-a-token"})
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "malformed" in res.stderr
    assert "not-a-token" not in res.stderr and "Traceback" not in res.stderr


def test_validate_ok() -> None:
    res = run("validate")
    assert res.returncode == 0 and "OK" in res.stdout


def test_knowledge_env_and_flag(tmp_path: Path) -> None:
    res = run("ask", "x", env={"KNOWLEDGE_DIR": str(tmp_path)})
    assert res.returncode == 2 and res.stdout == ""
    assert "article.yaml: file is missing" in res.stderr and "Traceback" not in res.stderr
    res = run("--knowledge", str(tmp_path / "missing"), "validate")
    assert res.returncode == 2 and "does not exist" in res.stderr


def test_eval_reports_groups_and_failures() -> None:
    res = run("eval", str(DEV_QUESTIONS), "--json")
    assert res.returncode == 0, res.stderr
    for word in ("facts", "out of scope", "language", "typo", "translit", "layout"):
        assert word in res.stdout
    summary = json.loads(res.stdout.splitlines()[-1])
    assert summary["facts"] >= 97 and summary["out_of_scope"] >= 95 and summary["language"] >= 98


def test_eval_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text("questions: [1, 2", encoding="utf-8")
    res = run("eval", str(bad))
    assert res.returncode == 2 and "cannot read" in res.stderr


def test_bad_setting_is_one_line_and_exit_2() -> None:
    res = run("run", env={"BOT_TOKEN": "123456:" + "A" * 35, "WEBHOOK_PORT": "abc"})
    assert res.returncode == 2
    assert "WEBHOOK_PORT" in res.stderr and "Traceback" not in res.stderr
    assert "AAAAAAAA" not in res.stderr
