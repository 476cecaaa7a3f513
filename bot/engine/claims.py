"""Claims: the values a message states ("вырос вдвое", "300 лямов", "в Европу", "Ефимов — глава")
and the verdict of the article on them.

The reader turns a message into typed values (money, multiplier, share, count, area, and
named places, people, products and sources, plus job titles); the verdict compares them with
the values an intent's answer states (its `claims` in the intent files), respecting the
article's qualifiers ("более 20", "почти половина", "около 150 тысяч"). The language data is
knowledge/values.yaml; nothing here is specific to one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal, NamedTuple

from bot.engine.figures import YEAR_MAX, YEAR_MIN, FigureReader, soft_sign_optional
from bot.engine.models import NUMERIC_KINDS, ClaimSpec, ValueForm, ValueLexicon

# Where a value may start and end: not inside a word, nor right after a currency sign.
_WORD_START, _WORD_END = r"(?<![\w$€₽])", r"(?![\w])"
# Words that may stand between a share and what it is of: "половину всего экспорта", "a third of
# all exports"; any other word ends the look ("10% of everything residents exported").
_OF_FILLER = (
    r"of|from|the|all|its|their|total|overall|всего|всех|всей|от|из|их|его|общего|общей|суммарного"
)
_CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.][0-5]\d(?!\d)")  # "10:30", "7.45"
_HALF = r"(?P<half>\s+(?:с\s+половиной|and\s+a\s+half))?"
_CURRENCY_SIGNS = {"$": "usd", "€": "eur", "₽": "rub"}
# square metres in each area unit of values.yaml `units`
AREA_M2 = {"m2": Fraction(1), "ha": Fraction(10_000), "km2": Fraction(1_000_000)}
MAX_STATED = 12
WHO = ("person", "role")  # who said it or holds a title, beside what is said
# entity kinds: a topic or a claim
NAMED = ("place", "site", "person", "product", "source", "zone", "status", "reason", "venue")
MAX_VALUE = 10**15  # "1 2 3 ... 999" read as one number is not a value anyone states
# how far back a counted noun may stand ("стран-покупателей у технополиса штук десять")
COUNTED_BEFORE = 48
AREA_WITHOUT_UNIT_MAX = 10**6  # an amount said without unit or currency may be an area below this
UNIT_BEFORE = 16  # "гектаров триста": the unit right before the number
NEGATION_REACH = 36  # "aren't being shipped to China": the negation, verbs and a preposition
# A verdict on a value: True right, False wrong, None partly; SKIP, the value is not about it.
SKIP: Literal["skip"] = "skip"
Outcome = bool | None | Literal["skip"]


@dataclass(frozen=True, slots=True)
class Stated:
    """One value a message states. `kind` "number" is a bare number ("1,2?", "10 площадок" is a count)."""

    kind: str  # money | multiplier | share | count | area | number | place | person | ... | role
    raw: str
    start: int
    end: int
    value: Fraction | None = None
    unit: str | None = None  # currency, area unit, or what a count counts
    qualifier: str = "exact"
    entity: str | None = None  # entity id; for a role, the person who holds it
    of: str | None = None  # for a share: what it is a share of, when the message says
    where: str | None = None  # for a count or a site: the place the message puts it in
    top: bool = False  # for a product: said to be the best-selling one ("the top export was …")
    money_only: bool = False  # an amount with a scale said only of money ("190k"): no area
    only: bool = False  # for a name: said to be the only one ("только за счёт новых резидентов")
    denied: bool = False  # for a place, venue or source: said not to be it ("not in India")


@dataclass(frozen=True, slots=True)
class Verdict:
    """True: the article confirms it; False: it contradicts it; None: partly."""

    confirmed: bool | None
    stated: tuple[Stated, ...]
    spec: ClaimSpec
    year: str | None = None  # refuted for this year said: the value is of another (spec.when)


class _Found:
    """The values read so far and the stretches of text they took: each stretch is read once."""

    __slots__ = ("stated", "taken")

    def __init__(self) -> None:
        self.stated: list[Stated] = []
        self.taken: list[tuple[int, int]] = []

    def free(self, m: re.Match[str], group: int | str = 0) -> bool:
        a, b = m.span(group)
        return all(b <= s or a >= e for s, e in self.taken)

    def free_but_places(self, m: re.Match[str]) -> bool:
        """Free, or overlapping only places inside it: "2 post-Soviet countries", "в три
        постсоветские страны" count countries and name where."""
        a, b = m.start(), m.end()
        places = {(s.start, s.end) for s in self.stated if s.kind == "place"}
        return all(
            b <= s or a >= e or ((s, e) in places and a < s and e < b) for s, e in self.taken
        )

    def add(self, st: Stated) -> None:
        self.stated.append(st)
        self.taken.append((st.start, st.end))

    def skip(self, st: Stated) -> None:
        """Read, and no value: the stretch is not read again as a bare number."""
        self.taken.append((st.start, st.end))


class _Alternations(NamedTuple):
    """values.yaml's word lists as regex alternations, a named group each (see _group)."""

    scale: str  # s{i}: scale words after the number ("300 миллионов")
    before: str  # b{i}: scale words said before the number ("тыщ на 150")
    unit: str  # u_{unit}
    currency: str  # c_{currency}
    counted: str  # k_{noun}: what a count counts
    any_scale: str  # the scale words after a number, no groups (to look ahead with)
    over: str  # words after a number that make it "more than" it ("180 с лишним", "180+")

    @classmethod
    def of(cls, values: ValueLexicon) -> _Alternations:
        return cls(
            scale="|".join(
                f"(?P<s{i}>{w.pattern})" for i, w in enumerate(values.scale) if not w.before
            ),
            before="|".join(
                f"(?P<b{i}>{w.pattern})" for i, w in enumerate(values.scale) if w.before
            ),
            unit=_named_groups("u_", values.units),
            currency=_named_groups("c_", values.currencies),
            counted=_named_groups("k_", values.counted),
            any_scale="|".join(f"(?:{w.pattern})" for w in values.scale if not w.before),
            over=values.over_after or r"(?!)",
        )


def _named_groups(prefix: str, patterns: dict[str, str]) -> str:
    return "|".join(f"(?P<{prefix}{k}>{p})" for k, p in patterns.items())


def _names_pattern(values: ValueLexicon) -> tuple[dict[str, tuple[str, str]], re.Pattern[str]]:
    """One scan for every name and job title: group name -> (kind, entity or person id)."""
    named = [("role", pid, pat) for pid, pat in values.roles.items()]
    named += [(e.kind, eid, e.pattern) for eid, e in values.entities.items()]
    # Several words first: "Западной Европе" is one place, not "Европе"; unnamed places last,
    # so that a name the knowledge base has is read as that name.
    unnamed = values.unnamed
    named.sort(key=lambda n: (n[1] in unnamed, "\\s" not in n[2]))
    kinds = {f"g{i}": (kind, ident) for i, (kind, ident, _) in enumerate(named)}
    pattern = re.compile(
        # the word start once, outside the alternation: most positions fail on it at once
        _WORD_START
        + "(?:"
        + "|".join(f"(?P<g{i}>{pat}){_WORD_END}" for i, (_, _, pat) in enumerate(named))
        + ")",
        re.I,
    )
    return kinds, pattern


def _site_words_pattern(values: ValueLexicon) -> re.Pattern[str] | None:
    """The words that speak of the sites: what counts them ("площадка") and their names."""
    names = [e.pattern for e in values.entities.values() if e.kind == "site" and not e.unnamed]
    words = [p for unit, p in values.counted.items() if unit == "sites"] + names
    return re.compile(rf"{_WORD_START}(?:{'|'.join(words)}){_WORD_END}", re.I) if words else None


def _forms_pattern(forms: list[ValueForm], number: str) -> re.Pattern[str]:
    """One pattern per kind, a group per form: one scan of the text instead of one per form."""
    alts = [
        f"(?P<f{i}>(?:{soft_sign_optional('|'.join(form.forms)).replace('{n}', number)}){_WORD_END})"
        for i, form in enumerate(forms)
    ]
    # the word start once, outside the alternation: most positions fail on it at once
    return re.compile(f"{_WORD_START}(?:{'|'.join(alts)})", re.I)


