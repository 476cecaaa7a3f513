"""What the answer engine says: facts with sources, honest refusals, language, figure checks, bad input."""

from __future__ import annotations

import re

import pytest

from bot.engine import Answer, AnswerEngine, AnswerKind
from bot.engine.knowledge import fold


def test_fact_in_russian_with_quote_and_speaker(engine: AnswerEngine) -> None:
    ans = engine.answer("Сколько экспортировали резиденты технополиса?")
    assert ans.kind is AnswerKind.FACT and ans.intent == "export_volume" and ans.lang == "ru"
    assert "1,2 млрд" in ans.text
    assert ans.sources and "1,2 миллиарда рублей" in ans.sources[0].quote
    assert ans.sources[0].speaker == "Владимир Ефимов, заместитель мэра Москвы"


def test_fact_in_english(engine: AnswerEngine) -> None:
    ans = engine.answer("which sites are in Zelenograd?")
    assert ans.intent == "zelenograd_sites" and ans.lang == "en"
    for name in ("Mikron", "MIET", "Angstrem", "Alabushevo"):
        assert name in ans.text


def test_every_source_is_verbatim_article_text(engine: AnswerEngine) -> None:
    article = fold(engine.kb.article_text)
    for intent in engine.kb.intents:
        ans = engine.answer_intent(intent, "en")
        assert ans is not None
        for src in ans.sources:
            assert fold(src.quote) in article


@pytest.mark.parametrize(
    "question",
    [
        "how many residents does Skolkovo have?",
        "how do I become a resident?",
        "what does Микрон produce?",
        "exports in 2018?",
        "who is the mayor of Moscow?",
        "Кто мэр Москвы?",
        "Сколько экспортировали в 2017 году?",
        "what is Angstrem's revenue",
        "Какая погода завтра?",
        "skolko rezidentov v skolkovo",
        "Привет! Сколько будет 2+2?",
        # one product's money: the article sums three products' exports
        "how much did the batteries bring in?",
        "сколько принесли установки для дезинфекции?",
        # a conversion, a portfolio and a site's own area the article does not give
        "сколько это 1,2 млрд рублей в долларах?",
        "кто такой заммэра по транспорту?",
        "how big is the Alabushevo site alone, in hectares?",
        # a country's own exports are not the residents'
        "слышал, что экспорт Китая вырос в пять раз, правда?",
        "someone said Germany's exports were 1.5 trillion dollars, right?",
        # "как" opening a message asks how, not whether a site is in Pechatniki
        "как добраться до площадки в Печатниках на электричке?",
        "а как попасть на площадку в Печатниках от Текстильщиков?",
        # the growth, the sum and the shares are of all the exports, not of one product or site
        "во сколько раз вырос экспорт микроэлектроники?",
        "what's Mikron's share of the exports?",
        "какая доля экспорта приходится на батареи?",
        "how much did Angstrem export in 2020?",
        # the Alabushevo site's own area: only the technopark built there has one
        "какая площадь у площадки Алабушево?",
        "what's the Alabushevo site's area in hectares?",
        # the article names no airport or stadium, and gives no city's own exports
        "в каких аэропортах Китая стоят сканеры технополиса?",
        "which stadiums use the screening gear?",
        "what were Moscow's total exports in 2020?",
        "экспорт Москвы вырос в три раза?",
    ],
)
def test_out_of_scope_is_declined_with_suggestions(engine: AnswerEngine, question: str) -> None:
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.OUT_OF_SCOPE, (ans.intent, ans.score, ans.details)
    assert ans.intent is None and not ans.sources
    assert 2 <= len(ans.suggestions) <= 3
    assert all(engine.answer_intent(s.intent, ans.lang) for s in ans.suggestions)


def test_out_of_scope_answers_in_the_askers_language(engine: AnswerEngine) -> None:
    assert engine.answer("who founded Angstrem").text.startswith("The article doesn't say")
    assert engine.answer("Кто основал Ангстрем?").text.startswith("В статье об этом не говорится")


