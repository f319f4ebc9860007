"""`mtaudit`: the command line, a thin shell over `auditor.pipeline.audit`.

    mtaudit article.txt                 # == mtaudit audit article.txt
    mtaudit fix article.txt -o out.txt  # safe fixes only, written atomically
    mtaudit rules [CODE]                # every rule, or one rule's documentation

Exit codes (hooks and CI read them): 0 nothing at or above --fail-on,
1 findings at or above it, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from typing import Optional

import typer

from auditor import __version__

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Audit English news machine-translated from Russian: find MT artifacts, score fluency, suggest fixes.",
)

# Sub-command modules (each exposes register(app)).
COMMAND_MODULES: list[str] = [
    "auditor.commands.check",
    "auditor.commands.batch",
    "auditor.commands.config",
    "auditor.commands.serve",
    "auditor.commands.compare",
    "auditor.commands.kb",
]

FORMAT_HELP = "Output format: text (default on a terminal), json, html, jsonl, check (path:line:col: CODE message), github (Actions annotations)"


class CliError(Exception):
    """A usage or input problem: one line on stderr, exit 2."""


def _fail(message: str) -> "typer.Exit":
    typer.echo(f"mtaudit: error: {message}", err=True)
    return typer.Exit(2)


def load_config(article_path: str | None, config_path: str | None = None):
    """The effective Config for an article (config files, when supported)."""
    try:
        configfile = importlib.import_module("auditor.configfile")
    except ModuleNotFoundError:
        from auditor.config import Config

        if config_path:
            raise CliError("config files are not supported in this build")
        return Config()
    try:
        return configfile.load_for(article_path, explicit=config_path)
    except ValueError as exc:  # configfile.ConfigError: one line naming file and key
        raise CliError(str(exc)) from None


def load_scorer(lm: Optional[bool], model: Optional[str], threads: int):
    """The fluency scorer, or None for a rules-only run.

    lm=None (default): score with `model` or the embedded model when the LM
    stack is installed; say so on stderr and go on rules-only when it isn't.
    lm=True or an explicit --model: failure to load is an error.
    """
    if lm is False:
        return None
    explicit = lm is True or model is not None
    try:
        lm_mod = importlib.import_module("auditor.lm")
    except ModuleNotFoundError:
        if explicit:
            raise CliError("fluency scoring is not available in this build")
        return None
    try:
        return lm_mod.load_scorer(model, threads=threads)
    except lm_mod.ModelLoadError as exc:
        if explicit:
            raise CliError(str(exc))
        typer.echo(f"mtaudit: note: fluency scoring skipped: {exc}", err=True)
        return None


def read_article(path: str, date: Optional[str], max_bytes: int, title: Optional[str] = None):
    """Decode and parse an article file ("-" = stdin) into an Article."""
    from auditor.article import build_article
    from auditor.dates import parse_date
    from auditor.textio import InputError, decode_article, read_bytes

    try:
        day = parse_date(date) if date else None
    except ValueError as exc:
        raise CliError(str(exc))
    try:
        data = read_bytes(path, max_bytes)
        source = "<stdin>" if path == "-" else path
        decoded = decode_article(data, source)
    except InputError as exc:
        raise CliError(str(exc))
    if not decoded.text.strip():
        raise CliError(f"{source}: empty article")
    return build_article(decoded.text, source=source, date=day, encoding=decoded, title=title)


def emit(text: str, output: Optional[str]) -> None:
    if output and output != "-":
        from auditor.atomic import write_text_atomic

        try:
            write_text_atomic(output, text)
        except OSError as exc:
            raise CliError(f"{output}: cannot write: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def render_report(report, fmt: str, output: Optional[str]) -> None:
    from auditor.report import get_renderer

    try:
        render = get_renderer(fmt)
    except ValueError as exc:
        raise CliError(str(exc))
    if fmt == "text" and not output:
        render(report, sys.stdout)  # rich decides colour from the real stream
        return
    buf = io.StringIO()
    render(report, buf)
    emit(buf.getvalue(), output)


def _check_severity(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("error", "warning", "info"):
        raise CliError(f"--fail-on must be error, warning or info, not {value!r}")
    return value


@app.command("audit")
def audit_command(
    article: str = typer.Argument(..., help="Article .txt (first line = headline if a blank line follows), a saved .html page, or - for stdin."),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the report (or, with --fix, the cleaned text) here, atomically."),
    date: Optional[str] = typer.Option(None, "--date", help="Article date YYYY-MM-DD (default: inferred from the text)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 1 if any finding is at or above: error (default), warning, info."),
    fix: bool = typer.Option(False, "--fix", help="Write the cleaned article (safe fixes only) instead of a report."),
    lm: Optional[bool] = typer.Option(None, "--lm/--no-lm", help="Score fluency with the language model (default: when installed)."),
    model: Optional[str] = typer.Option(None, "--model", help="Causal LM for fluency: Hugging Face id or local path (default: embedded)."),
    threads: int = typer.Option(1, "--threads", min=1, help="CPU threads for the language model."),
    config_path: Optional[str] = typer.Option(None, "--config", help="Configuration file (default: .mtaudit.toml found upward)."),
    max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1, help="Refuse larger inputs."),
    title: Optional[str] = typer.Option(None, "--title", help="Headline, when the file has none."),
) -> None:
    """Audit one article and print a per-sentence cleanup report."""
    from auditor.pipeline import audit

    _check_severity(fail_on)
    config = load_config(None if article == "-" else article, config_path)
    doc = read_article(article, date, max_bytes, title)
    scorer = None if fix else load_scorer(lm, model, threads)
    report = audit(doc, config, scorer=scorer)
    if fix:
        emit(report.cleaned_text, output)
        raise typer.Exit(0)
    render_report(report, fmt, output)
    _FAST_EXIT["ok"] = True  # everything is written: run() may skip the interpreter's teardown
    raise typer.Exit(report.exit_code(fail_on or config.fail_on))


@app.command("fix")
def fix_command(
    article: str = typer.Argument(..., help="Article .txt, or - for stdin."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write here (atomically); default stdout."),
    in_place: bool = typer.Option(False, "--in-place", "-i", help="Rewrite the article file itself (atomically)."),
    config_path: Optional[str] = typer.Option(None, "--config"),
    max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1),
) -> None:
    """Write the article with every safe fix applied; text without a finding is never touched."""
    from auditor.pipeline import fix_text

    if in_place and (article == "-" or output):
        raise CliError("--in-place needs a file and no --output")
    config = load_config(None if article == "-" else article, config_path)
    doc = read_article(article, None, max_bytes)
    if in_place and doc.encoding is not None and getattr(doc.encoding, "html", False):
        raise CliError(f"{article}: a web page; the fixed text has no markup, so it is not written over the page (use --output)")
    emit(fix_text(doc.text, config), article if in_place else output)


@app.command("rules")
def rules_command(
    code: Optional[str] = typer.Argument(None, help="Show this rule's documentation."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json or markdown"),
) -> None:
    """List every rule (code, name, category, severity, fix safety) or document one."""
    import json

    from auditor.detectors.registry import all_rules, get_rule

    _register_lm_rules()
    if code:
        try:
            r = get_rule(code)
        except KeyError as exc:
            raise CliError(str(exc.args[0]))
        typer.echo(f"{r.code} {r.name}\ncategory: {r.category}   severity: {r.severity}   fix: {_fix_label(r, 'none')}\n\n{r.doc}")
        return
    rules = all_rules()
    if fmt == "json":
        typer.echo(json.dumps([{"code": r.code, "name": r.name, "category": r.category, "severity": r.severity,
                                "fix": r.fix, "safe_hits": r.safe_hits, "summary": r.summary, "doc": r.doc} for r in rules], indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        typer.echo(rules_markdown(rules), nl=False)
    else:
        for r in rules:
            typer.echo(f"{r.code:<8} {r.name:<32} {r.category:<15} {r.severity:<8} {r.fix or '-':<7} {r.summary}")


def _fix_label(r, none: str) -> str:
    """The rule's fix level; "+ safe hits" when some of its hits carry a safe fix anyway."""
    return f"{r.fix or none} + safe hits".strip() if r.safe_hits else (r.fix or none)


