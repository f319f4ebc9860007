"""HTML renderer: one self-contained page per article, and a feed dashboard.

    mtaudit article.txt --format html -o report.html
    write_batch_html("reports.jsonl", summary, "out/")  # mtaudit batch --html-dir

Pages work opened from disk: CSS and JS are inline, charts are inline SVG,
nothing is fetched. Everything that comes from an article or a report
(text, titles, ids, sources, messages, URLs) is untrusted: Jinja2
autoescapes every value, category/severity names are whitelisted before
they become class names, links are kept only for http(s) URLs, and the
scripts never use innerHTML.

Pages are built from a Report or from its `to_dict()` JSON (the dashboard
reads JSON Lines), so everything below works on the dict form.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import secrets
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable
from urllib.parse import urlsplit

from auditor.atomic import write_text_atomic
from auditor.categories import CATEGORIES, SEVERITIES, SEVERITY_RANK
from auditor.report.visible import visible

VERDICTS = ("fail", "review", "pass")
# Colours per category (background of a highlight, stronger border/legend colour).
CATEGORY_COLOURS: dict[str, tuple[str, str]] = {
    "entity": ("#ffd6d6", "#d62728"),
    "quote": ("#ffe2c2", "#e8730c"),
    "cyrillic": ("#f3d1f5", "#a325b0"),
    "boilerplate": ("#dcdcdc", "#555555"),
    "official": ("#d3e6ff", "#1f5fbf"),
    "fluency": ("#fff3b0", "#b38f00"),
    "order": ("#d8f0e8", "#1b8a6b"),
    "contradiction": ("#ffc9e3", "#c2185b"),
    "calque": ("#d9f2c7", "#4c9a1d"),
    "typography": ("#e4e0ff", "#5b4bd1"),
    "transliteration": ("#c9f0f5", "#0f8a9c"),
    "encoding": ("#f5e0c8", "#8a5a1f"),
    "duplicate": ("#e8e8c8", "#7a7a1f"),
    "divergence": ("#f0d0c0", "#a34a1f"),
    "other": ("#eeeeee", "#888888"),
}
VERDICT_COLOURS = {"fail": "#d62728", "review": "#e8a50c", "pass": "#2ca02c", "unreadable": "#777777"}


# ---------------------------------------------------------------- helpers

def _env():
    return _jinja_env()


@lru_cache(maxsize=1)
def _jinja_env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("auditor.report", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["colours"] = CATEGORY_COLOURS
    env.globals["verdict_colours"] = VERDICT_COLOURS
    return env


@lru_cache(maxsize=None)
def _asset(name: str):
    """Our own CSS/JS, inlined verbatim (trusted: it ships with the package)."""
    from markupsafe import Markup

    text = resources.files("auditor.report").joinpath("templates", name).read_text(encoding="utf-8")
    return Markup(text)


def _nonce() -> str:
    # The CSP admits only our own script: if escaping ever failed, an injected
    # <script> or onerror= handler would still not run.
    return secrets.token_urlsafe(18)


def _as_dict(report: Any) -> dict:
    if isinstance(report, dict):
        return report
    if hasattr(report, "to_dict"):
        return report.to_dict()
    raise TypeError(f"cannot render {type(report).__name__} as a report")


def _cat(value: Any) -> str:
    return value if isinstance(value, str) and value in CATEGORIES else "other"


def _sev(value: Any) -> str:
    return value if isinstance(value, str) and value in SEVERITIES else "info"


def _verdict(value: Any) -> str:
    return value if isinstance(value, str) and value in VERDICTS else "pass"


def _int(value: Any, default: int | None = None) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return default


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _str(value: Any) -> str:
    if value is None:
        return ""
    return visible(value if isinstance(value, str) else str(value))  # same length: offsets hold


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) link, else None (javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(ch) < 0x20 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _percentile(fluency: Any) -> float | None:
    if not isinstance(fluency, dict):
        return None
    p = _num(fluency.get("percentile"))
    return None if p is None else min(100.0, max(0.0, p))


def _fluency_band(p: float) -> str:
    # Low percentile = less like clean news than nearly every clean sentence.
    if p < 5:
        return "bad"
    if p < 25:
        return "low"
    return "ok"


# ---------------------------------------------------------------- findings

class _F:
    """A finding normalised for display (ids are page-wide)."""

    __slots__ = ("id", "code", "category", "severity", "start", "end", "message",
                 "suggestion", "fix", "name", "sentence", "quoted", "document")

    def __init__(self, fid: int, d: dict, sentence: int | None, document: bool):
        self.id = fid
        self.code = _str(d.get("code")) or "?"
        self.category = _cat(d.get("category"))
        self.severity = _sev(d.get("severity"))
        start, end = _int(d.get("start")), _int(d.get("end"))
        if start is None or end is None or start < 0 or end < start:
            start = end = None
        self.start, self.end = start, end
        self.message = _str(d.get("message"))
        sug = d.get("suggestion")
        self.suggestion = None if sug is None else _str(sug)
        self.fix = d.get("fix") if d.get("fix") in ("safe", "unsafe") else None
        self.name = _str(d.get("name"))
        self.sentence = sentence
        self.quoted = ""
        self.document = document

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]


def _segments(text: str, base: int, findings: list[_F]) -> list[dict]:
    """Cut a sentence at every finding boundary.

    Overlapping and nested spans become runs of text each covered by a set
    of findings; zero-width findings (an insertion point) become markers.
    """
    end_of_text = base + len(text)
    bounds = {base, end_of_text}
    spans, points = [], []
    for f in findings:
        if f.start is None:
            continue
        a, b = max(f.start, base), min(f.end, end_of_text)
        if f.start == f.end:
            if base <= f.start <= end_of_text:
                points.append(f)
                bounds.add(f.start)
            continue
        if a >= b:
            continue
        spans.append((a, b, f))
        bounds.update((a, b))
    cuts = sorted(bounds)
    out: list[dict] = []
    for a, b in zip(cuts, cuts[1:]):
        for f in points:
            if f.start == a:
                out.append({"marker": True, "ids": [f.id], "cls": _primary([f])})
        cover = [f for (x, y, f) in spans if x <= a and b <= y]
        out.append({"marker": False, "text": text[a - base:b - base], "ids": [f.id for f in cover],
                    "cls": _primary(cover) if cover else ""})
    for f in points:
        if f.start == end_of_text and end_of_text != base:
            out.append({"marker": True, "ids": [f.id], "cls": _primary([f])})
    if not text:
        for f in points:
            out.append({"marker": True, "ids": [f.id], "cls": _primary([f])})
    return out


def _primary(cover: list[_F]) -> str:
    # Worst severity first, then the innermost (shortest) span shows its colour.
    f = min(cover, key=lambda f: (-f.rank, (f.end or 0) - (f.start or 0), f.id))
    cls = f"c-{f.category} s-{f.severity}"
    if len(cover) > 1:
        cls += " multi"
    return cls


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changes from the sentence to its cleaned form."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("eq", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


# ---------------------------------------------------------------- article page

def build_page(report: Any, text: str | None = None) -> dict:
    """Everything the article template shows, from a Report or its dict."""
    d = _as_dict(report)
    raw_sentences = [s for s in (d.get("sentences") or []) if isinstance(s, dict)]
    findings: list[_F] = []
    doc_findings: list[_F] = []
    for fd in d.get("document_findings") or []:
        if isinstance(fd, dict):
            f = _F(len(findings), fd, None, True)
            findings.append(f)
            doc_findings.append(f)

    sentences = []
    prev_end = None
    prev_para = None
    for pos, s in enumerate(raw_sentences):
        stext = _str(s.get("text"))
        start = _int(s.get("start"), 0)
        end = start + len(stext)
        own = []
        for fd in s.get("findings") or []:
            if isinstance(fd, dict):
                f = _F(len(findings), fd, _int(s.get("index"), pos), False)
                findings.append(f)
                own.append(f)
        para = s.get("paragraph")
        if pos == 0:
            new_para = True
        elif para is not None and prev_para is not None:
            new_para = para != prev_para
        elif text is not None and prev_end is not None:
            new_para = "\n" in text[prev_end:start]
        else:
            # The report keeps sentence offsets, not the gaps between them:
            # a gap of 2+ characters is a line break in practice ("\n\n").
            new_para = prev_end is None or start - prev_end >= 2
        if s.get("headline") and pos == 0:
            new_para = True
        sentences.append({
            "index": _int(s.get("index"), pos), "start": start, "end": end, "text": stext,
            "cleaned": _str(s.get("cleaned")) if s.get("cleaned") is not None else stext,
            "headline": bool(s.get("headline")), "fluency": s.get("fluency"), "own": own,
            "adopted": [],  # document findings shown with this sentence
            "new_para": new_para and pos > 0, "after_headline": pos > 0 and bool(raw_sentences[pos - 1].get("headline")),
        })
        prev_end, prev_para = end, para

    # Spans of document findings reach over several sentences: highlight their
    # part in each sentence they touch.
    spanning = [f for f in doc_findings if f.start is not None]
    for s in sentences:
        local = list(s["own"]) + [f for f in spanning if (f.start < s["end"] and f.end > s["start"])
                                  or (f.start == f.end and s["start"] <= f.start < s["end"])]
        s["segments"] = _segments(s["text"], s["start"], local)
        for f in s["own"]:
            if f.start is not None:
                f.quoted = s["text"][max(f.start - s["start"], 0):max(f.end - s["start"], 0)]
        p = _percentile(s["fluency"])
        s["percentile"] = p
        s["band"] = _fluency_band(p) if p is not None else None
        s["fluency_score"] = _num(s["fluency"].get("score")) if isinstance(s["fluency"], dict) else None
        s["flagged"] = bool(s["own"]) or any(seg["ids"] for seg in s["segments"])
        s["ids"] = sorted({i for seg in s["segments"] for i in seg["ids"]} | {f.id for f in s["own"]})
    for f in spanning:
        touched = [s for s in sentences if (f.start < s["end"] and f.end > s["start"])
                   or (f.start == f.end and s["start"] <= f.start < s["end"])]
        parts = [s["text"][max(f.start, s["start"]) - s["start"]:min(f.end, s["end"]) - s["start"]] for s in touched]
        f.quoted = " … ".join(p for p in parts if p)
        # A span that reaches past its sentence only by whitespace is shown
        # with that sentence, not in the article-level box.
        if len(touched) == 1 and f.category not in ("order", "contradiction"):
            f.document = False
            f.sentence = touched[0]["index"]
            touched[0]["adopted"].append(f)
    doc_findings = [f for f in doc_findings if f.document]
    for s in sentences:
        if any(f.fix == "safe" for f in s["adopted"]):
            s["cleaned"] = _recleaned(s)
        s["changed"] = s["cleaned"] != s["text"]
        s["diff"] = _diff(s["text"], s["cleaned"]) if s["changed"] else None

    by_cat = {c: 0 for c in CATEGORY_COLOURS}
    by_sev = {k: 0 for k in SEVERITIES}
    for f in findings:
        by_cat[f.category] += 1
        by_sev[f.severity] += 1
    percentiles = [s["percentile"] for s in sentences if s["percentile"] is not None]
    meta = {
        "id": _str(d.get("id")),
        "url": _str(d.get("url")),
        "safe_url": safe_url(d.get("url")),
        "source_name": _str(d.get("source_name")),
    }
    encoding = d.get("encoding") if isinstance(d.get("encoding"), dict) else None
    lm = d.get("lm") if isinstance(d.get("lm"), dict) else None
    return {
        "title": _str(d.get("title")),
        "source": _str(d.get("source")),
        "date": _str(d.get("date")),
        "date_source": _str(d.get("date_source")),
        "verdict": _verdict(d.get("verdict") or _verdict_of(findings)),
        "meta": meta,
        "encoding": {"name": _str(encoding.get("name")), "detected": bool(encoding.get("detected"))} if encoding else None,
        "lm": {k: _str(v) for k, v in lm.items() if isinstance(v, (str, int, float))} if lm else None,
        "sentences": sentences,
        "findings": findings,
        "doc_findings": doc_findings,
        "by_cat": {c: n for c, n in by_cat.items() if n},
        "by_sev": by_sev,
        "flagged": sum(1 for s in sentences if s["flagged"]),
        "has_fluency": bool(percentiles),
        "min_percentile": min(percentiles) if percentiles else None,
        "any_changed": any(s["changed"] for s in sentences),
        "cleaned_text": _str(d.get("cleaned_text")),
    }


def _recleaned(s: dict) -> str:
    """The sentence's cleaned form including the safe fixes of document
    findings adopted by it (the report's per-sentence `cleaned` leaves those
    out because their span reaches into the whitespace after the sentence)."""
    from auditor.fixes import apply_fixes
    from auditor.findings import Finding

    lo, hi = s["start"], s["end"]
    fixes = []
    for f in s["own"] + s["adopted"]:
        if f.fix != "safe" or f.start is None or f.suggestion is None:
            continue
        a, b = max(f.start, lo), min(f.end, hi)
        # clipping to the sentence is only meaning-preserving for a deletion
        if (a, b) != (f.start, f.end) and f.suggestion != "":
            continue
        if a > b:
            continue
        try:
            fixes.append(Finding(code=f.code, category=f.category, severity=f.severity, start=a - lo, end=b - lo,
                                 message=f.message, suggestion=f.suggestion, fix="safe"))
        except ValueError:
            continue
    return apply_fixes(s["text"], fixes).strip()


def _verdict_of(findings: list[_F]) -> str:
    worst = max((f.rank for f in findings), default=0)
    return "fail" if worst >= 3 else "review" if worst >= 2 else "pass"


def render_page(report: Any, *, text: str | None = None, back_href: str | None = None) -> str:
    page = build_page(report, text=text)
    return _env().get_template("report.html.j2").render(
        page=page, categories=[c for c in CATEGORY_COLOURS if c in page["by_cat"]],
        severities=SEVERITIES, back_href=back_href, nonce=_nonce(),
        css=_asset("report.css"), js=_asset("report.js"),
    )


def render(report, stream, *, text: str | None = None, back_href: str | None = None, **_opts) -> None:
    """Renderer entry point: the article page, self-contained."""
    stream.write(render_page(report, text=text, back_href=back_href))


# ---------------------------------------------------------------- dashboard

_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def page_filename(seq: int, report: dict) -> str:
    """A safe, unique file name for an article page (ids are untrusted)."""
    raw = _str(report.get("id")) or os.path.splitext(os.path.basename(_str(report.get("source"))))[0]
    slug = _SLUG.sub("-", raw).strip("-")[:40]
    return f"{seq:06d}-{slug}.html" if slug else f"{seq:06d}.html"


def _row(seq: int, d: dict, href: str | None) -> dict:
    """One dashboard table row (also the stats the charts aggregate)."""
    if "error" in d and "sentences" not in d:
        return {"seq": seq, "error": _str(d.get("error")), "id": _str(d.get("id")), "href": None,
                "title": _str(d.get("title")), "source": _str(d.get("source_name")),
                "verdict": "error", "date": "", "n": 0, "err": 0, "warn": 0, "info": 0,
                "flagged": 0, "sentences": 0, "cats": {}, "minp": None, "pbins": [0] * 10}
    cats: dict[str, int] = {}
    sev = {"error": 0, "warning": 0, "info": 0}
    percentiles = []
    flagged = 0
    sentences = [s for s in (d.get("sentences") or []) if isinstance(s, dict)]
    for s in sentences:
        fs = [f for f in (s.get("findings") or []) if isinstance(f, dict)]
        if fs:
            flagged += 1
        for f in fs:
            cats[_cat(f.get("category"))] = cats.get(_cat(f.get("category")), 0) + 1
            sev[_sev(f.get("severity"))] += 1
        p = _percentile(s.get("fluency"))
        if p is not None:
            percentiles.append(p)
    for f in d.get("document_findings") or []:
        if isinstance(f, dict):
            cats[_cat(f.get("category"))] = cats.get(_cat(f.get("category")), 0) + 1
            sev[_sev(f.get("severity"))] += 1
    title = _str(d.get("title")) or (sentences[0].get("text") if sentences else "") or _str(d.get("id"))
    return {
        "seq": seq, "error": None, "id": _str(d.get("id")), "href": href, "title": _str(title)[:160],
        "source": _str(d.get("source_name")), "date": _str(d.get("date")),
        "verdict": _verdict(d.get("verdict")), "n": sum(sev.values()), "err": sev["error"],
        "warn": sev["warning"], "info": sev["info"], "flagged": flagged, "sentences": len(sentences),
        "cats": cats, "minp": min(percentiles) if percentiles else None, "pbins": _deciles(percentiles),
    }


def _deciles(percentiles: list[float]) -> list[int]:
    bins = [0] * 10
    for p in percentiles:
        bins[min(int(p // 10), 9)] += 1
    return bins


_VERDICT_RANK = {"fail": 3, "review": 2, "pass": 1, "error": 0}


def _table_row(r: dict) -> list:
    """A compact row for the dashboard's table (rendered by its script, which
    only ever sets textContent): seq, title, href, source, date, verdict rank,
    findings, errors, warnings, info, flagged, sentences, min fluency,
    categories, verdict, error message, id, score (batch's worst-article
    score: 10 x errors + 3 x warnings + 1 x info)."""
    return [r["seq"], r["title"] or r["id"] or "(untitled)", r["href"] or "", r["source"], r["date"],
            _VERDICT_RANK[r["verdict"]], r["n"], r["err"], r["warn"], r["info"], r["flagged"], r["sentences"],
            None if r["minp"] is None else round(r["minp"], 1), " ".join(r["cats"]), r["verdict"],
            r["error"] or "", r["id"], 10 * r["err"] + 3 * r["warn"] + r["info"]]


def _bars(items: list[tuple[str, float, str]], *, width: int = 520, bar_h: int = 18, label_w: int = 130,
          fmt: str = "{:g}") -> dict:
    """A horizontal bar chart as plain data for the SVG template."""
    top = max((v for _, v, _ in items), default=0) or 1
    room = width - label_w - 60
    return {"width": width, "height": len(items) * (bar_h + 6) + 4, "label_w": label_w, "bar_h": bar_h,
            "bars": [{"label": label, "value": fmt.format(v), "w": round(room * v / top, 1),
                      "y": 2 + i * (bar_h + 6), "colour": colour} for i, (label, v, colour) in enumerate(items)]}


def build_dashboard(rows: list[dict], summary: dict | None) -> dict:
    summary = summary if isinstance(summary, dict) else {}
    ok = [r for r in rows if not r["error"]]
    verdicts = {v: 0 for v in (*VERDICTS, "error")}
    for r in rows:
        verdicts[r["verdict"]] += 1
    per_cat = {c: 0 for c in CATEGORY_COLOURS}
    arts_with = {c: 0 for c in CATEGORY_COLOURS}
    for r in ok:
        for c, n in r["cats"].items():
            per_cat[c] += n
            arts_with[c] += 1
    cats_present = [c for c in CATEGORY_COLOURS if per_cat[c]]

    # Per source: the share of its articles with at least one finding of each category.
    sources: dict[str, dict] = {}
    for r in ok:
        s = sources.setdefault(r["source"] or "(none)", {"n": 0, "cats": {}})
        s["n"] += 1
        for c in r["cats"]:
            s["cats"][c] = s["cats"].get(c, 0) + 1
    top_sources = sorted(sources.items(), key=lambda kv: (-kv[1]["n"], kv[0]))
    shown_sources = top_sources[:25]
    cell, label_w = 34, 170
    heat = {
        "width": label_w + cell * max(len(cats_present), 1) + 50,
        "height": 100 + cell * len(shown_sources),
        "label_w": label_w, "cell": cell,
        "cols": [{"name": c, "x": label_w + i * cell + cell / 2, "colour": CATEGORY_COLOURS[c][1]}
                 for i, c in enumerate(cats_present)],
        "rows": [{"name": name[:28], "full": name, "n": s["n"], "y": 90 + j * cell,
                  "cells": [{"x": label_w + i * cell, "rate": s["cats"].get(c, 0) / s["n"],
                             "pct": round(100 * s["cats"].get(c, 0) / s["n"]),
                             "colour": CATEGORY_COLOURS[c][1], "cat": c}
                            for i, c in enumerate(cats_present)]}
                 for j, (name, s) in enumerate(shown_sources)],
    }

    # Fluency: every scored sentence's percentile, in 10 bins.
    bins = [sum(r["pbins"][i] for r in ok) for i in range(10)]
    has_fluency = any(bins)
    hist_top = max(bins) or 1
    hist = {"width": 520, "height": 168, "bars": [
        {"x": 40 + i * 46, "w": 40, "h": round(115 * n / hist_top, 1), "y": 140 - round(115 * n / hist_top, 1),
         "n": n, "label": f"{i * 10}–{i * 10 + 10}", "colour": "#d62728" if i == 0 else "#e8a50c" if i < 3 else "#4c78a8"}
        for i, n in enumerate(bins)]}

    run_facts = []
    for k, v in summary.items():
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and k not in ("schema",):
            run_facts.append((_str(k), _str(round(v, 3) if isinstance(v, float) else v)))
    return {
        "total": len(rows), "ok": len(ok), "errors": len(rows) - len(ok),
        "verdicts": verdicts,
        "verdict_chart": _bars([(v, verdicts[v], VERDICT_COLOURS[v]) for v in VERDICTS]
                               + ([("unreadable", verdicts["error"], VERDICT_COLOURS["unreadable"])] if verdicts["error"] else []),
                               label_w=90),
        "cat_chart": _bars([(c, per_cat[c], CATEGORY_COLOURS[c][1]) for c in cats_present]),
        "art_chart": _bars([(c, 100 * arts_with[c] / max(len(ok), 1), CATEGORY_COLOURS[c][1]) for c in cats_present],
                           fmt="{:.1f}%"),
        "heat": heat, "n_sources": len(sources),
        "has_fluency": has_fluency, "hist": hist,
        "sentences_scored": sum(bins),
        "table": [_table_row(r) for r in rows], "cats_present": cats_present, "run_facts": run_facts[:20],
    }


def render_dashboard(rows: list[dict], summary: dict | None = None, title: str = "mtaudit feed report") -> str:
    dash = build_dashboard(rows, summary)
    return _env().get_template("dashboard.html.j2").render(
        dash=dash, title=title, nonce=_nonce(), css=_asset("dashboard.css"), js=_asset("dashboard.js"))


def iter_jsonl(path: str) -> Iterable[tuple[int, dict]]:
    """(line number, object) for each JSON object line; bad lines become error records."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                yield lineno, {"id": f"line {lineno}", "error": f"malformed JSON: {exc.msg}"}
                continue
            if not isinstance(obj, dict):
                yield lineno, {"id": f"line {lineno}", "error": "not a JSON object"}
                continue
            yield lineno, obj


def write_batch_html(reports_jsonl_path: str, summary: dict, out_dir: str) -> str:
    """Write one page per article under out_dir/articles/ and the dashboard
    out_dir/index.html (each file atomically); return the dashboard's path.

    Streams the JSON Lines: only one report and the small per-article rows
    are in memory at a time.
    """
    articles_dir = os.path.join(out_dir, "articles")
    os.makedirs(articles_dir, exist_ok=True)
    rows = []
    for seq, (_lineno, d) in enumerate(iter_jsonl(reports_jsonl_path), 1):
        if "error" in d and "sentences" not in d:
            rows.append(_row(seq, d, None))
            continue
        name = page_filename(seq, d)
        try:
            html = render_page(d, back_href="../index.html")
        except Exception as exc:  # a malformed record must not sink the whole dashboard
            rows.append(_row(seq, {"id": d.get("id"), "error": f"cannot render: {exc}"}, None))
            continue
        write_text_atomic(os.path.join(articles_dir, name), html)
        rows.append(_row(seq, d, f"articles/{name}"))
    index = os.path.join(out_dir, "index.html")
    write_text_atomic(index, render_dashboard(rows, summary))
    return index
