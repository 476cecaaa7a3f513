"""Loading the knowledge base and refusing a broken one, with every problem named.

A problem names its file, its intent and what is wrong, so a curator can fix a YAML file
without reading code. Checks: the files' shape (pydantic), unique ids and examples, both
languages everywhere, quotes that stand verbatim in the article, and figures in answers that
their quotes back.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import NamedTuple, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.engine.figures import Figure, FigureReader, contains_figure
from bot.engine.models import (
    NUMERIC_KINDS,
    ArticleMeta,
    Chatter,
    ClaimSpec,
    Intent,
    IntentFile,
    Lexicon,
    UiStrings,
    ValueLexicon,
)
from bot.engine.types import LANGS
from bot.engine.yamlio import read_yaml

M = TypeVar("M", bound=BaseModel)
MIN_EXAMPLES = 10
ENGINE_UI_KEYS = (
    "out_of_scope",
    "out_of_scope_short",
    "out_of_scope_year",
    "did_you_mean",
    "claim_confirmed",
    "claim_refuted",
    "claim_partly",
    "role_confirmed",
    "role_refuted",
    "author_role",
    "empty",
    "article_words",
    "quote_by",
)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str
    intent: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: intent {self.intent}" if self.intent else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base cannot be used; `problems` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path
    article: ArticleMeta
    article_text: str
    intents: dict[str, Intent]
    lexicon: Lexicon
    ui: UiStrings
    values: ValueLexicon
    chatter: Chatter
    intent_files: dict[str, str] = field(default_factory=dict)
    figures: dict[str, tuple[Figure, ...]] = field(default_factory=dict)  # intent -> its figures
    article_figures: tuple[Figure, ...] = ()


def default_knowledge_dir() -> Path:
    """The copy shipped in the wheel, or the repository's `knowledge/` in a source checkout."""
    shipped = Path(str(resources.files("bot") / "_knowledge"))
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "knowledge"


def fold(text: str) -> str:
    return " ".join(text.split())


_PUNCT = re.compile(rf"[{re.escape(string.punctuation)}«»“”„—–…?!]+")


def example_key(text: str) -> str:
    return fold(_PUNCT.sub(" ", text.lower().replace("ё", "е")))


