"""Synthetic MT-artifact corruption: clean news articles in, damaged articles
with gold spans out, seeded and reproducible.

Each corrupted article is `title + "\\n\\n" + paragraphs` from the clean corpus
(docs.jsonl.gz) with a few artifacts injected, each recorded as a gold span
(code-point offsets into the corrupted text):

    {"start", "end", "category", "kind", "text", ["group"], ["accept"]}

`kind` names the variant (e.g. "entity/spaced", "quote/open_space"), so the
scorer can say exactly which variants a detector misses. Spans with the same
`group` are alternatives for one artifact (the two spellings of one name, the
two copies of a duplicated sentence): the artifact counts as found when any
of them is. `accept` lists other categories whose findings on this span are
not false alarms (e.g. Cyrillic mojibake is also a Cyrillic run).

The artifact lists below are written independently of the detectors' data
files on purpose: the benchmark must test the detectors, not echo them.

    python bench/corrupt.py --n 300 --seed 1 --out /tmp/corrupt.jsonl --clean-out /tmp/clean.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
from pathlib import Path

DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs.jsonl.gz"

CATEGORIES = (
    "entity", "quote", "cyrillic", "boilerplate", "calque",
    "typography", "transliteration", "duplicate", "encoding",
)

# --------------------------------------------------------------------------
# Artifact lists (our own, from Russian news sites and MT output).

# Character -> entity spellings (named, decimal, hex).
ENTITY_FORMS = {
    "—": ["mdash", "#8212", "#x2014", "#X2014"],
    "–": ["ndash", "#8211", "#x2013"],
    "\u00a0": ["nbsp", "#160", "#xA0", "#xa0"],
    "«": ["laquo", "#171", "#xAB"],
    "»": ["raquo", "#187", "#xBB"],
    '"': ["quot", "#34", "#x22"],
    "“": ["ldquo", "#8220", "#x201C"],
    "”": ["rdquo", "#8221", "#x201D"],
    "’": ["rsquo", "#8217", "#x2019", "#39", "#039", "apos"],
    "&": ["amp", "#38"],
    "…": ["hellip", "#8230"],
}


def entity_variants(name: str, rng: random.Random) -> tuple[str, str]:
    """One damaged spelling of the entity `name` (without & and ;) and its kind."""
    kind = rng.choice(["plain", "plain", "spaced", "spaced_after", "spaced_both", "double", "no_semicolon", "upper"])
    if kind == "plain":
        return f"&{name};", "plain_hex" if name.lower().startswith("#x") else ("numeric" if name.startswith("#") else "named")
    if kind == "spaced":
        if name.startswith("#") and rng.random() < 0.5:
            return f"&# {name[1:]};", "spaced"
        return f"& {name};", "spaced"
    if kind == "spaced_after":
        return f"&{name} ;", "spaced"
    if kind == "spaced_both":
        return f"& {name} ;", "spaced"
    if kind == "double":
        return (f"&amp;amp;{name};" if rng.random() < 0.15 else f"&amp;{name};"), "double_escaped"
    if kind == "no_semicolon" and name in ("nbsp", "mdash", "quot", "amp", "laquo", "raquo"):
        return f"&{name}", "no_semicolon"
    if kind == "upper" and not name.startswith("#"):
        return f"&{name.upper()};", "upper"
    return f"&{name};", "numeric" if name.startswith("#") else "named"


BOILERPLATE_EN = [
    "Subscribe to our channel on YouTube",
    "Subscribe to the RBC YouTube channel: live broadcasts, videos and recordings of programs",
    "Live broadcasts, videos and recordings of programs on our YouTube channel",
    "Subscribe to our Telegram channel",
    "Subscribe to our channel in Telegram",
    "Subscribe to us in Telegram",
    "Follow us on Telegram",
    "Follow us on Twitter",
    "Join our group on VKontakte",
    "Subscribe to our newsletter",
    "Read us on Yandex.Zen",
    "Want to know the news first? Subscribe to our Telegram channel",
    "The most important news is in our Telegram channel",
    "Add us to your favorite sources in Google News",
    "Read also:",
    "Read also",
    "Also read:",
    "See also:",
    "Read more:",
    "The material is being updated.",
    "The material is being supplemented.",
    "This material is being updated",
    "The news is being updated.",
    "The information is being clarified.",
    "The article is being updated",
    "News is being supplemented",
    "Source:",
    "Source: TASS",
    "Source: RIA Novosti",
    "Source: Interfax",
    "Photo: Reuters",
    "Photo: TASS / Mikhail Metzel",
    "Photo: Global Look Press",
    "Photo: RIA Novosti / Alexei Nikolsky",
    "Photo: press service of the Ministry of Defense",
    "Photo: pixabay.com",
    "Photo: AP",
    "© Sputnik / Sergey Guneev",
    "Video: RIA Novosti",
    "If you find an error, please select a piece of text and press Ctrl+Enter",
    "If you notice a mistake, highlight it and press Ctrl+Enter.",
    "Found a typo? Select it and press Ctrl + Enter",
    "Copying of materials is allowed only with an active link to the source",
    "Share on social networks",
    "All news on the topic",
    "The opinion of the editorial board may not coincide with the opinion of the author.",
    "Our Telegram channel is the main news of the day",
]

# Interview turns (TYP015): a question and its answer.
INTERVIEW_TURNS = [
    ("When will the first power unit be launched?", "We plan to launch it next year."),
    ("Are there difficulties with supplies?", "Of course, there are certain difficulties, I will not hide it."),
    ("How do you assess the talks?", "Very highly. Our partners are reliable people."),
    ("What will happen to prices?", "They will stabilize by the end of the year."),
]

# Page metadata (BOI010): only ever a line of its own.
METADATA_LINES = [
    "Date of publication: {d}, {t}",
    "Updated: {d}, {t}",
    "Updated {t}",
    "Published {d} at {t} MSK",
    "Tags: economy, government, Vladimir Putin",
    "Tags: Russia, Ukraine, negotiations",
    "Author: Ivan Petrov",
    "Views: {n}",
    "Дата публикации: {d}",
]

# Cyrillic forms: gold is both boilerplate (site furniture) and cyrillic.
BOILERPLATE_RU = [
    "Источник",
    "Источник:",
    "Фото:",
    "Фото: ТАСС",
    "Читайте также",
    "Читайте также:",
    "Материал дополняется",
    "Материал дополняется.",
    "Новость дополняется",
    "Подписывайтесь на наш канал в Telegram",
    "Подписывайтесь на нас в Telegram",
    "Смотрите также",
    "Поделиться",
    "Если вы нашли ошибку, выделите ее и нажмите Ctrl+Enter",
]

# Untranslated Cyrillic: English word -> leaked Russian word (replaces the English).
CYR_WORDS = {
    "said": "заявил", "Moscow": "Москва", "Russia": "Россия", "president": "президент",
    "government": "правительство", "police": "полиция", "minister": "министр",
    "company": "компания", "people": "люди", "percent": "процентов", "million": "миллионов",
    "week": "неделе", "city": "город", "court": "суд", "bank": "банк", "year": "год",
    "region": "регион", "talks": "переговоры", "meeting": "встреча", "country": "страна",
}
CYR_NAMES = [
    "Дмитрий Песков", "Мария Захарова", "Сергей Лавров", "Владимир Путин", "Алексей Навальный",
    "Сергей Шойгу", "Михаил Мишустин", "Вячеслав Володин", "Эльвира Набиуллина", "Рамзан Кадыров",
]
CYR_MEDIA = ["РИА Новости", "Интерфакс", "Коммерсантъ", "Ведомости", "РБК", "Известия", "ТАСС", "Газета.Ru"]
CYR_PHRASES = ["в том числе", "по данным", "так называемый", "и др.", "т.е.", "в частности", "около"]
CYR_NAME_TEMPLATES = [
    "{name} declined to comment on the reports.",
    "The statement was later confirmed by {name}.",
    "{name} did not respond to a request for comment.",
]
CYR_MEDIA_TEMPLATES = [
    "The figures were first published by {media}.",
    "A spokesman confirmed the figures to {media}.",
    "According to {media}, the talks will resume next month.",
]
# Latin letter -> Cyrillic look-alike (mixed-script words from Russian keyboards/OCR).
HOMOGLYPHS = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "A": "А", "O": "О", "E": "Е", "M": "М", "T": "Т", "K": "К"}

# Calques: sentence templates, the calque in [brackets].
CALQUE_TEMPLATES = [
    "[Sergey Viktorovich Lavrov] said the talks would continue.",
    "The session was opened by [Valentina Ivanovna Matviyenko].",
    "The order was signed by [Kuznetsov A.V.], the head of the district administration.",
    "[It is reported that] the talks will resume next week.",
    "[It is reported that] the vote has been postponed.",
    "“The situation is under control,” [said the interlocutor of the agency].",
    "“No decision has been made yet,” [the interlocutor of the agency said].",
    "[The interlocutor of the publication] added that the deal could be signed in the spring.",
    "This was [noted in the press service of] the regional government.",
    "This was [reported in the press service of] the Ministry of Emergency Situations.",
    "[The press service of the ministry informs] that the work will be completed by the end of the year.",
    "[As the source of the publication noted], the documents have already been sent to the court.",
    "[According to the information of] the newspaper, the contract is worth several million dollars.",
    "[As it became known], the company had received the money in advance.",
    "[It should be noted that] the plant has been idle since the summer.",
    "[It is worth noting that] the ministry did not comment on the figures.",
    "[Recall that] the previous round of talks ended without result.",
    "[We will remind that] the bridge was closed for repairs in May.",
    "[Earlier it was reported that] the airline had cancelled several flights.",
    "The decision was signed by [the head of state] on Monday.",
    "[The head of the Ministry of Foreign Affairs] held a telephone conversation with his counterpart.",
    "[The head of the Ministry of Defense] inspected the troops.",
    "[The official representative of the Foreign Ministry] said the note had been delivered.",
    "[The Russian side] has not yet responded to the proposal.",
    "[The American side] rejected the proposal.",
    "The ministry, [in turn], declined to comment.",
    "The governor [expressed hope that] the bridge would reopen soon.",
    "The talks took place [in the framework of] the official visit.",
    "The drills were held [on the territory of] the neighbouring region.",
    "[At the present time], the investigation is continuing.",
    "[A criminal case was initiated] on charges of fraud.",
    "The details were published by [the mass media].",
    "[The leadership of the country] has promised to raise pensions.",
    "The bill was supported by [the plenipotentiary representative] of the president.",
    "[The head of the region] announced a state of emergency.",
    "[A source in law enforcement agencies] confirmed the arrest.",
    "The company said this [in connection with] the new sanctions.",
    "The minister [told about this] at a briefing.",
    "He [said this in a conversation with] journalists.",
    "[On the eve], the parliament approved the budget.",
    "[Informed in the department] that the checks would continue.",
    "The documents, [writes the newspaper], were signed in March.",
    "The talks will continue, [reports RIA Novosti].",
    "[With reference to] its own sources, the agency reported that the deal was close.",
    "[An inspection is being carried out] on the fact of the incident.",
    "[The press service of the Kremlin] did not comment on the meeting.",
    # Russian impersonal sentences (CAL007): no subject, or the subject after the verb
    "[In the Kremlin commented] on the statement of the Polish president.",
    "[In the State Duma proposed] to ban the sale of energy drinks to teenagers.",
    "[In the Ministry of Defense showed] footage of the exercises.",
    "[In the Kursk region detained] two men suspected of arson.",
    "[In the network appeared] a video of the fire.",
    "[In Ukraine announced] the start of the heating season.",
    "[In the Pentagon did not rule out] new deliveries.",
    "[In the company explained] the delay by a shortage of parts.",
    # police and court reports
    "The driver, [being in a state of alcoholic intoxication], lost control of the car.",
    "The court [chose a measure of restraint in the form of detention] for the suspect.",
    "He faces up to eight years [of deprivation of liberty].",
    # economy and sports wire copy
    "[As noted in the Central Bank], inflation remains well above the forecast.",
    "[According to the results of the third quarter], the economy grew by 4.3%.",
    "The home side won [with the score 2:1] on Sunday.",
    # weather and celebrity copy
    "The forecaster [Vilfand told that ]the coming week would be warmer.",
    "On Thursday the temperature will be about zero, [it is expected wet snow].",
    "The singer shared the news [on her page in Instagram].",
    # organisations' names in quotation marks (CAL008)
    "The contract went to the company [“Transneft”] last year.",
    "The figures were first published by the newspaper [“Vedomosti”].",
    # figures and dates the Russian way (twenty-fourth session)
    "Prices for new apartments rose in [October 2021 year], the agency said.",
    "The bridge is to be completed until the end of [2024 y].",
    "Since the beginning of the year, the price of buckwheat has grown by [18 percents].",
    "According to analysts, rents will [grow on ]10-15% by the summer.",
    "Over the decade, grain exports [increased by 3 times].",
    "The number of foreign tourists [decreased by 2 times] compared with 2019.",
    "The new terminal handles [in 4 times more] passengers than the old one.",
    "Mortgage lending fell by 12%, [follows from the data of] the Central Bank.",
    # road-accident and hospital copy
    "A minibus collided with a truck near Ryazan, [there are injured].",
    "The accident occurred [on the 32nd kilometer of] the Moscow Ring Road.",
    "According to investigators, the driver [did not cope with the control] on the icy road.",
    "Two of the passengers were hospitalized [in a state of moderate severity].",
    "[At the place of the incident], rescuers and police officers are working.",
    "The injured woman [was delivered to the hospital] by ambulance.",
    "The [turnout at the elections amounted to] 38 percent.",
    "The suspect has been detained, [reports the press service of the Ministry of Internal Affairs].",
    # markets, culture and parliament copy
    "[On the results of the trading day], the index grew by 0.4%.",
    "The launch took place [in the regular mode], the state corporation said.",
    "A monument to the poet was [solemnly opened] in the city park.",
    "The festival was timed to [the Day of Knowledge].",
    "The actor [told about] his new role in an interview.",
    "According to the authors, the measure [will allow to reduce] the number of accidents.",
    "[The speaker of the State Duma] Vyacheslav Volodin supported the bill.",
    "The decision caused [a wide resonance] in the region.",
    # science and education copy
    "According to the developers, the device [has no analogues in the world].",
    "The new cathode raises the battery's capacity [by one and a half times].",
    "Next year the number of [budget places] in universities will grow.",
    "Students will [pass practice] at the plant in the summer.",
    "[The Ministry of Education and Science of the Russian Federation] approved the list.",
    # airline, interview and city-services copy
    "Flights will operate [with a frequency of three times a week] from June.",
    "The company's shares [are trading in the plus by] 1.5% on the Moscow Exchange.",
    "But we are [solving them in a working order], the minister added.",
    "This [was reported in the city administration] on Monday.",
    "The [capital repair] of the school will be completed in August.",
    "[The head of the city] Sergei Shelest inspected the works.",
    "The tariffs for [housing and communal services] will rise from July 1.",
    "Pensions [will be indexed by] 7.5% from January.",
    # transport, social and farm copy
    "Russian Railways [will appoint additional electric trains] for the holidays.",
    "Pensioners will receive the payment [in the usual order].",
    "Farmers of the region [harvested a record harvest] of wheat.",
    "Sowing will begin [in the second decade of April], the ministry said.",
]

# Transliteration variants of Russian names (all spellings seen in English-language press).
GIVEN_VARIANTS = [
    ["Sergei", "Sergey"], ["Alexei", "Alexey", "Aleksei"], ["Andrei", "Andrey"],
    ["Dmitry", "Dmitri", "Dmitriy"], ["Yuri", "Yury", "Yuriy"], ["Nikolai", "Nikolay"],
    ["Mikhail", "Michail"], ["Yevgeny", "Evgeny", "Evgeniy"], ["Vyacheslav", "Viacheslav"],
    ["Valery", "Valeriy"], ["Anatoly", "Anatoliy"], ["Gennady", "Gennadiy"], ["Vitaly", "Vitaliy"],
    ["Grigory", "Grigoriy"], ["Maxim", "Maksim"], ["Alexander", "Aleksandr"], ["Pyotr", "Petr"],
    ["Fyodor", "Fedor"], ["Tatyana", "Tatiana"], ["Natalya", "Natalia"], ["Yulia", "Yuliya"],
    ["Ksenia", "Kseniya"], ["Darya", "Daria"], ["Ilya", "Ilia"], ["Arkady", "Arkadiy"],
    ["Vasily", "Vasiliy"], ["Matvei", "Matvey"],
]
SURNAME_VARIANTS = [
    ["Zakharova", "Zakharowa"], ["Shoigu", "Shoygu"], ["Navalny", "Navalnyi", "Navalniy"],
    ["Lavrov", "Lawrow"], ["Medvedev", "Medwedew"], ["Ryabkov", "Riabkov"], ["Nebenzya", "Nebenzia"],
    ["Matviyenko", "Matvienko"], ["Prigozhin", "Prigojine"], ["Khodorkovsky", "Khodorkovskiy"],
    ["Zelensky", "Zelenskyy", "Zelenskiy"], ["Gorbachev", "Gorbachov"], ["Yeltsin", "Eltsin"],
    ["Kolokoltsev", "Kolokoltsov"], ["Naryshkin", "Narishkin"], ["Zhirinovsky", "Zhirinovskiy"],
    ["Kiriyenko", "Kirienko"], ["Lukashenko", "Lukashenka"], ["Tikhanovskaya", "Tsikhanouskaya"],
    ["Ulyukayev", "Ulyukaev"], ["Abramovich", "Abramovitch"], ["Vekselberg", "Wekselberg"],
    ["Slutsky", "Slutskiy"], ["Kosachev", "Kosachyov"], ["Polyansky", "Polyanskiy"],
    ["Dzhabarov", "Jabarov"], ["Yevtushenkov", "Evtushenkov"],
]
PLAIN_SURNAMES = {"m": ["Volkov", "Morozov", "Sokolov", "Orlov", "Antonov", "Klimov", "Gusev"],
                  "f": ["Belova", "Kuznetsova", "Petrova", "Volkova", "Orlova"]}
PLAIN_GIVEN = {"m": ["Oleg", "Igor", "Boris", "Roman", "Vladimir", "Leonid"], "f": ["Olga", "Irina", "Elena", "Anna"]}
FEMALE_GIVEN = {"Tatyana", "Tatiana", "Natalya", "Natalia", "Yulia", "Yuliya", "Ksenia", "Kseniya", "Darya", "Daria"}


def _gender_of_surname(s: str) -> str:
    return "f" if s.endswith(("ova", "owa", "eva", "ina", "aya")) else "m"
ROLES = ["a Kremlin adviser", "a deputy foreign minister", "the head of the regional branch",
         "a member of the State Duma", "a spokeswoman for the ministry", "an opposition politician"]
FIRST_MENTION = [
    "{name}, {role}, said the proposal was still under discussion.",
    "The plan was criticised by {name}, {role}.",
    "{name}, {role}, told reporters that no date had been set.",
]
LATER_MENTION = [
    "{name} added that the talks would continue.",
    "According to {name}, the decision was final.",
    "{name} declined to give further details.",
]

# Mojibake sources: Cyrillic words and accented names that leak through as bytes.
MOJIBAKE_CYR = ["Москва", "Источник", "Фото", "Кремль", "Россия", "Новости", "Читайте также", "Госдума", "Санкт-Петербург"]
MOJIBAKE_LATIN = ["Nestlé", "Société Générale", "Zürich", "São Paulo", "Müller", "café", "Gazprom’s", "Bogotá", "Renée"]
MOJIBAKE_TEMPLATES = [
    "The report mentioned {w} several times.",
    "Officials in {w} did not comment.",
    "The name {w} appeared on the list.",
]

NUMERO_TEMPLATES = [
    "The order {n} was signed on Monday.",
    "The case was heard by court {n} of the district.",
    "Pupils of school {n} were sent home.",
    "The resolution {n} takes effect next month.",
]

# Russian number abbreviations (млн, млрд, тыс., руб.) as MT output keeps them.
NUMBER_ABBREVIATIONS = {
    "million": [" mln", " mln.", "mln"],
    "billion": [" bln", " mlrd", " bln."],
    "thousand": [" thous.", " thous"],
}
NUMBER_TEMPLATES = [
    "The contract is worth {n} rubles.",
    "The region will receive {n} rubles from the federal budget.",
    "Damage was estimated at {n} rubles.",
]
DATE_TEMPLATES = [
    "The decree was signed on {d}.",
    "The hearing is scheduled for {d}.",
    "The agreement expires on {d}.",
]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

# --------------------------------------------------------------------------

_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "sen", "rep", "gov", "prof", "jr", "sr",
    "inc", "corp", "co", "ltd", "no", "vs", "mt", "ft", "capt", "maj", "adm", "gov", "messrs", "jan", "feb",
    "aug", "sept", "oct", "nov", "dec", "rev", "hon", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "d.c", "fig",
}
_BOUND = re.compile(r"[.!?][\"”’')]?( +)(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_QUOTE_CHARS = set("\"“”„«»'’‘")


class Doc:
    """Text under corruption: every edit shifts the gold spans recorded so far."""

    def __init__(self, text: str):
        self.text = text
        self.gold: list[dict] = []
        self.protected: list[tuple[int, int]] = []
        self.groups = 0
        self.head_end = text.index("\n") if "\n" in text else len(text)

    def free(self, a: int, b: int, margin: int = 2) -> bool:
        if a <= self.head_end + 1:
            return False
        return all(b + margin <= s or e + margin <= a for s, e in self.protected)

    def edit(self, a: int, b: int, new: str, golds=(), protect=None) -> int:
        """Replace text[a:b] with `new`; golds are (rel_start, rel_end, category, kind, extra)."""
        delta = len(new) - (b - a)
        for g in self.gold:
            if g["start"] >= b:
                g["start"] += delta
                g["end"] += delta
        self.protected = [(s + delta, e + delta) if s >= b else (s, e) for s, e in self.protected]
        self.text = self.text[:a] + new + self.text[b:]
        for rs, re_, cat, kind, extra in golds:
            g = {"start": a + rs, "end": a + re_, "category": cat, "kind": kind}
            g.update(extra or {})
            self.gold.append(g)
        self.protected.append(protect or (a, a + len(new)))
        return delta

    def new_group(self) -> int:
        self.groups += 1
        return self.groups

    # -- structure (recomputed after every edit; articles are small) --
    def paragraphs(self) -> list[tuple[int, int]]:
        out = []
        for m in re.finditer(r"[^\n]+", self.text):
            if m.start() > self.head_end:
                out.append(m.span())
        return out

    def sentences(self) -> list[tuple[int, int]]:
        out = []
        for pa, pb in self.paragraphs():
            start = pa
            for m in _BOUND.finditer(self.text, pa, pb):
                before = self.text[start:m.start()].split()
                last = before[-1].lower().rstrip(".") if before else ""
                if last in _ABBREV or (len(last) == 1 and last.isalpha()) or "." in last:
                    continue
                out.append((start, m.start(1)))
                start = m.end(1)
            out.append((start, pb))
        return out

    def free_sentences(self, min_words: int = 1) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self.sentences() if self.free(a, b) and len(self.text[a:b].split()) >= min_words]


def _quote_free(s: str) -> bool:
    return not any(c in _QUOTE_CHARS for c in s)


def _insert_sentence(doc: Doc, rng: random.Random, sentence: str, golds, where: str = "any") -> bool:
    """Insert a whole sentence before/after a free sentence; golds relative to `sentence`."""
    sents = doc.free_sentences()
    if not sents:
        return False
    a, b = rng.choice(sents)
    if where == "before" or (where == "any" and rng.random() < 0.5):
        doc.edit(a, a, sentence + " ", golds, protect=(a, a + len(sentence)))
    else:
        doc.edit(b, b, " " + sentence, [(s + 1, e + 1, c, k, x) for s, e, c, k, x in golds], protect=(b + 1, b + 1 + len(sentence)))
    return True


def _words_in(doc: Doc, a: int, b: int):
    return [(m.start() + a, m.end() + a) for m in _WORD.finditer(doc.text[a:b])]


# --------------------------------------------------------------------------
# Injectors: each returns True when it changed the document.

def inj_entity(doc: Doc, rng: random.Random) -> bool:
    t = doc.text
    role = rng.choice(["dash", "dash", "nbsp", "quotes", "apostrophe", "ampersand", "guillemets", "markup"])
    if role == "markup":
        return _inj_markup(doc, rng)
    if role == "dash":
        spots = [m.span() for m in re.finditer(r" (?:-|--|—|–) |, ", t) if doc.free(*m.span())]
        spots = [s for s in spots if t[s[0]:s[1]] != ", " or rng.random() < 0.3]
        if not spots:
            return False
        a, b = rng.choice(spots)
        ent, kind = entity_variants(rng.choice(ENTITY_FORMS[rng.choice("——–")]), rng)
        doc.edit(a, b, " " + ent + " ", [(1, 1 + len(ent), "entity", "entity/dash_" + kind, None)])
        return True
    if role == "nbsp":
        spots = [m.start(1) for m in re.finditer(r"\b(?:\d+|[A-Z][a-z]+)( )(?:percent|million|billion|[A-Z][a-z]+|km|people)\b", t)
                 if doc.free(m.start(1), m.end(1))]
        if not spots:
            return False
        a = rng.choice(spots)
        ent, kind = entity_variants(rng.choice(ENTITY_FORMS["\u00a0"]), rng)
        pad = rng.random() < 0.3 or not ent.endswith(";")
        new = (" " + ent + " ") if pad else ent
        s = 1 if pad else 0
        doc.edit(a, a + 1, new, [(s, s + len(ent), "entity", "entity/nbsp_" + kind, None)])
        return True
    if role in ("quotes", "guillemets"):
        spots = [m.span() for m in re.finditer(r'"([^"\n]{3,120})"', t) if doc.free(*m.span())]
        if not spots:
            return False
        a, b = rng.choice(spots)
        inner = t[a + 1:b - 1]
        if role == "guillemets":
            o, kind = entity_variants(rng.choice(ENTITY_FORMS["«"]), rng)
            c, _ = entity_variants(rng.choice(ENTITY_FORMS["»"]), rng)
        else:
            ch = rng.choice(['"', '"', "“"])
            o, kind = entity_variants(rng.choice(ENTITY_FORMS[ch]), rng)
            c, _ = entity_variants(rng.choice(ENTITY_FORMS['"' if ch == '"' else "”"]), rng)
        new = o + inner + c
        acc = {"accept": ["quote"]}
        doc.edit(a, b, new, [(0, len(o), "entity", f"entity/{role}_" + kind, acc),
                             (len(new) - len(c), len(new), "entity", f"entity/{role}_" + kind, acc)])
        return True
    if role == "apostrophe":
        spots = [m.start(1) for m in re.finditer(r"[a-z](')(?:s|t|re|ll|ve|d)\b", t) if doc.free(m.start(1), m.end(1))]
        if not spots:
            return False
        a = rng.choice(spots)
        ent, kind = entity_variants(rng.choice(ENTITY_FORMS["’"]), rng)
        doc.edit(a, a + 1, ent, [(0, len(ent), "entity", "entity/apostrophe_" + kind, None)])
        return True
    if role == "ampersand":
        spots = [m.start() for m in re.finditer(r"(?<=\w)&(?=\w)|(?<= )&(?= )", t) if doc.free(m.start(), m.end())]
        if not spots:
            # "and" between two capitalised names: "Marks and Spencer" -> "Marks &amp; Spencer"
            spots2 = [m.span(1) for m in re.finditer(r"[A-Z][a-z]+( and )[A-Z][a-z]+", t) if doc.free(*m.span(1))]
            if not spots2:
                return False
            a, b = rng.choice(spots2)
            ent, kind = entity_variants("amp", rng)
            doc.edit(a, b, " " + ent + " ", [(1, 1 + len(ent), "entity", "entity/amp_" + kind, None)])
            return True
        a = rng.choice(spots)
        ent, kind = entity_variants(rng.choice(ENTITY_FORMS["&"]), rng)
        doc.edit(a, a + 1, ent, [(0, len(ent), "entity", "entity/amp_" + kind, None)])
        return True
    return False


# Leftover page markup (ENT004): what scrapers keep of a page's HTML.
_MARKUP_SITES = ["ria.ru", "tass.ru", "rbc.ru", "lenta.ru", "iz.ru", "kommersant.ru", "news.ru"]


def _markup_style(tag: str, rng: random.Random) -> tuple[str, str]:
    """`tag` ("<p>", '<a href="...">') raw, spaced by a tokenizer, escaped or escaped twice."""
    style = rng.choices(["raw", "escaped", "spaced", "double"], weights=[14, 3, 2, 1])[0]
    if style == "escaped":
        return tag.replace("<", "&lt;").replace(">", "&gt;").replace('"', rng.choice(['"', "&quot;"])), style
    if style == "double":
        return tag.replace("<", "&amp;lt;").replace(">", "&amp;gt;"), style
    if style == "spaced" and " " not in tag:
        return tag.replace("<", "< ").replace(">", " >"), style
    return tag, "raw"


def _inj_markup(doc: Doc, rng: random.Random) -> bool:
    kind = rng.choice(["paragraph", "break", "inline", "inline", "comment", "embed"])
    t = doc.text
    if kind in ("paragraph", "embed"):
        paras = [p for p in doc.paragraphs() if doc.free(*p)]
        if not paras:
            return False
        a, b = rng.choice(paras)
        if kind == "paragraph":
            name = rng.choice(["p", "p", "p", "div", "li", "blockquote"])
            (o, style), (c, _) = _markup_style(f"<{name}>", rng), _markup_style(f"</{name}>", rng)
            new = o + t[a:b] + c
            doc.edit(a, b, new, [(0, len(o), "entity", f"entity/markup_paragraph_{style}", None),
                                 (len(new) - len(c), len(new), "entity", f"entity/markup_paragraph_{style}", None)])
            return True
        site = rng.choice(_MARKUP_SITES)
        tag = rng.choice([
            f'<img src="https://{site}/i/{rng.randrange(10**5)}.jpg" alt="">',
            f'<iframe src="https://www.youtube.com/embed/{rng.randrange(10**6)}" allowfullscreen></iframe>',
            f'<script async src="https://{site}/widgets.js" charset="utf-8"></script>',
            '<div class="banner"></div>',
        ])
        emb, style = _markup_style(tag, rng) if "script" not in tag and "iframe" not in tag else (tag, "raw")
        if rng.random() < 0.5:
            doc.edit(a, a, emb + " ", [(0, len(emb), "entity", f"entity/markup_embed_{style}", None)], protect=(a, a + len(emb)))
        else:
            doc.edit(b, b, " " + emb, [(1, 1 + len(emb), "entity", f"entity/markup_embed_{style}", None)], protect=(b + 1, b + 1 + len(emb)))
        return True
    if kind in ("break", "comment"):
        spots = [(m.start(1), m.end(1)) for m in _BOUND.finditer(t) if doc.free(m.start(1), m.end(1))]
        if not spots:
            return False
        a, b = rng.choice(spots)
        if kind == "break":
            tag, style = _markup_style(rng.choice(["<br>", "<br />", "<br/>", "</p><p>", "</p> <p>"]), rng)
        else:
            tag, style = rng.choice(["<!-- ad -->", "<!-- /.article-text -->", "<!--more-->"]), "raw"
        # a comment keeps the space between the sentences; a break may replace it
        new = " " + tag + " " if kind == "comment" else rng.choice(["", " "]) + tag + rng.choice(["", " "])
        lead = len(new) - len(new.lstrip())
        doc.edit(a, b, new, [(lead, lead + len(tag), "entity", f"entity/markup_{kind}_{style}", None)])
        return True
    spots = [(a, b) for a, b in doc.free_sentences(min_words=4)]
    if not spots:
        return False
    sa, sb = rng.choice(spots)
    words = _words_in(doc, sa, sb)
    n = rng.randint(1, min(4, len(words)))
    i = rng.randrange(len(words) - n + 1)
    a, b = words[i][0], words[i + n - 1][1]
    name = rng.choice(["strong", "b", "em", "i", "a", "a", "span"])
    attrs = {"a": f' href="https://{rng.choice(_MARKUP_SITES)}/{rng.randrange(10**8)}/"',
             "span": ' class="highlight"'}.get(name, "")
    (o, style), (c, _) = _markup_style(f"<{name}{attrs}>", rng), _markup_style(f"</{name}>", rng)
    new = o + t[a:b] + c
    doc.edit(a, b, new, [(0, len(o), "entity", f"entity/markup_inline_{style}", None),
                         (len(new) - len(c), len(new), "entity", f"entity/markup_inline_{style}", None)])
    return True


def _phrase_in(doc: Doc, rng: random.Random, min_w=2, max_w=5):
    """A run of words in the middle of a quote-free sentence: (a, b)."""
    sents = [s for s in doc.free_sentences(min_words=8) if _quote_free(doc.text[s[0]:s[1]])]
    if not sents:
        return None
    a, b = rng.choice(sents)
    words = _words_in(doc, a, b)
    if len(words) < 6:
        return None
    n = rng.randint(min_w, max_w)
    i = rng.randint(2, max(2, len(words) - n - 1))
    j = min(i + n - 1, len(words) - 2)
    return words[i][0], words[j][1]


def _paragraph_quote_free(doc: Doc, pos: int) -> bool:
    for pa, pb in doc.paragraphs():
        if pa <= pos <= pb:
            return _quote_free(doc.text[pa:pb])
    return False


def inj_quote(doc: Doc, rng: random.Random) -> bool:
    t = doc.text
    kind = rng.choice(["dangling_2apos_open", "dangling_2apos_close", "open_space", "open_space", "spaced_pair",
                       "unopened_close", "unclosed_open", "guillemets", "low9", "mixed", "2apos_pair", "existing"])
    if kind in ("dangling_2apos_open", "dangling_2apos_close"):
        sents = doc.free_sentences(min_words=4)
        sents = [s for s in sents if _paragraph_quote_free(doc, s[0])]
        if not sents:
            return False
        a, b = rng.choice(sents)
        if kind.endswith("open"):
            doc.edit(a, a, "'' ", [(0, 2, "quote", "quote/" + kind, None)])
        else:
            doc.edit(b, b, " ''", [(1, 3, "quote", "quote/" + kind, None)])
        return True
    if kind in ("open_space", "unopened_close", "unclosed_open"):
        span = _phrase_in(doc, rng, 1, 3)
        if not span or not _paragraph_quote_free(doc, span[0]):
            return False
        a, b = span
        if kind == "open_space":
            doc.edit(a, a, "“ ", [(0, 2, "quote", "quote/open_space_unclosed", None)])
        elif kind == "unclosed_open":
            doc.edit(a, a, "“", [(0, 1, "quote", "quote/unclosed_open", None)])
        else:
            doc.edit(b, b, "”", [(0, 1, "quote", "quote/unopened_close", None)])
        return True
    if kind == "existing":
        spots = [m.span() for m in re.finditer(r'"([^"\n]{3,200})"', t) if doc.free(*m.span())]
        if not spots:
            return False
        a, b = rng.choice(spots)
        inner = t[a + 1:b - 1]
        o, c, sub = rng.choice([("“ ", "”", "open_space"), ("“", '"', "mixed"), ('"', "”", "mixed"), ("''", "''", "2apos_pair"),
                                ("« ", " »", "guillemets"), ("«", "»", "guillemets"), ("„", "“", "low9"), ("“ ", " ”", "spaced_pair"),
                                ("“", "''", "mixed_2apos")])
        new = o + inner + c
        doc.edit(a, b, new, [(0, len(new), "quote", "quote/existing_" + sub, {"accept": ["typography"]})])
        return True
    span = _phrase_in(doc, rng, 2, 5)
    if not span:
        return False
    a, b = span
    inner = t[a:b]
    o, c = {"spaced_pair": ("“ ", " ”"), "guillemets": rng.choice([("«", "»"), ("« ", " »")]), "low9": ("„", "“"),
            "mixed": rng.choice([("“", '"'), ('"', "”"), ("“", "“")]), "2apos_pair": ("''", "''")}[kind]
    new = o + inner + c
    doc.edit(a, b, new, [(0, len(new), "quote", "quote/" + kind, {"accept": ["typography"]})])
    return True


def inj_cyrillic(doc: Doc, rng: random.Random) -> bool:
    kind = rng.choice(["word", "word", "name", "media", "phrase", "homoglyph"])
    t = doc.text
    if kind == "word":
        cands = []
        for en, ru in CYR_WORDS.items():
            for m in re.finditer(r"\b" + en + r"\b", t):
                if doc.free(*m.span()):
                    cands.append((m.start(), m.end(), ru))
        if not cands:
            return False
        a, b, ru = rng.choice(cands)
        doc.edit(a, b, ru, [(0, len(ru), "cyrillic", "cyrillic/word", None)])
        return True
    if kind == "name":
        name = rng.choice(CYR_NAMES)
        s = rng.choice(CYR_NAME_TEMPLATES).format(name=name)
        i = s.index(name)
        return _insert_sentence(doc, rng, s, [(i, i + len(name), "cyrillic", "cyrillic/name", None)])
    if kind == "media":
        media = rng.choice(CYR_MEDIA)
        s = rng.choice(CYR_MEDIA_TEMPLATES).format(media=media)
        i = s.index(media)
        n = len(media) - (1 if media.endswith(".Ru") else 0) * 3  # gold = the Cyrillic run
        return _insert_sentence(doc, rng, s, [(i, i + n, "cyrillic", "cyrillic/media", None)])
    if kind == "phrase":
        sents = doc.free_sentences(min_words=8)
        if not sents:
            return False
        a, b = rng.choice(sents)
        words = _words_in(doc, a, b)
        w = words[rng.randint(2, len(words) - 2)]
        ph = rng.choice(CYR_PHRASES)
        doc.edit(w[0], w[0], ph + " ", [(0, len(ph), "cyrillic", "cyrillic/phrase", None)])
        return True
    # homoglyph: one Cyrillic look-alike inside a Latin word
    sents = doc.free_sentences(min_words=6)
    if not sents:
        return False
    a, b = rng.choice(sents)
    words = [w for w in _words_in(doc, a, b) if w[1] - w[0] >= 4 and any(c in HOMOGLYPHS for c in t[w[0]:w[1]])]
    if not words:
        return False
    wa, wb = rng.choice(words)
    idx = [i for i in range(wa, wb) if t[i] in HOMOGLYPHS]
    i = rng.choice(idx)
    doc.edit(i, i + 1, HOMOGLYPHS[t[i]], [(0, 1, "cyrillic", "cyrillic/homoglyph", None)], protect=(wa, wb))
    return True


def _vary_boilerplate(s: str, rng: random.Random) -> tuple[str, str]:
    v = rng.choice(["as_is", "as_is", "as_is", "lower", "upper", "spaces", "punct", "no_punct"])
    if v == "lower":
        s = s.lower()
    elif v == "upper":
        s = s.upper()
    elif v == "spaces":
        s = re.sub(" ", lambda m: rng.choice([" ", " ", "  "]), s)
    elif v == "punct":
        s = s.rstrip(".:!") + rng.choice([":", "!", ".", " >>", "…", " ->"])
    elif v == "no_punct":
        s = s.rstrip(".:!")
    return s, v


_EMBED_NAMES = [("Maria Zakharova", "MID_RF"), ("Dmitry Medvedev", "MedvedevRussiaE"), ("Russian MFA", "mfa_russia"),
                 ("Ramzan Kadyrov", "RKadyrov"), ("TASS", "tassagency_en"), ("Margarita Simonyan", "M_Simonyan")]
_EMBED_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]


def _embed_residue(rng: random.Random) -> str:
    """What a scraped embedded post leaves: a tweet's picture link and signature, or Instagram's lines."""
    name, handle = rng.choice(_EMBED_NAMES)
    date = f"{rng.choice(_EMBED_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2014, 2024)}"
    pic = "pic.twitter.com/" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(10))
    return rng.choice([
        f"{pic} \u2014 {name} (@{handle}) {date}",
        f"\u2014 {name} (@{handle}) {date}",
        pic,
        f"A post shared by {name} (@{handle.lower()})",
    ])


def inj_boilerplate(doc: Doc, rng: random.Random) -> bool:
    if rng.random() < 0.12:
        paras = [p for p in doc.paragraphs() if doc.free(*p)]
        if not paras:
            return False
        residue = _embed_residue(rng)
        a, b = rng.choice(paras)
        doc.edit(b, b, " " + residue, [(1, 1 + len(residue), "boilerplate", "boilerplate/embed_residue", None)],
                 protect=(b + 1, b + 1 + len(residue)))
        return True
    if rng.random() < 0.08:
        # a page-metadata line (BOI010), on its own line
        d = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2024)}"
        line = rng.choice(METADATA_LINES).format(d=d, t=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", n=rng.randint(10, 9999))
        paras = [p for p in doc.paragraphs() if doc.free(*p)]
        if not paras:
            return False
        golds = [(0, len(line), "boilerplate", "boilerplate/metadata_line", None)]
        if "Дата" in line:
            golds.append((0, len("Дата публикации"), "cyrillic", "cyrillic/boilerplate_metadata", None))
        a, b = rng.choice(paras)
        sep = rng.choice(["\n", "\n\n"])
        doc.edit(b, b, sep + line, [(s_ + len(sep), e_ + len(sep), c, k, x) for s_, e_, c, k, x in golds],
                 protect=(b + len(sep), b + len(sep) + len(line)))
        return True
    ru = rng.random() < 0.3
    phrase, variant = _vary_boilerplate(rng.choice(BOILERPLATE_RU if ru else BOILERPLATE_EN), rng)
    place = rng.choice(["own_line", "own_line", "para_end", "para_start", "article_end"])
    kind = f"boilerplate/{'ru' if ru else 'en'}_{place}"
    golds = [(0, len(phrase), "boilerplate", kind, {"variant": variant})]
    if ru:
        cyr = [i for i, c in enumerate(phrase) if "\u0400" <= c <= "\u04ff"]
        golds.append((cyr[0], cyr[-1] + 1, "cyrillic", "cyrillic/boilerplate_" + place, None))
    paras = [p for p in doc.paragraphs() if doc.free(*p)]
    if not paras:
        return False
    if place == "article_end":
        a, b = doc.paragraphs()[-1]
        if not doc.free(a, b):
            return False
        doc.edit(b, b, "\n" + phrase, [(s + 1, e + 1, c, k, x) for s, e, c, k, x in golds], protect=(b + 1, b + 1 + len(phrase)))
        return True
    a, b = rng.choice(paras)
    if place == "own_line":
        sep = rng.choice(["\n", "\n\n"])
        doc.edit(b, b, sep + phrase, [(s + len(sep), e + len(sep), c, k, x) for s, e, c, k, x in golds],
                 protect=(b + len(sep), b + len(sep) + len(phrase)))
    elif place == "para_end":
        doc.edit(b, b, " " + phrase, [(s + 1, e + 1, c, k, x) for s, e, c, k, x in golds], protect=(b + 1, b + 1 + len(phrase)))
    else:
        doc.edit(a, a, phrase + " ", golds, protect=(a, a + len(phrase)))
    return True


def inj_calque(doc: Doc, rng: random.Random) -> bool:
    tpl = rng.choice(CALQUE_TEMPLATES)
    i, j = tpl.index("["), tpl.index("]")
    s = tpl.replace("[", "").replace("]", "")
    kind = "calque/" + re.sub(r"\W+", "_", tpl[i + 1:j].lower()).strip("_")
    return _insert_sentence(doc, rng, s, [(i, j - 1, "calque", kind, None)])


def inj_typography(doc: Doc, rng: random.Random) -> bool:
    t = doc.text
    kind = rng.choice(["space_before_punct", "double_space", "decimal_comma", "numero", "spaced_hyphen", "russian_quote_dash",
                       "number_abbreviation", "dotted_date", "figure_thousand", "space_percent", "dialogue_dash"])
    if kind == "dialogue_dash":
        # two interview turns set out the Russian way (TYP015), as their own paragraphs
        paras = [p for p in doc.paragraphs() if doc.free(*p)]
        if not paras:
            return False
        q, a_ = rng.choice(INTERVIEW_TURNS)
        dash = rng.choice(["\u2014", "\u2014", "\u2013"])
        block = f"\n\n{dash} {q}\n\n{dash} {a_}"
        first = 2
        second = block.index(dash, first + 1)
        a, b = rng.choice(paras)
        doc.edit(b, b, block, [(first, first + 2, "typography", "typography/dialogue_dash", None),
                               (second, second + 2, "typography", "typography/dialogue_dash", None)],
                 protect=(b, b + len(block)))
        return True
    if kind == "space_percent":
        # "8.4%" -> "8.4 %" (TYP014): the Russian spacing
        spots = [m.start() for m in re.finditer(r"(?<=\d)%", t) if doc.free(m.start() - 1, m.end())]
        if not spots:
            return False
        a = rng.choice(spots)
        sp = rng.choice([" ", " ", "\u00a0"])
        doc.edit(a, a, sp, [(0, 1, "typography", "typography/space_percent", None)], protect=(a - 1, a + 1))
        return True
    if kind == "figure_thousand":
        # "70,000 people" -> "70 thousand people" (TYP013)
        spots = [m for m in re.finditer(r"(?<![\d,.])(\d{1,3}),000\b(?![,.]\d)", t) if doc.free(*m.span())]
        if not spots:
            return False
        m = rng.choice(spots)
        new = m.group(1) + " thousand"
        doc.edit(m.start(), m.end(), new, [(0, len(new), "typography", "typography/figure_thousand", None)])
        return True
    if kind == "number_abbreviation":
        spots = [m for m in re.finditer(r"(?<=\d) (million|billion|thousand)\b(?![-\w])", t) if doc.free(*m.span())]
        if spots:
            m = rng.choice(spots)
            new = rng.choice(NUMBER_ABBREVIATIONS[m.group(1)])
            g0 = len(new) - len(new.lstrip())
            doc.edit(m.start(), m.end(), new, [(g0, len(new), "typography", "typography/number_abbreviation", None)])
            return True
        word = rng.choice(list(NUMBER_ABBREVIATIONS))
        abbr = rng.choice(NUMBER_ABBREVIATIONS[word]).rstrip(".")
        n = f"{rng.randint(2, 900)}{abbr}"
        s = rng.choice(NUMBER_TEMPLATES).format(n=n)
        i = s.index(n) + len(n) - len(abbr.lstrip())
        return _insert_sentence(doc, rng, s, [(i, i + len(abbr.lstrip()), "typography", "typography/number_abbreviation_made", None)])
    if kind == "dotted_date":
        months = "|".join(MONTH_NAMES)
        spots = [m for m in re.finditer(rf"\b(?:({months}) (\d{{1,2}}), ((?:19|20)\d\d)|(\d{{1,2}}) ({months}) ((?:19|20)\d\d))\b", t)
                 if doc.free(*m.span())]
        pad = rng.random() < 0.7
        if spots:
            m = rng.choice(spots)
            month, day, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
            mm = MONTH_NAMES.index(month) + 1
            new = f"{int(day):02d}.{mm:02d}.{year}" if pad else f"{int(day)}.{mm:02d}.{year}"
            doc.edit(m.start(), m.end(), new, [(0, len(new), "typography", "typography/dotted_date", None)])
            return True
        d = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2000, 2023)}"
        s = rng.choice(DATE_TEMPLATES).format(d=d)
        i = s.index(d)
        return _insert_sentence(doc, rng, s, [(i, i + len(d), "typography", "typography/dotted_date_made", None)])
    if kind == "space_before_punct":
        spots = [m.start() for m in re.finditer(r"(?<=[a-z])[,;:?!](?= )|(?<=[a-z])\.(?=\n|$)", t) if doc.free(m.start() - 1, m.end() + 1)]
        if not spots:
            return False
        a = rng.choice(spots)
        doc.edit(a, a, " ", [(0, 2, "typography", "typography/space_before_" + t[a], None)], protect=(a - 1, a + 2))
        return True
    if kind == "double_space":
        spots = [m.start() for m in re.finditer(r"(?<=[a-z,]) (?=[a-z])", t) if doc.free(m.start() - 1, m.end() + 1)]
        if not spots:
            return False
        a = rng.choice(spots)
        sp = rng.choice(["  ", "  ", "   "])
        doc.edit(a, a + 1, sp, [(0, len(sp), "typography", "typography/double_space", None)])
        return True
    if kind == "decimal_comma":
        spots = [m.span() for m in re.finditer(r"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.,]| ?[ap]\.m)", t) if doc.free(*m.span())]
        if spots:
            a, b = rng.choice(spots)
            new = t[a:b].replace(".", ",")
            doc.edit(a, b, new, [(0, len(new), "typography", "typography/decimal_comma", None)])
            return True
        spots = [m.span(1) for m in re.finditer(r"\b(\d{1,3}) (?:percent|million|billion|per cent)\b", t) if doc.free(*m.span(1))]
        if not spots:
            return False
        a, b = rng.choice(spots)
        new = t[a:b] + "," + str(rng.randint(1, 9))
        doc.edit(a, b, new, [(0, len(new), "typography", "typography/decimal_comma_made", None)])
        return True
    if kind == "numero":
        m_ = [m for m in re.finditer(r"\b(?:No\.|number) ?(\d+)", t) if doc.free(*m.span())]
        if m_:
            m = rng.choice(m_)
            new = rng.choice(["№ ", "№", "№ "]) + m.group(1)
            doc.edit(m.start(), m.end(), new, [(0, len(new), "typography", "typography/numero", None)])
            return True
        n = rng.choice(["№ ", "№"]) + str(rng.randint(2, 2999))
        s = rng.choice(NUMERO_TEMPLATES).format(n=n)
        i = s.index(n)
        return _insert_sentence(doc, rng, s, [(i, i + len(n), "typography", "typography/numero_made", None)])
    if kind == "spaced_hyphen":
        # A spaced hyphen is house style at the BBC and Reuters (2,075 of the
        # 3,349 clean articles): it is an artifact only where MT replaced one
        # of the article's real dashes, so inject only there.
        dashes = [m.span() for m in re.finditer(r" (?:—|–) ", t)]
        spots = [sp for sp in dashes if doc.free(*sp)]
        if len(dashes) < 2 or not spots:
            return False
        a, b = rng.choice(spots)
        doc.edit(a, b, " - ", [(1, 2, "typography", "typography/spaced_hyphen", None)])
        return True
    # russian_quote_dash: ("...," he said) -> ("...", - he said)
    spots = [m for m in re.finditer(r'([,!?])"( )(?:he|she|they|[A-Z][a-z]+) (?:said|says|added|told|stressed|noted|wrote)\b', t)
             if doc.free(m.start(), m.end())]
    if not spots:
        return False
    m = rng.choice(spots)
    p, dash = m.group(1), rng.choice(["—", "-", "–"])
    if p == ",":
        new = rng.choice(['", ' + dash + " ", '" ' + dash + " "])
    else:
        new = p + '" ' + dash + " "
    # gold: from the comma (or space) after the closing quote to the dash
    g0 = new.index('"') + 1
    doc.edit(m.start(), m.end(2), new, [(g0, new.index(dash) + 1, "typography", "typography/russian_quote_dash", {"accept": ["quote"]})])
    return True


def inj_transliteration(doc: Doc, rng: random.Random) -> bool:
    if rng.random() < 0.5:
        variants = rng.choice(GIVEN_VARIANTS)
        a_v, b_v = rng.sample(variants, 2)
        sur = rng.choice(PLAIN_SURNAMES["f" if a_v in FEMALE_GIVEN else "m"])
        first, later = f"{a_v} {sur}", f"{b_v} {sur}"
        kind = "transliteration/given_name"
    else:
        variants = rng.choice(SURNAME_VARIANTS)
        a_v, b_v = rng.sample(variants, 2)
        given = rng.choice(PLAIN_GIVEN[_gender_of_surname(a_v)])
        first = f"{given} {a_v}"
        later = rng.choice([f"{given} {b_v}", b_v])
        kind = "transliteration/surname" + ("_short" if later == b_v else "")
    paras = [p for p in doc.paragraphs() if doc.free(*p)]
    if len(paras) < 2:
        return False
    s1 = rng.choice(FIRST_MENTION).format(name=first, role=rng.choice(ROLES))
    s2 = rng.choice(LATER_MENTION).format(name=later)
    i1, i2 = s1.index(first), s2.index(later)
    g = doc.new_group()
    p1, p2 = sorted(rng.sample(range(len(paras)), 2))
    # later mention first (offsets after it are unaffected by the earlier edit)
    b2 = paras[p2][1]
    doc.edit(b2, b2, " " + s2, [(1 + i2, 1 + i2 + len(later), "transliteration", kind, {"group": g})], protect=(b2 + 1, b2 + 1 + len(s2)))
    b1 = paras[p1][1]
    doc.edit(b1, b1, " " + s1, [(1 + i1, 1 + i1 + len(first), "transliteration", kind, {"group": g})], protect=(b1 + 1, b1 + 1 + len(s1)))
    return True


def inj_duplicate(doc: Doc, rng: random.Random) -> bool:
    kind = rng.choice(["sentence_adjacent", "sentence_later", "paragraph_adjacent", "paragraph_later", "headline"])
    if kind == "headline":
        # the page's title taken into the body as well (DUP003)
        title = doc.text[: doc.head_end].strip()
        paras = doc.paragraphs()
        if len(title.split()) < 3 or len(paras) < 2 or not doc.free(*paras[0]):
            return False
        a = paras[0][0]
        copy = title + rng.choice(["", "."])
        sep = rng.choice(["\n", "\n\n"])
        doc.edit(a, a, copy + sep, [(0, len(copy), "duplicate", "duplicate/headline", None)], protect=(a, a + len(copy)))
        return True
    if kind.startswith("sentence"):
        sents = [s for s in doc.free_sentences(min_words=8)]
        if not sents:
            return False
        i = rng.randrange(len(sents))
        a, b = sents[i]
        s = doc.text[a:b]
        if kind == "sentence_adjacent" or i == len(sents) - 1:
            kind = "sentence_adjacent"
            pos = b
        else:
            later = [x for x in sents[i + 1:]]
            pos = rng.choice(later)[1]
    else:
        paras = [p for p in doc.paragraphs() if doc.free(*p) and len(doc.text[p[0]:p[1]].split()) >= 8]
        if not paras:
            return False
        i = rng.randrange(len(paras))
        a, b = paras[i]
        s = doc.text[a:b]
        if kind == "paragraph_adjacent" or i == len(paras) - 1:
            kind = "paragraph_adjacent"
            pos = b
        else:
            pos = rng.choice(paras[i + 1:])[1]
    g = doc.new_group()
    sep = " " if kind.startswith("sentence") else rng.choice(["\n", "\n\n"])
    doc.edit(pos, pos, sep + s, [(len(sep), len(sep) + len(s), "duplicate", "duplicate/" + kind, {"group": g})],
             protect=(pos + len(sep), pos + len(sep) + len(s)))
    doc.gold.append({"start": a, "end": b, "category": "duplicate", "kind": "duplicate/" + kind, "group": g, "original": True})
    doc.protected.append((a, b))
    return True


def mojibake(s: str, codec: str) -> str:
    """UTF-8 bytes of `s` misread as `codec` (cp1252's holes read as Latin-1, as browsers do)."""
    out = []
    for byte in s.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            out.append(bytes([byte]).decode("latin-1"))
    return "".join(out)


def inj_encoding(doc: Doc, rng: random.Random) -> bool:
    kind = rng.choice(["cyr_as_cp1252", "cyr_as_cp1252", "cyr_as_cp1251", "punct_as_cp1252", "punct_as_cp1252",
                       "latin_as_cp1252", "nbsp_as_cp1252", "double", "control", "invisible"])
    t = doc.text
    if kind in ("control", "invisible"):
        # a scraper's leftovers: a terminal colour code or a bell after a word, a soft hyphen or
        # a zero-width space inside a long word, a bidi mark or a stray BOM before a word
        if kind == "control":
            junk, where = rng.choice([("\x1b[31m", "after"), ("\x1b[0m", "after"), ("\x07", "after"),
                                      ("\x08", "after"), ("\x7f", "after"), ("\x1b[1;32m", "before")])
        else:
            junk, where = rng.choice([("\u00ad", "inside"), ("\u00ad", "inside"), ("\u200b", "inside"),
                                      ("\u200b", "after"), ("\u200e", "before"), ("\ufeff", "before")])
        words = [m for m in re.finditer(r"[A-Za-z]{8,}", t) if doc.free(m.start(), m.end())]
        if not words:
            return False
        m = rng.choice(words)
        a = {"after": m.end(), "before": m.start(), "inside": m.start() + len(m.group()) // 2}[where]
        doc.edit(a, a, junk, [(0, len(junk), "encoding", "encoding/" + kind, None)])
        return True
    if kind in ("cyr_as_cp1252", "cyr_as_cp1251", "latin_as_cp1252"):
        w = rng.choice(MOJIBAKE_LATIN if kind.startswith("latin") else MOJIBAKE_CYR)
        bad = mojibake(w, "cp1251" if kind == "cyr_as_cp1251" else "cp1252")
        s = rng.choice(MOJIBAKE_TEMPLATES).format(w=bad)
        i = s.index(bad)
        # the run of damaged characters only (unchanged ASCII at the edges is not mojibake)
        lo = next(k for k in range(len(bad)) if not bad[k].isascii())
        hi = max(k for k in range(len(bad)) if not bad[k].isascii()) + 1
        extra = {"accept": ["cyrillic"]} if kind == "cyr_as_cp1251" else None
        return _insert_sentence(doc, rng, s, [(i + lo, i + hi, "encoding", "encoding/" + kind, extra)])
    if kind == "nbsp_as_cp1252":
        spots = [m.start(1) for m in re.finditer(r"\d( )(?:percent|million|billion|people|km|years)\b", t) if doc.free(m.start(1), m.end(1))]
        if not spots:
            return False
        a = rng.choice(spots)
        bad = mojibake("\u00a0", "cp1252")
        doc.edit(a, a + 1, bad, [(0, len(bad), "encoding", "encoding/nbsp_as_cp1252", None)])
        return True
    # punctuation: an apostrophe, a quotation or a dash written as curly/long then misread
    spots = []
    for m in re.finditer(r"[a-z](')(?:s|t|re|ll|ve|d)\b", t):
        spots.append((m.start(1), m.end(1), "’"))
    for m in re.finditer(r" (-|--) ", t):
        spots.append((m.start(1), m.end(1), rng.choice("—–")))
    spots = [s for s in spots if doc.free(s[0], s[1])]
    if not spots:
        return False
    a, b, ch = rng.choice(spots)
    bad = mojibake(ch, "cp1252")
    if kind == "double":
        bad = mojibake(bad, "cp1252")
    doc.edit(a, b, bad, [(0, len(bad), "encoding", "encoding/" + ("double_cp1252" if kind == "double" else "punct_as_cp1252"), None)])
    return True


INJECTORS = {
    "entity": inj_entity, "quote": inj_quote, "cyrillic": inj_cyrillic, "boilerplate": inj_boilerplate,
    "calque": inj_calque, "typography": inj_typography, "transliteration": inj_transliteration,
    "duplicate": inj_duplicate, "encoding": inj_encoding,
}

# --------------------------------------------------------------------------


def load_docs(path: Path | str = DEFAULT_DOCS) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise SystemExit(f"error: {path}: no such file (the clean corpus; pass --docs)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def article_text(doc: dict, sep: str = "\n\n") -> str:
    paras = [p.strip() for p in doc["text"].split("\n") if p.strip()]
    return doc["title"].strip() + "\n\n" + sep.join(paras)


def split_ids(docs: list[dict], seed: int) -> list[int]:
    """A seeded permutation of the corpus; corrupted articles come from its front, clean from its back."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    return order


def corrupt_article(doc: dict, rng: random.Random, categories: list[str]) -> dict:
    original = article_text(doc, rng.choice(["\n\n", "\n"]))
    d = Doc(original)
    applied = []
    for cat in categories:
        for _attempt in range(8):
            if INJECTORS[cat](d, rng):
                applied.append(cat)
                break
    gold = []
    for g in sorted(d.gold, key=lambda g: (g["start"], g["end"], g["category"])):
        g = dict(g)
        g["text"] = d.text[g["start"]:g["end"]]
        gold.append(g)
    return {"id": doc["id"], "text": d.text, "gold": gold, "injected": applied, "original": original}


def generate(docs: list[dict], n: int, seed: int, per_article: tuple[int, int] = (2, 4)) -> list[dict]:
    """n corrupted articles; categories are dealt round-robin so each gets an equal share."""
    rng = random.Random(seed)
    order = split_ids(docs, seed)
    deck: list[str] = []
    out = []
    for idx in order[:n]:
        k = rng.randint(*per_article)
        cats = []
        while len(cats) < k:
            if not deck:
                deck = list(CATEGORIES)
                rng.shuffle(deck)
            c = deck.pop()
            if c not in cats:
                cats.append(c)
            else:
                deck.insert(0, c)
        out.append(corrupt_article(docs[idx], rng, cats))
    return out


def clean_split(docs: list[dict], n: int, seed: int, exclude: int = 0) -> list[dict]:
    """n untouched articles, disjoint from the first `exclude` of the permutation."""
    order = split_ids(docs, seed)
    pool = order[exclude:]
    pool = pool[-n:] if n else pool
    return [{"id": docs[i]["id"], "text": article_text(docs[i]), "gold": []} for i in pool]


def write_jsonl(path: str, rows: list[dict]) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default=str(DEFAULT_DOCS))
    ap.add_argument("--n", type=int, default=300, help="corrupted articles")
    ap.add_argument("--clean", type=int, default=500, help="clean articles (0 = all the rest)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="corrupted JSONL")
    ap.add_argument("--clean-out", help="clean JSONL")
    args = ap.parse_args(argv)
    docs = load_docs(args.docs)
    rows = generate(docs, args.n, args.seed)
    write_jsonl(args.out, rows)
    counts: dict[str, int] = {}
    for r in rows:
        for g in r["gold"]:
            if not g.get("original"):
                counts[g["category"]] = counts.get(g["category"], 0) + 1
    print(f"{len(rows)} corrupted articles -> {args.out}; gold spans: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.clean_out:
        clean = clean_split(docs, args.clean, args.seed, exclude=args.n)
        write_jsonl(args.clean_out, clean)
        print(f"{len(clean)} clean articles -> {args.clean_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
