"""Invariants on arbitrary Unicode: valid offsets, idempotent fixes, no crash."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.pipeline import audit_text, fix_text

# Text built from the alphabet of the artifacts, so the rules actually fire.
PIECES = st.sampled_from(
    ["The", " ", "  ", "\n", "\n\n", ".", ",", " ,", "''", "“", "”", " “ ", "«", "»", "&", "& mdash;",
     "&amp;quot;", "&#8212;", "Источник", "Москва", "ÐœÐ¾ÑÐºÐ²Ð°", "â€œ", "said the interlocutor of the agency",
     "The material is being updated.", "Subscribe to our channel", "1,5 million", "№", " - ", "Sergei", "Sergey",
     "Lavrov", "U.S.", "\u00a0", "\ufffd", "\t", "’", '"', "-", "Zakharova", "Zakharowa",
     "5", " mln", "mln.", " thous.", " rub.", "rub", "12.05.2021", "in 2021 year", "In connection with this,",
     "the representative of the Department of State", "of the U.S.", " XXI century", "XIX-XX centuries", "80 000",
     "Kiev", "chicken Kiev"]
)
ARTICLES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ARTICLES)
def test_offsets_valid_on_arbitrary_text(text):
    d = audit_text(text).to_dict()
    for s in d["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
        for f in s["findings"]:
            assert 0 <= f["start"] <= f["end"] <= len(text)
            assert not text[f["start"] : s["start"]].strip() and not text[s["end"] : f["end"]].strip()
    for f in d["document_findings"]:
        if f["start"] is not None:
            assert 0 <= f["start"] <= f["end"] <= len(text)


@SETTINGS
@given(ARTICLES)
def test_fix_is_idempotent(text):
    once = fix_text(text)
    assert fix_text(once) == once


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_cli_never_crashes_on_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("cli") / "in.txt"
    path.write_bytes(data)
    assert main(["--no-lm", "--format", "json", str(path)]) in (0, 1, 2)
