"""transliteration rule (TRL001): one name spelt two ways in one article."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.article import build_article
from auditor.config import Config
from auditor.detectors.registry import get_rule
from auditor.detectors.transliteration import name_key


def run(text, config=None):
    return get_rule("TRL001").run(build_article(text), config or Config())


def flagged(text, config=None):
    return [(text[f.start : f.end], f.suggestion, f.fix) for f in run(text, config)]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Sergei", "Sergey"), ("Zakharova", "Zakharowa"), ("Zelensky", "Zelenskyy"), ("Zelensky", "Zelenskiy"),
        ("Yuri", "Yury"), ("Dmitry", "Dmitri"), ("Dmitry", "Dmitriy"), ("Sergeyev", "Sergeev"),
        ("Lavrentiev", "Lavrentyev"), ("Khodorkovsky", "Hodorkovsky"), ("Alexei", "Aleksei"),
        ("Aleksandr", "Alexander"), ("Yevgeny", "Evgeny"), ("Pyotr", "Petr"), ("Kiev", "Kyiv"),
        ("Dzhabarov", "Jabarov"), ("Wekselberg", "Vekselberg"), ("Abramovitch", "Abramovich"),
        ("Prigojine", "Prigozhin"), ("Gorbachov", "Gorbachev"), ("Lukashenka", "Lukashenko"),
    ],
)
def test_variant_keys_match(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("Jan", "Ian"), ("Wales", "Vales"), ("West", "Vest"), ("Zakharova", "Zakharov"), ("Tinkoff", "Tinkov")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_minority_spelling_flagged_with_majority_suggestion():
    text = "Maria Zakharova said this. Later Zakharowa added that. Zakharova also said it."
    assert flagged(text) == [("Zakharowa", "Zakharova", "unsafe")]


def test_surname_variants():
    text = "President Zelensky spoke. Zelenskyy said. Zelensky left."
    assert flagged(text) == [("Zelenskyy", "Zelensky", "unsafe")]


def test_first_name_variant_of_the_same_person():
    assert flagged("Sergei Lavrov spoke. Later Sergey Lavrov said.") == [("Sergey", "Sergei", "unsafe")]


def test_first_names_of_different_people_not_flagged():
    assert run("Sergei Lavrov met Sergey Shoigu. Lavrov said. Shoigu said.") == []
    assert run("Vladimir Putin called Volodymyr Zelensky.") == []


def test_accept_names_silences():
    text = "Zelensky spoke. Zelenskyy said. Zelensky left."
    assert run(text, Config(accept_names=["Zelenskyy"])) == []


def test_consistent_article_not_flagged():
    text = (
        "Russian Foreign Ministry spokeswoman Maria Zakharova said on Wednesday that Moscow regards "
        "Washington's actions as expulsion. Zakharova added that Sergei Lavrov would travel to Geneva. "
        "Lavrov met Antony Blinken in Stockholm."
    )
    assert run(text) == []


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = st.sampled_from(["Sergei", "Sergey", "Lavrov", "Shoigu", "Zelensky", "Zelenskyy", "Kiev", "Kyiv", " ", ". ", "\n", "said"])


@SETTINGS
@given(st.lists(st.one_of(NAMES, st.text(max_size=5)), max_size=30).map("".join))
def test_offsets_valid(text):
    for f in run(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] != f.suggestion


@SETTINGS
@given(st.text(max_size=200))
def test_no_crash_on_arbitrary_unicode(text):
    for f in run(text):
        assert 0 <= f.start <= f.end <= len(text)


# -- TRL002: Ukrainian places in Russian-based spellings ---------------------

def places(text, date=None, config=None):
    import datetime as dt

    article = build_article(text, date=dt.date.fromisoformat(date) if date else None)
    return [(text[f.start : f.end], f.suggestion, f.severity) for f in get_rule("TRL002").run(article, config or Config())]


def test_place_after_the_invasion_is_a_warning():
    text = "Strikes hit\n\nExplosions were heard in Kiev and Kharkov. Odessa and Nikolaev were hit too."
    assert places(text, "2023-03-01") == [
        ("Kiev", "Kyiv", "warning"), ("Kharkov", "Kharkiv", "warning"),
        ("Odessa", "Odesa", "warning"), ("Nikolaev", "Mykolaiv", "warning"),
    ]


def test_place_dates_decide():
    text = "Talks\n\nThe delegation flew to Kiev and then to Kharkov."
    assert places(text, "2020-05-01") == [("Kiev", "Kyiv", "info")]  # AP's Kyiv: 14 August 2019
    assert places(text, "2015-05-01") == []
    assert places(text) == [("Kiev", "Kyiv", "info"), ("Kharkov", "Kharkiv", "info")]  # undated
    assert places("Plant\n\nThe plant in Artyomovsk closed.", "2017-01-01") == [("Artyomovsk", "Bakhmut", "info")]


@pytest.mark.parametrize(
    "text",
    ["He ordered chicken Kiev.", "Dynamo Kiev won the match.", "She grew up in Odessa, Texas.",
     "Singer Igor Nikolaev performed.", "Kievan Rus was a medieval state.", "Officials in Kyiv and Kharkiv said so."],
)
def test_place_not_flagged(text):
    assert places("Head\n\n" + text, "2023-03-01") == []


def test_trl001_leaves_kiev_kyiv_to_trl002_once_it_applies():
    import datetime as dt

    text = "Talks\n\nKyiv said no. Officials in Kiev and Kiev region agreed."
    for day, expected in (("2023-03-01", []), ("2015-03-01", [("Kyiv", "Kiev", "unsafe")])):
        article = build_article(text, date=dt.date.fromisoformat(day))
        found = [(text[f.start : f.end], f.suggestion, f.fix) for f in get_rule("TRL001").run(article, Config())]
        assert found == expected