def test_unknown_year_says_which_years_the_article_covers(engine: AnswerEngine) -> None:
    ans = engine.answer("what were exports in 2021")
    assert ans.kind is AnswerKind.OUT_OF_SCOPE
    assert "2021" in ans.text and "2020" in ans.text


def test_known_year_is_fine(engine: AnswerEngine) -> None:
    assert engine.answer("exports growth vs 2019").intent == "growth"


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("how much did residents export?", "en"),
        ("сколько экспортировали?", "ru"),
        ("skolko rezidentov", "ru"),
        ("crjkmrj cnhfy", "ru"),
        ("MIET и Микрон — где это?", "ru"),
    ],
)
def test_script_decides_the_language(engine: AnswerEngine, question: str, lang: str) -> None:
    assert engine.answer(question).lang == lang


def test_telegram_language_when_the_script_says_nothing(engine: AnswerEngine) -> None:
    assert engine.answer("2019?", user_lang="en").lang == "en"
    assert engine.answer("2019?", user_lang="ru").lang == "ru"
    assert engine.answer("🙂", user_lang="en-GB").lang == "en"
    assert engine.answer("🙂", user_lang="uk").lang == "ru"
    assert engine.answer("🙂").lang == "ru"  # the default


def test_explicit_choice_overrides_the_script(engine: AnswerEngine) -> None:
    ans = engine.answer("сколько экспортировали резиденты?", lang="en")
    assert ans.lang == "en" and "1.2 billion" in ans.text


def test_every_intent_answers_in_both_languages(engine: AnswerEngine) -> None:
    for intent in engine.kb.intents:
        ru, en = engine.answer_intent(intent, "ru"), engine.answer_intent(intent, "en")
        assert ru and en and ru.text != en.text
        assert re.search("[а-яА-Я]", ru.text)


@pytest.mark.parametrize(
    ("question", "confirmed", "figure"),
    [
        ("экспорт вырос в 5 раз?", False, "три"),
        ("Экспорт вырос в три раза?", True, "три"),
        ("did they export 2 billion?", False, "1.2 billion"),
        ("is it true they exported 1.2 billion roubles?", True, "1.2 billion"),
        ("правда, что в технополисе 300 резидентов?", False, "180"),
    ],
)
def test_figure_checking(engine: AnswerEngine, question: str, confirmed: bool, figure: str) -> None:
    ans = engine.answer(question)
    assert ans.claim is not None, ans.details
    assert ans.claim.confirmed is confirmed
    assert figure in ans.text
    if confirmed:
        prefix = engine.texts(ans.lang, "claim_confirmed")
    else:
        prefix = engine.texts(ans.lang, "claim_refuted", value=ans.claim.article)
        assert figure in ans.claim.article  # the verdict names the article's value
    assert ans.text.startswith(prefix)
    assert ans.sources


def test_no_claim_without_a_stated_figure(engine: AnswerEngine) -> None:
    assert engine.answer("how much did residents export?").claim is None


def test_close_runner_up_is_offered_as_did_you_mean(engine: AnswerEngine) -> None:
    ans = engine.answer("экспорт")
    assert ans.kind is AnswerKind.FACT
    assert ans.suggestions and ans.suggestions[0].intent != ans.intent


def test_chitchat(engine: AnswerEngine) -> None:
    hello = engine.answer("Привет!")
    assert hello.kind is AnswerKind.CHITCHAT and hello.intent == "greeting" and not hello.sources
    assert engine.answer("thanks a lot").intent == "thanks"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🙂🙂", "\x00\x01\x02", "<b>&amp;</b>", "?!...", "@technopolis_bot", "/ask"],
)
def test_empty_or_meaningless_input(engine: AnswerEngine, text: str) -> None:
    ans = engine.answer(text)
    assert ans.kind in (AnswerKind.EMPTY, AnswerKind.OUT_OF_SCOPE)
    assert ans.text and ans.suggestions


