"""HTML report and feed dashboard: structure, escaping, overlaps, size (no browser)."""

from __future__ import annotations

import html as htmlmod
import io
import json
import os
import re

import pytest
from markupsafe import escape

from auditor.article import build_article
from auditor.findings import Finding
from auditor.fixes import apply_fixes
from auditor.report import get_renderer
from auditor.report.html import _segments, _F, build_page, page_filename, render_page, safe_url, write_batch_html
from auditor.report.model import Report, SentenceReport

SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")

XSS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '" onmouseover="window.__pwned=1" x="',
    "' autofocus onfocus='window.__pwned=1' '",
    "javascript:window.__pwned=1",
    "</textarea></style></title><svg onload=window.__pwned=1>",
]


def parse_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag and its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    out = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append((tag, attrs))

        handle_startendtag = handle_starttag

    P(convert_charrefs=True).feed(html)
    return out


def make_report(text: str, spans=(), *, doc=(), fluency=True, source="article.txt", meta=None, title=None) -> Report:
    """A Report with the given synthetic findings.

    spans: (substring, category, severity, code, suggestion, fix[, occurrence]);
    the finding is attached to the sentence containing it, else to the document.
    """
    art = build_article(text, source=source, title=title, meta=meta)
    per = [[] for _ in art.sentences]
    document = list(doc)
    for spec in spans:
        sub, cat, sev, code, sug, fix = spec[:6]
        occ = spec[6] if len(spec) > 6 else 0
        i = -1
        for _ in range(occ + 1):
            i = text.index(sub, i + 1)
        f = Finding(code=code, category=cat, severity=sev, start=i, end=i + len(sub),
                    message=f"{cat} problem: {sub[:20]}", suggestion=sug, fix=fix, name=f"{cat}-rule")
        s = art.sentence_for_span(f.start, f.end)
        (per[s.index] if s else document).append(f)
    sentences = [
        SentenceReport(index=s.index, start=s.start, end=s.end, text=s.text, findings=per[s.index],
                       cleaned=apply_fixes(text, per[s.index], s.start, s.end).strip(),
                       fluency={"score": -2.5 - s.index / 10, "percentile": (s.index * 37) % 100} if fluency else None,
                       is_headline=s.is_headline)
        for s in art.sentences
    ]
    return Report(source=source, title=art.title, date="2021-12-01", sentences=sentences,
                  document_findings=document, cleaned_text=text, meta=dict(meta or {}))


SAMPLE = (
    "Visas: progress reported\n\n"
    "The United States and Russia have made progress, writes TASS, citing an official. "
    "He said that & mdash; there is a chance '' to agree.\n\n"
    "Источник The material is being updated."
)
SAMPLE_SPANS = [
    ("writes TASS", "calque", "warning", "CAL001", "TASS reported", "unsafe"),
    ("& mdash;", "entity", "error", "ENT001", "—", "safe"),
    ("''", "quote", "error", "QUO001", "", "safe"),
    ("Источник", "cyrillic", "error", "CYR001", "Source", "unsafe"),
    ("The material is being updated.", "boilerplate", "error", "BOI002", "", "safe"),
]


def sample_report(**kw) -> Report:
    return make_report(SAMPLE, SAMPLE_SPANS, doc=[Finding(code="ORD001", category="order", severity="warning",
                                                          start=None, end=None, message="sentences 1 and 2 swapped")], **kw)


def render_str(report, **opts) -> str:
    buf = io.StringIO()
    get_renderer("html")(report, buf, **opts)
    return buf.getvalue()


def marks(html: str) -> list[tuple[str, str]]:
    """(data-f, text) of every highlighted segment."""
    return [(m.group(1), htmlmod.unescape(m.group(2)))
            for m in re.finditer(r'<mark class="seg [^"]*" data-f="([^"]*)"[^>]*>(.*?)</mark>', html, re.S)]


def test_html_format_is_registered_and_renders_every_finding():
    html = render_str(sample_report())
    assert html.startswith("<!doctype html>")
    got = {t for _, t in marks(html)}
    for sub, *_ in SAMPLE_SPANS:
        assert sub in got
    for code in ("CAL001", "ENT001", "QUO001", "CYR001", "BOI002", "ORD001"):
        assert code in html
    assert 'id="docf"' in html and "sentences 1 and 2 swapped" in html  # article-level box


