"""The officials knowledge base: offices, people and dated terms of office.

Three data files (in `auditor/kb/data/`, or the directory named by the
`MTAUDIT_KB_DIR` environment variable, e.g. a `mtaudit kb update` snapshot):

* `offices.json`: countries (the adjectives and nouns English news uses for
  them), roles (the phrases that name a role: "foreign minister",
  "head of the {C} Foreign Ministry", "Kremlin spokesman"...) and offices
  (country + role, `single`: one holder at a time, `complete`: every holder
  since 2000 is listed, so a name that is not among them did not hold it).
* `terms.tsv`: one holder record per line: office, person, start, end
  (YYYY-MM-DD, or YYYY-MM / YYYY where only that much is known; empty end =
  still in office at the snapshot date), source (`wd:Q…` Wikidata item,
  `wp:Title` English Wikipedia article, or a URL), note.
* `people.tsv`: canonical spelling (AP style), `;`-separated variant
  spellings and Russian forms, and the Reuters spelling where it differs.

A file that fails validation raises `KBError` with a one-line message and
nothing is loaded (no half-built KB is ever returned).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from auditor.kb import names

TERM_FIELDS = ("office", "person", "start", "end", "source", "note")
TERM_REQUIRED = ("office", "person", "start", "source")
PEOPLE_FIELDS = ("name", "variants", "russian", "reuters")
OFFICE_FIELDS = {"id", "country", "role", "label", "single", "complete", "also_roles", "abolished", "wikidata", "wikidata_label"}
ROLE_FIELDS = {"label", "phrases", "countries", "role", "ambiguous"}
COUNTRY_FIELDS = {"name", "adj", "noun", "poss"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SOURCE = re.compile(r"^(?:wd:Q\d+|wp:\S+|https?://\S+)$")


class KBError(ValueError):
    """A knowledge-base file that fails validation (one-line message)."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to day, month or year precision."""

    text: str
    earliest: dt.date
    latest: dt.date

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month"}.get(len(self.text), "day")

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        m = _DATE.match(text)
        if not m:
            raise ValueError(f"bad date {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
        y = int(m.group(1))
        if m.group(3):
            d = dt.date(y, int(m.group(2)), int(m.group(3)))
            return cls(text, d, d)
        if m.group(2):
            mo = int(m.group(2))
            if not 1 <= mo <= 12:
                raise ValueError(f"bad month in {text!r}")
            return cls(text, dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]))
        return cls(text, dt.date(y, 1, 1), dt.date(y, 12, 31))

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Term:
    office: str
    person: str  # canonical name
    start: PartialDate
    end: PartialDate | None  # None: in office at the snapshot date
    source: str
    note: str = ""
    line: int = 0

    def surely_held(self, day: dt.date) -> bool:
        """In office on `day` whatever the imprecise boundaries turn out to be."""
        return self.start.latest <= day and (self.end is None or day <= self.end.earliest)

    def maybe_held(self, day: dt.date, as_of: dt.date | None = None) -> bool:
        """Possibly in office on `day` (imprecise boundaries read generously;
        an open term says nothing about days after the snapshot)."""
        if day < self.start.earliest:
            return False
        if self.end is None:
            return True
        return day <= self.end.latest

    def span(self) -> str:
        end = f"until {self.end}" if self.end else "still in office"
        return f"{self.start} – {self.end}" if self.end else f"since {self.start} ({end})"


@dataclass
class Person:
    name: str  # canonical (AP-style) spelling
    variants: tuple[str, ...] = ()
    russian: tuple[str, ...] = ()
    reuters: str = ""
    countries: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        return (self.name,) + self.variants + ((self.reuters,) if self.reuters else ())

    def styled(self, style: str = "ap") -> str:
        return self.reuters if style == "reuters" and self.reuters else self.name


@dataclass(frozen=True)
class Office:
    id: str
    country: str
    role: str
    label: str
    single: bool = True
    complete: bool = True
    also_roles: tuple[str, ...] = ()
    wikidata: str = ""  # Wikidata item of the position, when known
    wikidata_label: str = ""  # its English label on Wikidata (best effort), else `label` is tried


