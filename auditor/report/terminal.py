"""Terminal renderer (rich): per sentence, the text with flagged spans
highlighted, each finding with code, message and fix, the cleaned sentence;
then a summary table by category and the verdict.

rich drops colour by itself when the stream is not a TTY or NO_COLOR is set.
Article text is shown through `visible`: rich passes escape sequences through,
so a scraped "\\x1b[31m" or "\\x1b]0;title\\x07" would reach the editor's terminal,
and bidirectional overrides would reorder what it shows.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.report.visible import visible

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SPAN_STYLE = {"error": "black on red", "warning": "black on yellow", "info": "underline cyan"}
VERDICT_STYLE = {"pass": "bold green", "review": "bold yellow", "fail": "bold red"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _finding_line(f) -> Text:
    line = Text("    ")
    line.append(f"{f.code}", style=SEVERITY_STYLE[f.severity])
    line.append(f" {f.severity:<7} ", style=SEVERITY_STYLE[f.severity])
    line.append(f"[{f.category}] ", style="dim")
    line.append(visible(f.message))
    if f.suggestion is not None:
        shown = {"": "(delete)", "\n": "(line break)"}.get(f.suggestion) or visible(f.suggestion)
        line.append("  → ", style="dim")
        line.append(shown, style="green")
        if f.fix == "safe":
            line.append(" (safe fix)", style="dim")
    return line


def render(report, stream, *, show_clean: bool = True, width: int | None = None, **_opts) -> None:
    console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
    head = Text()
    head.append(visible(report.source), style="bold")
    if report.title:
        head.append(f" — {visible(report.title)}")
    if report.date:
        head.append(f"  ({report.date}, {report.date_source})", style="dim")
    console.print(head)
    if report.encoding and report.encoding.get("detected"):
        console.print(Text(f"decoded as {report.encoding['name']} (detected)", style="dim"))
    if report.document_findings:
        console.print(Text("Article-level findings", style="bold"))
        for f in report.document_findings:
            console.print(_finding_line(f))
    console.print()
    for s in report.sentences:
        if not s.findings and not show_clean:
            continue
        label = Text(f"[{s.index}]" + (" headline" if s.is_headline else ""), style="bold" if s.findings else "dim")
        if s.fluency:
            label.append(f"  fluency {ordinal(round(s.fluency.get('percentile', 0)))} percentile", style="dim")
        console.print(label)
        body = Text(visible(s.text), style="" if s.findings else "dim")
        for f in s.findings:
            if f.start is not None:
                body.stylize(SPAN_STYLE[f.severity], f.start - s.start, max(f.end, f.start + 1) - s.start)
        body.pad_left(2)
        console.print(body)
        for f in s.findings:
            console.print(_finding_line(f))
        if s.findings and s.cleaned != s.text:
            cleaned = Text("    cleaned: ", style="dim")
            cleaned.append(visible(s.cleaned) if s.cleaned else "(sentence removed)", style="green")
            console.print(cleaned)
    console.print()
    table = Table(title="Findings by category", show_edge=False)
    for col in ("category", "error", "warning", "info"):
        table.add_column(col, justify="left" if col == "category" else "right")
    rows: dict[str, dict[str, int]] = {}
    for f in report.all_findings():
        rows.setdefault(f.category, {"error": 0, "warning": 0, "info": 0})[f.severity] += 1
    for cat, counts in rows.items():
        table.add_row(cat, *(str(counts[k]) if counts[k] else "·" for k in ("error", "warning", "info")))
    if rows:
        console.print(table)
    flagged = sum(1 for s in report.sentences if s.findings)
    verdict = Text("verdict: ")
    verdict.append(report.verdict.upper(), style=VERDICT_STYLE[report.verdict])
    verdict.append(f"  ({flagged}/{len(report.sentences)} sentences flagged, {len(report.all_findings())} findings)", style="dim")
    console.print(verdict)
