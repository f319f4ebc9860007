"""Typography that betrays a Russian source or a careless pipeline.

Each rule is one precompiled regex over the whole text (no per-character
Python), with a cheap substring pre-check where one exists. Fixes are safe
only where they cannot change meaning, and are built so that applying them
creates no new finding (removing a space before a comma never leaves a
double space behind).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from auditor.dates import MONTH_NAMES
from auditor.detectors import data
from auditor.detectors.registry import Hit, rule

# TYP001: spaces before , . ; : ! ? that end a word ("word ,"). The mark must
# be followed by a space, a closing mark or the end, so ".NET", " .5" and
# an ellipsis " ..." are left alone.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[^\s])[ \t]+(?=[,.;:!?](?:[\s\"”’)\]»]|$))")
_ELLIPSIS_AFTER = re.compile(r"\.\.")
_ENTITY_BEFORE = re.compile(r"&[ \t]?#?[A-Za-z0-9]{2,31}$")
_SPACE_PUNCT_QUICK = re.compile(r" [,.;:!?]")

# TYP002: two or more spaces between words. Spaces next to quotation marks
# belong to the quote rules, spaces before punctuation to TYP001.
_QUOTES = "“”\"«»„'`"
_DOUBLE_SPACE = re.compile(
    r"(?<=[^\s" + _QUOTES + r"])[ ]{2,}(?=[^\s" + _QUOTES + r",.;:!?])"
)

# TYP003: a decimal comma before a unit ("1,5 million"). "1,500" (three
# digits: a thousands separator) never matches; without a unit a comma
# between digits may be a list ("chapters 1,2"), so a unit is required.
_UNITS = (
    "million", "billion", "trillion", "thousand", "mln", "bln", "bn", "percent", "per cent",
    "percentage points", "times", "points", "km", "kilometres", "kilometers", "metres", "meters",
    "tonnes", "tons", "hectares", "degrees", "hours", "rubles", "roubles", "dollars", "euros",
    "litres", "liters", "kg", "kilograms", "%",
)
# Starts at the comma (a literal: fast to scan for); the digits before it
# are checked by _INT_BEFORE. Before a unit or scale word ("1,5 million",
# "$1,3m") the comma is certainly decimal: safe fix. Without one it is
# reported with an unsafe fix, unless it looks like a list or a score
# ("[1,1]", "6-4,6-3").
_INT_BEFORE = re.compile(r"(?<![\d.,\-\[/])\d{1,3}$")
_DECIMAL_COMMA = re.compile(
    r",(\d{1,2})(?![\d,\-\]/])(?P<unit>(?=\s?(?:"
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")(?!\w))|(?=(?:m|bn|k)\b))?"
)
_AFTER_BARE_DECIMAL = re.compile(r"(?:\s|[.;:)!?]|$)")

# TYP004: the numero sign.
_NUMERO = re.compile(r"№(№?)[ \t]*")

# TYP005: a hyphen (or two) standing between spaces as a dash. Digits on
# both sides ("2 - 1", "10 - 20") are scores, ranges or sums: left alone.
_SPACED_HYPHEN = re.compile(r"(?<=\S) (--?) (?=\S)")

# TYP006: Russian dialogue punctuation: a dash introduces the attribution of
# a quotation: "…direction, — said the agency", "…direction", — he said".
# English drops the dash: "…direction,” said the agency". The dash is found
# first (cheap), then the punctuation just before it is read backwards.
# Three scans, each led by a literal or a rare character so the regex engine
# can skip ahead fast: a real dash, a spaced hyphen, an entity dash.
_DASH_SCANS = (
    re.compile(r"([—–])[ \t]+(?=[A-Za-z])"),
    re.compile(r" (--?)[ \t]+(?=[A-Za-z])"),
    re.compile(r"(&[ \t]?[mn]dash;|&#821[12];)[ \t]+(?=[A-Za-z])"),
)
_LEAD_CHARS = frozenset(",!?.…\"”»’'")
_BEFORE_DASH = re.compile(
    r"(?P<lead>[,!?.…])?(?P<q>[ \t]?(?:''|[\"”»’]))?(?P<comma>[ \t]*,)?[ \t]*$"
)
_ATTRIBUTION = re.compile(
    r"(?:he|she|they|it|we|I|[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:said|says|added|adds|told|stressed|noted|"
    r"wrote|explained|emphasi[sz]ed|stated|declared|replied|asked|continued|concluded|insisted)\b"
)

# TYP008: a quotation interrupted by its attribution resumes after a comma
# with a capitalised new sentence: '…Putin,” Price stressed, “But it is…'.
# Only sentence-starting function words count, never a name or "I".
_RESUMED_CAPITAL = re.compile(
    r"[,!?][”\"] [^“”\"\n]{1,60}?(?P<span>, [“\"](?:But|And|Or|So|Yet|However|The|It|This|That|These|Those|"
    r"We|They|He|She|There|If|When|In|On|At|For|With|As|What|Our|My|You)\b)"
)

# TYP007: a headline ending in a full stop (but not "U.S." or "...").
_HEADLINE_STOP = re.compile(r"(?<![.\s])\.$")

# TYP010: a Russian-style numeric date, day first with dots ("09.02.2023").
# Led by the period before the month, so the engine skips ahead; the day is
# read backwards in Python (a leading lookbehind made it try every position).
_DOTTED_MONTH_YEAR = re.compile(r"\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>(?:19|20)\d\d)(?!\w|\.\d)")
# TYP011: thousands separated by spaces ("80 000 people"), the Russian (and
# wider European) convention; English writes commas. Not part of a longer
# run of digit groups (phone numbers: "+7 495 123 45 67").
# The scan looks for its cheapest sign (a digit, a space, three digits: 49 ms
# on the 7.45 MB of clean articles, against 88 ms for the whole number's
# pattern and 395 ms with lookbehinds in front); the rare hit is then read
# out in full.
_THOUSANDS_SIGN = re.compile(r"[0-9][ \u00a0\u202f][0-9]{3}(?![0-9])")
# Not before a letter or hyphen: "10 737-800 planes", "10 787s" (a count, then a model).
_SPACED_THOUSANDS = re.compile(r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?![\w-]|[.,][0-9]|[ \u00a0\u202f][0-9])")
# Inside a longer number: digits, or a digit and one of .,:/+- (with or without a space), or a
# "+", "/" or "-" ("+7 495 123", "2019 100", "K-5 105"); a clause's ", " before a figure is prose.
_NUMBER_BEFORE = re.compile(r"(?:[0-9][.,:/+-]?[ \u00a0\u202f]?|[+/-][ \u00a0\u202f]?)$")
# TYP012: centuries in Roman numerals ("the XXI century", "XIX-XX centuries").
_ROMAN_CENTURY = re.compile(r"\b(?P<a>[IVXL]{1,7})(?:(?P<dash>[-–—]|\s+(?:and|to)\s+)(?P<b>[IVXL]{1,7}))?\s+centur(?:y|ies)\b")
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+ $")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_MONTHS = MONTH_NAMES
_MONTH_BEFORE = re.compile(
    "(?:" + "|".join(_MONTHS) + r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|No\.|number|page|pages) $"
)


def _digits_before(text: str, pos: int, most: int = 2) -> int:
    """Where a run of up to `most` digits ending at `pos` starts."""
    start = pos
    while start > max(0, pos - most) and text[start - 1].isdigit():
        start -= 1
    return start


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    text = resources.files("auditor.data").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@rule(code="TYP001", name="space-before-punctuation", category="typography", severity="warning", fix="safe")
def space_before_punctuation(article, config):
    """Space before a comma, full stop, colon, semicolon, ? or ! ("word ,").

    A sign of tokenised MT output. The fix removes the space(s).
    Example: "said the agency , adding" -> "said the agency, adding".
    """
    text = article.text
    # A literal-led pre-check; the full pattern only runs when it hits.
    if _SPACE_PUNCT_QUICK.search(text) is None and "\t" not in text:
        return
    for m in _SPACE_BEFORE_PUNCT.finditer(text):
        if _ELLIPSIS_AFTER.match(text, m.end()):
            continue
        if text[m.end()] == ";" and _ENTITY_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # "&#160 ;": a broken entity, the entity rules' job
        yield Hit(m.start(), m.end(), f"space before “{text[m.end()]}”", "")


@rule(code="TYP002", name="double-space", category="typography", severity="info", fix="safe")
def double_space(article, config):
    """Two or more spaces between words; the fix leaves one.

    Example: "the  embassy" -> "the embassy".
    """
    if "  " not in article.text:
        return
    for m in _DOUBLE_SPACE.finditer(article.text):
        yield Hit(m.start(), m.end(), f"{m.end() - m.start()} spaces in a row", " ")


@rule(code="TYP003", name="decimal-comma", category="typography", severity="warning", fix="safe")
def decimal_comma(article, config):
    """Decimal comma in an English number ("1,5 million" means 1.5 million).

    Russian writes decimals with a comma; English uses a point. Only reported
    before a unit or scale word, and never for thousands separators ("1,500").
    Example: "1,5 million rubles" -> "1.5 million rubles".
    """
    text = article.text
    if "," not in text:
        return
    for m in _DECIMAL_COMMA.finditer(text):
        c = m.start()
        whole = _INT_BEFORE.search(text, max(0, c - 4), c)
        if whole is None:
            continue
        if m.group("unit") is None and (_AFTER_BARE_DECIMAL.match(text, m.end()) is None or m.group(1) == "00"):
            continue  # "1,5-2", "2,3x": not a plain number; "$110,00": a lost thousands digit
        fixed = f"{whole.group()}.{m.group(1)}"
        fix = "safe" if m.group("unit") is not None else "unsafe"
        yield Hit(whole.start(), m.end(), f"decimal comma: English writes “{fixed}”", fixed, fix=fix)


@rule(code="TYP004", name="numero-sign", category="typography", severity="warning", fix="safe")
def numero_sign(article, config):
    """The numero sign "№", which English news does not use; the fix writes "No.".

    Example: "order № 5" -> "order No. 5"; "№№ 3 and 4" -> "Nos. 3 and 4".
    """
    text = article.text
    if "№" not in text:
        return
    for m in _NUMERO.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # "Р№": a byte of cp1251 mojibake, not a numero sign
        word = "Nos." if m.group(1) else "No."
        follows = text[m.end() : m.end() + 1]
        fixed = word + " " if follows and not follows.isspace() and follows not in ".,;:)" else word
        yield Hit(m.start(), m.end(), f"numero sign: write “{word}”", fixed)


def _house_dash(text: str) -> str | None:
    """The article's own spaced dash, or None when spaced hyphens are its style."""
    en, em = text.count(" – "), text.count(" — ")
    if en + em == 0 or en + em < len(_SPACED_HYPHEN.findall(text)):
        return None
    # Follow the article's majority: a spaced en dash (British style, " – ")
    # or the spaced em dash of AP style (" — ").
    return "–" if en > em else "—"


