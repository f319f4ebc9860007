"""Compare's scores equal sacrebleu's own command line to the last printed digit."""

import os
import subprocess
import sys

import pytest

from auditor.article import build_article
from auditor.compare import compare
from auditor.compare.scoring import fmt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "compare")


@pytest.fixture(scope="module")
def comparison():
    def art(name):
        with open(os.path.join(DATA, name), encoding="utf-8") as fh:
            return build_article(fh.read())

    # Peer mode on two texts with splits, merges and unmatched sentences
    return compare(art("article.txt"), art("reference.txt"))


def _segments(c):
    hyps = [" ".join(c.a.sentences[i].text for i in b.a) for b in c.beads]
    refs = [" ".join(c.b.sentences[j].text for j in b.b) for b in c.beads]
    return hyps, refs


def _cli(tmp_path, hyps, refs, *args):
    h, r = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    h.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    r.write_text("\n".join(refs) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "sacrebleu", str(r), "-i", str(h), *args],
                         capture_output=True, text=True, check=True)
    return out.stdout


@pytest.mark.parametrize("width", [1, 4])
@pytest.mark.parametrize("metric", ["chrf", "bleu", "ter"])
def test_sentence_scores_match_cli(tmp_path, comparison, metric, width):
    hyps, refs = _segments(comparison)
    pairs = [(h, r, sc) for h, r, sc in zip(hyps, refs, comparison.pair_scores) if sc]
    out = _cli(tmp_path, [p[0] for p in pairs], [p[1] for p in pairs],
               "-m", metric, "--sentence-level", "-b", "-w", str(width))
    assert out.split() == [fmt(sc[metric], width) for _, _, sc in pairs]


@pytest.mark.parametrize("width", [1, 4])
def test_corpus_scores_match_cli(tmp_path, comparison, width):
    hyps, refs = _segments(comparison)
    out = _cli(tmp_path, hyps, refs, "-m", "chrf", "bleu", "ter", "-b", "-w", str(width))
    printed = [x.strip(",[] ") for x in out.split()]
    printed = [x for x in printed if x]
    # the CLI prints corpus scores in sorted metric-name order
    assert printed == [fmt(comparison.corpus[m], width) for m in ("bleu", "chrf", "ter")]


def test_signatures_match_cli(tmp_path, comparison):
    hyps, refs = _segments(comparison)
    out = _cli(tmp_path, hyps[:1], refs[:1], "-m", "bleu", "--sentence-level")
    assert comparison.signatures["sentence"]["bleu"] in out
