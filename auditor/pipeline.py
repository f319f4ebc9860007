"""The one audit function every front end (cli, batch, serve) calls.

decode (textio) -> Article -> detector rules -> LM scoring -> fixes -> Report
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools

from auditor.article import Article, build_article
from auditor.config import Config
from auditor.detectors.boilerplate import furniture_sentences
from auditor.detectors.registry import all_rules
from auditor.findings import Finding
from auditor.fixes import apply_fixes, fix_to_fixpoint
from auditor.report.model import Report, SentenceReport
from auditor.textio import decode_article


class DetectorError(RuntimeError):
    """A rule crashed: a bug in mtaudit, reported with the rule's code."""


def run_rules(article: Article, config: Config, rules=None) -> list[Finding]:
    """Every enabled rule's findings (of `rules`, default all), with the configured severities."""
    findings: list[Finding] = []
    for rule in all_rules() if rules is None else rules:
        if not config.rule_enabled(rule.code, rule.category):
            continue
        try:
            found = rule.run(article, config)
        except Exception as exc:  # one bad rule must name itself, not crash anonymously
            raise DetectorError(f"rule {rule.code} ({rule.name}) failed: {exc!r}") from exc
        findings.extend(found)
    return _postprocess(article, findings, config)


def _postprocess(article: Article, findings: list[Finding], config: Config) -> list[Finding]:
    out = []
    seen = set()
    allowed = _allowed_spans(article.text, config.allow_phrases)
    for f in findings:
        if not config.rule_enabled(f.code, f.category):
            continue
        if f.start is not None and any(a <= f.start and f.end <= b for a, b in allowed):
            continue
        sev = config.severity_for(f.code, f.category, f.severity)
        if sev != f.severity:
            f = f.with_severity(sev)
        key = (f.code, f.start, f.end, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    out.sort(key=lambda f: (f.start if f.start is not None else -1, f.end or 0, f.code))
    return _drop_inside_deletions(out)


def _drop_inside_deletions(findings: list[Finding]) -> list[Finding]:
    """Drop warnings and notes inside text that a safe fix deletes anyway
    (double spaces inside a boilerplate line are noise); errors stay visible.

    A finding is dropped when a deletion covers its span and is longer, i.e.
    covers it without being the same span. Deletions are sorted by start with
    a running maximum of their ends, so this is O(n log n): the pairwise test
    it replaces took seconds on a page with thousands of deletions."""
    spans = sorted((f.start, f.end) for f in findings if f.is_safe_fix and f.suggestion == "" and f.end > f.start)
    if not spans:
        return findings
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # reach[i]: max end of spans[: i + 1]
    kept = []
    for f in findings:
        if f.severity != "error" and f.start is not None:
            le = bisect.bisect_right(starts, f.start)  # deletions starting at or before f
            lt = bisect.bisect_left(starts, f.start)  # ... strictly before f
            # longer and covering: starts at or before f and ends past it, or
            # starts before f and ends at or past its end
            if (le and reach[le - 1] > f.end) or (lt and reach[lt - 1] >= f.end):
                continue
        kept.append(f)
    return kept


def _allowed_spans(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        if not phrase:
            continue
        i = text.find(phrase)
        while i >= 0:
            spans.append((i, i + len(phrase)))
            i = text.find(phrase, i + 1)
    return spans


def _home_sentence(article: Article, f: Finding):
    """The sentence a finding belongs to: the one holding its span once the
    whitespace at its edges (a deletion takes a neighbouring space) is set aside;
    None for document-level findings and spans across sentences."""
    if f.start is None:
        return None
    text = article.text
    a, b = f.start, f.end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a == b:  # an insertion point or pure whitespace: the sentence it touches
        s = article.sentence_at(a) or article.sentence_at(max(a - 1, 0))
        return s if s is not None and s.start <= a <= s.end else None
    return article.sentence_for_span(a, b)


def _clipped(findings: list[Finding], lo: int, hi: int) -> list[Finding]:
    """Findings cut to [lo, hi) where only whitespace lies outside (deletions)."""
    from dataclasses import replace

    out = []
    for f in findings:
        if f.start is not None and (f.start < lo or f.end > hi) and f.suggestion == "":
            f = replace(f, start=max(f.start, lo), end=min(f.end, hi))
        out.append(f)
    return out


def _cleaned_sentence(text: str, s, findings: list[Finding]) -> str:
    """The sentence with its safe fixes applied (most sentences have none: their
    text as it is, without the fix machinery's ~2 us a sentence)."""
    if not any(f.is_safe_fix for f in findings):
        return s.text.strip()
    return apply_fixes(text, _clipped(findings, s.start, s.end), s.start, s.end).strip()


def may_fix_safely(rule) -> bool:
    """Whether `rule` can yield a safe fix: declared "safe", or declared with safe_hits
    (the registry refuses a safe fix from any other rule)."""
    return rule.fix == "safe" or rule.safe_hits


def _rules_only_findings(config: Config):
    # The fixpoint passes only need the safe fixes: a rule that never yields
    # one cannot change them (findings never interact across rules except that
    # a safe deletion hides others inside it, and _postprocess judges each
    # finding on its own), so those rules (the KB and calque rules, ...) are
    # skipped on the cleaned text. tests/test_fixpoint_rules.py checks both agree.
    fixers: list = []  # filled on the first pass: most articles need none

    def find(text: str) -> list[Finding]:
        if not fixers:
            fixers.extend(r for r in all_rules() if may_fix_safely(r))
        return run_rules(build_article(text), config, fixers)

    return find


def audit(article: Article, config: Config | None = None, scorer=None, fluency=None) -> Report:
    """Audit one article.

    `scorer` (from auditor.lm.load_scorer) scores fluency; batch callers may
    instead pass `fluency`, an ArticleFluency computed in a cross-article batch.
    """
    config = config or Config()
    findings = run_rules(article, config)
    sentence_fluency: list = [None] * len(article.sentences)
    lm_info = None
    if fluency is None and scorer is not None:
        fluency = scorer.score_article(article, order_skip=furniture_sentences(article, config))
    if fluency is not None:
        sentence_fluency = list(fluency.sentences)
        findings = _postprocess(article, findings + list(fluency.findings), config)
        lm_info = getattr(fluency, "model", None) or getattr(scorer, "info", None)

    per_sentence: list[list[Finding]] = [[] for _ in article.sentences]
    document: list[Finding] = []
    for f in findings:
        s = _home_sentence(article, f)
        if s is None:
            document.append(f)
        else:
            per_sentence[s.index].append(f)

    text = article.text
    sentences = [
        SentenceReport(
            index=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            findings=per_sentence[s.index],
            cleaned=_cleaned_sentence(text, s, per_sentence[s.index]),
            fluency=sentence_fluency[s.index] if s.index < len(sentence_fluency) else None,
            is_headline=s.is_headline,
            paragraph=s.paragraph,
        )
        for s in article.sentences
    ]
    cleaned_text = fix_to_fixpoint(text, findings, _rules_only_findings(config))
    return Report(
        source=article.source,
        title=article.title,
        date=article.date.isoformat() if article.date else None,
        sentences=sentences,
        document_findings=document,
        cleaned_text=cleaned_text,
        date_source=article.date_source,
        encoding=article.encoding.to_dict() if article.encoding else None,
        meta=dict(article.meta),
        lm=lm_info,
    )


def audit_text(
    text: str,
    source: str = "<string>",
    date: dt.date | None = None,
    config: Config | None = None,
    scorer=None,
    title: str | None = None,
    meta: dict | None = None,
    encoding=None,
) -> Report:
    """Audit an article given as a string (see `build_article` for the layout)."""
    article = build_article(text, source=source, date=date, encoding=encoding, title=title, meta=meta)
    return audit(article, config, scorer=scorer)


def audit_bytes(data: bytes, source: str = "<bytes>", **kwargs) -> Report:
    """Decode (UTF-8, BOM, or detected code page; a saved web page's text) and audit."""
    decoded = decode_article(data, source)
    return audit_text(decoded.text, source=source, encoding=decoded, **kwargs)


def fix_text(text: str, config: Config | None = None) -> str:
    """The article with every safe fix applied (idempotent)."""
    config = config or Config()
    find = _rules_only_findings(config)
    return fix_to_fixpoint(text, find(text), find)