@rule(code="TYP005", name="hyphen-as-dash", category="typography", severity="info", fix="safe")
def hyphen_as_dash(article, config):
    """A hyphen between spaces used as a dash in an article that otherwise uses real dashes.

    The fix is the article's own dash: a spaced en dash when it mostly uses
    " – ", else the AP-style spaced em dash " — ". An article that uses
    spaced hyphens throughout is following a house style (the BBC does: 2,075
    of the 3,349 clean corpus articles), so it is reported only where the
    article has real spaced dashes and at least as many as spaced hyphens.
    Digits on both sides ("2 - 1", "10 - 20") are left alone.
    Example: "unwilling – at least so far – to act - he said" -> "… to act – he said".
    """
    text = article.text
    if " -" not in text:
        return
    dash = _house_dash(text)
    if dash is None:
        return
    for m in _SPACED_HYPHEN.finditer(text):
        a = m.start()
        if m.end() < len(text) and text[m.end()].isdigit():
            continue  # "2 - 1", "Torino - 1:0", "10 - 20": scores and ranges
        if text[a - 1] == ")":
            continue  # dateline: "MOSCOW (Reuters) - "
        yield Hit(m.start(1), m.end(1), f"hyphen used as a dash: write “{dash}” as elsewhere in the article", dash)


