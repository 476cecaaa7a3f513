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
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from bot.engine.figures import FigureReader
from bot.engine.models import NUMERIC_KINDS, ClaimSpec, ValueForm, ValueLexicon

_B, _E = r"(?<![\w$€₽])", r"(?![\w])"
# Words that may stand between a share and what it is of: "половину всего экспорта", "a third of
# all exports"; any other word ends the look ("10% of everything residents exported").
_OF_FILLER = (
    r"of|from|the|all|its|their|total|overall|всего|всех|всей|от|из|общего|общей|суммарного"
)
HECTARE_M2 = 10_000
MAX_STATED = 12
MAX_VALUE = 10**15  # "1 2 3 ... 999" read as one number is not a value anyone states


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


@dataclass(frozen=True, slots=True)
class Verdict:
    """True: the article confirms it; False: it contradicts it; None: partly."""

    confirmed: bool | None
    stated: tuple[Stated, ...]
    spec: ClaimSpec


class ClaimReader:
    def __init__(self, values: ValueLexicon, figures: FigureReader) -> None:
        self.values = values
        self.figures = figures
        number_words = figures.word_pattern.pattern
        self._n = (
            rf"(\d+(?:[.,]\d+)?|(?:{number_words})(?!\w))"  # unnamed: a form may hold it twice
        )
        named = [(f"r_{pid}", pat) for pid, pat in values.roles.items()]
        named += [(f"e_{eid}", e.pattern) for eid, e in values.entities.items()]
        # Several words first: "Западной Европе" is one place, not "Европе".
        named.sort(key=lambda kv: "\\s" not in kv[1])
        self._ids = {f"g{i}": key for i, (key, _) in enumerate(named)}
        self._names = re.compile(
            "|".join(f"{_B}(?P<g{i}>{pat}){_E}" for i, (_, pat) in enumerate(named)), re.I
        )
        # One pattern per kind, a group per form: one scan of the text instead of one per form.
        self._forms = {
            "multiplier": (values.multipliers, self._compile(values.multipliers)),
            "share": (values.shares, self._compile(values.shares)),
        }
        self._percent = re.compile(
            rf"{_B}(?:(?P<n>\d+(?:[.,]\d+)?)\s*(?:%|процент\w*|percent|per\s*cent|pct)"
            rf"|(?:процент\w*|percent)\s+(?P<n2>\d+(?:[.,]\d+)?)){_E}?",
            re.I,
        )
        scale = "|".join(
            f"(?P<s{i}>{w.pattern})" for i, w in enumerate(values.scale) if not w.before
        )
        before = "|".join(f"(?P<b{i}>{w.pattern})" for i, w in enumerate(values.scale) if w.before)
        unit = "|".join(f"(?P<u_{k}>{p})" for k, p in values.units.items())
        cur = "|".join(f"(?P<c_{k}>{p})" for k, p in values.currencies.items())
        counted = "|".join(f"(?P<k_{k}>{p})" for k, p in values.counted.items())
        self._amount = re.compile(
            rf"{_B}(?:(?:{before})\s+)?(?:(?P<cur0>\$|€|₽)\s?)?"
            rf"(?P<num>\d{{1,3}}(?:[  ]\d{{3}})+(?!\d)|\d{{1,3}}(?:,\d{{3}}){{2,}}(?![\d,])"
            rf"|\d+(?:[.,]\d+)?|(?:{number_words})(?!\w))"
            rf"(?:\s*(?:{scale})(?![\w]))?(?P<half>\s+(?:с\s+половиной|and\s+a\s+half))?"
            rf"(?:\s*(?:{unit}|{cur}|(?:\w+\s+)?(?:{counted}))(?![\w]))?",
            re.I,
        )
        self._bare_scale = re.compile(
            rf"{_B}(?P<pre>half\s+an?|an?|one|пол)?\s*(?P<w>{scale})"
            rf"(?P<half>\s+(?:с\s+половиной|and\s+a\s+half))?(?:\s*(?:{cur}))?{_E}"
            r"(?!\s+(?:на\s+)?\d)",  # "тысяч на 150 кв. м" is an amount, read below
            re.I,
        )
        self._scale_values = [w.value for w in values.scale]
        multiplier_words = "|".join(
            f
            for form in values.multipliers
            for f in form.forms
            if "{n}" not in f and "\\s" not in f
        )
        self._amount_word = re.compile(
            "|".join(
                [number_words, *(w.pattern for w in values.scale if not w.before)]
                + ([multiplier_words] if multiplier_words else [])
            ),
            re.I,
        )
        of = "|".join(f"(?P<o_{k}>{p})" for k, p in values.share_of.items())
        # "половину всего экспорта", "каждый седьмой резидент": the noun within two words
        self._share_of_re = (
            re.compile(rf"\s+(?:(?:{_OF_FILLER})\s+){{0,2}}(?:{of})(?![\w])", re.I) if of else None
        )
        self._counted_tail = re.compile(
            rf"{_B}(?:{counted})(?:\s+[^\W\d_]+){{0,2}}\s*[—–-]?\s*$", re.I
        )
        self._number_before = re.compile(rf"(?:\d|(?:{number_words}))\s*$", re.I)
        self._qualifier = {
            name: re.compile(rf"(?:{pat})\s*(?:чем\s+)?(?:на\s+|в\s+|to\s+|by\s+)?$", re.I)
            for name, pat in values.qualifiers.items()
        }

    def _compile(self, forms: list[ValueForm]) -> re.Pattern[str]:
        alts = [
            f"(?P<f{i}>{_B}(?:{'|'.join(form.forms).replace('{n}', self._n)}){_E})"
            for i, form in enumerate(forms)
        ]
        return re.compile("|".join(alts), re.I)

    def _number(self, text: str) -> Fraction | None:
        found = self.figures.read(text)
        return found[0].value if found else None

    def _qual(self, text: str, start: int) -> str:
        before = text[max(0, start - 30) : start]
        for name, pattern in self._qualifier.items():
            if pattern.search(before):
                return name
        return "exact"

    def read(self, text: str) -> list[Stated]:
        """Every value the text states, left to right; each stretch of text is read once.

        At most MAX_STATED: a message that states more is a table, not a claim to check.
        """
        out: list[Stated] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        def add(st: Stated) -> None:
            out.append(st)
            taken.append((st.start, st.end))

        for m in self._names.finditer(text):
            key = self._ids[m.lastgroup or ""]
            kind, ident = ("role", key[2:]) if key.startswith("r_") else (None, key[2:])
            if kind is None:
                kind = self.values.entities[ident].kind
            add(Stated(kind, m.group(0), m.start(), m.end(), entity=ident))
        # Multipliers first ("в 4 раза" is not a count of 4), then a scale word standing for
        # its own number ("a billion and a half"), shares ("каждый седьмой резидент" is not a
        # count of residents), amounts with a scale, currency, unit or noun, percents, and
        # last bare numbers.
        self._read_forms(text, "multiplier", free, add)
        for m in self._bare_scale.finditer(text):
            if (
                free(m.start(), m.end())
                and len(m.group("w")) >= 3
                and not self._number_before.search(text, max(0, m.start() - 24), m.start())
            ):
                factor = self._factor(m)
                pre = (m.group("pre") or "").lower()
                base = Fraction(1, 2) if pre.startswith(("half", "пол")) else Fraction(1)
                if m.group("half"):
                    base += Fraction(1, 2)
                qual = self._qual(text, m.start())
                add(
                    Stated(
                        "money",
                        m.group(0).strip(),
                        m.start(),
                        m.end(),
                        base * factor,
                        self._group(m, "c_"),
                        qual,
                    )
                )
        self._read_forms(text, "share", free, add)
        self._read_amounts(text, free, add, bare=False)
        for m in self._percent.finditer(text):
            if free(m.start(), m.end()):
                value = self._number(m.group("n") or m.group("n2"))
                if value is not None:
                    qual = self._qual(text, m.start())
                    add(Stated("share", m.group(0), m.start(), m.end(), value / 100, "%", qual))
        self._read_amounts(text, free, add, bare=True)
        out = [self._share_of(text, self._counted_before(text, s)) for s in out]
        out.sort(key=lambda s: s.start)
        out = _compound(text, out)
        return [s for s in out if s.value is None or s.value < MAX_VALUE][:MAX_STATED]

    def _read_forms(
        self, text: str, kind: str, free: Callable[[int, int], bool], add: Callable[[Stated], None]
    ) -> None:
        forms, pattern = self._forms[kind]
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            i = next(i for i in range(len(forms)) if m.group(f"f{i}") is not None)
            form = forms[i]
            value = form.value
            if value is None:
                first = pattern.groupindex[f"f{i}"] + 1  # the form's own {n} groups follow it
                last = pattern.groupindex.get(f"f{i + 1}", pattern.groups + 1)
                n = next((m.group(k) for k in range(first, last) if m.group(k)), None)
                value = self._number(n) if n else None
                if value is None or value == 0:
                    continue
                if kind == "share" and value >= 1:
                    value = 1 / value  # "каждый 10-й"; "каждый седьмой" reads 1/7 itself
            if form.down:
                value = 1 / value
            add(
                Stated(
                    kind, m.group(0), m.start(), m.end(), value, None, self._qual(text, m.start())
                )
            )

    def _read_amounts(
        self,
        text: str,
        free: Callable[[int, int], bool],
        add: Callable[[Stated], None],
        *,
        bare: bool,
    ) -> None:
        for m in self._amount.finditer(text):
            if free(m.start(), m.end()):
                st = self._amount_value(text, m)
                if st is not None and (st.kind == "number") is bare:
                    add(st)

    def is_amount_word(self, word: str) -> bool:
        """A word that states how much ("миллиардов", "вдвое", "треть"), not of what."""
        return bool(self._amount_word.fullmatch(word))

    def _share_of(self, text: str, st: Stated) -> Stated:
        if st.kind != "share" or self._share_of_re is None:
            return st
        m = self._share_of_re.match(text, st.end)
        return replace(st, of=self._group(m, "o_")) if m else st

    def _counted_before(self, text: str, st: Stated) -> Stated:
        """ "резидентов там штук 80": a bare number a counted noun stands just before."""
        if st.kind != "number":
            return st
        m = self._counted_tail.search(text, max(0, st.start - 32), st.start)
        if m is None:
            return st
        unit = self._group(m, "k_")
        return Stated("count", st.raw, st.start, st.end, st.value, unit, st.qualifier)

    def _factor(self, m: re.Match[str]) -> Fraction:
        for i, value in enumerate(self._scale_values):
            if m.groupdict().get(f"s{i}") or m.groupdict().get(f"b{i}"):
                return value
        return Fraction(1)

    @staticmethod
    def _group(m: re.Match[str], prefix: str) -> str | None:
        return next(
            (k[len(prefix) :] for k, v in m.groupdict().items() if v and k.startswith(prefix)), None
        )

    def _amount_value(self, text: str, m: re.Match[str]) -> Stated | None:
        raw_num = m.group("num")
        compact = raw_num.replace(" ", "").replace(" ", "")
        if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", compact):
            compact = compact.replace(",", "")  # 1,200,000,000; "1,2" stays a decimal comma
        value = self._number(compact)
        if value is None:
            return None
        scaled = any(
            m.groupdict().get(f"s{i}") or m.groupdict().get(f"b{i}")
            for i in range(len(self._scale_values))
        )
        factor = self._factor(m)
        if m.group("half"):
            value += Fraction(1, 2)
        unit = self._group(m, "u_")
        currency = self._group(m, "c_")
        if m.group("cur0"):
            currency = {"$": "usd", "€": "eur", "₽": "rub"}[m.group("cur0")]
        counted = self._group(m, "k_")
        qual = self._qual(text, m.start())
        raw = m.group(0).strip()
        if unit:
            return Stated("area", raw, m.start(), m.end(), value * factor, unit, qual)
        if not raw_num[:1].isdigit() and not (scaled or counted):
            return None  # "half rubles", "one": a number word states a value with a scale or a noun
        if currency or scaled:
            return Stated("money", raw, m.start(), m.end(), value * factor, currency, qual)
        if counted:
            return Stated("count", raw, m.start(), m.end(), value, counted, qual)
        if value.denominator == 1 and 1900 <= value <= 2099 and len(raw_num) == 4:
            return None  # a year: the engine's year rule reads those
        if not raw_num[:1].isdigit():
            return None  # a bare number word ("one", "три") is too often not a value
        return Stated("number", raw, m.start(), m.end(), value, None, qual)


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
    """ "более 20 стран": 20 itself agrees, a little more is partly right, fewer is wrong."""
    if _close(rel, 0.02):
        return True if said in ("exact", "more_than", "about") else None
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