@pytest.mark.parametrize(
    "text",
    [
        "экспорт " * 1300,
        "x" * 10_000,
        "сколько стран " + "🙂" * 4000,
        "Сколько <стран> & 'площадок'?",
        "мир\u202eexport\u0301 ЭКСПОРТ 123456789012345678901234567890",
        "ж" * 4096,
    ],
)
def test_long_and_odd_input_never_crashes(engine: AnswerEngine, text: str) -> None:
    ans = engine.answer(text)
    assert ans.text
    assert ans.lang in ("ru", "en")


def test_related_questions_come_from_the_knowledge_base(engine: AnswerEngine) -> None:
    related = engine.related("export_volume", "en")
    assert [s.intent for s in related] == engine.kb.intents["export_volume"].related
    assert all(s.question for s in related)
    assert engine.related(None, "ru") == [] and engine.related("nope", "ru") == []


@pytest.mark.parametrize(
    ("text", "decides"),
    [
        ("сколько экспортировали", True),
        ("how much did they export", True),
        ("1,2?", False),
        ("🔥", False),
    ],
)
def test_script_decides_only_when_the_text_has_words(
    engine: AnswerEngine, text: str, decides: bool
) -> None:
    assert engine.script_decides(text) is decides


def test_offers_start_with_the_answer_and_stay_within_the_limit(engine: AnswerEngine) -> None:
    lang, offered = engine.offers("экспорт", limit=3)
    assert lang == "ru" and len(offered) == 3
    assert offered[0].intent == engine.answer("экспорт").intent
    assert len({a.intent for a in offered}) == 3  # no intent twice
    _, declined = engine.offers("какая погода в Москве?")
    assert [a.kind for a in declined] == [AnswerKind.OUT_OF_SCOPE]
    _, featured = engine.offers("")
    assert [a.intent for a in featured] == [s.intent for s in engine.featured("ru")][:5]


def test_a_title_no_one_in_the_article_holds(engine: AnswerEngine) -> None:
    wrong = engine.answer("Ефимов - мэр Москвы?")
    assert wrong.claim is not None and wrong.claim.confirmed is False
    assert "заместитель мэра" in wrong.text
    # the article names no mayor: nothing to confirm or refute
    assert engine.answer("the mayor is Sobyanin, right?").kind is AnswerKind.OUT_OF_SCOPE
    assert engine.answer("кто мэр Москвы?").kind is AnswerKind.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "question",
    ["apparently the Pechatniki site is 50 hectares, true?", "какая площадь площадки в Печатниках?"],
)
def test_one_sites_area_is_not_in_the_article(engine: AnswerEngine, question: str) -> None:
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.OUT_OF_SCOPE and ans.claim is None
    # the total and the new technopark's area are
    assert engine.answer("какая площадь у технополиса?").intent == "area"
    assert engine.answer("какой площади будет новый технопарк в Алабушево?").intent == "new_technopark"


def test_li_inside_a_question_asks_no_verdict(engine: AnswerEngine) -> None:
    # "ли" opens a yes/no check ("правда ли, что…"), but inside a question it only asks
    assert engine.answer("правда ли, что экспорт вырос втрое?").claim is not None
    ans = engine.answer("Сколько лет Геннадию Дегтеву и давно ли он руководит технополисом?")
    assert ans.kind is AnswerKind.OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("Which official said that one in seven residents exported?", "efimov"),
        ("кто сказал, что батареи востребованы в Северной Америке?", "degtev"),
        ("кто сказал про 500 млн?", "prokhorov"),
    ],
)
def test_who_said_a_fact_is_answered_with_its_speaker(
    engine: AnswerEngine, question: str, person: str
) -> None:
    assert engine.answer(question).intent == person


def answered_on(engine: AnswerEngine, question: str, intent: str, evidence: str) -> Answer:
    """The answer, checked to be `intent`'s on that kind of evidence (see Declining.bar)."""
    ans = engine.answer(question)
    assert ans.intent == intent, ans.details
    assert ans.details is not None and ans.details.evidence == evidence
    return ans


