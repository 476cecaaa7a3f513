"""Each normalization step, seen through the words the matcher gets and the answer it leads to."""

from __future__ import annotations

import pytest

from bot.engine import AnswerEngine, AnswerKind
from bot.engine.normalize import clean
from bot.engine.scripts import layout_to_en, layout_to_ru, translit_to_ru


def words(engine: AnswerEngine, text: str) -> list[str]:
    return [t.surface for t in engine.normalizer.read(clean(text)).tokens]


def stems(engine: AnswerEngine, text: str) -> list[str]:
    return [t.stem for t in engine.normalizer.read(clean(text)).tokens]


def test_case_yo_and_punctuation(engine: AnswerEngine) -> None:
    assert stems(engine, "ОБЪЁМ ЭКСПОРТА?!") == stems(engine, "объем экспорта")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("резидентов", "резиденты"),
        ("площадках", "площадки"),
        ("exporting", "exported"),
        ("countries", "country"),
    ],
)
def test_inflection_shares_a_stem(engine: AnswerEngine, a: str, b: str) -> None:
    assert stems(engine, a) == stems(engine, b)


def test_stop_words_are_dropped(engine: AnswerEngine) -> None:
    assert words(engine, "а скажи-ка мне, пожалуйста, про экспорт") == ["экспорт"]
    assert words(engine, "please tell me about the exports") == ["exports"]


def test_synonym_groups_share_a_stem(engine: AnswerEngine) -> None:
    assert stems(engine, "аккумуляторы") == stems(engine, "батареи") == stems(engine, "batteries")
    assert stems(engine, "продали") == stems(engine, "экспортировали")


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("резеденты", "резиденты"),
        ("exprots", "exports"),
        ("totl", "total"),
        ("микроэлектронка", "микроэлектроника"),
    ],
)
def test_typos_are_corrected_against_the_vocabulary(
    engine: AnswerEngine, typo: str, fixed: str
) -> None:
    assert stems(engine, typo) == stems(engine, fixed)
    tok = engine.normalizer.read(typo).tokens[0]
    assert tok.known and tok.corrected


def test_real_words_are_not_corrected_into_others(engine: AnswerEngine) -> None:
    # "teach" is one letter from "tech" (and "reach"), but it is an English word of its own.
    tok = engine.normalizer.read("teach").tokens[0]
    assert not tok.known and not tok.corrected


def test_keyboard_layout_both_ways() -> None:
    assert layout_to_ru("rfrbt gkjoflrb d ptktyjuhflt") == "какие площадки в зеленограде"
    assert layout_to_en("рщц ьгср") == "how much"


def test_transliteration() -> None:
    assert translit_to_ru("skolko rezidentov") == "сколко резидентов"
    assert translit_to_ru("shchetka zhuk") == "щетка жук"


@pytest.mark.parametrize(
    ("latin", "meant"),
    [
        # a word's first "e": "э" in "eto", "ekonomika", "е" in "esli", "ego" and in a name
        ("eto ekonomika esli ego", "это экономика если его"),
        ("nam Efimov pisal", "нам ефимов писал"),
        # no soft sign in Latin letters: "stat" is "стать" (not "стат", the stem of "статья"),
        # "pyat" is "пять"; "brat" and "stal" are words as they are
        ("kak stat ekspertom", "как стать экспертом"),
        ("pyat let brat stal", "пять лет брат стал"),
    ],
)
def test_transliteration_spells_words_as_the_language_does(
    engine: AnswerEngine, latin: str, meant: str
) -> None:
    assert engine.normalizer._spelled(translit_to_ru(latin)) == meant


def test_becoming_a_resident_in_latin_letters_is_not_asked_about_the_article(
    engine: AnswerEngine,
) -> None:
    # "stat" once read "стат", the stem of "статья", and answered the residents' count
    assert engine.answer("kak mne stat rezidentom tekhnopolisa").kind is AnswerKind.OUT_OF_SCOPE
    assert engine.answer("a Efimovu skolko let voobshche").lang == "ru"


def test_wrong_layout_question_is_read_as_russian(engine: AnswerEngine) -> None:
    reading = engine.normalizer.read(clean("crjkmrj cnhfy"))
    assert reading.how == "layout"
    assert "стран" in " ".join(t.surface for t in reading.tokens)


