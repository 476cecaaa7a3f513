"""Telegram's HTML parse mode, checked as strictly as the documentation states it.

Real Telegram rejects some mistakes ("can't parse entities") and silently mangles others
(``&nbsp;`` shows up literally, a bare ``&`` may survive); the fake treats both as bugs so the
bot's escaping is verified. Rules: https://core.telegram.org/bots/api#html-style
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .spec import supports_entity

MAX_TEXT_UTF16 = 4096
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+)"
_ATTRIBUTE = re.compile(rf"([^\s=>]+)(?:\s*=\s*({_VALUE}))?")
_START_TAG = re.compile(rf"([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=>]+(?:\s*=\s*{_VALUE})?)*)\s*")
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")

# Canonical tag -> attributes it accepts.
_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "span": frozenset({"class"}),
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
}
if supports_entity("date_time"):
    _TAGS["tg-time"] = frozenset({"unix", "format"})

# Entities that "can't contain each other" (pre > code is the one allowed pair).
_EXCLUSIVE = frozenset({"a", "code", "pre", "tg-emoji", "tg-time"})


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit Telegram uses for limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    attrs: dict[str, str | None]
    offset: int
    children: int = 0


@dataclass
class _Parser:
    source: str
    out: list[str] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # unsupported tags still open

    def error(self, index: int, message: str) -> None:
        offset = len(self.source[:index].encode("utf-8"))
        self.errors.append(f"can't parse entities: {message} at byte offset {offset}")

    def run(self) -> None:
        text, i = self.source, 0
        while i < len(text):
            char = text[i]
            if char == "<":
                i = self.tag(i)
            elif char == "&":
                i = self.entity(i)
            else:
                if char == ">":
                    self.error(i, "unescaped '>' (use &gt;)")
                self.out.append(char)
                i += 1
        for unclosed in reversed(self.stack):
            self.error(unclosed.offset, f'can\'t find end tag for start tag "{unclosed.name}"')

    def entity(self, i: int) -> int:
        match = _ENTITY.match(self.source, i)
        if match is None:
            self.error(i, "unescaped '&' (use &amp;)")
            self.out.append("&")
            return i + 1
        body = match.group(1)
        if body.startswith("#"):
            code = int(body[2:], 16) if body[1:2] in "xX" else int(body[1:])
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                self.out.append(chr(code))
            else:
                self.error(i, f"invalid numeric entity &{body};")
        elif body in _NAMED_ENTITIES:
            self.out.append(_NAMED_ENTITIES[body])
        else:
            self.error(i, f"unsupported named entity &{body}; (only &lt; &gt; &amp; &quot;)")
            self.out.append(match.group(0))
        return match.end()

    def tag(self, i: int) -> int:
        end = _tag_end(self.source, i)
        if end == -1:
            self.error(i, "unescaped '<' (use &lt;)")
            self.out.append("<")
            return i + 1
        inner = self.source[i + 1 : end]
        if inner.startswith("/"):
            self.end_tag(i, inner[1:].strip().lower())
            return end + 1
        match = _START_TAG.fullmatch(inner)
        if match is None:
            if inner[:1].isalpha():
                self.error(i, f"malformed tag <{inner[:40]}>")
                return end + 1
            self.error(i, "unescaped '<' (use &lt;)")
            self.out.append("<")
            return i + 1
        name = match.group(1).lower()
        attrs = {
            a.group(1).lower(): _attr_value(a.group(2)) for a in _ATTRIBUTE.finditer(match.group(2))
        }
        self.start_tag(i, name, attrs)
        return end + 1

    def start_tag(self, i: int, name: str, attrs: dict[str, str | None]) -> None:
        if name not in _TAGS:
            self.error(i, f'unsupported start tag "{name}"')
            self.ignored.append(name)  # so its end tag is not reported a second time
            return
        for attr in attrs.keys() - _TAGS[name]:
            self.error(i, f'unsupported attribute "{attr}" in tag "{name}"')
        parent = self.stack[-1] if self.stack else None
        for problem in _attribute_problems(name, attrs, parent):
            self.error(i, problem)
        for problem in _nesting_problems(name, self.stack):
            self.error(i, problem)
        if parent is not None:
            parent.children += 1
        self.stack.append(_Open(name, attrs, i))

    def end_tag(self, i: int, name: str) -> None:
        if name in self.ignored:
            self.ignored.remove(name)
        elif not self.stack:
            self.error(i, f'unexpected end tag "{name}"')
        elif self.stack[-1].name != name:
            self.error(i, f'unmatched end tag "{name}", expected "</{self.stack[-1].name}>"')
            if any(o.name == name for o in self.stack):  # recover: close up to the match
                while self.stack.pop().name != name:
                    pass
        else:
            self.stack.pop()


def _tag_end(text: str, start: int) -> int:
    """Index of the '>' closing the tag opened at ``start`` (quotes respected), or -1."""
    quote = ""
    for j in range(start + 1, len(text)):
        char = text[j]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and (text[j - 1] == "=" or text[j - 1].isspace()):
            quote = char
        elif char == ">":
            return j
        elif char == "<":
            return -1
    return -1


def _attr_value(raw: str | None) -> str | None:
    if raw is None:
        return None
    if raw[:1] in "\"'" and len(raw) >= 2:
        raw = raw[1:-1]
    return html_to_text(raw) if "&" in raw else raw


def _attribute_problems(name: str, attrs: dict[str, str | None], parent: _Open | None) -> list[str]:
    problems: list[str] = []
    if name == "span" and attrs.get("class") != "tg-spoiler":
        problems.append('tag "span" must have class "tg-spoiler"')
    if name == "a" and not attrs.get("href"):
        problems.append('tag "a" must have a non-empty href')
    if name == "tg-emoji" and not (attrs.get("emoji-id") or "").isdigit():
        problems.append('tag "tg-emoji" must have a numeric emoji-id')
    if name == "tg-time":
        if not (attrs.get("unix") or "").isdigit():
            problems.append('tag "tg-time" must have a numeric unix attribute')
        fmt = attrs.get("format")
        if fmt is not None and not _TIME_FORMAT.fullmatch(fmt):
            problems.append(f'tag "tg-time" has invalid format "{fmt}"')
    if name == "code" and "class" in attrs:
        in_pre = parent is not None and parent.name == "pre"
        if not in_pre:
            problems.append("programming language can't be specified for standalone code")
        elif not (attrs["class"] or "").startswith("language-"):
            problems.append('class of "code" inside "pre" must be "language-..."')
    if name == "blockquote" and attrs.get("expandable") not in (None, "", "expandable"):
        problems.append('attribute "expandable" takes no value')
    return problems


def _nesting_problems(name: str, stack: list[_Open]) -> list[str]:
    problems: list[str] = []
    for depth, ancestor in enumerate(stack):
        is_parent = depth == len(stack) - 1
        if ancestor.name == "pre" and name == "code" and is_parent and ancestor.children == 0:
            continue
        if ancestor.name in ("pre", "code"):
            problems.append(f'no entities are allowed inside "{ancestor.name}", got "{name}"')
        elif ancestor.name in _EXCLUSIVE and name in _EXCLUSIVE:
            problems.append(f'"{name}" can\'t be nested inside "{ancestor.name}"')
        elif ancestor.name == "blockquote" and name == "blockquote":
            problems.append("blockquotes can't be nested")
    return problems


def parse_html(text: str) -> tuple[str, list[str]]:
    """(plain text with tags removed and entities decoded, parse errors) — best effort on errors."""
    parser = _Parser(text)
    parser.run()
    return "".join(parser.out), parser.errors


def html_to_text(text: str) -> str:
    """The text a user sees for ``text`` sent with parse_mode=HTML."""
    return parse_html(text)[0]


def check_text_length(plain: str, max_length: int = MAX_TEXT_UTF16) -> list[str]:
    """Telegram's "1..max_length characters after entities parsing", counted in UTF-16 units."""
    if not plain.strip():
        return ["message text is empty"]
    if utf16_len(plain) > max_length:
        return [f"message is too long ({utf16_len(plain)} > {max_length} UTF-16 units)"]
    return []


def check_html(text: str, max_length: int = MAX_TEXT_UTF16) -> list[str]:
    """Violations of Telegram's HTML parse mode in ``text`` (empty list when it is valid)."""
    plain, errors = parse_html(text)
    return errors + check_text_length(plain, max_length)
