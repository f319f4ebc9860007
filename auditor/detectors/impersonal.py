"""CAL007: Russian impersonal sentences carried into English without a subject.

Russian reports what "they" did somewhere with no subject at all: "В Кремле
прокомментировали" (they commented in the Kremlin), "В Москве задержали
мужчину" (they detained a man in Moscow), and puts the subject after the verb
in "В сети появилось видео" (a video appeared online). Machine translation
keeps the word order: "In the Kremlin commented on ...", "In Moscow detained a
man", "In the network appeared a video". English needs a subject first.

Only a sentence's start is read (after an optional "Earlier," or
"Meanwhile,"), so the cost is one anchored match per sentence. Who "In X"
stands for and the verbs are data (data/impersonal.tsv): an institution
becomes the subject of any verb ("The Kremlin commented"), a country of a
saying verb or an action ("Ukraine announced", "Russia recorded"; not
"Germany detained a man"), a capital of a saying verb only ("Kyiv said");
the verb agrees ("In the Kremlin believe" -> "The Kremlin believes").
Any other capitalised word is taken for a place and gets no fix: the editor
names who did it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from auditor.detectors.data import rows
from auditor.detectors.registry import Hit, rule
from auditor.regextrie import trie_pattern


class _Verb(NamedTuple):
    base: str
    past: str
    participle: str
    third: str  # third-person singular present
    kind: str  # say | act | police | appear (data/impersonal.tsv says what each allows)
    note: str
    instead: str  # base form of the verb the fix uses ("appreciated" -> "assessed"), or ""


class _Grammar(NamedTuple):
    pattern: re.Pattern
    who_kinds: dict[str, str]  # group name -> kind
    numbers: dict[str, str]  # group name -> sg | pl
    forms: dict[str, _Verb]  # verb form -> its verb
    present: frozenset[str]  # base forms that may stand bare for the Russian plural present


_LEAD = r"(?:(?:Earlier|Meanwhile|Also|Later|Previously|Now|Today|Yesterday|However|In addition|At the same time),? )?"
_NOT_PLACES = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
# Any capitalised word (or two joined by a hyphen), optionally "region" etc.: a place we do not know
_PLACE = (
    rf"(?:the )?(?!(?:{_NOT_PLACES})\b)[A-Z][a-z]+(?:-[A-Z][a-z]+)*"
    r"(?: (?:[Rr]egion|[Oo]blast|[Kk]rai|[Tt]erritory|[Dd]istrict|[Rr]epublic))?"
)
_STARTS = ("In ", "At ", "On ", "Earlier", "Meanwhile", "Also", "Later", "Previously", "Now", "Today", "Yesterday",
           "However")
# What a bare present verb must be followed by: "In the Kremlin believe that", not "In Beijing think tanks"
_OBJECT_STARTS = "that|the|a|an|it|its|this|these|those|such|there|he|she|they|we|no|not|any|in|on"
_AUX_BASE = frozenset({"did", "do", "does", "will", "would", "could", "can", "may", "might"})
_AUX_PARTICIPLE = frozenset({"have", "has", "had"})
_AUX_PASSIVE = frozenset({"was", "were"})


@lru_cache(maxsize=1)
def _verb_forms() -> tuple[dict[str, _Verb], frozenset[str], frozenset[str]]:
    """Each verb form's verb; the base forms that may stand bare for the plural present; the
    forms' first words ("rule" of "rule out"), for the pre-check."""
    forms, present = {}, set()
    for row in rows("impersonal.tsv"):
        if row[0] == "present":
            present.update(row[1].split())
        elif row[0] == "verb":
            base, past, participle, third, kind = row[2:7]
            note, instead = (row[7:] + ["", ""])[:2]
            verb = _Verb(base, past, participle, third, kind, note.strip(), instead.strip())
            for form in (base, past, participle):
                forms[form] = verb
    return forms, frozenset(present), frozenset(f.split()[0] for f in forms)


def _may_be_impersonal(text: str, first_words: frozenset[str]) -> bool:
    """A known verb form among the first words, with no comma before it (after the lead's):
    a pre-check by set lookups, so the grammar is compiled (7 ms) only for a likely sentence."""
    words = text.split(" ", 15)
    for i, word in enumerate(words[1:15], 1):
        if word.rstrip(".;:!?\"\u201d") in first_words:
            return True
        if word.endswith(",") and i > 1:
            return False
    return False


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """One anchored pattern: lead, preposition, who (each data row a named group), an
    optional "they", auxiliary and adverbs, then a known verb form."""
    whos, kinds, numbers = [], {}, {}
    forms, present, _ = _verb_forms()
    for row in rows("impersonal.tsv"):
        if row[0] in ("who", "names"):
            _, kind, number, phrase = row
            name = f"w{len(whos)}"
            if row[0] == "names":
                phrase = trie_pattern(phrase.split("|"))
            whos.append(f"(?P<{name}>{phrase})")
            kinds[name], numbers[name] = kind, number
    whos.append(rf"(?P<place>{_PLACE})")
    kinds["place"], numbers["place"] = "place", "sg"
    pattern = re.compile(
        rf"{_LEAD}(?P<prep>[Ii]n|[Aa]t|[Oo]n) (?P<who>{'|'.join(whos)})(?P<they> they)?"
        r" (?:(?P<aux>did|do|does|will|would|could|can|may|might|have|has|had|was|were)"
        r"(?P<adverb>(?: (?:not|never|already|also|yet|still)){0,2}) )?"
        rf"(?P<verb>{trie_pattern(forms)})(?![\w'’-])(?P<next> (?:{_OBJECT_STARTS})\b)?"
    )
    return _Grammar(pattern, kinds, numbers, forms, present)


