"""/check and watch mode, engine side: every claim of a message, and corrections nobody asked for."""

from __future__ import annotations

import pytest

from bot.engine import AnswerEngine


@pytest.mark.parametrize(
    ("text", "intent", "value"),
    [
        ("технополис в прошлом году экспорт вдвое поднял 🔥", "growth", "в три раза"),
        ("у технополиса всего 50 резидентов", "residents", "180"),
        ("резиденты технополиса наэкспортили на 300 лямов", "export_volume", "1,2 млрд"),
        ("Technopolis exports doubled last year lol", "growth", "three times"),
        ("Ефимов — глава технополиса, он и рассказал", "degtev", "Дегтев"),
        # a count of sites in one place is checked against that place's count
        ("все пять площадок технополиса в Зеленограде", None, "Печатник"),
        ("all five Technopolis sites are in Zelenograd", None, "Pechatniki"),
        # a title no one in the article holds: what the person named is
        ("Moscow mayor Vladimir Efimov said Technopolis exports tripled", "efimov", "Deputy Mayor"),
        ("technopolis exports grew by only 30% in 2020", "growth", "three times"),
        # a region by its compass point; a dash between a count and its place
        ("Литий-ионные батареи технополиса больше всего востребованы в Африке и Южной Азии", "battery_destination", "Северн"),
        ("Все пять площадок технополиса — в Зеленограде, больше нигде", None, "Печатник"),
        # another zone named as where a site is: a place the article has no site in
        ("Одна площадка в Сколково, остальные в Зеленограде", None, "Печатник"),
        ("the one non-Zelenograd site is in Skolkovo", "pechatniki", "Pechatniki"),
        # a share of all exports ever, though "resident" comes first
        ("That 1.2 bn is half of all resident exports ever", "share_alltime", "third"),
        # where a site is
        ("площадка МИЭТ технополиса находится в Печатниках", None, "Зеленоград"),
        ("Technopolis screening gear is used in the US and UK, but not in India or China", "security_destination", "India"),
        ("the MIET site of Technopolis is in Pechatniki, next to the metro", None, "Zelenograd"),
        # a share of the zone's residents, whoever said it; a title beside a figure is the claim
        ("half of the SEZ residents exported last year, that's what Efimov said", "exporters_share", "seventh"),
        ("мэр Москвы Владимир Ефимов заявил, что экспорт вырос втрое", "efimov", "заместитель"),
        # a message of who and what title only: both people's titles, the named one's too
        ("Degtev heads the investment and industrial policy department", "prokhorov", "director general"),
        ("Дегтев из департамента инвестполитики рассказал, куда что уехало", "prokhorov", "генеральный директор"),
        # one of the article's several, said to be the only one; a reason whose verb denies it
        ("батареи из технополиса везут только в Европу", "battery_destination", "Северн"),
        ("рост экспорта — только за счёт новых резидентов", "growth_reasons", "самими"),
        (
            "growth came purely from new residents, existing companies didn't increase shipments",
            "growth_reasons",
            "supplies",
        ),
        ("экспорт вырос, хотя резидентов в 2020 стало меньше", "growth_reasons", "новым"),
        ("the export growth came even though the number of residents fell", "growth_reasons", "new"),
        # "fewer than" is the claim's own word; a count said after its noun, words between
        ("technopolis has fewer than 100 residents", "residents", "180"),
        ("резидентов в технополисе всего около 50", "residents", "180"),
        # a count of sites said after its place, with words between
        ("в Зеленограде у технополиса всего две площадки", "zelenograd_sites", "четыре"),
        # "who" inside a statement asks nothing
        ("Degtev, who heads the city's investment department, said chips went to Asia", "prokhorov", "Prokhorov"),
        # the claim is one sentence of several, a question another
        ("Препод рассказывал, что резиденты технополиса наэкспортировали на 12 млрд рублей. Кто записал дз?", "export_volume", "1,2 млрд"),
        ("короче на паре рассказывали, что резиденты технополиса за 2020 наэкспортировали на 12 млрд рублей, препод аж прослезился 😂 кто записал дз?", "export_volume", "1,2 млрд"),
        # where the asker read it is not the claim
        ("экспорт технополиса миллиард восемьсот миллионов, если верить mos.ru", "export_volume", "1,2 млрд"),
        # the scale said first, the number after
        ("Прохоров говорит, вклад батарей, досмотра и дезинфекции — лямов сто", "other_leaders_sum", "500"),
        # the best-selling product, not one of the leaders
        ("the top export of Technopolis was the disinfection units", "microelectronics", "microelectronics"),
        ("больше всего у технополиса брали батареи, а не микросхемы", "microelectronics", "микроэлектрон"),
        # not naming the subject, but matched surely enough
        ("экспорт за 2020 вырос вдвое", "growth", "в три раза"),
        # a run-on with no punctuation parts where a new thought starts ("а у нас…")
        ("слушайте 90 процентов резидентов технополиса поставляли продукцию за рубеж а у нас в "
         "школе опять карантин до 15-го", "exporters_share", "седьм"),
        # ... in one stretch of a message about something else
        ("oh sure, exports went up tenfold vs 2019 last year, no biggie, my salary grew 3% in that "
         "time", "growth", "three times"),
        # the title is right, the figure wrong: the figure is the correction
        ("заммэра Ефимов отчитался: резиденты технополиса вывезли за рубеж на 2 500 000 000 рублей",
         "export_volume", "1,2 млрд"),
        # a percent of the residents is a share of them, not a count
        ("90 процентов резидентов технополиса поставляли продукцию за рубеж", "exporters_share",
         "седьм"),
        # "the residents' …": a possessive is not what the share is of
        ("the 2020 exports of Technopolis are only about a tenth of the residents' all-time "
         "export total", "share_alltime", "third"),
        # the article's amount is a currency's, "$1.2bn" is not it
        ("technopolis exports were $1.2bn in 2020", "export_volume", "roubles"),
        # a price beside the claim is no export figure
        ("room in Zelenograd for 8 people, 3,500 rub per hour. fun fact, all five technopolis "
         "sites are in Zelenograd", None, "Pechatniki"),
        # a reason for the growth the article does not give
        ("технополис вырос по экспорту только из-за субсидий, всё ясно", "growth_reasons", "резидент"),
        # a count with a word or two between ("former Soviet"), a share "of Technopolis residents"
        ("Technopolis sent its disinfection units to hospitals in nine former Soviet states", "disinfection_destination", "five"),
        ("about a quarter of Technopolis Moscow residents exported in 2020", "exporters_share", "seventh"),
        # the home country as a destination, said without a site beside it
        ("досмотровое оборудование технополиса только в России, за рубеж не ушло",
         "security_destination", "Инди"),
        # the subject named in one sentence, the claim in a stretch of the next
        ("помнишь технополис, где Лёша работает? так вот у них экспорт вырос в полтора раза, "
         "может премию дадут 🙏", "growth", "в три раза"),
        ("все площадки технополиса в Зеленограде, других нет", None, "Печатник"),
        # "всего, что … когда-либо экспортировали" is all-time, not half of a year's exports
        ("прошлогодний экспорт — это половина всего, что резиденты вообще когда-либо "
         "экспортировали", "share_alltime", "трет"),
        ("в Зеленограде классно, там 5 площадок технополиса", None, "четыре"),
        # a sum of another measure in another clause leaves the export sum a claim
        ("выручка у Микрона 3 ярда, а экспорт технополиса 2 ярда", "export_volume", "1,2 млрд"),
        # one resident who says something reports the residents' figure
        ("один из резидентов говорил, что экспорт технополиса вырос вдвое", "growth", "в три раза"),
        # "a hundred residents" counts them all, it is no one resident
        ("technopolis has a hundred residents", "residents", "180"),
        # a right title beside a wrong figure: the figure is corrected, not the person
        ("deputy mayor efimov said exports went up fivefold", "growth", "three"),
        # a right figure said by someone the article does not have say it
        ("Собянин сообщил, что экспорт технополиса втрое вырос", "growth", "Ефимов"),
        # a wrong title: the person's fact corrects it
        ("мэр Москвы Владимир Ефимов заявил что экспорт вырос втрое", "efimov", "заместитель"),
        # whose words, not whose thing: "наш главврач рассказывал"
        ("наш главврач рассказывал что установки для дезинфекции из технополиса отправили в "
         "больницы трёх стран, а нам так и не дали ни одной", "disinfection_destination", "пят"),
        # the speaker's own thing after the claim is not a reason for silence
        ("технополис занимает всего 22 га, меньше чем наше СНТ с соседним вместе", None, "223"),
        # "десяток" is ten; "максимум" bounds it from above
        ("говорят, технополис продаёт максимум в десяток стран", "countries", "20"),
        # the unit said before its number: "гектаров пятьсот"
        ("у технополиса земли гектаров пятьсот", "area", "223"),
        # a dash before "это" joins, it does not part; a short stretch after it is no reason
        # to read the sentence whole
        ("чипы — это 90% всего экспорта резидентов, остальное ерунда", "microelectronics", "половин"),
        # the scale said first, the number in digits after it: "лямов 100"
        ("у батарейщиков, дезинфекции и досмотрового вклад лямов 100 максимум", "other_leaders_sum", "500"),
        # a growth in percent without "by"; slang for batteries
        ("my uncle at technopolis says their exports only grew like 50% year on year", "growth", "three"),
        ("аккумы из технополиса уходят в Африку в основном", "battery_destination", "Европ"),
        # a product named in one stretch, the places in another
        ("the screening gear is used in airports in the US and UK, none of it in Asia", "security_destination", "India"),
        # a site placed where the article has none
        ("одна площадка технополиса в Троицке, остальные в Зеленограде", None, "Печатник"),
        # another product said to sell best: few of its words are the topic's, its form is
        ("главный экспортный хит технополиса — установки для дезинфекции", "microelectronics", "микроэлектроник"),
        ("disinfection units were the #1 export category for technopolis", "microelectronics", "microelectronics"),
        # a word of foreign markets says it, as one of exporting does
        ("самым ходовым на внешних рынках у них были батареи, я так и думал", "microelectronics", "микроэлектроник"),
        ("biggest foreign demand was for the battery packs made in the SEZ", "microelectronics", "microelectronics"),
        # "если честно", "if anything": fillers, no what-if, beside a wish of the speaker's
        ("экспорт технополиса вырос вдвое, я бы тоже так хотел, если честно", "growth", "в три раза"),
        ("if anything, technopolis exports doubled in 2020, I would know", "growth", "three times"),
        ("полтора ярда экспорта за прошлый год у ОЭЗ, Ефимов говорил", "export_volume", "1,2 млрд"),
        ("Angstrem is the Pechatniki site", None, "Zelenograd"),
        # the speaker's own year beside the claim
        ("moved to Kazan in 2019, and the technopolis back home is just 22 ha", "area", "223.3"),
        # a wrong title beside a wrong figure: the figure is what is corrected
        ("Degtev, the deputy mayor, said most of the chips went to Africa", "me_destination", "South-East Asia"),
        ("Дегтев, вице-мэр, говорил, что экспорт вырос вдвое", "growth", "в три раза"),
        # ... and with the figure right, the title
        ("Прохоров, гендиректор технополиса, рассказал про рост экспорта втрое", "degtev", "Дегтев"),
        # a product named in slang or by its use, its buyers by nationality
        ("the anti-terror frames from technopolis mostly ship to Germany and France", "security_destination", "India"),
        ("аккумуляторы технополиса в основном берут японцы и австралийцы", "battery_destination", "Северной Америке"),
        ("Батарейки технополиса в основном покупают корейцы и японцы", "battery_destination", "Северной Америке"),
        ("чипы технополиса в основном уходили на запад, это все знают", "me_destination", "Юго-Восточной"),
        # a share of the residents said in English, the verb after them; an upper bound below
        # the article's lower one
        ("apparently every second technopolis resident exports abroad", "exporters_share", "seventh"),
        ("у технополиса покупателей меньше 20 стран, слабовато", "countries", "20"),
        # the article's own places denied, a verb between
        ("the technopolis screening gear isn't used in India or China, my cousin says", "security_destination", "India"),
        ("антитеррористические рамки резидентов используются в Бразилии и Турции, а в Азию их не возят", "security_destination", "Индии"),
        # a verb of going for where goods went
        ("аккумуляторы технополиса в основном едут в Японию", "battery_destination", "Северной Америке"),
        # a fall, said as such
        ("экспорт технополиса в 2020 сократился в два раза, кризис же", "growth", "в три раза"),
        # the right number in the wrong unit
        ("the technopolis covers 223 square kilometres, basically a town", "area", "223.3 hectares"),
        # a venue other than the article's, for a product it names
        ("the screening equipment from technopolis is used only in shopping malls", "security_destination", "airports"),
        ("дезинфекционные установки технополиса ставят в школы и детсады", "disinfection_destination", "больницы"),
        # a venue that only says what the product is ("airport scanners") is no claim of where
        ("the airport security scanners were the top export of the technopolis abroad", "microelectronics", "microelectronics"),
        # a count of residents beside a place: of the residents, not of the sites there
        ("my neighbour says the zelenograd technopolis has about 90 residents", "residents", "180"),
        # a count of sites in the district a site is named for: the count is checked
        ("у технополиса в Печатниках целых три площадки, прикиньте", None, "одна"),
        # what the value is of said before a dash, the value after it
        ("короче, экспорт технополиса за прошлый год — лямов триста, смешно", "export_volume", "1,2 млрд"),
        ("ну у резидентов технополиса экспорт за 2020 — полмиллиарда, не больше 🙄", "export_volume", "1,2 млрд"),
        # a run-on with no punctuation: the claim is a few words of it
        (
            "короче я читал в метро что технополис за двадцатый год экспорт поднял в пять раз "
            "потом уснул и проехал свою станцию",
            "growth",
            "в три раза",
        ),
        (
            "so i was reading on the train that technopolis residents exported like 300 million "
            "rubles last year and then i missed my stop lol",
            "export_volume",
            "1.2 billion",
        ),
        # the right figure said by the wrong person: who says it in the article, not whoever
        # speaks of the products a part of it names (Degtev, on where batteries go)
        ("Efimov was the one who said batteries, screening gear and disinfection kit brought in nearly 500 million", "other_leaders_sum", "Prokhorov"),
        # a country the values did not know: its region decides
        ("дезинфекционные установки технополиса возили в больницы Испании", "disinfection_destination", "постсоветского"),
        # a title of the article's held by a name it lacks
        ("у технополиса гендиректор теперь Сергей Волков, говорят", "degtev", "Дегтев"),
        # the article's figure, said of an earlier year: corrected for the year
        ("the technopolis residents already exported 1.2 billion roubles back in 2017", "export_volume", "for 2020"),
    ],
)
def test_watch_corrects_a_wrong_value_with_the_articles(
    engine: AnswerEngine, text: str, intent: str | None, value: str
) -> None:
    ans = engine.watch(text)
    assert ans is not None and (intent is None or ans.intent == intent)
    assert ans.claim is not None and ans.claim.confirmed is False
    assert value in ans.text and ans.sources