def test_english_on_russian_layout_is_read_as_english(engine: AnswerEngine) -> None:
    answer = engine.answer("рщц ьгср вшв куышвутеы учзщке")  # "how much did residents export"
    assert answer.lang == "en"
    assert answer.intent == "export_volume"


def test_transliterated_question_is_read_as_russian(engine: AnswerEngine) -> None:
    reading = engine.normalizer.read(clean("skolko rezidentov"))
    assert reading.how == "translit"
    assert [t.surface for t in reading.tokens] == ["сколько", "резидентов"]


def test_transliterated_place_name_is_not_corrected_to_a_common_word(engine: AnswerEngine) -> None:
    # "skolkovo" -> "сколково", two letters from "сколько": transliteration loses soft signs,
    # not whole letters, so it stays an unknown word.
    tokens = engine.normalizer.read(clean("skolko rezidentov v skolkovo")).tokens
    assert [t.known for t in tokens] == [True, True, False]


@pytest.mark.parametrize(
    "text",
    [
        "/ask сколько стран",
        "/ask@technopolis_bot сколько стран",
        "@technopolis_bot сколько стран",
        "@technopolis_bot, сколько стран",
    ],
)
def test_leading_mention_and_ask_are_removed(text: str) -> None:
    assert clean(text) == "сколько стран"


def test_control_characters_are_removed() -> None:
    assert clean("экс\x00порт\u200b") == "экс порт"


@pytest.mark.parametrize("word", ["Ангстреме", "Ангстрема", "Ангстрем"])
def test_a_name_in_any_case_is_the_known_name(engine: AnswerEngine, word: str) -> None:
    tokens = engine.normalizer.read(f"что делают в {word}?").tokens
    name = next(t for t in tokens if t.surface == word.lower())
    assert name.known and name.stem == engine.normalizer.read("Ангстрем").tokens[0].stem


def test_a_short_stop_word_with_two_letters_swapped_is_dropped(engine: AnswerEngine) -> None:
    assert [t.surface for t in engine.normalizer.read("whos teh ceo").tokens] == ["who", "ceo"]
    # a real short word is left alone
    assert "tea" in [t.surface for t in engine.normalizer.read("tea with the ceo").tokens]


def test_a_short_word_one_slip_from_a_single_word_is_that_word(engine: AnswerEngine) -> None:
    # "ище" is one letter from "еще" alone
    assert engine.normalizer.read("какие ище товары").tokens[0].surface == "еще"
    # "mny" is one slip from "many", "my", "any", "may": a letter left out is the likeliest
    mny = engine.normalizer.read("how mny countries").tokens[1]
    assert mny.surface == "many" and mny.known
    # ... but with two words a letter longer, which one was meant is anyone's guess
    assert engine.normalizer._short_typo("lst") is None  # "last" or "list"


def test_a_name_a_letter_off_one_of_the_knowledge_bases_is_that_name(engine: AnswerEngine) -> None:
    read = engine.normalizer.read
    assert read("What is Prohorov position?").tokens[0].surface == "prokhorov"
    assert "дегтев" in [t.surface for t in read("кто такой Дектев?").tokens]
    # a name near an ordinary word stays itself: "Munich" is no misspelt "much"
    munich = read("Is Munich a site?").tokens[0]
    assert munich.surface == "munich" and not munich.known


def test_a_misspelt_chatter_word_is_dropped_like_one(engine: AnswerEngine) -> None:
    # "правилно" is the tag "правильно" mistyped: no topic word, and not an unknown one
    assert [t.surface for t in engine.normalizer.read("каждый седьмой резидент, правилно").tokens] == [
        t.surface for t in engine.normalizer.read("каждый седьмой резидент").tokens
    ]


@pytest.mark.parametrize(("text", "word"), [("весь этот техно полис", "технополис"), ("Zeleno grad", "zelenograd")])
def test_a_word_typed_in_two_is_joined(engine: AnswerEngine, text: str, word: str) -> None:
    assert word in [t.surface for t in engine.normalizer.read(text).tokens]


