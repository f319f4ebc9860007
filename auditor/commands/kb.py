"""`mtaudit kb`: query and update the dated knowledge base of officials.

    mtaudit kb who "Russian foreign minister" --date 2021-12-01
    mtaudit kb search Zelenskiy
    mtaudit kb update [--out DIR] [--from-file response.json]

`who` and `search` read the snapshot auditing uses (shipped, or the folder in
MTAUDIT_KB_DIR); `update` is the only command that uses the network.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer


def _fail(message: str) -> typer.Exit:
    typer.echo(f"mtaudit: error: {message}", err=True)
    return typer.Exit(2)


def _load():
    from auditor.kb import KBError, load_kb

    try:
        return load_kb()
    except KBError as exc:
        raise _fail(f"knowledge base: {exc}")


def default_snapshot_dir() -> Path:
    env = os.environ.get("MTAUDIT_KB_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mtaudit" / "kb"


def who(query: str, date=None, kb=None) -> list[dict]:
    """Holders of the office `query` names ("Russian foreign minister"), on `date` or ever."""
    from auditor.kb.roles import RoleLexicon, lexicon

    lex = lexicon() if kb is None else RoleLexicon(kb)
    kb = kb or _load()
    best = None
    for rm in lex.finditer(query):
        if rm.role and (best is None or rm.end - rm.start > best.end - best.start):
            best = rm
    if best is None:
        return []
    countries = [best.country] if best.country else list(best.countries) or sorted({o.country for o in kb.offices.values()})
    out = []
    for c in countries:
        for office in kb.offices_for(best.role, c):
            for t in kb.by_office.get(office.id, ()):
                if date is None or t.maybe_held(date):
                    out.append({
                        "office": office.id, "label": office.label, "person": t.person,
                        "start": str(t.start), "end": str(t.end) if t.end else None,
                        "source": t.source, "note": t.note,
                    })
    return out


def register(app: typer.Typer) -> None:
    kb_app = typer.Typer(help="The dated knowledge base of officials: who held an office, name search, update.",
                         no_args_is_help=True, add_completion=False)

    @kb_app.command("who")
    def who_command(
        role: str = typer.Argument(..., help='An office as news names it: "Russian foreign minister", "NATO Secretary General".'),
        date: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD: who held it that day (default: every holder)."),
        fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    ) -> None:
        """Who held an office (on a date)."""
        from auditor.dates import parse_date

        try:
            day = parse_date(date) if date else None
        except ValueError as exc:
            raise _fail(str(exc))
        rows = who(role, day)
        if fmt == "json":
            import json

            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not rows:
            typer.echo(f"no office in the knowledge base matches {role!r}" + (f" on {day}" if day else ""))
        else:
            for r in rows:
                span = f"{r['start']} – {r['end']}" if r["end"] else f"since {r['start']}"
                typer.echo(f"{r['label']}: {r['person']} ({span}) [{r['source']}]")
        if not rows:
            raise typer.Exit(1)

    @kb_app.command("search")
    def search_command(
        name: str = typer.Argument(..., help="A name in any spelling or script: Zelenskiy, Shoygu, Лавров."),
        fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    ) -> None:
        """Find a person by any spelling, with their offices."""
        kb = _load()
        people = kb.index.search(name)
        rows = []
        for p in people:
            rows.append({
                "name": p.name, "variants": list(p.variants), "russian": list(p.russian),
                "terms": [
                    {"office": t.office, "label": kb.offices[t.office].label, "start": str(t.start),
                     "end": str(t.end) if t.end else None, "source": t.source}
                    for t in kb.by_person.get(p.name, ())
                ],
            })
        if fmt == "json":
            import json

            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not rows:
            typer.echo(f"nobody in the knowledge base matches {name!r}")
        for r in rows if fmt != "json" else ():
            extra = ", ".join(r["variants"] + r["russian"])
            typer.echo(r["name"] + (f"  (also: {extra})" if extra else ""))
            for t in r["terms"]:
                span = f"{t['start']} – {t['end']}" if t["end"] else f"since {t['start']}"
                typer.echo(f"  {t['label']}: {span} [{t['source']}]")
        if not rows:
            raise typer.Exit(1)

    @kb_app.command("update")
    def update_command(
        out: Optional[Path] = typer.Option(None, "--out", help="Snapshot folder (default: $MTAUDIT_KB_DIR or ~/.local/share/mtaudit/kb)."),
        from_file: Optional[Path] = typer.Option(None, "--from-file", help="Read a saved SPARQL JSON response instead of querying Wikidata."),
        print_query: bool = typer.Option(False, "--print-query", help="Print the SPARQL query and exit."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report, write nothing."),
    ) -> None:
        """Rebuild the terms snapshot from Wikidata (P39 with P580/P582 qualifiers)."""
        import json

        from auditor.kb import wikidata

        kb = _load()
        query = wikidata.build_query(list(kb.offices.values()))
        if print_query:
            typer.echo(query)
            return
        try:
            if from_file is not None:
                try:
                    data = json.loads(Path(from_file).read_text("utf-8"))
                except (OSError, ValueError) as exc:
                    raise wikidata.UpdateError(f"{from_file}: cannot read a JSON response ({exc})")
            else:
                data = wikidata.fetch(query)
            terms_text, people_text = wikidata.build_snapshot(kb, data)
        except wikidata.UpdateError as exc:
            raise _fail(str(exc))
        n = terms_text.count("\n") - 1
        target = out or default_snapshot_dir()
        if dry_run:
            typer.echo(f"valid snapshot of {n} terms (dry run: nothing written)")
            return
        wikidata.write_snapshot(target, terms_text, people_text)
        typer.echo(f"wrote {n} terms to {target}; audits use it when MTAUDIT_KB_DIR={target}")

    app.add_typer(kb_app, name="kb")
