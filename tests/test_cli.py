"""The command line: formats, exit codes, bad input as one line + exit 2."""

import json
import os
import subprocess
import sys

import pytest

from auditor.cli import main
from tests.conftest import ROOT, SEEDS

SEED0 = os.path.join(SEEDS, "000_ad98f480298dccfc.txt")
SEED1 = os.path.join(SEEDS, "001_326390cf8e72ab50.txt")


def run_cli(*args, stdin=None):
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          input=stdin, env=env, cwd=ROOT, timeout=120)


def test_json_report_and_exit_code():
    p = run_cli("--no-lm", "--format", "json", SEED0)
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    assert d["schema"] == "mtaudit.report/1" and d["verdict"] == "fail"


def test_fail_on_threshold(capsys):
    assert main(["--no-lm", "--format", "json", "--fail-on", "error", SEED1]) in (0, 1)
    d = json.loads(capsys.readouterr().out)
    worst = {f["severity"] for s in d["sentences"] for f in s["findings"]} | {f["severity"] for f in d["document_findings"]}
    assert main(["--no-lm", "--format", "json", "--fail-on", "info", SEED1]) == (1 if worst else 0)


def test_terminal_report_without_colour():
    p = run_cli("--no-lm", SEED0)
    assert p.returncode == 1
    assert "\x1b[" not in p.stdout
    assert "verdict: FAIL" in p.stdout
    assert "Findings by category" in p.stdout


def test_terminal_report_never_passes_escape_sequences_through():
    # a scraped article carrying terminal escapes (a colour, a window-title OSC) and a bidi override
    text = "Title\x1b]0;owned\x07 here\n\nThe \x1b[31mministry\x1b[0m said \u202eno\u202c on Monday. It was quiet.\n"
    p = run_cli("--no-lm", "-", stdin=text)
    assert p.returncode == 1, p.stderr
    assert not any(c in p.stdout for c in "\x1b\x07\u202e\u202c")
    assert "Title␛]0;owned␇ here" in p.stdout and "The ␛[31mministry␛[0m said ▯no▯ on Monday." in p.stdout
    assert "ENC004" in p.stdout and "ENC005" in p.stdout


def test_a_saved_page_is_audited_as_its_text_and_never_overwritten(tmp_path):
    page = tmp_path / "story.html"
    html = ("<!doctype html><html><body><h1>Talks</h1><p>The talks lasted two hours &amp;mdash; longer.</p>"
            "<p>Источник</p></body></html>")
    page.write_text(html, encoding="utf-8")
    p = run_cli("--no-lm", "--format", "json", str(page))
    d = json.loads(p.stdout)
    assert p.returncode == 1 and d["title"] == "Talks"
    assert {f["code"] for s in d["sentences"] for f in s["findings"]} >= {"ENT001", "CYR001"}
    assert "<p>" not in d["cleaned_text"] and "—" in d["cleaned_text"]
    p = run_cli("fix", "--in-place", str(page))
    assert p.returncode == 2 and "web page" in p.stderr and p.stderr.count("\n") == 1
    assert page.read_text(encoding="utf-8") == html  # untouched
    p = run_cli("check", str(page))
    assert p.returncode == 1 and f"{page}:3:28: ENT001" in p.stdout  # line 3 of the extracted text (headline, blank line, body)


def test_stdin_and_date():
    text = open(SEED1, encoding="utf-8").read()
    p = run_cli("--no-lm", "--format", "json", "--date", "2021-12-01", "-", stdin=text)
    d = json.loads(p.stdout)
    assert d["source"] == "<stdin>" and d["date"] == "2021-12-01"