@rule(code="TYP006", name="russian-dialogue-dash", category="typography", severity="warning", fix="safe")
def russian_dialogue_dash(article, config):
    """Russian-style dash between a quotation and its attribution (", — said").

    Russian punctuates «Текст, — сказал он»; English drops the dash and puts
    the comma inside the quotation marks: '“…direction,” said the agency'.
    After a quotation mark without a comma the dash is only reported before
    an attribution ("he said"), since '“a disaster” — a view shared…' is
    good English. The fix removes the dash; when the dash is an HTML entity
    or the quotation mark a damaged '' the span is only pointed at (the
    entity and quote rules fix those parts).
    Example: '…in that direction", — he said' -> '…in that direction," he said'.
    """
    text = article.text
    if "—" not in text and "–" not in text and " -" not in text and "dash;" not in text and "&#821" not in text:
        return
    dashes = []
    for n, scan in enumerate(_DASH_SCANS):
        if n == 2 and "&" not in text:
            continue
        dashes.extend((m.start(1), m.end(), m.group(1)) for m in scan.finditer(text))
    dashes.sort()
    for d, end, dash in dashes:
        if d == 0 or not (text[d - 1].isspace() or text[d - 1] in _LEAD_CHARS):
            continue  # a hyphen inside a word
        if text[d - 1].isspace() and (d < 2 or text[d - 2] not in _LEAD_CHARS):
            continue  # "word - word": no punctuation or quote before the dash
        back = _BEFORE_DASH.search(text, max(0, d - 10), d)
        lead, q, comma = back.group("lead"), back.group("q"), back.group("comma")
        lower_next = text[end].islower()
        attrib = _ATTRIBUTION.match(text, end) is not None
        if lead == "," and not q:
            ok = lower_next
        elif q and lead in (",", "!", "?"):
            ok = lower_next or attrib
        elif q and not lead and comma:
            ok = lower_next or attrib
        elif q:
            ok = attrib
        else:
            ok = False
        if not ok:
            continue
        start = back.start("lead") if lead else back.start("q")
        if dash.startswith("&") or (q and "''" in q):
            suggestion = None
        elif lead:
            suggestion = lead + (q.strip() if q else "") + " "
        else:  # '…direction", —' or '…direction" —': the comma goes inside
            suggestion = "," + q.strip() + " "
            if start > 0 and text[start - 1] in ".!?,":
                suggestion = q.strip() + " "
        yield Hit(start, end, "Russian-style dash before the attribution of a quotation", suggestion)


