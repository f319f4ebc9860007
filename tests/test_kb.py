"""The officials knowledge base: data, validation, names, roles, Wikidata parsing, `mtaudit kb`."""

import datetime as dt
import json
from pathlib import Path

import pytest

from auditor.kb import KBError, load_kb, parse_kb
from auditor.kb.model import PartialDate, read_files
from auditor.kb.names import skeleton
from auditor.kb import wikidata
from tests.conftest import ROOT

DATA = Path(ROOT) / "tests" / "data"
D = dt.date


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def files():
    return read_files(None)


def test_kb_size_and_sources(kb):
    assert len(kb.terms) >= 400
    assert all(t.source for t in kb.terms)
    years = {y for t in kb.terms for y in range(t.start.earliest.year, (t.end.latest.year if t.end else 2025) + 1)}
    assert set(range(2000, 2026)) <= years


@pytest.mark.parametrize("office", [
    "RU.president", "RU.prime_minister", "RU.foreign_minister", "RU.defence_minister", "RU.presidential_spokesperson",
    "RU.mfa_spokesperson", "RU.ambassador_to_us", "RU.moscow_mayor", "US.president", "US.foreign_minister",
    "US.mfa_spokesperson", "US.ambassador_to_ru", "UA.president", "UA.foreign_minister", "BY.president",
    "KZ.president", "UK.prime_minister", "DE.prime_minister", "FR.president", "TR.president", "CN.president",
    "EU.commission_president", "EU.high_representative", "NATO.secretary_general", "UN.secretary_general",
])
def test_offices_are_covered(kb, office):
    assert kb.by_office[office]


def test_holders_on_a_date(kb):
    assert [t.person for t in kb.holders_on("RU.foreign_minister", D(2021, 12, 1))] == ["Sergey Lavrov"]
    assert [t.person for t in kb.holders_on("RU.defence_minister", D(2010, 1, 1))] == ["Anatoly Serdyukov"]
    assert [t.person for t in kb.holders_on("US.president", D(2016, 6, 1))] == ["Barack Obama"]
    # a handover day belongs to both terms
    assert {t.person for t in kb.holders_on("RU.foreign_minister", D(2004, 3, 9))} == {"Igor Ivanov", "Sergey Lavrov"}


def test_partial_dates():
    assert PartialDate.parse("2004").earliest == D(2004, 1, 1) and PartialDate.parse("2004").latest == D(2004, 12, 31)
    m = PartialDate.parse("2008-02")
    assert (m.earliest, m.latest, m.precision) == (D(2008, 2, 1), D(2008, 2, 29), "month")
    assert PartialDate.parse("2004-03-09").precision == "day"
    with pytest.raises(ValueError):
        PartialDate.parse("03/09/2004")


def _with_terms(files, extra_lines: str, header: str | None = None):
    offices, terms, people = files
    if header is not None:
        terms = header + "\n" + terms.split("\n", 1)[1]
    return parse_kb(offices, terms + extra_lines, people)


def test_rejects_overlapping_single_holder_terms(files):
    with pytest.raises(KBError, match="overlapping terms for single-holder office RU.foreign_minister"):
        _with_terms(files, "RU.foreign_minister\tYevgeny Ivanov\t2021-01-01\t2021-06-01\twp:Test\t\n")


def test_rejects_end_before_start(files):
    with pytest.raises(KBError, match="ends .* before starting"):
        _with_terms(files, "RU.first_deputy_pm\tSomebody Else\t2010-05-01\t2009-01-01\twp:Test\t\n")


def test_rejects_unknown_fields(files):
    offices, terms, people = files
    with pytest.raises(KBError, match="unknown field 'party'"):
        _with_terms(files, "", header="office\tperson\tstart\tend\tsource\tnote\tparty")
    bad = json.loads(offices)
    bad["offices"][0]["salary"] = 1
    with pytest.raises(KBError, match="unknown field 'salary'"):
        parse_kb(json.dumps(bad), terms, people)


def test_rejects_unknown_office_and_bad_source(files):
    with pytest.raises(KBError, match="unknown office"):
        _with_terms(files, "RU.tsar\tNobody\t2010-05-01\t\twp:Test\t\n")
    with pytest.raises(KBError, match="source"):
        _with_terms(files, "RU.first_deputy_pm\tNobody\t2010-05-01\t\tmy memory\t\n")


def test_error_message_is_one_line(files):
    try:
        _with_terms(files, "RU.foreign_minister\tYevgeny Ivanov\t2021-01-01\t2021-06-01\twp:Test\t\n")
    except KBError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("terms.tsv:")


def test_skeleton_merges_transliterations():
    assert skeleton("Zelensky") == skeleton("Zelenskyy") == skeleton("Zelenskiy")
    assert skeleton("Shoigu") == skeleton("Shoygu")
    assert skeleton("Sergey") == skeleton("Sergei")
    assert skeleton("Лавров") == skeleton("Lavrov")
    assert skeleton("Lavrov") != skeleton("Ivanov")