@dataclass
class KB:
    countries: dict
    roles: dict  # role key -> {"label", "phrases", "countries", "role"}
    offices: dict[str, Office]
    people: dict[str, Person]
    terms: list[Term]
    as_of: dt.date
    by_office: dict[str, list[Term]] = field(default_factory=dict)
    by_person: dict[str, list[Term]] = field(default_factory=dict)
    by_role: dict[tuple[str, str], list[Office]] = field(default_factory=dict)
    index: "names.NameIndex | None" = None

    def holders_on(self, office_id: str, day: dt.date) -> list[Term]:
        return [t for t in self.by_office.get(office_id, ()) if t.maybe_held(day)]

    def offices_for(self, role: str, country: str) -> list[Office]:
        return self.by_role.get((role, country), [])

    def covers(self, office_id: str, day: dt.date) -> bool:
        """True when the KB can say who held the office on `day`."""
        terms = self.by_office.get(office_id, ())
        if not terms or day > self.as_of:
            return False
        return any(t.maybe_held(day) for t in terms)

    def first_start(self, office_id: str) -> dt.date | None:
        terms = self.by_office.get(office_id)
        return min(t.start.earliest for t in terms) if terms else None


def _read_tsv(text: str, fields: tuple[str, ...], required: tuple[str, ...], fname: str) -> list[tuple[int, dict]]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise KBError(f"{fname}: empty file")
    header = rows[0]
    unknown = [h for h in header if h not in fields]
    if unknown:
        raise KBError(f"{fname}: unknown field {unknown[0]!r} (allowed: {', '.join(fields)})")
    missing = [f for f in required if f not in header]
    if missing:
        raise KBError(f"{fname}: missing field {missing[0]!r}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(header):
            raise KBError(f"{fname}:{n}: {len(row)} columns, expected {len(header)}")
        out.append((n, dict(zip(header, (c.strip() for c in row)))))
    return out


def _check_keys(obj: dict, allowed: set, where: str) -> None:
    for k in obj:
        if k not in allowed:
            raise KBError(f"{where}: unknown field {k!r}")


def parse_kb(offices_text: str, terms_text: str, people_text: str) -> KB:
    """Validate and build a KB from the three files' text (KBError on any problem)."""
    try:
        meta = json.loads(offices_text)
    except json.JSONDecodeError as exc:
        raise KBError(f"offices.json: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    _check_keys(meta, {"schema", "as_of", "countries", "roles", "offices"}, "offices.json")
    try:
        as_of = dt.date.fromisoformat(meta.get("as_of", "2025-09-01"))
    except (TypeError, ValueError):
        raise KBError("offices.json: as_of must be YYYY-MM-DD") from None
    countries = meta.get("countries", {})
    for code, c in countries.items():
        _check_keys(c, COUNTRY_FIELDS, f"offices.json: country {code}")
    roles = meta.get("roles", {})
    for key, r in roles.items():
        _check_keys(r, ROLE_FIELDS, f"offices.json: role {key}")
        if not isinstance(r.get("phrases"), list) or not r["phrases"]:
            raise KBError(f"offices.json: role {key} needs a non-empty phrases list")
        for c in r.get("countries", ()):
            if c not in countries:
                raise KBError(f"offices.json: role {key}: unknown country {c!r}")
    offices: dict[str, Office] = {}
    for o in meta.get("offices", []):
        _check_keys(o, OFFICE_FIELDS, f"offices.json: office {o.get('id', '?')}")
        for f in ("id", "country", "role", "label"):
            if not o.get(f):
                raise KBError(f"offices.json: office {o.get('id', '?')} lacks {f!r}")
        if o["id"] in offices:
            raise KBError(f"offices.json: duplicate office {o['id']!r}")
        if o["country"] not in countries:
            raise KBError(f"offices.json: office {o['id']}: unknown country {o['country']!r}")
        offices[o["id"]] = Office(
            o["id"], o["country"], o["role"], o["label"], bool(o.get("single", True)),
            bool(o.get("complete", True)), tuple(o.get("also_roles", ())), o.get("wikidata", ""),
            o.get("wikidata_label", ""),
        )

    people: dict[str, Person] = {}
    for n, row in _read_tsv(people_text, PEOPLE_FIELDS, ("name",), "people.tsv"):
        if not row["name"]:
            raise KBError(f"people.tsv:{n}: empty name")
        if row["name"] in people:
            raise KBError(f"people.tsv:{n}: duplicate person {row['name']!r}")
        people[row["name"]] = Person(
            row["name"],
            tuple(v.strip() for v in row.get("variants", "").split(";") if v.strip()),
            tuple(v.strip() for v in row.get("russian", "").split(";") if v.strip()),
            row.get("reuters", ""),
        )

    terms: list[Term] = []
    for n, row in _read_tsv(terms_text, TERM_FIELDS, TERM_REQUIRED, "terms.tsv"):
        where = f"terms.tsv:{n}"
        if row["office"] not in offices:
            raise KBError(f"{where}: unknown office {row['office']!r}")
        if not row["person"]:
            raise KBError(f"{where}: empty person")
        if not _SOURCE.match(row["source"]):
            raise KBError(f"{where}: source {row['source']!r} must be wd:Q…, wp:Title or a URL")
        try:
            start = PartialDate.parse(row["start"])
            end = PartialDate.parse(row["end"]) if row.get("end") else None
        except ValueError as exc:
            raise KBError(f"{where}: {exc}") from None
        if end is not None and end.latest < start.earliest:
            raise KBError(f"{where}: {row['person']} ends ({end}) before starting ({start})")
        terms.append(Term(row["office"], row["person"], start, end, row["source"], row.get("note", ""), n))

    kb = KB(countries, roles, offices, people, terms, as_of)
    for t in terms:
        kb.by_office.setdefault(t.office, []).append(t)
        kb.by_person.setdefault(t.person, []).append(t)
        if t.person not in people:
            people[t.person] = Person(t.person)
    for office_id, ts in kb.by_office.items():
        ts.sort(key=lambda t: t.start.earliest)
        if offices[office_id].single:
            _check_overlaps(office_id, ts)
        open_terms = [t for t in ts if t.end is None]
        if offices[office_id].single and len(open_terms) > 1:
            raise KBError(
                f"terms.tsv:{open_terms[1].line}: {office_id} has two open terms "
                f"({open_terms[0].person}, {open_terms[1].person})"
            )
    for p in people.values():
        seen = []
        for t in kb.by_person.get(p.name, ()):
            c = offices[t.office].country
            if c not in seen:
                seen.append(c)
        p.countries = tuple(seen)
    for o in offices.values():
        for role in (o.role, *o.also_roles):
            kb.by_role.setdefault((role, o.country), []).append(o)
    kb.index = names.NameIndex(people.values())
    return kb


def _check_overlaps(office_id: str, ts: list[Term]) -> None:
    for a, b in zip(ts, ts[1:]):
        # A handover day belongs to both terms; imprecise boundaries may touch.
        a_end = a.end.earliest if a.end else None
        if a_end is None or b.start.latest < a_end:
            raise KBError(
                f"terms.tsv:{b.line}: overlapping terms for single-holder office {office_id}: "
                f"{a.person} ({a.start}–{a.end or 'open'}) and {b.person} ({b.start}–{b.end or 'open'})"
            )


def data_dir() -> Path | None:
    env = os.environ.get("MTAUDIT_KB_DIR")
    return Path(env) if env else None


def read_files(directory: Path | None = None) -> tuple[str, str, str]:
    if directory is None:
        base = resources.files("auditor.kb").joinpath("data")
        return tuple(base.joinpath(n).read_text("utf-8") for n in ("offices.json", "terms.tsv", "people.tsv"))
    out = []
    for n in ("offices.json", "terms.tsv", "people.tsv"):
        p = Path(directory) / n
        if not p.is_file():
            # A snapshot may hold only terms/people; offices come with the package.
            p = Path(str(resources.files("auditor.kb").joinpath("data").joinpath(n)))
        out.append(p.read_text("utf-8"))
    return tuple(out)


def load_kb_from(directory: Path | None = None) -> KB:
    return parse_kb(*read_files(directory))


@lru_cache(maxsize=1)
def load_kb() -> KB:
    """The knowledge base used for auditing, loaded and validated once."""
    return load_kb_from(data_dir())