def test_fix_writes_atomically_and_is_idempotent(tmp_path):
    out1, out2 = tmp_path / "a.txt", tmp_path / "b.txt"
    assert main(["fix", SEED0, "-o", str(out1)]) == 0
    assert main(["fix", str(out1), "-o", str(out2)]) == 0
    assert out1.read_text("utf-8") == out2.read_text("utf-8")
    assert "& mdash;" not in out1.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mtaudit-")] == []


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: str(d), "directory"),
        (lambda d: (d / "bin.dat").write_bytes(bytes(range(256)) * 4) and str(d / "bin.dat"), "binary"),
        (lambda d: (d / "empty.txt").write_text("") is not None and str(d / "empty.txt"), "empty"),
        (lambda d: (d / "blank.txt").write_text(" \n\n \n") is not None and str(d / "blank.txt"), "empty"),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["--no-lm", path]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_huge_file_refused_without_reading_it_all(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.seek(100 * 1024 * 1024)
        fh.write(b"x")
    assert main(["--no-lm", str(big)]) == 2
    assert "too large" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    assert main(["audit", "--no-such-option", SEED1]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mtaudit: error: No such option") and "internal error" not in err
    assert main(["fix"]) == 2
    assert main(["--no-lm", "--format", "nope", SEED1]) == 2
    assert main(["--no-lm", "--date", "yesterday", SEED1]) == 2
    assert main(["--no-lm", "--fail-on", "fatal", SEED1]) == 2


def test_headline_less_file_gets_a_report(tmp_path, capsys):
    p = tmp_path / "nohead.txt"
    p.write_text("The talks stalled. Both sides left.", "utf-8")
    assert main(["--no-lm", "--format", "json", str(p)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["title"] is None and d["verdict"] == "pass"


def test_rules_listing_and_docs(capsys):
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "ENT001" in listing
    assert main(["rules", "ENT001"]) == 0
    assert "category: entity" in capsys.readouterr().out
    assert main(["rules", "NOPE999"]) == 2


def test_rules_only_run_never_imports_torch():
    code = (
        "import sys; from auditor.cli import main; "
        f"rc = main(['--no-lm', '--format', 'json', {SEED0!r}]); "
        "sys.stdout.flush(); "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr[-500:]


def test_rules_reference_is_current():
    """docs/RULES.md is generated from the rules; regenerate with
    `mtaudit rules --format markdown > docs/RULES.md`."""
    from auditor.cli import _register_lm_rules, rules_markdown
    from auditor.detectors.registry import all_rules

    _register_lm_rules()
    with open(os.path.join(ROOT, "docs", "RULES.md"), encoding="utf-8") as fh:
        assert fh.read() == rules_markdown(all_rules())


def test_ordinals_in_terminal_report():
    from auditor.report.terminal import ordinal

    assert [ordinal(n) for n in (0, 1, 2, 3, 4, 11, 12, 13, 21, 22, 61, 100, 101)] == [
        "0th", "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "61st", "100th", "101st"]


def test_an_lm_audit_that_ends_without_teardown_still_delivers_its_whole_report(tmp_path):
    """With torch loaded, a finished audit ends the process at once (cli._exit_now): the
    buffered report must reach the pipe and the --output file whole, with the exit code."""
    pytest.importorskip("torch")
    pytest.importorskip("sentencepiece")
    p = run_cli("--format", "json", SEED0)
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)  # a truncated buffer would not parse
    assert d["verdict"] == "fail" and any(s.get("fluency") for s in d["sentences"])
    text = run_cli(SEED0)  # the text report (about 12 kB) ends with its verdict line
    assert text.returncode == 1 and len(text.stdout) > 8000
    assert text.stdout.rstrip().splitlines()[-1].startswith("verdict: FAIL")
    out = tmp_path / "r.json"
    q = run_cli("--format", "json", "-o", str(out), SEED1)
    assert q.returncode == 0, q.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "mtaudit.report/1"


def test_every_rule_doc_is_dedented_prose():
    """A stray newline escape in a docstring ("a\\nb") once left a rule's whole
    reference indented as a code block in docs/RULES.md."""
    from auditor.cli import _register_lm_rules
    from auditor.detectors.registry import all_rules

    _register_lm_rules()
    for r in all_rules():
        assert not [line for line in r.doc.splitlines()[1:] if line.startswith("    ")], r.code
