"""Batch audits of a whole feed: inputs -> records -> audit_record -> JSON Lines.

The per-article work is a plain function over plain dicts
(`audit_record(record, config) -> dict`), so a distributed engine can map it
later. Around it: input readers that stream records (text files, directories,
globs, JSON Lines, RSS/Atom from a file or URL, stdin), a bounded process pool,
an append-only line writer, resume, and a streaming summary.

A record is `{"id", "text" | "path", "title"?, "date"?, "url"?, "source_name"?,
"origin"}` or an error record `{"id", "error", "origin"}` (bad input becomes an
error record in the output; the run goes on).
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import heapq
import io
import json
import os
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from auditor.categories import CATEGORIES
from auditor.textio import HTML_SUFFIXES, html_to_text  # noqa: F401  (html_to_text: feeds, and re-exported)

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".feed")
SCORE_WEIGHTS = {"error": 10, "warning": 3, "info": 1}


@dataclass
class Fields:
    """JSON Lines field names (`--field-id` etc.)."""

    id: str = "id"
    title: str = "title"
    text: tuple[str, ...] = ("text", "body")
    date: str = "date"
    url: str = "url"
    source: str = "source"
    reference: str | None = None  # --reference-field: a trusted translation to score against


# ---------------------------------------------------------------- inputs


def error_record(rid: str, message: str, origin: str, line: int | None = None) -> dict:
    rec = {"id": rid, "error": message, "origin": origin}
    if line is not None:
        rec["line"] = line
    return rec


def iter_records(inputs: Iterable[str], fields: Fields | None = None, stdin=None,
                 feed_timeout: float = 30.0) -> Iterator[dict]:
    """Every record of every input, streamed in input order."""
    fields = fields or Fields()
    for spec in inputs:
        if spec == "-":
            yield from _jsonl_records(stdin or sys.stdin.buffer, "<stdin>", fields)
        elif spec.startswith(("http://", "https://")):
            yield from _feed_records(spec, feed_timeout)
        elif os.path.isdir(spec):
            for path in _walk_txt(spec):
                yield _file_record(path)
        elif os.path.exists(spec):
            yield from _path_records(spec, fields)
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield error_record(spec, f"{spec}: no file matches", spec)
            for path in matches:
                if os.path.isdir(path):
                    continue
                yield from _path_records(path, fields)
        else:
            yield error_record(spec, f"{spec}: no such file", spec)


def _walk_txt(directory: str) -> Iterator[str]:
    """Article files under a directory: .txt and saved HTML pages."""
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            if name.lower().endswith((".txt",) + HTML_SUFFIXES):
                yield os.path.join(root, name)


def _kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(FEED_SUFFIXES):
        return "feed"
    if lower.endswith((".txt",) + HTML_SUFFIXES):
        return "txt"  # an article file; decode_article extracts a saved page's text
    try:
        with open(path, "rb") as fh:
            head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "txt"  # the reader reports the error
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if head.startswith(b"{"):
        return "jsonl"
    return "txt"


def _path_records(path: str, fields: Fields) -> Iterator[dict]:
    kind = _kind(path)
    if kind == "jsonl":
        try:
            fh = gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")
        except OSError as exc:
            yield error_record(path, f"{path}: {exc.strerror or exc}", path)
            return
        with fh:
            yield from _jsonl_records(fh, path, fields)
    elif kind == "feed":
        yield from _feed_records(path)
    else:
        yield _file_record(path)


def _file_record(path: str) -> dict:
    # read and decoded in the worker, exactly as `mtaudit ARTICLE` does
    return {"id": path, "path": path, "origin": path}


def _jsonl_records(fh, name: str, fields: Fields) -> Iterator[dict]:
    lineno = 0
    try:
        for raw in fh:
            lineno += 1
            if not raw.strip():
                continue
            yield _json_record(raw, name, lineno, fields)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield error_record(f"{name}:{lineno + 1}", f"{name}: read failed after line {lineno}: {exc}", name, lineno + 1)


def _json_record(raw: bytes, name: str, lineno: int, fields: Fields) -> dict:
    where = f"{name}:{lineno}"
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return error_record(where, f"{where}: malformed JSON: {exc}", name, lineno)
    if not isinstance(obj, dict):
        return error_record(where, f"{where}: expected a JSON object, got {type(obj).__name__}", name, lineno)
    rid = obj.get(fields.id)
    rid = where if rid is None or rid == "" else str(rid)
    body = next((obj[k] for k in fields.text if isinstance(obj.get(k), str)), None)
    if body is None:
        return error_record(rid, f"{where}: missing text field (tried {', '.join(fields.text)})", name, lineno)
    rec = {"id": rid, "text": body, "origin": where, "line": lineno}
    for key, fname in (("title", fields.title), ("date", fields.date), ("url", fields.url), ("source_name", fields.source)):
        value = obj.get(fname)
        if value is not None and value != "":
            rec[key] = str(value)
    if fields.reference:
        ref = obj.get(fields.reference)
        if isinstance(ref, str) and ref.strip():
            rec["reference"] = ref
    return rec


def _feed_records(spec: str, timeout: float = 30.0) -> Iterator[dict]:
    import feedparser

    try:
        if spec.startswith(("http://", "https://")):
            import urllib.request

            req = urllib.request.Request(spec, headers={"User-Agent": "mtaudit (+feed audit)"})
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                data = resp.read()
        else:
            with open(spec, "rb") as fh:
                data = fh.read()
    except Exception as exc:  # unreachable feed: an error record, the run goes on
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        yield error_record(spec, f"{spec}: cannot fetch feed: {reason}", spec)
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else "no entries"
        yield error_record(spec, f"{spec}: not a readable RSS/Atom feed: {problem}", spec)
        return
    feed_title = parsed.feed.get("title") or spec
    for i, entry in enumerate(parsed.entries, 1):
        yield _entry_record(entry, spec, i, feed_title, _codec_name(parsed.get("encoding")))


def _entry_record(entry, spec: str, index: int, feed_title: str, encoding: str = "utf-8") -> dict:
    rid = entry.get("id") or entry.get("link") or f"{spec}#{index}"
    html = None
    for content in entry.get("content") or ():  # content:encoded / atom:content
        if content.get("value"):
            html = content["value"]
            break
    if html is None:
        html = entry.get("summary") or entry.get("description")
    if not html:
        return error_record(rid, f"{spec}: entry {index}: no content or summary", spec)
    title = html_to_text(entry.get("title") or "").strip() or None
    body = html_to_text(html)
    rec = {"id": rid, "text": f"{title}\n\n{body}" if title else body, "origin": f"{spec}#{index}"}
    if title:
        rec["title"] = title
    if entry.get("link"):
        rec["url"] = entry["link"]
    parsed_date = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed_date:
        rec["date"] = dt.date(*parsed_date[:3]).isoformat()
    rec["source_name"] = feed_title
    rec["encoding"] = encoding
    return rec


def _codec_name(name: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(name or "utf-8").name
    except LookupError:
        return "utf-8"


# ---------------------------------------------------------------- the per-record function


def record_text(rec: dict) -> tuple[str, str | None]:
    """(article text, title) for a JSON/feed record: the headline leads the text
    (so it is audited too), as in a .txt file, unless the body already starts with it."""
    text = rec["text"]
    title = rec.get("title")
    if title and not text.lstrip().startswith(title.strip()):
        return f"{title.strip()}\n\n{text}", title.strip()
    return text, None


def build_record_article(rec: dict, max_bytes: int = 10_000_000):
    """The Article for a record; raises ValueError with a one-line reason."""
    from auditor.article import build_article
    from auditor.dates import parse_date
    from auditor.textio import Decoded, InputError, decode_article, read_bytes

    meta = {k: rec[k] for k in ("id", "url", "source_name") if rec.get(k) is not None}
    if "path" in rec:
        path = rec["path"]
        try:
            decoded = decode_article(read_bytes(path, max_bytes), path)
        except InputError as exc:
            raise ValueError(str(exc)) from None
        if not decoded.text.strip():
            raise ValueError(f"{path}: empty article")
        return build_article(decoded.text, source=path, date=None, encoding=decoded, meta=meta)
    text, title = record_text(rec)
    if len(text) > max_bytes:
        raise ValueError(f"{rec['origin']}: article larger than {max_bytes} bytes")
    if not text.strip():
        raise ValueError(f"{rec['origin']}: empty article")
    day = None
    if rec.get("date"):
        try:
            day = parse_date(rec["date"][:10])
        except ValueError as exc:
            raise ValueError(f"{rec['origin']}: bad date {rec['date']!r}: {exc}") from None
    # JSON Lines are UTF-8 by definition; feeds carry their declared encoding
    encoding = Decoded(text, rec.get("encoding", "utf-8"))
    return build_article(text, source=rec["origin"], date=day, title=title, meta=meta, encoding=encoding)


def audit_record(rec: dict, config, fluency=None, config_for=None, max_bytes: int = 10_000_000) -> dict:
    """One record -> one output object: the mtaudit.report/1 dict, or an error record.

    A plain function over plain data (no globals, no I/O besides reading a
    record's own file), so any engine can map it. `config_for(path)` gives a
    .txt file its own configuration (sidecar, front-matter), as the CLI does.
    """
    from auditor.pipeline import audit

    if "error" in rec:
        return {"id": rec["id"], "error": rec["error"], **({"line": rec["line"]} if "line" in rec else {})}
    try:
        article = build_record_article(rec, max_bytes)
        cfg = config_for(rec["path"]) if (config_for and "path" in rec) else config
        out = audit(article, cfg, fluency=fluency).to_dict()
        if rec.get("reference"):
            from auditor.compare import score_record

            try:
                out["reference"] = score_record(article.text, rec["reference"])
            except Exception as exc:  # the audit stands even if scoring fails
                out["reference"] = {"error": f"{type(exc).__name__}: {exc}"}
        return out
    except ValueError as exc:
        out = {"id": rec["id"], "error": str(exc)}
    except Exception as exc:  # a bug must not stop a feed of thousands
        out = {"id": rec["id"], "error": f"internal error: {type(exc).__name__}: {exc}"}
    if "line" in rec:
        out["line"] = rec["line"]
    return out


# ---------------------------------------------------------------- output


class LineWriter:
    """Appends complete lines to a file: each line is one write(2) of bytes
    ending in a newline, with SIGINT/SIGTERM held off during it, so the file
    only ever holds complete lines; `repair()` cuts a torn tail left by a
    kill -9 inside a write."""

    def __init__(self, path: str | None):
        self.path = path
        self.fd = None if path is None else os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    @staticmethod
    def repair(path: str) -> int:
        """Truncate an unfinished last line; return how many bytes were cut."""
        try:
            size = os.path.getsize(path)
        except OSError:
            return 0
        if size == 0:
            return 0
        with open(path, "rb+") as fh:
            pos = size
            block = 65536
            while pos > 0:
                start = max(0, pos - block)
                fh.seek(start)
                chunk = fh.read(pos - start)
                nl = chunk.rfind(b"\n")
                if nl >= 0:
                    keep = start + nl + 1
                    break
                pos = start
            else:
                keep = 0
            if keep < size:
                fh.truncate(keep)
            return size - keep

    def write(self, line: str) -> None:
        data = (line + "\n").encode("utf-8")
        if self.fd is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        import signal

        blocked = {signal.SIGINT, signal.SIGTERM}
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            view = memoryview(data)
            while view:
                n = os.write(self.fd, view)
                view = view[n:]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def read_done(path: str, summary: "Summary | None" = None) -> set[str]:
    """Ids already in an output file (complete lines only), folded into `summary`."""
    done: set[str] = set()
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return done
    with fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # a torn tail: not done
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            rid = obj.get("id")
            if rid is None:
                continue
            done.add(str(rid))
            if summary is not None:
                summary.add(obj)
    return done


# ---------------------------------------------------------------- summary


def article_score(report: dict) -> int:
    """Badness: 10 per error, 3 per warning, 1 per info finding (higher is worse)."""
    sev = report.get("summary", {}).get("severities") or {}
    return sum(SCORE_WEIGHTS[k] * int(sev.get(k, 0)) for k in SCORE_WEIGHTS)


def article_fluency(report: dict) -> float | None:
    """Mean fluency percentile over the article's scored sentences."""
    values = [s["fluency"]["percentile"] for s in report.get("sentences", ())
              if s.get("fluency") and s["fluency"].get("percentile") is not None]
    return sum(values) / len(values) if values else None


def digest(obj: dict) -> dict:
    """What the summary needs from one output object (workers send this, not
    the whole report, so the parent never re-parses the lines it writes)."""
    if "error" in obj and "schema" not in obj:
        return {"id": obj.get("id"), "error": obj.get("error")}
    summ = obj.get("summary", {})
    return {"id": obj.get("id"), "verdict": obj.get("verdict"), "title": obj.get("title"),
            "source_name": obj.get("source_name"),
            "summary": {"findings": summ.get("findings", {}), "severities": summ.get("severities", {})},
            "fluency_mean": article_fluency(obj)}


@dataclass
class Summary:
    """Streaming totals: memory grows with the number of sources, not articles."""

    top: int = 10
    articles: int = 0
    errors: int = 0
    verdicts: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    per_source: dict = field(default_factory=dict)
    fluency_bins: list = field(default_factory=lambda: [0] * 10)
    fluency_sum: float = 0.0
    fluency_n: int = 0
    _worst: list = field(default_factory=list)
    _seq: int = 0
    failed_ids: list = field(default_factory=list)
    # --reference-field: (text, reference) pairs per source for corpus scores
    ref_pairs: dict = field(default_factory=dict)

    def add_reference_pair(self, source: str, text: str, reference: str) -> None:
        hyps, refs = self.ref_pairs.setdefault(source or "(none)", ([], []))
        hyps.append(text)
        refs.append(reference)

    def reference_scores(self) -> dict | None:
        if not self.ref_pairs:
            return None
        from auditor.compare import corpus_scores

        try:
            out = {src: corpus_scores(h, r) for src, (h, r) in sorted(self.ref_pairs.items())}
            all_h = [x for h, _ in self.ref_pairs.values() for x in h]
            all_r = [x for _, r in self.ref_pairs.values() for x in r]
            out["(all)"] = corpus_scores(all_h, all_r)
        except Exception as exc:  # the summary stands even if scoring fails
            return {"error": f"{type(exc).__name__}: {exc}"}
        return out

    def add(self, obj: dict) -> None:
        if "error" in obj and "schema" not in obj:
            self.errors += 1
            if len(self.failed_ids) < 100:
                self.failed_ids.append({"id": obj.get("id"), "error": obj.get("error")})
            return
        self.articles += 1
        self.verdicts[obj.get("verdict", "?")] += 1
        cats = obj.get("summary", {}).get("findings", {})
        for cat, n in cats.items():
            self.findings[cat] += n
        for sev, n in (obj.get("summary", {}).get("severities") or {}).items():
            self.severities[sev] += n
        src = obj.get("source_name") or "(none)"
        entry = self.per_source.setdefault(src, {"articles": 0, "flagged": Counter()})
        entry["articles"] += 1
        for cat, n in cats.items():
            if n:
                entry["flagged"][cat] += 1
        score = article_score(obj)
        self._seq += 1
        item = (score, -self._seq, obj.get("id"), obj.get("verdict"), obj.get("title"))
        if len(self._worst) < self.top:
            heapq.heappush(self._worst, item)
        elif item > self._worst[0]:
            heapq.heapreplace(self._worst, item)
        flu = obj["fluency_mean"] if "fluency_mean" in obj else article_fluency(obj)
        if flu is not None:
            self.fluency_bins[min(int(flu // 10), 9)] += 1
            self.fluency_sum += flu
            self.fluency_n += 1

    def to_dict(self) -> dict:
        worst = sorted(self._worst, reverse=True)
        return {
            "schema": "mtaudit.batch-summary/1",
            "articles": self.articles,
            "errors": self.errors,
            "verdicts": {v: self.verdicts.get(v, 0) for v in ("pass", "review", "fail")},
            "findings": {c: self.findings.get(c, 0) for c in CATEGORIES},
            "severities": {s: self.severities.get(s, 0) for s in ("error", "warning", "info")},
            "per_source": {
                src: {
                    "articles": e["articles"],
                    "rates": {c: round(e["flagged"].get(c, 0) / e["articles"], 4) for c in CATEGORIES},
                }
                for src, e in sorted(self.per_source.items())
            },
            "worst": [{"id": i, "score": s, "verdict": v, "title": t} for s, _q, i, v, t in worst if s > 0],
            "score_formula": "10 x errors + 3 x warnings + 1 x info",
            "fluency": {
                "articles_scored": self.fluency_n,
                "mean_percentile": round(self.fluency_sum / self.fluency_n, 2) if self.fluency_n else None,
                "histogram_percentile_deciles": self.fluency_bins,
            },
            "failed": self.failed_ids,
            "reference": self.reference_scores(),
        }


def summary_markdown(s: dict) -> str:
    out = ["# mtaudit batch summary", "",
           f"Articles: {s['articles']}; failed records: {s['errors']}", "",
           "| verdict | articles |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in s["verdicts"].items()]
    out += ["", "| category | findings |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in s["findings"].items() if v]
    cats = [c for c in CATEGORIES if any(e["rates"][c] for e in s["per_source"].values())]
    if cats:
        out += ["", "Share of articles with at least one finding, per source:", "",
                "| source | articles | " + " | ".join(cats) + " |", "|---|---|" + "---|" * len(cats)]
        for src, e in s["per_source"].items():
            out.append(f"| {src} | {e['articles']} | " + " | ".join(f"{e['rates'][c]:.1%}" for c in cats) + " |")
    if s["worst"]:
        out += ["", f"Worst articles (score = {s['score_formula']}):", "", "| id | score | verdict | title |", "|---|---|---|---|"]
        out += [f"| {w['id']} | {w['score']} | {w['verdict']} | {(w['title'] or '').replace('|', '/')} |" for w in s["worst"]]
    if s.get("reference") and "error" not in s["reference"]:
        out += ["", "Scores against the reference field (sacrebleu corpus scores over aligned sentences):", "",
                "| source | records | chrF | BLEU | TER |", "|---|---|---|---|---|"]
        out += [f"| {src} | {r['records']} | {r['chrf']:.1f} | {r['bleu']:.1f} | {r['ter']:.1f} |" for src, r in s["reference"].items()]
    flu = s["fluency"]
    out += ["", f"Fluency: {flu['articles_scored']} articles scored"
            + (f", mean percentile {flu['mean_percentile']}" if flu["mean_percentile"] is not None else "")]
    if flu["articles_scored"]:
        out.append("Deciles: " + " ".join(str(n) for n in flu["histogram_percentile_deciles"]))
    return "\n".join(out) + "\n"


def summary_csv(s: dict) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "key", "category", "value"])
    w.writerow(["total", "articles", "", s["articles"]])
    w.writerow(["total", "errors", "", s["errors"]])
    for k, v in s["verdicts"].items():
        w.writerow(["verdict", k, "", v])
    for k, v in s["findings"].items():
        w.writerow(["findings", "", k, v])
    for src, e in s["per_source"].items():
        w.writerow(["source_articles", src, "", e["articles"]])
        for c, r in e["rates"].items():
            w.writerow(["source_rate", src, c, r])
    for wst in s["worst"]:
        w.writerow(["worst", wst["id"], wst["verdict"], wst["score"]])
    for i, n in enumerate(s["fluency"]["histogram_percentile_deciles"]):
        w.writerow(["fluency_decile", f"{i * 10}-{i * 10 + 10}", "", n])
    return buf.getvalue()


def write_summary(path: str, summary: dict) -> None:
    from auditor.atomic import write_text_atomic

    lower = path.lower()
    if lower.endswith(".md"):
        text = summary_markdown(summary)
    elif lower.endswith(".csv"):
        text = summary_csv(summary)
    else:
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(path, text)


# ---------------------------------------------------------------- the run


_WORKER: dict = {}


def _set_state(config, config_path, max_bytes, per_file_config) -> None:
    _WORKER.update(config=config, config_path=config_path, max_bytes=max_bytes, per_file=per_file_config)


def _worker_init(config, config_path, max_bytes, per_file_config) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_state(config, config_path, max_bytes, per_file_config)
    _exit_with_parent()


def _exit_with_parent() -> None:
    """A parent killed with SIGKILL can't stop its pool: forked workers that
    share its pipes would wait forever. Each worker leaves when re-parented."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="mtaudit-parent-watch", daemon=True).start()


def _config_for(path: str):
    from auditor.configfile import load_for

    return load_for(path, explicit=_WORKER.get("config_path"))


def _audit_chunk(items: list) -> list[tuple[str, dict]]:
    """Worker side: audit a chunk of (record, fluency); return (output line, digest) pairs."""
    from auditor.report.jsonl import dumps

    cfg_for = _config_for if _WORKER.get("per_file") else None
    out = []
    for rec, flu in items:
        obj = audit_record(rec, _WORKER["config"], fluency=flu, config_for=cfg_for, max_bytes=_WORKER["max_bytes"])
        out.append((dumps(obj), digest(obj)))
    return out


def warm_up(config) -> None:
    """Import every rule and load its data before forking, so workers share
    them copy-on-write instead of each loading them again."""
    from auditor.pipeline import audit_text

    audit_text("Warm-up headline\n\nThe minister said on Monday that talks would resume.\n", config=config)


def _chunks(records: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk = []
    for rec in records:
        chunk.append(rec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _with_fluency(chunk: list[dict], scorer, max_bytes: int, config_of) -> list[tuple]:
    """Score a chunk's articles in one cross-article batch (the scorer sorts by length).
    `config_of(rec)`: the record's configuration, as audit_record resolves it (the
    order test leaves out the sentences its boilerplate rules delete, as `audit` does)."""
    from auditor.detectors.boilerplate import furniture_sentences

    if scorer is None:
        return [(rec, None) for rec in chunk]
    arts, idx, skips = [], [], []
    for i, rec in enumerate(chunk):
        if "error" in rec:
            continue
        try:
            article = build_record_article(rec, max_bytes)
            skips.append(furniture_sentences(article, config_of(rec)))
            arts.append(article)
            idx.append(i)
        except ValueError:
            continue  # audit_record reports it
    flu = [None] * len(chunk)
    if arts:
        for i, f in zip(idx, scorer.score_articles(arts, order_skip=skips)):
            flu[i] = f
    return [(rec, flu[i]) for i, rec in enumerate(chunk)]


@dataclass
class RunResult:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False
    summary: Summary = field(default_factory=Summary)


def run_batch(records: Iterator[dict], writer: LineWriter, config, *, workers: int = 1,
              scorer=None, done: set[str] | None = None, summary: Summary | None = None,
              config_path: str | None = None, per_file_config: bool = True,
              max_bytes: int = 10_000_000, chunk_size: int = 8, lm_batch: int = 64,
              stop=lambda: False, progress=None) -> RunResult:
    """Audit every record not in `done`, writing one line per record in input order.

    In flight at once: at most 2 x workers chunks (streaming; memory stays flat).
    """
    result = RunResult(summary=summary or Summary())
    done = done if done is not None else set()

    def pending() -> Iterator[dict]:
        for rec in records:
            if rec.get("reference") and "error" not in rec:
                # corpus scores pool every record of the feed, resumed ones too
                result.summary.add_reference_pair(rec.get("source_name"), record_text(rec)[0], rec["reference"])
            if rec["id"] in done:
                result.skipped += 1
                if progress:
                    progress(1)
                continue
            done.add(rec["id"])  # a repeated id in the input is audited once
            yield rec

    def emit(line: str, dig: dict) -> None:
        writer.write(line)
        if "error" in dig:
            result.failed += 1
        result.written += 1
        result.summary.add(dig)
        if progress:
            progress(1)

    def config_of(rec: dict):
        if per_file_config and "path" in rec:
            from auditor.configfile import load_for

            return load_for(rec["path"], explicit=config_path)
        return config

    size = lm_batch if scorer is not None else chunk_size
    chunks = _chunks(pending(), size)
    if workers <= 1:
        _set_state(config, config_path, max_bytes, per_file_config)
        for chunk in chunks:
            for line, dig in _audit_chunk(_with_fluency(chunk, scorer, max_bytes, config_of)):
                emit(line, dig)
            if stop():
                result.interrupted = True
                break
        return result

    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if (scorer is None and "fork" in mp.get_all_start_methods()) else "spawn"
    if method == "fork":
        warm_up(config)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method), initializer=_worker_init,
                               initargs=(config, config_path, max_bytes, per_file_config))
    in_flight: deque = deque()
    try:
        for chunk in chunks:
            in_flight.append(pool.submit(_audit_chunk, _with_fluency(chunk, scorer, max_bytes, config_of)))
            while len(in_flight) >= 2 * workers:
                for line, dig in in_flight.popleft().result():
                    emit(line, dig)
                if stop():
                    break
            if stop():
                result.interrupted = True
                break
        while in_flight and not result.interrupted:
            for line, dig in in_flight.popleft().result():
                emit(line, dig)
    finally:
        pool.shutdown(wait=not result.interrupted, cancel_futures=True)
    return result