@rule(code="TYP007", name="headline-full-stop", category="typography", severity="info", fix="safe")
def headline_full_stop(article, config):
    """Headline ending in a full stop, which news headlines do not use.

    Not reported for an abbreviation ("…in the U.S.") or an ellipsis.
    Example: "State Department reported progress on visas." -> "State Department reported progress on visas".
    """
    head = article.headline
    if head is None or not head.text.endswith("."):
        return
    if _HEADLINE_STOP.search(head.text) is None:
        return
    last = head.text.split()[-1][:-1].lower()
    if "." in last or last in _abbreviations():
        return
    yield Hit(head.end - 1, head.end, "headline ends with a full stop", "")


@rule(code="TYP008", name="resumed-quote-capital", category="typography", severity="info")
def resumed_quote_capital(article, config):
    """A quotation resumes after its attribution with a comma and a capitalised new sentence.

    English either ends the attribution with a full stop ('Price stressed.
    “But it is…') or continues the sentence in lower case ('Price stressed,
    “but it is…'); which one is an editor's call, so there is no fix.
    Only function words are checked ("But", "The", "We"...), never names.
    Example: '…with President Putin,” Price stressed, “But it is obvious…'.
    """
    text = article.text
    if ", “" not in text and ', "' not in text:
        return
    for m in _RESUMED_CAPITAL.finditer(text):
        yield Hit(m.start("span"), m.end("span"),
                  "quotation resumes with a capital after a comma: end the attribution with a full stop, "
                  "or continue in lower case")


