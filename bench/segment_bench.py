"""Sentence segmenters side by side: boundary F1 on our news gold set, and speed.

    python bench/segment_bench.py [--seconds 3] [--docs ../shared/corpus/docs.jsonl.gz]

Gold: bench/data/segment_gold.txt (175 sentences in 87 paragraphs of news
text with abbreviations, initials, decimals, times, quotes, ellipses and MT
leftovers such as '' and “ followed by a space). A boundary is the start
offset of every sentence after the first in a paragraph; F1 is over those
boundaries, summed over paragraphs. "paragraphs exact" = paragraphs cut
exactly right.

Speed: MB/s (UTF-8 bytes of input per second, single thread) over the
paragraphs of docs.jsonl in a seeded order; each segmenter gets the same
time budget (slow ones see fewer paragraphs, the rate is what counts).
"import ms": median import cost of the backend in a fresh interpreter
(python -X importtime; it counts against the CLI's 0.4 s budget).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

GOLD = ROOT / "bench" / "data" / "segment_gold.txt"


def load_gold(path: Path = GOLD) -> list[list[str]]:
    paras, cur = [], []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                paras.append(cur)
                cur = []
        else:
            cur.append(line.strip())
    if cur:
        paras.append(cur)
    return paras


def gold_boundaries(sents: list[str]) -> tuple[str, set[int]]:
    text, starts, pos = "", set(), 0
    for i, s in enumerate(sents):
        if i:
            text += " "
            pos += 1
            starts.add(pos)
        text += s
        pos += len(s)
    return text, starts


# -- segmenters: text -> list of (start, end) character spans ---------------

def seg_auditor():
    from auditor.segment import split_sentences

    return lambda text: split_sentences(text)


def seg_punkt_abbrev():
    """NLTK Punkt with the same news abbreviation list (the previous backend)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from auditor.segment import abbreviations

    params = PunktParameters()
    params.abbrev_types = set(abbreviations())
    tok = PunktSentenceTokenizer(params)
    return lambda text: list(tok.span_tokenize(text))


def seg_punkt_untrained():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tok = PunktSentenceTokenizer()
    return lambda text: list(tok.span_tokenize(text))


def seg_syntok():
    from syntok import segmenter

    def split(text):
        out = []
        for para in segmenter.analyze(text):
            for sent in para:
                toks = [t for t in sent if t.value]
                if toks:
                    out.append((toks[0].offset, toks[-1].offset + len(toks[-1].value)))
        return out

    return split


def seg_pysbd():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in seg.segment(text)]


def seg_blingfire():
    import blingfire

    def split(text):
        if not text.strip():
            return []
        _, offsets = blingfire.text_to_sentences_and_offsets(text)
        return list(offsets)

    return split


# What each backend costs at start-up (the CLI's 0.4 s budget includes it).
IMPORTS = {
    "blingfire+merge (auditor.segment)": "import blingfire",
    "punkt+abbrev": "import nltk.tokenize.punkt",
    "punkt untrained": "import nltk.tokenize.punkt",
    "syntok": "import syntok.segmenter",
    "pysbd": "import pysbd",
    "blingfire": "import blingfire",
}


def import_ms(stmt: str, runs: int = 5) -> float:
    """Median import cost of `stmt` in a fresh interpreter, in ms (-X importtime,
    top-level imports beyond those of an empty interpreter)."""
    import statistics
    import subprocess

    def top_level_us(code):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True).stderr
        total = 0
        for line in err.splitlines():
            parts = line.split("|")
            if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
                if not parts[2].startswith("  "):  # top level: " name" has one leading space
                    total += int(parts[1])
        return total

    base = statistics.median(top_level_us("pass") for _ in range(runs))
    return max(0.0, statistics.median(top_level_us(stmt) for _ in range(runs)) - base) / 1000


SEGMENTERS = {
    "blingfire+merge (auditor.segment)": seg_auditor,
    "punkt+abbrev": seg_punkt_abbrev,
    "punkt untrained": seg_punkt_untrained,
    "syntok": seg_syntok,
    "pysbd": seg_pysbd,
    "blingfire": seg_blingfire,
}


def predicted_boundaries(text: str, spans) -> set[int]:
    out = set()
    for a, _ in spans:
        while a < len(text) and text[a].isspace():
            a += 1
        if a > 0 and text[:a].strip():
            out.add(a)
    return out