def test_controls_and_invisible_characters_are_shown_not_passed_through():
    from auditor.pipeline import audit_text

    text = "Title\x1b]0;x\x07 here\n\nThe \x1b[31mministry\x1b[0m said \u202eno\u202c on Monday. Lav\u00adrov left.\n"
    html = render_str(audit_text(text, source="ctrl.txt"))
    assert not any(c in html for c in "\x1b\x07\u202e\u202c\u00ad")
    got = {t for _, t in marks(html)}
    assert "␛[31m" in got and "▯" in got  # the flagged spans, made visible, keep their offsets
    assert "Lav▯rov" in html


def test_no_article_level_box_without_document_findings():
    html = render_str(make_report(SAMPLE, SAMPLE_SPANS[:1]))
    assert 'id="docf"' not in html


def test_page_is_self_contained_no_external_resources():
    html = render_str(sample_report())
    assert not re.search(r'\b(src|href)="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html
    assert "default-src 'none'" in html  # CSP forbids any fetch


def test_report_object_and_its_json_render_the_same_page():
    r = sample_report()
    d = json.loads(json.dumps(r.to_dict()))
    strip = lambda h: re.sub(r'nonce[-=]"?[A-Za-z0-9_-]+"?', "nonce", h)  # noqa: E731
    assert strip(render_page(r)) == strip(render_page(d))


def test_fluency_bar_present_only_when_scored():
    with_lm = render_str(sample_report())
    without = render_str(sample_report(fluency=False))
    assert with_lm.count('class="flu') == len(sample_report().sentences)
    assert 'class="flu' not in without
    assert "Fluency not scored" in without


def test_cleaned_view_marks_changes():
    html = render_str(sample_report())
    assert "<del>&amp; mdash;</del>" in html and "<ins>—</ins>" in html
    assert "(sentence removed)" not in html or "<del>The material is being updated.</del>" in html


def test_overlapping_and_nested_spans_split_at_every_boundary():
    text = "abcdefghij"
    fs = [_F(0, {"code": "A", "category": "calque", "severity": "info", "start": 0, "end": 6, "message": ""}, 0, False),
          _F(1, {"code": "B", "category": "quote", "severity": "error", "start": 3, "end": 9, "message": ""}, 0, False),
          _F(2, {"code": "C", "category": "entity", "severity": "warning", "start": 4, "end": 5, "message": ""}, 0, False),
          _F(3, {"code": "D", "category": "typography", "severity": "info", "start": 7, "end": 7, "message": ""}, 0, False)]
    segs = _segments(text, 0, fs)
    runs = [("^" if g["marker"] else g["text"], g["ids"]) for g in segs]
    assert runs == [("abc", [0]), ("d", [0, 1]), ("e", [0, 1, 2]), ("f", [0, 1]), ("g", [1]),
                    ("^", [3]), ("hi", [1]), ("j", [])]
    assert "".join(g["text"] for g in segs if not g["marker"]) == text
    # the worst severity colours a shared run; overlaps are marked
    assert "c-quote" in segs[1]["cls"] and "multi" in segs[1]["cls"]


def test_overlapping_findings_in_a_real_page_reassemble_the_sentence():
    text = "Headline\n\nThe head of state said that & mdash; is here."
    r = make_report(text, [("The head of state said", "calque", "info", "CAL010", "The president said", "unsafe"),
                           ("state said", "official", "warning", "OFF001", None, None),
                           ("said that & mdash;", "typography", "info", "TYP001", None, None),
                           ("& mdash;", "entity", "error", "ENT001", "—", "safe")])
    html = render_str(r)
    body = html[html.index('id="s1"'):]
    row = body[:body.index("</div>\n", body.index('class="tx"'))]
    visible = htmlmod.unescape(re.sub(r"<[^>]+>", "", row[row.index('class="tx"') + 11:]))
    assert visible == r.sentences[1].text
    ids = [set(f.split()) for f, _ in marks(row)]
    assert max(len(s) for s in ids) == 3  # "said" lies under three findings
    assert [t for f, t in marks(row) if len(f.split()) == 3] == ["said"]


def test_cross_sentence_span_is_article_level_and_highlighted_in_both():
    text = "Title\n\nFirst sentence here. Second sentence there."
    i = text.index("here. Second")
    f = Finding(code="DUP001", category="duplicate", severity="warning", start=i, end=i + len("here. Second"),
                message="spans two sentences")
    r = make_report(text, doc=[f])
    html = render_str(r)
    assert 'id="docf"' in html
    texts = [t for _, t in marks(html)]
    assert "here." in texts and "Second" in texts


def test_zero_width_finding_renders_a_marker():
    text = "Title\n\nA sentence without end"
    r = make_report(text)
    r.sentences[1].findings.append(Finding(code="TYP009", category="typography", severity="info",
                                           start=len(text), end=len(text), message="missing full stop",
                                           suggestion=".", fix="safe"))
    html = render_str(r)
    assert 'class="seg zw c-typography' in html


@pytest.mark.parametrize("payload", XSS)
def test_untrusted_strings_are_escaped_everywhere(payload):
    text = f"{payload}\n\nBody {payload} text. Second {payload} one."
    r = make_report(text, [(payload, "quote", "error", payload, payload, "unsafe", 1)],
                    meta={"id": payload, "url": payload, "source_name": payload}, source=payload)
    r.document_findings.append(Finding(code=payload, category="order", severity="info", start=None, end=None,
                                       message=payload, suggestion=payload))
    html = render_str(r)
    tags = parse_tags(html)
    assert [t for t, _ in tags if t == "script"] == ["script"]  # only our own
    assert not [t for t, _ in tags if t in ("img", "svg", "iframe", "object", "embed", "textarea")]
    assert not [(t, k) for t, attrs in tags for k, _ in attrs if k.startswith("on") or k == "autofocus"]
    assert not [v for _, attrs in tags for k, v in attrs if k in ("href", "src") and "javascript" in (v or "").lower()]
    assert html.count(str(escape(payload))) >= 5  # shown as text: title, text, id, source, message...


def test_category_and_severity_are_whitelisted_before_becoming_class_names():
    d = sample_report().to_dict()
    d["sentences"][1]["findings"][0]["category"] = 'x" onclick="alert(1)'
    d["sentences"][1]["findings"][0]["severity"] = "<b>"
    html = render_page(d)
    assert 'onclick="alert' not in html
    assert "c-other" in html


@pytest.mark.parametrize("url,ok", [
    ("https://example.com/a?b=1", True), ("http://x.ru/", True),
    ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("data:text/html,<script>", False),
    ("//evil.example/x", False), ("java\nscript:alert(1)", False), (None, False), (42, False),
])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) == ok


