"""CAL008: an organisation's name in quotation marks, the Russian convention.

Russian quotes the names of companies, parties, clubs and outlets (компания
«Роснефть», газета «Известия», «Спартак»); machine translation keeps the
marks: 'the company "Rosneft"', 'writes "Kommersant"'. English news writes
the name plain. A quoted name counts when an organisation noun stands before
it ("company", "newspaper", "club": data/quoted_names.tsv) or when it is a
known Russian organisation's name on its own (the same file). A quoted title
after "the publication" or "the programme" is a title, which English does
quote, so those nouns are not in the list.

The scan is led by the quotation mark (rarer than any word), and reads the
few characters before it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.detectors.data import rows
from auditor.detectors.registry import Hit, rule

# A short capitalised name in straight or curly double quotes; a full stop or comma just
# inside the closing mark is American punctuation, not part of the name. «» is QUO005's.
_QUOTED = re.compile(r'(?P<open>["“])(?P<name>[A-Z0-9][^"“”\n]{0,48}?)(?P<punct>[.,]?)(?P<close>["”])')
_MAX_WORDS = 5  # a longer quotation is speech or a title, not a name
_FIRST_WORD = 24  # characters read after a mark for a known name's first word
_AFTER_NAME = "\"\u201d.,:;!?)'"  # what may follow a name's first word


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The organisation nouns, the known names, and the names' first words."""
    nouns, names = set(), set()
    for kind, value in rows("quoted_names.tsv"):
        (nouns if kind == "noun" else names).add(value.strip())
    return frozenset(nouns), frozenset(names), frozenset(n.split(" ", 1)[0] for n in names)


def _noun_before(text: str, i: int, nouns: frozenset[str]) -> str | None:
    """The organisation noun just before position `i` (the opening mark), if any."""
    if i < 2 or text[i - 1] != " ":
        return None
    word = text[text.rfind(" ", max(0, i - 16), i - 1) + 1 : i - 1]
    if word not in nouns:
        if not word[:1].isupper() or word.lower() not in nouns:
            return None
        start = i - 1 - len(word)
        if not _starts_sentence(text, start):
            return None  # "Aircraft Carrier": part of a name
    return word.lower()


def _starts_sentence(text: str, i: int) -> bool:
    before = text[max(0, i - 8) : i].rstrip(" ")
    if before.endswith("The"):
        before = before[:-3].rstrip(" ")
    return not before or before[-1] in ".!?\n\u201d\""


def quoted_names(text: str):
    """(match, noun or None) for each organisation name in quotation marks, in order.

    str.find jumps from mark to mark, and the word before a mark (a noun?) or after it (a
    known name's first word?) is looked up in a set before the regex runs: 1.8x faster than
    a regex scan matching every quotation (measured on the 3,349 clean articles: 20 against
    37 ms)."""
    if '"' not in text and "\u201c" not in text:
        return
    nouns, names, first_words = _lexicon()
    found = []
    for mark in ('"', "\u201c"):
        i = text.find(mark)
        while i >= 0:
            noun = _noun_before(text, i, nouns)
            after = text[i + 1 : i + 1 + _FIRST_WORD].split(None, 1)
            if noun is not None or after and after[0].rstrip(_AFTER_NAME) in first_words:
                m = _QUOTED.match(text, i)
                if m is not None:
                    name = m.group("name")
                    if (name[-1] not in "!?:;" and name.count(" ") < _MAX_WORDS
                            and (noun is not None or name in names)):
                        found.append((m, noun))
            i = text.find(mark, i + 1)
    found.sort(key=lambda hit: hit[0].start())
    yield from found


@rule(code="CAL008", name="quoted-name", category="calque", severity="info", fix="unsafe")
def quoted_name(article, config):
    """An organisation's name in quotation marks, the Russian convention.

    Russian quotes the names of companies, parties, clubs, newspapers and TV
    channels (компания «Роснефть», газета «Известия»); machine translation
    keeps the marks. English news writes the name plain: 'the company
    "Rosneft"' -> 'the company Rosneft', 'the newspaper "Izvestia" reports'
    -> 'the newspaper Izvestia reports'. A quoted name counts after an
    organisation noun or when it is a known Russian organisation
    (data/quoted_names.tsv); a quoted title after "the publication" is left
    alone (English quotes titles). The fix removes the marks. An editor
    decides (fix: unsafe).

    Example: `SSJ-100 is built by the company "Sukhoi Civil Aircraft".` ->
    `Sukhoi Civil Aircraft`.
    """
    for m, noun in quoted_names(article.text):
        name, punct = m.group("name"), m.group("punct")
        after = f"the {noun} {name}" if noun else name
        yield Hit(m.start(), m.end(),
                  f"\u201c{name}\u201d in quotation marks: Russian quotes organisations' names (компания "
                  f"\u00abРоснефть\u00bb); English writes them plain (\u201c{after}\u201d)",
                  name + punct, data={"name": name})