def _fixed(who: str, number: str, verb: _Verb, role: str, aux: str | None, adverb: str, capital: bool) -> str:
    """The sentence's start with `who` as the subject; `role` is the verb form's: base, past or participle."""
    subject = who[0].upper() + who[1:] if capital else who
    verb = _verb_forms()[0][verb.instead] if verb.instead else verb
    if aux is None:
        # a bare base form is the Russian plural present ("In the Kremlin believe")
        form = verb.past if role == "past" else verb.third if number == "sg" else verb.base
        return f"{subject} {form}"
    if number == "sg":
        aux = {"do": "does", "have": "has"}.get(aux, aux)
    return f"{subject} {aux}{adverb} {getattr(verb, role)}"


def impersonal_sentences(article):
    """(start, end, message, suggestion) for each sentence that opens with a subjectless "In X <verb>"."""
    first_words, g = _verb_forms()[2], None
    for sentence in article.sentences:
        text = sentence.text
        if not text.startswith(_STARTS):
            continue
        if not _may_be_impersonal(text, first_words):
            continue
        g = g or _grammar()
        m = g.pattern.match(text)
        if m is None:
            continue
        name = next(n for n in g.who_kinds if m.group(n) is not None)
        kind = g.who_kinds[name]
        form, aux = m.group("verb"), m.group("aux")
        verb = g.forms[form]
        role = ("base" if aux in _AUX_BASE else "participle" if aux is not None
                else "past" if form == verb.past else "base")
        if getattr(verb, role) != form:
            continue  # "In Moscow spoken", "did said": not this construction
        if role == "base" and aux is None and (form not in g.present or m.group("next") is None):
            continue  # "In the Senate plan", "In Washington state": a noun, not the Russian present
        if m.group("they") and (aux is not None or kind != "institution"):
            continue  # "In Madrid they will appear": they is the subject
        prep = m.group("prep")
        if prep.lower() == "on" and kind != "online" or prep.islower() != (m.start("prep") > 0):
            continue
        start, end = sentence.start + m.start("prep"), sentence.start + m.end("verb")
        span = text[m.start("prep") : m.end("verb")]
        note = f" ({verb.note})" if verb.note else ""
        if verb.kind == "appear" or aux in _AUX_PASSIVE:
            example = ("\u201cA video appeared online\u201d" if verb.kind == "appear"
                       else "\u201cFive people were detained in Moscow\u201d")
            yield (start, end, f"Russian word order: \u201c{span}\u201d puts the subject after the verb; English "
                   f"puts it first ({example}){note}", None)
            continue
        fixable = (kind == "institution" or kind == "country" and verb.kind in ("say", "act")
                   or kind == "capital" and verb.kind == "say")
        message = (f"no subject: \u201c{span}\u201d is a Russian impersonal sentence (\u201cВ Кремле заявили\u201d, "
                   "they said in the Kremlin)")
        if fixable:
            suggestion = _fixed(m.group("who"), g.numbers[name], verb, role, aux, m.group("adverb") or "",
                                capital=m.start("prep") == 0)
            yield (start, end, f"{message}; English makes {m.group('who')} the subject{note}", suggestion)
        else:
            yield (start, end, f"{message}; English names who did it (\u201cPolice in Moscow detained\u201d, "
                   f"\u201cOfficials said\u201d) or uses the passive{note}", None)


@rule(code="CAL007", name="impersonal-sentence", category="calque", severity="warning", fix="unsafe")
def impersonal_sentence(article, config):
    """A sentence without a subject: a Russian impersonal sentence kept word for word.

    "В Кремле прокомментировали" (they commented in the Kremlin) comes out as
    "In the Kremlin commented on the statement", "В Москве задержали мужчину"
    as "In Moscow detained a man", "В сети появилось видео" as "In the network
    appeared a video". English needs a subject before the verb. An institution
    becomes the subject of any verb, a country that of a saying verb or an
    action ("Ukraine announced", "Russia recorded"), a capital that of a saying
    verb ("Kyiv said"); the verb is made to agree ("In the Kremlin believe" ->
    "The Kremlin believes"). For any other place no fix is offered: the editor
    names who acted, or uses the passive. Institutions, countries and verbs are
    data (data/impersonal.tsv). Only a sentence's start is read. An editor
    decides (fix: unsafe).

    Example: `In the Kremlin commented on the statement of Zelensky.` ->
    `The Kremlin commented`.
    """
    for start, end, message, suggestion in impersonal_sentences(article):
        yield Hit(start, end, message, suggestion)