def score(split, paras) -> dict:
    tp = fp = fn = exact = 0
    errors = []
    for sents in paras:
        text, gold = gold_boundaries(sents)
        pred = predicted_boundaries(text, split(text))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if pred == gold:
            exact += 1
        else:
            for b in sorted(pred - gold):
                errors.append("split   : " + text[max(0, b - 40):b] + " ‖ " + text[b:b + 25])
            for b in sorted(gold - pred):
                errors.append("missed  : " + text[max(0, b - 40):b] + " ‖ " + text[b:b + 25])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "exact": exact, "errors": errors}


def speed(split, paragraphs: list[str], seconds: float) -> tuple[float, int]:
    done_bytes = n = 0
    t0 = time.perf_counter()
    for p in paragraphs:
        split(p)
        done_bytes += len(p.encode("utf-8"))
        n += 1
        if time.perf_counter() - t0 >= seconds and n >= 50:
            break
    dt = time.perf_counter() - t0
    return done_bytes / dt / 1e6, n


def main(argv=None) -> int:
    import corrupt

    ap = argparse.ArgumentParser(description="Compare sentence segmenters (accuracy and speed).")
    ap.add_argument("--docs", default=str(corrupt.DEFAULT_DOCS))
    ap.add_argument("--seconds", type=float, default=3.0, help="speed budget per segmenter")
    ap.add_argument("--errors", type=int, default=6, help="error examples per segmenter")
    args = ap.parse_args(argv)

    paras = load_gold()
    docs = corrupt.load_docs(args.docs)
    paragraphs = [p for d in docs for p in d["text"].split("\n") if p.strip()]
    random.Random(0).shuffle(paragraphs)

    n_sent = sum(map(len, paras))
    print(f"gold: {n_sent} sentences in {len(paras)} paragraphs, "
          f"{sum(len(p) - 1 for p in paras)} boundaries; speed on docs.jsonl paragraphs, {args.seconds:g}s each\n")
    print(f"{'segmenter':32} {'P':>6} {'R':>6} {'F1':>6} {'exact':>7} {'MB/s':>8} {'paras':>7} {'import ms':>9}")
    rows = {}
    for name, factory in SEGMENTERS.items():
        try:
            split = factory()
        except ImportError as exc:
            print(f"{name:32} not installed ({exc})")
            continue
        split("Warm up. Twice.")
        s = score(split, paras)
        mbs, n = speed(split, paragraphs, args.seconds)
        rows[name] = (s, mbs)
        ims = import_ms(IMPORTS[name])
        print(f"{name:32} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['exact']:3d}/{len(paras):<3d} {mbs:8.3f} {n:7d} {ims:9.0f}")
    base = rows.get("blingfire+merge (auditor.segment)")
    if base:
        print("\nspeed relative to blingfire+merge: " + ", ".join(
            f"{k} {v[1] / base[1]:.2f}x" for k, v in rows.items() if k != "blingfire+merge (auditor.segment)"))
    whole_article_speed(args.docs)
    for name, (s, _) in rows.items():
        if s["errors"]:
            print(f"\n{name}: {len(s['errors'])} boundary errors, e.g.")
            for e in s["errors"][: args.errors]:
                print("   " + e)
    return 0


def whole_article_speed(docs_path: str, n: int = 1000, rounds: int = 3) -> None:
    """How build_article uses a segmenter: once per article (line breaks cut
    afterwards), against Punkt per line (its best way) and ftfy.fix_text on the
    same text, interleaved, best of `rounds`."""
    import corrupt  # bench/corrupt.py
    import ftfy

    from auditor.segment import split_sentences

    texts = [d["title"] + "\n\n" + d["text"] for d in corrupt.load_docs(docs_path)[:n]]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    punkt = seg_punkt_abbrev()
    variants = {
        "blingfire+merge, one call per article (auditor.segment)": lambda t: split_sentences(t),
        "punkt+abbrev, one call per line": lambda t: [punkt(line) for line in t.split("\n") if line.strip()],
        "ftfy.fix_text (reference)": ftfy.fix_text,
    }
    best = {k: float("inf") for k in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            best[name] = min(best[name], time.perf_counter() - t0)
    print(f"\nwhole articles ({len(texts)} docs, {mb:.2f} MB, best of {rounds}):")
    for name, sec in best.items():
        print(f"  {name:56} {mb / sec:7.2f} MB/s")


if __name__ == "__main__":
    sys.exit(main())
