"""Applying safe fixes.

Guarantees (tested as properties):
- only text under a finding with fix == "safe" is changed;
- overlapping fixes never both apply: the earliest, then the longest, wins;
- `fix_text` runs audit passes until nothing changes, so
  fix_text(fix_text(x)) == fix_text(x) (idempotent), bounded by MAX_PASSES.
"""

from __future__ import annotations

from typing import Callable, Iterable

from auditor.findings import Finding

# One pass settles almost everything; a chain such as a run of curly marks in
# a straight-quoted text settles one mark per pass, so the bound is generous
# (it only costs anything on such degenerate input).
MAX_PASSES = 50


def select_safe(findings: Iterable[Finding], lo: int = 0, hi: int | None = None) -> list[Finding]:
    """Non-overlapping safe fixes inside [lo, hi), in text order."""
    chosen: list[Finding] = []
    last_end = -1
    cands = sorted(
        (f for f in findings if f.is_safe_fix and f.start >= lo and (hi is None or f.end <= hi)),
        key=lambda f: (f.start, -(f.end - f.start), f.code),
    )
    for f in cands:
        if f.start < last_end or (f.start == last_end and f.start == f.end and chosen and chosen[-1].start == f.start):
            continue
        chosen.append(f)
        last_end = max(last_end, f.end)
    return chosen


def apply_fixes(text: str, findings: Iterable[Finding], lo: int = 0, hi: int | None = None) -> str:
    """text[lo:hi] with the selected safe fixes applied."""
    hi = len(text) if hi is None else hi
    out, pos = [], lo
    for f in select_safe(findings, lo, hi):
        out.append(text[pos : f.start])
        out.append(f.suggestion)
        pos = f.end
    out.append(text[pos:hi])
    return "".join(out)


def fix_to_fixpoint(text: str, first_findings: list[Finding], find: Callable[[str], list[Finding]]) -> str:
    """Apply safe fixes, re-audit with `find`, repeat until stable."""
    findings = first_findings
    for _ in range(MAX_PASSES):
        new = apply_fixes(text, findings)
        if new == text:
            return text
        text = new
        findings = find(text)
    return text
