"""Grouping unanswered questions, and `technopolis-bot misses` that prints the groups."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import AnswerEngine
from bot.misses.record import Miss
from bot.misses.report import engine_normalize, group, parse_since
from bot.misses.sqlite import DAY, MissLog, misses_path

WEATHER = ["какая погода в Москве?", "Какая погода в Москве сегодня?", "погода в москве"]
CIRCUS = ["сколько стоит билет в цирк?", "Сколько стоит билет в цирк номер 5?"]


@pytest.fixture(scope="module")
def normalize():
    return engine_normalize(AnswerEngine.load())


def miss(text: str | None, intent: str | None = "what_is", **fields: object) -> Miss:
    values: dict[str, object] = {
        "ts": time.time(),
        "lang": "ru",
        "kind": "out_of_scope",
        "intent": intent,
        "score": 4.0,
        "text": text,
        **fields,
    }
    return Miss(**values)  # type: ignore[arg-type]


def test_similar_questions_group_and_different_ones_do_not(normalize) -> None:
    found = [miss(t) for t in WEATHER] + [miss(t, "countries", score=6.0) for t in CIRCUS]
    found.append(miss("pogoda v moskve", lang="en"))  # transliterated: the engine reads it
    weather, circus = group(found, normalize=normalize)
    assert weather.count == 4 and circus.count == 2
    assert weather.question in WEATHER and set(weather.examples) <= {*WEATHER, "pogoda v moskve"}
    assert weather.langs == ("en", "ru") and weather.intent == "what_is"
    assert circus.intent == "countries" and circus.score == 6.0


def test_without_the_engine_case_and_spacing_still_group() -> None:
    [one] = group([miss("Погода  в Москве"), miss("погода в москве")])
    assert one.count == 2 and one.question in ("Погода в Москве", "погода в москве")


def test_questions_without_text_group_by_nearest_intent() -> None:
    found = [miss(None, "what_is"), miss(None, "what_is"), miss(None, "countries")]
    first, second = group(found)
    assert (first.count, first.intent, first.question) == (2, "what_is", None)
    assert (second.count, second.intent) == (1, "countries")


def test_none_of_these_marks_its_question_not_a_new_one() -> None:
    asked = miss("какая погода в Москве?", key="k1")
    pressed = miss("какая погода в Москве?", kind="none_of_these", key="k1")
    orphan = miss("погода в москве", kind="none_of_these", key="k-old")
    [weather] = group([asked, pressed, orphan])
    assert weather.count == 2 and weather.none_of_these == 2


def test_top_keeps_the_biggest_groups() -> None:
    found = [miss("погода")] * 3 + [miss("цирк")] * 2 + [miss("аренда")]
    assert [g.question for g in group(found, top=2)] == ["погода", "цирк"]


@pytest.mark.parametrize(("value", "seconds"), [("7d", 7 * DAY), ("24h", DAY), ("30m", 1800)])
def test_since_values(value, seconds) -> None:
    assert parse_since(value) == seconds


def test_a_bad_since_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_since("week")


# -- the command --------------------------------------------------------------------


def fill(data_dir: Path, found: list[Miss]) -> None:
    log = MissLog(misses_path(data_dir))
    for m in found:
        log.record(m)
    assert log.close()


def test_misses_prints_groups_with_counts_and_nearest_intent(tmp_path, capsys) -> None:
    now = time.time()
    fill(
        tmp_path,
        [miss(t, ts=now - 60) for t in WEATHER]
        + [miss(t, "countries", ts=now - 60) for t in CIRCUS]
        + [miss("очень старый вопрос", ts=now - 10 * DAY)],
    )
    assert main(["misses", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Unanswered questions in the last 7d: 5, in 2 groups shown." in out
    weather, circus = [line for line in out.splitlines() if "(4.0)" in line]
    assert weather.split()[:3] == ["3", "0", "what_is"]
    assert circus.split()[:3] == ["2", "0", "countries"]
    assert "очень старый" not in out
    assert main(["misses", "--data-dir", str(tmp_path), "--since", "30d", "--top", "1"]) == 0
    assert "6, in 1 group shown" in capsys.readouterr().out


def test_misses_json_is_one_object_per_group(tmp_path, capsys) -> None:
    fill(tmp_path, [miss(t) for t in WEATHER] + [miss(None, "countries", lang="en")])
    assert main(["misses", "--data-dir", str(tmp_path), "--json"]) == 0
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(g["count"], g["intent"]) for g in groups] == [(3, "what_is"), (1, "countries")]
    assert groups[0]["question"] in WEATHER and groups[1]["question"] is None
    assert set(groups[0]) == {
        "count",
        "none_of_these",
        "question",
        "examples",
        "langs",
        "intent",
        "score",
        "last_seen",
    }


def test_misses_with_no_database_says_so(tmp_path, capsys) -> None:
    assert main(["misses", "--data-dir", str(tmp_path / "nothing")]) == 0
    assert "No unanswered questions recorded in the last 7d" in capsys.readouterr().out
    assert not (tmp_path / "nothing").exists()  # reading never creates it


def test_misses_reads_data_dir_from_the_environment(tmp_path, capsys, monkeypatch) -> None:
    fill(tmp_path, [miss("погода")])
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["misses"]) == 0
    assert "погода" in capsys.readouterr().out


def test_misses_refuses_a_bad_since(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["misses", "--since", "week"])
    assert exc.value.code == 2
    assert "expected a number and d, h or m" in capsys.readouterr().err
