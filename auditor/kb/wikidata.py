"""`mtaudit kb update`: rebuild the terms snapshot from Wikidata.

The query asks Wikidata's public SPARQL service for every "position held"
(P39) statement on the KB's offices, with its start (P580) and end (P582)
qualifiers and their precision, the holder's English label and Russian label.
Offices are named by Wikidata item (`wikidata` in offices.json) or else by
their English Wikidata label (`wikidata_label`, best effort, else `label`); an
office Wikidata does not answer for keeps its shipped terms. `parse_results` turns the standard SPARQL JSON results
format into terms; `merge` replaces the terms of the offices Wikidata
answered for and keeps the shipped terms of the others; the merged snapshot
is validated (`parse_kb`) before anything is written, and written atomically.
Only this module touches the network, and only when `kb update` runs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "mtaudit-kb-update/0.1 (https://github.com/; offline auditor of MT news)"
_PRECISION = {9: 4, 10: 7, 11: 10}  # Wikidata time precision -> characters of YYYY-MM-DD kept
SINCE = "1990-01-01"


class UpdateError(Exception):
    """A failed update (network, bad response, invalid result): one line."""


def build_query(offices) -> str:
    """The SPARQL query for `offices` (Office objects from the KB)."""
    by_item = [o for o in offices if o.wikidata]
    by_label = [o for o in offices if not o.wikidata]
    items = " ".join(f"wd:{o.wikidata}" for o in by_item)
    labels = " ".join(json.dumps(o.wikidata_label or o.label) + "@en" for o in by_label)
    office_clause = []
    if items:
        office_clause.append(f"{{ VALUES ?office {{ {items} }} }}")
    if labels:
        office_clause.append(f"{{ VALUES ?officeLabelEn {{ {labels} }} ?office rdfs:label ?officeLabelEn . }}")
    return f"""SELECT ?office ?officeLabelEn ?person ?personLabel ?personRu ?start ?startPrecision ?end ?endPrecision WHERE {{
  {' UNION '.join(office_clause)}
  ?person p:P39 ?statement .
  ?statement ps:P39 ?office ;
             pqv:P580 ?startValue .
  ?startValue wikibase:timeValue ?start ;
              wikibase:timePrecision ?startPrecision .
  OPTIONAL {{
    ?statement pqv:P582 ?endValue .
    ?endValue wikibase:timeValue ?end ;
              wikibase:timePrecision ?endPrecision .
  }}
  FILTER(!BOUND(?end) || ?end >= "{SINCE}T00:00:00Z"^^xsd:dateTime)
  OPTIONAL {{ ?office rdfs:label ?officeLabelEn . FILTER(LANG(?officeLabelEn) = "en") }}
  OPTIONAL {{ ?person rdfs:label ?personRu . FILTER(LANG(?personRu) = "ru") }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}}"""


def fetch(query: str, timeout: float = 60.0) -> dict:
    """Run `query` against the public endpoint (the only network call mtaudit makes)."""
    url = ENDPOINT + "?" + urllib.parse.urlencode({"query": query, "format": "json"})
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.load(resp)
    except (OSError, ValueError) as exc:
        raise UpdateError(f"Wikidata query failed: {exc}") from None


def _qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _date(binding: dict, value_key: str, precision_key: str) -> str | None:
    v = binding.get(value_key)
    if not v:
        return None
    text = v["value"].lstrip("+")
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise UpdateError(f"bad date {v['value']!r} in the Wikidata response") from None
    prec = int(binding.get(precision_key, {}).get("value", 11))
    if prec < 9:
        return None  # decade or coarser: useless for dating a term
    return day.isoformat()[: _PRECISION.get(prec, 10)]


def parse_results(data: dict, offices) -> tuple[list[dict], dict[str, str]]:
    """Terms (dicts with the terms.tsv fields) and Russian labels from SPARQL JSON."""
    try:
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise UpdateError("not a SPARQL JSON results document (no results.bindings)") from None
    by_item = {o.wikidata: o for o in offices if o.wikidata}
    by_label = {o.label: o for o in offices}
    by_label.update({o.wikidata_label: o for o in offices if o.wikidata_label})
    terms, russian = [], {}
    seen = set()
    for b in bindings:
        office = by_item.get(_qid(b.get("office", {}).get("value", "")))
        if office is None:
            office = by_label.get(b.get("officeLabelEn", {}).get("value", ""))
        if office is None or "person" not in b or "start" not in b:
            continue
        person_id = _qid(b["person"]["value"])
        name = b.get("personLabel", {}).get("value", person_id)
        if name == person_id:
            continue  # no English label: nothing a news text would match
        start = _date(b, "start", "startPrecision")
        end = _date(b, "end", "endPrecision")
        if start is None:
            continue
        key = (office.id, name, start)
        if key in seen:
            continue
        seen.add(key)
        terms.append({"office": office.id, "person": name, "start": start, "end": end or "",
                      "source": f"wd:{person_id}", "note": "from Wikidata"})
        if "personRu" in b:
            russian[name] = b["personRu"]["value"]
    return terms, russian


def merge(kb, new_terms: list[dict]) -> list[dict]:
    """Shipped terms of the offices Wikidata said nothing about + the new ones."""
    answered = {t["office"] for t in new_terms}
    kept = [
        {"office": t.office, "person": t.person, "start": str(t.start), "end": str(t.end or ""),
         "source": t.source, "note": t.note}
        for t in kb.terms if t.office not in answered
    ]
    out = kept + sorted(new_terms, key=lambda t: (t["office"], t["start"]))
    return out


def terms_tsv(terms: list[dict]) -> str:
    fields = ("office", "person", "start", "end", "source", "note")
    buf = io.StringIO()
    buf.write("\t".join(fields) + "\n")
    for t in terms:
        buf.write("\t".join(str(t.get(f, "")).replace("\t", " ") for f in fields) + "\n")
    return buf.getvalue()


def people_tsv(kb, russian: dict[str, str]) -> str:
    buf = io.StringIO()
    buf.write("name\tvariants\trussian\treuters\n")
    names = dict.fromkeys(list(kb.people) + list(russian))
    for name in names:
        p = kb.people.get(name)
        ru = list(p.russian) if p else []
        if name in russian and russian[name] not in ru:
            ru.append(russian[name])
        buf.write("\t".join([name, ";".join(p.variants) if p else "", ";".join(ru), p.reuters if p else ""]) + "\n")
    return buf.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build_snapshot(kb, data: dict) -> tuple[str, str]:
    """(terms.tsv, people.tsv) text from a SPARQL response; validated, or UpdateError."""
    from auditor.kb.model import KBError, parse_kb, read_files

    new_terms, russian = parse_results(data, list(kb.offices.values()))
    for t in new_terms:  # Wikidata's spelling -> the KB's canonical person, when unambiguous
        m = kb.index.match(t["person"].split())
        if m.kind == "full" and len(m.persons) == 1:
            if t["person"] in russian:
                russian.setdefault(m.persons[0].name, russian.pop(t["person"]))
            t["person"] = m.persons[0].name
    if not new_terms:
        raise UpdateError("the Wikidata response holds no usable terms; snapshot left unchanged")
    terms_text = terms_tsv(merge(kb, new_terms))
    people_text = people_tsv(kb, russian)
    offices_text = read_files(None)[0]
    try:
        parse_kb(offices_text, terms_text, people_text)
    except KBError as exc:
        raise UpdateError(f"the updated snapshot fails validation, nothing written: {exc}") from None
    return terms_text, people_text


def write_snapshot(directory: Path, terms_text: str, people_text: str) -> None:
    _write_atomic(Path(directory) / "terms.tsv", terms_text)
    _write_atomic(Path(directory) / "people.tsv", people_text)