def test_a_question_for_the_count_an_intent_gives_needs_less_confidence(
    engine: AnswerEngine,
) -> None:
    q = "Готовлю урок. Подскажите, пожалуйста, в скольких странах мира оказались товары резидентов технополиса?"
    answered_on(engine, q, "countries", "kind")


def test_a_far_lead_with_the_words_accounted_for_needs_less_confidence(
    engine: AnswerEngine,
) -> None:
    q = "I have to cite the primary source, not a news repost. Which portal carried the deputy mayor's statement?"
    ans = answered_on(engine, q, "quote_source", "lead")
    assert ans.details is not None
    assert ans.details.bar == engine.lead_threshold < engine.threshold  # what /why shows
    assert ans.details.margin is not None and ans.details.margin >= 15
    assert ans.details.candidates[0].coverage >= 0.8


@pytest.mark.parametrize(
    "question",
    [
        # its context matches the zone's status word for word; its question is a share of firms
        "Пишу доклад про ОЭЗ. А какая доля фирм продавала что-то иностранным клиентам?",
        # a share of the companies asked: not the chips' share of exports
        "Делаю слайды про ОЭЗ. Какая доля компаний в прошлом году продавала что-то иностранным покупателям?",
    ],
)
def test_a_question_is_not_answered_by_what_its_context_matches(
    engine: AnswerEngine, question: str
) -> None:
    ans = engine.answer(question)
    assert ans.intent in (None, "exporters_share"), ans.details


def test_a_lead_over_words_the_intent_lacks_is_no_evidence(engine: AnswerEngine) -> None:
    # the intent leads far, but what the question is about ("salary") is not its
    ans = engine.answer("how much do the Technopolis residents pay their engineers in salary?")
    assert ans.kind is AnswerKind.OUT_OF_SCOPE, ans.details
    assert ans.details is not None and ans.details.evidence != "lead"


@pytest.mark.parametrize(
    ("question", "speaker"),
    [("кто назвал цифру про 20 стран?", "efimov"), ("who said the 20 countries figure?", "efimov")],
)
def test_who_said_a_figure_is_its_facts_speaker(engine: AnswerEngine, question: str, speaker: str) -> None:
    # the figure says which fact, whichever person's own words matched best; and it is
    # taken as given: no "Yes, the article confirms it" before who said it
    ans = engine.answer(question)
    assert ans.intent == speaker and ans.claim is None, ans.details


def test_a_clause_of_a_question_word_alone_picks_no_topic(engine: AnswerEngine) -> None:
    # "кто прав?" ends a long message: "кто" alone matched the author's fact at 100
    ans = engine.answer(
        "короче вчера спорили с батей полвечера, он говорит что экспорт упал из-за ковида, а я "
        "говорю вырос. кто прав?"
    )
    assert ans.intent != "author", ans.details


def test_where_asks_for_a_site_as_for_a_place(engine: AnswerEngine) -> None:
    # "где?" asks where: a site fact's answer is one, so it needs the lower bar a fitting kind gets
    ans = engine.answer("а есть площадка где-то ещё в москве? где?")
    assert ans.intent in ("sites", "pechatniki"), ans.details


