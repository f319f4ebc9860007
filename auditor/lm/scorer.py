"""Sentence fluency (SLOR) and sentence-order scoring with a causal LM.

Two kinds of model load the same way:
- the embedded news LM (a directory with `calibration.json`, a sentencepiece
  `tokenizer.model` and `unigram.safetensors`), tokenized with sentencepiece;
- any Hugging Face causal LM (hub id or local path) with its AutoTokenizer; its
  unigram table and calibration are computed on the shipped clean calibration
  sentences on first use and cached under ~/.cache/mtaudit.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from pathlib import Path

from auditor.lm import calibration as cal
from auditor.lm.rules import LOW_FLUENCY, MISFIT_SENTENCE, SCRAMBLED_ORDER
from auditor.lm.types import ArticleFluency, ModelLoadError

DEFAULT_MODEL = "news-lm"
# fluency.score: mean SLOR of the least likely quarter of the sentence's tokens.
# Measured against plain (mean) SLOR and mean log-prob in bench/lm_fluency.py:
# an MT error is local (one swapped pair, one dropped word), and averaging over
# every token dilutes it (unpaired AUC 0.746 vs 0.640 for SLOR, 0.593 for mean log-prob).
METRIC = "slor_q25"
HEAD_METRIC = "fluency_head"  # minus the fluency head's damage logit (fluencyhead.py)
MIN_TOKENS_TO_FLAG = 4  # SLOR of 1-3 tokens is noise; rules cover "Source:" & co.
ORDER_MIN_SENTENCES = 6
PREFIX_CHUNK = 256  # prefixes whose keys and values are held at once (~100 KB each for the embedded model)
ORDER_MAX_TARGET_TOKENS = 32  # a sentence's opening carries its link to the previous one
ORDER_MAX_CONTEXT_TOKENS = 96  # longer context measured better (bench AUC 0.69 -> 0.78)
# Each actual neighbour pair a -> b is compared with random other sentences
# before b and after a (lm part AUC on 150 calibration articles: 2 predecessors
# 0.873, 6 predecessors 0.890, 3 + 3 0.888, 4 + 4 0.891).
ORDER_RANDOM_PREDECESSORS = 3
ORDER_RANDOM_SUCCESSORS = 3
ORDER_PART_CLIP = 3.0
# Two or more references before their introduction (a person by surname before the
# full name, an acronym before it is spelled out) flag the order on their own: 0.3 % of
# the first 700 clean calibration articles, 14 % of shuffled copies (a partly shuffled article keeps
# its lede and most neighbours, so the statistical parts miss it).
ORDER_LATE_INTRO_FLAG = 2
# When a flagged article's first body sentence ranks below the average as a lede (lede_rank
# z < 0), the sentence that ranks first is pointed out as the likely lede: the ranking
# puts the true lede first in 77 % of clean benchmark articles (lede.py).
ORDER_LEDE_HINT_Z = 0.0
DEFAULT_ORDER_THRESHOLD = 1.5
DAMAGE_HEAD_WEIGHT = 0.5  # the fluency head's part in FLU001's "damage is most likely at" (Scorer._damage_at)
# The order score combines statistics each ~N(0, 1) for a shuffled article
# and positive for a coherent one: the LM's paired t-score (does a sentence fit
# its actual neighbours better than random ones?), the LM's headline -> lede gain,
# and four lexical ones (auditor/lm/cohesion.py): neighbour word overlap,
# references before antecedents, the headline's overlap with the lede, and lede
# cues; a seventh that is a count, not a z-score: late introductions
# (-log(1 + people and acronyms used before they are introduced)); and the lede
# ranking (auditor/lm/lede.py); and, when the model directory ships a sentence-pair head,
# its z-scores of the actual order against random ones (auditor/lm/pairhead.py): of the
# pair scores (does each sentence follow its predecessor?) and, when the head has that
# part, of the precedence logits (does each sentence come before the ones after it?).
# Weights fitted on shuffled copies of the calibration articles (train.py calibrate;
# BENCHMARKS.md "Fluency and order").
DEFAULT_ORDER_WEIGHTS = {"lm": 1.0, "lede": 0.5, "adjacent": 1.0, "intro": 0.5, "lede_lex": 0.0, "lede_like": 0.0,
                         "late_intro": 0.0, "lede_rank": 0.0, "pair": 0.0, "prec": 0.0}


def default_model_path() -> Path:
    """The embedded model: `auditor.models/news-lm` when installed, else the repo's models/."""
    try:
        from importlib.resources import files

        p = Path(str(files("auditor.models") / DEFAULT_MODEL))
        if p.is_dir():
            return p
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "models" / DEFAULT_MODEL


_CACHE: dict = {}


def load_scorer(name_or_path: str | None = None, *, threads: int = 1, device: str | None = None,
                calibration_sentences: int | None = None, dtype: str | None = None) -> "Scorer":
    try:
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import sentencepiece  # noqa: F401
        import torch
    except ImportError as exc:
        raise ModelLoadError(f"fluency scoring needs the LM extra: pip install 'mtaudit[lm]' ({exc.name} is missing)") from None
    if threads < 1:
        raise ModelLoadError(f"threads must be >= 1, got {threads}")
    torch.set_num_threads(threads)  # a setting: applies to this process's later scoring too
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = dtype or os.environ.get("MTAUDIT_LM_DTYPE", "auto")
    if dtype not in DTYPES:
        raise ModelLoadError(f"unknown LM dtype {dtype!r} (choose from {', '.join(DTYPES)})")
    key = (str(name_or_path), device, calibration_sentences, dtype)
    if key not in _CACHE:
        _CACHE[key] = Scorer._load(name_or_path, device, calibration_sentences, dtype)
    scorer = _CACHE[key]
    scorer.threads = threads
    return scorer


class _SpmTokenizer:
    def __init__(self, path: Path):
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(path))
        self.bos, self.eos, self.pad = self.sp.bos_id(), self.sp.eos_id(), max(self.sp.pad_id(), 0)

    def encode(self, texts: list[str]) -> list[list[int]]:
        return self.sp.encode(texts)

    def piece(self, i: int) -> str:
        return self.sp.id_to_piece(i).replace("\u2581", " ")

    def byte_value(self, i: int) -> int | None:
        return int(self.sp.id_to_piece(i)[3:5], 16) if self.sp.is_byte(i) else None


class _HfTokenizer:
    def __init__(self, tok):
        self.tok = tok
        eos = tok.eos_token_id
        bos = tok.bos_token_id if tok.bos_token_id is not None else eos
        if bos is None:
            raise ModelLoadError("tokenizer has neither a BOS nor an EOS token")
        self.bos, self.eos = bos, eos
        self.pad = tok.pad_token_id if tok.pad_token_id is not None else bos

    def encode(self, texts: list[str]) -> list[list[int]]:
        return self.tok(texts, add_special_tokens=False)["input_ids"] if texts else []

    def piece(self, i: int) -> str:
        return self.tok.decode([i])

    def byte_value(self, i: int) -> int | None:
        return None


