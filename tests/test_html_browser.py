"""The HTML report in a real browser: headless Chromium (Debian's package)
driven by Playwright. Skipped, with the reason, when either is missing.
"""

from __future__ import annotations

import json
import os

import pytest

from auditor.findings import Finding
from auditor.pipeline import audit_text
from auditor.report.html import build_page, render_page, write_batch_html

CHROMIUM = os.environ.get("MTAUDIT_CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package (.ci/run does) to run browser tests",
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'")

from test_html import XSS, make_report, sample_report  # noqa: E402  (same tests/ directory)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = sorted(f for f in os.listdir(os.path.join(ROOT, "seeds")) if f.endswith(".txt"))


@pytest.fixture(scope="module")
def browser():
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    except Exception as exc:  # a broken Chromium install: say so instead of erroring every test
        pw.stop()
        pytest.skip(f"cannot start Chromium at {CHROMIUM}: {exc}")
    yield b
    b.close()
    pw.stop()


def _page(browser, bypass_csp: bool):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp)
    p = ctx.new_page()
    p.set_default_timeout(10_000)
    p.errors, p.requests, p.dialogs = [], [], []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    return ctx, p


@pytest.fixture
def page(browser):
    """The page as a reader gets it: our Content-Security-Policy enforced."""
    ctx, p = _page(browser, bypass_csp=False)
    yield p
    ctx.close()


@pytest.fixture
def page_nocsp(browser):
    """CSP switched off, so that escaping alone must keep attacks inert."""
    ctx, p = _page(browser, bypass_csp=True)
    yield p
    ctx.close()


def open_file(page, path):
    page.goto("file://" + str(path))
    page.wait_for_selector("html[data-ready='1']", state="attached")


def seed_report(name: str):
    """The seed's real report plus synthetic findings (overlapping, and a fix) so
    the page has something to show whatever the detectors find today."""
    with open(os.path.join(ROOT, "seeds", name), encoding="utf-8") as fh:
        text = fh.read()
    r = audit_text(text, source=f"seeds/{name}")
    s = next(s for s in r.sentences[1:] if len(s.text.split()) > 6)
    words = s.text.split()
    outer = s.text.index(" ".join(words[1:5]))
    inner = s.text.index(words[2], outer)
    s.findings.append(Finding(code="TST001", category="calque", severity="warning", start=s.start + outer,
                              end=s.start + outer + len(" ".join(words[1:5])), message="test: outer span",
                              suggestion="replacement words", fix="unsafe"))
    s.findings.append(Finding(code="TST002", category="typography", severity="error", start=s.start + inner,
                              end=s.start + inner + len(words[2]), message="test: inner span",
                              suggestion="", fix="safe"))
    s.cleaned = s.text.replace(" " + words[2], "", 1)
    for t in r.sentences:
        t.fluency = {"score": -3.0, "percentile": float((t.index * 41) % 100)}
    r.document_findings.append(Finding(code="ORD001", category="order", severity="warning", start=None, end=None,
                                       message="test: sentences out of order"))
    return r


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_report_highlights_popovers_and_cleaned_view(page, tmp_path, seed):
    report = seed_report(seed)
    path = tmp_path / "report.html"
    path.write_text(render_page(report), encoding="utf-8")
    built = build_page(report)
    open_file(page, path)

    # every finding with a span is highlighted, segments as built
    expected = sum(1 for s in built["sentences"] for g in s["segments"] if g["ids"] and not g["marker"])
    assert page.locator("mark.seg").count() == expected
    for f in built["findings"]:
        if f.start is not None and f.quoted:
            assert page.locator(f'.seg[data-f~="{f.id}"]').count() >= 1, f.code
    assert page.locator("#docf .fc").count() == len(built["doc_findings"]) >= 1
    assert "test: sentences out of order" in page.inner_text("#docf")
    assert page.locator(".flu").count() == len(report.sentences)

    # the overlap: the inner word lies under both synthetic findings
    overlap = page.locator("mark.seg").evaluate_all("els => els.filter(e => e.dataset.f.split(' ').length >= 2).length")
    assert overlap >= 1 and page.locator("mark.seg.multi").count() >= 1

    # click: popover pinned with code, message and suggestion; Escape closes it
    inner_id = next(f.id for f in built["findings"] if f.code == "TST002")
    tst = page.locator(f'mark.seg[data-f~="{inner_id}"]').first
    tst.click()
    pop = page.locator("#pop")
    assert pop.is_visible()
    text = pop.inner_text()
    assert "TST001" in text and "TST002" in text and "test: inner span" in text and "replacement words" in text
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    # hover shows it too
    page.locator("mark.seg").first.hover()
    assert pop.is_visible()
    page.mouse.move(5, 5)
    page.locator("h1").hover()
    assert not pop.is_visible()

    # cleaned view side by side, with the change marked
    cl = page.locator(".row .cl").first
    assert not cl.is_visible()
    page.check("#t-clean")
    assert cl.is_visible()
    assert page.locator(".cl del").count() >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('.row')).gridTemplateColumns.split(' ').length") == 3

    # filters: turning a category off removes its highlight, on restores it
    typo = page.locator('input[data-cat="typography"]')
    typo.uncheck()
    assert page.locator(".seg.c-typography").count() == 0
    assert page.locator('#fdefs .fc[data-cat="typography"]').first.is_hidden()
    typo.check()
    assert page.locator(".seg.c-typography").count() >= 1
    page.locator('input[data-sev="error"]').uncheck()
    assert page.locator(".seg.s-error").count() == 0
    page.locator('input[data-sev="error"]').check()

    # only flagged sentences
    page.check("#t-flagged")
    assert page.locator(".art .row:not(.flagged)").first.is_hidden()
    assert page.locator(".art .row.flagged").first.is_visible()
    page.uncheck("#t-flagged")

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.errors == []
    assert all(u.startswith("file://") for u in page.requests), page.requests


