"""Officials named with the wrong role: "the head of the Russian Foreign
Ministry, Yevgeny Ivanov" (in 2021 Russia's foreign minister was Sergey
Lavrov), judged against the dated knowledge base in `auditor.kb`.

A mention is a role phrase from the KB lexicon next to a name, in the shapes
English news uses: "Foreign Minister Sergey Lavrov", "the head of the
Russian Foreign Ministry, Yevgeny Ivanov, said", "Sergey Lavrov, Russia's
foreign minister,", "former Foreign Minister Igor Ivanov", "Foreign Minister
Lavrov" (surname resolved to a fuller mention in the article or the KB).

Precision first: unknown roles, people the KB does not know named in a role
whose country is not stated, offices the KB does not list completely, and
"acting"/"deputy"/"incoming" mentions are never judged. Without an article
date only a person who never held the office is flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from auditor.detectors.calque import russian_name_forms
from auditor.detectors.registry import Hit, rule

# An HTML entity, whole or broken, right after a name: the name may go on
# past it ("President Jose Manuel & nbsp ; Barroso"), so it is not judged
# (ENT001/ENT002 report the entity; the cleaned text is judged whole).
_ENTITY_AFTER = re.compile(r"[ \t]*&[ \t]?#?[A-Za-z0-9]")
_NAME_RUN = re.compile(r"[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,4}")
_BEFORE = re.compile(
    r"((?:[^\W\d_][\w'’.\-]*[ \t]+){0,4}[^\W\d_][\w'’.\-]*),[ \t]+(?:the[ \t]+)?"
    r"(?P<q>(?:former|ex-|then-|then[ \t]+|acting|current)[ \t]*)?$"
)
_COMMA_BEFORE = re.compile(r",[ \t]+(?:the[ \t]+)?(?:(?:former|ex-|then-|then[ \t]+|acting|current)[ \t]*)?$")
_CLOSER = re.compile(r"\.?[ \t]*,|[ \t]+(?:said|says|stated|states|told|noted|stressed|added|announced|declared|wrote|emphasized|emphasised)\b")
_AFTER_ROLE_END = re.compile(r"\s*(?:[,.;:)]|$)|\s+(?:said|says|and|who|has|had|was|is|told|on|in|at|during)\b")
_QUAL = re.compile(
    r"(?i)\b(former|ex|then|late|acting|interim|caretaker|incoming|future|next|new|newly[- ]appointed|"
    r"would-be|designate|outgoing|deputy|vice|assistant|under|shadow|first|honorary|junior)"
    # a stray quotation mark may fall between them ("when Vice» President Dick Cheney")
    r"[\"'”’»“«]?[ \t]*[-–]?[ \t]*[\"'”’»“«]?(?:the[ \t]+)?$"
)
_PREV_WORD = re.compile(r"([^\W\d_][\w'’.\-]*)[ \t]+$")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_PAST_CONTEXT = re.compile(
    r"(?i)\b(?:at the time|back then|then|when|while|served|serving|during|under|ago|previously|formerly|once|"
    r"in the (?:19|20)\d0s|was (?:then|still))\b"
)
_PAST_QUAL = {"former", "ex", "late"}
_SKIP_QUAL = {
    "acting", "interim", "caretaker", "incoming", "future", "next", "new", "newly appointed", "newly-appointed",
    "would-be", "designate", "deputy", "vice", "assistant", "under", "shadow", "first", "honorary", "junior",
}
# Capitalised words that are not names (they follow roles in running text).
_NOT_NAME = set(
    """the a an and or but of in on at to for with by from as he she it they this that his her their its
    said says told added noted monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december today yesterday tomorrow
    office ministry minister department house government administration council party union federation
    republic state states kingdom nations foreign affairs president prime secretary spokesman spokeswoman
    spokesperson press service league club cabinet embassy chief head general mr mrs ms dr sir lord lady
    who which when where while after before during earlier later also however meanwhile earlier,
    kremlin washington moscow kyiv kiev london berlin paris beijing brussels nato un eu us uk usa""".split()
)
_DAYS_MONTHS = {w for w in _NOT_NAME}
_PARTICLES = {"von", "der", "de", "zu", "van", "den", "la", "le", "da", "du", "bin", "al", "ter"}
# Precompiled: _name_tokens runs for every role mention (re's own cache lookup costs more).
_INITIALS = re.compile(r"[A-Z]\.(?:[A-Z]\.)*")
_POSSESSIVE_END = re.compile(r"\w['’]s?$")
_POSSESSIVE = re.compile(r"['’]s?$")


_load_kb: list = []  # auditor.kb.load_kb, imported on first use (an import statement per call costs)


def _kb():
    if not _load_kb:
        from auditor.kb import load_kb

        _load_kb.append(load_kb)
    return _load_kb[0]()


@lru_cache(maxsize=1)
def _lexicon():
    from auditor.kb.roles import lexicon

    return lexicon()


def _name_tokens(run: str) -> list[str]:
    """The leading tokens of `run` that look like a name."""
    from auditor.kb.names import PARTICLES as NAME_PARTICLES  # lazy: auditor.kb loads on first use

    raw = run.split()
    out: list[str] = []
    for i, tok in enumerate(raw):
        bare = tok.rstrip(".,;:")
        is_initial = _INITIALS.fullmatch(tok) is not None
        if is_initial:
            out.append(tok)
            continue
        if tok[:1].isupper() and bare and bare.lower() not in _NOT_NAME:
            poss = _POSSESSIVE.sub("", bare) if _POSSESSIVE_END.search(bare) else bare
            out.append(poss)
            if bare != tok or poss != bare:  # sentence, clause or possessive ends the name
                break
            continue
        nxt = raw[i + 1 : i + 3]
        if out and tok.lower() in NAME_PARTICLES and nxt and (
            nxt[0][:1].isupper() or (nxt[0].lower() in NAME_PARTICLES and len(nxt) > 1 and nxt[1][:1].isupper())
        ):
            out.append(tok)
            continue
        break
    while out and out[-1].lower() in NAME_PARTICLES:
        out.pop()
    return out


def _span_of(text: str, start: int, tokens: list[str]) -> tuple[int, int] | None:
    """Offsets of the name made of `tokens`, searched from `start` (None if not there)."""
    end = first = text.find(tokens[0], start, start + 200)
    if first < 0:
        return None
    for tok in tokens:
        end = text.find(tok, end, end + 40)
        if end < 0:
            return None
        end += len(tok)
    return first, end


def _looks_like_full_name(tokens: list[str]) -> bool:
    words = [t for t in tokens if not re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)*", t)]
    return (
        len(tokens) >= 2
        and len(words) >= 2
        and all(re.fullmatch(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*", w) for w in words)
        and not any(w.isupper() and len(w) > 1 for w in words)
        and not any(w.lower() in _NOT_NAME for w in words)
    )


class _Mention:
    __slots__ = ("role", "name_start", "name_end", "tokens", "qual", "sentence", "text", "_match")

    def __init__(self, role, name_start, name_end, tokens, qual, sentence, text):
        self.role, self.name_start, self.name_end = role, name_start, name_end
        self.tokens, self.qual, self.sentence, self.text = tokens, qual, sentence, text
        self._match = None

    def match(self, kb):
        """The KB lookup of the name (shared by OFF001, TRL101 and TRL102)."""
        if self._match is None:
            self._match = kb.index.match(self.tokens)
        return self._match


_last: list = [None, None]  # (text, mentions): OFF001 and TRL102 share one scan


def find_mentions(article):
    """Role–person mentions in the article (role match, name span, tokens, qualifier)."""
    text = article.text
    if _last[0] is text:
        return _last[1]
    out = _find_mentions(article)
    _last[0], _last[1] = text, out
    return out


def _find_mentions(article):
    text = article.text
    out = []
    for rm in _lexicon().finditer(text):
        if rm.role is None:
            continue
        a, b = rm.start, rm.end
        qm = _QUAL.search(text, max(0, a - 24), a)
        qual = qm.group(1).lower() if qm else None
        tokens = None
        name_start = None
        # ROLE NAME / ROLE, NAME, (apposition closed by a comma or a speech verb)
        if b < len(text) and text[b] in " \t" and (m := _NAME_RUN.match(text, b + 1)):
            tokens = _name_tokens(m.group(0))
            name_start = b + 1
        elif text.startswith(", ", b) and (m := _NAME_RUN.match(text, b + 2)):
            tokens = _name_tokens(m.group(0))
            if tokens:
                span = _span_of(text, b + 2, tokens)
                if span is None or not _CLOSER.match(text, span[1]):
                    tokens = None
            name_start = b + 2
        if not tokens:
            # NAME, (the) ROLE — the role not followed by another name
            tokens = None
            bm = _BEFORE.search(text, max(0, a - 90), a) if _COMMA_BEFORE.search(text, max(0, a - 16), a) else None
            if bm and _AFTER_ROLE_END.match(text, b):
                cand = bm.group(1).split()
                # the name is the capitalised tail of the run before the comma
                tail: list[str] = []
                for tok in reversed(cand):
                    if tok[:1].isupper() and tok.lower() not in _NOT_NAME:
                        tail.insert(0, tok)
                    elif tail and tok in _PARTICLES:  # "Ursula von der Leyen"
                        tail.insert(0, tok)
                    else:
                        break
                tail = _name_tokens(" ".join(tail))
                if tail:
                    tokens = tail
                    at = re.search(r"[ \t]+".join(map(re.escape, tail)) + r"\.?$", bm.group(1))
                    name_start = bm.start(1) + at.start() if at else None
                    if bm.group("q"):
                        qual = bm.group("q").strip().rstrip("-").strip().lower()
            if not tokens or name_start is None:
                continue
        else:
            # an unknown capitalised word right before the role ("Iranian Foreign Minister")
            if rm.country is None and not qm:
                pw = _PREV_WORD.search(text, max(0, a - 30), a)
                if pw and pw.group(1)[:1].isupper() and pw.group(1).lower() not in _DAYS_MONTHS:
                    continue
        span = _span_of(text, name_start, tokens)
        if span is None or _ENTITY_AFTER.match(text, span[1]):
            continue
        out.append(_Mention(rm, span[0], span[1], tokens, qual, article.sentence_at(span[0]), text))
    return out


def _held(kb, person, office_ids, day, tol, past_ok):
    for t in kb.by_person.get(person, ()):
        if t.office not in office_ids:
            continue
        if day is None:
            return True
        if past_ok and t.start.earliest <= day:
            return True
        lo, hi = day - dt.timedelta(days=tol), day + dt.timedelta(days=tol)
        if t.start.earliest <= hi and (t.end is None or t.end.latest >= lo):
            return True
    return False


def _held_at(kb, person, day):
    """Labels of the offices the KB says `person` held on `day` (or ever)."""
    labels = []
    for t in kb.by_person.get(person, ()):
        if day is None or t.maybe_held(day):
            lab = kb.offices[t.office].label
            if day is None:
                lab += f" ({t.start}–{t.end or 'present'})"
            if lab not in labels:
                labels.append(lab)
    return labels


def _holder_text(t) -> str:
    if t.end is None:
        return f"{t.person} (since {t.start})"
    return f"{t.person} ({t.start} to {t.end})"


def article_text(mention) -> str:
    return mention.text


def _full_name_in(text: str, surname: str, kb):
    """The KB match of "First Surname" written somewhere in `text`, if any."""
    bare = re.sub(r"['’]s?$", "", surname)
    for m in re.finditer(r"\b([A-Z][\w'’\-]+)[ \t]+(?:[A-Z]\.[ \t]*)*" + re.escape(bare) + r"\b", text):
        if m.group(1).lower() in _NOT_NAME:
            continue
        full = kb.index.match([m.group(1), bare])
        if full.persons and full.kind in ("full", "fuzzy"):
            return full
    return None


def judge(kb, mention, article_date, date_source=None):
    """A Hit for a misattributed mention, or None."""
    rm = mention.role
    qual = mention.qual
    if qual in _SKIP_QUAL or (qual and qual.startswith("newly")):
        return None
    match = mention.match(kb)
    if match.kind == "surname" and len(mention.tokens) == 1:
        # "President Carter": judge only a surname the article spells out in full
        # elsewhere; a bare surname may belong to anyone (Jimmy vs Ash Carter).
        full = _full_name_in(article_text(mention), mention.tokens[0], kb)
        if full is None:
            return None
        match = full
    persons = match.persons
    if rm.country:
        if rm.countries and rm.country not in rm.countries:
            return None
        countries = [rm.country]
    elif rm.countries:
        if rm.ambiguous and not (persons and {c for p in persons for c in p.countries} & set(rm.countries)):
            return None  # "Chancellor Rishi Sunak": another office of the same name
        countries = list(rm.countries)
    elif persons:
        countries = sorted({c for p in persons for c in p.countries})
    else:
        return None
    offices = [o for c in countries for o in kb.offices_for(rm.role, c)]
    if not offices:
        return None
    if len(persons) > 1 and match.kind == "surname" and rm.country is None and not rm.countries:
        pass  # several people share the surname: any of them holding it is enough
    office_ids = {o.id for o in offices}
    day = article_date
    sent = mention.sentence
    if day is not None and sent is not None:
        years = {int(y) for y in _YEAR.findall(sent.text)}
        if years and years != {day.year}:
            day = None  # the sentence is about another year: only "never held" is safe
        elif _PAST_CONTEXT.search(sent.text):
            day = None  # "when Hillary Clinton was secretary of state...": a look back
    tol = 366 if date_source == "text" else 0
    past_ok = qual in _PAST_QUAL or qual == "then"
    if persons:
        if any(_held(kb, p.name, office_ids, day, tol, past_ok) for p in persons):
            return None
    else:
        if not _looks_like_full_name(mention.tokens) or match.ntokens < 2 and not match.conflict:
            return None
        if not (rm.country or len(rm.countries) == 1):
            return None
        if (qual in _PAST_QUAL or qual == "then") and day is None:
            return None  # a former holder may predate the KB
    if not all(o.complete for o in offices):
        return None
    dated = day is not None and all(kb.covers(o.id, day) for o in offices) and tol == 0
    if not dated and persons and day is not None:
        # date outside what the KB covers: fall back to "never held"
        if any(_held(kb, p.name, office_ids, None, 0, True) for p in persons):
            return None
    if not dated and not persons and day is not None and tol == 0:
        return None  # an unknown person outside the KB's dated coverage
    office = offices[0]
    who = persons[0].name if len(persons) == 1 else " ".join(mention.tokens)
    style = "ap"
    if dated:
        holders = [t for t in kb.by_office.get(office.id, ()) if t.maybe_held(day)]
        sure = [t for t in holders if t.surely_held(day)]
        names = "; ".join(_holder_text(t) for t in holders)
        msg = f"On {day.isoformat()} {office.label} was {names}; {who} held no such office"
        pick = sure[0] if len(sure) == 1 else (holders[0] if len(holders) == 1 else None)
        suggestion = kb.people[pick.person].styled(style) if pick else None
        others = _held_at(kb, persons[0].name, day) if len(persons) == 1 else []
    else:
        terms = kb.by_office.get(office.id, [])
        recent = terms[-3:]
        msg = (
            f"{who} never held the office of {office.label} "
            f"(holders include {', '.join(_holder_text(t) for t in recent)})"
        )
        current = [t for t in terms if t.end is None]
        suggestion = kb.people[current[0].person].styled(style) if len(current) == 1 else None
        others = _held_at(kb, persons[0].name, None) if len(persons) == 1 else []
    if others:
        msg += f"; {who} was {', '.join(others[:2])}"
    data = {"office": office.id, "person": who, "date": day.isoformat() if day else None}
    return Hit(mention.name_start, mention.name_end, msg, suggestion, data=data)


@rule(code="OFF001", name="official-misattributed", category="official", severity="error", fix="unsafe")
def misattributed_official(article, config):
    """A named official who did not hold the stated office on the article date.

    Judged against the dated knowledge base (`mtaudit kb who`), e.g. in an
    article of 2021-12-01 "the head of the Russian Foreign Ministry, Yevgeny
    Ivanov" -> "On 2021-12-01 Russia's foreign minister was Sergey Lavrov
    (since 2004-03-09); Yevgeny Ivanov held no such office". Without a date
    only people who never held the office are flagged; unknown roles,
    unknown people in roles whose country is not stated, and "acting" or
    "deputy" mentions are left alone. Suggestion: the holder's name.
    """
    mentions = find_mentions(article)
    if not mentions:
        return
    kb = _kb()
    for mention in mentions:
        hit = judge(kb, mention, article.date, article.date_source)
        if hit is not None:
            yield hit


def _patronymic_form(spelling: str) -> bool:
    """A KB variant that is the name with a patronymic ("Vladimir Vladimirovich Putin"):
    CAL006 reports it, saying why."""
    return any(a == 0 and b == len(spelling) for a, b, _, _ in russian_name_forms(spelling))


@rule(code="TRL101", name="official-name-house-style", category="transliteration", severity="info", fix="unsafe")
def house_style_spelling(article, config):
    """A known official's name in a variant spelling, not the house style.

    The KB lists each person's AP-style spelling and the variants news uses
    ("Sergei Lavrov", "Volodymyr Zelensky"); with the default style "ap"
    "Foreign Minister Sergei Lavrov" -> suggestion "Sergey Lavrov". Set
    `name_style = "reuters"` in the config for Reuters spellings. Checked for
    the officials the article names with a role, wherever they recur. A
    variant with a patronymic ("Vladimir Vladimirovich Putin") is CAL006's.
    """
    mentions = find_mentions(article)
    if not mentions:
        return
    style = getattr(config, "name_style", "ap") or "ap"
    accepted = set(getattr(config, "accept_names", ()) or ())
    kb = _kb()
    text = article.text
    people = {}
    for mention in mentions:
        m = mention.match(kb)
        if len(m.persons) == 1 and m.kind == "full":
            people[m.persons[0].name] = m.persons[0]
    for person in people.values():
        want = person.styled(style)
        for sp in set(person.spellings()):
            if sp == want or sp in accepted or len(sp.split()) < 2 or _patronymic_form(sp):
                continue
            i = text.find(sp)
            while i >= 0:
                end = i + len(sp)
                if (i == 0 or not text[i - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                    yield Hit(i, end, f"House style ({style}) spells this name {want!r}", want)
                i = text.find(sp, end)


@rule(code="TRL102", name="official-name-garbled", category="transliteration", severity="warning", fix="unsafe")
def garbled_official_name(article, config):
    """A known official's name in a role mention, misspelt beyond the usual variants.

    "Foreign Ministry spokeswoman Maria Zakharowa" -> "Maria Zakharova"
    (one letter away from a known official's surname, first name agreeing).
    """
    mentions = find_mentions(article)
    if not mentions:
        return
    kb = _kb()
    style = getattr(config, "name_style", "ap") or "ap"
    for mention in mentions:
        match = mention.match(kb)
        if len(match.persons) == 1 and not match.exact and match.kind in ("fuzzy", "full"):
            listed = {tok for sp in match.persons[0].spellings() for tok in sp.split()}
            if match.kind == "full" and match.surface.split()[-1] in listed:
                continue
            want = match.persons[0].styled(style)
            s = mention.name_start
            e = s + len(match.surface) if article.text.startswith(match.surface, s) else mention.name_end
            yield Hit(s, e, f"Unusual spelling of a known official's name: {want}", want)
