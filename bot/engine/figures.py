"""Figures in text: "1,2 млрд" = "1.2 billion" = 1.2e9, "втрое" = "tripled" = 3, "треть" = 1/3.

Used twice: when loading, to prove every figure in an answer stands in its quote; when
answering, to find years the article does not cover and figures the asker states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from bot.engine.models import Lexicon

YEAR_MIN, YEAR_MAX = 1900, 2099
SHORT_YEAR_PIVOT = 50  # "в 21-м году" is 2021, "в 98-м" 1998
# Case and ordinal endings typed onto a number, hyphenated or not ("2019-го", "к 19му", "90х"):
# part of the number (the normalizer drops them, the short-year reader passes over them)
NUMBER_ENDINGS = "ого|ому|ему|го|му|ый|ой|ий|ом|ым|ых|ая|ое|ые|ую|ми|ти|й|м|х|е|ю|я"

_NUMBER = (
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[  ]\d{3})+(?!\d)|\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.,]\d+)?)"
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as written (`raw`) with its value; `scaled` says a scale word multiplied it."""

    raw: str
    value: Fraction
    mantissa: Fraction
    scaled: bool = False
    percent: bool = False

    @property
    def is_year(self) -> bool:
        return (
            not self.scaled
            and not self.percent
            and self.value.denominator == 1
            and YEAR_MIN <= self.value <= YEAR_MAX
            and len(self.raw) == 4
        )

    def same_as(self, other: Figure) -> bool:
        """Equal values; a bare number also equals a scaled one with that mantissa ("1,2?")."""
        if self.value == other.value:
            return True
        if not self.scaled or not other.scaled:
            return self.mantissa == other.mantissa
        return False


HUNDRED = Fraction(100)


