"""JSON Lines renderer: the mtaudit.report/1 object on one line (batch output)."""

from __future__ import annotations

import json


def dumps(report_dict: dict) -> str:
    """One compact line, no newline inside (JSON escapes them)."""
    return json.dumps(report_dict, ensure_ascii=False, separators=(",", ":"))


def render(report, stream, **_opts) -> None:
    stream.write(dumps(report.to_dict()))
    stream.write("\n")