def test_which_markets_asks_for_a_place(engine: AnswerEngine) -> None:
    # "what markets", "в каких странах": the answer a destination's fact gives
    ans = engine.answer("what markets take the li-ion batteries")
    assert ans.intent == "battery_destination", ans.details


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a question for a sum goes to the close intent that gives one, not to the share
        ("на скока лямов резиденты отгрузили продукции за бугор?", "export_volume"),
        # a question word no example has ("кому") says what is asked, not of what
        ("дезинфекцию кому поставляли?", "disinfection_destination"),
        # "каждый какой", "one in how many" ask for a share
        ("каждый какой по счёту резидент продаёт за рубеж? забыл", "exporters_share"),
        ("one in how many of the firms there sell abroad?", "exporters_share"),
        # "exporters" are who exports, as "экспортёры" are, not the exports
        ("how many of them are exporters?", "exporters_share"),
        ("technopolis exports?", "export_volume"),
        # a long message on its question: its context matches the exports word for word
        (
            "Короче сижу на паре, листаю ленту, ничего не понятно. Там что-то про экспорт "
            "технополиса. И про чипы в Азию вроде? В какую часть света в основном уходила "
            "микроэлектроника?",
            "me_destination",
        ),
        # ... and declined on its questions only: the context names Russia's exports
        (
            "Пишу реферат про экспорт нефти из России. А куда в основном продавали чипы "
            "резиденты технополиса?",
            "me_destination",
        ),
        # "ушёл" is a word of exporting, as "ушли" is; "no clue", "no idea" the asker's state
        ("куда ушёл основной объём чипов технополиса?", "me_destination"),
        ("no clue how many countries they ship to, anyone?", "countries"),
        ("I have no idea where most of the microelectronics went, where was it?", "me_destination"),
        # "на сколько" asks a sum of exports, a difference of growth
        ("а на сколько резиденты продали за рубеж в том году?", "export_volume"),
        ("на сколько вырос экспорт у них?", "growth"),
        # "основная часть" is no share asked: the question asks where, which the top gives
        ("в какие страны ушла основная часть микросхем технополиса?", "me_destination"),
        # "почем" beside a growth is "почему" mistyped: no price of a growth
        ("почем так вырос экспорт у резидентов? в чём причина", "growth_reasons"),
        # a count with no product named is the count in all, not the disinfection units' five
        ("so how many countries did their things end up in?", "countries"),
        ("in how many countries did the disinfection units end up?", "disinfection_destination"),
        # a question about the one person it names goes to that person
        (
            "В тексте упоминается какой-то Дегтев, а я не понял, откуда он. Кто он такой и "
            "какую должность занимает?",
            "degtev",
        ),
        # abroad in other words: outside Russia, foreign markets, "за кордон"
        ("what sells best beyond Russia for them?", "microelectronics"),
        ("что лучше всего продаётся за пределами России?", "microelectronics"),
        ("помимо чипов что ещё неплохо продаётся на внешних рынках?", "other_leaders"),
        ("сколько лямов выручки с продаж за кордон у резидентов?", "export_volume"),
        # the asker's own boss is no topic
        ("мой шеф спрашивает, в скольких странах покупают продукцию технополиса", "countries"),
        # "the zone" is the technopolis; a kind of zone is still what it is
        ("how many sites does the zone have, and how big are they in all?", "sites"),
        ("what kind of zone is Technopolis?", "what_is"),
        # ... but a product's own share is its fact's, and "non-chip" leaves the chips out
        ("what share of exports is microelectronics?", "microelectronics"),
        ("how much did the non-chip leaders bring in together?", "other_leaders_sum"),
        ("в какие страны ушла основная часть микроэлектронки?", "me_destination"),
        ("сколько квадратов будет у технопарка в Алабушево?", "new_technopark"),
        ("в аэропортах каких стран работает досмотровое оборудование?", "security_destination"),
        ("в какие больницы поехали установки для дезинфекции?", "disinfection_destination"),
        ("what were the exports of Technopolis Moscow?", "export_volume"),
        # who said a fact named by its products: the speaker of the fact the rest matches
        ("кто рассказывал, в какие страны уходили микросхемы и аккумуляторы?", "degtev"),
        # ... with none named, the person's own examples decide
        ("кто рассказывал, куда по странам уходит экспорт?", "degtev"),
        # why asks the reasons, which no figure gives; how many times asks the figure
        ("почему у них так сильно вырос экспорт?", "growth_reasons"),
        ("отчего экспорт технополиса так подрос?", "growth_reasons"),
        ("во сколько раз вырос экспорт?", "growth"),
        # "охотнее всего" is what sold best; companies "сидят" where the residents are
        ("а что у технополиса иностранцы покупали охотнее всего?", "microelectronics"),
        ("сколько фирм вообще сидит в этом технополисе?", "residents"),
        # the asker's move, visit or studies are context; "deliver" is a word of exporting
        ("we are moving to Moscow, how many campuses does technopolis have?", "sites"),
        ("roughly how many countries did they deliver to?", "countries"),
        (
            "my daughter studies at MIET and asks which technopolis sites are located in Zelenograd",
            "zelenograd_sites",
        ),
        # the rare words of the asker's own stretch ("еду в маршрутке") weigh little
        ("короче я еду в электричке и хотел спросить сколько стран покупали у них", "countries"),
        ("Trying to gauge momentum for my fund: by what multiple did exports grow?", "growth"),
        ("делаю карту стартапов для хакатона, сколько компаний сидит в технополисе?", "residents"),
        # a time after a comparison word is what is compared with, not a count of time
        ("by how much did exports rise vs the year before?", "growth"),
        # the official the article quotes for a fact is no foreign name to it
        ("Ефимов что-то говорил про долю от экспорта за все время, какая там доля?", "share_alltime"),
        # slang for a jump; a hedge ("хотя бы примерно", "ballpark is fine")
        ("с чего вдруг экспорт так рванул?", "growth_reasons"),
        ("сколько экспорта пришлось на микросхемы? хотя бы примерно", "microelectronics"),
        ("which site is getting the new tech park?", "new_technopark"),
        # which year the figures are for: the headline's 2020
        ("а цифры в статье за какой год вообще?", "report_year"),
        ("what year are these numbers from?", "report_year"),
        # the kinds of venue the security gear is used at
        ("на каких объектах используют их досмотровые рамки?", "security_destination"),
        # a question for a market that names a product asks where it sells, no claim on it
        ("main market for their chips?", "me_destination"),
        ("biggest market for the batteries?", "battery_destination"),
        # a status said with a hyphenated word between ("это какая-то ОЭЗ")
        ("технополис это какая-то ОЭЗ или просто бизнес-парк?", "what_is"),
        # "ones", "enough" say nothing of the topic
        ("might visit a few sites. which ones are in Zelenograd? names are enough", "zelenograd_sites"),
        # a boss who says something is who said it, not a job title of the article's
        ("начальник сказал, что батареи уходят в Северную Америку, это так?", "battery_destination"),
        # "when" joining a clause asks nothing; "territory", "land" ask an area
        (
            "For a comparison I need the land size. How much territory do the technopolis "
            "sites cover when you add them up?",
            "area",
        ),
    ],
)
def test_a_chat_question_goes_to_its_fact(engine: AnswerEngine, text: str, intent: str) -> None:
    ans = engine.answer(text)
    assert ans.kind is AnswerKind.FACT and ans.intent == intent, ans.details
    if "?" in text and not ans.details.stated:
        assert ans.claim is None  # a question with no value stated gets no verdict


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("какой прирост, в разах?", "multiplier"),
        ("what multiple did exports grow by?", "multiplier"),
        ("на какую сумму?", "money"),
        ("which region buys the most?", "place"),
    ],
)
def test_words_that_ask_for_a_kind_of_value(engine: AnswerEngine, text: str, kind: str) -> None:
    assert kind in engine._read(text, None, None).asks_for


