"""Audit configuration: which rules run, at what severity, with which extra data.

`Config()` is the built-in default. Loading from `.mtaudit.toml` /
`[tool.mtaudit]` lives in `auditor.configfile` (feeds-and-hooks issue).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.categories import SEVERITIES


@dataclass
class Config:
    fail_on: str = "error"
    # House quote style for fixes: "curly" (“ ”) or "straight" (").
    quote_style: str = "curly"
    # House spelling of officials' names: "ap" (AP/Reuters-style, default) or "reuters".
    name_style: str = "ap"
    # Codes or categories switched off / severities overridden (by code or category).
    disable: set[str] = field(default_factory=set)
    enable_only: set[str] = field(default_factory=set)
    severity: dict[str, str] = field(default_factory=dict)
    # Extra data merged into the shipped data files.
    extra_boilerplate: list[str] = field(default_factory=list)
    extra_calques: list[tuple[str, str]] = field(default_factory=list)
    accept_names: list[str] = field(default_factory=list)
    allow_phrases: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.fail_on not in SEVERITIES:
            raise ValueError(f"fail_on must be one of {', '.join(SEVERITIES)}")
        if self.name_style not in ("ap", "reuters"):
            raise ValueError("name_style must be 'ap' or 'reuters'")
        if self.quote_style not in ("curly", "straight"):
            raise ValueError("quote_style must be 'curly' or 'straight'")

    def rule_enabled(self, code: str, category: str) -> bool:
        if self.enable_only and code not in self.enable_only and category not in self.enable_only:
            return False
        return code not in self.disable and category not in self.disable

    def severity_for(self, code: str, category: str, default: str) -> str:
        return self.severity.get(code) or self.severity.get(category) or default

    @property
    def open_quote(self) -> str:
        return "\u201c" if self.quote_style == "curly" else '"'

    @property
    def close_quote(self) -> str:
        return "\u201d" if self.quote_style == "curly" else '"'
