"""Finding: one problem at one span, the unit every detector returns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from auditor.categories import CATEGORIES, FIX_SAFETY, SEVERITIES


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in the text.

    `start`/`end` are code-point offsets into the decoded input (None for a
    finding about the whole document). `suggestion` is the replacement text
    for `text[start:end]` ("" means delete it); `fix` says whether
    `mtaudit fix` may apply it unattended ("safe") or an editor must decide
    ("unsafe"); None when there is no replacement to apply.
    """

    code: str
    category: str
    severity: str
    start: int | None
    end: int | None
    message: str
    suggestion: str | None = None
    fix: str | None = None
    name: str = ""
    # Extra machine-readable detail (e.g. related spans); rendered as "data".
    data: dict | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.fix is not None and self.fix not in FIX_SAFETY:
            raise ValueError(f"unknown fix safety {self.fix!r}")
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end must both be set or both be None")
        if self.start is not None and not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")
        if self.fix is not None and self.suggestion is None:
            raise ValueError("a fix needs a suggestion")

    @property
    def is_safe_fix(self) -> bool:
        return self.fix == "safe" and self.start is not None

    def with_severity(self, severity: str) -> "Finding":
        return replace(self, severity=severity)

    def to_dict(self) -> dict:
        """The report's Finding object (schema mtaudit.report/1)."""
        out = {
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
            # fields added to the schema (never renamed):
            "name": self.name,
            "fix": self.fix,
        }
        if self.data:
            out["data"] = self.data
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        return cls(
            code=d["code"], category=d["category"], severity=d["severity"],
            start=d["start"], end=d["end"], message=d["message"],
            suggestion=d.get("suggestion"), fix=d.get("fix"), name=d.get("name", ""),
            data=d.get("data"),
        )
