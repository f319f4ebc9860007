"""HTML view of a comparison: one self-contained page, the two versions side
by side with their highlighted findings and the sacrebleu scores per pair.

Sentence highlighting reuses the article report's page model
(`auditor.report.html.build_page`), so spans, categories and colours match
`mtaudit --format html`. Jinja2 autoescapes every value from the texts.
"""

from __future__ import annotations

from functools import lru_cache

from auditor.compare.scoring import fmt


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("auditor.compare", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _side(report) -> tuple[dict, dict[int, dict]]:
    from auditor.report.html import build_page

    page = build_page(report.to_dict(), text=None)
    by_id = {f.id: f for f in page["findings"]}
    for s in page["sentences"]:
        # an article-level finding that lies within one sentence is listed with it
        own_ids = {f.id for f in s["own"]}
        s["shown"] = list(s["own"]) + [by_id[i] for i in s["ids"] if i in by_id and i not in own_ids]
        for g in s["segments"]:
            g["title"] = "; ".join(f"{by_id[i].code}: {by_id[i].message}" for i in g["ids"] if i in by_id)
    return page, {s["index"]: s for s in page["sentences"]}


def render_page(comparison) -> str:
    from auditor.report.html import CATEGORY_COLOURS

    c = comparison
    page_a, sent_a = _side(c.a)
    page_b, sent_b = _side(c.b)
    rows = []
    for bead, sc in zip(c.beads, c.pair_scores):
        rows.append({
            "a": [sent_a[i] for i in bead.a], "b": [sent_b[j] for j in bead.b], "kind": bead.kind,
            "scores": None if sc is None else {k: fmt(v) for k, v in sc.items()},
        })
    notes, seen = [], set()
    for f in c.a.document_findings + c.b.document_findings:
        if f.category == "divergence" and f.start is None and f.message not in seen:
            seen.add(f.message)
            notes.append(f)
    corpus = dict(c.corpus)
    for k in ("chrf", "bleu", "ter"):
        corpus[k] = fmt(corpus[k])
    return _env().get_template("compare.html.j2").render(
        mode="reference" if c.reference else "peer", a=page_a, b=page_b, rows=rows, notes=notes,
        corpus=corpus, signatures=c.signatures, colours=CATEGORY_COLOURS,
    )


def render(comparison, stream, **_opts) -> None:
    stream.write(render_page(comparison))
