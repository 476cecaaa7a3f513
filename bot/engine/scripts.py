"""Character-level conversions: wrong keyboard layout and Latin transliteration of Russian."""

from __future__ import annotations

import re

_QWERTY = "`qwertyuiop[]asdfghjkl;'zxcvbnm,.~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>"
_JCUKEN = "ёйцукенгшщзхъфывапролджэячсмитьбюЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ"
_TO_RU = str.maketrans(_QWERTY, _JCUKEN)
_TO_EN = str.maketrans(_JCUKEN, _QWERTY)

# Longest first: "shch" must win over "sh" + "ch".
_TRANSLIT = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("yo", "ё"),
    ("jo", "ё"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ye", "е"),
    ("ij", "ий"),
    ("iy", "ий"),
    ("yj", "ый"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "ц"),
    ("x", "кс"),
    ("q", "к"),
    ("'", "ь"),
    ("y", "ы"),
]
# "iy" is "ий" unless a vowel follows: "sravneniyu" is "сравнению" ("i" + "yu"), not "сравненийу".
_BEFORE_VOWEL = {"ij", "iy"}
_TRANSLIT_RE = re.compile(
    "|".join(
        re.escape(src) + ("(?![aeiouy])" if src in _BEFORE_VOWEL else "") for src, _ in _TRANSLIT
    )
)
_TRANSLIT_MAP = dict(_TRANSLIT)
# Word endings typed one way for what is spelt another: "obratitsya" is "обратиться", and
# "ye" after a consonant at a word's end is the plural adjective "ionnye" -> "ионные".
_ENDINGS = {"tsya": "ться", "ye": "ые"}
_ENDINGS_RE = re.compile(r"tsya(?![a-z])|(?<=[bcdfghklmnprstvz])ye(?![a-z])")

CYRILLIC_RE = re.compile(r"[а-яё]", re.I)
LATIN_RE = re.compile(r"[a-z]", re.I)


def layout_to_ru(text: str) -> str:
    """What a Russian speaker meant when typing with the English layout on."""
    return text.translate(_TO_RU)


def layout_to_en(text: str) -> str:
    """What an English speaker meant when typing with the Russian layout on."""
    return text.translate(_TO_EN)


def translit_to_ru(text: str) -> str:
    """Latin transliteration back to Cyrillic; approximate: what Latin letters cannot tell
    ("e" for "е" or "э", no soft sign) the normalizer decides by how common each word is."""
    out = _ENDINGS_RE.sub(lambda m: _ENDINGS[m.group(0)], text.lower())
    out = _TRANSLIT_RE.sub(lambda m: _TRANSLIT_MAP[m.group(0)], out)
    # "y" after a vowel is "й" ("kakoy" -> "какой"), elsewhere "ы".
    return re.sub(r"(?<=[аеёиоуыэюя])ы", "й", out)


def squash_ru(word: str) -> str:
    """Collapse what transliteration and careless typing confuse (ь, й/ы/и, э/е, щ/ш...)."""
    word = word.replace("ь", "").replace("ъ", "")
    return word.translate(str.maketrans("йыэщёцх", "ииешеск"))


def script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters)."""
    return len(CYRILLIC_RE.findall(text)), len(LATIN_RE.findall(text))
