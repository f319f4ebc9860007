"""`mtaudit check FILES...`: hook mode for git, pre-commit and CI.

One line per finding (`path:line:col: CODE [severity] message`), exit 0 when
nothing is at or above --fail-on, 1 when something is, 2 on a usage or input
error (after checking every other file), like ruff and Vale. No language model
unless asked (--lm): a hook must answer in a fraction of a second.
"""

from __future__ import annotations

import io
import sys
from typing import List, Optional

import typer

CHECK_FORMATS = ("check", "github", "json", "jsonl")


def check_files(
    files: list[str],
    fmt: str = "check",
    fail_on: str | None = None,
    config_path: str | None = None,
    scorer=None,
    max_bytes: int = 10_000_000,
    out=None,
    err=None,
) -> int:
    """Audit every file and print its findings; return the exit status."""
    from auditor.categories import at_least
    from auditor.cli import CliError, load_config, read_article
    from auditor.pipeline import audit
    from auditor.report import get_renderer

    out = out or sys.stdout
    err = err or sys.stderr
    render = get_renderer(fmt)
    status = 0
    failed = 0
    counted = 0
    for path in files:
        try:
            config = load_config(None if path == "-" else path, config_path)
            doc = read_article(path, None, max_bytes)
        except CliError as exc:
            err.write(f"mtaudit: error: {exc}\n")
            status = 2
            continue
        report = audit(doc, config, scorer=scorer)
        buf = io.StringIO()
        render(report, buf, text=doc.text, path=path)
        out.write(buf.getvalue())
        threshold = fail_on or config.fail_on
        hits = sum(1 for f in report.all_findings() if at_least(f.severity, threshold))
        counted += len(report.all_findings())
        if hits:
            failed += 1
            status = max(status, 1)
    out.flush()
    if fmt == "check" and counted:
        err.write(f"mtaudit: {counted} finding(s); {failed} of {len(files)} file(s) at or above --fail-on\n")
    return status


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_command(
        files: List[str] = typer.Argument(..., help="Article .txt files (- for stdin)."),
        fmt: str = typer.Option("check", "--format", "-f", help="check (path:line:col: CODE message), github, json or jsonl"),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 if any finding is at or above: error (default from config), warning, info."),
        config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: .mtaudit.toml found upward from each file)."),
        lm: bool = typer.Option(False, "--lm/--no-lm", help="Also score fluency with the language model (slow for a hook)."),
        model: Optional[str] = typer.Option(None, "--model", help="Causal LM for fluency (implies --lm)."),
        threads: int = typer.Option(1, "--threads", min=1),
        max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1),
    ) -> None:
        """Hook mode: one line per finding, exit 0/1/2 (pre-commit, git hooks, CI)."""
        from auditor.cli import CliError, _check_severity, load_scorer

        _check_severity(fail_on)
        if fmt not in CHECK_FORMATS:
            raise CliError(f"--format must be one of {', '.join(CHECK_FORMATS)}, not {fmt!r}")
        if fmt == "json" and len(files) > 1:
            raise CliError("--format json takes one file; use jsonl for several")
        scorer = load_scorer(True, model, threads) if (lm or model) else None
        raise typer.Exit(check_files(files, fmt, fail_on, config_path, scorer, max_bytes))
