"""Fix application: only safe fixes, no overlaps, idempotent to a fixpoint."""

from auditor.findings import Finding
from auditor.fixes import apply_fixes, fix_to_fixpoint, select_safe


def F(start, end, suggestion, fix="safe", code="TST001"):
    return Finding(code, "typography", "warning", start, end, "m", suggestion, fix)


def test_only_safe_fixes_apply():
    text = "a  b ,c"
    fs = [F(1, 3, " "), F(4, 5, "", fix="unsafe")]
    assert apply_fixes(text, fs) == "a b ,c"


def test_overlapping_fixes_earliest_longest_wins():
    fs = [F(2, 4, "X"), F(0, 5, "Y"), F(3, 6, "Z")]
    assert [f.suggestion for f in select_safe(fs)] == ["Y"]


def test_apply_within_window():
    text = "aa bb cc"
    fs = [F(0, 2, "A"), F(3, 5, "B"), F(6, 8, "C")]
    assert apply_fixes(text, fs, 3, 5) == "B"


def test_fixpoint_reaches_stable_text():
    def find(text):
        i = text.find("  ")
        return [F(i, i + 2, " ")] if i >= 0 else []

    text = "a    b"
    out = fix_to_fixpoint(text, find(text), find)
    assert out == "a b"
    assert fix_to_fixpoint(out, find(out), find) == out


def test_a_run_of_curly_marks_in_straight_style_settles():
    """Regression (found by hypothesis): such a run settles one mark per pass."""
    from auditor.config import Config
    from auditor.pipeline import fix_text

    cfg = Config(quote_style="straight")
    once = fix_text("Head\n\nHe said “““““““““ and left.", cfg)
    assert fix_text(once, cfg) == once