@pytest.mark.parametrize(
    "text",
    [
        "технополис экспорт втрое поднял, красавцы",  # right
        "в технополисе больше 180 резидентов",  # right, with the article's qualifier
        "экспорт технополиса вырос вдвое?",  # a question to the group, not to the bot
        "сколько там резидентов у технополиса, 50?",  # a question
        "в 2021 у технополиса было 2 ярда",  # a year the article does not cover
        "встречаемся в 5 у Зеленограда",  # numbers about other things
        "взял 2 пиццы, доллар по 90",
        "Сколково экспорт вдвое поднял",  # another zone
        "наш отдел вырос втрое за год",
        # a what-if claims nothing
        "Если бы экспорт технополиса вырос вдесятеро, Ефимов бы уже из каждого утюга рассказывал",
        "If Technopolis exports had grown tenfold, Efimov would be on every channel by now",
        "если бы экспорт технополиса вырос вдвое, я бы удивился",
        # a right share of all exports ever, though "resident" comes first
        "That 1.2 bn is roughly a third of all resident exports ever",
        # the article's amount, then a conversion it does not give
        "technopolis exported 1.2 bn rubles, roughly 16 million dollars at 2020 rates",
        # a right count beside a time on the clock
        "сбор в 10:30 у проходной, технополис — это пять площадок, увидим одну",
        # a share of someone else than the residents
        "каждый пятый житель Зеленограда работает на заводах",
        # where a site is, not where goods went
        "MIET is the best tech university in Russia",
        # the speaker's own plant, office or exports, beside the subject
        "наш завод не в технополисе, но мы тоже экспортируем, в прошлом году на 50 млн",
        "our office in technopolis is 120 sq m, rent is brutal",
        # a share of the speaker's own chat, not of the residents
        "каждый второй в нашем чате из Зеленограда",
        # a reason word with no growth: subsidies promised, not why exports grew
        "субсидии для резидентов технополиса обещают увеличить",
        # a right reason
        "у технополиса экспорт вырос благодаря новым резидентам",
        # a number in words is not parted at its "and"
        "Technopolis has more than one hundred and eighty resident companies",
        # the speaker's own technopark, though "технопарк" is a word of the subject
        "наш технопарк в Казани — 20 тысяч квадратов, зато свой",
        # a right count of one place, pointed back to ("там"): no stretch reads it as the total
        "Ефимов в Зеленограде был, там 4 площадки технополиса",
        "I was in Zelenograd, there are 4 technopolis sites there",
        # a person beside a right figure, with no word of saying: not who said it
        "Прохоров молодец, экспорт втрое вырос",
        # a decade, not a count of sites
        "микроэлектроника в зелике с 60-х годов, это же центр всей отрасли",
        "",
        # a bare number is no claim to correct unasked ("на 2 курсе")
        "дочка в МИЭТе на 2 курсе, общага 1500 в месяц",
        # another site's area: a flat, not the technopark
        "в Печатниках однушку 38 квадратов сдают за 45к, нормально?",
        # places with no word of exporting and no product: freight rates, not destinations
        "по Индии ставка фрахта 3500$, по Китаю 2800$",
        # a growth of something else than the exports
        "зарплаты у резидентов технополиса выросли на 10%",
        "rent at the technopolis went up by 20%",
        # millions without a unit are money, not land
        "участок 8 соток в Алабушево 3,2 млн, кто брал?",
        # a right count, its noun said between the place and the number
        "в Печатниках площадка технополиса одна, а в Зеленограде четыре",
        # an ordinal, not a count
        "пятая площадка в Печатниках, а мы 5 лет там жили и не знали",
        # nothing but the value says what it counts, and the subject is not named
        "в 10 странах я уже был, а в Индии нет",
        "я был в 5 странах за год",
        # a right count, and a bare number beside it that no spec reads as typed
        "the technopolis is five sites, 4 of them in Zelenograd",
        # a share of people, not of the residents
        "every fifth guy in Zelenograd works in microelectronics, feels like",
        # a place the knowledge base does not name, with no site placed there
        "живу в Химках, до площадки Микрон ехать час",
        # a sum of some other measure beside the article's subject: no export sum
        "у нас в технополисе зарплата инженера 150к, а выручка резидента за 2020 — 3 ярда",
        "technopolis tripled exports in 2020 to 1.2bn rubles and my salary is 80k",
        # one resident company's own figures, not the residents'
        "знакомая в резиденте технополиса работает, у них 60 человек и экспорт в 2 страны",
        "friend works at a technopolis resident, 60 people, export to 2 countries",
        "наша контора — резидент технополиса, отгрузили в Казахстан на 40 лямов",
        "🔥🔥🔥",
        # a best-seller of something else than the exports
        "главный хит нашего магазина — батарейки",
        "кроме микроэлектроники больше всего экспортируют батареи",
        # a right figure that one reading of the message matches to another fact: a stretch
        # that states it matches the fact it is right for, surer
        "ярд двести лямов экспорта за прошлый год у ОЭЗ, Ефимов рассказывал. Моя квартира столько "
        "не стоит",
        # an amount a thousand times off the article's: of something else
        "Прохоров про почти 500 млн говорил, а у меня 200 рублей до аванса 🥲",
        "экспорт у технополиса 1,2 ярда, а у меня на карте 300 рублей",
        "the residents exported 1.2 bn rubles and I have 40 rubles left till payday",
        # a year said of the exports that the article gives only as the comparison: no
        # amount of its to check ("если делить на три": right, though the article says not)
        "В 2019 у технополиса экспорт был скромнее, где-то 400 млн, если делить на три",
        # a share of something, with no product named: not the chips' half
        "экспорт за 2020 — треть от прошлогоднего",
        # thousands in slang are money, not square metres: a salary is no area of the sites
        "He makes 190k in Moscow now but the Zelenograd sites are closer",
        "she earns 120k at a Zelenograd site now",
        # a price after a dash, of something else than the exports
        "пицца в столовой технополиса — 300 рублей, дорого",
        # a run-on: a run of its words that cuts a value in two ("…тысяч квадратов") is no claim
        "говорят в Алабушево построят 150 тысяч квадратов технопарка и надеюсь хоть 1 нормальную "
        "столовую там откроют наконец",
        "мы вчера с пацанами до ночи сидели в баре у метро и обсуждали что за 2 года цены "
        "выросли в три раза ужас просто",
        # where someone's own equipment goes, with no product and no subject named
        "Возим оборудование в Казахстан, 2 фуры в неделю, пока без проблем",
        # an area said beside another site than the technopark's, in another stretch
        "в Печатниках достроили новый бизнес-центр, вроде 30 тысяч квадратов",
        # a sum with no word of exporting or earning: the speaker's own need
        "Кто знает инвесторов в Зеленограде? Нам нужно 20 лямов на раунд",
        # a country's own exports
        "по телику сказали, экспорт нефти из России в Китай вырос вдвое",
        "wheat exports from Russia to Egypt doubled this year, wild",
        # the west of a town is no place the exports went
        "на западе Зеленограда открыли новый ТЦ, там 5 этажей",
        # a site named for its district, rightly
        "у технополиса есть площадка в Печатниках, я там был",
        # a list of the sites with "plus" before the other one; a what-if with "ever"
        "Technopolis sites: Mikron, MIET, Angstrem, Alabushevo in Zelenograd plus one in Pechatniki",
        "If the technopolis ever hits 10 bn in exports I'm buying drinks 🍾",
        # "not only" is the opposite of "only"; all of the article's places, only
        "экспорт вырос не только за счёт новых резидентов, но и сами компании нарастили поставки",
        "в Зеленограде у технополиса четыре площадки",
        # a distance is no area
        "до технополиса 5 км от метро, удобно",
        # a venue with a product but not the subject: someone's own kindergarten
        "В садике дезинфекция, закрыто на 3 дня",
        # the article's own venues
        "досмотровые рамки технополиса стоят в аэропортах и на вокзалах",
        # where a show was, not where goods went; another country's zone
        "стенд технополиса на выставке в Дубае был самый большой, рамки там крутили весь день",
        "the free zone in the Emirates has like 3,000 companies in it",
        "у соседей в Узбекистане в свободной зоне уже 700 компаний",
        # another organisation's shipments, the technopolis unnamed
        "соседняя фирма возит установки для дезинфекции в Италию, говорят норм берут",
        "a rival firm sends its screening gear to Brazil and Chile",
    ],
)
def test_watch_stays_silent(engine: AnswerEngine, text: str) -> None:
    assert engine.watch(text) is None


