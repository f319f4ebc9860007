"""JSON renderer: exactly schema mtaudit.report/1, one object."""

from __future__ import annotations

import json


def render(report, stream, **_opts) -> None:
    json.dump(report.to_dict(), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
