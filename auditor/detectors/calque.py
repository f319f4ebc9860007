"""Calque detector: Russian-news translationese with an idiomatic suggestion.

Entries live in data/calques.tsv (pattern, suggestion, note, example; its
header documents the format), plus the house calques of
`Config.extra_calques`. Each entry names anchor words that every match
contains. The article is scanned once for all anchors, in the Aho-Corasick
pass the KB detectors' keywords share (auditor.needles), and an entry's own
pattern is tried only near an anchor that starts a word. Overlapping
matches: the earliest, then the longest, wins.

CAL006 is not a phrase list: it reads Russian name forms (a patronymic from
data/patronymics.tsv, initials after a surname) around the names themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from auditor.detectors.data import rows
from auditor.detectors.registry import Hit, rule
from auditor.needles import Needles, lowered
from auditor.regextrie import trie_pattern

# How far a match may start before / end after its anchor.
_BACK, _FWD = 48, 220
_SLOT = re.compile(r"\{(\w+)\}")
_CLIPPED_ABBREVIATION = re.compile(r"\.[A-Z]$")  # "U.S", "U.K"


class LazyPattern:
    """A regex compiled on first use: an article's anchors reach a few
    entries, and compiling all of them cost more than one article's audit."""

    __slots__ = ("source", "flags", "where", "_compiled")

    def __init__(self, source: str, flags: int = 0, where: str = ""):
        self.source, self.flags, self.where, self._compiled = source, flags, where, None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.source, self.flags)
            except re.error as e:  # a data bug: name the line
                raise ValueError(f"{self.where}: {e}") from None
        return self._compiled

    def finditer(self, *args):
        return self.compiled.finditer(*args)

    @property
    def pattern(self) -> str:
        return self.source


class Entry(NamedTuple):
    code: str
    severity: str
    anchors: tuple[str, ...]
    regex: LazyPattern
    suggestion: str | None
    note: str
    example: str


