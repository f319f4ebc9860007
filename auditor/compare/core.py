"""Compare two versions of one article: audit each, align their sentences,
score every aligned pair, and add `divergence` findings to both reports.

    a = build_article(text_a); b = build_article(text_b)
    comparison = compare(a, b, reference=True)   # b is a trusted reference
    comparison.to_dict()                         # schema mtaudit.compare/1

Side a is always the hypothesis and side b the reference of sacrebleu's
scores (chrF and TER are not symmetric); in peer mode neither is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.article import Article
from auditor.compare import rules
from auditor.compare.alignment import Bead, align
from auditor.compare.disagree import Item, disagreements
from auditor.compare.scoring import corpus_scores, sentence_scores, signatures
from auditor.config import Config
from auditor.findings import Finding
from auditor.report.model import Report

SCHEMA = "mtaudit.compare/1"
# A pair this alike (alignment chrF, 0..1) is the same sentence in two
# wordings, so what it disagrees on is worth an editor's look.
SAME_SENTENCE = 0.50
# Below this share of sentences in such pairs, the texts are different stories.
RELATED_SHARE = 1 / 3
MIN_CHRF = 50.0  # --reference: sentence chrF below this is a divergence


@dataclass
class Comparison:
    a: Report
    b: Report
    beads: list[Bead]
    pair_scores: list[dict | None]  # per bead: chrf/bleu/ter, None when unmatched
    corpus: dict
    reference: bool
    related: bool
    related_share: float
    min_chrf: float = MIN_CHRF
    signatures: dict = field(default_factory=signatures)

    def exit_code(self, fail_on: str = "error") -> int:
        if self.reference:
            return self.a.exit_code(fail_on)
        return max(self.a.exit_code(fail_on), self.b.exit_code(fail_on))

    def to_dict(self) -> dict:
        alignment = []
        for bead, sc in zip(self.beads, self.pair_scores):
            alignment.append({
                "a": list(bead.a), "b": list(bead.b), "kind": bead.kind,
                "chrf": sc["chrf"] if sc else None,
                "bleu": sc["bleu"] if sc else None,
                "ter": sc["ter"] if sc else None,
                "align_chrf": None if bead.similarity is None else round(bead.similarity * 100, 4),
            })
        return {
            "schema": SCHEMA,
            "mode": "reference" if self.reference else "peer",
            "hypothesis": "a",
            "reference": "b",
            "related": self.related,
            "related_share": round(self.related_share, 4),
            "min_chrf": self.min_chrf if self.reference else None,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "alignment": alignment,
            "corpus": self.corpus,
            "signatures": self.signatures,
        }


def _span_text(article: Article, idx: tuple[int, ...]) -> tuple[int, str]:
    """Start offset and text of consecutive sentences (as they stand in the article)."""
    first, last = article.sentences[idx[0]], article.sentences[idx[-1]]
    return first.start, article.text[first.start : last.end]


def _joined(article: Article, idx: tuple[int, ...]) -> str:
    return " ".join(article.sentences[i].text for i in idx)


def _context(article: Article, idx: tuple[int, ...]) -> str:
    """The sentences just before and after a bead (alignment boundaries can be off by one)."""
    around = [i for i in (idx[0] - 1, idx[-1] + 1) if 0 <= i < len(article.sentences)]
    return "\n".join(article.sentences[i].text for i in around)


def _add(report: Report, finding: Finding) -> None:
    """Put a finding on the sentence that holds it (article level when it has no span)."""
    if finding.start is None:
        report.document_findings.append(finding)
        return
    for s in report.sentences:
        if s.start <= finding.start < s.end or (finding.start == s.end == finding.end):
            s.findings.append(finding)
            s.findings.sort(key=lambda f: (f.start if f.start is not None else -1, f.end or 0, f.code))
            return
    report.document_findings.append(finding)


def _describe(items: tuple[Item, ...]) -> str:
    return ", ".join(f"“{i.text}”" for i in items) if items else "none"


def _disagreement_findings(kind, mine, theirs, article, idx, other_article, other_idx, reference_side: bool):
    """Findings on one side for a disagreement of `kind` (this side's items `mine`)."""
    rule = rules.BY_KIND[kind]
    base, _ = _span_text(article, idx)
    other_text = _joined(other_article, other_idx)
    other_name = "the reference" if reference_side else "the other version"
    out = []
    if kind == "negation":
        if mine:
            for it in mine:
                out.append(rule.finding(base + it.start, base + it.end,
                                        f"negation “{it.text}” has no counterpart in {other_name}", None))
        else:
            cues = _describe(theirs)
            first = article.sentences[idx[0]]
            suggestion = other_text if reference_side else None
            out.append(rule.finding(first.start, first.end,
                                    f"{other_name} negates this ({cues}); this version does not", suggestion,
                                    fix="unsafe" if suggestion is not None else None))
        return out
    label = {"number": "number", "date": "date", "name": "name"}[kind]
    for it in mine:
        one_to_one = reference_side and len(mine) == 1 and len(theirs) == 1
        suggestion = theirs[0].text if one_to_one else None
        out.append(rule.finding(base + it.start, base + it.end,
                                f"{label} “{it.text}” is not in {other_name} (which has {_describe(theirs)})",
                                suggestion, fix="unsafe" if suggestion is not None else None))
    if not mine and theirs:
        first = article.sentences[idx[0]]
        suggestion = other_text if reference_side else None
        out.append(rule.finding(first.start, first.end,
                                f"{other_name} has the {label} {_describe(theirs)}, missing here", suggestion,
                                fix="unsafe" if suggestion is not None else None))
    return out


def compare(
    article_a: Article,
    article_b: Article,
    config: Config | None = None,
    reference: bool = False,
    scorer=None,
    min_chrf: float = MIN_CHRF,
) -> Comparison:
    """Audit both versions with the normal pipeline, align, score and add divergence findings."""
    from auditor.pipeline import audit

    config = config or Config()
    report_a = audit(article_a, config, scorer=scorer)
    report_b = audit(article_b, config, scorer=scorer)
    sa = [s.text for s in article_a.sentences]
    sb = [s.text for s in article_b.sentences]
    beads = align(sa, sb)

    pair_scores: list[dict | None] = []
    hyps: list[str] = []
    refs: list[str] = []
    for bead in beads:
        hyp, ref = _joined(article_a, bead.a) if bead.a else "", _joined(article_b, bead.b) if bead.b else ""
        hyps.append(hyp)
        refs.append(ref)
        pair_scores.append(sentence_scores(hyp, ref) if bead.a and bead.b else None)
    # Unmatched sentences stay in the document score as pairs with an empty side:
    # an omission or an addition must cost something.
    corpus = corpus_scores(hyps, refs)
    corpus.update({
        "segments": len(beads),
        "aligned": sum(1 for b in beads if b.a and b.b),
        "unmatched_a": sum(1 for b in beads if not b.b),
        "unmatched_b": sum(1 for b in beads if not b.a),
    })

    total = len(sa) + len(sb)
    close = sum(len(b.a) + len(b.b) for b in beads if b.similarity is not None and b.similarity >= SAME_SENTENCE)
    share = close / total if total else 0.0
    related = share >= RELATED_SHARE

    found_a: list[Finding] = []
    found_b: list[Finding] = []
    if not related:
        msg = (f"the two versions share little: {share:.0%} of sentences have a close counterpart, "
               f"document chrF {corpus['chrf']:.1f}; they look like different texts, "
               "so no sentence-level disagreements are reported")
        found_a.append(rules.UNRELATED.finding(None, None, msg))
        if not reference:
            found_b.append(rules.UNRELATED.finding(None, None, msg))
    else:
        for bead, sc in zip(beads, pair_scores):
            if reference and not bead.b:
                for i in bead.a:
                    s = article_a.sentences[i]
                    found_a.append(rules.NOT_IN_REFERENCE.finding(
                        s.start, s.end, "no counterpart in the reference: an addition?", ""))
                continue
            if reference and not bead.a:
                text = _joined(article_b, bead.b)
                found_a.append(rules.MISSING_FROM_VERSION.finding(
                    None, None, f"reference sentence {bead.b[0]} has no counterpart here: “{text}”", text))
                continue
            if sc is None:
                continue
            if reference and sc["chrf"] < min_chrf:
                ref_text = _joined(article_b, bead.b)
                for k, i in enumerate(bead.a):
                    s = article_a.sentences[i]
                    msg = (f"chrF {sc['chrf']:.1f} against the reference (BLEU {sc['bleu']:.1f}, TER {sc['ter']:.1f})"
                           + ("" if k == 0 else "; merged into the reference sentence above"))
                    found_a.append(rules.LOW_SCORE.finding(s.start, s.end, msg, ref_text if k == 0 else ""))
            if bead.similarity is None or bead.similarity < SAME_SENTENCE:
                continue
            a_start, a_text = _span_text(article_a, bead.a)
            b_start, b_text = _span_text(article_b, bead.b)
            for d in disagreements(a_text, b_text, _context(article_a, bead.a), _context(article_b, bead.b)):
                found_a += _disagreement_findings(d.kind, d.only_a, d.only_b, article_a, bead.a,
                                                  article_b, bead.b, reference)
                if not reference:
                    found_b += _disagreement_findings(d.kind, d.only_b, d.only_a, article_b, bead.b,
                                                      article_a, bead.a, False)

    for report, found in ((report_a, found_a), (report_b, found_b)):
        for f in found:
            if not config.rule_enabled(f.code, f.category):
                continue
            sev = config.severity_for(f.code, f.category, f.severity)
            _add(report, f if sev == f.severity else f.with_severity(sev))
    return Comparison(report_a, report_b, beads, pair_scores, corpus, reference, related, share, min_chrf)