@lru_cache(maxsize=1)
def _number_words() -> tuple[dict[str, tuple[str, str, str]], re.Pattern, list[str]]:
    """data/number_words.tsv: abbreviation -> (English word, severity, Russian),
    and one regex for them after a number, led by the digit so the engine
    skips ahead (led by the words, it stopped at every m, b, t and r)."""
    words = {abbr: (english, severity, russian) for abbr, english, severity, russian in data.rows("number_words.tsv")}
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    # each with its period optional; "rub./doll." (a rate) and "mln-strong" are
    # left alone; a second one may follow the first ("300 thous. rub.")
    one = rf"(?:{alternatives})\.?(?!\.?[\w/-])"
    pattern = re.compile(rf"[0-9](?P<first>[ \u00a0]?{one})(?P<second> {one})?")
    # a cheap pre-check: substrings that every abbreviation contains one of
    # (4 substring scans cost less than one regex pass over the whole text)
    needles = sorted({("ln" if a.endswith("ln") else a) for a in words})
    return words, pattern, needles


_SENTENCE_GOES_ON = re.compile(r"[ \t]*[a-z0-9(),;:$€£\]]")


@rule(code="TYP009", name="russian-number-abbreviation", category="typography", severity="warning", fix="safe")
def russian_number_abbreviation(article, config):
    """Russian number abbreviations after a number ("5 mln", "300 thous. rub.").

    English news spells them out. The fix writes the word and keeps the
    period only where it also ends the sentence. "mlrd", "thous.", "rub."
    (млрд, тыс., руб.) are warnings; "mln", "bln", "trln" are info and are not
    reported in a headline (Reuters headlines use them). The abbreviations
    and their severities live in data/number_words.tsv; "bn" and "mn"
    (British financial style) are not flagged.

    Example: "5 mln rubles" -> "5 million rubles"; "$960 mln." at a sentence
    end -> "$960 million.".
    """
    text = article.text
    words, pattern, needles = _number_words()
    if not any(n in text for n in needles):
        return
    head = article.headline
    for m in pattern.finditer(text):
        for group in ("first", "second"):
            start, end = m.span(group)
            if start < 0:
                continue
            abbr = text[start:end].strip().rstrip(".")
            english, severity, russian = words[abbr]
            if severity == "info" and head is not None and start < head.end:
                continue  # wire headline style: "Boeing gets $2 bln U.S. Air Force deal"
            if group == "second":
                start += 1  # keep the space between the two
            # "5mln" and "5 mln" -> "5 million"
            fixed = (" " if group == "first" else "") + english
            if text[end - 1] == "." and not _SENTENCE_GOES_ON.match(text, end):
                fixed += "."  # the abbreviation's period also ended the sentence
            yield Hit(start, end, f"abbreviation “{abbr}” ({russian}): English news writes “{english}”", fixed, severity=severity)


