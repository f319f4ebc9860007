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
from auditor.regextrie import trie_pattern

# A short capitalised name in straight or curly double quotes; a full stop or comma just
# inside the closing mark is American punctuation, not part of the name. «» is QUO005's.
_QUOTED = re.compile(r'(?P<open>["“])(?P<name>[A-Z0-9][^"“”\n]{0,48}?)(?P<punct>[.,]?)(?P<close>["”])')
_MAX_WORDS = 5  # a longer quotation is speech or a title, not a name


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern, frozenset[str]]:
    nouns, names = [], set()
    for kind, value in rows("quoted_names.tsv"):
        if kind == "noun":
            nouns.append(value.strip())
        else:
            names.add(value.strip())
    noun_before = re.compile(rf"(?i:\b(?:{trie_pattern(nouns)})) $")
    return noun_before, frozenset(names)


def _starts_sentence(text: str, i: int) -> bool:
    before = text[max(0, i - 8) : i].rstrip(" ")
    if before.endswith("The"):
        before = before[:-3].rstrip(" ")
    return not before or before[-1] in ".!?\n\u201d\""


def quoted_names(text: str):
    """(start, end, name, noun or None) for each organisation name in quotation marks."""
    if '"' not in text and "\u201c" not in text:
        return
    noun_before, names = _lexicon()
    for m in _QUOTED.finditer(text):
        name = m.group("name")
        if len(name.split()) > _MAX_WORDS or name[-1] in "!?:;":
            continue
        noun = noun_before.search(text, max(0, m.start() - 16), m.start())
        if noun is not None and noun.group()[0].isupper() and not _starts_sentence(text, noun.start()):
            noun = None  # "Aircraft Carrier": part of a name
        if noun is None and name not in names:
            continue
        yield m, noun.group().strip() if noun else None


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
