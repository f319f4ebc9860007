"""mtaudit compare: alignment, disagreement finding, reports, CLI."""

import json
import os
import subprocess
import sys

import pytest

from auditor.article import build_article
from auditor.compare import align as align_api
from auditor.compare import compare, corpus_scores, score_record
from auditor.compare.alignment import align, links
from auditor.compare.disagree import disagreements, extract

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "compare")
SEED_A = os.path.join(ROOT, "seeds", "000_ad98f480298dccfc.txt")
SEED_B = os.path.join(ROOT, "seeds", "001_326390cf8e72ab50.txt")


def _read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _article(name):
    path = os.path.join(DATA, name)
    return build_article(_read(path), source=path)


def _codes(report):
    return [f.code for f in report.all_findings()]


# ---------------------------------------------------------------- alignment

def test_alignment_f1_on_synthetic_split_merge_pairs():
    with open(os.path.join(DATA, "align_pairs.json"), encoding="utf-8") as fh:
        pairs = json.load(fh)["pairs"]
    tp = npred = ngold = 0
    for p in pairs:
        pred = links(align(p["a"], p["b"]))
        gold = links([(tuple(a), tuple(b)) for a, b in p["gold"]])
        tp += len(pred & gold)
        npred += len(pred)
        ngold += len(gold)
    precision, recall = tp / npred, tp / ngold
    assert 2 * precision * recall / (precision + recall) >= 0.95


def test_alignment_covers_every_sentence_once_in_order():
    a = ["The talks ended on Monday.", "Both sides agreed to meet again.", "No date was set."]
    b = ["The talks ended on Monday, and both sides agreed to meet again.", "A date was not set.", "Unrelated weather report follows here."]
    beads = align(a, b)
    assert [i for bead in beads for i in bead.a] == [0, 1, 2]
    assert [j for bead in beads for j in bead.b] == [0, 1, 2]
    assert beads[0].a == (0, 1) and beads[0].b == (0,)


def test_identical_texts_align_one_to_one():
    a = ["One sentence here.", "Another sentence there.", "A third one follows."]
    assert [(x.a, x.b) for x in align_api(a, list(a))] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_alignment_of_empty_sides():
    assert align([], []) == []
    assert [(x.a, x.b) for x in align(["Only here."], [])] == [((0,), ())]


def test_unrelated_sentences_stay_unmatched():
    beads = align(["The central bank raised interest rates by half a point."],
                  ["Heavy snow closed mountain roads across the region overnight."])
    assert all(not (x.a and x.b) for x in beads)


# ---------------------------------------------------------------- disagreements

def _kinds(a, b):
    return {d.kind for d in disagreements(a, b)}


def test_numbers_compared_by_value():
    assert "number" not in _kinds("It cost 1.5 million dollars.", "It cost 1,500,000 dollars.")
    assert "number" not in _kinds("Ten people came.", "10 people came.")
    d = [x for x in disagreements("55 diplomats left.", "50 diplomats left.") if x.kind == "number"][0]
    assert [i.text for i in d.only_a] == ["55"] and [i.text for i in d.only_b] == ["50"]


def test_dates():
    assert "date" in _kinds("He spoke on Wednesday.", "He spoke on Thursday.")
    assert "date" not in _kinds("He spoke in March.", "He spoke on March 16.")
    assert "date" not in _kinds("You may go.", "You can go.")  # "may" is a verb here


def test_names_tolerate_spelling_and_equivalents():
    assert "name" not in _kinds("Sergei Ryabkov spoke.", "Sergey Ryabkov spoke.")
    assert "name" not in _kinds("The U.S. agreed.", "The United States agreed.")
    assert "name" not in _kinds("The State Department said so.", "The Department of State said so.")
    assert "name" not in _kinds("Ned Price said so.", "Price said so.")
    assert "name" in _kinds("Minister Yevgeny Ivanov said so.", "Minister Sergei Lavrov said so.")


def test_negation():
    assert "negation" in _kinds("Moscow does not regard it as friendly.", "Moscow regards it as friendly.")
    assert "negation" not in _kinds("Moscow does not regard it as friendly.", "Moscow doesn't regard it as friendly.")
    assert "negation" not in _kinds("Moscow regards it as friendly.", "Moscow considers it friendly.")


