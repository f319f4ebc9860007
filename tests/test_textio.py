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


# -- saved web pages ------------------------------------------------------------

PAGE = ("<!DOCTYPE html>\n<html><head><title>Talks - Site</title></head><body>"
        "<h1>Lavrov met Blinken</h1><p>The talks lasted two hours &mdash; longer than planned.</p>"
        "<p>Prices rose &amp;mdash; again.</p><script>var x = 1;</script></body></html>")


def test_a_saved_page_is_read_as_its_text_with_the_h1_as_headline():
    from auditor.textio import decode_article

    dec = decode_article(PAGE.encode(), "page.bin")
    assert dec.html
    # markup entities are characters; a double-escaped one is left as the artifact it is
    assert dec.text == ("Lavrov met Blinken\n\nThe talks lasted two hours — longer than planned.\n"
                        "Prices rose &mdash; again.")


def test_title_is_the_headline_when_there_is_no_h1():
    from auditor.textio import decode_article

    page = "<html><head><title>Oil prices fall</title></head><body><p>Brent fell 2%.</p></body></html>"
    assert decode_article(page.encode(), "p.htm").text == "Oil prices fall\n\nBrent fell 2%."


@pytest.mark.parametrize("text, name, expected", [
    ("<p>body</p>", "story.html", True),
    ("<P>body</P>", "STORY.HTM", True),
    ("  <!-- saved -->\n<!doctype html><p>x</p>", "-", True),
    ("<html lang=en><body>x</body></html>", "story", True),
    ("Headline\n\nA <b>bold</b> claim <p> in plain text.", "story.txt", False),
    ("<htmlish> is not a page", "story", False),
])
def test_what_counts_as_a_saved_page(text, name, expected):
    from auditor.textio import looks_like_html

    assert looks_like_html(text, name) is expected


def test_plain_text_with_markup_is_left_as_it_is():
    from auditor.textio import decode_article

    data = "Headline\n\nA <b>bold</b> claim.".encode()
    dec = decode_article(data, "story.txt")
    assert not dec.html and dec.text == data.decode()