def test_check_gives_a_verdict_on_each_claim(engine: AnswerEngine) -> None:
    answers = engine.check("экспорт технополиса вырос вдвое. Резидентов там 300")
    verdicts = {a.intent: a.claim.confirmed for a in answers if a.claim}
    assert verdicts == {"growth": False, "residents": False}


@pytest.mark.parametrize(
    ("text", "verdicts"),
    [
        # two claims in one sentence, each in its stretch
        ("экспорт вырос вдвое, а резидентов 50", {"growth": False, "residents": False}),
        (
            "Дегтев, вице-мэр, говорил, что чипы в основном в Африку ушли",
            {"efimov": False, "me_destination": False},
        ),
        # a stretch's "no" holds to watch mode's rules: where the others sell is no destination
        (
            "экспортировал каждый седьмой резидент, остальные работают на внутренний рынок",
            {"exporters_share": True},
        ),
    ],
)
def test_check_gives_a_verdict_on_each_claim_of_a_sentence(
    engine: AnswerEngine, text: str, verdicts: dict[str, bool]
) -> None:
    assert {a.intent: a.claim.confirmed for a in engine.check(text) if a.claim} == verdicts


def test_check_answers_a_question_as_a_question(engine: AnswerEngine) -> None:
    (ans,) = engine.check("сколько резидентов в технополисе?")
    assert ans.intent == "residents" and ans.claim is None