def compare_number(spec: ClaimSpec, stated: Stated, value: Fraction) -> bool | None:
    target = spec.value or Fraction(0)
    return _AGREES[spec.qualifier](value / target, stated.qualifier) if target else None


def _bare_number(spec: ClaimSpec, st: Stated) -> bool | str | None:
    """ "1,2?" against 1.2 bn: a bare number is read in the article's own scale."""
    value = st.value or Fraction(0)
    if spec.kind in ("count", "multiplier"):
        return compare_number(spec, st, value)
    if spec.kind in ("money", "area"):
        target = spec.value or Fraction(1)
        scaled = value * target / _mantissa(target) if value < 1000 else value
        return compare_number(spec, st, scaled)
    return "skip"


def _numeric(spec: ClaimSpec, st: Stated) -> bool | str | None:
    """A verdict on one stated value, or "skip" when it is not about this spec."""
    kind = spec.kind
    if st.kind == "number":
        return _bare_number(spec, st)
    if st.kind != kind and not (kind == "area" and st.kind == "money" and st.unit is None):
        return "skip"
    value = st.value or Fraction(0)
    mismatch = bool(st.unit and spec.unit and st.unit != spec.unit)
    if kind == "money" and mismatch:
        return False  # 1.2 bn dollars: the article says roubles
    if kind == "count" and mismatch:
        return "skip"  # 5 sites say nothing of countries
    if kind == "share" and st.of and spec.of and st.of != spec.of:
        return "skip"  # "каждый седьмой резидент" is not a share of all-time exports
    if kind == "area" and mismatch:
        value = value * HECTARE_M2 if st.unit == "ha" else value / HECTARE_M2
    return compare_number(spec, st, value)


