"""`mtaudit batch INPUTS... --out reports.jsonl`: audit a whole feed.

Exit codes: 0 every record audited; 1 some article has findings at or above
--fail-on (only when --fail-on is given); 2 usage error; 3 some records could
not be audited (error records in the output); 130/143 interrupted (rerun with
--resume to finish).
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional

import typer

EXIT_RECORDS_FAILED = 3


def _default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def _count_records(inputs: list[str]) -> int | None:
    """A cheap total for the progress bar (None when an input is a stream or a URL)."""
    import glob

    from auditor.batch import _kind, _walk_txt

    total = 0
    for spec in inputs:
        if spec == "-" or spec.startswith(("http://", "https://")):
            return None
        paths = [spec] if os.path.exists(spec) else sorted(glob.glob(spec, recursive=True))
        for path in paths:
            if os.path.isdir(path):
                total += sum(1 for _ in _walk_txt(path))
            elif _kind(path) == "jsonl":
                import gzip

                opener = gzip.open if path.lower().endswith(".gz") else open
                try:
                    with opener(path, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            elif _kind(path) == "feed":
                return None
            else:
                total += 1
    return total


def _html_writer():
    try:
        import importlib

        html = importlib.import_module("auditor.report.html")
    except ModuleNotFoundError:
        return None
    return getattr(html, "write_batch_html", None)


def _print_summary(s: dict, stream) -> None:
    verdicts = ", ".join(f"{k} {v}" for k, v in s["verdicts"].items())
    cats = ", ".join(f"{k} {v}" for k, v in s["findings"].items() if v) or "none"
    stream.write(f"mtaudit batch: {s['articles']} articles ({verdicts}); {s['errors']} failed records\n")
    stream.write(f"findings: {cats}\n")
    if s["worst"]:
        stream.write("worst: " + "; ".join(f"{w['id']} ({w['score']})" for w in s["worst"][:5]) + "\n")
    ref = s.get("reference") or {}
    if "error" in ref:
        stream.write(f"reference scores failed: {ref['error']}\n")
    for src, sc in ({} if "error" in ref else ref).items():
        stream.write(f"reference {src}: chrF {sc['chrf']:.1f} BLEU {sc['bleu']:.1f} TER {sc['ter']:.1f} ({sc['records']} records)\n")
    if s["fluency"]["articles_scored"]:
        stream.write(f"fluency: {s['fluency']['articles_scored']} articles scored, mean percentile {s['fluency']['mean_percentile']}\n")


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch_command(
        inputs: List[str] = typer.Argument(..., help="Article .txt files, directories, globs, JSON Lines (.jsonl[.gz]), RSS/Atom feeds (file or URL), or - for JSON Lines on stdin."),
        out: Optional[str] = typer.Option(None, "--out", "-o", help="Append one mtaudit.report/1 line per article here (default: stdout)."),
        resume: bool = typer.Option(False, "--resume", help="Skip ids already in --out and append the rest."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Start --out afresh when it already has reports."),
        summary_path: Optional[str] = typer.Option(None, "--summary", help="Also write the summary here: .json, .md or .csv."),
        html_dir: Optional[str] = typer.Option(None, "--html-dir", help="Write an HTML dashboard of the run here."),
        workers: int = typer.Option(0, "--workers", "-j", min=0, help="Worker processes for the rules (0 = one per CPU)."),
        fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Also exit 1 if any article has a finding at or above this level."),
        config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: found upward from each file, or the current directory)."),
        lm: Optional[bool] = typer.Option(None, "--lm/--no-lm", help="Score fluency with the language model (default: when installed)."),
        model: Optional[str] = typer.Option(None, "--model"),
        threads: int = typer.Option(1, "--threads", min=1, help="CPU threads for the language model."),
        lm_batch: int = typer.Option(64, "--lm-batch", min=1, help="Articles scored together by the language model."),
        id_field: str = typer.Option("id", "--id-field", help="JSON Lines: field with the article id (default: file:line)."),
        text_field: List[str] = typer.Option(["text", "body"], "--text-field", help="JSON Lines: text field(s), first present wins."),
        title_field: str = typer.Option("title", "--title-field"),
        date_field: str = typer.Option("date", "--date-field"),
        url_field: str = typer.Option("url", "--url-field"),
        source_field: str = typer.Option("source", "--source-field"),
        reference_field: Optional[str] = typer.Option(None, "--reference-field", help="JSON Lines: field with a trusted translation; adds chrF/BLEU/TER per record and per source (corpus)."),
        max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1, help="Refuse larger articles (error record)."),
        feed_timeout: float = typer.Option(30.0, "--feed-timeout", min=0.1, help="Seconds to wait for a feed URL (then an error record)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no printed summary."),
    ) -> None:
        """Audit many articles: JSON Lines out, a summary at the end, resumable."""
        import signal

        from auditor import batch
        from auditor.categories import at_least
        from auditor.cli import CliError, _check_severity, load_config, load_scorer

        _check_severity(fail_on)
        if resume and not out:
            raise CliError("--resume needs --out (the file to continue)")
        if resume and overwrite:
            raise CliError("--resume and --overwrite contradict each other")
        if html_dir:
            if not out:
                raise CliError("--html-dir needs --out (the dashboard reads the reports file)")
            if _html_writer() is None:
                raise CliError("--html-dir: the HTML report (auditor.report.html.write_batch_html) is not available in this build")
        if summary_path and not summary_path.lower().endswith((".json", ".md", ".csv")):
            raise CliError("--summary must end in .json, .md or .csv")
        config = load_config(None, config_path)
        scorer = load_scorer(lm, model, threads)
        if scorer is not None and not hasattr(scorer, "score_articles"):
            scorer = _PerArticle(scorer)
        fields = batch.Fields(id=id_field, title=title_field, text=tuple(text_field), date=date_field,
                              url=url_field, source=source_field, reference=reference_field)

        summary = batch.Summary()
        done: set[str] = set()
        if out:
            if os.path.isdir(out):
                raise CliError(f"--out {out}: is a directory")
            exists = os.path.exists(out) and os.path.getsize(out) > 0
            if exists and not (resume or overwrite):
                raise CliError(f"{out} already has reports: --resume to finish that run, --overwrite to start again")
            if exists and overwrite:
                open(out, "wb").close()
            if resume:
                cut = batch.LineWriter.repair(out)
                if cut:
                    typer.echo(f"mtaudit: note: {out}: dropped an unfinished last line ({cut} bytes)", err=True)
                done = batch.read_done(out, summary)
        try:
            writer = batch.LineWriter(out)
        except OSError as exc:
            raise CliError(f"{out}: cannot write: {exc.strerror or exc}") from None

        stopping = {"signal": None}

        def on_signal(signum, _frame):
            if stopping["signal"] is not None:  # second Ctrl-C: stop now
                raise KeyboardInterrupt
            stopping["signal"] = signum

        old_int = signal.signal(signal.SIGINT, on_signal)
        old_term = signal.signal(signal.SIGTERM, on_signal)
        records = batch.iter_records(inputs, fields, feed_timeout=feed_timeout)
        n_workers = workers or _default_workers()
        progress_ctx = None
        advance = None
        if _show_progress(quiet):
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            total = _count_records(inputs)
            progress_ctx = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(),
                                    TextColumn("{task.fields[rate]} articles/s"), TimeRemainingColumn(),
                                    transient=True)
            task = progress_ctx.add_task("audit", total=total, rate="-")
            import time

            t0 = time.monotonic()
            count = [0]

            def advance(n: int) -> None:
                count[0] += n
                rate = count[0] / max(time.monotonic() - t0, 1e-6)
                progress_ctx.update(task, advance=n, rate=f"{rate:.1f}")

            progress_ctx.start()
        try:
            result = batch.run_batch(records, writer, config, workers=n_workers, scorer=scorer, done=done,
                                     summary=summary, config_path=config_path, max_bytes=max_bytes,
                                     lm_batch=lm_batch, stop=lambda: stopping["signal"] is not None,
                                     progress=advance)
        finally:
            if progress_ctx is not None:
                progress_ctx.stop()
            writer.close()
            signal.signal(signal.SIGINT, old_int)
            signal.signal(signal.SIGTERM, old_term)

        s = result.summary.to_dict()
        if summary_path:
            try:
                batch.write_summary(summary_path, s)
            except OSError as exc:
                raise CliError(f"{summary_path}: cannot write: {exc.strerror or exc}") from None
        if result.interrupted:
            typer.echo(f"mtaudit: interrupted after {result.written} articles; rerun with --resume to finish", err=True)
            raise typer.Exit(130 if stopping["signal"] == signal.SIGINT else 143)
        if html_dir:
            _html_writer()(out, s, html_dir)
        if not quiet:
            _print_summary(s, sys.stdout if out else sys.stderr)
        if s["errors"]:
            raise typer.Exit(EXIT_RECORDS_FAILED)
        if fail_on and any(at_least(sev, fail_on) and n for sev, n in s["severities"].items()):
            raise typer.Exit(1)


class _PerArticle:
    """Adapter for a scorer without cross-article batching."""

    def __init__(self, scorer):
        self.scorer = scorer

    def score_articles(self, articles, order_skip=None):
        skips = order_skip if order_skip is not None else [()] * len(articles)
        return [self.scorer.score_article(a, order_skip=k) for a, k in zip(articles, skips)]