def test_page_without_fluency_has_no_bars(page, tmp_path):
    path = tmp_path / "r.html"
    path.write_text(render_page(sample_report(fluency=False)), encoding="utf-8")
    open_file(page, path)
    assert page.locator(".flu").count() == 0
    assert "Fluency not scored" in page.inner_text("header")
    assert page.errors == []


ATTACK_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on') || a.name === 'autofocus') bad.push(el.tagName + '@' + a.name);
      if ((a.name === 'href' || a.name === 'src') && /javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.value);
    }
  }
  return {pwned: window.__pwned === undefined ? null : window.__pwned, bad: bad,
          scripts: document.scripts.length, imgs: document.images.length,
          injected: document.querySelectorAll('iframe,object,embed,textarea,main svg').length};
}"""


def _poke(page):
    """Hover, click and focus everything an attacker could hang a handler on."""
    for el in page.locator(".seg").all()[:30]:
        if el.is_visible():
            el.hover()
            el.click()
    page.keyboard.press("Escape")
    for _ in range(25):
        page.keyboard.press("Tab")
    for a in page.locator("a").all()[:20]:
        if a.is_visible():
            a.hover()


def _attack_report(payload: str):
    text = f"{payload}\n\nBody {payload} text. Second {payload} one."
    r = make_report(text, [(payload, "quote", "error", payload, payload, "unsafe", 1)],
                    meta={"id": payload, "url": payload, "source_name": payload}, source=payload)
    r.document_findings.append(Finding(code=payload, category="order", severity="info", start=None, end=None,
                                       message=payload, suggestion=payload))
    return r


def test_untrusted_text_never_executes_in_article_page(page_nocsp, tmp_path):
    page = page_nocsp
    for i, payload in enumerate(XSS):
        path = tmp_path / f"x{i}.html"
        path.write_text(render_page(_attack_report(payload)), encoding="utf-8")
        open_file(page, path)
        _poke(page)
        got = page.evaluate(ATTACK_CHECK)
        assert got == {"pwned": None, "bad": [], "scripts": 1, "imgs": 0, "injected": 0}, (payload, got)
        assert page.inner_text("#title") == payload  # shown literally
        assert payload in page.inner_text("#art")
        assert page.locator("a#url").count() == 0  # a javascript:/non-http URL is never a link
        assert page.dialogs == [] and page.errors == []


def test_untrusted_text_never_executes_in_dashboard(page_nocsp, tmp_path):
    page = page_nocsp
    jsonl = tmp_path / "r.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for p in XSS:
            fh.write(json.dumps(_attack_report(p).to_dict()) + "\n")
        fh.write(json.dumps({"id": XSS[1], "error": XSS[0]}) + "\n")
    index = write_batch_html(str(jsonl), {"note": XSS[1], XSS[0]: 1}, str(tmp_path / "site"))
    open_file(page, index)
    page.fill("#q", XSS[0])
    page.wait_for_timeout(200)
    for th in page.locator("#arts th").all():
        th.click()
    _poke(page)
    got = page.evaluate(ATTACK_CHECK.replace("main svg", "main svg image, foreignObject"))
    # two scripts: the table's data (application/json, never run) and ours
    assert got == {"pwned": None, "bad": [], "scripts": 2, "imgs": 0, "injected": 0}, got
    assert page.evaluate("[...document.scripts].map(s => s.type)") == ["application/json", ""]
    assert XSS[0] in page.inner_text("#arts")
    assert page.dialogs == [] and page.errors == []
    for link in page.locator("#arts a").all()[:3]:
        href = link.get_attribute("href")
        assert href.startswith("articles/") and "<" not in href and '"' not in href


def test_dashboard_sorts_filters_and_links_to_article_pages(page, tmp_path):
    jsonl = tmp_path / "r.jsonl"
    reports = [
        make_report("Quiet story\n\nNothing to see here.", meta={"id": "q1", "source_name": "rbc.ru"}),
        sample_report(meta={"id": "s1", "source_name": "tass.ru"}),
        make_report("Mild story\n\nHe writes TASS here.", [("writes TASS", "calque", "warning", "CAL001", "x", "unsafe")],
                    meta={"id": "m1", "source_name": "tass.ru"}),
    ]
    with open(jsonl, "w", encoding="utf-8") as fh:
        for r in reports:
            fh.write(json.dumps(r.to_dict()) + "\n")
    index = write_batch_html(str(jsonl), {"articles": 3}, str(tmp_path / "site"))
    open_file(page, index)
    assert page.inner_text("#n-articles") == "3"
    assert page.inner_text("#n-fail") == "1" and page.inner_text("#n-review") == "1" and page.inner_text("#n-pass") == "1"
    for chart in ("#chart-verdicts svg", "#chart-categories svg", "#chart-sources svg", "#chart-fluency svg"):
        assert page.locator(chart).count() == 1, chart

    def titles():
        return [t.strip() for t in page.locator("#arts tbody td.t").all_inner_texts()]

    assert titles()[0] == "Visas: progress reported"  # worst first by default
    findings_header = page.locator("#arts th", has_text="findings")
    findings_header.click()
    assert titles() == ["Quiet story", "Mild story", "Visas: progress reported"]
    findings_header.click()
    assert titles()[0] == "Visas: progress reported"
    page.locator("#arts th", has_text="title").click()
    assert titles() == sorted(titles(), key=str.lower)

    page.fill("#q", "rbc.ru")
    sync_api.expect(page.locator("#arts tbody tr")).to_have_count(1)
    assert "rbc.ru" in page.inner_text("#arts tbody")
    page.fill("#q", "")
    sync_api.expect(page.locator("#arts tbody tr")).to_have_count(3)

    page.locator("#arts a", has_text="Visas: progress reported").click()
    page.wait_for_selector("html[data-ready='1']", state="attached")
    assert page.inner_text("#title") == "Visas: progress reported"
    assert page.locator("mark.seg").count() >= 5
    page.locator("a.back").click()
    page.wait_for_selector("#arts")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert page.errors == []
    assert all(u.startswith("file://") for u in page.requests), page.requests