class FigureReader:
    """Finds figures in Russian or English text, with the lexicon's number and scale words."""

    def __init__(self, lexicon: Lexicon) -> None:
        words = sorted(lexicon.number_words, key=lambda w: -len(w.pattern))
        words = [w.model_copy(update={"pattern": soft_sign_optional(w.pattern)}) for w in words]
        self._number_words = words
        # a decimal point said in words ("one point two billion")
        self.decimal_point = lexicon.decimal_point
        self._point = re.compile(lexicon.decimal_point, re.I) if lexicon.decimal_point else None
        # One pattern for all number words, a group each: the first that matches the whole
        # word wins, as if each were tried in turn, in one regex call per word of the text.
        self._word_values = {f"w{i}": w.value for i, w in enumerate(words)}
        self._number_word = re.compile(
            "|".join(f"(?P<w{i}>{w.pattern})" for i, w in enumerate(words)) or r"(?!)", re.I
        )
        scale_alt = "|".join(f"(?:{w.pattern})" for w in lexicon.scale_words)
        self._scales = [
            (re.compile(rf"^(?:{w.pattern})$", re.I), w.value) for w in lexicon.scale_words
        ]
        self._number_re = re.compile(
            _NUMBER
            + rf"(?:\s*(?P<pct>%|процент\w*|percent|per cent)|\s*(?P<scale>{scale_alt})(?![\w]))?",
            re.I,
        )
        self._word_re = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.U)
        self._short_year = (
            re.compile(
                rf"(?<![\w.,])(?P<yy>\d\d)(?:-?(?:{NUMBER_ENDINGS}))?\s+(?:{lexicon.year_words})(?!\w)",
                re.I,
            )
            if lexicon.year_words
            else None
        )

    @property
    def word_pattern(self) -> re.Pattern[str]:
        """Any number word, for the normalizer to tell figures from other words."""
        return re.compile("|".join(f"(?:{w.pattern})" for w in self._number_words), re.I)

    def read(self, text: str) -> list[Figure]:
        figures: list[Figure] = []
        short_years = self._short_years(text)
        for m in self._number_re.finditer(text):
            figures.append(short_years.get(m.start()) or self._digit_figure(m))
        for m in self._word_re.finditer(text):
            word = m.group(0).lower().replace("ё", "е")
            number = self._number_word.fullmatch(word)
            if number is not None and number.lastgroup is not None:
                value = self._word_values[number.lastgroup]
                figures.append(Figure(raw=m.group(0), value=value, mantissa=value))
        return figures

    def _short_years(self, text: str) -> dict[int, Figure]:
        """Years said in two digits before the word for a year ("в 21-м году", "к 19му
        году"), by where they start; written out in full, as the decline rules read years."""
        if self._short_year is None:
            return {}
        out = {}
        for m in self._short_year.finditer(text):
            yy = int(m.group("yy"))
            year = (2000 if yy < SHORT_YEAR_PIVOT else 1900) + yy
            out[m.start("yy")] = Figure(raw=str(year), value=Fraction(year), mantissa=Fraction(year))
        return out

    def word_number(self, text: str) -> Fraction | None:
        """Number words said as one number: "двадцать пять" 25, "eight hundred" 800, "сто
        двадцать" 120, "twenty-five"; None if a word is no number word."""
        words = re.split(r"[\s-]+", text.strip().lower().replace("ё", "е"))
        point = next((i for i, w in enumerate(words) if self._is_point(w)), None)
        if point is not None:
            return self._decimal(words[:point], words[point + 1 :])
        values: list[Fraction] = []
        for word in words:
            if word == "and":
                continue
            number = self._number_word.fullmatch(word)
            if number is None or number.lastgroup is None:
                return None
            values.append(self._word_values[number.lastgroup])
        return _one_number(values) if values else None

    def _is_point(self, word: str) -> bool:
        return self._point is not None and self._point.fullmatch(word) is not None

    def _decimal(self, whole: list[str], digits: list[str]) -> Fraction | None:
        """ "one point two": the whole part, then one digit word after the point."""
        before = self.word_number(" ".join(whole)) if whole else None
        after = self.word_number(" ".join(digits)) if len(digits) == 1 else None
        if before is None or after is None or not 0 <= after < 10 or after.denominator != 1:
            return None
        return before + after / 10

    def _digit_figure(self, m: re.Match[str]) -> Figure:
        raw = m.group("num")
        compact = re.sub(r"[  ]", "", raw)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", compact):
            compact = compact.replace(",", "")
        mantissa = Fraction(compact.replace(",", "."))
        if m.group("pct"):
            return Figure(
                raw=m.group(0).strip(), value=mantissa / 100, mantissa=mantissa, percent=True
            )
        factor = self.scale_of(m.group("scale") or "")
        if factor is not None:
            return Figure(
                raw=m.group(0).strip(), value=mantissa * factor, mantissa=mantissa, scaled=True
            )
        return Figure(raw=raw, value=mantissa, mantissa=mantissa)

    def scale_of(self, word: str) -> Fraction | None:
        """What a scale word multiplies by ("лям": a million); None: no scale word."""
        return next((factor for pattern, factor in self._scales if pattern.match(word)), None)


def soft_sign_optional(pattern: str) -> str:
    """Transliteration drops the soft sign ("pyat'", "sedmoy"): a pattern's may be missing."""
    return re.sub(r"ь(?![?*])", "ь?", pattern)


def _one_number(values: list[Fraction]) -> Fraction:
    """Whole numbers in falling order add up (200 50 5); "hundred" after a unit multiplies it
    (8 100). Words that make no one number ("два три", "half three") give the first."""
    if len(values) == 1 or any(v.denominator != 1 for v in values):
        return values[0]
    total, last = Fraction(0), None
    for value in values:
        if value == HUNDRED and last is not None and last < 10:
            total, last = total - last + last * HUNDRED, HUNDRED
        elif last is None or value < last:
            total, last = total + value, value
        else:
            return values[0]
    return total


def contains_figure(figures: list[Figure], figure: Figure) -> bool:
    return any(figure.same_as(f) for f in figures)