def test_extract_offsets_are_exact():
    text = "On Wednesday, March 16, Sergei Koshelev said 55 diplomats would not stay."
    for item in extract(text):
        assert text[item.start:item.end] == item.text


# ---------------------------------------------------------------- compare

def test_reference_mode_flags_divergences_with_reference_suggestions():
    c = compare(_article("article.txt"), _article("reference.txt"), reference=True)
    by_code = {}
    for s in c.a.sentences:
        for f in s.findings:
            by_code.setdefault(f.code, []).append((s.index, f))
    assert by_code["DIV020"][0][1].suggestion == "50"
    assert by_code["DIV021"][0][1].suggestion == "Thursday"
    assert "DIV023" in by_code
    assert "DIV011" in by_code  # the subscribe line has no counterpart
    missing = [f for f in c.a.document_findings if f.code == "DIV012"]
    assert missing and "Geneva" in missing[0].suggestion
    assert "DIV022" not in by_code  # Sergei/Sergey is a spelling, not another person
    # the trusted reference gets no divergence findings
    assert not [f for f in c.b.all_findings() if f.category == "divergence"]
    assert c.related and c.exit_code("warning") == 1


def test_low_chrf_sentence_gets_reference_as_suggestion():
    a = build_article("Headline here\n\nThe interlocutor of the agency noted that a certain progress is observed in the negotiations.")
    b = build_article("Headline here\n\nA source told the agency that the negotiations were making some progress.")
    c = compare(a, b, reference=True, min_chrf=60)
    low = [f for f in c.a.all_findings() if f.code == "DIV010"]
    assert low and low[0].suggestion == b.sentences[1].text and low[0].fix == "unsafe"
    c2 = compare(a, a, reference=True)
    assert not [f for f in c2.a.all_findings() if f.category == "divergence"]


def test_peer_mode_reports_on_both_sides():
    c = compare(_article("article.txt"), _article("reference.txt"))
    for code in ("DIV020", "DIV021", "DIV023"):
        assert code in _codes(c.a) and code in _codes(c.b)
    assert "DIV011" not in _codes(c.a) and "DIV012" not in _codes(c.a)
    for report in (c.a, c.b):
        for s in report.sentences:
            for f in s.findings:
                if f.category == "divergence":
                    assert s.start <= f.start <= f.end <= s.end


def test_seed_articles_get_an_honest_low_similarity_report():
    a = build_article(_read(SEED_A), source=SEED_A)
    b = build_article(_read(SEED_B), source=SEED_B)
    c = compare(a, b)
    assert not c.related
    assert c.corpus["chrf"] < 20
    for report in (c.a, c.b):
        div = [f for f in report.all_findings() if f.category == "divergence"]
        assert [f.code for f in div] == ["DIV001"]


def test_compare_json_object():
    c = compare(_article("article.txt"), _article("reference.txt"), reference=True)
    d = json.loads(json.dumps(c.to_dict()))
    assert d["schema"] == "mtaudit.compare/1" and d["mode"] == "reference"
    assert d["a"]["schema"] == d["b"]["schema"] == "mtaudit.report/1"
    assert sorted(i for x in d["alignment"] for i in x["a"]) == list(range(len(d["a"]["sentences"])))
    assert sorted(j for x in d["alignment"] for j in x["b"]) == list(range(len(d["b"]["sentences"])))
    for x in d["alignment"]:
        assert set(x) >= {"a", "b", "chrf", "bleu", "ter"}
        assert (x["chrf"] is None) == (not x["a"] or not x["b"])
    assert set(d["corpus"]) >= {"chrf", "bleu", "ter"}
    assert "nrefs:1" in d["signatures"]["sentence"]["chrf"]
    assert d["a"]["summary"]["findings"]["divergence"] >= 4
    for s in d["a"]["sentences"]:
        for f in s["findings"]:
            assert f["category"] in d["a"]["summary"]["findings"]


