"""Terminal view of a comparison (rich): the two versions side by side, one
row per aligned bead with its sentence-level chrF/BLEU/TER, every finding
under its sentence; then document scores, signatures and both verdicts.

rich drops colour by itself when the stream is not a TTY or NO_COLOR is set.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.compare.scoring import fmt
from auditor.report.terminal import SEVERITY_STYLE, SPAN_STYLE, VERDICT_STYLE


def _cell(report, indices) -> Text:
    out = Text()
    for k, i in enumerate(indices):
        s = report.sentences[i]
        if k:
            out.append("\n")
        out.append(f"[{i}] ", style="bold" if s.findings else "dim")
        body = Text(s.text)
        for f in s.findings:
            if f.start is not None:
                body.stylize(SPAN_STYLE[f.severity], f.start - s.start, max(f.end, f.start + 1) - s.start)
        out.append_text(body)
        for f in s.findings:
            out.append("\n  ")
            out.append(f.code, style=SEVERITY_STYLE[f.severity])
            out.append(f" {f.message}")
            if f.suggestion:
                out.append(" → ", style="dim")
                out.append(f.suggestion, style="green")
    if not indices:
        out.append("—", style="dim")
    return out


def _scores(sc, bead) -> Text:
    if sc is None:
        return Text("unmatched", style="dim")
    t = Text(f"chrF {fmt(sc['chrf'])}\nBLEU {fmt(sc['bleu'])}\nTER {fmt(sc['ter'])}")
    if bead.kind != "1-1":
        t.append(f"\n{bead.kind}", style="dim")
    return t


def render(comparison, stream, *, width: int | None = None, **_opts) -> None:
    c = comparison
    console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
    mode = "against reference" if c.reference else "two peer versions"
    head = Text()
    head.append(c.a.source, style="bold")
    head.append(f" vs {c.b.source}  ({mode})")
    console.print(head)
    shown = set()
    for f in c.a.document_findings + c.b.document_findings:
        if f.category == "divergence" and f.start is None and f.message not in shown:
            shown.add(f.message)
            console.print(Text(f"  {f.code} {f.message}", style=SEVERITY_STYLE[f.severity]))
    for side, report in (("a", c.a), ("b", c.b)):
        for f in report.document_findings:
            if f.message in shown:
                continue
            line = Text(f"  {side} article-level: ")
            line.append(f.code, style=SEVERITY_STYLE[f.severity])
            line.append(f" {f.message}")
            console.print(line)
    table = Table(show_lines=True, expand=True)
    table.add_column("a" + (" (hypothesis)" if c.reference else ""), ratio=5)
    table.add_column("scores", ratio=1, no_wrap=True)
    table.add_column("b" + (" (reference)" if c.reference else ""), ratio=5)
    for bead, sc in zip(c.beads, c.pair_scores):
        table.add_row(_cell(c.a, bead.a), _scores(sc, bead), _cell(c.b, bead.b))
    console.print(table)
    k = c.corpus
    doc = Text("document: ", style="bold")
    doc.append(f"chrF {fmt(k['chrf'])}  BLEU {fmt(k['bleu'])}  TER {fmt(k['ter'])}")
    doc.append(f"   ({k['aligned']} aligned, {k['unmatched_a']} only in a, {k['unmatched_b']} only in b)", style="dim")
    console.print(doc)
    for name, sig in c.signatures["corpus"].items():
        console.print(Text(f"  {name}: {sig}", style="dim"))
    for side, report in (("a", c.a), ("b", c.b)):
        line = Text(f"{side}: ")
        line.append(report.verdict.upper(), style=VERDICT_STYLE[report.verdict])
        div = sum(1 for f in report.all_findings() if f.category == "divergence")
        line.append(f"  {len(report.all_findings())} findings ({div} divergence)", style="dim")
        console.print(line)
