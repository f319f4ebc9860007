"""Plain result types of the LM stage (no torch)."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.findings import Finding


class ModelLoadError(RuntimeError):
    """The language model can't be loaded; str(exc) is a one-line message."""


@dataclass
class ArticleFluency:
    """Per-sentence fluency (same length as article.sentences; None for a
    sentence with nothing to score) and the LM's findings."""

    sentences: list[dict | None]
    findings: list[Finding] = field(default_factory=list)
    order: dict | None = None  # the order test's statistics (None when not run)
    model: dict | None = None  # which model scored it