def test_malformed_report_dict_does_not_crash():
    page = build_page({"title": 3, "sentences": [{"text": "Hi.", "start": "x", "findings": [
        {"category": "nope", "severity": None, "start": 5, "end": 1, "message": None}, "junk"]}, "junk"],
        "document_findings": None})
    assert page["findings"][0].category == "other" and page["findings"][0].start is None
    render_page({"sentences": []})


def test_two_thousand_word_article_page_is_under_300_kb():
    with open(os.path.join(SEEDS, "000_ad98f480298dccfc.txt"), encoding="utf-8") as fh:
        seed = fh.read()
    head, body = seed.split("\n\n", 1)
    text = head + "\n\n" + "\n\n".join([body] * 5)
    words = len(text.split())
    assert 2000 <= words <= 2400
    spans = []
    for occ in range(5):  # a dense report: several findings in most sentences
        spans += [("writes TASS", "calque", "warning", "CAL001", "TASS reported", "unsafe", occ),
                  ("''", "quote", "error", "QUO001", "", "safe", 2 * occ),
                  ("Источник", "cyrillic", "error", "CYR001", "Source", "unsafe", occ),
                  ("Subscribe to YouTube RBC Live broadcasts", "boilerplate", "error", "BOI001", "", "safe", occ)]
    r = make_report(text, spans)
    art = build_article(text)
    for s in r.sentences:  # plus one warning on every sentence
        words_in = re.search(r"\w+", s.text)
        if words_in:
            a = s.start + words_in.start()
            s.findings.append(Finding(code="FLU001", category="fluency", severity="warning", start=a,
                                      end=a + len(words_in.group()), message="unlikely wording here"))
    assert len(art.sentences) > 100
    size = len(render_page(r).encode("utf-8"))
    assert size <= 300_000, size


def test_page_filename_is_safe_and_unique():
    assert page_filename(7, {"id": "../../etc/passwd"}) == "000007-etc-passwd.html"
    assert page_filename(8, {"id": "<script>"}) == "000008-script.html"
    assert page_filename(9, {"id": ""}) == "000009.html"
    assert page_filename(10, {"source": "/a/b/seed.txt"}) == "000010-seed.html"


