"""Claims: every value form is read, each verdict kind is given, and bad input stays harmless."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from bot.engine import AnswerEngine, AnswerKind, KnowledgeError, load_knowledge
from bot.engine.claims import Stated


def stated(engine: AnswerEngine, text: str) -> list[Stated]:
    return engine.claims.read(engine.normalizer.rephrase(text))


def one(engine: AnswerEngine, text: str) -> Stated:
    found = [s for s in stated(engine, text) if s.kind != "number"] or stated(engine, text)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        # money: digits with any separator, number words, scale slang, currencies
        ("1,2 млрд рублей", "money", Fraction(12, 10) * 10**9, "rub"),
        ("1.2 bn", "money", Fraction(12, 10) * 10**9, None),
        ("1 200 000 000 руб.", "money", 1_200_000_000, "rub"),
        ("1,200,000,000 roubles", "money", 1_200_000_000, "rub"),
        ("2 ярда", "money", 2 * 10**9, None),
        ("полтора ярда", "money", Fraction(3, 2) * 10**9, None),
        ("пару ярдов", "money", 2 * 10**9, None),
        ("на парочку миллиардов", "money", 2 * 10**9, None),
        ("300 лямов", "money", 300 * 10**6, None),
        ("500 mln", "money", 500 * 10**6, None),
        ("1.5 bln", "money", Fraction(3, 2) * 10**9, None),
        ("half a billion", "money", 5 * 10**8, None),
        ("a billion and a half rubles", "money", Fraction(3, 2) * 10**9, "rub"),
        ("миллиард рублей", "money", 10**9, "rub"),
        ("$1.2bn", "money", Fraction(12, 10) * 10**9, "usd"),
        ("1.2 billion dollars", "money", Fraction(12, 10) * 10**9, "usd"),
        ("двести тыщ", "money", 200_000, None),
        # multipliers
        ("вырос вдвое", "multiplier", 2, None),
        ("в 4 раза", "multiplier", 4, None),
        ("в три раза", "multiplier", 3, None),
        ("в полтора раза", "multiplier", Fraction(3, 2), None),
        ("вдесятеро", "multiplier", 10, None),
        ("x5", "multiplier", 5, None),
        ("2x", "multiplier", 2, None),
        ("3-fold", "multiplier", 3, None),
        ("doubled", "multiplier", 2, None),
        ("tripled", "multiplier", 3, None),
        ("halved", "multiplier", Fraction(1, 2), None),
        ("упал вдвое", "multiplier", Fraction(1, 2), None),
        ("вырос на 30%", "multiplier", Fraction(13, 10), None),
        ("grew by only 50 percent", "multiplier", Fraction(3, 2), None),
        ("grew by roughly 30%", "multiplier", Fraction(13, 10), None),
        ("вырос где-то на 40 процентов", "multiplier", Fraction(7, 5), None),
        # shares: fractions, "каждый N-й", "one in N", percents
        ("треть", "share", Fraction(1, 3), None),
        ("половина", "share", Fraction(1, 2), None),
        ("каждый второй", "share", Fraction(1, 2), None),
        ("каждый десятый", "share", Fraction(1, 10), None),
        ("каждый 7-й", "share", Fraction(1, 7), None),
        ("каждый седмой", "share", Fraction(1, 7), None),  # transliterated "sedmoy"
        ("каждый четвёртый", "share", Fraction(1, 4), None),  # ё as е
        ("one in ten", "share", Fraction(1, 10), None),
        ("1 in 5", "share", Fraction(1, 5), None),
        ("a quarter", "share", Fraction(1, 4), None),
        ("80%", "share", Fraction(4, 5), "%"),
        ("90 процентов", "share", Fraction(9, 10), "%"),
        ("девяносто процентов", "share", Fraction(9, 10), "%"),
        ("процентов семьдесят", "share", Fraction(7, 10), "%"),
        # counts with what they count
        ("50 стран", "count", 50, "countries"),
        ("5 countries", "count", 5, "countries"),
        ("10 площадок", "count", 10, "sites"),
        ("200 резидентов", "count", 200, "residents"),
        ("пять стран", "count", 5, "countries"),
        ("резидентов там штук 80", "count", 80, "residents"),
        ("в пят раз", "multiplier", 5, None),  # transliterated "v pyat raz": no soft sign
        ("резидентов там штук восемьдесят", "count", 80, "residents"),  # the noun said first
        ("около полусотни резидентов", "count", 50, "residents"),
        ("сотня компаний", "count", 100, "residents"),
        # number words said as one number: tens and units, hundreds, "eight hundred"
        ("двадцать пять стран", "count", 25, "countries"),
        ("twenty-five countries", "count", 25, "countries"),
        ("сто восемьдесят резидентов", "count", 180, "residents"),
        ("two hundred and fifty residents", "count", 250, "residents"),
        ("eight hundred million rubles", "money", 800 * 10**6, "rub"),
        ("восемьсот миллионов", "money", 800 * 10**6, None),
        ("один миллиард восемьсот миллионов", "money", 1_800_000_000, None),
        ("девятьсот тысяч рублей", "money", 900_000, "rub"),
        # areas
        ("200 га", "area", 200, "ha"),
        ("триста гектаров", "area", 300, "ha"),
        ("223.3 hectares", "area", Fraction(2233, 10), "ha"),
        ("50 тысяч квадратов", "area", 50_000, "m2"),
        ("тыщ на 150 кв.м", "area", 150_000, "m2"),
        # any scale said first, then "на" and the number ("about", see test_qualifiers)
        ("миллионов на 300 рублей", "money", 300 * 10**6, "rub"),
        ("лямов на 500", "money", 500 * 10**6, None),
        ("ярдов на полтора", "money", Fraction(3, 2) * 10**9, None),
        ("15k sq m", "area", 15_000, "m2"),
        # a count of people: read, so that no count of the article's takes it
        ("тысяч десять человек", "count", 10_000, "people"),
        # a count after its noun, with a qualifier between
        ("резидентов в технополисе около сотни", "count", 100, "residents"),
        ("every other resident exported", "share", Fraction(1, 2), None),
        # an ordinal share, not the year "двадцатый" otherwise stands for
        ("каждый двадцатый резидент", "share", Fraction(1, 20), None),
        ("лямов сто", "money", 100 * 10**6, None),
        ("500 employees", "count", 500, "people"),
        # one amount said in two parts stays one
        ("миллиард двести миллионов рублей", "money", 1_200_000_000, "rub"),
        # a scale word alone with an area unit is an area
        ("на полмиллиона квадратов", "area", 500_000, "m2"),
        ("a million square meters", "area", 1_000_000, "m2"),
        # half a dozen is six, not a half
        ("half a dozen countries", "count", 6, "countries"),
        ("полдюжины государств", "count", 6, "countries"),
        ("в пол-дюжины стран", "count", 6, "countries"),
        # ... and with what a count counts, a count (it was money: "1.2 bn, not a thousand")
        ("под тыщу компаний", "count", 1_000, "residents"),
        ("a thousand resident firms", "count", 1_000, "residents"),
        # square kilometres are an area; kilometres alone a distance
        ("223 square kilometres", "area", 223, "km2"),
        ("2,2 кв. км", "area", Fraction(22, 10), "km2"),
        ("5 км", "count", 5, "distance"),
    ],
)
def test_value_forms(
    engine: AnswerEngine, text: str, kind: str, value: Fraction | int, unit: str | None
) -> None:
    st = one(engine, text)
    assert (st.kind, st.value, st.unit) == (kind, Fraction(value), unit)


@pytest.mark.parametrize(
    ("text", "kind", "entity"),
    [
        ("в Европу", "place", "europe"),
        ("европейские страны", "place", "europe"),
        ("в Западной Европе", "place", "western_europe"),
        ("Китай", "place", "china"),
        ("to Africa", "place", "africa"),
        ("в Латинскую Америку", "place", "latin_america"),
        ("the US", "place", "usa"),
        ("sold in US shops", "place", "usa"),  # "US" in capitals without "the"
        ("в Италию", "place", "italy"),
        ("to Poland", "place", "poland"),
        ("в Молдавию", "place", "moldova"),
        ("turkish buyers", "place", "turkey"),
        ("Ефимов", "person", "efimov"),
        ("Degtev", "person", "degtev"),
        ("вице-мэр", "role", "efimov"),
        ("зам мэра", "role", "efimov"),
        ("deputy mayor", "role", "efimov"),
        ("глава технополиса", "role", "degtev"),
        ("CEO", "role", "degtev"),
        ("гендир", "role", "degtev"),
        ("микросхемы", "product", "microelectronics"),
        ("batteries", "product", "batteries"),
        ("ТАСС", "source", "tass"),
        ("это особая экономическая зона", "status", "sez"),
        ("is just an industrial park", "status", "business_park"),
        # venues: where equipment is used
        ("в аэропортах", "venue", "airport"),
        ("на железнодорожных вокзалах", "venue", "station"),
        ("in shopping malls", "venue", "mall"),
        ("в детсадах", "venue", "kindergarten"),
    ],
)
def test_named_values(engine: AnswerEngine, text: str, kind: str, entity: str) -> None:
    st = one(engine, text)
    assert (st.kind, st.entity) == (kind, entity)


@pytest.mark.parametrize(
    "text",
    ["сколько резидентов в особой экономической зоне?", "what share of the SEZ's companies export?"],
)
def test_a_status_not_said_of_anything_is_the_topic(engine: AnswerEngine, text: str) -> None:
    """Only a status said of something ("это ОЭЗ", "is an SEZ") is a claim of what it is."""
    assert not [s for s in engine.claims.read(text) if s.kind == "status"]
    assert engine.answer(text).claim is None


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("более 20 стран", "more_than"),
        ("over 180 residents", "more_than"),
        ("почти половина", "almost"),
        ("около 150 тысяч квадратных метров", "about"),
        ("тыщ на 150 кв.м", "about"),
        ("лямов на 300", "about"),
        ("about 500 million", "about"),
        ("процентов 90", "about"),  # the unit said first
        ("от силы десятая часть", "less_than"),
        ("at most 10 countries", "less_than"),
        ("под миллиард", "almost"),
        # a lower bound, "не меньше" too, though "меньше" alone is an upper one
        ("минимум вдвое", "more_than"),
        ("не меньше чем в 2 раза", "more_than"),
        ("как минимум в два раза", "more_than"),
        # said after the number
        ("180 с лишним резидентов", "more_than"),
        ("180+ residents", "more_than"),
        ("180-odd resident companies", "more_than"),
    ],
)
def test_qualifiers(engine: AnswerEngine, text: str, qualifier: str) -> None:
    assert one(engine, text).qualifier == qualifier


@pytest.mark.parametrize(
    ("question", "confirmed", "intent"),
    [
        # confirmed
        ("экспорт втрое вырос, так?", True, "growth"),
        # a lower bound the article's value meets
        ("экспорт вырос минимум вдвое?", True, "growth"),
        ("so exports tripled vs 2019, right?", True, "growth"),
        ("1,2 млрд рублей за 2020, верно?", True, "export_volume"),
        ("каждый седьмой резидент экспортирует, да?", True, "exporters_share"),
        ("больше 20 стран, да?", True, "countries"),
        ("Degtev is the general director, yeah?", True, "degtev"),
        # refuted, with the article's value
        ("в чате пишут, что экспорт вырос вдвое. так?", False, "growth"),
        # "как" citing someone opens a claim, not a "how" question
        ("как заявил Ефимов, экспорт поднялся вчетверо?", False, "growth"),
        ("резиденты наэкспортили на полтора ярда, норм?", False, "export_volume"),
        ("1.2 bn dollars in exports, right?", False, "export_volume"),
        ("микросхемы — это 90% экспорта?", False, "microelectronics"),
        ("технополис занимает 200 га, не?", False, "area"),
        ("microchips went mostly to Europe?", False, "me_destination"),
        # who announced the figures: the mayor named with a verb of saying is refuted
        ("цифры по экспорту озвучил мэр Собянин, верно?", False, "efimov"),
        # countries of a region the article names: Mexico is no place the scanners are used in
        ("the scanners are used in Brazil and Mexico, right?", False, "security_destination"),
        # "the West": Western Europe and North America
        ("микроэлектронику технополиса в основном на Запад везли, так?", False, "me_destination"),
        ("the li-ion batteries mostly go to the West, right?", True, "battery_destination"),
        ("Ефимов — глава технополиса?", False, "degtev"),
        ("microelectronics made up like a tenth of exports, right?", False, "microelectronics"),
        # "every second resident exports": a share of the residents, the verb after it
        ("every second technopolis resident exports now, right?", False, "exporters_share"),
        # an upper bound below the article's lower one: the opposite, not partly
        ("fewer than 20 countries bought from the technopolis, right?", False, "countries"),
        ("меньше 20 стран покупали у технополиса, да?", False, "countries"),
        ("technopolis is spread over eight sites, right?", False, "sites"),
        ("стран-покупателей у технополиса штук десять, так?", False, "countries"),
        # the place first, then the sites it is said to hold
        ("Zelenograd is home to Mikron, MIET, Angstrem and Alabushevo, right?", True, "zelenograd_sites"),
        ("в Зеленограде находятся Микрон, МИЭТ и Печатники, так?", False, "pechatniki"),
        # a clause that only names a place ("…, а не в Зеленограде") is no topic of its own
        ("Сосед клянётся, что новый технопарк откроют в Печатниках, а не в Зеленограде. Это так?", False, "new_technopark"),
        # a site said to be one of a district's: placed there
        ("so Pechatniki counts as one of the Zelenograd sites, yes?", False, "pechatniki"),
        ("Микрон — одна из зеленоградских площадок, да?", True, "zelenograd_sites"),
        # a site named for its district says where it is: "a site in Pechatniki", confirmed
        ("коллега говорит, у технополиса есть площадка в Печатниках, верно?", True, "pechatniki"),
        ("my boss claims Pechatniki is one of their sites, correct?", True, "pechatniki"),
        # products the article does not name; one left out ("кроме чипов") is not claimed,
        # and "the other top exporters" are the rest, not the best-selling
        ("главный экспорт технополиса — лекарства, да?", False, "microelectronics"),
        ("кроме чипов лидировали дроны и роботы?", False, "other_leaders"),
        ("I was told the other leading exports were drones and software, right?", False, "other_leaders"),
        # another product said to sell best, in words mostly not the topic's
        ("top export у технополиса — батареи", False, "microelectronics"),
        # a bare number beside a typed value is no claim of its own: not of the area
        ("технополис — это пять площадок, 4 из них в Зеленограде?", True, "sites"),
        # a place the knowledge base does not name, where a site is said to be
        ("одна площадка технополиса в Троицке, да?", False, "pechatniki"),
        ("MIET and Angstrem are in Khimki, right?", False, "zelenograd_sites"),
        # venues: where the scanners are used and where the disinfection units went; a venue
        # said against the article's, or denied where the article names it
        ("the screening gear is used at airports and stations, right?", True, "security_destination"),
        ("досмотровое оборудование технополиса ставят только в школах и торговых центрах?", False, "security_destination"),
        ("the anti-terror gear is installed only in hospitals, not at airports, right?", False, "security_destination"),
        ("установки для дезинфекции технополиса ставят в школах, да?", False, "disinfection_destination"),
        # a fall is a claim on the growth
        ("technopolis exports fell by half in 2020, right?", False, "growth"),
        # an area in another unit, converted: 2.2 km² is 220 ha
        ("технополис занимает 223 кв. км, так?", False, "area"),
        ("технополис занимает 2,2 кв км, так?", True, "area"),
        # one of the article's own places or sources, denied; another place denied is no claim
        ("the security scanners aren't used in China or India at all, right?", False, "security_destination"),
        ("цифры Ефимов озвучил не на mos.ru, а в интервью РБК, так?", False, "quote_source"),
        ("чипы ушли не в Европу, а в Юго-Восточную Азию, так?", True, "me_destination"),
        # ... or denied after it: the region the article's places are in, the place itself
        ("досмотровые рамки ставят в Бразилии, а в Азию их не возят, так?", False, "security_destination"),
        ("досмотровое оборудование в Индию не поставляется, верно?", False, "security_destination"),
        ("the anti-terror frames are used in Brazil, none go to Asia, right?", False, "security_destination"),
        # partly: the article names these among others, or gives only a bound
        ("security gear is used in China and the US, right?", None, "security_destination"),
        ("товары ушли в 22 страны, так?", None, "countries"),
        # number words in an oblique case: "ста восьмидесяти" is 180, not 80
        ("больше ста восьмидесяти резидентов, верно?", True, "residents"),
        ("сто восемьдесят с лишним резидентов там, верно?", True, "residents"),
        # what kind of territory it is: a special economic zone, said of it
        ("технополис — это ОЭЗ, правильно?", True, "what_is"),
        ("so technopolis is a special economic zone, yes?", True, "what_is"),
        ("tehnopolis eto osobaya ekonomicheskaya zona, da?", True, "what_is"),  # transliterated
        ("it's basically a business park, not an SEZ, right?", False, "what_is"),
        ("технополис — просто бизнес-центр, да?", False, "what_is"),
        ("so technopolis is just some private business centre, not an SEZ?", False, "what_is"),
        ("I heard the whole zone is a bit over 223 hectares, legit?", True, "area"),
        # why exports grew: new residents and the companies' own growing supplies
        ("экспорт вырос из-за субсидий, так?", False, "growth_reasons"),
        ("рост дали новые резиденты, а сами компании нарастили поставки, верно?", True, "growth_reasons"),
        ("exports grew because fewer firms were left and the rouble got weak, right?", False, "growth_reasons"),
        (
            "growth came from new firms joining and existing ones ramping up shipments, correct?",
            True,
            "growth_reasons",
        ),
        # ... a multiple beside "нарастили" is the growth's
        ("резиденты нарастили экспорт втрое", True, "growth"),
    ],
)
def test_verdicts(engine: AnswerEngine, question: str, confirmed: bool | None, intent: str) -> None:
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.FACT and ans.intent == intent, ans.details
    assert ans.claim is not None and ans.claim.confirmed is confirmed, ans.details
    opening = {True: ("Да", "Yes"), False: ("Нет", "No"), None: ("Частично", "Partly")}[confirmed]
    assert ans.text.startswith(opening)
    if confirmed is not True:
        # The verdict names the article's value (for a role: who holds it).
        assert ans.claim.article and ans.claim.article.split(",")[0] in ans.text


EFIMOV_SAYS = "Нет: в статье это говорит Владимир Ефимов, заместитель мэра Москвы, а не"


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        # said by someone else
        ("Собянин сообщил, что экспорт технополиса втрое вырос, так?", f"{EFIMOV_SAYS} Собянин."),
        ("цифру про 1,2 млрд назвал Дегтев, да?", f"{EFIMOV_SAYS} Геннадий Дегтев."),
        # the figure alone says whose fact it is, whatever the message's other words
        ("это Дегтев озвучил цифру 1,2 ярда, верно?", f"{EFIMOV_SAYS} Геннадий Дегтев."),
        # said of an earlier year than its fact's
        ("у технополиса 1,2 миллиарда экспорта — это же за 2017 год, да?", "Нет: по статье — 1,2 млрд рублей (за 2020 год), а не 2017 год."),
        ("exports at the technopolis went up threefold against 2015, right?", "No: the article says three times the 2019 figure (in 2020), not 2015."),
        ("каждый седьмой резидент экспортировал ещё в 2019-м?", "Нет: по статье — экспортировал каждый седьмой резидент (в 2020 году), а не 2019 год."),
    ],
)
def test_a_right_value_said_by_another_or_of_another_year_is_refuted_for_that(
    engine: AnswerEngine, text: str, opening: str
) -> None:
    ans = engine.answer(text)
    assert ans.claim is not None and ans.claim.confirmed is False, ans.details
    assert ans.text.startswith(opening)


@pytest.mark.parametrize(
    "text",
    [
        # a later year the article cannot speak of: declined, not refuted
        "а в 2022 у них тоже было 1,2 ярда экспорта?",
        # the fact's own years
        "технополис в 2020 экспортировал втрое больше, чем в 2019, да?",
    ],
)
def test_a_year_the_fact_gives_or_cannot_know_is_not_refuted(engine: AnswerEngine, text: str) -> None:
    ans = engine.answer(text)
    assert ans.claim is None or ans.claim.confirmed is not False, ans.text


def test_a_claims_period_must_be_in_its_quotes(kb_copy: Path) -> None:
    problems = problems_after(
        kb_copy, "intents/export.yaml", 'when: {ru: "за 2020 год"', 'when: {ru: "за 2018 год"'
    )
    assert any("intent export_volume" in p and "when.ru: figure '2018'" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("генеральный директор технополиса — Олег Смирнов, так?", "Геннадий Дегтев"),
        ("Пётр Кузнецов, автор статьи про экспорт технополиса", "Карина Камалова"),
        ("the technopolis CEO is a guy called Morozov, no?", "Gennady Degtev"),
        ("the piece's author: Anna Belova", "Karina Kamalova"),
    ],
)
def test_a_title_held_by_someone_the_article_lacks_is_refuted_with_its_holder(
    engine: AnswerEngine, text: str, holder: str
) -> None:
    ans = engine.answer(text)
    assert ans.claim is not None and ans.claim.confirmed is False, ans.details
    assert ans.text.startswith(("Нет", "No")) and holder in ans.text.split(".")[0]


@pytest.mark.parametrize(
    "text",
    [
        "Технополис — это гендиректор? нет, Москва",  # capitalized, but no one's name
        "генеральный директор технополиса — Геннадий Дегтев",  # the article's own holder
    ],
)
def test_a_title_beside_no_unknown_name_gets_no_stranger(engine: AnswerEngine, text: str) -> None:
    people = [s for s in stated(engine, text) if s.kind == "person"]
    assert all(s.entity for s in people), people


def test_a_title_said_of_a_person_in_passing_is_about_both_people(engine: AnswerEngine) -> None:
    # the rest of the message matches the named person's fact, not the title holder's
    ans = engine.answer("Прохоров, глава технополиса, перечислил лидеров экспорта")
    assert ans.claim is not None and ans.claim.confirmed is False, ans.details
    assert "Дегтев" in ans.text and "Прохоров" in ans.text


def test_refuted_role_names_both_people(engine: AnswerEngine) -> None:
    ans = engine.answer("Дегтев в статье вице-мэр?")
    assert ans.claim is not None and ans.claim.confirmed is False
    assert "Ефимов" in ans.text and "Дегтев" in ans.text and "генеральный директор" in ans.text


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("в 2021 экспорт был 2 ярда, да?", "year"),
        ("I heard 2022 exports doubled again, true?", "year"),
        ("когда откроют технопарк в Алабушево?", "asks when"),
        ("у Сколково экспорт больше, чем у технополиса?", "another zone: сколково"),
        ("what about Alabuga SEZ exports, any numbers?", "another zone: alabuga"),
        ("how much did they export to India specifically?", "india is not what"),
        ("как зовут мэра Москвы?", "мэра without its qualifier"),
        ("пасоветуйте рецепт борща плз", "no shared words"),
        # the residents' exports are given together, no one company's
        ("у микрона выручка за 2020 была около ярда, да?", "the money of one site: mikron"),
        ("Angstrem exported 2 bn roubles last year?", "the money of one site: angstrem"),
        # rent is a price, whatever the area words around it
        ("how much is the rent per square metre at the technopolis?", "asks a price"),
        # a count the article gives none of
        ("how many people work for the residents in total", "a count of people"),
        ("сколько лет технополису?", "a count of time"),
        # kilometres are a distance, not the area the area words would match
        ("сколько км от метро до технополиса?", "a count of distance"),
        # one product's or one site's growth and share; venues by name; a city's own exports
        ("во сколько раз вырос экспорт микроэлектроники?", "the multiplier of one part: micro"),
        ("а какая доля у Микрона в экспорте?", "the share of one part: mikron"),
        ("which airports in India use their scanners?", "asks venues by name"),
        # the countries of a region, by name: the article names the region only
        ("which CIS countries exactly buy the batteries?", "asks countries by name"),
        ("назовите пять стран, куда ушли установки для дезинфекции", "asks countries by name"),
        ("какой общий экспорт Москвы за 2020?", "the exports of москвы"),
        ("какая площадь у площадки Алабушево?", "the area of one site: alabushevo"),
        # the first question word says what is asked: "when" opening a question asks a date
        ("and when will the technopark open, and where?", "asks when"),
    ],
)
def test_decline_reasons(engine: AnswerEngine, question: str, why: str) -> None:
    """A stated value is never by itself a reason to decline; these are the reasons that are."""
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.OUT_OF_SCOPE, ans.details
    assert ans.details is not None
    assert str(ans.details.why_oos).lower().startswith(why), ans.details


def test_year_decline_names_the_year(engine: AnswerEngine) -> None:
    ans = engine.answer("в 2021 экспорт был 2 ярда, да?")
    assert "2021" in ans.text and ans.claim is None


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("в чате пишут что экспорт у технополиса вырос вдвое. так?", "reported"),
        ("my boss claims exports went x2 vs 2019. right?", "reported"),
        ("apparently exports tripled?? 😬", "reported"),
        ("экспорт втрое вырос или гонит?", "tags"),
        ("exports tripled fr?", "tags"),
        ("Ребят, сижу на паре, подскажите: во сколько раз вырос экспорт?", "context"),
        ("шеф попросил узнать, во сколько раз вырос экспорт", "context"),
        ("ну типа экспорт вроде втрое вырос, короче?", "hedges"),
        ("наш экспорт вырос втрое, да?", "own"),
        ("our exports tripled, right?", "own"),
    ],
)
def test_chatter_does_not_count_against_the_question(
    engine: AnswerEngine, question: str, kind: str
) -> None:
    words = {
        w.lower() for w in getattr(engine.kb.chatter, kind).ru + getattr(engine.kb.chatter, kind).en
    }
    trace = engine.answer(question).details
    assert trace is not None
    normalized = set(trace.normalized.split())
    assert not normalized & words  # each listed word of this kind was dropped
    assert engine.answer(question).intent == "growth"


def test_a_question_gets_no_verdict(engine: AnswerEngine) -> None:
    assert engine.answer("во сколько раз вырос экспорт?").claim is None
    assert engine.answer("кто сказал про 500 млн?").claim is None
    assert engine.answer("battery export markets").claim is None  # names alone are a topic
    # "не" ends no tag when words follow it: "не в курсе" is the asker's, not "…, не?"
    ans = engine.answer("какие площадки в зелике? я там живу и не в курсе 😅")
    assert ans.intent == "zelenograd_sites" and ans.claim is None, ans.details


@pytest.mark.parametrize(
    ("question", "intent"),
    [("Прохоров должность?", "prokhorov"), ("Prokhorov job title?", "prokhorov"), ("Efimov's title?", "efimov")],
)
def test_a_name_with_a_word_asking_for_a_title_is_a_question(
    engine: AnswerEngine, question: str, intent: str
) -> None:
    # no question word, but "должность" asks for one: no verdict on a claim nobody made
    ans = engine.answer(question)
    assert ans.intent == intent and ans.claim is None, ans.details
    assert not ans.text.startswith(("Да", "Нет", "Yes", "No"))


@pytest.mark.parametrize(
    "question",
    ["в технополисе работает 5 моих друзей, сколько там резидентов?", "I have 3 questions, first: how many residents?"],
)
def test_a_count_of_the_askers_own_is_no_claim(engine: AnswerEngine, question: str) -> None:
    # "5 моих друзей", "3 questions" count what the article does not: no "No: more than 180"
    ans = engine.answer(question)
    assert ans.claim is None and not ans.text.startswith(("Нет", "No")), ans.details


@pytest.mark.parametrize(
    ("statement", "intent"),
    [
        ("most technopolis chips ended up in Africa", "me_destination"),
        ("the disinfection units mostly went to China", "disinfection_destination"),
    ],
)
def test_a_product_and_where_it_goes_is_a_claim(engine: AnswerEngine, statement: str, intent: str) -> None:
    # no figure, no question mark: the place said of the product is what is checked
    ans = engine.answer(statement)
    assert ans.intent == intent and ans.claim is not None and ans.claim.confirmed is False, ans.details


def test_places_guessed_in_a_where_question_are_no_reason_to_decline(engine: AnswerEngine) -> None:
    ans = engine.answer("куда везут батареи в Европу или в Азию")
    assert ans.intent == "battery_destination", ans.details


@pytest.mark.parametrize("question", ["Alabushevo?", "Алабушево?", "Europe?"])
def test_a_name_alone_asked_about_gets_no_verdict(engine: AnswerEngine, question: str) -> None:
    # nothing is said of the name: "Yes, the article confirms it" would confirm nothing
    assert engine.answer(question).claim is None


def test_a_tag_ending_a_clause_asks_for_a_verdict(engine: AnswerEngine) -> None:
    ans = engine.answer("ngl microelectronics being like 90% of exports sounds like cap, what's the real number")
    assert ans.intent == "microelectronics" and ans.claim is not None, ans.details
    assert ans.claim.confirmed is False


@pytest.mark.parametrize(
    ("question", "intent", "confirmed"),
    [
        ("How many countries did the residents ship to in 2020? Dave says like five.", "countries", False),
        ("Куда в основном везут батареи? Сосед говорит, что в Африку.", "battery_destination", False),
        ("Where did the disinfection units go? My coworker told me hospitals in China.",
         "disinfection_destination", False),
        ("Куда ушли установки для дезинфекции? Коллега пишет, что в страны СНГ.",
         "disinfection_destination", True),
        # a figure guessed after the question, in the same sentence or the next
        ("сколько всего резидентов у технополиса, около сотни?", "residents", False),
        ("дезинфекторы в скольки странах по итогу? я слышал в десяти", "disinfection_destination",
         False),
        ("how many residents actually exported in 2020, like 1 in 7?", "exporters_share", True),
        # what someone is reported to have said, inside the question's own sentence
        ("which countries got the disinfection units my neighbor said somewhere in latin america",
         "disinfection_destination", False),
        ("Какая доля у 2020 года во всём экспорте за всё время? Подозреваю, что около трети?",
         "share_alltime", True),
    ],
)
def test_a_statement_beside_a_question_gets_a_verdict(
    engine: AnswerEngine, question: str, intent: str, confirmed: bool
) -> None:
    ans = engine.answer(question)
    assert ans.intent == intent
    assert ans.claim is not None and ans.claim.confirmed is confirmed


@pytest.mark.parametrize(
    "message",
    [
        "короче сидим с пацанами в гараже после работы, спорим уже целый час про всякое, Вася "
        "говорит что технополис наэкспортил на 3 ярда, а я вот не помню. Это так?",
        "We were at the pub last night with the whole team and it got loud, my colleague Tom "
        "insisted the Technopolis residents exported 5 bn roubles in 2020, which sounded off "
        "to me. Is he right?",
    ],
)
def test_a_claim_buried_in_a_long_message_is_found(engine: AnswerEngine, message: str) -> None:
    # the whole is mostly talk; the stretch between commas that states the value is the topic
    ans = engine.answer(message)
    assert ans.intent == "export_volume"
    assert ans.claim is not None and ans.claim.confirmed is False


def test_the_askers_own_context_beside_a_question_is_no_claim(engine: AnswerEngine) -> None:
    # Europe is a place, but the asker's own: not something someone is said to have said.
    ans = engine.answer("I work for a fund in Europe. Where did Technopolis's batteries go?")
    assert ans.claim is None and ans.details is not None and ans.details.claim is None
    # a name asked about after the question is no claim: the article names no such country
    kz = engine.answer("в какие именно пять стран отправили дезинфекторы? Казахстан есть?")
    assert kz.claim is None
    # A statement beside a question is no evidence for its topic: the question still needs
    # its own confidence ("1,2 ярда понятно" does not make a question about staff answerable).
    for text in (
        "Экспорт 1,2 ярда, это понятно. А сколько людей там работает?",
        "Exports were 1.2 bn, fine. But how many people work there?",
    ):
        assert engine.answer(text).intent is None, text


@pytest.mark.parametrize(
    "text",
    [
        " ".join(str(i) for i in range(2000))[:4096],  # a 4,096-character message of numbers
        (
            "1 200 000 рублей, 2,5 млрд, полтора ярда, x5, в 4 раза, каждый десятый, 90%, треть, "
            "15k sq m, триста гектаров, " * 30
        )[:4096],  # every number form at once
        "«экспорт «вырос «вдвое»»», — пишут «в чате» <b>&amp;</b> так?",  # nested quotes, markup
        "9" * 4096,
        "x" * 4096,
        "2019",  # a year alone weighs nothing in matching
    ],
)
def test_bad_input_is_harmless(engine: AnswerEngine, text: str) -> None:
    ans = engine.answer(text)
    assert ans.text
    if len(stated(engine, text)) > 4:  # a list of values is not one claim to give a verdict on
        assert ans.claim is None


def test_broken_claim_is_refused_at_load(kb_copy: Path) -> None:
    path = kb_copy / "intents/export.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("{kind: money, value: 1200000000", "{kind: money, value: 1300000000", 1)
    text = text.replace(
        'values: [efimov], says: {ru: "цифру', 'values: [efimow], says: {ru: "цифру', 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    problems = [str(p) for p in err.value.problems]
    assert any(
        "intent export_volume" in p and "claims[1]" in p and "not a figure" in p for p in problems
    )
    assert any("intent export_volume" in p and "unknown entity 'efimow'" in p for p in problems)


def problems_after(kb_copy: Path, name: str, old: str, new: str) -> list[str]:
    """The problems load reports once `old` is replaced by `new` in the file (it must refuse)."""
    path = kb_copy / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    return [str(p) for p in err.value.problems]


def test_an_opposite_of_another_kind_is_refused_at_load(kb_copy: Path) -> None:
    problems = problems_after(kb_copy, "values.yaml", "opposite: business_park", "opposite: india")
    assert any("entities.sez.opposite: 'india' is no entity of its kind" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "confirmed"),
    [
        # denying the zone's status says it is something less
        ("технополис «Москва» не особая экономическая зона, а обычный парк", False),
        ("technopolis Moscow isn't a special economic zone lol", False),
        # ... and denying the lesser one says it is the zone
        ("технополис — не просто бизнес-парк", True),
        ("it's not just a business park", True),
    ],
)
def test_a_denied_status_says_its_opposite(
    engine: AnswerEngine, text: str, confirmed: bool
) -> None:
    found = engine.check(text)
    assert [(a.intent, a.claim.confirmed if a.claim else None) for a in found] == [
        ("what_is", confirmed)
    ]


def test_bad_value_pattern_is_refused_at_load(kb_copy: Path) -> None:
    problems = problems_after(kb_copy, "values.yaml", "ha: 'га|", "ha: '(га|")
    assert any("values.yaml" in p and "units.ha: bad pattern" in p for p in problems)


@pytest.mark.parametrize(
    "field",
    [
        "one_resident",
        "per_unit",
        "other_measure",
        "over_after",
        # the eighth session's: venues, a status or a reason said, words between a value and its noun
        "venues",
        "status_said",
        "reason_said",
        "share_of_names",
        "counted_prefix",
        "compared",  # a comparison word between a how-many and its noun
        "top_market",  # after a superlative: the best market, not the best-selling product
        "only",  # before a name: the only one
        "negation_after",  # after a reason: its verb denies it
        "count_filler",  # between a place and its count
        "one_scale",  # a scale word that says one of it ("ярд двести")
        "another_subject",  # between a site and a place: another subject
    ],
)
def test_bad_one_line_pattern_is_refused_at_load(kb_copy: Path, field: str) -> None:
    path = kb_copy / "values.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = [f"{field}: '(unclosed'\n" if ln.startswith(f"{field}:") else ln for ln in lines]
    path.write_text("".join(broken), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    problems = [str(p) for p in err.value.problems]
    assert any("values.yaml" in p and f"{field}: bad pattern" in p for p in problems), problems


def test_bad_phrase_pattern_is_refused_at_load(kb_copy: Path) -> None:
    path = kb_copy / "lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "replace: за рубеж}", "replace: за рубеж}\n  - {pattern: '(бугр', replace: x}", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    assert any("lexicon.yaml" in str(p) and "bad pattern" in str(p) for p in err.value.problems)


def test_bad_decimal_point_is_refused_at_load(kb_copy: Path) -> None:
    problems = problems_after(
        kb_copy, "lexicon.yaml", "decimal_point: 'point|", "decimal_point: '(point|"
    )
    assert any("lexicon.yaml" in p and "decimal_point: bad pattern" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "decimal"),
    [
        ("residents exported one point two billion rubles", True),
        ("экспорт одна запятая два миллиарда", True),
        ("экспорт один и два миллиарда", False),  # "и" is no decimal point
    ],
)
def test_a_decimal_said_in_words(engine: AnswerEngine, text: str, decimal: bool) -> None:
    money = [s.value for s in stated(engine, text) if s.kind == "money"]
    assert (Fraction(12, 10) * 10**9 in money) is decimal, money


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # one of a scale, then the hundreds of the scale below
        ("экспорт в двадцатом году был миллиард восемьсот", 1_800_000_000),
        ("наэкспортили на ярд двести", 1_200_000_000),
        ("billion two hundred in exports", 1_200_000_000),
        # ... not when a scale follows, which says the two parts
        ("экспорт миллиард двести миллионов", 1_200_000_000),
        ("миллион триста тысяч", 1_300_000),
    ],
)
def test_a_scale_then_its_hundreds(engine: AnswerEngine, text: str, value: int) -> None:
    assert [s.value for s in stated(engine, text) if s.kind == "money"] == [value]


def test_chatter_that_could_never_match_is_refused_at_load(kb_copy: Path) -> None:
    path = kb_copy / "chatter.yaml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("  en: [where, wheres,", '  en: [where, wheres, "where\'s", where,', 1)
    assert broken != text  # the line it breaks is still there
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kb_copy)
    messages = [f"{p.file}: {p.message}" for p in err.value.problems]
    assert any("chatter.yaml" in m and "\"where's\" is not one word" in m for m in messages)
    assert any("chatter.yaml" in m and "listed twice: where" in m for m in messages)


@pytest.mark.parametrize(
    "text", ["open day at the Mikron site tomorrow at 11", "на площадке встречаемся в 7"]
)
def test_a_time_of_day_is_not_a_count(engine: AnswerEngine, text: str) -> None:
    assert [s.kind for s in stated(engine, text) if s.kind in ("count", "number")] == ["number"]


@pytest.mark.parametrize(
    "text", ["a room at 3,500 rub per hour", "аренда 1800 за метр", "rent was 1,800 a sq m"]
)
def test_a_price_or_rate_is_no_value(engine: AnswerEngine, text: str) -> None:
    assert [s for s in stated(engine, text) if s.kind in ("money", "number", "area")] == []


def test_a_yearly_amount_is_still_one(engine: AnswerEngine) -> None:
    # "в год" is how the article's own figure is meant: a year's exports
    assert [s.kind for s in stated(engine, "экспорт 300 млн рублей в год")] == ["money"]


@pytest.mark.parametrize("text", ["before my 5 o'clock call", "созвон в 7 утра", "at 5pm"])
def test_a_time_on_the_clock_is_no_value(engine: AnswerEngine, text: str) -> None:
    assert stated(engine, text) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("одна площадка в Печатниках", "pechatniki"),
        ("в Зеленограде четыре площадки", "zelenograd"),
        ("all five sites are in Zelenograd", "zelenograd"),
        ("у технополиса пять площадок", None),
    ],
)
def test_a_count_knows_the_place_it_counts_in(
    engine: AnswerEngine, text: str, where: str | None
) -> None:
    counts = [s for s in stated(engine, text) if s.kind == "count"]
    assert [s.where for s in counts] == [where]


@pytest.mark.parametrize(
    ("text", "products"),
    [
        ("больше всего брали батареи", [("batteries", True)]),
        ("the top export was security scanners, not chips", [("security", True)]),
        ("батареи тоже в лидерах", [("batteries", False)]),
        # the superlative after the name, in the same clause
        ("disinfection units were the #1 export category", [("disinfection", True)]),
        ("батареи — главный экспортный хит", [("batteries", True)]),
        # the best of the rest: one product left out of the ranking, and not claimed
        ("кроме микроэлектроники больше всего экспортируют батареи", [("batteries", False)]),
        ("the other top exporters were batteries", [("batteries", False)]),
    ],
)
def test_a_product_said_to_sell_best_and_one_denied(
    engine: AnswerEngine, text: str, products: list[tuple[str, bool]]
) -> None:
    found = [(s.entity, s.top) for s in stated(engine, text) if s.kind == "product"]
    assert found == products


def test_a_thousand_said_alone_after_its_noun_is_a_count(engine: AnswerEngine) -> None:
    [value] = stated(engine, "резидентов там под тысячу")
    assert (value.kind, value.value, value.unit, value.qualifier) == ("count", 1000, "residents", "almost")


@pytest.mark.parametrize(("text", "money_only"), [("150 тысяч", False), ("150k", True), ("50 косарей", True)])
def test_slang_thousands_are_money_only(engine: AnswerEngine, text: str, money_only: bool) -> None:
    # "150 тысяч" may be the technopark's square metres; "150k" is said only of money
    [value] = stated(engine, text)
    assert (value.kind, value.money_only) == ("money", money_only)


def test_a_salary_in_slang_thousands_is_no_area(engine: AnswerEngine) -> None:
    assert engine.answer("she earns 120k at a Zelenograd site now").claim is None


def test_a_cited_source_is_no_claim(engine: AnswerEngine) -> None:
    assert [s.kind for s in stated(engine, "экспорт 2 ярда, если верить mos.ru")] == ["money"]
    assert "source" in [s.kind for s in stated(engine, "цитата Ефимова была в ТАСС")]


@pytest.mark.parametrize(
    ("text", "placed"),
    [
        # a site said to be a district, and the district said before its sites
        ("а Печатники — это тоже Зеленоград?", [("pechatniki", "zelenograd")]),
        ("Is Alabushevo part of Zelenograd?", [("alabushevo", "zelenograd")]),
        ("в Зеленограде Ангстрем и Микрон", [("angstrem", "zelenograd"), ("mikron", "zelenograd")]),
        # "X is the Y site"; a hyphenated word between the site and its place
        ("Angstrem is the Pechatniki site", [("angstrem", "pechatniki")]),
        ("площадка Микрон у технополиса вообще-то в Печатниках", [("mikron", "pechatniki")]),
        # a place said to hold the sites that follow
        ("Zelenograd hosts Angstrem and Mikron", [("angstrem", "zelenograd"), ("mikron", "zelenograd")]),
        ("в Зеленограде находятся МИЭТ и Печатники", [("miet", "zelenograd"), ("pechatniki", "zelenograd")]),
        # another subject between the site and the place does not place it
        ("one site's in Pechatniki and the other four are in Zelenograd", []),
        ("в Печатниках одна, а остальные в Зеленограде", []),
        # all the sites, said to be in one place
        ("все площадки технополиса в Зеленограде", [("all_sites", "zelenograd")]),
        ("all the technopolis sites are in Zelenograd", [("all_sites", "zelenograd")]),
    ],
)
def test_where_sites_are_said_to_be(
    engine: AnswerEngine, text: str, placed: list[tuple[str, str]]
) -> None:
    assert [(s.entity, s.where) for s in stated(engine, text) if s.kind == "site" and s.where] == placed


def test_all_the_sites_are_checked_only_where_placed(engine: AnswerEngine) -> None:
    ans = engine.answer("все площадки технополиса в Зеленограде, так?")
    assert ans.claim is not None and ans.claim.confirmed is False, ans.details
    assert "Печатник" in ans.text
    # named nowhere in particular, no claim; nor one site's area
    assert engine.answer("перечисли все площадки технополиса").claim is None
    assert engine.answer("what's the area of all the sites?").intent == "area"


def test_a_zone_in_the_askers_context_does_not_decline_the_question(engine: AnswerEngine) -> None:
    ans = engine.answer(
        "Я пишу диссертацию про особые экономические зоны, сравниваю Иннополис и московские "
        "площадки. Подскажите, за счёт каких факторов, по данным статьи, экспорт вырос?"
    )
    assert ans.intent == "growth_reasons", ans.details
    # ... but a question that names the other zone is still declined
    ans = engine.answer("Я сравниваю зоны. Сколько резидентов в Иннополисе, по данным статьи?")
    assert ans.kind is AnswerKind.OUT_OF_SCOPE, ans.details


@pytest.mark.parametrize(
    "text", ["the disinfection kits only went to 2 post-Soviet countries", "в три постсоветские страны"]
)
def test_a_count_of_countries_names_where_too(engine: AnswerEngine, text: str) -> None:
    kinds = [s.kind for s in stated(engine, text) if s.kind in ("count", "place")]
    assert kinds == ["count", "place"]


def test_a_site_knows_where_the_message_puts_it(engine: AnswerEngine) -> None:
    sites = [s for s in stated(engine, "Mikron, MIET and Angstrem are all in Zelenograd")]
    assert [(s.entity, s.where) for s in sites] == [
        ("mikron", "zelenograd"),
        ("miet", "zelenograd"),
        ("angstrem", "zelenograd"),
        ("zelenograd", None),
    ]


@pytest.mark.parametrize(
    ("question", "confirmed"),
    [
        ("экспорт технополиса больше миллиарда рублей, верно?", True),  # 1.2 bn is more
        ("экспорт технополиса больше 2 млрд рублей, верно?", False),
        ("резидентов у технополиса больше 100, так?", True),  # more than 180 is more than 100
        ("резидентов у технополиса 100, так?", False),
    ],
)
def test_more_than_said_by_the_asker(engine: AnswerEngine, question: str, confirmed: bool) -> None:
    ans = engine.answer(question)
    assert ans.claim is not None and ans.claim.confirmed is confirmed


def test_places_denied_are_left_out(engine: AnswerEngine) -> None:
    text = "the screening gear is used in the US and UK, but not in India or China"
    places = [s for s in stated(engine, text) if s.kind == "place"]
    assert [s.entity for s in places if not s.denied] == ["usa", "uk"]
    assert [s.entity for s in places if s.denied] == ["india", "china"]  # to refute the article's


def test_stated_values_beside_officials_and_citations_are_matched(engine: AnswerEngine) -> None:
    # "официальных лиц" is officials, "при цитировании" is about sources
    assert engine.answer("Кто из официальных лиц озвучил цифры по экспорту?").intent == "efimov"
    cited = engine.normalizer.read("при цитировании Ефимова").tokens[0]
    assert cited.stem == engine.normalizer.canonical_stem("источник")


def test_a_placed_site_is_answered_by_where_the_sites_are(engine: AnswerEngine) -> None:
    # the Pechatniki fact would say "No" too, but only the Zelenograd one says where Angstrem is
    ans = engine.answer("Is Angstrem in Pechatniki?")
    assert ans.intent == "zelenograd_sites"
    assert ans.claim is not None and ans.claim.confirmed is False


def test_a_title_guessed_for_a_misspelt_name_gets_a_verdict(engine: AnswerEngine) -> None:
    # "Дектев" is Degtev a letter off; the title guessed after the question is his
    ans = engine.answer("а кто такой Дектев, это типа вице-мэр?")
    assert ans.intent == "degtev"
    assert ans.claim is not None and ans.claim.confirmed is False
    assert engine.answer("кто такой Ефимов? вице-мэр?").claim.confirmed is True  # type: ignore[union-attr]


def test_an_unnamed_place_is_read_only_where_the_sites_are_spoken_of(
    engine: AnswerEngine,
) -> None:
    assert [s.entity for s in stated(engine, "одна площадка в Троицке")] == [None, "elsewhere"]
    assert stated(engine, "одна площадка в Троицке")[0].where == "elsewhere"
    # no site in the sentence: a meeting place, not where a site is
    met = stated(engine, "встречаемся в Химках. Зеленоград далеко")
    assert "elsewhere" not in [s.entity for s in met]
    # a name the knowledge base has is that name, not an unnamed place; Moscow is no place apart
    assert [s.entity for s in stated(engine, "площадки в Печатниках и в Москве")] == ["pechatniki"]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("the technopolis has several sites, how many exactly?", "sites"),
        ("стран-покупателей там сколько?", "countries"),
        ("how many countries do they sell to", "countries"),
        ("how many years has it existed?", "time"),
        # a time after a comparison word is what the figure is compared with
        ("did exports go up and by how much vs the year before?", None),
        ("на сколько больше, чем год назад?", None),
    ],
)
def test_a_count_asked_after_its_noun(
    engine: AnswerEngine, text: str, unit: str | None
) -> None:
    assert engine.claims.asked_count(text) == unit