@rule(code="TYP010", name="dotted-numeric-date", category="typography", severity="info", fix="unsafe")
def dotted_numeric_date(article, config):
    """A date written the Russian way, day first with dots ("09.02.2023").

    American readers take 09.02 for September 2; English news writes the
    month as a word. The suggestion is day-month-year ("9 February 2023");
    an editor picks the house style (fix: unsafe).
    """
    text = article.text
    if "." not in text:
        return
    for m in _DOTTED_MONTH_YEAR.finditer(text):
        start = _digits_before(text, m.start())
        day = int(text[start : m.start()] or 0)
        if not 1 <= day <= 31 or (start and (text[start - 1].isalnum() or text[start - 1] in "._")):
            continue  # "1.2.2020.1", "v1.10.2019", "123.05.2021": not a date
        month, year = int(m.group("m")), m.group("y")
        written = f"{day} {_MONTHS[month - 1]} {year}"
        yield Hit(start, m.end(), f"numeric date with dots: write “{written}”", written)


@rule(code="TYP011", name="spaced-thousands", category="typography", severity="warning", fix="unsafe")
def spaced_thousands(article, config):
    """Thousands separated by spaces ("80 000 people"), as Russian writes them.

    English news writes "80,000". Not reported after a month or "No." ("May
    12 500 people" is a date and a count), nor inside longer runs of digit
    groups such as phone numbers. The suggestion puts in commas; an editor
    confirms it is one number (fix: unsafe).
    Example: "about 80 000 people" -> "80,000".
    """
    text = article.text
    done = 0
    for sign in _THOUSANDS_SIGN.finditer(text):
        if sign.start() < done:
            continue
        m = _SPACED_THOUSANDS.match(text, _digits_before(text, sign.start()))
        if m is None:
            continue
        done = m.end()
        before = text[max(0, m.start() - 12) : m.start()]
        if _NUMBER_BEFORE.search(before) or _MONTH_BEFORE.search(before):
            continue  # inside a longer number ("2019 100", "+7 495 123") or after a month
        fixed = re.sub(r"[ \u00a0\u202f]", ",", m.group())
        yield Hit(m.start(), m.end(), f"thousands separated by spaces: English writes “{fixed}”", fixed)


# "70 thousand", "2.6 thousand": the figure is written out, as after "тыс."
_MILLION_BEFORE = re.compile(r"(?<![\w.,])(?P<m>\d{1,3}) million $")
_FIGURE_THOUSAND = re.compile(r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})*(?:\.\d{1,3})?) thousand\b(?!s)")


def _thousands_figure(number: str) -> str | None:
    """"70" -> "70,000", "2.6" -> "2,600", "8,500" -> "8.5 million"; None when the
    product is not a whole number ("2.6345")."""
    value = round(float(number.replace(",", "")) * 1000, 6)
    if value != int(value):
        return None
    value = int(value)
    if value >= 1_000_000:
        millions = value / 1_000_000
        return f"{millions:g} million" if millions == round(millions, 3) else f"{value:,}"
    return f"{value:,}"