class Scorer:
    """Scores sentences and articles; build with `load_scorer`."""

    def __init__(self, model, tokenizer, unigram, table: dict, info: dict, device: str, max_tokens: int):
        self.model = model
        self.tok = tokenizer
        self.unigram = unigram  # numpy float32 log-probabilities per token id
        self.table = table  # calibration: {"quantiles": [...], "order": {...}, ...}
        self.info = info
        self.device = device
        self.max_tokens = max_tokens
        self.threads = 1
        self.pair_head = None  # pairhead.PairHead when the model directory ships one
        self.fluency_head = None  # fluencyhead.FluencyHead when the model directory ships one
        self.metric = METRIC  # what fluency.score is: HEAD_METRIC once a head and its table are loaded
        self.flag_percentile = float(table.get("flag_percentile", 2.0))
        self.threshold = cal.value_at_percentile(table["quantiles"], self.flag_percentile)
        # Headlines (short, no final stop, title style) score far lower than body
        # sentences: 20% of clean headlines fell below the body threshold. They get
        # their own table when the model has one, and are never flagged otherwise.
        hq = table.get("headline_quantiles")
        self.headline_threshold = cal.value_at_percentile(hq, self.flag_percentile) if hq else None
        vocab = len(unigram)
        # Tokens per batch. On CPU, big batches only add cache misses (activations and
        # logits fall out of cache): 512 measured fastest in fp32 and bf16 alike
        # (bench/lm_speed.py --budgets; 4096 was 1.2-1.7x slower). On GPU, the more the
        # better up to ~16k tokens (bench/lm_gpu.py on an H100: the embedded model's forward
        # 2.6x faster at 16,384 than at 4,194; a GPT-2-small-sized one 3.8x at 16,384 than at
        # 667), with the fp32 logits bounded to ~1 GB for large vocabularies.
        on_gpu = str(device).startswith("cuda")
        self.token_budget = max(256, min(16384, (1 << 28) // vocab)) if on_gpu else max(128, min(512, (1 << 25) // vocab))

    # ---------------------------------------------------------------- loading
    @classmethod
    def _load(cls, name_or_path, device, calibration_sentences, dtype_name: str = "auto") -> "Scorer":

        path = default_model_path() if name_or_path is None else Path(os.path.expanduser(name_or_path))
        if name_or_path is None and not path.is_dir():
            raise ModelLoadError(f"the embedded model is missing ({path}); reinstall mtaudit or pass --model")
        own = path.is_dir() and (path / "calibration.json").is_file()
        dtype = _resolve_dtype(dtype_name, device, fast=own)
        local = path.is_dir()
        if not local:
            raw = str(name_or_path)
            if path.exists():
                raise ModelLoadError(f"model path is not a directory: {raw}")
            if raw.startswith((".", "/", "~")) or raw.count("/") > 1 or raw.endswith(("/", os.sep)):
                raise ModelLoadError(f"model path not found: {raw}")
        src = str(path) if local else str(name_or_path)
        model = None
        if own and os.environ.get("MTAUDIT_LM_BACKEND", "fast") != "transformers":
            try:
                from auditor.lm.fastllama import FastLlama

                model = FastLlama(path, device, dtype)
                config = model.config
            except (ValueError, KeyError, OSError):
                model = None  # not a plain llama: load it through transformers
        if model is None:
            try:
                from transformers.utils import logging as hf_logging
            except ImportError:
                raise ModelLoadError("fluency scoring needs transformers (pip install transformers)") from None
            hf_logging.set_verbosity_error()
            if own and dtype_name == "auto":
                dtype = _resolve_dtype("auto", device, fast=False)
            config, model = _load_hf(src, local, dtype)
            model.to(device).eval()
        max_pos = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None) or 512
        if own:
            meta = json.loads((path / "calibration.json").read_text(encoding="utf-8"))
            tok = _SpmTokenizer(path / "tokenizer.model")
            from safetensors.numpy import load_file

            try:
                meta["quantiles"]
            except KeyError:
                raise ModelLoadError(f"{path}/calibration.json has no quantiles table") from None
            unigram = load_file(str(path / "unigram.safetensors"))["logprob"]
            max_tokens = int(meta.get("max_tokens", min(max_pos, 512)))
            info = {"name": meta.get("name", path.name), "path": str(path), "metric": METRIC, "embedded": name_or_path is None}
            scorer = cls(model, tok, unigram, meta, info, device, max_tokens)
        else:
            tok = _HfTokenizer(_hf_tokenizer(src, local))
            max_tokens = int(min(max_pos, 512))
            info = {"name": str(name_or_path), "path": src, "metric": METRIC, "embedded": False}
            n_cal = calibration_sentences or cal.DEFAULT_CALIBRATION_SENTENCES
            sentences = cal.calibration_sentences(n_cal)
            vocab = int(getattr(model.get_output_embeddings(), "out_features", 0) or config.vocab_size)
            unigram = cal.unigram_table(tok, sentences, vocab)
            table = cal.cached_table(_cache_key(src, n_cal, dtype), lambda: None)
            scorer = cls(model, tok, unigram, table or {"quantiles": [0.0, 0.0]}, info, device, max_tokens)
            if table is None:
                table = cal.build_table(scorer, sentences)
                cal.cached_table(_cache_key(src, n_cal, dtype), lambda: table)
            # the order statistic is a t-score (scale-free): reuse the embedded model's threshold
            table.setdefault("order", _embedded_order_table())
            scorer = cls(model, tok, unigram, table, info, device, max_tokens)
        if local:
            from auditor.lm import pairhead

            try:
                scorer.pair_head = pairhead.load(path)
            except Exception as exc:  # noqa: BLE001 - a damaged head is a load error, in one line
                where = getattr(exc, "path", path / pairhead.FILE)  # which member's file failed
                raise ModelLoadError(f"{where}: cannot load the sentence-pair head ({_one_line(exc)})") from None
            if scorer.pair_head is not None:
                hidden = int(getattr(config, "hidden_size", 0) or getattr(config, "n_embd", 0))
                head_cfg = scorer.pair_head.config()
                if head_cfg["d_in"] != 3 * hidden or head_cfg.get("tower", {}).get("hidden", hidden) != hidden:
                    raise ModelLoadError(f"{path / pairhead.FILE}: built for another model (input {head_cfg['d_in']}, "
                                         f"this model gives {3 * hidden}); rebuild it with `python -m auditor.lm.train pair-head`")
                # a tower runs on the fluency pass's states, where they are and in their dtype (the
                # rest of the head rates pooled embeddings on the CPU)
                for tower in getattr(scorer.pair_head, "towers", [scorer.pair_head.tower]):
                    if tower is not None:
                        tower.to(device=device, dtype=dtype)
                scorer.info["pair_head"] = True
                scorer.info["pair_head_members"] = len(getattr(scorer.pair_head, "members", [None]))
            from auditor.lm import fluencyhead

            try:
                # a tuned body is a second LM pass: it runs in the LM's dtype (bf16: 2.4x faster here)
                scorer.fluency_head = fluencyhead.load(path, device, body_dtype=dtype)
            except Exception as exc:  # noqa: BLE001 - a damaged head is a load error, in one line
                raise ModelLoadError(f"{path / fluencyhead.FILE}: cannot load the fluency head ({_one_line(exc)})") from None
            if scorer.fluency_head is not None:
                hidden = int(getattr(config, "hidden_size", 0) or getattr(config, "n_embd", 0))
                if scorer.fluency_head.hidden != hidden:
                    raise ModelLoadError(f"{path / fluencyhead.FILE}: built for another model (hidden size "
                                         f"{scorer.fluency_head.hidden}, this model has {hidden}); rebuild it with "
                                         "`python -m auditor.lm.train fluency-head`")
                body = scorer.fluency_head.body
                vocab = int(getattr(config, "vocab_size", 0) or 0)
                if body is not None and vocab and body.cfg["vocab"] != vocab:
                    raise ModelLoadError(f"{path / fluencyhead.FILE}: built for another model (its body reads "
                                         f"{body.cfg['vocab']} token ids, this model has {vocab}); rebuild it with "
                                         "`python -m auditor.lm.train fluency-head`")
                scorer.info["fluency_head"] = True
            if scorer.table.get("metric") == HEAD_METRIC:
                if scorer.fluency_head is None:
                    raise ModelLoadError(f"{path}/calibration.json is calibrated for a fluency head, "
                                         f"but {fluencyhead.FILE} is missing")
                scorer.metric = HEAD_METRIC
        scorer.info["metric"] = scorer.metric
        scorer.info["dtype"] = str(dtype).replace("torch.", "")
        scorer.info["flag_percentile"] = scorer.flag_percentile
        scorer.info["threshold"] = round(scorer.threshold, 4)
        return scorer

    # ---------------------------------------------------------------- core
    def token_logprobs(self, seqs: list[list[int]], score_from: list[int], pool=None, fluency=None):
        """log P(token t | tokens < t) for t in seq[score_from:], for each sequence.

        Batched by length (sorted, right-padded, bounded by a token budget). With
        `pool` (a function of the final hidden states, the row lengths and the states
        entering the last layer, such as PairHead.pool), returns (log-probs,
        embeddings): each sequence's sentence embedding from the same forward pass.
        With `fluency` (a FluencyHead; sequences scored from 1), returns (log-probs,
        embeddings or Nones, head results): each sequence's damage logit and its
        per-token logits, from the same forward pass."""
        import numpy as np
        import torch

        out: list = [None] * len(seqs)
        pooled: list = [None] * len(seqs)
        rated: list = [None] * len(seqs)
        if fluency is not None:
            if any(k != 1 for k in score_from):
                raise ValueError("the fluency head reads whole sentences: score them from token 1")
            uni_t = torch.as_tensor(self.unigram, dtype=torch.float32)
        fast = getattr(self.model, "token_logprobs", None)  # FastLlama: output layer on real positions only
        with torch.inference_mode():
            for batch in self._budget_batches(list(range(len(seqs))), lambda i: len(seqs[i])):
                width = max(len(seqs[i]) for i in batch)
                ids = torch.full((len(batch), width), self.tok.pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for r, i in enumerate(batch):
                    ids[r, : len(seqs[i])] = torch.tensor(seqs[i], dtype=torch.long)
                    mask[r, : len(seqs[i])] = 1
                ids, mask = ids.to(self.device), mask.to(self.device)
                lengths = [len(seqs[i]) for i in batch]
                if fast is not None:
                    # the output layer runs only from each row's score_from on
                    starts = [score_from[i] for i in batch]
                    if fluency is not None:
                        flat_t, emb, h = fast(ids, lengths, pool=pool, states=True, starts=starts)
                    elif pool is not None:
                        flat_t, emb = fast(ids, lengths, pool=pool, starts=starts)
                    else:
                        flat_t, emb = fast(ids, lengths, starts=starts), None
                    if emb is not None:
                        emb = emb.float().cpu().numpy()
                        for r, i in enumerate(batch):
                            pooled[i] = emb[r]
                    flat = flat_t.cpu().numpy().astype(np.float64)
                    pos = 0
                    for i in batch:
                        n = len(seqs[i]) - score_from[i]
                        out[i] = flat[pos : pos + n]
                        pos += n
                    if fluency is not None:
                        # the same row layout as the log-probs: position j holds token j's
                        lp_rows = torch.zeros(ids.shape, dtype=torch.float32, device=ids.device)
                        valid = torch.arange(width, device=ids.device)[None, :] < torch.as_tensor(lengths, device=ids.device)[:, None]
                        valid[:, 0] = False
                        lp_rows[valid] = flat_t.float()
                        self._rate(fluency, batch, h, lp_rows, ids, lengths, uni_t, rated)
                    continue
                want_states = pool is not None or fluency is not None
                res = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=want_states)
                if pool is not None:
                    emb = pool(res.hidden_states[-1], lengths, res.hidden_states[-2]).float().cpu().numpy()
                    for r, i in enumerate(batch):
                        pooled[i] = emb[r]
                logits = res.logits[:, :-1].float()
                target = ids[:, 1:]
                lp_t = logits.gather(-1, target.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, -1)
                if fluency is not None:
                    lp_rows = torch.nn.functional.pad(lp_t, (1, 0)) * mask
                    self._rate(fluency, batch, res.hidden_states[-1], lp_rows, ids, lengths, uni_t, rated)
                lp = lp_t.cpu().numpy()
                for r, i in enumerate(batch):
                    out[i] = lp[r, score_from[i] - 1 : len(seqs[i]) - 1].astype(np.float64)
        if fluency is not None:
            return out, pooled, rated
        return (out, pooled) if pool is not None else out

    def prefixed_logprobs(self, seqs: list[list[int]], score_from: list[int]):
        """What token_logprobs(seqs, score_from) returns, with each distinct prefix
        seqs[i][:score_from[i]] run through the model once: the order test scores
        every sentence after several others (its actual predecessor, random ones, the
        headline), so most of its pairs share their context with six others. On the
        embedded engine the prefixes' keys and values are kept and each pair runs
        only its scored tokens; other models take the plain path. The log-probs
        agree with the plain path's to bf16 rounding (the attention sums the same
        terms in another order); tests/test_lm.py checks them, bench/lm_order_pass.py
        times both and compares each with fp32."""
        import numpy as np
        import torch

        model = self.model
        if not hasattr(model, "prefix_states") or not seqs:
            return self.token_logprobs(seqs, score_from)
        out: list = [np.zeros(0)] * len(seqs)
        groups: dict[tuple, list[int]] = {}
        for i, (seq, k) in enumerate(zip(seqs, score_from)):
            if 1 <= k < len(seq):
                groups.setdefault(tuple(seq[:k]), []).append(i)
        prefixes = sorted(groups, key=len)
        dev = self.device
        with torch.inference_mode():
            for c0 in range(0, len(prefixes), PREFIX_CHUNK):
                chunk = prefixes[c0 : c0 + PREFIX_CHUNK]
                kv: dict[tuple, list] = {}  # prefix -> per layer (k, v), each (kv heads, length, head_dim)
                last: dict[tuple, object] = {}  # prefix -> its final state at the last token
                for batch in self._budget_batches(chunk, len):
                    width = max(len(pf) for pf in batch)
                    ids = torch.full((len(batch), width), self.tok.pad, dtype=torch.long)
                    for r, pf in enumerate(batch):
                        ids[r, : len(pf)] = torch.tensor(pf, dtype=torch.long)
                    cache, states = model.prefix_states(ids.to(dev), [len(pf) for pf in batch])
                    for r, pf in enumerate(batch):
                        kv[pf] = [(k[r, :, : len(pf)], v[r, :, : len(pf)]) for k, v in cache]
                        last[pf] = states[r]
                rows = [(i, pf) for pf in chunk for i in groups[pf]]
                # suffix queries: the scored tokens but the last (it predicts nothing)
                for batch in self._budget_batches(rows, lambda row: len(seqs[row[0]]) - len(row[1]) - 1, min_len=1):
                    self._suffix_batch(batch, seqs, kv, last, out)
        return out

    def _budget_batches(self, items: list, length, min_len: int = 1) -> list[list]:
        """Items sorted by length(item), cut into batches of at most token_budget padded tokens."""
        batches, cur = [], []
        for it in sorted(items, key=length):
            n = max(min_len, length(it))
            if cur and n * (len(cur) + 1) > self.token_budget:
                batches.append(cur)
                cur = []
            cur.append(it)
        if cur:
            batches.append(cur)
        return batches

    def _suffix_batch(self, batch, seqs, kv, last, out) -> None:
        """Log-probs of one batch of (sequence index, prefix) rows into out[i]."""
        import numpy as np
        import torch

        model, dev = self.model, self.device
        t = max(1, max(len(seqs[i]) - len(pf) - 1 for i, pf in batch))
        p = max(len(pf) for _, pf in batch)
        ids = torch.full((len(batch), t), self.tok.pad, dtype=torch.long)
        n_q = []
        for r, (i, pf) in enumerate(batch):
            q = seqs[i][len(pf) : -1]
            n_q.append(len(q))
            if q:
                ids[r, : len(q)] = torch.tensor(q, dtype=torch.long)
        ref_k = kv[batch[0][1]][0][0]
        cache = []
        for layer in range(len(kv[batch[0][1]])):
            pk = torch.zeros((len(batch), ref_k.shape[0], p, ref_k.shape[2]), dtype=ref_k.dtype, device=dev)
            pv = torch.zeros_like(pk)
            for r, (_, pf) in enumerate(batch):
                k, v = kv[pf][layer]
                pk[r, :, : len(pf)] = k
                pv[r, :, : len(pf)] = v
            cache.append((pk, pv))
        h = model.suffix_hidden(ids.to(dev), cache, [len(pf) for _, pf in batch])
        valid = torch.arange(t, device=dev)[None, :] < torch.as_tensor(n_q, device=dev)[:, None]
        # first scored token: from the prefix's last state; the others: from the suffix's states
        states = torch.cat([torch.stack([last[pf] for _, pf in batch]), h[valid]])
        targets = [seqs[i][len(pf)] for i, pf in batch]
        for i, pf in batch:
            targets.extend(seqs[i][len(pf) + 1 :])
        # h[valid] is row-major: row r's suffix targets follow in order, as appended above
        lp = model.state_logprobs(states, torch.tensor(targets, dtype=torch.long, device=dev)).cpu().numpy()
        firsts, rest = lp[: len(batch)], lp[len(batch) :]
        pos = 0
        for r, (i, _) in enumerate(batch):
            out[i] = np.concatenate([[firsts[r]], rest[pos : pos + n_q[r]]]).astype(np.float64)
            pos += n_q[r]

    def _rate(self, head, batch, h, lp_rows, ids, lengths, uni_t, rated) -> None:
        """Run the fluency head over one batch's states: rated[i] = (damage logit,
        per-token logits for tokens 1..len-1)."""
        import torch

        uni = uni_t.to(ids.device)[ids.clamp(max=len(uni_t) - 1)]
        uni[:, 0] = 0.0
        pad = torch.arange(ids.shape[1], device=ids.device)[None, :] >= torch.as_tensor(lengths, device=ids.device)[:, None]
        uni = uni.masked_fill(pad, 0.0)
        z = head(h.float(), lp_rows, uni, lengths, ids=ids)
        logit = head.sentence_logit(z).cpu().numpy()
        z = z.cpu().numpy()
        for r, i in enumerate(batch):
            rated[i] = (float(logit[r]), z[r, 1 : lengths[r]].astype("float64"))

    def hidden_states(self, ids):
        """The LM's final hidden states and the states entering its last layer, each
        (b, t, hidden), for right-padded token ids (training the pair head)."""
        if hasattr(self.model, "hidden"):
            return self.model.hidden(ids.to(self.device), pre_last=True)
        # right padding: under the causal mask no real token sees the padding after it
        states = self.model(input_ids=ids.to(self.device), output_hidden_states=True).hidden_states
        return states[-1], states[-2]

    def naive_token_logprobs(self, seqs: list[list[int]], score_from: list[int], pool=None, fluency=None):
        """One sequence at a time, no batching (the benchmark's baseline): the same
        outputs as token_logprobs (embeddings with `pool`, head results with
        `fluency`), each from a forward pass over that sequence alone."""
        import torch

        out, pooled, rated = [], [None] * len(seqs), [None] * len(seqs)
        uni_t = torch.as_tensor(self.unigram, dtype=torch.float32) if fluency is not None else None
        fast = hasattr(self.model, "hidden")
        with torch.inference_mode():
            for i, (seq, k) in enumerate(zip(seqs, score_from)):
                ids = torch.tensor([seq], dtype=torch.long, device=self.device)
                before = None
                if fast:
                    h, before = self.model.hidden(ids, pre_last=True)
                    logits = torch.nn.functional.linear(h, self.model.head)[0, :-1].float()
                elif pool is not None or fluency is not None:
                    res = self.model(input_ids=ids, output_hidden_states=True)
                    h, before, logits = res.hidden_states[-1], res.hidden_states[-2], res.logits[0, :-1].float()
                else:
                    h, logits = None, self.model(input_ids=ids).logits[0, :-1].float()
                lp = torch.log_softmax(logits, -1).gather(-1, ids[0, 1:].unsqueeze(-1)).squeeze(-1)
                if pool is not None:
                    pooled[i] = pool(h, [len(seq)], before).float().cpu().numpy()[0]
                if fluency is not None:
                    lp_rows = torch.nn.functional.pad(lp, (1, 0))[None, :]
                    self._rate(fluency, [i], h, lp_rows, ids, [len(seq)], uni_t, rated)
                out.append(lp[k - 1 :].cpu().numpy().astype("float64"))
        if fluency is not None:
            return out, pooled, rated
        return (out, pooled) if pool is not None else out

    def _sentence_units(self, ids: list[int]) -> list[list[int]]:
        """[BOS] ids [EOS], split into windows the model can take (long sentences)."""
        room = self.max_tokens - 2
        chunks = [ids[i : i + room] for i in range(0, len(ids), room)] or [[]]
        units = [[self.tok.bos, *c] for c in chunks]
        if self.tok.eos is not None:
            units[-1].append(self.tok.eos)
        return units

    def score_texts(self, texts: list[str], naive: bool = False) -> list[dict | None]:
        """Fluency of each text scored on its own (None for blank text)."""
        import numpy as np

        keep = [i for i, t in enumerate(texts) if t and t.strip()]
        enc = self.tok.encode([_clean(texts[i]) for i in keep])
        seqs, owner = [], []
        for k, ids in enumerate(enc):
            for unit in self._sentence_units(ids):
                seqs.append(unit)
                owner.append(k)
        # sentence embeddings for the pair head come free with this pass
        pool = self.pair_head.pool if self.pair_head is not None else None
        head = self.fluency_head
        rated = [None] * len(seqs)
        # naive: the same outputs, one sentence per forward pass (the speed benchmark's baseline)
        run = self.naive_token_logprobs if naive else self.token_logprobs
        if head is not None:
            lps, embs, rated = run(seqs, [1] * len(seqs), pool=pool, fluency=head)
        elif pool is not None:
            lps, embs = run(seqs, [1] * len(seqs), pool=pool)
        else:
            lps = run(seqs, [1] * len(seqs))
        per: list[list] = [[] for _ in enc]
        per_emb: list[list] = [[] for _ in enc]
        per_rate: list[list] = [[] for _ in enc]
        chunks = [0] * len(enc)
        for j, (k, lp) in enumerate(zip(owner, lps)):
            per[k].append(lp)
            if pool is not None:
                per_emb[k].append(embs[j])
            if rated[j] is not None:
                per_rate[k].append(rated[j])
            chunks[k] += 1
        out: list[dict | None] = [None] * len(texts)
        for k, i in enumerate(keep):
            ids = list(enc[k]) + ([self.tok.eos] if self.tok.eos is not None else [])
            lp = np.concatenate(per[k])
            uni = self.unigram[np.minimum(np.asarray(ids, dtype=np.int64), len(self.unigram) - 1)]
            per_token = lp - uni
            slor = float(np.mean(per_token))
            slor_q25 = float(np.mean(np.sort(per_token)[: max(1, len(per_token) // 4)]))
            head_score = None
            if per_rate[k]:
                # windows of a long sentence: damaged if any window is (log-sum-exp, as within one)
                head_score = -float(np.logaddexp.reduce([r[0] for r in per_rate[k]]))
            score = head_score if self.metric == HEAD_METRIC and head_score is not None else slor_q25
            d = {
                "score": round(score, 4),
                "percentile": round(cal.percentile_of(self.table["quantiles"], score), 2),
                "metric": self.metric,
                "slor": round(slor, 4),
                "slor_q25": round(slor_q25, 4),
                "mean_logprob": round(float(np.mean(lp)), 4),
                "tokens": len(ids),
                "_lp": lp,
                "_ids": ids,
            }
            if head_score is not None:
                d["head"] = round(head_score, 4)
                d["_z"] = np.concatenate([r[1] for r in per_rate[k]])
            if pool is not None:
                d["_emb"] = _join_windows(per_emb[k])
            if chunks[k] > 1:
                d["split"] = chunks[k]
                d["note"] = f"long sentence scored in {chunks[k]} windows of {self.max_tokens} tokens"
            out[i] = d
        return out

    def embed_texts(self, texts: list[str], opening: int = 4):
        """(n, 3 x hidden) float32 sentence embeddings as the fluency pass computes them
        for the pair head: through its tower when it has one, else the LM's final
        states pooled with `opening` tokens (fastllama.pool_hidden)."""
        import numpy as np

        from auditor.lm.fastllama import pool_hidden

        enc = self.tok.encode([_clean(t) for t in texts])
        seqs, owner = [], []
        for k, ids in enumerate(enc):
            for unit in self._sentence_units(ids):
                seqs.append(unit)
                owner.append(k)
        pool = self.pair_head.pool if self.pair_head is not None else lambda h, lengths, _: pool_hidden(h, lengths, opening)
        _, embs = self.token_logprobs(seqs, [1] * len(seqs), pool=pool)
        per: list[list] = [[] for _ in enc]
        for k, e in zip(owner, embs):
            per[k].append(e)
        return np.stack([_join_windows(e) for e in per]).astype(np.float32)

    # ---------------------------------------------------------------- articles
    def score_article(self, article, order_skip=()) -> ArticleFluency:
        return self.score_articles([article], [order_skip])[0]

    def score_articles(self, articles: list, order_skip: list | None = None) -> list[ArticleFluency]:
        """Score every sentence of every article in shared batches, then run
        each article's order test (its sentence pairs also batched across articles).
        `order_skip[k]`: indices of article k's sentences the order test leaves out
        (boilerplate the cleanup deletes: the pipeline passes
        detectors.boilerplate.furniture_sentences); they are still scored."""
        skips = list(order_skip) if order_skip is not None else [()] * len(articles)
        flat = [s.text for a in articles for s in a.sentences]
        scored = self.score_texts(flat)
        results, pos = [], 0
        pair_jobs = []
        for a, skip in zip(articles, skips):
            sents = scored[pos : pos + len(a.sentences)]
            pos += len(a.sentences)
            pair_jobs.append(self._order_pairs(a, sents, skip))
        all_seqs = [seq for job in pair_jobs if job for seq in job["seqs"]]
        all_from = [k for job in pair_jobs if job for k in job["from"]]
        pair_lps = self.prefixed_logprobs(all_seqs, all_from) if all_seqs else []
        pos = 0
        p0 = 0
        for a in articles:
            sents = scored[p0 : p0 + len(a.sentences)]
            p0 += len(a.sentences)
            job = pair_jobs.pop(0)
            for i, s in enumerate(sents):
                if s and a.sentences[i].is_headline and self.table.get("headline_quantiles"):
                    s["percentile"] = round(cal.percentile_of(self.table["headline_quantiles"], s["score"]), 2)
                    s["calibration"] = "headlines"
            findings = [f for i, s in enumerate(sents) if s for f in self._fluency_findings(a.sentences[i], s)]
            order = None
            if job:
                n = len(job["seqs"])
                order = self._order_test(a, sents, job, pair_lps[pos : pos + n])
                pos += n
                findings.extend(order.pop("_findings"))
            public = [None if s is None else {k: v for k, v in s.items() if not k.startswith("_")} for s in sents]
            results.append(ArticleFluency(public, findings, order, dict(self.info)))
        return results

    def _units(self, ids, values, merge=sum) -> list[tuple[str, float]]:
        """(text, value) per token, byte-fallback runs merged back into characters
        (their values combined with `merge`)."""
        units: list[tuple[str, float]] = []
        i = 0
        while i < len(ids):
            b = self.tok.byte_value(ids[i])
            if b is None:
                text = "</s>" if ids[i] == self.tok.eos and i == len(ids) - 1 else self.tok.piece(ids[i])
                units.append((text, float(values[i])))
                i += 1
                continue
            j, raw, vals = i, bytearray(), []
            while j < len(ids) and self.tok.byte_value(ids[j]) is not None:
                raw.append(self.tok.byte_value(ids[j]))
                vals.append(float(values[j]))
                j += 1
            units.append((raw.decode("utf-8", errors="replace"), merge(vals)))
            i = j
        return units

    @staticmethod
    def _words(units: list[tuple[str, float]], worst=min) -> list[tuple[str, float, str]]:
        """(word, value, token) per word: units joined into the words an editor reads
        ("These", not its first piece "The"), each with its worst unit's value and
        text (`worst`: min for log-probs, max for damage logits). A word starts at a
        unit that starts with a space; punctuation closing a word ("shortages" + ".")
        is a word of its own, so that a low value on the full stop is not shown on
        the word before it; `</s>` stands alone."""
        groups: list[list[tuple[str, float]]] = []
        for text, v in units:
            if not groups or text.startswith(" ") or text == "</s>" or groups[-1][0][0] == "</s>":
                groups.append([(text, v)])
            else:
                groups[-1].append((text, v))
        split: list[list[tuple[str, float]]] = []
        for g in groups:
            k = len(g)
            while k > 1 and not any(c.isalnum() for c in g[k - 1][0]):
                k -= 1
            split.extend([g[:k], g[k:]] if 0 < k < len(g) and any(c.isalnum() for c in "".join(t for t, _ in g[:k])) else [g])
        out = []
        for g in split:
            text, v = g[0]
            for t, x in g[1:]:
                if worst(x, v) != v:
                    text, v = t, x
            word = "".join(t for t, _ in g)
            out.append((word.strip() or word, v, text))
        return out

    def _least_likely(self, d: dict, k: int = 3) -> list[tuple[str, float, str]]:
        """The k least likely distinct words, in sentence order: (word, value of its
        least likely token, that token), byte-fallback runs merged back into characters."""
        ids = d["_ids"]
        # ranked like the score: LM log-prob minus unigram log-prob, so a rare
        # but well-placed name is not blamed
        words = self._words(self._units(ids, d["_lp"] - self.unigram[[min(i, len(self.unigram) - 1) for i in ids]]))
        worst: list[int] = []
        for u in sorted(range(len(words)), key=lambda u: words[u][1]):
            # each word once (its worst occurrence): "said", "said", "said" tells an editor nothing new
            if len(worst) < k and all(words[u][0] != words[v][0] for v in worst):
                worst.append(u)
        return [words[u] for u in sorted(worst)]

    def _damage_at(self, d: dict) -> tuple[str, float, str, float | None, float | None] | None:
        """The word where the damage most likely is: the highest sum of the fluency
        head's word logit (times DAMAGE_HEAD_WEIGHT) and minus the word's SLOR, each
        standardised within the sentence. (bench/lm_localize.py, chosen on the --seed 12
        draw: sixteenth session, head alone 65 %, SLOR 73 %, equal weights 74 %;
        seventeenth, with the longer-trained head: 63.5 / 73.1 / 72.3 %, the head
        weighted a half 74.4 %.)
        Returns (word, the head's logit there, its token, the word's SLOR, the sum
        it was chosen by)."""
        import numpy as np

        z, ids = d.get("_z"), d["_ids"]
        if z is None or len(z) != len(ids):
            return None
        head = self._words(self._units(ids, z, merge=max), worst=max)
        slor = self._words(self._units(ids, d["_lp"] - self.unigram[[min(i, len(self.unigram) - 1) for i in ids]]))
        h = np.array([v for _, v, _ in head], dtype=float)
        sl = np.array([v for _, v, _ in slor], dtype=float)
        if len(h) != len(sl):  # the same units grouped alike: never expected
            return (*max(head, key=lambda u: u[1]), None, None)
        both = DAMAGE_HEAD_WEIGHT * (h - h.mean()) / (h.std() or 1.0) - (sl - sl.mean()) / (sl.std() or 1.0)
        k = int(np.argmax(both))
        return (*head[k], float(sl[k]), float(both[k]))

    def _fluency_findings(self, sentence, d: dict) -> list:
        threshold = self.headline_threshold if sentence.is_headline else self.threshold
        if threshold is None or d["score"] >= threshold or d["tokens"] < MIN_TOKENS_TO_FLAG:
            return []
        worst = self._least_likely(d)
        shown = ", ".join(f"\u201c{w}\u201d ({v:+.1f})" for w, v, _ in worst)
        msg = (f"reads unlike clean news (fluency {d['score']:.2f}, percentile {d['percentile']:.1f} "
               f"of clean {'headlines' if sentence.is_headline else 'sentences'}; flag below {self.flag_percentile:g}): "
               f"least likely words (log-prob minus unigram) {shown}")
        # "token": the word's least likely token, as before words were shown; "word": the whole word
        data = {"score": d["score"], "percentile": d["percentile"],
                "least_likely": [{"token": t, "word": w, "slor": round(v, 3)} for w, v, t in worst]}
        at = self._damage_at(d)
        if at is not None:
            msg += f"; the damage is most likely at \u201c{at[0]}\u201d (fluency head and SLOR)"
            # "logit": the head's word logit; "slor": the word's SLOR; "evidence": the
            # within-sentence standardised sum of the two that chose the word
            data["damage_at"] = {"token": at[2], "word": at[0], "logit": round(at[1], 3)}
            if at[3] is not None:
                data["damage_at"].update(slor=round(at[3], 3), evidence=round(at[4], 3))
        return [LOW_FLUENCY.finding(sentence.start, sentence.end, msg, data=data)]

    # ---------------------------------------------------------------- order
    def _order_pairs(self, article, sents, skip=()) -> dict | None:
        units = order_units(article, sents, skip)
        body = [i for i in units if not article.sentences[i].is_headline]
        if len(body) < ORDER_MIN_SENTENCES:
            return None
        # deterministic per article: the same text always gets the same verdict
        rng = random.Random(int(hashlib.md5(article.text.encode("utf-8", "replace")).hexdigest()[:12], 16))
        eos = [self.tok.eos] if self.tok.eos is not None else []
        seqs, starts, meta = [], [], []
        def pair(slot, a, b, actual):
            target = (sents[b]["_ids"][:-1] if eos else sents[b]["_ids"])[: min(ORDER_MAX_TARGET_TOKENS, self.max_tokens // 2)]
            room = min(ORDER_MAX_CONTEXT_TOKENS, self.max_tokens - len(target) - 1 - len(eos))
            ctx_ids = sents[a]["_ids"][:-1] if eos else sents[a]["_ids"]
            ctx = [self.tok.bos, *ctx_ids[len(ctx_ids) - room:], *eos]
            seqs.append(ctx + target)
            starts.append(len(ctx))
            meta.append((slot, b, actual, len(target)))

        for k in range(1, len(units)):
            a, b = units[k - 1], units[k]
            others = [u for u in units if u not in (a, b)]
            # The actual pair a -> b against alternatives from both sides: other
            # sentences before b, and a before other sentences.
            pair(b, a, b, True)
            for x in rng.sample(others, min(ORDER_RANDOM_PREDECESSORS, len(others))):
                pair(b, x, b, False)
            for y in rng.sample(others, min(ORDER_RANDOM_SUCCESSORS, len(others))):
                pair(b, a, y, False)
        if units and article.sentences[units[0]].is_headline:
            # Lede test: how much the headline helps each body sentence (the lede
            # should be the one it helps most; actual=None marks these pairs).
            h = units[0]
            head_ids = sents[h]["_ids"][:-1] if eos else sents[h]["_ids"]
            for b in units[1:]:
                target = (sents[b]["_ids"][:-1] if eos else sents[b]["_ids"])[: min(ORDER_MAX_TARGET_TOKENS, self.max_tokens // 2)]
                room = min(ORDER_MAX_CONTEXT_TOKENS, self.max_tokens - len(target) - 1 - len(eos))
                ctx = [self.tok.bos, *head_ids[len(head_ids) - room:], *eos]
                seqs.append(ctx + target)
                starts.append(len(ctx))
                meta.append((b, b, None, len(target)))
        return {"seqs": seqs, "from": starts, "meta": meta, "units": units}

    def _pair_part(self, sents, body: list[int], head_at: int | None) -> tuple[float | None, float | None, dict]:
        """The pair head's z-scores of the actual order against all body orders: its
        pair scores' (pairhead.order_z, the headline kept first) and, when the head has a
        precedence part, its precedence logits' (pairhead.precedence_z, body only);
        None where the head or the part is missing. Third (None without a head): the
        pair scores ("scores", over "rows", sentence indices, the headline first when
        "headline") and each body sentence's fit with its neighbours ("fit",
        pairhead.sentence_fit, by sentence index)."""
        if self.pair_head is None or any("_emb" not in sents[i] for i in body):
            return None, None, None
        import numpy as np

        from auditor.lm import pairhead

        headline = head_at is not None and "_emb" in sents[head_at]
        rows = ([head_at] if headline else []) + body
        emb = np.stack([sents[i]["_emb"] for i in rows])
        scores = pairhead.pair_scores(self.pair_head, emb)
        pair_z = pairhead.order_z(scores, headline)
        prec_z = None
        if self.pair_head.has_precedence:
            prec = pairhead.precedence_scores(self.pair_head, emb[1:] if headline else emb)
            prec_z = pairhead.precedence_z(prec)
        fit = dict(zip(body, pairhead.sentence_fit(scores, headline).tolist()))
        return pair_z, prec_z, {"fit": fit, "rows": rows, "scores": scores, "headline": headline}

    def _order_test(self, article, sents, job, lps) -> dict:
        import numpy as np

        from auditor.lm.cohesion import cohesion
        from auditor.lm.lede import lede_feature_rows, lede_rank_z, rank_scores

        gain: dict[int, dict] = {}
        lede_gain: dict[int, float] = {}
        for (b, target, actual, n), lp in zip(job["meta"], lps):
            uncond = float(np.sum(sents[target]["_lp"][:n]))
            g = float(np.sum(lp)) - uncond  # how much the context helps the target sentence
            if actual is None:
                lede_gain[b] = g
                continue
            slot = gain.setdefault(b, {"actual": None, "random": []})
            if actual:
                slot["actual"] = g
            else:
                slot["random"].append(g)
        diffs = {b: v["actual"] - float(np.mean(v["random"])) for b, v in gain.items() if v["random"]}
        d = np.array(list(diffs.values()))
        n = len(d)
        sd = float(np.std(d, ddof=1)) if n > 1 else 0.0
        t = float(np.mean(d) / (sd / math.sqrt(n))) if sd > 0 else 0.0
        lede_z = 0.0
        if len(lede_gain) >= 3:
            first, *rest = sorted(lede_gain)
            rest_g = np.array([lede_gain[b] for b in rest])
            sd_r = float(np.std(rest_g, ddof=1))
            lede_z = (lede_gain[first] - float(np.mean(rest_g))) / sd_r if sd_r > 0 else 0.0
        body = [i for i in job["units"] if not article.sentences[i].is_headline]
        # the headline as the order test reads it: not when it was left out (boilerplate, no letter)
        head_at = next((i for i in job["units"] if article.sentences[i].is_headline), None)
        head = None if head_at is None else article.sentences[head_at].text
        coh = cohesion(head, [article.sentences[i].text for i in body])
        oc = self.table.get("order", {})
        w = {**DEFAULT_ORDER_WEIGHTS, **oc.get("weights", {})}
        early = coh["introduced_late"]
        lede_rows = lede_feature_rows([article.sentences[i].text for i in body], [lede_gain.get(i) for i in body],
                                      coh["headline_overlap"], coh["cues"], coh["surname_refs"])
        lede_rank = lede_rank_z(lede_rows, oc.get("lede_rank_weights"))
        parts = {"lm": t, "lede": lede_z, "adjacent": coh["adjacent_z"], "intro": coh["intro_z"],
                 "lede_lex": coh["lede_lex_z"], "lede_like": coh["lede_like_z"],
                 "late_intro": -math.log1p(len(early)),  # 0 when everything is introduced first
                 "lede_rank": lede_rank}
        pair_z, prec_z, pair = self._pair_part(sents, body, head_at)
        pair_fit = pair["fit"] if pair else {}
        if pair_z is not None:
            parts["pair"] = pair_z
        if prec_z is not None:
            parts["prec"] = prec_z
        score = combine_order(parts, w)
        edge = dict(zip(body, coh["edge_fit"]))  # word overlap with the neighbours vs the rest, per sentence
        thr = float(oc.get("threshold", DEFAULT_ORDER_THRESHOLD))
        if n and oc.get("length_slope"):  # longer clean articles score higher (train.fit_order_calibration)
            thr = round(thr + float(oc["length_slope"]) * (math.log(n) - float(oc.get("length_center", 0.0))), 4)
        by_late_intro = len(early) >= ORDER_LATE_INTRO_FLAG
        # A dateline ("WASHINGTON (Reuters) - ") opening a later sentence while the first has none
        # flags the order on its own (cohesion.misplaced_dateline: 1 of 3,155 clean articles).
        moved = coh["misplaced_dateline"]
        by_dateline = moved is not None
        flagged = score < thr or by_late_intro or by_dateline
        findings = []
        if flagged:
            # sentence numbers as in the report ([0] is the headline when there is one)
            names = "; ".join(f"{name!r} in sentence [{body[a]}], introduced in sentence [{body[f]}]"
                              for _, name, a, f in early[:4])
            parts_text = (f"language model {t:+.2f}, headline-lede {lede_z:+.2f}, word overlap "
                          f"{coh['adjacent_z']:+.2f}, references before antecedents {coh['intro_z']:+.2f}, "
                          f"headline words in the lede {coh['lede_lex_z']:+.2f}, lede cues {coh['lede_like_z']:+.2f}, "
                          f"lede ranking {lede_rank:+.2f}"
                          + (f", sentence-pair model {pair_z:+.2f}" if pair_z is not None else "")
                          + (f", sentence precedence {prec_z:+.2f}" if prec_z is not None else ""))
            dateline_text = (f"sentence [{body[moved]}] opens with a dateline "
                             f"({article.sentences[body[moved]].text[:40]!r}), which belongs to the story's first "
                             f"sentence" if by_dateline else "")
            if score < thr:
                msg = (f"sentence order looks scrambled: the sentences fit their actual neighbours no better than "
                       f"random other sentences of the article (order score {score:.2f}; clean news "
                       f"of {n} sentences is above {thr:.2f}; {parts_text})"
                       + (f"; people or acronyms used before they are introduced: {names}" if early else "")
                       + (f"; {dateline_text}" if by_dateline else ""))
            elif by_dateline and not by_late_intro:
                msg = (f"sentence order looks scrambled: {dateline_text}, and the first sentence has none: the "
                       f"story's opening has been moved (order score {score:.2f}, above {thr:.2f}; {parts_text})")
            else:
                n_people = sum(kind == "person" for kind, *_ in early)
                what = " and ".join(x for x in (
                    f"{n_people} {'person is' if n_people == 1 else 'people are'} named by surname" if n_people else "",
                    f"{len(early) - n_people} acronym{'s are' if len(early) - n_people > 1 else ' is'} used"
                    if len(early) > n_people else "") if x)
                msg = (f"sentence order looks scrambled: {what} before the article introduces "
                       f"{'them' if len(early) > 1 else 'it'} ({names}); clean news introduces them first. The rest of the "
                       f"article reads as ordered (order score {score:.2f}, above {thr:.2f}; {parts_text}): "
                       f"part of it may have been moved"
                       + (f"; {dateline_text}" if by_dateline else ""))
            findings.append(SCRAMBLED_ORDER.finding(None, None, msg, data={
                "score": round(score, 3), "threshold": thr, "lm": round(t, 3), "lede": round(lede_z, 3),
                "adjacent": coh["adjacent_z"], "intro": coh["intro_z"], "lede_lex": coh["lede_lex_z"],
                "lede_like": coh["lede_like_z"], "lede_rank": round(lede_rank, 3),
                "pair": None if pair_z is None else round(pair_z, 3),
                "prec": None if prec_z is None else round(prec_z, 3), "by_late_intro": by_late_intro,
                "by_dateline": by_dateline,
                "late_intro": [{"kind": kind, "name": name, "sentence": body[a], "introduced_in": body[f]}
                               for kind, name, a, f in early]}))
            reported = set()
            if by_dateline:
                s = article.sentences[body[moved]]
                reported.add(body[moved])
                findings.append(MISFIT_SENTENCE.finding(s.start, s.end, (
                    "opens with a dateline, which belongs to the story's first sentence: this is probably the "
                    "lede and should come first"), data={"kind": "dateline"}))
            if lede_rank < ORDER_LEDE_HINT_Z and len(lede_rows) >= 3 and not by_dateline:
                ranked = rank_scores(lede_rows, oc.get("lede_rank_weights"))
                top = int(np.argmax(ranked))
                if top != 0:
                    s, first = article.sentences[body[top]], article.sentences[body[0]]
                    reported.add(body[top])
                    findings.append(MISFIT_SENTENCE.finding(s.start, s.end, (
                        f"reads most like the story's opening sentence (lede): it ranks first of the "
                        f"{len(body)} body sentences on headline overlap and lede wording, the current opening "
                        f"(sentence [{body[0]}]: {first.text[:80]!r}) ranks below average; check whether "
                        f"it should come first"), data={"kind": "lede", "lede_rank": round(lede_rank, 3)}))
            for kind, name, a, f in early:
                if body[a] in reported:
                    continue
                reported.add(body[a])
                s, intro = article.sentences[body[a]], article.sentences[body[f]]
                what = (f"names {name} by surname before the article introduces them in full" if kind == "person"
                        else f"uses {name} before the article spells it out")
                findings.append(MISFIT_SENTENCE.finding(s.start, s.end, (
                    f"{what} (sentence [{body[f]}]: {intro.text[:80]!r}); check its position"),
                    data={"kind": kind, "name": name, "introduced_in": body[f]}))
            # Per sentence, the worst sixth. With a pair head: what moving the sentence to where it
            # fits best gains (pairhead.best_places; bench/order_localize.py: the one moved sentence
            # ranked worst in 39 % of calibration articles, vs 13 % by the LM and word-overlap cue).
            # Without one: the LM's gain from its predecessor plus word overlap with its neighbours.
            if pair:
                from auditor.lm.pairhead import best_places

                at, move = best_places(pair["scores"], pair["headline"])
                off = 1 if pair["headline"] else 0
                rows = pair["rows"]
                moves = {b: (float(move[k]), int(at[k])) for k, b in enumerate(rows[off:])}
                keys = [b for b in body if moves[b][0] > 0]
                worst = sorted(keys, key=lambda b: -moves[b][0])[: max(1, len(body) // 6)]
                for b in sorted(set(worst) - reported):
                    s = article.sentences[b]
                    gain_b, k = moves[b]
                    rest = [x for x in rows if x != b]
                    after = rest[k - 1] if k else None
                    where = ("at the start of the story" if after is None else
                             "right after the headline, as the story's opening sentence"
                             if article.sentences[after].is_headline else
                             f"after sentence [{after}] ({article.sentences[after].text[:60]!r})")
                    findings.append(MISFIT_SENTENCE.finding(s.start, s.end, (
                        f"looks out of place: the sentence-pair model rates the article's order higher (+{gain_b:.1f}) "
                        f"with this sentence moved {where}; check its position"),
                        data={"kind": "moved", "move_gain": round(gain_b, 3), "best_after": after,
                              "gain": None if diffs.get(b) is None else round(diffs[b], 3),
                              "overlap": round(edge[b], 3)}))
            keys = [b for b in diffs if b in edge]
            if keys and not pair:
                def std(v):
                    v = np.asarray(v, dtype=float)
                    return (v - v.mean()) / (v.std() or 1.0)
                fit = dict(zip(keys, std([diffs[b] for b in keys]) + std([edge[b] for b in keys])))
                worst = sorted(keys, key=fit.get)[: max(1, len(keys) // 6)]
                for b in sorted(set(worst) - reported):
                    s = article.sentences[b]
                    how = "worse than" if diffs[b] < 0 else "hardly better than"
                    findings.append(MISFIT_SENTENCE.finding(s.start, s.end, (
                        f"fits after the previous sentence {how} after random sentences of the article "
                        f"(log-probability {diffs[b]:+.1f} vs random predecessors) and shares "
                        f"{'fewer' if edge[b] < 0 else 'hardly more'} words with its neighbours than with the rest "
                        f"({edge[b]:+.2f}); check its position"),
                        data={"gain": round(diffs[b], 3), "overlap": round(edge[b], 3)}))
        return {"score": round(score, 4), "threshold": thr, "flagged": flagged, "pairs": n,
                "by_rule": by_late_intro or by_dateline,  # flagged whatever the score
                "parts": {k: round(v, 4) for k, v in parts.items()}, "weights": w, "references": coh["references"],
                "mean_gain": round(float(np.mean(d)), 4), "positive_share": round(float(np.mean(d > 0)), 4),
                "_findings": findings, "_lede_rows": lede_rows,
                # per body sentence, what ORD002 ranks by (bench/order_localize.py compares them)
                "_sentence_fit": {b: {"lm": diffs.get(b), "overlap": edge.get(b), "pair": pair_fit.get(b)}
                                  for b in body}, "_pair": pair}


def order_units(article, sents, skip=()) -> list[int]:
    """The sentences the order test reads, in article order: scored ones of more
    than one token that contain a letter (a stray "." or a row of asterisks says
    nothing about order, and one such fragment made a clean article look
    scrambled), minus `skip`."""
    return [i for i, s in enumerate(sents)
            if s is not None and s["tokens"] > 1 and i not in skip
            and any(ch.isalpha() for ch in article.sentences[i].text)]


def combine_order(parts: dict, weights: dict) -> float:
    """Weighted sum of the order statistics (each ~N(0, 1) for a shuffled
    article, clipped to +-ORDER_PART_CLIP so that one extreme part, such as a
    standfirst that pushes the lede down, cannot decide alone), rescaled by the
    norm of the weights."""
    norm = math.sqrt(sum(weights.get(k, 0.0) ** 2 for k in parts))
    total = sum(weights.get(k, 0.0) * max(-ORDER_PART_CLIP, min(ORDER_PART_CLIP, v)) for k, v in parts.items())
    return total / norm if norm else 0.0


def _embedded_order_table() -> dict:
    try:
        meta = json.loads((default_model_path() / "calibration.json").read_text(encoding="utf-8"))
        return dict(meta["order"])
    except (OSError, ValueError, KeyError):
        return {"threshold": DEFAULT_ORDER_THRESHOLD}


def _join_windows(embs: list):
    """One embedding for a sentence scored in several windows: the mean of their
    means, the first window's opening, the last window's end state."""
    import numpy as np

    if len(embs) == 1:
        return embs[0]
    d = len(embs[0]) // 3
    return np.concatenate([np.mean([e[:d] for e in embs], axis=0), embs[0][d : 2 * d], embs[-1][2 * d :]])


def _clean(text: str) -> str:
    """Newlines and tabs inside a sentence are layout, not content."""
    return " ".join(text.split()) if any(c in text for c in "\n\r\t") else text


DTYPES = ("auto", "float32", "bfloat16")


def _resolve_dtype(name: str, device: str, fast: bool):
    """torch dtype for `name`. "auto": bf16 on CUDA; on CPU bf16 only for the embedded
    model's own engine and only where the CPU multiplies bf16 natively (AMX or
    AVX512-BF16: bench/lm_speed.py measured batched scoring ~2x faster than fp32 on
    a Sapphire Rapids core); elsewhere fp32, since emulated bf16 is slower than fp32."""
    import torch

    if name != "auto":
        return getattr(torch, name)
    if str(device).startswith("cuda"):
        return torch.bfloat16
    if fast and _cpu_has_native_bf16():
        return torch.bfloat16
    return torch.float32


def _cpu_has_native_bf16() -> bool:
    import torch

    try:  # private probes, present in torch >= 2.2; absent: assume no
        return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())
    except AttributeError:
        return False


def _load_hf(src: str, local: bool, dtype):
    """(config, model) for a local directory or a hub id: the local cache first,
    the network only when the id is not cached."""
    from transformers import AutoConfig, AutoModelForCausalLM

    last = None
    for cached_only in ((True,) if local else (True, False)):
        try:
            config = AutoConfig.from_pretrained(src, local_files_only=cached_only)
            break
        except Exception as exc:  # no config.json / not cached / no network
            last = exc
    else:
        where = "a model directory (no usable config.json)" if local else "a Hugging Face model id that is cached or reachable"
        raise ModelLoadError(f"cannot load model {src!r}: not {where}: {_one_line(last)}")
    try:
        model = AutoModelForCausalLM.from_pretrained(src, dtype=dtype, local_files_only=cached_only)
    except ValueError:
        raise ModelLoadError(f"{src!r} is not a causal language model (model type {config.model_type!r})") from None
    except Exception as exc:
        raise ModelLoadError(f"cannot load model {src!r}: {_one_line(exc)}") from None
    return config, model


def _hf_tokenizer(src: str, local: bool):
    from transformers import AutoTokenizer

    last = None
    for cached_only in ((True,) if local else (True, False)):
        try:
            return AutoTokenizer.from_pretrained(src, local_files_only=cached_only)
        except Exception as exc:
            last = exc
    raise ModelLoadError(f"cannot load the tokenizer of {src!r}: {_one_line(last)}")


def _one_line(exc: Exception) -> str:
    msg = str(exc).strip().splitlines()
    return (msg[0] if msg else type(exc).__name__)[:300]


def _cache_key(src: str, n: int, dtype=None) -> str:
    p = Path(src)
    stamp = ""
    if p.is_dir():
        stamp = ",".join(f"{f.name}:{f.stat().st_size}:{int(f.stat().st_mtime)}" for f in sorted(p.iterdir()) if f.is_file())
    return hashlib.sha1(f"{p.resolve() if p.is_dir() else src}|{stamp}|{n}|{cal.VERSION}|{dtype}".encode()).hexdigest()[:20]