def _pydantic_problems(file: str, intent: str | None, exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        out.append(Problem(file, f"{loc}: {msg}", intent))
    return out


class _Loader:
    def __init__(self, root: Path, required_ui_keys: Iterable[str] = ()) -> None:
        self.root = root
        self.required_ui_keys = tuple(dict.fromkeys((*ENGINE_UI_KEYS, *required_ui_keys)))
        self.problems: list[Problem] = []

    def _yaml(self, rel: str) -> object:
        path = self.root / rel
        try:
            return read_yaml(path)
        except FileNotFoundError:
            self.problems.append(Problem(rel, "file is missing"))
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(rel, f"cannot be read: {exc}"))
        except yaml.YAMLError as exc:
            self.problems.append(Problem(rel, f"is not valid YAML: {fold(str(exc))}"))
        return None

    def _model(self, rel: str, model: type[M], data: object) -> M | None:
        if data is None:
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(_pydantic_problems(rel, None, exc))
            return None

    def load(self) -> KnowledgeBase:
        if not self.root.is_dir():
            raise KnowledgeError([Problem(str(self.root), "knowledge folder does not exist")])
        parts = self._read_files()
        reader = FigureReader(parts.lexicon)
        figures = self._check_intents(
            parts.intents, parts.files, parts.article, fold(parts.text), reader
        )
        self._check_claims(parts.intents, parts.files, figures, parts.values, reader)
        if self.problems:
            raise KnowledgeError(self.problems)
        article_figures = tuple(reader.read(parts.text)) + tuple(
            reader.read(str(parts.article.year))
        )
        return KnowledgeBase(
            root=self.root,
            article=parts.article,
            article_text=parts.text,
            intents=parts.intents,
            lexicon=parts.lexicon,
            ui=parts.ui,
            values=parts.values,
            chatter=parts.chatter,
            intent_files=parts.files,
            figures=figures,
            article_figures=article_figures,
        )

    def _read_files(self) -> _Files:
        """Every file, each checked on its own; raises when one the rest needs is unusable."""
        article = self._model("article.yaml", ArticleMeta, self._yaml("article.yaml"))
        lexicon = self._model("lexicon.yaml", Lexicon, self._yaml("lexicon.yaml"))
        ui = self._model("ui.yaml", UiStrings, self._yaml("ui.yaml"))
        values = self._model("values.yaml", ValueLexicon, self._yaml("values.yaml"))
        chatter = self._model("chatter.yaml", Chatter, self._yaml("chatter.yaml"))
        if values is not None:
            self._check_patterns(values)
        if lexicon is not None and not self._check_lexicon(lexicon):
            lexicon = None  # its figures' patterns read every quote: nothing checks without them
        text = self._article_text(article)
        intents, files = self._intents()
        if ui is not None:
            self._check_ui(ui)
        if article is None or lexicon is None or ui is None or values is None or chatter is None:
            raise KnowledgeError(self.problems)
        return _Files(article, lexicon, ui, values, chatter, text, intents, files)

    def _article_text(self, article: ArticleMeta | None) -> str:
        if article is None:
            return ""
        try:
            return (self.root / article.text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(article.text_file, f"cannot be read: {exc}"))
            return ""

    def _check_patterns(self, values: ValueLexicon) -> None:
        """A pattern that does not compile would break every answer: refuse it at load."""
        for where, pattern in _value_patterns(values).items():
            try:
                re.compile(pattern)
            except re.error as exc:
                self.problems.append(Problem("values.yaml", f"{where}: bad pattern: {exc}"))
        for eid, entity in values.entities.items():
            for other in entity.within:
                if other not in values.entities:
                    self.problems.append(
                        Problem("values.yaml", f"entities.{eid}.within: unknown entity {other!r}")
                    )
            self._check_opposite(values, eid)

    def _check_opposite(self, values: ValueLexicon, eid: str) -> None:
        opposite = values.entities[eid].opposite
        if opposite is None:
            return
        other = values.entities.get(opposite)
        if other is None or other.kind != values.entities[eid].kind:
            self.problems.append(
                Problem(
                    "values.yaml",
                    f"entities.{eid}.opposite: {opposite!r} is no entity of its kind",
                )
            )

    def _check_lexicon(self, lexicon: Lexicon) -> bool:
        """Whether every pattern compiles (a broken one is a problem of its own)."""
        before = len(self.problems)
        named = {f"phrases[{i}]": p.pattern for i, p in enumerate(lexicon.phrases)}
        named |= {f"qualified_terms[{i}]": q.term for i, q in enumerate(lexicon.qualified_terms)}
        named |= {f"number_words[{i}]": w.pattern for i, w in enumerate(lexicon.number_words)}
        named |= {f"scale_words[{i}]": w.pattern for i, w in enumerate(lexicon.scale_words)}
        if lexicon.decimal_point:
            named["decimal_point"] = lexicon.decimal_point
        for where, pattern in named.items():
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                self.problems.append(Problem("lexicon.yaml", f"{where}: bad pattern: {exc}"))
                continue
            if compiled.groups and where.startswith("phrases"):
                self.problems.append(
                    Problem("lexicon.yaml", f"{where}: use (?:...), not a capturing group")
                )
        return len(self.problems) == before

    def _check_claims(
        self,
        intents: dict[str, Intent],
        files: dict[str, str],
        figures: dict[str, tuple[Figure, ...]],
        values: ValueLexicon,
        reader: FigureReader,
    ) -> None:
        """A claim's value is a figure its quotes give, and its wording states only those."""
        for iid, intent in intents.items():
            own = list(figures.get(iid, ()))
            for n, spec in enumerate(intent.claims, 1):
                for msg in _claim_problems(spec, own, values, reader):
                    self.problems.append(Problem(files[iid], f"claims[{n}]: {msg}", iid))

    def _intents(self) -> tuple[dict[str, Intent], dict[str, str]]:
        intents: dict[str, Intent] = {}
        files: dict[str, str] = {}
        folder = self.root / "intents"
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not paths:
            self.problems.append(Problem("intents/", "no intent files (*.yaml)"))
        for path in paths:
            rel = f"intents/{path.name}"
            data = self._model(rel, IntentFile, self._yaml(rel))
            if not isinstance(data, IntentFile):
                continue
            for i, raw in enumerate(data.intents):
                name = (
                    str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else f"#{i + 1}"
                )
                try:
                    intent = Intent.model_validate(raw)
                except ValidationError as exc:
                    self.problems.extend(_pydantic_problems(rel, name, exc))
                    continue
                if intent.id in intents:
                    self.problems.append(
                        Problem(rel, f"duplicate id (also in {files[intent.id]})", intent.id)
                    )
                    continue
                intents[intent.id] = intent
                files[intent.id] = rel
        return intents, files

    def _check_ui(self, ui: UiStrings) -> None:
        for key in self.required_ui_keys:
            for lang in LANGS:
                if key not in getattr(ui, lang):
                    self.problems.append(Problem("ui.yaml", f"{lang}.{key}: missing"))
        for key in sorted(set(ui.ru) ^ set(ui.en)):
            lang = "en" if key in ui.ru else "ru"
            self.problems.append(
                Problem("ui.yaml", f"{lang}.{key}: missing (the other language has it)")
            )
        for key in sorted(set(ui.ru) & set(ui.en)):
            ru, en = (set(re.findall(r"\{(\w+)\}", s)) for s in (ui.ru[key], ui.en[key]))
            if ru != en:
                self.problems.append(
                    Problem(
                        "ui.yaml",
                        f"{key}: placeholders differ between ru {sorted(ru)} and en {sorted(en)}",
                    )
                )

    def _check_featured(self, article: ArticleMeta, intents: dict[str, Intent]) -> None:
        for ref in article.featured:
            if ref not in intents:
                self.problems.append(Problem("article.yaml", f"featured: unknown intent {ref!r}"))

    def _check_intents(
        self,
        intents: dict[str, Intent],
        files: dict[str, str],
        article: ArticleMeta,
        text: str,
        reader: FigureReader,
    ) -> dict[str, tuple[Figure, ...]]:
        """Each intent against the others and the article; returns the figures each states
        or quotes (its answer's, its quotes', its derived ones), for the claims' check."""
        self._check_featured(article, intents)
        seen: dict[str, str] = {}  # example key -> the intent it first stands under
        figures: dict[str, tuple[Figure, ...]] = {}
        year = reader.read(str(article.year))
        for iid, intent in intents.items():
            quoted = [f for src in intent.sources for f in reader.read(src.quote)]
            derived = [f for d in intent.derived for f in reader.read(d.figure)]
            answered = {lang: reader.read(getattr(intent.answer, lang)) for lang in LANGS}
            problems = chain(
                _example_problems(intent, seen),
                _reference_problems(intent, intents),
                _source_problems(intent, article, text),
                _derived_problems(intent, reader),
                _answer_problems(answered, quoted + derived + year),
            )
            self.problems.extend(Problem(files[iid], msg, iid) for msg in problems)
            figures[iid] = tuple([f for lang in LANGS for f in answered[lang]] + quoted + derived)
        return figures