def test_write_batch_html(tmp_path):
    jsonl = tmp_path / "reports.jsonl"
    reports = [sample_report(meta={"id": "a1", "source_name": "tass.ru", "url": "https://tass.ru/1"}).to_dict(),
               make_report("Clean title\n\nA clean sentence.", meta={"id": "../x", "source_name": "rbc.ru"}).to_dict(),
               sample_report(fluency=False, meta={"id": "a1", "source_name": "tass.ru"}).to_dict()]
    with open(jsonl, "w", encoding="utf-8") as fh:
        for d in reports:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        fh.write('{"id": "bad", "error": "line 4: malformed JSON"}\n')
        fh.write("{not json\n")
    out = tmp_path / "site"
    index = write_batch_html(str(jsonl), {"articles": 5, "verdicts": {"fail": 2}, "elapsed_s": 1.25}, str(out))
    assert index == os.path.join(str(out), "index.html")
    dash = open(index, encoding="utf-8").read()
    table = json.loads(re.search(r'<script type="application/json" id="rows">(.*?)</script>', dash, re.S).group(1))
    assert len(table) == 5
    hrefs = [row[2] for row in table if row[2]]
    assert len(hrefs) == 3 and len(set(hrefs)) == 3  # duplicate ids still get their own page
    for h in hrefs:
        assert os.path.isfile(os.path.join(str(out), h))
    assert sorted(os.listdir(out / "articles")) == sorted(h.split("/")[1] for h in hrefs)
    assert 'id="n-fail">2<' in dash and 'id="n-pass">1<' in dash and 'id="n-error">2<' in dash
    assert "malformed JSON" in dash and "tass.ru" in dash and "rbc.ru" in dash
    assert "<svg" in dash and 'id="arts"' in dash
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    page = open(os.path.join(str(out), hrefs[0]), encoding="utf-8").read()
    assert 'href="../index.html"' in page


def test_dashboard_tolerates_empty_feed_and_odd_summary(tmp_path):
    jsonl = tmp_path / "empty.jsonl"
    jsonl.write_text("")
    index = write_batch_html(str(jsonl), None, str(tmp_path / "o"))
    assert 'id="n-articles">0<' in open(index, encoding="utf-8").read()


def test_cli_writes_html_report(tmp_path):
    from auditor.cli import main

    out = tmp_path / "report.html"
    rc = main(["--no-lm", "--format", "html", "-o", str(out), os.path.join(SEEDS, "000_ad98f480298dccfc.txt")])
    assert rc in (0, 1)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "State Department" in html


def test_dashboard_aggregates_verdicts_categories_sources_and_fluency():
    from auditor.report.html import _row, build_dashboard

    a = sample_report(meta={"id": "a", "source_name": "tass.ru"}).to_dict()
    b = make_report("Clean\n\nNothing here.", fluency=False, meta={"id": "b", "source_name": "rbc.ru"}).to_dict()
    rows = [_row(1, a, "articles/1.html"), _row(2, b, "articles/2.html"), _row(3, {"id": "c", "error": "bad"}, None)]
    dash = build_dashboard(rows, {"articles": 3, "nested": {"ignored": 1}})
    assert dash["verdicts"] == {"fail": 1, "review": 0, "pass": 1, "error": 1}
    assert [b["label"] for b in dash["cat_chart"]["bars"]] == ["entity", "quote", "cyrillic", "boilerplate", "order", "calque"]
    assert {r["full"]: r["n"] for r in dash["heat"]["rows"]} == {"tass.ru": 1, "rbc.ru": 1}
    assert dash["sentences_scored"] == len(a["sentences"]) and dash["has_fluency"]
    assert sum(b["n"] for b in dash["hist"]["bars"]) == len(a["sentences"])
    assert dash["run_facts"] == [("articles", "3")]
    assert dash["table"][0][17] == 10 * 4 + 3 * 2  # batch's score: 4 errors, 2 warnings (calque, order)


def test_line_break_suggestion_is_named_not_left_invisible():
    from auditor.pipeline import audit_text

    report = audit_text("Head\n\nThe minister said.</p><p>He left.")
    html = render_str(report)
    assert "<em>line break</em>" in html and "ENT004" in html