def _word_sequence(number_words: str, point: str = "") -> str:
    """Number words said together ("двадцать пять", "eight hundred and fifty"; with the
    lexicon's `point`, "one point two")."""
    one = rf"(?:{number_words})(?!\w)"
    decimal = rf"(?:\s+(?:{point})\s+{one})?" if point else ""
    return rf"{one}(?:(?:\s+(?:and\s+)?|-){one})*{decimal}"


def _percent_pattern(number_words: str, point: str) -> re.Pattern[str]:
    """ "30%", "девяносто процентов"; "процентов 90", the unit said first, is "about 90%"."""
    n = rf"\d+(?:[.,]\d+)?|{_word_sequence(number_words, point)}"
    return re.compile(
        rf"{_WORD_START}(?:(?P<n>{n})\s*(?:%|процент\w*|percent|per\s*cent|pct)"
        rf"|(?:процент\w*|percent)\s+(?P<n2>{n})){_WORD_END}?",
        re.I,
    )


def _amount_pattern(
    alt: _Alternations, number_words: str, prefix: str, point: str
) -> re.Pattern[str]:
    """A number with what makes it a value: scale, currency, area unit, or a counted noun
    (`prefix`: values.yaml counted_prefix, words that may stand before the noun)."""
    before_noun = rf"(?:(?:{prefix})\s+)?" if prefix else ""
    return re.compile(
        rf"{_WORD_START}(?:(?:{alt.before})\s+)?(?:(?P<cur0>\$|€|₽)\s?)?"
        rf"(?P<num>\d{{1,3}}(?:[  ]\d{{3}})+(?!\d)|\d{{1,3}}(?:,\d{{3}}){{2,}}(?![\d,])"
        rf"|\d+(?:[.,]\d+)?|{_word_sequence(number_words, point)})"
        rf"(?:\s*(?:{alt.scale})(?![\w]))?{_HALF}(?P<over>\s*(?:{alt.over}))?"
        # one word between ("пяти постсоветских стран"), after a prefix ("ten former Soviet states")
        rf"(?:\s*(?:{alt.unit}|{alt.currency}|{before_noun}(?:[\w-]+\s+)?"
        rf"(?:{alt.counted}))(?![\w]))?",
        re.I,
    )


def _scale_hundreds_pattern(
    values: ValueLexicon, alt: _Alternations, number_words: str
) -> re.Pattern[str] | None:
    """A scale word said alone (values.yaml `one_scale`), then number words, and no scale
    after them: "миллиард восемьсот", not "миллиард двести миллионов" (read as two parts)."""
    if not values.one_scale:
        return None
    return re.compile(
        rf"{_WORD_START}(?=(?:{values.one_scale})(?!\w))(?:{alt.scale})\s+"
        rf"(?P<h>{_word_sequence(number_words)})(?!\s*(?:{alt.any_scale}|{number_words})(?!\w))",
        re.I,
    )


def _bare_scale_pattern(alt: _Alternations, number_words: str) -> re.Pattern[str]:
    """A scale word standing for its own number: "a billion and a half", "пол-ярда"."""
    return re.compile(
        rf"{_WORD_START}(?P<pre>half\s+an?|an?|one|пол(?=[-‐\s]))?[-‐\s]*(?P<w>{alt.scale})"
        rf"{_HALF}(?:\s*(?:{alt.currency}|{alt.unit}|{alt.counted}))?{_WORD_END}"
        # "тысяч на 150 кв. м", "ярдов на полтора": an amount said scale first, read below
        rf"(?!\s+(?:на\s+)?\d|\s+на\s+(?:{number_words})(?!\w))"
        # "тысяч десять человек": the number said after its scale, what it counts decides;
        # not "миллиард двести миллионов", one amount in two parts
        rf"(?!\s+{_word_sequence(number_words)}(?!\s*(?:{alt.any_scale}|{number_words})(?!\w)))",
        re.I,
    )