class _Files(NamedTuple):
    """The knowledge files, each valid on its own."""

    article: ArticleMeta
    lexicon: Lexicon
    ui: UiStrings
    values: ValueLexicon
    chatter: Chatter
    text: str  # the article
    intents: dict[str, Intent]
    files: dict[str, str]  # intent id -> its file


def _one_line_patterns(values: ValueLexicon) -> dict[str, str]:
    """The fields that are one pattern each: count_question, per_unit, one_resident, ..."""
    return {name: v for name, v in values if isinstance(v, str) and v}


def _value_patterns(values: ValueLexicon) -> dict[str, str]:
    """Every regular expression of values.yaml, by where it stands ({n} as a number)."""
    named = _one_line_patterns(values)
    named |= {f"roles.{k}": p for k, p in values.roles.items()}
    named |= {f"entities.{k}": e.pattern for k, e in values.entities.items()}
    for group in ("units", "currencies", "counted", "qualifiers"):
        named |= {f"{group}.{k}": p for k, p in getattr(values, group).items()}
    named |= {f"scale[{i}]": w.pattern for i, w in enumerate(values.scale)}
    for group in ("multipliers", "shares"):
        for i, form in enumerate(getattr(values, group)):
            for j, f in enumerate(form.forms):
                named[f"{group}[{i}].forms[{j}]"] = f.replace("{n}", "(1)")
    return named


