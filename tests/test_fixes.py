"""Fix application: only safe fixes, no overlaps, idempotent to a fixpoint."""

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _drop_pairwise(findings):
    """The definition: drop a non-error finding that a longer safe deletion covers."""
    dels = [g for g in findings if g.is_safe_fix and g.suggestion == "" and g.end > g.start]
    return [
        f
        for f in findings
        if f.severity == "error"
        or not any(g.start <= f.start and f.end <= g.end and (g.end - g.start) > (f.end - f.start) for g in dels)
    ]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 12),
            st.integers(0, 4),
            st.sampled_from(["", "x", None]),
            st.sampled_from(["safe", "unsafe"]),
            st.sampled_from(["error", "warning", "info"]),
        ),
        max_size=14,
    )
)
@settings(max_examples=400, deadline=None)
def test_drop_inside_deletions_matches_its_definition(rows):
    from auditor.pipeline import _drop_inside_deletions

    findings = [
        Finding("TST001", "typography", sev, a, a + n, "m", sug, fix if sug is not None else None)
        for a, n, sug, fix, sev in rows
    ]
    assert _drop_inside_deletions(findings) == _drop_pairwise(findings)