class Verdicts:
    """Compares stated values with an intent's claims; knows the entities' nesting."""

    def __init__(self, values: ValueLexicon) -> None:
        self.within = {eid: set(e.within) for eid, e in values.entities.items()}

    def _agrees(self, stated: str, article: str) -> bool:
        return (
            stated == article
            or article in self.within.get(stated, ())
            or stated in self.within.get(article, ())
        )

    def _entities(self, spec: ClaimSpec, stated: list[Stated]) -> bool | str | None:
        mine = [s for s in stated if s.kind == spec.kind and s.entity]
        if not mine:
            return "skip"
        hits = [any(self._agrees(s.entity or "", a) for a in spec.values) for s in mine]
        if all(hits):
            return True
        return None if any(hits) else False

    def check(self, specs: list[ClaimSpec], stated: list[Stated]) -> Verdict | None:
        """The first contradiction wins; otherwise partly beats confirmed; None: nothing to check."""
        results: list[Verdict] = []
        for spec in specs:
            if spec.kind in NUMERIC_KINDS:
                for st in stated:
                    r = _numeric(spec, st)
                    if r != "skip":
                        results.append(Verdict(r, (st,), spec))  # type: ignore[arg-type]
            else:
                r = self._entities(spec, stated)
                if r != "skip":
                    used = tuple(s for s in stated if s.kind == spec.kind)
                    results.append(Verdict(r, used, spec))  # type: ignore[arg-type]
        if not results:
            return None
        for want in (False, None):
            for v in results:
                if v.confirmed is want:
                    return v
        return results[0]
