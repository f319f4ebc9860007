"""BGN/PCGN 1947 transliteration of Russian (auditor.translit)."""

import pytest

from auditor.translit import SYSTEM, has_cyrillic, transliterate


def test_system_is_named():
    assert SYSTEM == "BGN/PCGN 1947"
    import auditor.translit as t

    assert "BGN/PCGN" in t.__doc__


@pytest.mark.parametrize(
    "ru, en",
    [
        ("Москва", "Moskva"),
        ("Захарова", "Zakharova"),
        ("Екатеринбург", "Yekaterinburg"),  # е initially -> ye
        ("Сергей Кошелев", "Sergey Koshelev"),  # е after a consonant -> e
        ("Шойгу", "Shoygu"),
        ("Щукин", "Shchukin"),
        ("Чайковский", "Chaykovskiy"),
        ("Юлия", "Yuliya"),
        ("Дарья", "Darya"),  # soft sign dropped in the plain form
        ("подъезд", "podyezd"),  # е after ъ is iotated
        ("Пётр Королёв", "Petr Korolev"),  # ё without diacritics after a consonant
        ("Ёлка", "Yelka"),  # ё initially
        ("Гусь-Хрустальный", "Gus-Khrustalnyy"),
        ("Цой", "Tsoy"),
        ("Эрмитаж", "Ermitazh"),
    ],
)
def test_plain(ru, en):
    assert transliterate(ru) == en


@pytest.mark.parametrize(
    "ru, en",
    [
        ("Щёлково", "Shchëlkovo"),
        ("Ёлка", "Yëlka"),
        ("Дарья", "Dar\u2019ya"),
        ("подъезд", "pod\u201dyezd"),
        ("Советская", "Sovet\u00b7skaya"),  # тс kept apart from ц
    ],
)
def test_strict(ru, en):
    assert transliterate(ru, strict=True) == en


def test_case_follows_source():
    assert transliterate("ЖКХ") == "ZHKKH"
    assert transliterate("Жуков") == "Zhukov"
    assert transliterate("МОСКВА") == "MOSKVA"


def test_non_cyrillic_passes_through():
    assert transliterate("Moscow, 2021 — «да»") == "Moscow, 2021 — «da»"
    assert transliterate("") == ""


def test_has_cyrillic():
    assert has_cyrillic("Источник In April")
    assert not has_cyrillic("Plain English “quotes”")
    assert not has_cyrillic("")