def _share_patterns(
    values: ValueLexicon,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    """What a share is of, named right after it; the head an English share names last ("a
    third of all resident exports"); and the "of" that lets it."""
    of = _named_groups("o_", values.share_of)
    if not of:
        return None, None, None
    # "a quarter of Technopolis Moscow residents": the subject's names between too
    filler = f"{_OF_FILLER}|{values.share_of_names}" if values.share_of_names else _OF_FILLER
    # "половину всего экспорта", "каждый седьмой резидент": the noun within two words; "the
    # residents' all-time export total": a possessive is not what the share is of
    share_of = re.compile(rf"\s+(?:(?:{filler})\s+){{0,3}}(?:{of})(?![\w'’])", re.I)
    head = re.compile(rf"\s+(?![^\W\d_]*(?:ed|ing)(?!\w))(?:{of})(?![\w'’])", re.I)
    return share_of, head, _words_re(values.part_of, "")


def _amount_word_pattern(values: ValueLexicon, number_words: str) -> re.Pattern[str]:
    """Number words, scale words and one-word multipliers ("вдвое"): words of how much."""
    multiplier_words = "|".join(
        f for form in values.multipliers for f in form.forms if "{n}" not in f and "\\s" not in f
    )
    return re.compile(
        "|".join(
            [number_words, *(w.pattern for w in values.scale if not w.before)]
            + ([multiplier_words] if multiplier_words else [])
        ),
        re.I,
    )


def _after_re(words: str) -> re.Pattern[str] | None:
    """values.yaml's optional words said right after a value; None: unset."""
    return re.compile(rf"\s*(?:{words})(?!\w)", re.I) if words else None


def _in_sentence(pattern: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    """`pattern` is found in the sentence around text[start:end]."""
    if pattern is None:
        return False
    first = max(text.rfind(ch, 0, start) for ch in ".!?;\n") + 1
    last = min((i for ch in ".!?;\n" if (i := text.find(ch, end)) >= 0), default=len(text))
    return pattern.search(text, first, last) is not None


def _words_re(words: str, tail: str) -> re.Pattern[str] | None:
    """values.yaml's optional word lists as a pattern (whole words, then `tail`); None: unset."""
    return re.compile(rf"{_WORD_START}(?:{words}){tail}", re.I) if words else None


def _asked_count_patterns(
    values: ValueLexicon, alt: _Alternations
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """A count asked for: "how many sites", and the noun first, the question last ("…spread
    over several sites, how many exactly?")."""
    if not values.count_question:
        return None, None
    between = rf"(?!(?:{values.compared})\s)[^\W\d_]+\s+" if values.compared else r"[^\W\d_]+\s+"
    first = re.compile(
        rf"{_WORD_START}(?:{values.count_question})\s+(?:{between}){{0,2}}?"
        rf"(?:{alt.counted})(?![\w])",
        re.I,
    )
    last = re.compile(
        rf"(?:{alt.counted})(?![\w])[^.!?]{{0,40}}?{_WORD_START}(?:{values.count_question})"
        rf"(?:\s+[^\W\d_]+)?[\s?!.]*$",
        re.I,
    )
    return first, last


def _negation_after_pattern(words: str, between: int) -> re.Pattern[str] | None:
    """At most `between` words, then a denial: "existing companies didn't increase…" (two),
    "в Азию их не возят" (one); None: unset."""
    if not words:
        return None
    return re.compile(rf"(?:\s+[^\W\d_]+){{0,{between}}}\s+(?:{words})(?!\w)", re.I)


def _only_pattern(values: ValueLexicon) -> re.Pattern[str] | None:
    """ "only", then at most two words, ending where a name starts."""
    if not values.only:
        return None
    return re.compile(rf"{_WORD_START}(?:{values.only})(?:\s+[^\W\d_]+){{0,2}}\s+$", re.I)


def _top_pattern(values: ValueLexicon) -> re.Pattern[str] | None:
    """A superlative; "the biggest market for batteries" is where they sell best, not what
    sells best."""
    market = rf"(?!\s+(?:{values.top_market})(?!\w))" if values.top_market else ""
    return _words_re(values.top, _WORD_END + market)


def _others_top(values: ValueLexicon) -> re.Pattern[str] | None:
    """ "the other top exporters", "остальные лидеры": the best of the rest."""
    if not (values.others and values.top):
        return None
    return _words_re(rf"(?:{values.others})\s+(?:{values.top})", _WORD_END)


# A person's name as people write it: a capitalized word or two or three ("Ivanov", "Андрей Петров")
_PERSON_NAME = r"(?P<name>[A-ZА-Я][a-zа-я]{2,}(?:[-‐][A-ZА-Я][a-zа-я]+)?(?:\s+[A-ZА-Я][a-zа-я]{2,}){0,2})"


class _Holders(NamedTuple):
    """values.yaml's words between a job title and a name that says who holds it."""

    after: re.Pattern[str]
    before: re.Pattern[str]
    not_people: re.Pattern[str]

    @classmethod
    def of(cls, values: ValueLexicon) -> _Holders | None:
        if not (values.holder_after and values.holder_before):
            return None
        return cls(
            re.compile(rf"(?i:{values.holder_after}){_PERSON_NAME}(?![^\W\d_])"),
            re.compile(rf"(?<![^\W\d_]){_PERSON_NAME}(?i:{values.holder_before})"),
            re.compile(values.not_people or r"(?!)", re.I),
        )

    def holder(self, text: str, role: Stated) -> re.Match[str] | None:
        """The name said to hold the title, after it or before it; None: none, or no one's."""
        m = self.after.match(text, role.end) or self.before.search(text[: role.start])
        if m is None or any(self.not_people.fullmatch(w) for w in m.group("name").split()):
            return None
        return m


def _is_year(value: Fraction, raw: str) -> bool:
    return value.denominator == 1 and YEAR_MIN <= value <= YEAR_MAX and len(raw) == 4


class ClaimReader:
    def __init__(self, values: ValueLexicon, figures: FigureReader) -> None:
        self.values = values
        self.figures = figures
        number_words = figures.word_pattern.pattern
        # What a form's {n} becomes: a number, in digits or a word (a form may hold it twice).
        number = rf"(\d+(?:[.,]\d+)?|(?:{number_words})(?!\w))"
        self._name_kinds, self._names = _names_pattern(values)
        self._holders = _Holders.of(values)
        self._unnamed = values.unnamed
        self._elsewhere = values.unnamed_site
        self._site_words = _site_words_pattern(values)
        self._forms = {
            "multiplier": (values.multipliers, _forms_pattern(values.multipliers, number)),
            "share": (values.shares, _forms_pattern(values.shares, number)),
        }
        alt = _Alternations.of(values)
        point = figures.decimal_point
        self._amount = _amount_pattern(alt, number_words, values.counted_prefix, point)
        self._percent = _percent_pattern(number_words, point)
        self._any_number = re.compile(
            rf"{_WORD_START}(?:\d+(?:[.,]\d+)?|{_word_sequence(number_words, point)})(?!\w)", re.I
        )
        self._bare_scale = _bare_scale_pattern(alt, number_words)
        self._scale_hundreds = _scale_hundreds_pattern(values, alt, number_words)
        self._scale_values = [w.value for w in values.scale]
        self._money_scales = [w.money for w in values.scale]
        self._amount_word = _amount_word_pattern(values, number_words)
        self._share_of_re, self._share_head_re, self._part_of_re = _share_patterns(values)
        self._asked_count, self._asked_count_last = _asked_count_patterns(values, alt)
        self._asked_counts: dict[str, str | None] = {}
        # "резидентов там штук 80", "резидентов в технополисе всего около сотни"
        quals = "|".join(values.qualifiers.values())
        self._counted_tail = re.compile(
            rf"{_WORD_START}(?:{alt.counted})(?:[-‐][^\W\d_]+)?(?:\s+[^\W\d_]+){{0,3}}"
            rf"(?:\s+(?:{quals}|штук\w*))?"
            r"\s*[—–-]?\s*$",
            re.I,
        )
        uncounted = [values.counted[k] for k in values.uncounted if k in values.counted]
        self._uncounted_word = re.compile("|".join(uncounted), re.I) if uncounted else None
        self._unit_tail = re.compile(rf"{_WORD_START}(?:{alt.unit})\s+$", re.I)
        self._number_before = re.compile(rf"(?:\d|(?:{number_words}))\s*$", re.I)
        self._where = _Where.of(values)
        self._top = _top_pattern(values)
        self._excepted = _words_re(values.excepted, _WORD_END)
        self._excepted_just_before = _words_re(values.excepted, r"\s+(?:the\s+)?$")
        self._others_top = _others_top(values)
        self._attribution = _words_re(values.attribution, r"\s+(?:the\s+|сайте\s+)?$")
        # any citing word at all: most messages have none, and the names' scan is costly
        self._citing = _words_re(values.attribution, r"\s")
        self._negation = _words_re(values.negation, r"\s+$")
        self._negation_after = _negation_after_pattern(values.negation_after, 2)
        self._place_negation_after = _negation_after_pattern(values.place_negation_after, 1)
        self._only = _only_pattern(values)
        self._status_said = _words_re(values.status_said, r"(?:\s+[^\W\d_]+(?:-[^\W\d_]+)?){0,3}\s+$")
        self._reason_said = _words_re(values.reason_said, _WORD_END)
        self._time_before = _words_re(values.time_of_day, r"\s*$")
        self._in_place = _words_re(values.in_place, r"\s+$")
        self._in_place_before = _words_re(values.in_place, r"\s+(?:the\s+)?")
        self._rate_after = _after_re(values.per_unit)
        # a measure word, then at most three words of its clause, then the amount
        self._measure_before = _words_re(values.other_measure, r"(?:[^\w,.;!?]+\w+){0,3}\W*$")
        self._clock_after = _after_re(values.clock)
        self._qualifier = {
            name: re.compile(rf"(?:{pat})\s*(?:чем\s+)?(?:на\s+|в\s+|to\s+|by\s+)?$", re.I)
            for name, pat in values.qualifiers.items()
        }

    def _number(self, text: str) -> Fraction | None:
        if not any(ch.isdigit() for ch in text):
            return self.figures.word_number(text)
        found = self.figures.read(text)
        return found[0].value if found else None

    def _qualifier_before(self, text: str, start: int) -> str:
        """The asker's qualifier just before a value ("около", "more than"), or "exact"."""
        before = text[max(0, start - 30) : start]
        for name, pattern in self._qualifier.items():
            if pattern.search(before):
                return name
        return "exact"

    def read(self, text: str) -> list[Stated]:
        """Every value the text states, left to right; each stretch of text is read once.

        At most MAX_STATED: a message that states more is a table, not a claim to check.
        """
        text = text.replace("ё", "е").replace("Ё", "Е")  # as values.yaml writes its patterns
        found = _Found()
        self._read_names(text, found)
        self._read_holders(text, found)
        # Multipliers first ("в 4 раза" is not a count of 4), then a scale word standing for
        # its own number ("a billion and a half"), shares ("каждый седьмой резидент" is not a
        # count of residents), percents, amounts with a scale, currency, unit or noun, and
        # last bare numbers.
        self._read_forms(text, "multiplier", found)
        self._read_scale_then_hundreds(text, found)
        self._read_bare_scales(text, found)
        self._read_forms(text, "share", found)
        self._read_percents(text, found)  # "90 процентов резидентов" is a share, no count
        self._read_amounts(text, found, bare=False)
        self._read_amounts(text, found, bare=True)
        out = [self._share_of(text, self._counted_before(text, s)) for s in found.stated]
        out.sort(key=lambda s: s.start)
        out = _located(text, _compound(text, _described(text, out)), self._where)
        return [s for s in out if s.value is None or s.value < MAX_VALUE][:MAX_STATED]

    def _read_names(self, text: str, found: _Found) -> None:
        denied_end = -1  # where the last denied name ended: "not in India or China"
        for m in self._names.finditer(text):
            kind, ident = self._name_kinds[m.lastgroup or ""]
            if self._denied(text, m, kind, denied_end):
                denied_end = m.end()
                self._read_opposite(text, m, kind, ident, found)
                if kind in _DENIED_KEPT and not self._aside(text, m, kind, ident):
                    # "the scanners aren't used in China": the article's own place, denied
                    found.add(Stated(kind, m.group(0), m.start(), m.end(), entity=ident, denied=True))
                continue  # "security scanners, not chips": what the message says it is not
            if self._aside(text, m, kind, ident):
                continue
            if kind == "zone" and self._zone_as_place(text, m.start(), m.end()):
                kind, ident = "site", self._elsewhere
            top = kind == "product" and self._said_top(text, m.start(), m.end())
            only = self._said_only(text, m.start())
            found.add(
                Stated(kind, m.group(0), m.start(), m.end(), entity=ident, top=top, only=only)
            )

    def _read_holders(self, text: str, found: _Found) -> None:
        """ "гендиректор технополиса — Андрей Петров", "the author is Ivan Petrov": a title
        held by a name the article lacks (no entity; the verdict gives the article's holder)."""
        if self._holders is None:
            return
        for role in [s for s in found.stated if s.kind == "role"]:
            m = self._holders.holder(text, role)
            if m is not None and found.free(m, "name"):
                a, b = m.span("name")
                found.add(Stated("person", m.group("name"), a, b))

    def _denied(self, text: str, m: re.Match[str], kind: str, denied_end: int) -> bool:
        """Denied before it ("not chips"); a reason, whose subject and verb it is, also
        after it ("existing companies didn't increase…")."""
        if kind not in _DENIABLE:
            return False
        if self._negated(text, m.start(), denied_end):
            return True
        if kind in ("place", "venue") and self._place_negation_after is not None:
            return self._place_negation_after.match(text, m.end()) is not None
        return kind == "reason" and self._denied_after(text, m.end())

    def _read_opposite(
        self, text: str, m: re.Match[str], kind: str, ident: str, found: _Found
    ) -> None:
        """ "технополис не ОЭЗ, а обычный парк": denying a status says its opposite."""
        spec = self.values.entities.get(ident)
        if spec is None or spec.opposite is None or self._aside(text, m, kind, ident):
            return
        found.add(Stated(kind, m.group(0), m.start(), m.end(), entity=spec.opposite))

    def without_citations(self, text: str) -> str:
        """The text less the sources it cites ("…, если верить mos.ru"): where the asker read
        a value is not what the message is about."""
        if self._attribution is None or self._citing is None or not self._citing.search(text):
            return text
        out = text
        for m in self._names.finditer(text):
            kind, _ = self._name_kinds[m.lastgroup or ""]
            if kind == "source" and self._cited(text, m.start()):
                out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
        return out

    def _cited(self, text: str, start: int) -> bool:
        pattern = self._attribution
        return bool(pattern and pattern.search(text, max(0, start - 24), start))

    def _negated(self, text: str, start: int, denied_end: int) -> bool:
        """Denied just before ("not chips", "not in India"), or listed with a name that was
        ("not in India or China")."""
        if denied_end >= 0 and _OR.fullmatch(text[denied_end:start]):
            return True
        return bool(self._negation and self._negation.search(text, max(0, start - NEGATION_REACH), start))

    def _aside(self, text: str, m: re.Match[str], kind: str, ident: str) -> bool:
        """A name that is no claim: where the asker read it ("…, если верить mos.ru"), or a
        place no site is placed in ("встречаемся в Химках")."""
        if kind == "source" and self._cited(text, m.start()):
            return True
        if kind == "product" and self._left_out(text, m.start()):
            return True  # "кроме чипов лидировали дроны": the chips are not what is claimed
        if kind == "status" and not self._predicated(text, m.start()):
            return True  # "residents of the special economic zone": the topic, no claim of it
        if kind == "reason" and not self._of_growth(text, m.start(), m.end()):
            return True  # "субсидии для резидентов обещают увеличить": no reason for a growth
        return ident in self._unnamed and not self._of_sites(text, m.start(), m.end())

    def _of_growth(self, text: str, start: int, end: int) -> bool:
        """The sentence around a reason speaks of a growth or a cause ("вырос из-за…")."""
        return _in_sentence(self._reason_said, text, start, end)

    def _predicated(self, text: str, start: int) -> bool:
        """ "технополис — это ОЭЗ", "it's just a business park": a status said of something."""
        pattern = self._status_said
        return bool(pattern and pattern.search(text, max(0, start - 40), start))

    def _denied_after(self, text: str, end: int) -> bool:
        """ "existing companies didn't increase shipments": a name whose verb denies it."""
        pattern = self._negation_after
        return bool(pattern and pattern.match(text, end))

    def _said_only(self, text: str, start: int) -> bool:
        """ "only to Europe", "только за счёт новых резидентов": the one and only, which the
        article's longer list contradicts ("не только", "not only" say the opposite)."""
        m = self._only.search(text, max(0, start - 30), start) if self._only else None
        if m is None:
            return False
        negation = self._negation
        return not (negation and negation.search(text, max(0, m.start() - 16), m.start()))

    def _left_out(self, text: str, start: int) -> bool:
        pattern = self._excepted_just_before
        return bool(pattern and pattern.search(text, max(0, start - 24), start))

    def _zone_as_place(self, text: str, start: int, end: int) -> bool:
        """ "одна площадка в Сколково": another zone named as where a site is, a place the
        article has none in (the unnamed site), not a zone the message asks about."""
        return (
            self._elsewhere is not None
            and self._in_place is not None
            and self._in_place.search(text[max(0, start - 4) : start]) is not None
            and self._of_sites(text, start, end)
        )

    def said_in(self, text: str, raw: str) -> bool:
        """ "in Germany", "в Казахстане": `raw` (a name as read) said as where something is."""
        pattern = self._in_place_before
        text = text.replace("ё", "е").replace("Ё", "Е")  # as read() reads it
        return pattern is not None and any(text.startswith(raw, m.end()) for m in pattern.finditer(text))

    def _of_sites(self, text: str, start: int, end: int) -> bool:
        """The sentence around a name speaks of the sites: "площадка", "site", or one by name."""
        return _in_sentence(self._site_words, text, start, end)

    def _said_top(self, text: str, start: int, end: int) -> bool:
        """A superlative earlier in the same sentence ("больше всего брали батареи"), or after
        the name in the same clause ("disinfection units were the #1 export"); none in a
        sentence that leaves one out ("кроме микроэлектроники больше всего берут батареи": the
        best of the rest)."""
        if self._top is None:
            return False
        sentence = max(text.rfind(ch, 0, start) for ch in ".!?;\n") + 1
        clause = min((i for ch in ",.!?;\n" if (i := text.find(ch, end)) >= 0), default=len(text))
        if self._excepted and self._excepted.search(text, sentence, clause):
            return False
        if self._others_top and self._others_top.search(text, sentence, clause):
            return False  # "the other top exporters were …": the rest, not the best
        return bool(self._top.search(text, sentence, start) or self._top.search(text, end, clause))

    def _read_forms(self, text: str, kind: str, found: _Found) -> None:
        forms, pattern = self._forms[kind]
        for m in pattern.finditer(text):
            if not found.free(m):
                continue
            i = next(i for i in range(len(forms)) if m.group(f"f{i}") is not None)
            value = self._form_value(m, pattern, i, forms[i], kind)
            if value is not None:
                qual = self._qualifier_before(text, m.start())
                found.add(Stated(kind, m.group(0), m.start(), m.end(), value, None, qual))

    def _form_value(
        self, m: re.Match[str], pattern: re.Pattern[str], i: int, form: ValueForm, kind: str
    ) -> Fraction | None:
        """The form's own value, or the number its {n} holds; None when that is no value."""
        value = form.value
        if value is None:
            value = self._form_number(m, pattern, i)
            if value is None:
                return None
            if form.percent:
                return 1 + value / 100  # "вырос на 30%"
            if kind == "share" and value >= 1:
                value = 1 / value  # "каждый 10-й"; "каждый седьмой" reads 1/7 itself
        return 1 / value if form.down else value

    def _form_number(self, m: re.Match[str], pattern: re.Pattern[str], i: int) -> Fraction | None:
        """The number a form's {n} holds (its groups follow the form's own); None or 0: none."""
        first = pattern.groupindex[f"f{i}"] + 1
        last = pattern.groupindex.get(f"f{i + 1}", pattern.groups + 1)
        n = next((m.group(k) for k in range(first, last) if m.group(k)), None)
        value = self._number(n) if n else None
        return value or None

    def _read_scale_then_hundreds(self, text: str, found: _Found) -> None:
        """ "миллиард восемьсот", "ярд двести": one of a scale and its hundreds of the scale
        below, as people say 1.8 billion."""
        if self._scale_hundreds is None:
            return
        for m in self._scale_hundreds.finditer(text):
            hundreds = self._number(m.group("h"))
            if not found.free(m) or hundreds is None or not 100 <= hundreds < 1000:
                continue
            if self._number_before.search(text, max(0, m.start() - 24), m.start()):
                continue  # "два миллиарда триста": two billion and more, not one
            factor = self._factor(m)
            qual = self._qualifier_before(text, m.start())
            value = factor + hundreds * factor / 1000
            found.add(Stated("money", m.group(0), m.start(), m.end(), value, None, qual))

    def _read_bare_scales(self, text: str, found: _Found) -> None:
        for m in self._bare_scale.finditer(text):
            if (
                found.free(m)
                and len(m.group("w")) >= 3
                and not self._number_before.search(text, max(0, m.start() - 24), m.start())
            ):
                value = self._bare_scale_value(m)
                kind, unit = self._bare_scale_kind(m)
                qual = self._qualifier_before(text, m.start())
                raw = m.group(0).strip()
                found.add(Stated(kind, raw, m.start(), m.end(), value, unit, qual))

    def _bare_scale_kind(self, m: re.Match[str]) -> tuple[str, str | None]:
        """ "на полмиллиона квадратов": an area; "под тыщу резидентов": a count; else money."""
        if unit := self._group(m, "u_"):
            return "area", unit
        if counted := self._group(m, "k_"):
            return "count", counted
        return "money", self._group(m, "c_")

    def _bare_scale_value(self, m: re.Match[str]) -> Fraction:
        pre = (m.group("pre") or "").lower()
        base = Fraction(1, 2) if pre.startswith(("half", "пол")) else Fraction(1)
        if m.group("half"):
            base += Fraction(1, 2)
        return base * self._factor(m)

    def _read_percents(self, text: str, found: _Found) -> None:
        for m in self._percent.finditer(text):
            if not found.free(m):
                continue
            value = self._number(m.group("n") or m.group("n2"))
            if value is not None:
                qual = self._qualifier_before(text, m.start())
                if qual == "exact" and m.group("n2"):
                    qual = "about"  # "процентов 90": Russian for "about 90%"
                found.add(Stated("share", m.group(0), m.start(), m.end(), value / 100, "%", qual))

    def _read_amounts(self, text: str, found: _Found, *, bare: bool) -> None:
        """`bare`: only bare numbers, read last; otherwise only amounts with what they are."""
        for m in self._amount.finditer(text):
            if found.free(m) or (not bare and found.free_but_places(m)):
                st = self._amount_value(text, m)
                if st is None or (st.kind == "number") is not bare or self._on_clock(text, st):
                    continue
                if self._per_unit(text, st) or self._other_measure(text, st):
                    found.skip(st)  # "3,500 rub per hour", "revenue hit 3bn": no export sum
                    continue
                found.add(st)

    def guessed(self, text: str) -> list[Stated]:
        """The values a guess states ("…, около сотни?", "Dave says like five"): as `read`,
        and when that finds none, its numbers, in words too ("пять" alone is no value
        elsewhere: "one of the sites")."""
        found = self.read(text)
        if found:
            return found
        out = []
        for m in self._any_number.finditer(text):
            value = self._number(m.group(0))
            if value is not None and not _is_year(value, m.group(0)):
                qual = self._qualifier_before(text, m.start())
                out.append(Stated("number", m.group(0), m.start(), m.end(), value, None, qual))
        return out

    def is_uncounted_word(self, word: str) -> bool:
        """A word of what the article counts nothing of (values.yaml `uncounted`: "год")."""
        return self._uncounted_word is not None and bool(self._uncounted_word.fullmatch(word))

    def asked_count(self, text: str) -> str | None:
        """What a question asks the count of ("how many people", "сколько лет"), or None."""
        # three decline and ranking rules ask it of the same text (kept for one message)
        if text in self._asked_counts:
            return self._asked_counts[text]
        unit = self._asked_count_of(text)
        self._asked_counts[text] = unit
        return unit

    def share_of_after(self, text: str, end: int) -> str | None:
        """What a share word just before `end` is of ("доля компаний", "share of residents")."""
        m = self._share_of_re.match(text, end) if self._share_of_re else None
        return self._group(m, "o_") if m else None

    def new_message(self) -> None:
        """Forget what the last message's texts asked the count of."""
        self._asked_counts.clear()

    def _asked_count_of(self, text: str) -> str | None:
        for pattern in (self._asked_count, self._asked_count_last):
            m = pattern.search(text) if pattern else None
            if m:
                return self._group(m, "k_")
        return None

    def is_amount_word(self, word: str) -> bool:
        """A word that states how much ("миллиардов", "вдвое", "треть"), not of what."""
        return bool(self._amount_word.fullmatch(word))

    def _share_of(self, text: str, st: Stated) -> Stated:
        if st.kind != "share" or self._share_of_re is None:
            return st
        m = self._share_of_re.match(text, st.end)
        if m is None:
            return st
        # English puts the head last: "a third of all resident exports" is of exports (after a
        # plural, "residents exports" is a verb; without "of", "every second resident exports"
        # is of the residents)
        attributive = (
            text[m.end() - 1 : m.end()].isascii()
            and not m.group(0).endswith("s")
            and self._part_of_re is not None
            and self._part_of_re.search(m.group(0)) is not None
        )
        head = self._share_head_re.match(text, m.end()) if attributive else None
        return replace(st, of=self._group(head or m, "o_"))

    def _word_after_noun(self, text: str, m: re.Match[str]) -> str | None:
        """ "резидентов там штук восемьдесят", "гектаров триста": a number word after its
        counted noun or unit is a bare number, which _counted_before makes the count or area."""
        if m.group("num")[:1].isdigit():
            return None
        start = m.start()
        found = self._counted_tail.search(text, max(0, start - COUNTED_BEFORE), start)
        found = found or self._unit_tail.search(text, max(0, start - UNIT_BEFORE), start)
        return "number" if found else None

    def _counted_before(self, text: str, st: Stated) -> Stated:
        """ "резидентов там штук 80": a bare number a counted noun stands just before."""
        # "резидентов там под тысячу": a thousand alone, of the noun before, is no money
        # ("экспорт резидентов — полмиллиарда" is)
        scale_alone = st.kind == "money" and st.unit is None and st.value == 1000
        if not (st.kind == "number" or scale_alone) or self._said_as_time(text, st):
            return st
        m = self._counted_tail.search(text, max(0, st.start - COUNTED_BEFORE), st.start)
        if m is not None:
            unit = self._group(m, "k_")
            return Stated("count", st.raw, st.start, st.end, st.value, unit, st.qualifier)
        m = self._unit_tail.search(text, max(0, st.start - UNIT_BEFORE), st.start)
        if m is not None:
            # "гектаров триста": the unit said first is Russian for "about"
            qual = "about" if st.qualifier == "exact" else st.qualifier
            return Stated("area", st.raw, st.start, st.end, st.value, self._group(m, "u_"), qual)
        return st

    def _per_unit(self, text: str, st: Stated) -> bool:
        return self._rate_after is not None and bool(self._rate_after.match(text, st.end))

    def _other_measure(self, text: str, st: Stated) -> bool:
        if st.kind != "money" or self._measure_before is None:
            return False
        return self._measure_before.search(text, max(0, st.start - 48), st.start) is not None

    def _on_clock(self, text: str, st: Stated) -> bool:
        """ "my 5 o'clock call", "в 7 утра", "сбор в 10:30": a time, no value at all."""
        if st.kind != "number" or st.value is None:
            return False
        if _CLOCK.match(text, max(0, st.start - 3)) or _CLOCK.match(text, st.start):
            return True
        if self._clock_after is None:
            return False
        return st.value <= 24 and bool(self._clock_after.match(text, st.end))

    def _said_as_time(self, text: str, st: Stated) -> bool:
        """ "site tomorrow at 11": a small number after "at", "в" is a time, not a count."""
        if self._time_before is None or st.value is None or st.value > 24:
            return False
        return bool(self._time_before.search(text, max(0, st.start - 8), st.start))

    def _scale_index(self, m: re.Match[str]) -> int | None:
        """Which scale word the match has (group s{i} or b{i}); None for none."""
        groups = m.groupdict()
        return next(
            (i for i in range(len(self._scale_values)) if groups.get(f"s{i}") or groups.get(f"b{i}")),
            None,
        )

    def _scale(self, m: re.Match[str]) -> Fraction | None:
        """The value of the scale word the match has; None for none."""
        i = self._scale_index(m)
        return None if i is None else self._scale_values[i]

    def _money_scale(self, m: re.Match[str]) -> bool:
        i = self._scale_index(m)
        return i is not None and self._money_scales[i]

    def _factor(self, m: re.Match[str]) -> Fraction:
        scale = self._scale(m)
        return Fraction(1) if scale is None else scale

    @staticmethod
    def _group(m: re.Match[str], prefix: str) -> str | None:
        """The name, less `prefix`, of the first such group that matched: "c_rub" -> "rub"."""
        return next(
            (k[len(prefix) :] for k, v in m.groupdict().items() if v and k.startswith(prefix)), None
        )

    def _amount_value(self, text: str, m: re.Match[str]) -> Stated | None:
        raw_num = m.group("num")
        value = self._number(raw_num)
        if value is None:
            return None
        if m.group("half"):
            value += Fraction(1, 2)
        scale = self._scale(m)
        kind, unit = self._amount_kind(m, raw_num, value, scaled=scale is not None)
        kind = kind or self._word_after_noun(text, m)
        if kind is None:
            return None
        if kind in ("area", "money", "count") and scale is not None:
            value *= scale
        qual = self._amount_qualifier(text, m)
        money_only = kind == "money" and self._money_scale(m)
        return Stated(
            kind, m.group(0).strip(), m.start(), m.end(), value, unit, qual, money_only=money_only
        )

    def _amount_qualifier(self, text: str, m: re.Match[str]) -> str:
        qual = self._qualifier_before(text, m.start())
        if qual != "exact":
            return qual
        if m.group("over"):
            return "more_than"  # "180 с лишним", "180+ residents"
        if self._scale_said_first(m):
            return "about"  # "тыщ на 150": Russian for "about 150 thousand"
        return qual

    def _scale_said_first(self, m: re.Match[str]) -> bool:
        groups = m.groupdict()
        return any(groups.get(f"b{i}") for i in range(len(self._scale_values)))

    def _currency(self, m: re.Match[str]) -> str | None:
        sign = m.group("cur0")
        return _CURRENCY_SIGNS[sign] if sign else self._group(m, "c_")

    def _amount_kind(
        self, m: re.Match[str], raw_num: str, value: Fraction, *, scaled: bool
    ) -> tuple[str | None, str | None]:
        """What an amount is (area, money, count, a bare number) and its unit; None: no value."""
        unit = self._group(m, "u_")
        if unit:
            return "area", unit
        counted = self._group(m, "k_")
        currency = self._currency(m)
        if not self._is_value(raw_num, value, counted, currency, scaled=scaled):
            return None, None
        if counted and not currency:
            if value < 1:
                return None, None  # "пятая площадка", "the fifth site": which one, not how many
            return "count", counted  # "тысяч десять человек", "10 тысяч сотрудников"
        if currency or scaled:
            return "money", currency
        return "number", None

    @staticmethod
    def _is_value(
        raw_num: str, value: Fraction, counted: str | None, currency: str | None, *, scaled: bool
    ) -> bool:
        """Not a value: a number word alone ("one", "три": a value only with a scale or a
        noun), or a year ("2020 of resident companies": the year rules read it)."""
        if not raw_num[:1].isdigit() and not (scaled or counted):
            return False
        return not (_is_year(value, raw_num) and not (currency or scaled))


def _located(text: str, stated: list[Stated], where: _Where | None) -> list[Stated]:
    """Counts with the place they are of, when the place is named right beside them."""
    if where is None:
        return stated
    out = list(stated)
    for i, st in enumerate(out):
        place = None
        if st.kind == "count":
            place = where.place_of(text, st, out[i - 1] if i else None, out[i + 1 : i + 2])
        elif st.kind == "site":
            place = where.site_in(text, st, out[i + 1 : i + 2]) or where.site_after_place(
                text, st, out[i - 1] if i else None
            )
        if place is not None:
            out[i] = replace(st, where=place)
            _share_place(text, out, i)
    return out


_DENIABLE = ("product", "place", "status", "reason", "venue", "source")
# denied names kept, to refute the article's own ("не на mos.ru, а в интервью РБК")
_DENIED_KEPT = ("place", "venue", "source")
_OR = re.compile(r"\s*(?:,|или|либо|и|or|nor|and)\s*(?:(?:в|во|in|to)\s+)?", re.I)
_AND = re.compile(r"\s*[»\"']?\s*(?:,|и|and|&)\s*[«\"']?\s*", re.I)


def _share_place(text: str, out: list[Stated], i: int) -> None:
    """ "Mikron, MIET and Angstrem are in Zelenograd": the sites listed before share the place."""
    j = i - 1
    while (
        j >= 0
        and out[j].kind == out[i].kind == "site"
        and _AND.fullmatch(text[out[j].end : out[j + 1].start])
    ):
        out[j] = replace(out[j], where=out[i].where)
        j -= 1


@dataclass(frozen=True, slots=True)
class _Where:
    """values.yaml `located`: "одна площадка в Печатниках", "в Зеленограде четыре"."""

    after: re.Pattern[str]  # between a count and its place
    before: re.Pattern[str]  # before a place that a count follows
    site_after: re.Pattern[str]  # between a site and where it is ("MIET site of … is in")
    aside: re.Pattern[str] | None  # before a count or site not placed ("of the five", "кроме")
    noun: re.Pattern[str]  # the counted noun said between a place and its count, number last
    hosts: re.Pattern[str] | None  # between a place and the sites in it ("Zelenograd hosts")
    filler: re.Pattern[str] | None  # between a place and its count ("у технополиса всего")
    site_is: re.Pattern[str] | None  # between a site and the district it is said to be

    def _set_aside(self, text: str, st: Stated) -> bool:
        return bool(self.aside and self.aside.search(text, max(0, st.start - 24), st.start))

    def site_in(self, text: str, site: Stated, following: list[Stated]) -> str | None:
        """Where a message says a site is: "the MIET site is in Pechatniki"."""
        if self._set_aside(text, site):
            return None
        nxt = following[0] if following else None
        if nxt is None or nxt.kind not in _PLACES or nxt.entity == site.entity:
            return None
        gap = text[site.end : nxt.start]
        said_is = nxt.kind == "site" and self.site_is is not None and self.site_is.fullmatch(gap)
        if self.site_after.fullmatch(gap) or said_is:
            return nxt.entity
        return None

    def site_after_place(self, text: str, site: Stated, prev: Stated | None) -> str | None:
        """ "в Зеленограде Ангстрем и Микрон": the place said first, then the sites in it."""
        if prev is None or prev.kind != "site" or prev.entity == site.entity:
            return None
        if prev.where and _AND.fullmatch(text[prev.end : site.start]):
            return prev.where  # the next site of the list
        if prev.where is None and self._holds(text, site, prev):
            return prev.entity
        return None

    def _holds(self, text: str, site: Stated, place: Stated) -> bool:
        """ "в Зеленограде Ангстрем", "Zelenograd hosts Mikron": the place holds the site."""
        hosts = self.hosts is not None and self.hosts.fullmatch(text[place.end : site.start])
        return bool(hosts) or self._names_before(text, site, place)

    def place_of(
        self, text: str, count: Stated, prev: Stated | None, following: list[Stated]
    ) -> str | None:
        """The place named right after the count, or right before it."""
        if self._set_aside(text, count):
            return None
        nxt = following[0] if following else None
        if nxt is not None and nxt.kind in _PLACES and self._names_after(text, count, nxt):
            return nxt.entity
        if prev is not None and prev.kind in _PLACES and self._names_before(text, count, prev):
            return prev.entity
        return None

    def _names_after(self, text: str, count: Stated, place: Stated) -> bool:
        return bool(self.after.fullmatch(text[count.end : place.start]))

    def _names_before(self, text: str, count: Stated, place: Stated) -> bool:
        gap = text[place.end : count.start]
        if _THERE.search(gap):
            return True  # "Ефимов в Зеленограде был, там 4 площадки"
        if self.hosts is not None and self.hosts.fullmatch(self._unfilled(gap)):
            return True  # "Zelenograd hosts only two of the sites"
        gap = self._unfilled(gap)
        if gap.strip() and not self.noun.fullmatch(gap):
            return False  # but "в Печатниках площадка технополиса одна" places the one
        return bool(self.before.search(text[max(0, place.start - 6) : place.start]))

    def _unfilled(self, gap: str) -> str:
        """The gap less the words that may stand between a place and its count ("в
        Зеленограде у технополиса всего две")."""
        return self.filler.sub(" ", gap) if self.filler is not None else gap

    @classmethod
    def of(cls, values: ValueLexicon) -> _Where | None:
        located = values.located
        if not located:
            return None
        aside = "|".join(p for p in (values.part_of, values.excepted) if p)
        # no word that starts another subject between (values.yaml another_subject)
        not_another = rf"(?!(?:{values.another_subject})(?!\w))" if values.another_subject else ""
        return cls(
            # one word may stand between: "пять площадок технополиса — в Зеленограде"
            re.compile(rf"(?:\s+[^\W\d_]+)?\s*[,—–-]?\s*(?:{located})\s*", re.I),
            re.compile(rf"(?:^|\s)(?:{located})\s+$", re.I),
            # "площадка МИЭТ находится в", "the MIET site of Technopolis is in", "» — это в"
            re.compile(
                rf"[»\"']?\s*(?:[—–-]\s*)?(?:это\s+)?(?:{not_another}[^\W\d_]+(?:-[^\W\d_]+)?\s+){{0,4}}"
                rf"(?:{located})\s*",
                re.I,
            ),
            re.compile(rf"{_WORD_START}(?:{aside})\s*$", re.I) if aside else None,
            re.compile(rf"\s*(?:{'|'.join(values.counted.values())})(?:\s+[^\W\d_]+)?\s*", re.I),
            re.compile(rf"\s+(?:{values.hosts})\s+", re.I) if values.hosts else None,
            _words_re(values.count_filler, _WORD_END) if values.count_filler else None,
            re.compile(values.site_is, re.I) if values.site_is else None,
        )


_PLACES = ("site", "place")
# the place said before, pointed back to in the same sentence: "в Зеленограде был, там 4"
_THERE = re.compile(
    r"^[^.!?;\n]{0,40}(?<!\w)(?:там|there)(?:\s+(?:are|is|were|was|есть|было|всего))?\s*$", re.I
)
def _described(text: str, stated: list[Stated]) -> list[Stated]:
    """ "airport security scanners", "hospital disinfection gear": a venue right before a
    product names what the product is, not where it was used."""
    return [
        st
        for st, nxt in zip(stated, [*stated[1:], None], strict=False)
        if not (
            st.kind == "venue"
            and nxt is not None
            and nxt.kind == "product"
            and not text[st.end : nxt.start].strip()
        )
    ]


def _compound(text: str, stated: list[Stated]) -> list[Stated]:
    """ "миллиард двести миллионов", "1 млрд 200 млн": one amount said in two parts."""
    out: list[Stated] = []
    for st in stated:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == st.kind == "money"
            and prev.value is not None
            and st.value is not None
            and prev.value > st.value
            and re.fullmatch(r"\s*(?:и|and)?\s*", text[prev.end : st.start])
        ):
            unit = prev.unit or st.unit
            raw = text[prev.start : st.end]
            out[-1] = Stated(
                "money", raw, prev.start, st.end, prev.value + st.value, unit, prev.qualifier
            )
            continue
        out.append(st)
    return out


# -- verdicts ---------------------------------------------------------------------------


def _mantissa(value: Fraction) -> Fraction:
    while value >= 1000:
        value /= 1000
    return value


def _close(rel: Fraction, tolerance: float) -> bool:
    return abs(rel - 1) <= Fraction(tolerance)


def _exact(rel: Fraction, said: str) -> bool | None:
    if _close(rel, 0.02):
        return True
    return None if said in ("about", "almost") and _close(rel, 0.1) else False


def _about(rel: Fraction, said: str) -> bool | None:
    if _close(rel, 0.12):
        return True
    return None if _close(rel, 0.2) else False


def _almost(rel: Fraction, said: str) -> bool | None:
    if Fraction(85, 100) <= rel <= 1:
        return None if said == "more_than" else True
    return None if 1 < rel <= Fraction(115, 100) else False


def _more_than(rel: Fraction, said: str) -> bool | None:
    """ "более 20 стран": 20 itself agrees, a little more is partly right, fewer is wrong,
    unless the asker says "more than" fewer too ("больше 15 стран": so it is)."""
    if said == "less_than":
        return False if rel <= 1 else None  # "fewer than 20 countries": the opposite
    if _close(rel, 0.02):
        return True if said in ("exact", "more_than", "about") else None
    if said == "more_than" and rel < 1:
        return True if rel >= Fraction(1, 2) else None
    return None if 1 < rel <= Fraction(125, 100) else False


def _less_than(rel: Fraction, said: str) -> bool | None:
    if _close(rel, 0.02):
        return True
    return None if Fraction(8, 10) <= rel < 1 else False


# The article's qualifier decides how far a stated value (as a ratio to the article's) may
# be and still agree, and what the asker's own qualifier ("около", "больше") changes.
_AGREES = {
    "exact": _exact,
    "about": _about,
    "almost": _almost,
    "more_than": _more_than,
    "less_than": _less_than,
}


def _bare(v: Verdict) -> bool:
    return bool(v.stated) and v.stated[0].kind == "number"


def _typed_first(
    outcomes: list[tuple[Outcome, tuple[Stated, ...]]],
) -> list[tuple[Outcome, tuple[Stated, ...]]]:
    """Bare numbers yield to a typed value the spec reads ("сбор в 10, технополис — это пять
    площадок": the count is the claim)."""
    if any(r != SKIP and used[0].kind != "number" for r, used in outcomes):
        return [(r, used) for r, used in outcomes if used[0].kind != "number"]
    return outcomes


def _converted(
    spec: ClaimSpec, outcomes: list[tuple[Outcome, tuple[Stated, ...]]]
) -> list[tuple[Outcome, tuple[Stated, ...]]]:
    """ "1.2 bn rubles is roughly 16 million dollars": the article's amount, right, then the
    same in another currency, a conversion the article does not give: not checked."""
    if spec.kind != "money":
        return outcomes
    right = any(r is True and used[0].unit in (None, spec.unit) for r, used in outcomes)
    if not right:
        return outcomes
    return [(r, used) for r, used in outcomes if used[0].unit in (None, spec.unit)]


def compare_number(spec: ClaimSpec, stated: Stated, value: Fraction) -> bool | None:
    target = spec.value or Fraction(0)
    if not target:
        return None
    rel = value / target
    if stated.qualifier == "more_than" and spec.qualifier != "more_than":
        return _said_more_than(rel, spec.qualifier)
    return _AGREES[spec.qualifier](rel, stated.qualifier)


def _said_more_than(rel: Fraction, article: str) -> bool | None:
    """ "больше миллиарда" of 1.2 bn is right; of 1.2 bn, "more than 2 bn" is wrong, and "more
    than 100 million", though true, says too little to confirm."""
    if rel > 1:
        # "почти 500" against "more than 500": no more than it
        return None if article == "about" and _close(rel, 0.12) else False
    if article == "almost" and rel > Fraction(85, 100):
        return None  # "more than 450" of "almost 500": right, if only just
    return True if rel >= Fraction(1, 2) else None


def _bare_number(spec: ClaimSpec, st: Stated) -> Outcome:
    """ "1,2?" against 1.2 bn: a bare number is read in the article's own scale."""
    value = st.value or Fraction(0)
    if spec.kind in ("count", "multiplier"):
        return compare_number(spec, st, value)
    if spec.kind in ("money", "area"):
        target = spec.value or Fraction(1)
        scaled = value * target / _mantissa(target) if value < 1000 else value
        return compare_number(spec, st, scaled)
    return SKIP


# A stated value in another unit than the article's: a verdict of its own, not a comparison.
_OTHER_UNIT: dict[str, Outcome] = {
    "money": False,  # 1.2 bn dollars: the article says roubles
    "count": SKIP,  # 5 sites say nothing of countries
}


def _numeric(spec: ClaimSpec, st: Stated) -> Outcome:
    """A verdict on one stated value, or SKIP when it is not about this spec."""
    if st.kind == "number":
        return _bare_number(spec, st)
    if not _comparable(spec, st):
        return SKIP
    value = st.value or Fraction(0)
    if st.unit and spec.unit and st.unit != spec.unit:
        if spec.kind in _OTHER_UNIT:
            return _OTHER_UNIT[spec.kind]
        if spec.kind == "area":
            return _in_other_area_unit(spec, st, value)
    return compare_number(spec, st, value)


def _in_other_area_unit(spec: ClaimSpec, st: Stated, value: Fraction) -> Outcome:
    """ "2,2 кв. км" of 223.3 ha: converted to the article's unit."""
    if st.unit not in AREA_M2 or spec.unit not in AREA_M2:
        return SKIP
    return compare_number(spec, st, value * AREA_M2[st.unit] / AREA_M2[spec.unit])


def _comparable(spec: ClaimSpec, st: Stated) -> bool:
    """A value of the spec's kind (an amount without a currency may be an area), and for a
    share, not one of something else ("каждый седьмой резидент" is not of all-time exports);
    for a count, of the same place (the article's total, or its count in one place)."""
    if st.kind != spec.kind:
        return spec.kind == "area" and _may_be_area(st)
    if spec.kind == "share":
        return not (st.of and spec.of and st.of != spec.of)
    # one site in Pechatniki says nothing of the five in all
    return spec.kind != "count" or st.where == spec.where


def _may_be_area(st: Stated) -> bool:
    """ "150 тысяч" may be square metres; "3,2 млн" without a unit is money, not land, and so
    is "150k" (ScaleWord.money)."""
    small = (st.value or 0) < AREA_WITHOUT_UNIT_MAX
    return st.kind == "money" and st.unit is None and not st.money_only and small


class Verdicts:
    """Compares stated values with an intent's claims; knows the entities' nesting."""

    def __init__(self, values: ValueLexicon) -> None:
        self.within = {eid: set(e.within) for eid, e in values.entities.items()}
        self.every = {eid for eid, e in values.entities.items() if e.every}
        self.unnamed = values.unnamed

    def _agrees(self, stated: str, article: str) -> bool:
        return (
            stated == article
            or article in self.within.get(stated, ())
            or stated in self.within.get(article, ())
        )

    @staticmethod
    def _named(spec: ClaimSpec, stated: list[Stated]) -> list[Stated]:
        """The names of the spec's kind; "the top export was X" only for the best-selling."""
        return [
            s
            for s in stated
            if s.kind == spec.kind and s.entity and s.top <= spec.top and not s.denied
        ]

    def _denies_article(self, spec: ClaimSpec, stated: list[Stated]) -> bool:
        """Says one of the article's own values is not so ("not in India or China")."""
        return any(
            s.denied and s.kind == spec.kind and any(self._agrees(s.entity or "", a) for a in spec.values)
            for s in stated
        )

    def _which_sites(self, mine: list[Stated], stated: list[Stated]) -> list[Stated]:
        """For the fact of which sites there are: not a district with sites in it ("в
        Зеленограде"), and nothing beside a count said of a place, a claim of where they are."""
        if any(s.kind == "count" and s.where for s in stated):
            return []
        return [s for s in mine if not any(s.entity in inside for inside in self.within.values())]

    def _checkable(self, named: list[Stated]) -> list[Stated]:
        """ "все площадки" said nowhere in particular says nothing of which sites there are."""
        return [s for s in named if s.where or s.entity not in self.every]

    def _placed(
        self, spec: ClaimSpec, mine: list[Stated], stated: list[Stated]
    ) -> Outcome | None:
        """ "MIET is in Pechatniki": where the article's sites are (values.yaml within); a claim
        of where sites are (`where`) says nothing of a site named alone, unless it is named for
        that place. None: not placed."""
        placed = [s for s in mine if s.where]
        if placed:
            return all(self._agrees(s.entity or "", s.where or "") for s in placed)
        if not spec.where:
            return None
        return True if self._named_for_place(spec, mine, stated) else SKIP

    @staticmethod
    def _named_for_place(spec: ClaimSpec, mine: list[Stated], stated: list[Stated]) -> bool:
        """ "One of the sites is in Pechatniki": a site named for its place says where it is;
        beside a count of sites ("в Печатниках две площадки") it is where they are counted."""
        counted = any(s.kind == "count" and s.unit == "sites" for s in stated)
        return not counted and all(s.entity == spec.where for s in mine)

    def _entities(self, spec: ClaimSpec, stated: list[Stated]) -> Outcome:
        """Denying one of the article's own ("not in China") refutes it; else the names said."""
        return False if self._denies_article(spec, stated) else self._said(spec, stated)

    def _said(self, spec: ClaimSpec, stated: list[Stated]) -> Outcome:
        mine = self._checkable(self._named(spec, stated))
        if spec.kind == "site" and not spec.where:
            mine = self._which_sites(mine, stated)
        if not mine:
            return SKIP
        placed = self._placed(spec, mine, stated)
        if placed is not None:
            return placed
        hits = [any(self._agrees(s.entity or "", a) for a in spec.values) for s in mine]
        if all(hits):
            # "рост только за счёт новых резидентов": one of the article's several, said alone
            return not self._only_some(spec, mine)
        return None if any(hits) else False

    def _only_some(self, spec: ClaimSpec, mine: list[Stated]) -> bool:
        """Said to be the only ones, though the article gives more."""
        if not any(s.only for s in mine):
            return False
        named = {a for s in mine for a in spec.values if self._agrees(s.entity or "", a)}
        return len(named) < len(spec.values)

    def _verdicts(self, spec: ClaimSpec, stated: list[Stated]) -> list[Verdict]:
        """A numeric spec: a verdict per value it is about; a named one: one on them all."""
        if spec.kind == "area" and self.at_another_site(spec, stated):
            return []  # "в Печатниках однушку 38 квадратов": not the Alabushevo technopark
        if spec.kind in NUMERIC_KINDS:
            outcomes = _typed_first([(self._numeric(spec, st), (st,)) for st in stated])
            outcomes = _converted(spec, outcomes)
        else:
            used = tuple(s for s in stated if s.kind == spec.kind)
            outcomes = [(self._entities(spec, stated), used)]
        return [Verdict(r, used, spec) for r, used in outcomes if r != SKIP]  # type: ignore[arg-type]

    def at_another_site(self, spec: ClaimSpec, stated: list[Stated]) -> bool:
        """A message that names a site where the area is not (the spec's `where`)."""
        return bool(spec.where) and any(
            s.kind == "site" and s.entity and not self._agrees(s.entity, spec.where or "")
            for s in stated
        )

    def _numeric(self, spec: ClaimSpec, st: Stated) -> Outcome:
        """ "одна площадка в Троицке": sites counted in a place the article has none in."""
        if spec.kind == st.kind == "count" and spec.where and st.where in self.unnamed:
            return False
        return _numeric(spec, st)

    def check(self, specs: list[ClaimSpec], stated: list[Stated]) -> Verdict | None:
        """The first contradiction wins; otherwise partly beats confirmed; None: nothing to check."""
        results = [v for spec in specs for v in self._verdicts(spec, stated)]
        # bare numbers yield to a typed value any spec reads, as within one spec (_typed_first):
        # "five sites, 4 of them in Zelenograd" says nothing of the area
        typed = [v for v in results if not _bare(v)]
        results = typed or results
        for want in (False, None):
            for v in results:
                if v.confirmed is want:
                    return v
        return results[0] if results else None