@rule(code="TYP013", name="figure-and-thousand", category="typography", severity="info", fix="unsafe")
def figure_and_thousand(article, config):
    """A figure followed by the word "thousand" ("70 thousand euros").

    Russian writes "70 тыс." and machine translation keeps the word; English
    news writes "70,000" (and "8.5 million" for "8,500 thousand"). Words stay
    as they are ("several thousand", "tens of thousands"). The suggestion is
    the figure; an editor confirms (fix: unsafe).
    Example: "raised 100 thousand euros" -> "100,000".
    """
    text = article.text
    if "thousand" not in text:
        return
    for m in _FIGURE_THOUSAND.finditer(text):
        start, number = m.start(), m.group("n")
        # "7 million 540 thousand" (7 млн 540 тыс.) is one figure: 7.54 million
        millions = _MILLION_BEFORE.search(text, max(0, start - 16), start)
        if millions is not None and "." not in number and float(number.replace(",", "")) < 1000:
            start = millions.start()
            number = str(int(millions.group("m")) * 1000 + int(number.replace(",", "")))
        fixed = _thousands_figure(number)
        if fixed is None:
            continue
        yield Hit(start, m.end(), f"figure with the word 'thousand' (Russian 'тыс.'): English writes “{fixed}”", fixed)


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral up to L, or None for a malformed one ("IIX")."""
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value else value
    return total if 0 < total <= 50 and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    out = []
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@rule(code="TYP012", name="roman-numeral-century", category="typography", severity="warning", fix="safe")
def roman_numeral_century(article, config):
    """A century in Roman numerals ("the XXI century"), as Russian writes it.

    English writes "the 21st century"; the fix converts the numerals (a
    range too: "XIX-XX centuries" -> "19th-20th centuries"). Not after a
    name ("Louis XIV century furniture").
    Example: "a leader of the XXI century" -> "the 21st century".
    """
    text = article.text
    if "centur" not in text:
        return
    for m in _ROMAN_CENTURY.finditer(text):
        if _NAME_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        a = _roman(m.group("a"))
        b = _roman(m.group("b")) if m.group("b") else None
        if a is None or (m.group("b") and b is None):
            continue
        first = _ordinal(a) + (m.group("dash") + _ordinal(b) if b is not None else "")
        fixed = first + m.group()[m.end("b" if b is not None else "a") - m.start():]
        yield Hit(m.start(), m.end(), f"century in Roman numerals: English writes “{fixed}”", fixed)


# TYP014: a space (plain, no-break or narrow no-break) between a figure and "%",
# the Russian and French convention; English news writes "24%". Found from each
# "%" backwards with str.find: a regex led by the look-behind tried every
# position of the text (9.7 us an article against 0.5).
_PERCENT_SPACES = " \t\u00a0\u202f"


@rule(code="TYP014", name="space-before-percent", category="typography", severity="warning", fix="safe")
def space_before_percent(article, config):
    """A space between a figure and the percent sign ("24 %"), as Russian writes it.

    English news writes the sign against the figure; the fix removes the
    space (a no-break space too). Only after a digit: "100 % pure" is
    reported, a lone "%" in a table heading is not.
    Example: "inflation reached 8.4 %" -> "inflation reached 8.4%".
    """
    text = article.text
    i = text.find("%")
    while i >= 0:
        j = i
        while j and text[j - 1] in _PERCENT_SPACES:
            j -= 1
        if j < i and j and text[j - 1].isdecimal():
            yield Hit(j, i, f"space before “%”: English writes “…{text[j - 1]}%”", "")
        i = text.find("%", i + 1)


# TYP015: lines opened by a dash, the Russian way of setting out an interview's
# turns or a dialogue ("— Alexei Evgenievich, when will the unit be launched?"
# / "— Next year."). One such line may be an epigraph's attribution ("— Mark
# Twain"), so an article needs two before any is reported.
_DIALOGUE_AFTER = re.compile(r"[ \t\u00a0]+(?=[A-Z\u0410-\u042f\u0401\"\u201c\u00ab])")


@rule(code="TYP015", name="dialogue-dash", category="typography", severity="info")
def dialogue_dash(article, config):
    """Lines opened by a dash: an interview or dialogue set out the Russian way.

    Russian marks each turn of an interview, or each line of a dialogue,
    with a dash at the start of the paragraph; English news names the
    speakers (or uses Q: and A:) and puts spoken words in quotation marks.
    Reported when two or more lines of the article open so. No fix: the
    editor decides how the turns are marked.
    Example: "— When will the first unit be launched?" / "— Next year."
    """
    text = article.text
    found = []
    for dash in ("\u2014", "\u2013"):  # each dash, then its line's start (dashes are rarer than lines)
        i = text.find(dash)
        while i >= 0:
            line = text.rfind("\n", 0, i) + 1
            if not text[line:i].strip(" \t") and (m := _DIALOGUE_AFTER.match(text, i + 1)):
                found.append((i, m.end()))
            i = text.find(dash, i + 1)
    if len(found) < 2:
        return
    for a, b in sorted(found):
        yield Hit(a, b, "a dash opens the line, the Russian way of marking an interview's "
                  "turns: name the speakers (or Q: / A:) and quote what they say")