def test_batch_api():
    art, ref = _read(os.path.join(DATA, "article.txt")), _read(os.path.join(DATA, "reference.txt"))
    one = score_record(art, ref)
    assert 50 < one["chrf"] < 100 and one["aligned"] >= 5 and "signatures" in one
    assert score_record(ref, ref)["chrf"] == 100.0
    both = corpus_scores([art, ref], [ref, ref])
    assert both["records"] == 2 and one["chrf"] < both["chrf"] < 100
    with pytest.raises(ValueError):
        corpus_scores([art], [])


# ---------------------------------------------------------------- CLI

def _mtaudit(*args):
    env = dict(os.environ, NO_COLOR="1", COLUMNS="160")
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_cli_compare_json_and_exit_codes():
    art, ref = os.path.join(DATA, "article.txt"), os.path.join(DATA, "reference.txt")
    r = _mtaudit("compare", art, ref, "--reference", "--format", "json", "--fail-on", "warning")
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["schema"] == "mtaudit.compare/1"
    r = _mtaudit("compare", ref, ref, "--reference", "--format", "json", "--fail-on", "warning")
    assert r.returncode == 0, r.stderr


def test_cli_compare_text_side_by_side():
    r = _mtaudit("compare", SEED_A, SEED_B)
    assert "chrF" in r.stdout and "DIV001" in r.stdout and "signature" not in r.stderr
    assert "nrefs:1" in r.stdout


def test_cli_compare_bad_input_is_one_line():
    r = _mtaudit("compare", os.path.join(DATA, "nope.txt"), SEED_B)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    r = _mtaudit("compare", SEED_A, SEED_B, "--format", "xml")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_rules_document_divergence_codes():
    r = _mtaudit("rules")
    for code in ("DIV001", "DIV010", "DIV011", "DIV012", "DIV020", "DIV021", "DIV022", "DIV023"):
        assert code in r.stdout
    r = _mtaudit("rules", "DIV023")
    assert "divergence" in r.stdout and "negat" in r.stdout


def test_html_page_is_self_contained_and_escaped(tmp_path):
    pytest.importorskip("jinja2")
    pytest.importorskip("auditor.report.html")
    from auditor.compare.html import render_page

    a = build_article("Talks <script>alert(1)</script> ended\n\nThe talks ended on Monday with 55 delegates.")
    b = build_article("Talks <script>alert(1)</script> ended\n\nThe talks ended on Tuesday with 55 delegates.")
    page = render_page(compare(a, b))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "DIV021" in page and "chrF" in page and "nrefs:1" in page
    out = tmp_path / "c.html"
    r = _mtaudit("compare", os.path.join(DATA, "article.txt"), os.path.join(DATA, "reference.txt"),
                 "--format", "html", "-o", str(out))
    assert r.returncode in (0, 1), r.stderr
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>") or "<!doctype html>" in out.read_text(encoding="utf-8")


def test_dates_conflict_only_on_the_same_component():
    assert "date" not in _kinds("In March 2022 the talks began.", "In 2022 the talks began.")
    assert "date" in _kinds("In March 2022 the talks began.", "In April 2022 the talks began.")
    assert "date" in _kinds("It happened in 1994.", "It happened in 1995.")


def test_surname_decides_a_name():
    assert "name" in _kinds("The report was written by Jane Marlowe.", "The report was written by Jane Tanaka.")
    assert "name" not in _kinds("The report was written by Jane Marlowe.", "The report was written by Marlowe.")


def test_neighbouring_sentence_explains_a_missing_item():
    a, b = "Price said 55 diplomats left.", "Price said diplomats left."
    assert "number" in _kinds(a, b)
    assert not [d for d in disagreements(a, b, "", "They were 55 in all.") if d.kind == "number"]
    # a neighbour's negation does not explain one away
    assert [d for d in disagreements("He did not go.", "He went.", "", "She did not stay.") if d.kind == "negation"]


def test_signatures_available_in_a_fresh_process():
    code = ("from auditor.compare import score_record; "
            "print(score_record('One sentence here.', 'One sentence there.')['signatures']['bleu'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "nrefs:1" in r.stdout
