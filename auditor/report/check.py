"""Hook renderer: one line per finding, `path:line:col: CODE message`, like
ruff and Vale, so editors and CI jump straight to the span.

Lines and columns are 1-based and count code points. The renderer needs the
article text to turn offsets into lines: pass `text=`; without it, the file
named by `report.source` is read again (same decoding as the CLI).
"""

from __future__ import annotations

import bisect


class Positions:
    """Offset -> (line, column), both 1-based."""

    def __init__(self, text: str | None):
        self.starts = [0]
        if text:
            i = text.find("\n")
            while i >= 0:
                self.starts.append(i + 1)
                i = text.find("\n", i + 1)

    def at(self, offset: int | None) -> tuple[int, int]:
        if offset is None:
            return 1, 1
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def article_text(report, text: str | None) -> str | None:
    """The audited text: given, or re-read from the report's source file."""
    if text is not None:
        return text
    source = report.source
    if not source or source.startswith("<"):
        return None
    try:
        from auditor.textio import decode_article, read_bytes

        return decode_article(read_bytes(source), source).text
    except Exception:  # positions degrade to line 1; the findings still print
        return None


def finding_rows(report, text: str | None = None):
    """(line, col, end_line, end_col, finding) for every finding, in text order."""
    text = article_text(report, text)
    pos = Positions(text)
    rows = []
    for f in report.all_findings():
        start = f.start
        if text and start is not None:
            # a span that removes a whole line starts at the newline before it:
            # point at the line itself
            while start < f.end and text[start] in "\r\n":
                start += 1
        line, col = pos.at(start)
        end_line, end_col = pos.at(f.end)
        rows.append((line, col, end_line, end_col, f))
    rows.sort(key=lambda r: (r[0], r[1], r[4].code))
    return rows


def one_line(message: str) -> str:
    return " ".join(message.split())


def render(report, stream, text: str | None = None, path: str | None = None, **_opts) -> None:
    name = path or report.source
    for line, col, _el, _ec, f in finding_rows(report, text):
        fix = f" [fix: {f.suggestion!r}]" if f.suggestion is not None and f.fix == "safe" else ""
        stream.write(f"{name}:{line}:{col}: {f.code} [{f.severity}] {one_line(f.message)}{fix}\n")
