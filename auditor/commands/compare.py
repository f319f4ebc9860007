"""`mtaudit compare article.txt other.txt [--reference]`: two versions of one
story, aligned sentence by sentence and scored with sacrebleu (chrF, BLEU,
TER); disagreements become `divergence` findings in each version's report.
"""

from __future__ import annotations

from typing import Optional

import typer

COMPARE_FORMATS = ("text", "json", "html")


def render_comparison(comparison, fmt: str, stream, **opts) -> None:
    if fmt == "json":
        import json

        json.dump(comparison.to_dict(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "html":
        from auditor.compare.html import render

        render(comparison, stream, **opts)
    else:
        from auditor.compare.terminal import render

        render(comparison, stream, **opts)


def register(app: typer.Typer) -> None:
    # Declared here so `mtaudit rules` lists the DIV rules (the module is light).
    import auditor.compare.rules  # noqa: F401

    @app.command("compare")
    def compare_command(
        article: str = typer.Argument(..., help="The article to check (.txt), or - for stdin."),
        other: str = typer.Argument(..., help="Another English version of the same story (.txt)."),
        reference: bool = typer.Option(False, "--reference", help="OTHER is a trusted reference: flag where ARTICLE departs from it."),
        fmt: str = typer.Option("text", "--format", "-f", help="Output format: text, json, html"),
        output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the report here, atomically."),
        min_chrf: float = typer.Option(50.0, "--min-chrf", min=0.0, max=100.0, help="With --reference: flag sentences whose chrF is below this."),
        date: Optional[str] = typer.Option(None, "--date", help="Article date YYYY-MM-DD (both versions)."),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 if any finding is at or above: error (default), warning, info."),
        lm: Optional[bool] = typer.Option(False, "--lm/--no-lm", help="Also score fluency with the language model (default: off)."),
        model: Optional[str] = typer.Option(None, "--model", help="Causal LM for fluency (with --lm)."),
        threads: int = typer.Option(1, "--threads", min=1),
        config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: .mtaudit.toml found upward)."),
        max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1, help="Refuse larger inputs."),
    ) -> None:
        """Compare an article with a reference translation or a second translation of the same story."""
        import io
        import sys

        from auditor.cli import CliError, _check_severity, emit, load_config, load_scorer, read_article
        from auditor.compare.core import compare

        _check_severity(fail_on)
        if fmt not in COMPARE_FORMATS:
            raise CliError(f"unknown format {fmt!r} (choose from {', '.join(COMPARE_FORMATS)})")
        if article == "-" and other == "-":
            raise CliError("only one of the two versions can come from stdin")
        config = load_config(None if article == "-" else article, config_path)
        doc_a = read_article(article, date, max_bytes)
        doc_b = read_article(other, date, max_bytes)
        scorer = load_scorer(lm, model, threads)
        comparison = compare(doc_a, doc_b, config, reference=reference, scorer=scorer, min_chrf=min_chrf)
        if fmt == "text" and not output:
            render_comparison(comparison, fmt, sys.stdout)
        else:
            buf = io.StringIO()
            render_comparison(comparison, fmt, buf)
            emit(buf.getvalue(), output)
        raise typer.Exit(comparison.exit_code(fail_on or config.fail_on))
