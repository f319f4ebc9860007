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