def _claim_problems(
    spec: ClaimSpec, own: list[Figure], values: ValueLexicon, reader: FigureReader
) -> Iterator[str]:
    if spec.of is not None and spec.of not in values.share_of:
        yield f"of: unknown {spec.of!r} (see values.yaml share_of)"
    if spec.where is not None and spec.where not in values.entities:
        yield f"where: unknown {spec.where!r} (see values.yaml entities)"
    if spec.kind in NUMERIC_KINDS:
        yield from _numeric_claim_problems(spec, own)
    else:
        yield from _named_claim_problems(spec, values)
    yield from _worded_figure_problems(spec, own, reader)


def _worded_figure_problems(
    spec: ClaimSpec, own: list[Figure], reader: FigureReader
) -> Iterator[str]:
    """The verdict line's figures (its value, its period) must stand in the quotes."""
    for key, text in (("says", spec.says), ("when", spec.when)):
        for lang in LANGS if text is not None else ():
            for fig in reader.read(getattr(text, lang)):
                if not contains_figure(own, fig):
                    yield f"{key}.{lang}: figure {fig.raw!r} is not in its quotes"


def _numeric_claim_problems(spec: ClaimSpec, own: list[Figure]) -> Iterator[str]:
    if spec.value is None:
        yield f"a {spec.kind} claim needs a value"
    elif not any(f.value == spec.value for f in own):
        yield f"value {spec.value} is not a figure of its quotes (nor under derived)"
    if spec.values:
        yield "values: only for places, people, products and sources"


def _named_claim_problems(spec: ClaimSpec, values: ValueLexicon) -> Iterator[str]:
    if not spec.values:
        yield f"a {spec.kind} claim needs values (entity ids from values.yaml)"
    for eid in spec.values:
        entity = values.entities.get(eid)
        if entity is None:
            yield f"values: unknown entity {eid!r} (see values.yaml entities)"
        elif entity.kind != spec.kind:
            yield f"values: {eid!r} is a {entity.kind}, not a {spec.kind}"


def _example_problems(intent: Intent, seen: dict[str, str]) -> Iterator[str]:
    """Enough examples in each language, and none that stands under another intent too."""
    for lang in LANGS:
        examples = getattr(intent.examples, lang)
        if len(examples) < MIN_EXAMPLES:
            yield f"examples.{lang}: {len(examples)} examples, at least {MIN_EXAMPLES} needed"
        for ex in examples:
            key = example_key(ex)
            if key in seen and seen[key] != intent.id:
                yield f"example {ex!r} also stands under intent {seen[key]}"
            seen.setdefault(key, intent.id)


def _reference_problems(intent: Intent, intents: dict[str, Intent]) -> Iterator[str]:
    """Related intents that exist; quotes for a fact, none for chitchat."""
    for ref in intent.related:
        if ref not in intents:
            yield f"related: unknown intent {ref!r}"
    if intent.kind == "fact" and not intent.sources:
        yield "sources: a fact needs at least one quote"
    if intent.kind == "chitchat" and intent.sources:
        yield "sources: chitchat has no sources"


def _source_problems(intent: Intent, article: ArticleMeta, text: str) -> Iterator[str]:
    """Each quote stands verbatim in the article, and its speaker is one of its people."""
    for n, src in enumerate(intent.sources, 1):
        if fold(src.quote) not in text:
            yield f"sources[{n}].quote is not verbatim article text: {src.quote[:60]!r}"
        if src.speaker is not None and src.speaker not in article.people:
            yield f"sources[{n}].speaker: unknown person {src.speaker!r} (see article.yaml people)"


def _derived_problems(intent: Intent, reader: FigureReader) -> Iterator[str]:
    for d in intent.derived:
        if not reader.read(d.figure):
            yield f"derived: {d.figure!r} is not a figure"


def _answer_problems(answered: dict[str, list[Figure]], allowed: list[Figure]) -> Iterator[str]:
    for lang, found in answered.items():
        for fig in found:
            if not contains_figure(allowed, fig):
                yield f"answer.{lang}: figure {fig.raw!r} is not in its quotes (nor under derived)"


def load_knowledge(root: Path | None = None, required_ui_keys: Iterable[str] = ()) -> KnowledgeBase:
    """Load and validate; raises KnowledgeError listing every problem.

    `required_ui_keys`: interface strings a front end needs besides the engine's own, so a
    knowledge base that lacks one is refused at load time rather than failing mid-answer.
    """
    return _Loader(Path(root) if root else default_knowledge_dir(), required_ui_keys).load()