def _expand_macros(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(5):  # macros may use macros
        new = re.sub(r"\{([A-Z_]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _anchors(field: str) -> tuple[str, ...]:
    """The anchors column: comma-separated, lower-cased. "#" stands for any
    digit ("20## year"), so an entry about years is anchored on them and not
    on every "year"; the anchor regex matches it as [0-9] (expanding it into
    the 100 strings cost 6 ms more to compile, in every process)."""
    return tuple(a for a in (x.strip().lower() for x in field.split(",")) if a)




@lru_cache(maxsize=1)
def shipped_entries() -> tuple[Entry, ...]:
    text = resources.files("auditor.detectors.data").joinpath("calques.tsv").read_text("utf-8")
    macros: dict[str, str] = {}
    entries = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            name, value = line[1:].split("\t")
            macros[name] = _expand_macros(value, macros)
            continue
        code, severity, anchors, pattern, suggestion, note, example = line.split("\t")
        regex = LazyPattern(_expand_macros(pattern, macros), re.IGNORECASE, f"calques.tsv line {n}")
        entries.append(
            Entry(
                code,
                severity,
                _anchors(anchors),
                regex,
                suggestion or None,
                note,
                example,
            )
        )
    return tuple(entries)


def _house_entries(extra: tuple[tuple[str, str], ...]) -> list[Entry]:
    out = []
    for pattern, suggestion in extra:
        words = pattern.split()
        if not words:
            continue
        src = r"(?<![^\W_])" + r"\s+".join(map(re.escape, words)) + r"(?![^\W_])"
        out.append(Entry("CAL005", "warning", (words[0].lower(),), LazyPattern(src, re.IGNORECASE, "extra_calques"), suggestion, "house calque", ""))
    return out


class Scanner(NamedTuple):
    entries: list[Entry]
    needles: Needles  # every anchor, a "#" spelled out as each digit ("article 0" ... "article 9")
    by_needle: dict  # needle -> entry indices


@lru_cache(maxsize=16)
def _scanner(extra: tuple[tuple[str, str], ...]) -> Scanner:
    entries = list(shipped_entries()) + _house_entries(extra)
    by_needle: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        for a in e.anchors:
            for needle in _spelled_out(a):
                by_needle.setdefault(needle, []).append(i)
    return Scanner(entries, Needles(by_needle), by_needle)


def _spelled_out(anchor: str) -> list[str]:
    """The anchor with each "#" replaced by every digit ("20## year": 100 needles)."""
    forms = [anchor]
    while "#" in forms[0]:
        forms = [f.replace("#", d, 1) for f in forms for d in "0123456789"]
    return forms


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two (İ): keep offsets aligned.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _canonical(value: str, depth: int = 0) -> str:
    """A captured name in its news-English form, when a shipped entry matches
    the whole of it ("the Department of State" -> "the State Department"), so
    that one suggestion is complete: "the State Department spokesperson", not a
    second calque inside the first one's fix."""
    if depth > 1 or not value:
        return value
    if _CLIPPED_ABBREVIATION.search(value):
        # "of the U.S." at a sentence end: the name stops before the period
        # (the sentence keeps it), but inside a suggestion it needs its own
        value += "."
    low = value.lower()
    for entry in shipped_entries():
        if entry.suggestion is None or not any(a in low for a in entry.anchors):
            continue
        m = entry.regex.compiled.fullmatch(value)
        if m:
            return _fill(entry.suggestion, m, depth + 1)
    return value


def _fill(template: str, m: re.Match, depth: int = 0) -> str:
    values = {k: _canonical(v or "", depth) for k, v in m.groupdict().items()}
    for k, v in list(values.items()):
        values[k + "_bare"] = v[4:] if v[:4].lower() == "the " else v
    out = _SLOT.sub(lambda s: values.get(s.group(1), s.group(0)), template)
    matched = m.group()
    if matched[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


_last: tuple = (None, None, ())


def scan(article, config) -> list[tuple[Entry, re.Match]]:
    """Every calque in the article as (entry, match), non-overlapping."""
    global _last
    text = article.text
    key = (tuple(map(tuple, config.extra_calques)), tuple(config.allow_phrases))
    if _last[0] is text and _last[1] == key:
        return _last[2]
    sc = _scanner(key[0])
    low = lowered(text)
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): offsets must agree
        low = _lower_same_length(text)
    n = len(text)
    candidates: dict[tuple[int, int, int], re.Match] = {}
    tried: set[tuple[int, int]] = set()
    # One Aho-Corasick pass for every anchor, shared with the KB detectors' keywords
    # (auditor.needles): the trie regex it replaces stopped at every space and cost
    # 36 of the scan's 58 us per clean article.
    for needle, starts in sc.needles.positions(low).items():
        idx = sc.by_needle[needle]
        for a in starts:
            if a and low[a - 1] not in " \n":
                continue  # an anchor starts a word
            # a calque never runs across sentences ("of the U.S. Talks failed")
            sent = article.sentence_at(a)
            first, last = (sent.start, sent.end) if sent is not None else (0, n)
            lo, hi = max(first, a - _BACK), min(last, a + _FWD)
            for i in idx:
                if (i, lo) in tried:
                    continue
                tried.add((i, lo))
                for m in sc.entries[i].regex.finditer(text, lo, hi):
                    if m.end() == hi and hi < last:
                        continue  # may only look complete because the window ends here
                    m = _without_person(sc.entries[i], m, text)
                    if m is not None and m.end() > m.start():
                        candidates[(m.start(), -m.end(), i)] = m
    allowed = _allowed_spans(text, config.allow_phrases)
    found = []
    taken_until = -1
    for (s, neg_e, i), m in sorted(candidates.items()):
        e = -neg_e
        if s < taken_until or any(a < e and s < b for a, b in allowed):
            continue
        found.append((sc.entries[i], m))
        taken_until = e
    _last = (text, key, found)
    return found


# A capitalised word and another after it: where a person's name may start inside an {org}
_NAME_START = re.compile(r" (?=([A-Z][a-z]+) [A-Z][a-z])")


@lru_cache(maxsize=1)
def _person_first_names() -> frozenset[str]:
    """Russian first names (data/russian_first_names.txt, patronymics.tsv) and the first names
    of the officials in the KB's people list ("Ned", "Antony", "Maria")."""
    # read through the top package: importing auditor.kb to reach its data costs ~10 ms
    kb_people = resources.files("auditor").joinpath("kb").joinpath("data").joinpath("people.tsv").read_text("utf-8")
    officials = {line.split(None, 1)[0] for line in kb_people.splitlines()[1:] if line.strip()}
    return _first_names() | officials


def _without_person(entry: Entry, m: re.Match, text: str) -> re.Match | None:
    """`m` again, ending before a person's name its {org} slot ran into ("the official
    representative of the Ministry of Foreign Affairs Maria Zakharova"); None when the entry
    cannot match without it. Checked after the match, not in the pattern: a first-name
    alternation in the pattern cost about 1 ms of compile for each entry with an {org}."""
    if "org" not in m.re.groupindex or m.group("org") is None:
        return m
    org, names = m.group("org"), _person_first_names()
    for person in _NAME_START.finditer(org):
        if person.group(1) in names:
            return entry.regex.compiled.match(text, m.start(), m.start("org") + person.start())
    return m


def _allowed_spans(text: str, phrases) -> list[tuple[int, int]]:
    spans = []
    if phrases:
        low = text.lower()
        for p in phrases:
            p = p.lower().strip()
            i = low.find(p) if p else -1
            while i >= 0:
                spans.append((i, i + len(p)))
                i = low.find(p, i + 1)
    return spans


def _hits(code: str, article, config):
    for entry, m in scan(article, config):
        if entry.code != code:
            continue
        suggestion = _fill(entry.suggestion, m) if entry.suggestion is not None else None
        msg = f"translationese \u201c{m.group()}\u201d"
        if suggestion is not None:
            msg += f" \u2192 \u201c{suggestion.strip()}\u201d"
        if entry.note:
            msg += f" ({entry.note})"
        yield Hit(m.start(), m.end(), msg, suggestion, severity=entry.severity, data={"note": entry.note} if entry.note else None)


@rule(code="CAL001", name="calque-attribution", category="calque", severity="warning", fix="unsafe")
def calque_attribution(article, config):
    """Attribution rendered word for word from Russian.

    "said the interlocutor of the agency" (собеседник агентства), "writes
    TASS" (пишет ТАСС), "noted in the press service of X", "with reference
    to" (со ссылкой на), "This was announced by X" (Об этом заявил X).
    English names the source first and plainly: "a source told the agency",
    "TASS reported", "X's press office said", "citing". An editor decides
    (fix: unsafe).

    Example: `..., writes TASS, citing a State Department official.` ->
    `TASS reported`.
    """
    return _hits("CAL001", article, config)


@rule(code="CAL002", name="calque-institution", category="calque", severity="warning", fix="unsafe")
def calque_institution(article, config):
    """Titles and institutions rendered word for word from Russian.

    "the official representative of X" (spokesperson), "the head of state"
    for a named president, "the head of the Russian Foreign Ministry" (the
    Russian Foreign Minister), "the Russian side" (Russia, Moscow), "the
    Ministry of Defense of the Russian Federation", "law enforcement bodies".
    Weaker ones ("the Russian Federation", "mass media") are info.

    Example: `The official representative of the Department of State announced
    ...` -> `The State Department spokesperson`.
    """
    return _hits("CAL002", article, config)


@rule(code="CAL003", name="calque-officialese", category="calque", severity="warning", fix="unsafe")
def calque_officialese(article, config):
    """Russian officialese phrasing ("канцелярит") carried into English.

    "within the framework of" (в рамках), "it is reported that"
    (сообщается), "on the territory of" (на территории), "in connection
    with the pandemic" (в связи с: because of), "Recall that"
    (Напомним), "in turn, said" (в свою очередь), "pays priority attention
    to", nominal chains like "the resumption of the issuance of".

    Example: `It is reported that the fire has been put out.` -> `Reports say`.
    """
    return _hits("CAL003", article, config)


@rule(code="CAL004", name="calque-time-reference", category="calque", severity="warning", fix="unsafe")
def calque_time_reference(article, config):
    """Time references calqued from Russian news style.

    "on the eve" without "of ..." and "the day before" at the end of a
    clause (накануне: yesterday, or name the weekday), "of the current
    year" (текущего года: this year), "the other day" (на днях).

    Example: `Peskov said this on the eve.` -> `yesterday`.
    """
    return _hits("CAL004", article, config)


@rule(code="CAL005", name="calque-house", category="calque", severity="warning", fix="unsafe")
def calque_house(article, config):
    """A house calque from the configuration (`extra_calques`).

    Each configured (phrase, suggestion) pair is matched as a whole phrase in
    any case and spacing.

    Example: with `extra_calques = [["informed sources", "sources"]]`,
    `informed sources said` -> `sources`.
    """
    return _hits("CAL005", article, config)


# --------------------------------------------------------------------------
# Russian name forms (CAL006)


class _Patronymic(NamedTuple):
    father: str  # the father's first name it is formed from
    surname_too: bool  # also a common surname: only "First Patronymic Surname" counts


@lru_cache(maxsize=1)
def _patronymics() -> dict[str, _Patronymic]:
    forms: dict[str, _Patronymic] = {}
    for father, male, female, surname_too in rows("patronymics.tsv"):
        for form in male.split():
            forms[form] = _Patronymic(father, surname_too.strip() == "yes")
        for form in female.split():
            forms[form] = _Patronymic(father, False)  # "Ivanovna" is nobody's surname
    return forms


@lru_cache(maxsize=1)
def _kept_full_names() -> frozenset[str]:
    return frozenset(r[0].strip() for r in rows("kept_full_names.txt"))


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    names = {r[0].strip() for r in rows("russian_first_names.txt")}
    return frozenset(names | {p.father for p in _patronymics().values()})


# Initials that are abbreviations, not a person's: "Virgin U.S.", "Washington D.C."
_NOT_INITIALS = frozenset({"U.S.", "U.K.", "U.N.", "E.U.", "D.C.", "A.M.", "P.M.", "N.Y.", "L.A."})


_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# A Russian surname's ending, for initials after it ("Petrov A.V.", not "the U.S."); initials
# before a capitalised word are the English order's ("Captain S.R. Wikramanayake").
_SURNAME_END = r"(?:ov|ova|ev|eva|yev|yeva|in|ina|yn|yna|sky|skiy|skii|skaya|tsky|tskaya|enko|uk|yuk|chuk|ko)"


@lru_cache(maxsize=1)
def _rare_forms() -> re.Pattern:
    """The forms without "vich" or "vna" (Ilyich, Kuzminichna), for the pre-check."""
    return re.compile(trie_pattern(f for f in _patronymics() if "vich" not in f and "vna" not in f))


@lru_cache(maxsize=1)
def _patronymic_pattern() -> re.Pattern:
    # compiled only for a text that may hold a patronymic: 5 ms, most of a one-article run's cost
    forms = _patronymics()
    return re.compile(
        rf"\b(?P<first>{_NAME}) (?P<pat>{trie_pattern(forms)})(?![\w-])(?: (?P<surname>{_NAME})(?![\w-]))?"
    )


# Led by the literal "." (the engine jumps between periods; a surname-led pattern
# cost 55 us an article, this one 2): the first initial and the surname are checked after.
_INITIALS = re.compile(r"\. ?[A-Z]\.(?![\w.])(?! [A-Z][a-z])")
_SURNAME_BEFORE = re.compile(rf"(?<![\w-])[A-Z][a-z]+{_SURNAME_END} $")


def _inside_quotation(text: str, pos: int) -> bool:
    """Whether `pos` lies inside a quotation of its paragraph (direct speech may address
    someone by first name and patronymic)."""
    start = text.rfind("\n", 0, pos) + 1
    before = text[start:pos]
    return before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1


def russian_name_forms(text: str):
    """(start, end, message, suggestion) for each Russian name form in `text`."""
    if "vich" in text or "vna" in text or _rare_forms().search(text):
        forms, kept = _patronymics(), _kept_full_names()
        for m in _patronymic_pattern().finditer(text):
            first, pat, surname = m.group("first", "pat", "surname")
            info = forms[pat]
            if m.group() in kept or first.endswith(("vich", "vna")):
                continue
            if surname is None:
                if info.surname_too or first not in _first_names() or _inside_quotation(text, m.start()):
                    continue
                yield (m.start(), m.end("pat"),
                       f"\u201c{first} {pat}\u201d: first name and patronymic, the Russian form of polite "
                       "address; English news names a person by first name and surname", None)
                continue
            yield (m.start(), m.end(),
                   f"\u201c{m.group()}\u201d: name with a patronymic ({pat}, from {info.father}), Russian formal "
                   f"usage; English news writes \u201c{first} {surname}\u201d", f"{first} {surname}")
    if "." not in text:
        return
    for m in _INITIALS.finditer(text):
        first = m.start() - 1  # the first initial
        if first < 1 or not ("A" <= text[first] <= "Z"):
            continue
        before = _SURNAME_BEFORE.search(text, max(0, first - 40), first)
        if before is None:
            continue
        surname, init = before.group()[:-1], text[first : m.end()].replace(" ", "")
        if init in _NOT_INITIALS:
            continue
        yield (before.start(), m.end(),
               f"\u201c{text[before.start() : m.end()]}\u201d: initials after the surname, the order of Russian "
               f"documents; English puts them first (\u201c{init} {surname}\u201d) or gives the first name",
               f"{init} {surname}")


@rule(code="CAL006", name="russian-name-form", category="calque", severity="info", fix="unsafe")
def russian_name_form(article, config):
    """A name in a Russian form: with a patronymic, or initials after the surname.

    Russian names people formally with a patronymic ("Vladimir Vladimirovich
    Putin", "Valentina Ivanovna Matviyenko"), addresses them by first name and
    patronymic ("Sergei Viktorovich said"), and lists officials as "Petrov
    A.V."; machine translation keeps all three. English news writes "Vladimir
    Putin" and "A.V. Petrov". Patronymics come from data/patronymics.tsv, so
    "Brace Jovanovich" is not one; forms that are also surnames ("Petrovich")
    count only between a first name and a surname; an address inside a
    quotation is left alone (direct speech). An editor decides (fix: unsafe).

    Example: `Sergey Viktorovich Lavrov said` -> `Sergey Lavrov`.
    """
    for start, end, message, suggestion in russian_name_forms(article.text):
        yield Hit(start, end, message, suggestion)
