"""Composing an answer: the verdict's opening line, the answer text, its quotes and speakers,
and the suggestions; and "the article doesn't say" with what the bot can answer instead.

A part of AnswerEngine (it reads the engine's knowledge base and interface texts).
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.claims import Verdict
from bot.engine.matcher import Scored
from bot.engine.models import Intent
from bot.engine.types import Answer, AnswerKind, ClaimCheck, Lang, Source, Suggestion, Trace

MAX_SUGGESTIONS = 3


class Composing:
    """AnswerEngine's composing of answers."""

    def _claim_line(self, verdict: Verdict, lang: Lang) -> tuple[str, str]:
        """The verdict's opening sentence, and the article's value as it words it."""
        article = getattr(verdict.spec.says, lang)
        roles = [s for s in verdict.stated if s.kind == "role"]
        if roles:
            return self._role_line(verdict, roles[0].entity or "", lang), article
        if verdict.confirmed:
            return self.texts(lang, "claim_confirmed"), article
        said_by = self._said_by_line(verdict, lang)
        if said_by:
            return said_by, article
        if verdict.year is not None and verdict.spec.when is not None:
            when = getattr(verdict.spec.when, lang)
            return self.texts(lang, "year_refuted", value=article, when=when, year=verdict.year), article
        key = "claim_refuted" if verdict.confirmed is False else "claim_partly"
        return self.texts(lang, key, value=article), article

    def _said_by_line(self, verdict: Verdict, lang: Lang) -> str | None:
        """ "Собянин сообщил, что…": who says it in the article, and not the one named."""
        named = [s for s in verdict.stated if s.kind == "person" and s.entity]
        if verdict.confirmed is not False or verdict.spec.kind != "person" or not named:
            return None
        holder, role = self._person(verdict.spec.values[0], lang)
        # someone the article does not quote ("Собянин") is named as the message wrote them
        name = self._person(named[0].entity or "", lang)[0] or named[0].raw
        if not holder:
            return None
        return self.texts(lang, "said_by_refuted", holder=holder, role=role, name=name)

    def _role_line(self, verdict: Verdict, holder: str, lang: Lang) -> str:
        """ "Yes, X is the deputy mayor" or who holds the title instead; the person the message
        named is introduced by their own role when the article gives one."""
        holder_name, holder_role = self._person(holder, lang)
        if verdict.confirmed:
            return self.texts(lang, "role_confirmed", name=holder_name, role=holder_role)
        named = next((s.entity for s in verdict.stated if s.kind == "person"), None) or ""
        name, name_role = self._person(named, lang)
        if not holder_name:
            # a title no one in the article holds ("mayor Efimov"): what the person is
            line = self.texts(lang, "quote_by", name=name, role=name_role)
            return self.texts(lang, "claim_refuted", value=line)
        if not name_role:
            holder_line = self.texts(lang, "quote_by", name=holder_name, role=holder_role)
            return self.texts(lang, "claim_refuted", value=holder_line)
        return self.texts(
            lang,
            "role_refuted",
            holder=holder_name,
            role=holder_role,
            name=name,
            name_role=name_role,
        )

    def _person(self, pid: str, lang: Lang) -> tuple[str, str]:
        """A person's name and role as the answer words them; ("", "") for one the article lacks."""
        if pid == "author":
            return getattr(self.kb.article.author, lang), self.texts(lang, "author_role")
        person = self.kb.article.people.get(pid)
        if person is None:
            return "", ""
        return getattr(person.name, lang), getattr(person.role, lang)

    def _sources(self, intent: Intent, lang: Lang) -> tuple[Source, ...]:
        out = []
        for src in intent.sources:
            speaker = None
            if src.speaker:
                person = self.kb.article.people[src.speaker]
                speaker = self.texts(
                    lang,
                    "quote_by",
                    name=getattr(person.name, lang),
                    role=getattr(person.role, lang),
                )
            out.append(Source(quote=" ".join(src.quote.split()), speaker=speaker))
        return tuple(out)

    def _suggestion(self, intent_id: str, lang: Lang) -> Suggestion:
        return Suggestion(intent_id, getattr(self.kb.intents[intent_id].question, lang))

    def _featured(self, lang: Lang) -> tuple[Suggestion, ...]:
        return tuple(self._suggestion(i, lang) for i in self.kb.article.featured[:MAX_SUGGESTIONS])

    def _compose(
        self,
        question: str,
        intent: Intent,
        lang: Lang,
        best: Scored,
        verdict: Verdict | None,
        suggestions: tuple[Suggestion, ...],
        details: Trace | None,
    ) -> Answer:
        text = getattr(intent.answer, lang)
        claim = None
        if verdict is not None:
            line, article = self._claim_line(verdict, lang)
            text = f"{line} {text}"
            claim = ClaimCheck(
                confirmed=verdict.confirmed,
                stated=tuple(s.raw for s in verdict.stated),
                article=article,
            )
        kind = AnswerKind.FACT if intent.kind == "fact" else AnswerKind.CHITCHAT
        if kind is AnswerKind.CHITCHAT and not suggestions:
            suggestions = self._featured(lang)
        return Answer(
            question=question,
            lang=lang,
            kind=kind,
            text=text,
            intent=intent.id,
            score=round(min(100.0, best.confidence), 1),
            sources=self._sources(intent, lang),
            suggestions=suggestions,
            claim=claim,
            details=details,
        )

    def _out_of_scope(
        self,
        question: str,
        lang: Lang,
        scored: list[Scored],
        details: Trace,
        text: str | None = None,
    ) -> Answer:
        near = [s.intent for s in scored if self.kb.intents[s.intent].kind == "fact"][
            :MAX_SUGGESTIONS
        ]
        for iid in self.kb.article.featured:
            if len(near) >= MAX_SUGGESTIONS:
                break
            if iid not in near:
                near.append(iid)
        best = scored[0].confidence if scored else 0.0
        details = replace(details, best=scored[0].intent if scored else None)
        return Answer(
            question=question,
            lang=lang,
            kind=AnswerKind.OUT_OF_SCOPE,
            text=text or self.texts(lang, "out_of_scope"),
            score=round(best, 1),
            suggestions=tuple(self._suggestion(i, lang) for i in near),
            details=details,
        )
