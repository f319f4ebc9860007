"""The `official` detector (OFF001) and the KB-backed spelling checks (TRL101, TRL102)."""

import csv
import datetime as dt
import os

import pytest

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from tests.conftest import ROOT, SEEDS

D = dt.date


def findings(text, date=None, code="OFF001"):
    art = build_article(text, date=date)
    return get_rule(code).run(art, Config())


def flagged(text, date=None):
    return [text[f.start:f.end] for f in findings(text, date)]


def test_seed_ivanov_is_flagged_without_a_date():
    text = open(os.path.join(SEEDS, "000_ad98f480298dccfc.txt"), encoding="utf-8").read()
    fs = findings(text)
    assert len(fs) == 1
    f = fs[0]
    assert text[f.start:f.end] == "Yevgeny Ivanov" and f.category == "official"
    assert f.suggestion == "Sergey Lavrov"
    assert "never held" in f.message and "deputy foreign minister" in f.message


def test_seed_ivanov_with_the_date():
    text = "Earlier, the head of the Russian Foreign Ministry, Yevgeny Ivanov, said that consultations are not easy."
    (f,) = findings(text, D(2021, 12, 1))
    assert f.message.startswith("On 2021-12-01 Russia's foreign minister was Sergey Lavrov (since 2004-03-09)")
    assert "Yevgeny Ivanov held no such office" in f.message and f.suggestion == "Sergey Lavrov"


def test_seed_001_has_no_official_findings():
    text = open(os.path.join(SEEDS, "001_326390cf8e72ab50.txt"), encoding="utf-8").read()
    assert findings(text) == []
    assert findings(text, D(2021, 12, 2)) == []  # Ned Price was the spokesman then


@pytest.mark.parametrize("text,date", [
    ("Foreign Minister Sergei Shoigu said the talks failed.", D(2021, 12, 1)),  # someone from another office
    ("Defence Minister Sergei Shoigu inspected the troops.", D(2010, 12, 1)),  # same office, another period
    ("Russian Prime Minister John Smithers spoke.", D(2021, 12, 1)),  # an invented name
    ("Sergey Lavrov, Russia's defence minister, said so.", D(2021, 12, 1)),  # apposition after the name
    ("Kremlin spokesman Maria Zakharova told reporters.", D(2018, 1, 10)),
    ("U.S. Secretary of State Mike Pompeo met reporters.", D(2021, 12, 1)),
    ("Ukrainian President Volodymyr Zelensky spoke.", D(2018, 1, 10)),
    ("NATO Secretary General Anders Fogh Rasmussen spoke.", D(2020, 1, 10)),
    ("Foreign Minister Shoigu spoke. Sergei Shoigu was there.", None),  # surname resolved; never a foreign minister
    ("Russian Foreign Minister Ivan Petrovich said.", None),
    ("Former Foreign Minister Sergei Shoigu said.", D(2021, 12, 1)),  # "former" needs a past term
    # offices added in the twenty-second session
    ("The head of the Russian Interior Ministry, Rashid Nurgaliyev, said the case was closed.", D(2021, 6, 1)),
    ("FSB Director Nikolai Patrushev said the plot was foiled.", D(2021, 6, 1)),
    ("The head of Chechnya, Akhmat Kadyrov, said so.", D(2021, 6, 1)),
    ("Prosecutor General Igor Krasnov said so.", D(2019, 6, 1)),
    ("SVR director Sergei Lebedev said so.", D(2021, 6, 1)),
    ("Chief of the General Staff Nikolai Makarov inspected the troops.", D(2021, 6, 1)),
])
def test_misattributions_are_flagged(text, date):
    assert flagged(text, date), text