def test_check_finds_a_claim_said_in_passing(engine: AnswerEngine) -> None:
    # no clause of it is a claim alone; a stretch between commas is, as watch mode reads it
    found = engine.check(
        "wow, a whole 120 million rubles of exports from Technopolis in 2020, truly the Silicon "
        "Valley of Zelenograd"
    )
    assert [a.intent for a in found] == ["export_volume"]
    assert found[0].claim is not None and found[0].claim.confirmed is False


def test_check_gives_a_verdict_beside_an_unrelated_question(engine: AnswerEngine) -> None:
    # the question is to the group ("кто записал дз?"), the claim is the article's
    found = engine.check(
        "Препод рассказывал, что резиденты технополиса наэкспортировали на 12 млрд рублей. "
        "Кто записал дз?"
    )
    assert found and found[0].claim is not None and found[0].claim.confirmed is False


def test_check_finds_nothing_in_chatter(engine: AnswerEngine) -> None:
    assert engine.check("что-то скучно сегодня, пойду пообедаю") == []


@pytest.mark.parametrize(
    "text",
    [
        "был в технополисе на экскурсии, ходили 2 часа",
        "в Зеленограде 3 градуса, жесть",
        "у нас в Зеленограде открыли 2 новых кафе",
        "резиденты технополиса приглашают на день открытых дверей 15 мая",
        "в технополисе работает тысяч десять человек, наверное",  # people, not residents
        "open day at the Mikron site tomorrow at 11",  # a time, not a count of sites
        "резиденты наэкспортировали на миллиард двести миллионов рублей",  # right, in two parts
        "одна площадка в Печатниках, остальные в Зеленограде",  # right of Pechatniki
        "four of the five Technopolis sites are in Zelenograd",  # right: four, of the five
        "пять площадок у технополиса, и все кроме Печатников в Зеленограде",  # right
        "у нас на предприятии экспорт 40% выручки, в основном Казахстан и Беларусь",  # our own
        "работаю в Микроне 3 года, зарплату за это время раза в полтора подняли",  # a time span
        "Иннополис тоже хвалится, у них за год вдвое выросло число резидентов",  # another zone
        "в 2021 у технополиса, наверное, было уже 2 ярда экспорта",  # another year
        "батареи технополиса тоже среди лидеров экспорта",  # right: one of the leaders
        "«Микрон», «МИЭТ» и «Ангстрем» — площадки технополиса в Зеленограде",  # right
        "на площадке МИЭТ, говорят, аренда 1500 рублей за квадрат",  # rent, not the technopark
    ],
)
def test_watch_ignores_numbers_about_other_things_near_the_subject(
    engine: AnswerEngine, text: str
) -> None:
    assert engine.watch(text) is None


def test_a_scale_word_does_not_pick_the_fact_an_amount_is_checked_against(
    engine: AnswerEngine,
) -> None:
    # "миллионов" is the other leaders' 500 million's word, but this is the residents' total
    ans = engine.watch("Ну да, экспорт технополиса за 2020 — восемьсот лямов, нашли чем хвастаться")
    assert ans is None or ans.intent == "export_volume", ans.text


def test_a_what_if_is_silent_in_watch_mode_but_checked_when_asked(engine: AnswerEngine) -> None:
    text = "If Technopolis exports had grown tenfold, Efimov would be on every channel by now"
    assert engine.watch(text) is None
    verdicts = engine.check(text)
    assert [a.intent for a in verdicts] == ["growth"]
    assert verdicts[0].claim is not None and verdicts[0].claim.confirmed is False