def test_name_lookup(kb):
    m = kb.index.match(["Sergei", "Shoygu"])
    assert m.kind == "full" and [p.name for p in m.persons] == ["Sergei Shoigu"]
    assert kb.index.match(["Yevgeny", "Ivanov"]).persons[0].name == "Yevgeny Ivanov"
    assert kb.index.match(["Pyotr", "Ivanov"]).conflict  # a known surname, nobody of that first name
    assert {p.name for p in kb.index.match(["Ivanov"]).persons} >= {"Igor Ivanov", "Sergei Ivanov"}
    assert kb.index.match(["Maria", "Zakharowa"]).persons[0].name == "Maria Zakharova"
    assert kb.index.match(["Ursula", "von", "der", "Leyen"]).persons[0].name == "Ursula von der Leyen"
    assert kb.index.search("Лавров")[0].name == "Sergey Lavrov"


def test_role_phrases_resolve():
    from auditor.kb.roles import resolve_query

    for query, role, country in [
        ("Russian foreign minister", "foreign_minister", "RU"),
        ("the head of the Russian Foreign Ministry", "foreign_minister", "RU"),
        ("Russia's top diplomat", "foreign_minister", "RU"),
        ("Minister of Foreign Affairs of Ukraine", "foreign_minister", "UA"),
        ("Kremlin spokesman", "presidential_spokesperson", None),
        ("press secretary of the Russian President", "presidential_spokesperson", "RU"),
        ("State Department spokesperson", "mfa_spokesperson", None),
        ("U.S. ambassador to Russia", "ambassador_to_ru", "US"),
        ("NATO Secretary General", "secretary_general", "NATO"),
    ]:
        rm = resolve_query(query)
        assert rm is not None and (rm.role, rm.country) == (role, country), query
    assert resolve_query("Minister Counselor") is None
    assert resolve_query("Deputy Prime Minister") is None or resolve_query("Deputy Prime Minister").role is None


# --- Wikidata (offline, recorded response) ---

def test_wikidata_parse_fixture(kb):
    data = json.loads((DATA / "kb_sparql_response.json").read_text("utf-8"))
    terms, russian = wikidata.parse_results(data, list(kb.offices.values()))
    got = {(t["office"], t["person"], t["start"], t["end"]) for t in terms}
    assert ("RU.president", "Vladimir Putin", "2000-05-07", "2008-05-07") in got
    assert ("RU.president", "Vladimir Putin", "2012-05-07", "") in got
    assert ("NATO.secretary_general", "Jens Stoltenberg", "2014-10-01", "2024-10") in got  # month precision kept
    assert not any(t["person"] == "Ignored Person" for t in terms)  # an office the KB does not know
    assert all(t["source"].startswith("wd:Q") for t in terms)
    assert russian["Dmitry Medvedev"].startswith("Дмитрий")


def test_wikidata_snapshot_is_validated(kb):
    data = json.loads((DATA / "kb_sparql_response.json").read_text("utf-8"))
    terms_text, people_text = wikidata.build_snapshot(kb, data)
    snap = parse_kb(read_files(None)[0], terms_text, people_text)
    assert [t.person for t in snap.holders_on("RU.president", D(2010, 1, 1))] == ["Dmitry Medvedev"]
    assert snap.by_office["RU.foreign_minister"]  # offices Wikidata did not answer for are kept
    bad = json.loads(json.dumps(data))
    bad["results"]["bindings"][1]["start"]["value"] = "2006-01-01T00:00:00Z"  # overlaps Putin's term
    with pytest.raises(wikidata.UpdateError, match="fails validation"):
        wikidata.build_snapshot(kb, bad)
    with pytest.raises(wikidata.UpdateError, match="SPARQL JSON"):
        wikidata.build_snapshot(kb, {"nothing": 1})


def test_query_mentions_p39_and_qualifiers(kb):
    q = wikidata.build_query(list(kb.offices.values()))
    assert "ps:P39" in q and "pqv:P580" in q and "pqv:P582" in q and "timePrecision" in q


# --- CLI ---

def test_cli_who_and_search(capsys):
    from auditor.cli import main

    assert main(["kb", "who", "Russian foreign minister", "--date", "2021-12-01"]) == 0
    out = capsys.readouterr().out
    assert "Sergey Lavrov" in out and "Igor Ivanov" not in out
    assert main(["kb", "search", "Zelenskiy", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "Volodymyr Zelenskyy" and rows[0]["terms"][0]["office"] == "UA.president"
    assert main(["kb", "who", "Kremlin spokesman", "--date", "2021-13-45"]) == 2
    assert "invalid date" in capsys.readouterr().err


def test_cli_update_from_file(tmp_path, capsys):
    from auditor.cli import main

    out = tmp_path / "snap"
    assert main(["kb", "update", "--from-file", str(DATA / "kb_sparql_response.json"), "--out", str(out)]) == 0
    assert (out / "terms.tsv").exists() and (out / "people.tsv").exists()
    bad = tmp_path / "bad.json"
    data = json.loads((DATA / "kb_sparql_response.json").read_text("utf-8"))
    data["results"]["bindings"][1]["end"]["value"] = "2001-01-01T00:00:00Z"  # ends before it starts
    bad.write_text(json.dumps(data), "utf-8")
    out2 = tmp_path / "snap2"
    assert main(["kb", "update", "--from-file", str(bad), "--out", str(out2)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing written" in err
    assert not out2.exists()
