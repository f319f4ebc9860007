"""Report model and renderers. A renderer is `render(report, stream, **opts)`.

Renderers are looked up by format name and imported lazily, so a JSON run
never imports rich and an HTML run is the only one that imports Jinja2.
"""

from __future__ import annotations

import importlib

from auditor.report.model import SCHEMA, Report, SentenceReport

RENDERERS: dict[str, str] = {
    "text": "auditor.report.terminal",
    "json": "auditor.report.json",
    "html": "auditor.report.html",
    "jsonl": "auditor.report.jsonl",
    "check": "auditor.report.check",
    "github": "auditor.report.github",
}


def get_renderer(fmt: str):
    try:
        module = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(RENDERERS)})") from None
    return importlib.import_module(module).render


__all__ = ["SCHEMA", "RENDERERS", "Report", "SentenceReport", "get_renderer"]
