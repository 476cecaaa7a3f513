"""The knowledge base loads, and a broken one is refused with file, intent and what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import AnswerEngine, KnowledgeError, load_knowledge
from bot.engine.knowledge import fold


def test_shipped_knowledge_is_valid_and_complete() -> None:
    kb = load_knowledge()
    required = {
        "export_volume",
        "growth",
        "share_alltime",
        "exporters_share",
        "countries",
        "growth_reasons",
        "microelectronics",
        "other_leaders",
        "other_leaders_sum",
        "me_destination",
        "battery_destination",
        "disinfection_destination",
        "security_destination",
        "sites",
        "area",
        "pechatniki",
        "zelenograd_sites",
        "new_technopark",
        "residents",
        "efimov",
        "prokhorov",
        "degtev",
        "author",
        "quote_source",
        "what_is",
        "summary",
        "greeting",
        "thanks",
        "help",
    }
    assert required <= set(kb.intents)
    article = fold(kb.article_text)
    for intent in kb.intents.values():
        assert len(intent.examples.ru) >= 10 and len(intent.examples.en) >= 10, intent.id
        for src in intent.sources:
            assert fold(src.quote) in article


def test_article_metadata() -> None:
    kb = load_knowledge()
    assert kb.article.author.ru == "Карина Камалова"
    assert kb.article.rubric == "Сделано в России // Made in Russia"
    assert kb.article.year == 2020
    assert kb.article.people["efimov"].published_on == "mos.ru"
    assert kb.article_text.startswith("Рост экспорта редизентов")


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(folder)
    return [str(p) for p in err.value.problems]


def test_unknown_key(kb_copy: Path) -> None:
    _edit(kb_copy / "intents/export.yaml", "    related: [growth", "    relatd: [growth")
    problems = _problems(kb_copy)
    assert any(
        "intents/export.yaml: intent export_volume" in p and "relatd: unknown key" in p
        for p in problems
    )


def test_missing_language(kb_copy: Path) -> None:
    path = kb_copy / "intents/export.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(\n    answer:\n      ru: [^\n]*\n)      en: [^\n]*\n", r"\1", text, count=1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(kb_copy)
    assert any(
        "intent export_volume" in p and "answer.en" in p and "required" in p.lower()
        for p in problems
    )


def test_missing_key(kb_copy: Path) -> None:
    path = kb_copy / "intents/export.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n    question:\n      ru: [^\n]*\n      en: [^\n]*\n", "\n", text, count=1)
    path.write_text(text, encoding="utf-8")
    assert any("intent export_volume" in p and "question" in p for p in _problems(kb_copy))


def test_duplicate_id(kb_copy: Path) -> None:
    _edit(kb_copy / "intents/export.yaml", "  - id: growth\n", "  - id: export_volume\n")
    assert any("duplicate id" in p and "export_volume" in p for p in _problems(kb_copy))


def test_same_example_under_two_intents(kb_copy: Path) -> None:
    kb = load_knowledge(kb_copy)
    borrowed = kb.intents["growth"].examples.en[0]
    _edit(
        kb_copy / "intents/export.yaml",
        "        - exports amount\n",
        f"        - {borrowed.upper()}!\n",
    )
    problems = _problems(kb_copy)
    assert any(
        ("intent export_volume" in p and "also stands under intent growth" in p)
        or ("intent growth" in p and "also stands under intent export_volume" in p)
        for p in problems
    )


def test_quote_not_verbatim(kb_copy: Path) -> None:
    _edit(kb_copy / "intents/export.yaml", "на 1,2 миллиарда рублей\n", "на 1,3 миллиарда рублей\n")
    problems = _problems(kb_copy)
    assert any("intent export_volume" in p and "not verbatim" in p for p in problems)


def test_whitespace_in_quote_is_folded(kb_copy: Path) -> None:
    _edit(
        kb_copy / "intents/export.yaml",
        "по итогам прошлого года экспортировали",
        "по итогам   прошлого\n          года экспортировали",
    )
    assert "export_volume" in load_knowledge(kb_copy).intents


def test_figure_not_in_quote(kb_copy: Path) -> None:
    _edit(
        kb_copy / "intents/export.yaml",
        "exported goods worth 1.2 billion roubles",
        "exported goods worth 2 billion roubles",
    )
    problems = _problems(kb_copy)
    assert any(
        "intent export_volume" in p and "answer.en" in p and "'2 billion'" in p for p in problems
    )


def test_number_word_not_in_quote(kb_copy: Path) -> None:
    kb = load_knowledge(kb_copy)
    answer = kb.intents["countries"].answer.ru
    _edit(
        kb_copy / kb.intent_files["countries"],
        answer,
        answer.rstrip(".") + ", а в пять из них — впервые.",
    )
    assert any("intent countries" in p and "пять" in p for p in _problems(kb_copy))


def test_invalid_yaml_and_cli_exit_code(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb_copy / "intents/broken.yaml").write_text("intents:\n  - id: [unclosed\n", encoding="utf-8")
    assert main(["validate", str(kb_copy)]) == 2
    err = capsys.readouterr().err
    assert "intents/broken.yaml" in err and "not valid YAML" in err
    assert "Traceback" not in err


def test_a_key_given_twice_is_refused(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML lets the second copy win silently; an edited list would then be ignored.
    chatter = kb_copy / "chatter.yaml"
    chatter.write_text(
        chatter.read_text(encoding="utf-8") + "own:\n  ru: [мы]\n  en: [we]\n", encoding="utf-8"
    )
    assert main(["validate", str(kb_copy)]) == 2
    err = capsys.readouterr().err
    assert "chatter.yaml" in err and "'own' is given twice" in err and "Traceback" not in err


def test_validate_lists_every_problem(kb_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(kb_copy / "intents/export.yaml", "    related: [growth", "    relatd: [growth")
    _edit(kb_copy / "intents/export.yaml", "на 1,2 миллиарда рублей\n", "на 1,3 миллиарда рублей\n")
    _edit(kb_copy / "ui.yaml", '  did_you_mean: "Did you mean:"\n', "")
    assert main(["--knowledge", str(kb_copy), "validate"]) == 2
    err = capsys.readouterr().err
    assert "relatd" in err and "ui.yaml: en.did_you_mean" in err


def test_missing_folder(tmp_path: Path) -> None:
    assert any("does not exist" in p for p in _problems(tmp_path / "nope"))


def test_yaml_words_are_not_booleans(kb_copy: Path) -> None:
    # "on" / "no" are stop words, not booleans (YAML 1.1 would read them as True/False).
    kb = load_knowledge(kb_copy)
    assert "on" in kb.lexicon.stopwords.en and "no" in kb.lexicon.stopwords.en


def test_a_phrase_leaves_its_own_replacement_alone(engine: AnswerEngine) -> None:
    # "антитеррор" once matched inside "антитеррористическое" and doubled its tail, and
    # "квадратных" became "квадратных метров метров": each replacement must read as itself.
    for phrase in engine.kb.lexicon.phrases:
        out = engine.normalizer.rephrase(phrase.replace)
        assert out.strip() == phrase.replace.strip(), (phrase.pattern, out)