@pytest.mark.parametrize(
    "text", ["my boss asked me how many countries", "мой шеф спрашивает, в скольких странах"]
)
def test_the_askers_own_boss_is_no_topic(engine: AnswerEngine, text: str) -> None:
    # "boss", "шеф" are words of the head of the department's fact; the asker's is not him
    words = engine.normalizer.words(engine.normalizer.rephrase(text))
    assert not {"boss", "шеф"} & set(words)


def test_a_clause_of_the_article_in_general_is_no_topic(engine: AnswerEngine) -> None:
    # "Это правда так в статье?" matched the summary's examples word for word
    ans = engine.answer(
        "Сосед сказал, что резиденты технополиса продали за рубеж продукции на 1,2 миллиарда "
        "рублей. Мне кажется, маловато. Это правда так в статье?"
    )
    assert ans.intent == "export_volume" and ans.claim and ans.claim.confirmed, ans.details


def test_a_question_for_a_count_goes_to_the_close_intent_that_gives_it(engine: AnswerEngine) -> None:
    # "how much" reads like money, but it asks the count of residents, which the amount's
    # fact does not give
    ans = engine.answer("how much residents does technopolis moskow have?")
    assert ans.intent == "residents", ans.details


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what fraction of the exports were chips, roughly speaking?", "microelectronics"),
        ("is the new technopark gonna be huge? how many sq m", "new_technopark"),
        ("how much did the other export leaders bring in, in money terms?", "other_leaders_sum"),
    ],
)
def test_a_question_for_the_share_area_or_sum_an_intent_gives_needs_less_confidence(
    engine: AnswerEngine, question: str, intent: str
) -> None:
    # chatter.yaml asks_share / asks_area / asks_money: the kind of value asked for is evidence
    ans = engine.answer(question)
    assert ans.intent == intent, ans.details
    assert ans.details is not None and ans.details.evidence == "kind"