def rules_markdown(rules) -> str:
    """The rule reference (docs/RULES.md), generated from the rules themselves."""
    lines = [
        "# mtaudit rules",
        "",
        "Generated by `mtaudit rules --format markdown` from each rule's declaration and docstring;",
        "a test keeps this file current. Severity: `error` must not be published, `warning` an editor",
        "should look, `info` style. Fix: `safe` is applied by `mtaudit fix`, `unsafe` is a suggestion;",
        "`+ safe hits`: the hits whose fix is unambiguous are safe (e.g. a ``...'' pair).",
        "",
        "| code | name | category | severity | fix | summary |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules:
        lines.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.category} | {r.severity} | {_fix_label(r, '')} | {r.summary} |")
    for r in rules:
        lines += ["", f"## {r.code}", "", f"`{r.name}` · category `{r.category}` · severity `{r.severity}` · fix `{_fix_label(r, 'none')}`", ""]
        lines.append(r.doc or r.summary)
    return "\n".join(lines) + "\n"


def _register_lm_rules() -> None:
    """LM rules are declared by auditor.lm's rule module, which imports no torch."""
    for name in ("auditor.lm.rules",):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            pass


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"mtaudit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True, help="Print the version."),
) -> None:
    pass


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _click_exceptions():
    """click's exception modules: typer >= 0.2x vendors its own copy of click."""
    mods = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            mods.append(importlib.import_module(name))
        except ImportError:
            pass

    def classes(name):  # not every typer/click version defines every class
        return tuple(getattr(m, name) for m in mods if isinstance(getattr(m, name, None), type))

    return classes("Exit"), classes("Abort"), classes("ClickException"), classes("NoArgsIsHelpError")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: `mtaudit ARTICLE` means `mtaudit audit ARTICLE`."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    if args and args[0] not in command.commands and args[0] not in ("--help", "-h", "--version"):
        args.insert(0, "audit")  # the article (or an option) comes first: the audit command
    exits, aborts, errors, no_args = _click_exceptions()
    try:
        result = command.main(args=args, prog_name="mtaudit", standalone_mode=False)
        return int(result or 0)
    except typer.Exit as exc:
        return exc.exit_code
    except CliError as exc:
        typer.echo(f"mtaudit: error: {exc}", err=True)
        return 2
    except exits as exc:
        return exc.exit_code
    except no_args as exc:
        exc.show()
        return 2
    except errors as exc:  # usage errors: one line, click's exit code (2)
        typer.echo(f"mtaudit: error: {exc.format_message()}", err=True)
        return exc.exit_code if exc.exit_code else 2
    except aborts:
        typer.echo("mtaudit: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("mtaudit: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line, exit 2, never a traceback (MTAUDIT_DEBUG=1 shows it)
        if os.environ.get("MTAUDIT_DEBUG"):
            raise
        typer.echo(f"mtaudit: internal error: {type(exc).__name__}: {exc}", err=True)
        return 2


# Set by the audit command once its report is written. Tearing the interpreter down after
# torch was imported cost ~0.33 s of a ~2 s cold one-article audit here (`python -c "import
# torch"`: 1.22 s wall, 0.89 s ending in os._exit; BENCHMARKS.md, eighteenth session), so a
# finished audit ends the process at once. Only the audit command: batch and serve may have
# worker processes and threads to join, and rules-only runs never import torch.
_FAST_EXIT = {"ok": False}


def _exit_now(code: int) -> None:
    """End the process with `code` without the interpreter's teardown (stdout and
    stderr flushed first; files were written and closed atomically before)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it anyway
            pass
    os._exit(code)


def run() -> None:
    code = main()
    if _FAST_EXIT["ok"] and "torch" in sys.modules:
        _exit_now(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
