"""The on-disk regex cache (auditor/kb/cache.py) and the lazily compiled data regexes."""

import re

import pytest

from auditor.kb import cache

PATTERNS = [
    (r"(?<![\w'])(?P<cp>russian|russia's)\s+(?P<core>foreign\s+minister)(?![\w-])", 0),
    (r"(?P<g3>subscribe[ \t\u00a0]+to)(?![^\W_])", re.IGNORECASE),
    (r"\d+(?:\.\d+)?|[^\W_]+", re.UNICODE),
]


def fresh_store(monkeypatch, where):
    monkeypatch.setenv("MTAUDIT_CACHE_DIR", str(where))
    return cache._RegexStore()


def test_round_trip_gives_equal_patterns(tmp_path, monkeypatch):
    first = fresh_store(monkeypatch, tmp_path)
    compiled = [first.compile(p, f) for p, f in PATTERNS]
    first.save()
    assert list(tmp_path.glob("regex-*.marshal"))
    second = fresh_store(monkeypatch, tmp_path)
    for (p, f), rx in zip(PATTERNS, compiled):
        got = second.compile(p, f)
        assert got == re.compile(p, f) == rx  # same pattern, flags and compiled code
        assert got.groupindex == re.compile(p, f).groupindex
    assert not second.dirty  # all served from the file
    m = second.compile(*PATTERNS[0]).search("said Russia's foreign minister.".lower())
    assert m and m.group("core") == "foreign minister"


def test_damaged_file_is_a_miss(tmp_path, monkeypatch):
    store = fresh_store(monkeypatch, tmp_path)
    store.compile(*PATTERNS[0])
    store.save()
    for f in tmp_path.glob("regex-*.marshal"):
        f.write_bytes(b"\x00garbage")
    again = fresh_store(monkeypatch, tmp_path)
    assert again.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MTAUDIT_CACHE_DIR", "off")
    store = cache._RegexStore()
    assert store.compile(*PATTERNS[1]) == re.compile(*PATTERNS[1])
    store.save()
    assert cache.cache_dir() is None and not list(tmp_path.iterdir())


def test_unwritable_dir_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = fresh_store(monkeypatch, blocker / "sub")  # a path under a file
    assert store.compile(*PATTERNS[2]) == re.compile(*PATTERNS[2])
    store.save()


def test_every_calque_entry_compiles():
    # Entries compile on first use; a bad pattern must still be caught here.
    from auditor.detectors.calque import shipped_entries

    for e in shipped_entries():
        assert e.regex.compiled.pattern == e.regex.source


def test_bad_calque_pattern_names_its_origin():
    from auditor.detectors.calque import LazyPattern

    with pytest.raises(ValueError, match="calques.tsv line 7"):
        LazyPattern("(unclosed", re.IGNORECASE, "calques.tsv line 7").compiled


def test_every_boilerplate_regex_compiles():
    from auditor.detectors.boilerplate import _matcher

    mt = _matcher(())
    for word in mt.by_first:
        joined, singles = mt.bucket(word)
        assert joined.pattern and all(s.pattern for s in singles)
    for indices in mt.keys.values():
        for i in indices:
            assert mt.within(i).pattern