def test_who_does_something_is_not_asked_for_a_speaker(engine: AnswerEngine) -> None:
    # no verb of saying: the question is about the fact itself
    assert engine.answer("кто экспортирует микроэлектронику?").intent != "degtev"


@pytest.mark.parametrize(
    "text",
    [
        "переезжаю туда осенью, жильё ищу поближе к работе, друзья звали 🎉 какие площадки "
        "технополиса в зеленограде? хочу квартиру рядом с ними",
        "starting a new job there after the summer, hunting for a flat 🏠 which technopolis "
        "sites are in zelenograd? want to live near one",
    ],
)
def test_an_emoji_ends_a_clause_of_a_long_message(engine: AnswerEngine, text: str) -> None:
    # the question is the clause after the emoji; the life story around it is no topic
    ans = engine.answer(text)
    assert ans.kind is AnswerKind.FACT and ans.intent == "zelenograd_sites"


def test_a_year_said_in_two_digits_is_a_year_the_article_does_not_cover(
    engine: AnswerEngine,
) -> None:
    ans = engine.answer("говорят, в 21-м году уже 2 ярда наэкспортили, так?")
    assert ans.kind is AnswerKind.OUT_OF_SCOPE and "2021" in ans.text


def test_a_question_that_doubts_a_wrong_value_gets_the_verdict(engine: AnswerEngine) -> None:
    # sarcasm, then the question: the wrong value it states is evidence of the topic
    ans = engine.answer(
        "ну конечно, экспорт вырос вдесятеро, а я испытатель парашютов 🙄 сколько на самом деле?"
    )
    assert ans.intent == "growth" and ans.claim is not None and ans.claim.confirmed is False
    assert ans.text.startswith("Нет")


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("какой вице-мэр рассказал про экспорт?", "efimov"),
        ("сколько участников у ОЭЗ технополис москва?", "residents"),
        ("how many locations does technopolis have", "sites"),
        ("куда продают li-ion батареи из технополиса", "battery_destination"),
        ("где используют металлодетекторы из технополиса", "security_destination"),
        ("@technopolis_bot скок стран купили их железо? 🌍", "countries"),
        ("какие кампании лидировали по экспорту кроме микроэлектроники", "other_leaders"),
        ("/ask export growth yoy", "growth"),
        ("как зовут зама мэра из статьи?", "efimov"),
        ("почему экспорт так скакнул обьясните кто нибудь", "growth_reasons"),
        ("а за счёт каких факторов такой прирост?", "growth_reasons"),
        ("any explanation given for why overseas sales shot up in 2020?", "growth_reasons"),
        ("скока контор там прописано как резиденты?", "residents"),
        # a difference is a comparison; "по итогам года" and "-wise" frame the question
        ("чем 2020-й отличался от 2019-го по экспорту, во сколько раз?", "growth"),
        ("объём экспорта резидентов технополиса по итогам года", "export_volume"),
        ("how big is the technopolis size-wise?", "area"),
        # countries by name where the article names them
        ("which countries exactly use the technopolis scanners?", "security_destination"),
        # chat words: "bulk", "юзают", "entity", "strongest demand", "earners", "внесли"
        ("where did the bulk of the chips go?", "me_destination"),
        ("где юзают досмотровые рамки из технополиса?", "security_destination"),
        ("what kind of entity is the technopolis?", "what_is"),
        ("which goods had the strongest demand abroad?", "microelectronics"),
        ("who were the big export earners besides chips?", "other_leaders"),
        ("какой вклад внесли батареи и дезинфекция в экспорт, сколько денег?", "other_leaders_sum"),
        # "by what factor" asks a multiple, not the growth's factors
        ("by what factor did the technopolis exports rise?", "growth"),
        # verbs of going for where goods went
        ("куда улетели чипы из зелика?", "me_destination"),
        # "sits" typed for sites, a rubric's "section", "заходит" as selling well, sites
        # "раскиданы", a share that "отправляла" abroad
        ("the technopolis has how many sits?", "sites"),
        ("what section of the paper was it in?", "author"),
        ("в какой рубрике вышел этот материал?", "author"),
        ("что у технополиса лучше всего заходит за границей?", "microelectronics"),
        ("какая доля резидентов отправляла продукцию за рубеж", "exporters_share"),
        # "us" is a pronoun, no topic word
        ("tell us how much they exported", "export_volume"),
        # going up or down is the growth
        ("have the technopolis exports gone up or down?", "growth"),
        # what something is called asks its name
        ("как называются зеленоградские площадки технополиса?", "zelenograd_sites"),
    ],
)
def test_chat_words_for_the_knowledge_bases_words(
    engine: AnswerEngine, question: str, intent: str
) -> None:
    # slang, a common misspelling and chat abbreviations (lexicon.yaml) map to its words
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.FACT and ans.intent == intent, ans.details