@pytest.mark.parametrize("text,date", [
    ("Foreign Minister Sergei Lavrov said the talks failed.", D(2021, 12, 1)),
    ("Defence Minister Sergei Shoigu inspected the troops.", D(2015, 12, 1)),
    ("former Foreign Minister Igor Ivanov said it.", D(2021, 12, 1)),
    ("then-Foreign Minister Igor Ivanov said it.", D(2021, 12, 1)),
    ("acting Defense Secretary Patrick Shanahan said.", D(2019, 3, 1)),
    ("Deputy Foreign Minister Sergei Ryabkov said.", D(2021, 1, 10)),
    ("Iranian Foreign Minister Javad Zarif spoke.", D(2021, 12, 1)),  # unknown office
    ("Foreign Minister Javad Zarif spoke.", D(2021, 12, 1)),  # unknown person, country not stated
    ("Russian Minister Counselor Sergei Koshelev said.", D(2021, 12, 1)),
    ("Chancellor Rishi Sunak announced the budget.", D(2021, 1, 10)),  # the UK's chancellor
    ("Professor Etzioni was an adviser to President Carter's White House.", None),  # a bare surname
    ("In 2003, Foreign Minister Igor Ivanov visited Washington.", D(2021, 1, 10)),  # another year
    ("When Barack Obama was president, Secretary of State Hillary Clinton visited Moscow.", D(2020, 1, 10)),  # a look back
    ("the Minister of Foreign Affairs of Russia Sergei Lavrov said.", D(2021, 1, 10)),
    ("European Commission President Ursula von der Leyen said.", D(2021, 1, 10)),
    ("President Vladimir Putin's spokesman Dmitry Peskov said.", D(2021, 1, 10)),
    ("Russian Ambassador Anatoly Antonov said.", D(2021, 12, 1)),
    ("Russian Foreign Minister Sergei Lavrov said.", None),
    ("Interior Minister Ihor Klymenko said the police were on alert.", D(2024, 6, 1)),  # Ukraine's, not in the KB
    ("German Interior Minister Nancy Faeser said.", D(2023, 6, 1)),
    ("Belarusian Interior Minister Ivan Kubrakov said.", D(2023, 6, 1)),
    ("Former FSB director Vladimir Putin said so.", D(2021, 6, 1)),
    ("Deputy Interior Minister Igor Zubov said so.", D(2021, 6, 1)),
    ("The late Emergencies Minister Yevgeny Zinichev was buried.", D(2021, 9, 12)),
    # the president's office and its head are not the president
    ("The head of the Office of the President of Ukraine Andrey Yermak called it a manifesto.", D(2021, 7, 13)),
    ("Andriy Yermak, head of the Office of the President, spoke.", D(2021, 7, 13)),
    ("The Presidential Administration of Russia head Anton Vaino said.", D(2021, 7, 13)),
])
def test_correct_or_unknown_mentions_are_silent(text, date):
    assert flagged(text, date) == [], text


def test_committed_correct_mentions_are_silent():
    """>= 60 correctly attributed mentions, 2000-2025: no finding on any."""
    import auditor.detectors.official as off

    path = os.path.join(ROOT, "tests", "data", "kb_correct_mentions.tsv")
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
    assert len(rows) >= 60
    years = {int(r["date"][:4]) for r in rows}
    assert min(years) <= 2001 and max(years) >= 2024
    for r in rows:
        art = build_article(r["sentence"], date=D.fromisoformat(r["date"]))
        assert off.find_mentions(art), r["sentence"]  # the mention is seen...
        assert get_rule("OFF001").run(art, Config()) == [], r["sentence"]  # ...and judged correct


def test_house_style_spelling():
    fs = findings("Russian Foreign Minister Sergei Lavrov said.", code="TRL101")
    assert [(f.suggestion, f.severity, f.category) for f in fs] == [("Sergey Lavrov", "info", "transliteration")]
    assert findings("Russian Foreign Minister Sergey Lavrov said.", code="TRL101") == []


def test_reuters_style_is_configurable():
    cfg = Config()
    cfg.name_style = "reuters"
    art = build_article("Russian Foreign Minister Sergey Lavrov said.")
    assert [f.suggestion for f in get_rule("TRL101").run(art, cfg)] == ["Sergei Lavrov"]


def test_garbled_official_name():
    (f,) = findings("Russian Foreign Ministry spokeswoman Maria Zakharowa said it.", code="TRL102")
    assert f.suggestion == "Maria Zakharova" and f.severity == "warning"
    assert findings("Russian Foreign Ministry spokeswoman Maria Zakharova said it.", code="TRL102") == []
    assert findings("Ukrainian President Volodymyr Zelenskiy said.", code="TRL102") == []  # a listed variant


def test_house_style_leaves_a_patronymic_variant_to_cal006():
    text = "Putin spoke\n\nRussian President Vladimir Vladimirovich Putin said on Monday that talks would continue."
    art = build_article(text, date=dt.date(2021, 6, 1))
    assert get_rule("TRL101").run(art, Config()) == []
    assert [f.suggestion for f in get_rule("CAL006").run(art, Config())] == ["Vladimir Putin"]


def test_a_name_cut_by_a_broken_entity_is_not_judged():
    # "& nbsp ;" between the given names and the surname: "Jose Manuel" alone
    # is not the whole name, so no office is claimed for it (ENT002 reports the entity).
    text = "Barroso urges Germany\n\nEuropean Commission President Jose Manuel & nbsp ; Barroso called on Germany to act."
    assert findings(text, dt.date(2008, 5, 12)) == []
    # the same name whole, but a wrong holder, is still an error
    wrong = "Barroso urges Germany\n\nEuropean Commission President Jacques Santer called on Germany to act."
    assert flagged(wrong, dt.date(2008, 5, 12))


def test_a_stray_quotation_mark_does_not_cut_a_qualifier_off():
    # "Vice» President": a misplaced guillemet between the qualifier and the role
    text = "Davos opens\n\nIt happened «a year ago when Vice» President Dick Cheney made a surprise appearance."
    assert findings(text, dt.date(2005, 1, 25)) == []
