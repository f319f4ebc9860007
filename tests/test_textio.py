"""Decoding: UTF-8 first, BOMs, detected Cyrillic code pages, refusals."""

import codecs

import pytest

from auditor.textio import InputError, decode, read_bytes

ARTICLE = (
    "Lavrov met Blinken in Geneva\n\n"
    "Russian Foreign Minister Sergey Lavrov said on Friday that the talks were “useful”. "
    "Источник: РИА Новости. Москва ждёт ответа на предложения по безопасности.\n"
)


def test_utf8_plain():
    d = decode(ARTICLE.encode("utf-8"))
    assert d.text == ARTICLE and d.encoding == "utf-8" and not d.bom and not d.detected


def test_utf8_bom_is_stripped_and_reported():
    d = decode(codecs.BOM_UTF8 + ARTICLE.encode("utf-8"))
    assert d.text == ARTICLE and d.bom


def test_utf16_with_bom():
    d = decode(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    assert d.text == ARTICLE and d.encoding == "utf-16-le"


@pytest.mark.parametrize("enc", ["cp1251", "koi8_r"])
def test_cyrillic_code_pages_detected(enc):
    text = ARTICLE.replace("“", '"').replace("”", '"').replace("ё", "е")
    d = decode(text.encode(enc))
    assert d.detected
    assert d.text == text, d.encoding


def test_cp1252_detected():
    text = "Café owners in Zürich said the naïve plan “won’t work”. Prices rose 5 % in 2021."
    d = decode(text.encode("cp1252"))
    assert d.text == text and d.detected


def test_binary_refused():
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_read_bytes_refusals(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_bytes(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="directory"):
        read_bytes(str(tmp_path))
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="too large"):
        read_bytes(str(big), max_bytes=1000)
