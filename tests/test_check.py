"""`mtaudit check`: hook output, exit codes, formats, no torch."""

import json
import os
import subprocess
import sys

from auditor.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOD = "Talks resume in Geneva\n\nThe delegations met on Monday and agreed to meet again next week.\n"
BAD = "Talks stall\n\nThe minister said &mdash; talks will resume.\nRead also: other news\n"
WARN_ONLY = "Talks stall\n\nThe minister said talks will resume , officials said.\n"


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_clean_article_exits_0_and_prints_nothing(tmp_path, capsys):
    assert main(["check", write(tmp_path, "good.txt", GOOD)]) == 0
    assert capsys.readouterr().out == ""


def test_findings_one_line_each_path_line_col_code(tmp_path, capsys):
    path = write(tmp_path, "bad.txt", BAD)
    assert main(["check", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{path}:3:19: ENT001 [error]" in lines[0]
    assert any(line.startswith(f"{path}:4:1: BOI003 [error]") for line in lines)
    for line in lines:
        p, ln, col, rest = line.split(":", 3)
        assert p == path and ln.isdigit() and col.isdigit() and rest.startswith(" ")


def test_fail_on_threshold(tmp_path, capsys):
    path = write(tmp_path, "warn.txt", WARN_ONLY)
    assert main(["check", path]) == 0  # default: error
    assert "TYP001" in capsys.readouterr().out
    assert main(["check", "--fail-on", "warning", path]) == 1
    assert main(["check", "--fail-on", "loud", path]) == 2


def test_fail_on_from_config(tmp_path):
    path = write(tmp_path, "warn.txt", WARN_ONLY)
    write(tmp_path, ".mtaudit.toml", 'fail_on = "warning"\n')
    assert main(["check", path]) == 1
    assert main(["check", "--fail-on", "error", path]) == 0  # the flag wins


def test_bad_input_exits_2_but_checks_the_rest(tmp_path, capsys):
    bad = write(tmp_path, "bad.txt", BAD)
    empty = write(tmp_path, "empty.txt", "")
    status = main(["check", str(tmp_path / "missing.txt"), empty, bad])
    cap = capsys.readouterr()
    assert status == 2
    assert "ENT001" in cap.out
    errs = [line for line in cap.err.splitlines() if line.startswith("mtaudit: error:")]
    assert len(errs) == 2 and "missing.txt" in errs[0]


def test_github_annotations(tmp_path, capsys):
    path = write(tmp_path, "bad,one.txt", BAD)
    assert main(["check", "--format", "github", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    first = lines[0]
    assert first.startswith("::error file=") and "bad%2Cone.txt" in first
    assert ",line=3,col=19,endLine=3,endColumn=26,title=ENT001 html-entity::" in first
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_jsonl_and_json_formats_match_the_audit_command(tmp_path, capsys):
    path = write(tmp_path, "bad.txt", BAD)
    main(["--format", "json", "--no-lm", path])
    single = json.loads(capsys.readouterr().out)
    main(["check", "--format", "jsonl", path, path])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and json.loads(lines[0]) == single
    assert main(["check", "--format", "json", path, path]) == 2


def test_check_and_github_formats_on_the_audit_command(tmp_path, capsys):
    path = write(tmp_path, "bad.txt", BAD)
    assert main(["--format", "check", "--no-lm", path]) == 1
    out = capsys.readouterr().out
    assert f"{path}:3:19: ENT001" in out  # positions from re-reading the file


def test_hook_path_imports_no_torch(tmp_path):
    path = write(tmp_path, "bad.txt", BAD)
    code = ("import sys; from auditor.cli import main; rc = main(['check', %r]); "
            "print('TORCH' if 'torch' in sys.modules or 'transformers' in sys.modules else 'NOTORCH', rc)" % path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
    assert out.strip().endswith("NOTORCH 1")