@pytest.mark.parametrize(("text", "word"), [("вскольк стран", "сколько"), ("вкакие страны", "страны")])
def test_a_preposition_typed_onto_its_word_is_parted(engine: AnswerEngine, text: str, word: str) -> None:
    assert word in [t.surface for t in engine.normalizer.read(text).tokens]


def test_a_stop_word_typed_onto_a_known_word_is_parted(engine: AnswerEngine) -> None:
    assert [t.surface for t in engine.normalizer.read("какаяпродукция").tokens] == ["продукция"]


@pytest.mark.parametrize("text", ["к 19му году", "к 19-му году", "в 90х", "the 5th site"])
def test_an_ending_typed_onto_a_number_is_no_word(engine: AnswerEngine, text: str) -> None:
    surfaces = {t.surface for t in engine.normalizer.read(text).tokens}
    words = set(engine.normalizer.words(text))
    assert not {"му", "х", "th"} & (surfaces | words)
    assert words & {"19", "90", "5"}  # the number stays


def test_e_for_э_at_a_words_start_is_corrected(engine: AnswerEngine) -> None:
    # "експорт": э and е are one key apart in habit, and one letter in transliteration
    assert [t.surface for t in engine.normalizer.read("експортировали").tokens] == ["экспортировали"]
    # "eto" reads "ето": the stop word "это", not "его" or "кто" a letter away
    assert engine.normalizer._short_typo("ето") == "это"


def test_two_known_words_are_not_joined(engine: AnswerEngine) -> None:
    # "new technopark": each half is a word of its own
    assert [t.surface for t in engine.normalizer.read("new technopark").tokens] == ["new", "technopark"]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("sravneniyu", "сравнению"),
        ("istoriya", "история"),
        ("kakoy", "какой"),
        # word endings: "-tsya" is "-ться", "ye" after a consonant is the plural "-ые"
        ("obratitsya", "обратиться"),
        ("litiy-ionnye", "литий-ионные"),
        ("moye", "мое"),
    ],
)
def test_iy_before_a_vowel_is_i_and_a_soft_vowel(latin: str, cyrillic: str) -> None:
    assert translit_to_ru(latin) == cyrillic


def test_names_a_letter_off_are_fixed_for_the_claim_reader(engine: AnswerEngine) -> None:
    fixed = engine.normalizer.with_names_fixed("сосед с Микрона сказал, что Дектев и Prohorov были")
    # a case ending is no misspelling; a letter off a name is that name
    assert fixed == "сосед с Микрона сказал, что Дегтев и Prokhorov были"


def asides(engine: AnswerEngine, text: str) -> list[str]:
    return [t.surface for t in engine.normalizer.read(clean(text)).tokens if t.aside]


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        # the asker's context runs until a question word, punctuation or "что" opens a stretch
        (
            "короче я еду в маршрутке и хотел спросить а вот микроэлектроника сколько",
            ["маршрутке", "спросить", "микроэлектроника"],
        ),
        (
            "Going to a conference next month, which sites are in Zelenograd?",
            ["going", "next", "month"],
        ),
        ("пишу курсовую, в какой стране больше всего покупают чипы?", []),
        # a stretch a question word opens is the question, whatever context word it has
        ("what's the weather in zelenograd tomorrow?", []),
        # a statement's words are all what it states (watch mode reads them)
        ("Сдаю комнату 14 квадратов, тихие соседи", []),
    ],
)
def test_the_askers_context_is_marked_aside(
    engine: AnswerEngine, text: str, aside: list[str]
) -> None:
    assert asides(engine, text) == aside


@pytest.mark.parametrize(
    ("made", "base"), [("микроэлектронщиков", "микроэлектроника"), ("дезинфекционщики", "дезинфекция")]
)
def test_a_word_made_from_a_known_one_by_a_suffix_is_that_word(
    engine: AnswerEngine, made: str, base: str
) -> None:
    # "микроэлектронщиков" weighed as an unknown word, the heaviest there is
    tok = engine.normalizer.read(made).tokens[0]
    assert tok.known and tok.stem == engine.normalizer.read(base).tokens[0].stem


def test_a_short_known_start_does_not_make_a_word_known(engine: AnswerEngine) -> None:
    # "экспорт" is shorter than KNOWN_HEAD: "экспортозависимые" stays a word of its own
    assert not engine.normalizer.read("экспортозависимые").tokens[0].known
