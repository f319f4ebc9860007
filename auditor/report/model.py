"""The report: what an audit found, per sentence, in schema mtaudit.report/1.

`Report.to_dict()` is the JSON contract other tools read. Fields may be
added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor import __version__
from auditor.categories import CATEGORIES, SEVERITY_RANK, at_least
from auditor.findings import Finding

SCHEMA = "mtaudit.report/1"


@dataclass
class SentenceReport:
    index: int
    start: int
    end: int
    text: str
    findings: list[Finding]
    cleaned: str
    fluency: dict | None = None
    is_headline: bool = False
    paragraph: int = 0

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "fluency": self.fluency,
            "findings": [f.to_dict() for f in self.findings],
            "cleaned": self.cleaned,
            "headline": self.is_headline,
            "paragraph": self.paragraph,
        }


@dataclass
class Report:
    source: str
    title: str | None
    date: str | None  # YYYY-MM-DD
    sentences: list[SentenceReport]
    document_findings: list[Finding]
    cleaned_text: str
    date_source: str | None = None
    encoding: dict | None = None
    meta: dict = field(default_factory=dict)  # id, url, source... (batch adds them)
    lm: dict | None = None  # which model scored fluency, if any

    def all_findings(self) -> list[Finding]:
        out = list(self.document_findings)
        for s in self.sentences:
            out.extend(s.findings)
        return out

    @property
    def verdict(self) -> str:
        worst = max((SEVERITY_RANK[f.severity] for f in self.all_findings()), default=0)
        if worst >= SEVERITY_RANK["error"]:
            return "fail"
        if worst >= SEVERITY_RANK["warning"]:
            return "review"
        return "pass"

    def counts_by_category(self) -> dict[str, int]:
        counts = {c: 0 for c in CATEGORIES}
        for f in self.all_findings():
            counts[f.category] += 1
        return counts

    def counts_by_severity(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.all_findings():
            counts[f.severity] += 1
        return counts

    def exit_code(self, fail_on: str = "error") -> int:
        """0: nothing at or above `fail_on`; 1: something is (hooks and CI read this)."""
        return int(any(at_least(f.severity, fail_on) for f in self.all_findings()))

    def to_dict(self) -> dict:
        out = {
            "schema": SCHEMA,
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "verdict": self.verdict,
            "summary": {
                "sentences": len(self.sentences),
                "flagged_sentences": sum(1 for s in self.sentences if s.findings),
                "findings": self.counts_by_category(),
                "severities": self.counts_by_severity(),
            },
            "sentences": [s.to_dict() for s in self.sentences],
            "document_findings": [f.to_dict() for f in self.document_findings],
            "cleaned_text": self.cleaned_text,
            # fields added to the schema (never renamed):
            "date_source": self.date_source,
            "encoding": self.encoding,
            "lm": self.lm,
            "tool": {"name": "mtaudit", "version": __version__},
        }
        for key in ("id", "url", "source_name"):
            if key in self.meta:
                out[key] = self.meta[key]
        return out