@pytest.mark.parametrize(
    ("statement", "intent", "confirmed"),
    [
        ("главный экспорт технополиса — батареи", "microelectronics", False),
        ("the top export of technopolis was batteries", "microelectronics", False),
        ("главный экспорт технополиса — микроэлектроника", "microelectronics", True),
        # beside a place, the product is what goes there: the destination is checked
        ("главный покупатель батарей из технополиса — Африка", "battery_destination", False),
    ],
)
def test_a_product_said_to_sell_best_is_a_claim_on_which_one_did(
    engine: AnswerEngine, statement: str, intent: str, confirmed: bool
) -> None:
    ans = engine.answer(statement)
    assert ans.intent == intent and ans.claim is not None, ans.details
    assert ans.claim.confirmed is confirmed
    assert (engine.watch(statement) is not None) is (not confirmed)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("почём их литий-ионные батареи за штуку?", "ru"),
        ("сколько стоит аренда офиса в технополисе", "ru"),
        ("price of their lithium batteries?", "en"),
    ],
)
def test_a_price_is_not_in_the_article(engine: AnswerEngine, question: str, lang: str) -> None:
    ans = engine.answer(question)
    assert ans.kind is AnswerKind.OUT_OF_SCOPE and ans.details is not None
    assert ans.details.why_oos == "asks a price"
    assert ans.text.startswith({"ru": "Цен в статье нет", "en": "The article gives no prices"}[lang])


def test_where_something_stands_is_no_price(engine: AnswerEngine) -> None:
    ans = engine.answer("где стоит досмотровое оборудование из технополиса?")
    assert ans.intent == "security_destination"


@pytest.mark.parametrize(
    ("question", "confirmed"),
    [
        ("МИЭТ входит в технополис?", True),
        ("Is MIET part of Technopolis Moscow?", True),
        ("площадка в Троицке у технополиса есть?", False),
    ],
)
def test_whether_a_site_is_one_of_the_five(
    engine: AnswerEngine, question: str, confirmed: bool
) -> None:
    ans = engine.answer(question)
    assert ans.claim is not None and ans.claim.confirmed is confirmed, ans.details
