"""Invariant checks shared by the detectors' property tests."""

from auditor.fixes import apply_fixes


def assert_offsets_valid(findings, text):
    """Every finding's span lies inside the text."""
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), (f.code, f.start, f.end, len(text))


def assert_fixes_settle(run, text, found, passes=4):
    """Applying the safe fixes over and over leaves no safe finding within `passes` rounds."""
    for _ in range(passes):
        if not any(f.is_safe_fix for f in found):
            break
        text = apply_fixes(text, found)
        found = run(text)
    assert not any(f.is_safe_fix for f in found), [f.code for f in found if f.is_safe_fix]
