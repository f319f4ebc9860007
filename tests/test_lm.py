"""The LM stage: loading, fluency scoring, calibration, order test.

Uses tiny randomly initialised models built in a temporary folder (seconds,
no network); the shipped model is tested too when present.
"""

import os
import subprocess
import sys

import pytest

# before transformers/huggingface_hub are imported: they read it once
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from auditor.article import build_article
from auditor.lm import ModelLoadError, calibration as cal
from auditor.lm.rules import LOW_FLUENCY, MISFIT_SENTENCE, SCRAMBLED_ORDER

torch = pytest.importorskip("torch")  # the [lm] extra
transformers = pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")
pytest.importorskip("tokenizers")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ARTICLE = (
    "Government announces new visa talks\n\n"
    "The government said on Monday that it had agreed to resume talks on visas. "
    "The talks will take place in Vienna next month, officials said. "
    "A spokesman for the ministry declined to comment on the details. "
    "He said that both sides wanted to avoid further expulsions of diplomats. "
    "Earlier this year, ten diplomats were expelled from the capital. "
    "The embassy has reduced its staff by more than half since then. "
    "Analysts said the talks were a small but important step."
)


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MTAUDIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("HF_HUB_OFFLINE", "1")  # never touch the network
        yield


@pytest.fixture(scope="module")
def hf_model_dir(tmp_path_factory):
    """A tiny random GPT-2 with a byte-level BPE tokenizer trained on the calibration text."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    d = tmp_path_factory.mktemp("tiny-gpt2")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(cal.calibration_sentences(300), trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>")
    fast.save_pretrained(d)
    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=fast.vocab_size, n_positions=64, n_embd=32, n_layer=2, n_head=2,
                     bos_token_id=fast.eos_token_id, eos_token_id=fast.eos_token_id)
    GPT2LMHeadModel(cfg).save_pretrained(d)
    return d


@pytest.fixture(scope="module")
def own_model_dir(tmp_path_factory):
    """A tiny random model in the embedded model's format (Llama + sentencepiece + tables)."""
    import json

    import numpy as np
    import sentencepiece as spm
    from safetensors.numpy import save_file
    from transformers import LlamaConfig, LlamaForCausalLM

    d = tmp_path_factory.mktemp("tiny-own")
    text = d / "text.txt"
    text.write_text("\n".join(cal.calibration_sentences(500)), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(d / "tokenizer"), vocab_size=400,
                                   model_type="unigram", byte_fallback=True, unk_id=0, bos_id=1, eos_id=2,
                                   pad_id=3, minloglevel=2, num_threads=1)
    os.remove(text)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=400, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                      num_key_value_heads=2, intermediate_size=64, max_position_embeddings=256,
                      bos_token_id=1, eos_token_id=2, pad_token_id=3, tie_word_embeddings=True)
    LlamaForCausalLM(cfg).save_pretrained(d)
    save_file({"logprob": np.full(400, -np.log(400), dtype=np.float32)}, str(d / "unigram.safetensors"))
    (d / "calibration.json").write_text(json.dumps({
        "name": "tiny-own", "max_tokens": 64, "flag_percentile": 2.0,
        "quantiles": [float(x) for x in np.linspace(-3, 3, 1001)], "order": {"threshold": -100.0}}))
    return d


@pytest.fixture(scope="module")
def hf_scorer(hf_model_dir):
    from auditor.lm import load_scorer

    return load_scorer(str(hf_model_dir), calibration_sentences=200)


@pytest.fixture(scope="module")
def own_scorer(own_model_dir):
    from auditor.lm import load_scorer

    return load_scorer(str(own_model_dir))


def test_importing_auditor_lm_does_not_import_torch():
    code = "import sys, auditor.lm, auditor.lm.rules; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_rules_are_declared_with_their_categories():
    assert (LOW_FLUENCY.code, LOW_FLUENCY.category) == ("FLU001", "fluency")
    assert (SCRAMBLED_ORDER.code, SCRAMBLED_ORDER.category) == ("ORD001", "order")
    assert (MISFIT_SENTENCE.code, MISFIT_SENTENCE.category) == ("ORD002", "order")
    assert LOW_FLUENCY.doc.splitlines()[0].startswith("Sentence the news language model")


def test_percentile_table_round_trip():
    q = cal.quantiles([float(i) for i in range(1000)])
    assert cal.percentile_of(q, -5) == 0.0 and cal.percentile_of(q, 5000) == 100.0
    assert abs(cal.percentile_of(q, cal.value_at_percentile(q, 2.0)) - 2.0) < 0.01
    values = [cal.percentile_of(q, x) for x in range(0, 1000, 37)]
    assert values == sorted(values)


def test_hf_model_scores_every_sentence(hf_scorer):
    article = build_article(ARTICLE)
    result = hf_scorer.score_article(article)
    assert len(result.sentences) == len(article.sentences)
    for s in result.sentences:
        assert s["metric"] == "slor_q25" and isinstance(s["slor"], float) and 0.0 <= s["percentile"] <= 100.0 and s["tokens"] > 1
        assert isinstance(s["score"], float) and isinstance(s["mean_logprob"], float)
    assert result.model["name"]


def test_calibration_for_a_new_model_is_cached(hf_model_dir, hf_scorer):
    files = os.listdir(os.path.join(os.environ["MTAUDIT_CACHE_DIR"], "calibration"))
    assert any(f.endswith(".json") for f in files)
    assert hf_scorer.table["n"] == 200


def test_scorer_is_loaded_once_per_process(hf_model_dir, hf_scorer):
    from auditor.lm import load_scorer

    assert load_scorer(str(hf_model_dir), calibration_sentences=200) is hf_scorer


def test_batched_scores_equal_one_at_a_time(hf_scorer):
    article = build_article(ARTICLE)
    texts = [s.text for s in article.sentences]
    batched = hf_scorer.score_texts(texts)
    naive = hf_scorer.score_texts(texts, naive=True)
    for b, n in zip(batched, naive):
        assert b["score"] == pytest.approx(n["score"], abs=1e-3)


def test_cross_article_batch_matches_single(own_scorer):
    a, b = build_article(ARTICLE), build_article("Short headline\n\nOne sentence here. Another one follows.")
    together = own_scorer.score_articles([a, b])
    alone = own_scorer.score_article(b)
    assert [s["score"] for s in together[1].sentences] == pytest.approx([s["score"] for s in alone.sentences], abs=1e-3)


def test_blank_and_hostile_sentences_never_crash(own_scorer):
    long_sentence = "word " * 5000
    texts = ["", "   ", long_sentence, "Control\x00chars\x07 and \x1b[31m escapes", "Mixed Москва and ÐœÐ¾ÑÐºÐ²Ð° text ☃"]
    out = own_scorer.score_texts(texts)
    assert out[0] is None and out[1] is None
    assert out[2]["split"] > 1 and "windows" in out[2]["note"]
    assert all(isinstance(d["score"], float) for d in out[2:])


def test_byte_fallback_keeps_cyrillic_visible(own_scorer):
    ids = own_scorer.tok.encode(["Источник: РИА Новости"])[0]
    assert 0 not in ids  # never <unk>


def test_low_fluency_finding_spans_the_sentence_and_names_tokens(own_scorer, monkeypatch):
    monkeypatch.setattr(own_scorer, "threshold", 1e9)  # everything below threshold
    article = build_article(ARTICLE)
    result = own_scorer.score_article(article)
    flu = [f for f in result.findings if f.code == "FLU001"]
    assert flu
    for f in flu:
        s = article.sentence_for_span(f.start, f.end)
        assert s is not None and (s.start, s.end) == (f.start, f.end)
        assert "least likely words" in f.message and f.severity == "warning"
        assert f.data["least_likely"]


def test_fluency_findings_name_whole_words():
    """An editor reads words: a word's pieces are joined and the word takes its worst
    piece's value; the end of the sentence stands alone."""
    from auditor.lm.scorer import Scorer

    units = [(" \u201c", -0.5), (" The", -1.0), ("se", -7.0), (" current", -0.2), (".", -0.3), ("</s>", -2.0)]
    assert Scorer._words(units) == [("\u201c", -0.5, " \u201c"), ("These", -7.0, "se"), ("current", -0.2, " current"),
                                    (".", -0.3, "."), ("</s>", -2.0, "</s>")]
    # closing punctuation is its own word; punctuation inside a word is not
    assert [w for w, _, _ in Scorer._words([(" U", 0), (".", 0), ("S", 0), (".", 0), ("\u201d", 0)])] == ["U.S", ".\u201d"]
    # damage logits: the highest piece marks the word
    assert Scorer._words([(" staff", 0.5), ("ing", 2.0)], worst=max) == [("staffing", 2.0, "ing")]
    # a word that is only a space piece followed by byte-fallback characters
    assert Scorer._words([(" ", -0.6), ("''", -4.8)]) == [("''", -4.8, "''")]


def test_least_likely_words_are_distinct(own_scorer, monkeypatch):
    import numpy as np

    words = [("said", -9.0, " said"), ("on", -1.0, " on"), ("said", -8.0, " said"), ("minister", -2.0, " minister"),
             ("said", -7.0, " said")]
    monkeypatch.setattr(own_scorer, "_words", lambda units, worst=min: words)
    d = {"_ids": [5] * 5, "_lp": np.zeros(5)}
    assert [w for w, _, _ in own_scorer._least_likely(d)] == ["said", "on", "minister"]


def test_no_fluency_finding_above_threshold(own_scorer, monkeypatch):
    monkeypatch.setattr(own_scorer, "threshold", -1e9)
    assert not [f for f in own_scorer.score_article(build_article(ARTICLE)).findings if f.code == "FLU001"]


def test_order_finding_is_document_level_with_misfit_sentences(own_scorer, monkeypatch):
    monkeypatch.setitem(own_scorer.table, "order", {"threshold": 1e9})
    result = own_scorer.score_article(build_article(ARTICLE))
    assert result.order["flagged"]
    doc = [f for f in result.findings if f.code == "ORD001"]
    assert len(doc) == 1 and doc[0].start is None and doc[0].end is None
    assert [f for f in result.findings if f.code == "ORD002" and f.start is not None]


def test_a_moved_lede_is_pointed_out_when_the_order_is_flagged(own_scorer, monkeypatch):
    monkeypatch.setitem(own_scorer.table, "order", {"threshold": 1e9})
    head, body = ARTICLE.split("\n\n")
    sents = body.split(". ")
    moved = head + "\n\n" + ". ".join(sents[3:5] + sents[:3] + sents[5:])  # "He said ..." now opens
    result = own_scorer.score_article(build_article(moved))
    assert result.order["parts"]["lede_rank"] < 0
    hints = [f for f in result.findings if f.code == "ORD002" and f.data.get("kind") == "lede"]
    assert len(hints) == 1 and moved[hints[0].start:hints[0].end].startswith("The government said on Monday")
    # in the original order the lede is first: nothing to point out
    result = own_scorer.score_article(build_article(ARTICLE))
    assert result.order["parts"]["lede_rank"] > 0
    assert not [f for f in result.findings if f.code == "ORD002" and f.data.get("kind") == "lede"]


def test_a_dateline_moved_into_the_body_flags_the_order(own_scorer):
    head, body = ARTICLE.split("\n\n")
    sents = body.split(". ")
    sents[0] = "LONDON (Reuters) - " + sents[0]
    moved = head + "\n\n" + ". ".join(sents[2:4] + sents[:2] + sents[4:])
    result = own_scorer.score_article(build_article(moved))  # threshold -100: the score alone never flags
    assert result.order["flagged"] and result.order["by_rule"]
    doc = [f for f in result.findings if f.code == "ORD001"]
    assert doc[0].data["by_dateline"] and "opens with a dateline" in doc[0].message
    hint = [f for f in result.findings if f.code == "ORD002" and f.data.get("kind") == "dateline"]
    assert len(hint) == 1 and moved[hint[0].start:hint[0].end].startswith("LONDON (Reuters) - The government")
    ordered = head + "\n\n" + ". ".join(sents)
    assert not own_scorer.score_article(build_article(ordered)).order["flagged"]


SURNAMES_FIRST = """Diplomats leave Moscow

Antonov warned that such an outflow of employees could lead to staff shortages. \
Zakharova, in turn, said that Moscow regards Washington's actions as expulsion. \
The embassy in Moscow has lost more than 180 local employees this year. \
According to Russian Ambassador Anatoly Antonov, children of diplomats are not issued visas. \
In October, Foreign Ministry spokeswoman Maria Zakharova said 55 diplomats had to leave. \
The talks on visas will continue in Vienna next month.
"""


def test_two_people_named_before_they_are_introduced_flag_the_order(own_scorer):
    result = own_scorer.score_article(build_article(SURNAMES_FIRST))  # threshold -100: score alone never flags
    assert result.order["flagged"]
    doc = [f for f in result.findings if f.code == "ORD001"]
    assert len(doc) == 1 and doc[0].data["by_late_intro"]
    assert [e["name"] for e in doc[0].data["late_intro"]] == ["Antonov", "Zakharova"]
    spans = [SURNAMES_FIRST[f.start:f.end] for f in result.findings if f.code == "ORD002" and "name" in f.data]
    assert spans[0].startswith("Antonov warned") and spans[1].startswith("Zakharova, in turn")
    # the same sentences with each person introduced first are not flagged
    body = SURNAMES_FIRST.split("\n\n", 1)[1].split(". ")
    fixed = "Diplomats leave Moscow\n\n" + ". ".join([body[3], body[4], body[0], body[1], body[2], body[5]])
    assert not own_scorer.score_article(build_article(fixed)).order["flagged"]


def test_order_not_flagged_below_threshold_and_not_run_on_short_articles(own_scorer):
    result = own_scorer.score_article(build_article(ARTICLE))  # threshold -100 in the tiny table
    assert result.order is not None and not result.order["flagged"]
    assert not [f for f in result.findings if f.category == "order"]
    short = own_scorer.score_article(build_article("Headline\n\nOne sentence. Two sentences. Three."))
    assert short.order is None


def test_the_order_threshold_grows_with_the_number_of_body_sentences(own_scorer, monkeypatch):
    import math

    flat = own_scorer.score_article(build_article(ARTICLE)).order
    n = flat["pairs"]
    monkeypatch.setitem(own_scorer.table, "order", {"threshold": 0.5, "length_slope": 0.4, "length_center": 2.0})
    order = own_scorer.score_article(build_article(ARTICLE)).order
    assert order["threshold"] == round(0.5 + 0.4 * (math.log(n) - 2.0), 4)
    assert order["flagged"] == (order["score"] < order["threshold"]) or order["by_rule"]
    assert order["score"] == flat["score"]  # the score itself does not depend on the slope
    monkeypatch.setitem(own_scorer.table, "order", {"threshold": 0.5})  # tables before the slope: flat
    assert own_scorer.score_article(build_article(ARTICLE)).order["threshold"] == 0.5


LABEL = ("This material was created and/or distributed by a foreign mass media outlet performing the functions "
         "of a foreign agent.")


def test_the_order_test_reads_neither_boilerplate_nor_wordless_sentences(own_scorer):
    from auditor.config import Config
    from auditor.detectors.boilerplate import furniture_sentences

    head, body = ARTICLE.split("\n\n")
    article = build_article(f"{head}\n\n{LABEL}\n\n{body}\n.\n")
    texts = [s.text for s in article.sentences]
    assert texts[1] == LABEL and texts[-1] == "."
    skip = furniture_sentences(article, Config())
    assert skip == {1}
    plain = own_scorer.score_article(build_article(ARTICLE)).order
    assert own_scorer.score_article(article, order_skip=skip).order["pairs"] == plain["pairs"]
    # without the skip the label is read as a sentence of the story; the "." never is
    assert own_scorer.score_article(article).order["pairs"] == plain["pairs"] + 1
    assert furniture_sentences(article, Config(disable=frozenset({"BOI006"}))) == frozenset()


def test_a_boilerplate_headline_is_not_read_as_the_headline(own_scorer):
    from auditor.config import Config
    from auditor.detectors.boilerplate import furniture_sentences

    body = ARTICLE.split("\n\n")[1]
    # a cross-reference standing where the headline would be, sharing the lede's words
    article = build_article(f"Read also: The government agreed to resume visa talks on Monday\n\n{body}")
    assert article.sentences[0].is_headline and furniture_sentences(article, Config()) == {0}
    parts = own_scorer.score_article(article, order_skip={0}).order["parts"]
    assert parts["lede_lex"] == 0.0 and parts["lede"] == 0.0  # no headline to compare the lede with
    read = own_scorer.score_article(article).order["parts"]  # without the skip it is read as one
    assert read["lede_lex"] != 0.0 and read["lede"] != 0.0


def test_audit_tells_the_scorer_which_sentences_are_boilerplate():
    from auditor.config import Config
    from auditor.lm.types import ArticleFluency
    from auditor.pipeline import audit

    class Recording:
        def score_article(self, article, order_skip=()):
            self.skip = order_skip
            return ArticleFluency(sentences=[None] * len(article.sentences))

    scorer = Recording()
    article = build_article(ARTICLE.replace("\n\n", f"\n\n{LABEL} Read also: other news\n\n", 1))
    audit(article, Config(), scorer=scorer)
    assert [article.sentences[i].text for i in sorted(scorer.skip)] == [LABEL, "Read also: other news"]
    audit(build_article(ARTICLE), Config(), scorer=scorer)
    assert scorer.skip == frozenset()


def test_order_result_reports_its_lm_and_cohesion_parts(own_scorer):
    order = own_scorer.score_article(build_article(ARTICLE)).order
    assert set(order["parts"]) == {"lm", "lede", "adjacent", "intro", "lede_lex", "lede_like", "late_intro", "lede_rank"}
    w, parts = order["weights"], order["parts"]  # a model without a pair head has no "pair" part
    combined = sum(w[k] * v for k, v in parts.items()) / sum(w[k] ** 2 for k in parts) ** 0.5
    assert order["score"] == pytest.approx(combined, abs=1e-3)


def test_content_words_drop_function_words_and_share_stems():
    from auditor.lm.cohesion import content_words

    words = content_words("The US minister said that the visas were discussed in Moscow.")
    assert {"US", "moscow", "visa", "discus", "minist"} <= words
    assert not words & {"the", "that", "said", "were", "in"}
    assert content_words("Russian ministry") & content_words("Russia's minister")


def test_surname_before_full_name_is_an_order_cue():
    from auditor.lm.cohesion import name_mentions

    texts = ["Koshelev said talks went well.", "Sergei Koshelev is a diplomat in Washington.",
             "Koshelev added nothing."]
    assert name_mentions(texts) == {"Koshelev": ([1], [0, 2])}
    assert name_mentions(["Jalina Porter spoke.", "Nobody else did."]) == {}


def test_people_named_by_surname_before_their_full_name():
    from auditor.lm.cohesion import surname_first

    shuffled = ["Antonov warned of staff shortages.", "Zakharova, in turn, said Moscow disagreed.",
                "According to Russian Ambassador Anatoly Antonov, visas are not issued.",
                "Foreign Ministry spokeswoman Maria Zakharova spoke on Monday."]
    assert surname_first(shuffled) == [("Antonov", 0, 2), ("Zakharova", 1, 3)]
    # introduced first, then by surname: nothing to report
    assert surname_first([shuffled[2], shuffled[3], shuffled[0], shuffled[1]]) == []
    # places and companies are not people: "Yangtze Electric" then "the Yangtze"
    assert surname_first(["A dam on the upper Yangtze River.", "Yangtze Electric Power said profits doubled."]) == []
    # "and" is no name particle; a given name in second place is no surname
    assert surname_first(["Mrs Parker Bowles will wed.", "Prince Charles and Mrs Camilla Parker Bowles spoke."]) == []
    assert surname_first(["5 Carlos Moya (Spain)", "31 Juan Carlos Ferrero (Spain)"]) == []
    # a real particle is kept: "van Persie" before "Robin van Persie"
    assert surname_first(["Van Persie was sent off.", "Robin van Persie is suspended."]) == [("Persie", 0, 1)]


def test_acronyms_used_before_they_are_spelled_out():
    from auditor.lm.cohesion import acronym_first, introduced_late

    texts = ["The CFCA named it best film.", "Sideways won five awards.",
             "The Chicago Film Critics Association (CFCA) met on Monday.", "Antonov agreed.",
             "Ambassador Anatoly Antonov spoke."]
    assert acronym_first(texts) == [("CFCA", 0, 2)]
    assert acronym_first([texts[2], texts[0]]) == []  # spelled out first
    assert acronym_first(["He joined the US (2020) team (A)."]) == []  # not acronym definitions
    assert introduced_late(texts) == [("acronym", "CFCA", 0, 2), ("person", "Antonov", 3, 4)]


def test_given_names_are_people_not_places_or_titles():
    from auditor.lm.cohesion import given_names

    names = given_names()
    assert {"Maria", "Sergei", "Anatoly", "John"} <= names
    assert not names & {"Moscow", "European", "British", "Mr", "Washington", "The"}
    # company and place words the corpus rule picked up ("Deutsche Bank said") are reviewed out
    assert not names & {"Deutsche", "Hong", "Thomson", "Merrill", "Morgan", "Banco", "Sheikh"}


def test_a_company_is_not_a_person_introduced_late():
    from auditor.lm.cohesion import introduced_late

    body = ["Bank shares fell on Monday after the results.",
            "Analysts had expected a smaller loss.",
            "Deutsche Bank said it would cut 500 jobs.",
            "Stanley shares rose, and Morgan Stanley said trading was strong.",
            "Kong dollar deposits grew, Hong Kong officials said."]
    assert introduced_late(body) == []
    # a person is still caught
    assert introduced_late(["Lavrov said talks failed.", "Sergei Lavrov said so again."]) == [
        ("person", "Lavrov", 0, 1)]


def test_order_threshold_bounds_the_expected_rate():
    from auditor.lm.train import order_threshold

    # 99 articles: a new one falls below the j-th lowest with probability j / 100,
    # so the threshold is the 2nd lowest, and one calibration article is below it
    scores = [float(i) for i in range(99)]
    assert order_threshold(scores, [False] * 99, 0.02) == 1.0
    # 98 articles: j = floor(0.02 * 99) = 1, the lowest; none below it
    assert order_threshold(scores[:98], [False] * 98, 0.02) == 0.0
    # A new clean article from the same distribution is flagged at most 2 % of the
    # time: with normal scores that chance is Phi(threshold), averaged over draws of
    # the calibration set (expected 6 / 301 = 1.99 %; the 2 % quantile gives 2.3 %).
    import math

    import numpy as np

    rng = np.random.default_rng(0)
    chance = [0.5 * (1 + math.erf(order_threshold(list(rng.normal(size=300)), [False] * 300, 0.02) / math.sqrt(2)))
              for _ in range(2000)]
    assert 0.019 < np.mean(chance) <= 0.0205


def test_order_threshold_leaves_room_for_the_names_rule():
    from auditor.lm.train import order_threshold

    scores = [float(i) for i in range(99)]
    # one article is flagged by the names rule anyway: it counts as the lowest, so
    # no other calibration article may fall below the threshold
    anyway = [i == 50 for i in range(99)]
    thr = order_threshold(scores, anyway, 0.02)
    assert thr == 0.0 and sum(s < thr or a for s, a in zip(scores, anyway)) == 1
    # more flagged anyway than the rate allows: nothing else falls below
    assert order_threshold(scores, [i < 5 for i in range(99)], 0.02) == 5.0


def _synthetic_orders(rng, n: int, clean: bool, noise_parts: int = 20) -> list[dict]:
    """Order-test outputs: one informative part, many pure-noise parts, lede rows."""
    out = []
    for _ in range(n):
        parts = {"a": float(rng.normal(2.0 if clean else 0.0, 1.0))}
        parts.update({f"noise{i}": float(rng.normal()) for i in range(noise_parts)})
        rows = rng.normal(size=(6, 5))
        rows[0, 3] += 2.0 if clean else 0.0
        out.append({"parts": parts, "_lede_rows": rows.tolist(), "by_rule": False})
    return out


def test_cross_fitted_order_threshold_holds_the_rate_on_new_articles():
    """Weights fitted to lift the lowest clean articles make those same articles
    look better than new ones: the in-sample threshold flags more than 2 % of new
    clean articles, the cross-fitted one about 2 % (four calibration draws)."""
    import numpy as np

    from auditor.lm.lede import lede_rank_z
    from auditor.lm.scorer import combine_order
    from auditor.lm.train import fit_order_calibration

    in_sample, cross_fitted = [], []
    for seed in range(4):
        rng = np.random.default_rng(seed)
        fit = fit_order_calibration(_synthetic_orders(rng, 300, True), _synthetic_orders(rng, 300, False), 0.02, folds=5)
        assert fit["folds"] == 5 and 0.5 < fit["shuffled_detected"] < 1.0
        new = [combine_order({**o["parts"], "lede_rank": lede_rank_z(o["_lede_rows"], fit["lede_rank_weights"])},
                             fit["weights"]) for o in _synthetic_orders(rng, 4000, True)]
        in_sample.append(np.mean(np.array(new) < fit["threshold_in_sample"]))
        cross_fitted.append(np.mean(np.array(new) < fit["threshold"]))
    assert np.mean(in_sample) > np.mean(cross_fitted) + 0.003
    assert np.mean(cross_fitted) <= 0.025


def test_order_calibration_fits_a_length_slope_that_evens_out_false_alarms():
    """When clean articles score lower the shorter they are (as z-scores over fewer
    sentences do), the fitted threshold rises with length: more shuffled copies are
    caught at the same conformal clean rate, and short clean articles no longer
    take most of the false alarms."""
    import numpy as np

    from auditor.lm.train import fit_order_calibration

    rng = np.random.default_rng(3)
    clean, shuffled = _synthetic_orders(rng, 600, True), _synthetic_orders(rng, 600, False)
    lengths = rng.integers(6, 60, size=600)
    for c, s, m in zip(clean, shuffled, lengths):
        c["pairs"] = s["pairs"] = int(m)
        c["parts"]["a"] += 1.5 * (np.log(m) - 3.0)  # clean: lower when short, higher when long
    fit = fit_order_calibration(clean, shuffled, 0.02, folds=1)
    flat = fit_order_calibration([{k: v for k, v in o.items() if k != "pairs"} for o in clean],
                                 [{k: v for k, v in o.items() if k != "pairs"} for o in shuffled], 0.02, folds=1)
    assert flat["length_slope"] == 0.0 and fit["length_slope"] > 0.0
    assert fit["shuffled_detected"] > flat["shuffled_detected"]
    assert fit["clean_out_of_fold"] <= 0.02 + 1e-9  # the conformal count holds for any slope


def test_order_calibration_scores_pairs_and_keeps_them_in_a_cache(own_scorer, tmp_path, monkeypatch, capsys):
    import gzip
    import json

    from auditor.lm import train

    monkeypatch.setattr(train, "ORDER_BENCH_ARTICLES", 2)
    sents = cal.calibration_sentences(200)
    docs = [{"id": f"d{i}", "title": f"Story number {i} about the talks",
             "text": " ".join(sents[8 * i : 8 * i + 8])} for i in range(20)]
    with gzip.open(tmp_path / "docs.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(d) for d in docs))
    cache = tmp_path / "parts.pkl"
    clean, shuffled = train.order_calibration_orders(own_scorer, tmp_path, 4, str(cache))
    assert len(clean) == len(shuffled) == 4 and cache.is_file()
    assert all({"parts", "_lede_rows", "by_rule"} <= set(o) for o in clean + shuffled)
    capsys.readouterr()
    again = train.order_calibration_orders(own_scorer, tmp_path, 4, str(cache))
    assert "from the cache" in capsys.readouterr().out
    assert [o["parts"] for o in again[0]] == [o["parts"] for o in clean]
    # another article count is another key: scored again, and the cache replaced
    fewer = train.order_calibration_orders(own_scorer, tmp_path, 3, str(cache))
    assert "scoring again" in capsys.readouterr().out and len(fewer[0]) == 3
    assert len(train.order_calibration_orders(own_scorer, tmp_path, 3, str(cache))[0]) == 3


def test_order_calibration_with_one_fold_is_in_sample():
    import numpy as np

    from auditor.lm.train import fit_order_calibration

    rng = np.random.default_rng(0)
    clean, shuffled = _synthetic_orders(rng, 200, True, 2), _synthetic_orders(rng, 200, False, 2)
    fit = fit_order_calibration(clean, shuffled, 0.02, folds=1)
    assert fit["threshold"] == fit["threshold_in_sample"]
    assert fit["clean_out_of_fold"] <= 0.02 and "lede_rank" in fit["clean_parts"][0]
    with pytest.raises(ValueError):
        fit_order_calibration(clean, shuffled[:-1])


def test_order_calibration_never_reads_the_benchmark_articles(tmp_path, monkeypatch):
    import gzip
    import json

    from auditor.lm import train

    monkeypatch.setattr(train, "ORDER_BENCH_ARTICLES", 5)
    body = " ".join(f"Sentence number {k} of story {{i}} has words." for k in range(7))
    short = "Only one sentence here."
    docs = [{"id": f"d{i}", "title": f"Story {i}", "text": short if i % 7 == 0 else body.format(i=i)} for i in range(60)]
    with gzip.open(tmp_path / "docs.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(d) for d in docs))
    cal = [d["id"] for d, _ in train.order_calibration_docs(tmp_path)]
    bench = [d["id"] for d, _ in train.order_bench_docs(tmp_path, 5)]
    halves = {h: [d["id"] for d in train._docs(tmp_path, h) if d["text"] != short] for h in (0, 1)}
    assert len(bench) == 5 and bench == halves[1][:5]  # the first five long articles of the benchmark half
    assert not set(cal) & set(bench)
    assert cal == halves[0] + halves[1][5:]  # everything else, the calibration half first
    with pytest.raises(ValueError):
        list(train.order_bench_docs(tmp_path, 6))


def test_order_weights_focus_on_the_clean_tail():
    """Part a separates clean from shuffled as well as b on average but has a long
    clean tail; at the clean 2nd percentile b is what counts, and the refit that
    focuses on the articles near the decision weighs it more than a plain fit does."""
    import numpy as np

    from auditor.lm.scorer import combine_order
    from auditor.lm.train import _logistic_coefficients, choose_order_weights

    rng = np.random.default_rng(0)
    n = 1500
    clean = [{"a": a, "b": b, "noise": z} for a, b, z in zip(rng.normal(2.5, 1.6, n), rng.normal(1.6, 0.6, n), rng.normal(0, 1, n))]
    shuffled = [{"a": a, "b": b, "noise": z} for a, b, z in zip(rng.normal(0, 1, n), rng.normal(0, 1, n), rng.normal(0, 1, n))]
    weights, detected = choose_order_weights(clean, shuffled)
    assert weights["b"] == 1.0 and all(v >= 0 for v in weights.values()) and weights["noise"] < 0.2
    x = np.clip([[p[k] for k in ("a", "b", "noise")] for p in clean + shuffled], -3, 3)
    plain = np.maximum(_logistic_coefficients(x, np.r_[np.ones(n), np.zeros(n)], np.ones(2 * n)), 0)
    plain = dict(zip(("a", "b", "noise"), plain / plain.max()))
    assert weights["a"] < plain["a"]
    c = np.array([combine_order(p, plain) for p in clean])
    plain_detected = float(np.mean([combine_order(p, plain) < np.quantile(c, 0.02) for p in shuffled]))
    assert detected > plain_detected + 0.02


@pytest.mark.parametrize("text, role", [
    ('She said: "We will not leave.', "open"),
    ("\u201cWe will stay here.", "open"),
    ('We have no rain today," Zhukov writes.', "close"),
    ("reads the statement\u201d, the ministry said.", "close"),
    ('He said "no" twice.', None),
])
def test_quote_role_of_quotes_running_over_sentences(text, role):
    from auditor.lm.cohesion import quote_role

    assert quote_role(text) == role


def test_a_quote_closing_before_it_opens_lowers_the_reference_score():
    from auditor.lm.cohesion import cohesion

    body = ["The mayor spoke on Monday.", 'She said: "We will rebuild the bridge.',
            'It will take two years," she added.', "Work starts in May.", "The bridge fell in April.",
            "Nobody was hurt."]
    ok = cohesion("Mayor promises new bridge", body)["intro_z"]
    bad = cohesion("Mayor promises new bridge", [body[2], body[0], body[1], *body[3:]])["intro_z"]
    assert ok > bad


COHERENT = [
    "The government said on Monday it would resume visa talks with Russia.",
    "The visa talks with Russia will take place in Vienna, the government said.",
    "Sergei Koshelev, a Russian diplomat, welcomed the talks in Vienna.",
    "Koshelev said the embassy in Washington had lost half its staff.",
    "The embassy staff cuts followed the expulsion of ten diplomats in April.",
    "The expelled diplomats had worked at the embassy for years.",
    "Bread prices rose in Paris bakeries this autumn.",
]


def test_cohesion_prefers_the_original_order_to_a_shuffle():
    from auditor.lm.cohesion import cohesion

    head = "Government to resume visa talks with Russia"
    ok = cohesion(head, COHERENT)
    shuffled = cohesion(head, [COHERENT[i] for i in (3, 6, 1, 5, 0, 4, 2)])
    assert ok["adjacent_z"] > 1.0 > shuffled["adjacent_z"]
    assert ok["intro_z"] > 0 > shuffled["intro_z"] and ok["references"] >= 1
    # the off-topic last sentence shares least with its neighbour
    assert min(range(len(COHERENT)), key=ok["edge_fit"].__getitem__) == 6
    assert cohesion(head, COHERENT) == ok  # deterministic


def test_lede_cues_tell_a_lede_from_a_follow_up_sentence():
    from auditor.lm.cohesion import lede_cue_vector, lede_cues, lede_likeness

    bias, cues = lede_cues()
    assert cues and all(rx.pattern for _, _, rx in cues)
    assert len(lede_cue_vector(COHERENT[0])) == len(cues)
    lede = "Russian diplomat Sergei Koshelev said on Monday that the embassy in Washington had lost half its staff."
    assert lede_likeness(lede) > lede_likeness("He added that it was too early to say.")
    assert lede_likeness(lede) > lede_likeness('"We will see," she said.')


def test_lede_parts_prefer_the_lede_first():
    from auditor.lm.cohesion import cohesion

    head = "Government to resume visa talks with Russia"
    ok = cohesion(head, COHERENT)
    moved = cohesion(head, COHERENT[3:] + COHERENT[:3])  # the lede is now fifth
    assert ok["lede_lex_z"] > 0 > moved["lede_lex_z"]
    assert ok["lede_like_z"] > moved["lede_like_z"]
    assert cohesion(None, COHERENT)["lede_lex_z"] == 0.0  # no headline: nothing to compare


def test_order_parts_are_clipped_before_they_are_combined():
    from auditor.lm.scorer import ORDER_PART_CLIP, combine_order

    w = {"lm": 1.0, "adjacent": 1.0}
    assert combine_order({"lm": 50.0, "adjacent": -1.0}, w) == pytest.approx((ORDER_PART_CLIP - 1.0) / 2 ** 0.5)
    assert combine_order({"lm": 1.0, "adjacent": 1.0}, {}) == 0.0


@pytest.mark.parametrize("bad, expect", [
    ("/nonexistent/model/dir", "not found"),
    ("./no-such-model", "not found"),
])
def test_missing_model_path_is_a_one_line_error(bad, expect):
    from auditor.lm import load_scorer

    with pytest.raises(ModelLoadError) as exc:
        load_scorer(bad)
    assert expect in str(exc.value) and "\n" not in str(exc.value)


def test_directory_without_a_model_is_a_one_line_error(tmp_path):
    from auditor.lm import load_scorer

    with pytest.raises(ModelLoadError) as exc:
        load_scorer(str(tmp_path))
    assert "\n" not in str(exc.value)


def test_not_a_causal_lm_is_a_one_line_error(tmp_path):
    from transformers import ResNetConfig

    from auditor.lm import load_scorer

    ResNetConfig(hidden_sizes=[8], depths=[1], embedding_size=8).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError) as exc:
        load_scorer(str(tmp_path))
    assert "not a causal language model" in str(exc.value) and "\n" not in str(exc.value)


def test_uncached_hub_id_offline_fails_cleanly():
    from auditor.lm import load_scorer

    with pytest.raises(ModelLoadError) as exc:
        load_scorer("mtaudit-test/definitely-not-a-model")
    assert "\n" not in str(exc.value)


SHIPPED = os.path.join(ROOT, "models", "news-lm", "calibration.json")


@pytest.mark.skipif(not os.path.exists(SHIPPED), reason="shipped model not present")
def test_shipped_model_prefers_clean_news_and_passes_the_clean_seed():
    from auditor.lm import load_scorer

    scorer = load_scorer()
    clean, scrambled = scorer.score_texts([
        "The minister said on Monday that the talks would continue next week.",
        "Minister the on said Monday talks that the continue would week next.",
    ])
    assert clean["score"] > scrambled["score"]
    seeds = sorted(f for f in os.listdir(os.path.join(ROOT, "seeds")) if f.endswith(".txt"))
    results = {}
    for name in seeds[:2]:
        with open(os.path.join(ROOT, "seeds", name), encoding="utf-8") as fh:
            results[name[:3]] = scorer.score_article(build_article(fh.read()))
    # Seed 000 is partly shuffled and keeps its lede: the statistical parts see an
    # ordered article, but two people are named by surname before they are introduced.
    order = results["000"].order
    assert order["flagged"] and order["score"] >= order["threshold"]
    misfits = [f.data.get("name") for f in results["000"].findings if f.code == "ORD002"]
    assert {"Antonov", "Zakharova"} <= set(misfits)
    # and the sentences that gain most from moving include "Because of this ban, ...", which
    # refers to a ban the article describes later (an evidence span of the seed's gold annotation)
    moved = [f.start for f in results["000"].findings if f.code == "ORD002" and f.data.get("kind") == "moved"]
    assert 950 in moved
    assert not results["001"].order["flagged"]


def test_fast_llama_matches_transformers(own_model_dir):
    from transformers import LlamaForCausalLM

    from auditor.lm.fastllama import FastLlama

    ref = LlamaForCausalLM.from_pretrained(str(own_model_dir), dtype=torch.float32).eval()
    fast = FastLlama(own_model_dir)
    ids = torch.tensor([[1, 50, 60, 70, 80, 2], [1, 90, 91, 2, 3, 3]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    with torch.inference_mode():
        a = ref(input_ids=ids, attention_mask=mask).logits
        b = fast(input_ids=ids, attention_mask=mask).logits
    assert torch.allclose(a[0], b[0], atol=1e-4)
    assert torch.allclose(a[1, :4], b[1, :4], atol=1e-4)  # padded positions are never read


def test_fast_llama_token_logprobs_equal_log_softmax_on_right_padded_rows(own_model_dir):
    from auditor.lm.fastllama import FastLlama

    fast = FastLlama(own_model_dir)
    ids = torch.tensor([[1, 50, 60, 70, 80, 2], [1, 90, 91, 2, 3, 3]])
    with torch.inference_mode():
        got = fast.token_logprobs(ids, [6, 4])
        ref = []
        for row, n in ((ids[0], 6), (ids[1, :4], 4)):
            lp = torch.log_softmax(fast(input_ids=row[None]).logits[0, :-1].float(), -1)
            ref.append(lp.gather(-1, row[1:n, None]).squeeze(-1))
    assert got.shape == (5 + 3,)
    assert torch.allclose(got, torch.cat(ref), atol=1e-4)


def test_fast_llama_scores_only_from_each_rows_start_and_the_scorer_gets_the_same_values(own_model_dir):
    from auditor.lm import load_scorer
    from auditor.lm.fastllama import FastLlama

    fast = FastLlama(own_model_dir)
    ids = torch.tensor([[1, 50, 60, 70, 80, 2], [1, 90, 91, 2, 3, 3]])
    with torch.inference_mode():
        full = fast.token_logprobs(ids, [6, 4])
        part = fast.token_logprobs(ids, [6, 4], starts=[3, 1])
    # row 0 from token 3 (3 values of 5), row 1 whole (3 values): the same numbers as the full pass
    assert part.shape == (3 + 3,)
    assert torch.equal(part, torch.cat([full[2:5], full[5:]]))
    # the order test's pairs: the scorer's log-probs from score_from, whether or not it batches them
    scorer = load_scorer(str(own_model_dir))
    seqs = [[1, 50, 60, 70, 80, 2], [1, 90, 91, 2], [1, 40, 41, 42, 43, 44, 45, 2]]
    got = scorer.token_logprobs(seqs, [4, 1, 7])
    whole = scorer.token_logprobs(seqs, [1, 1, 1])
    for g, w, k in zip(got, whole, [4, 1, 7]):
        assert g.tolist() == w[k - 1 :].tolist()
    assert [len(g) for g in got] == [2, 3, 1]


def test_prefixed_logprobs_equal_the_plain_pass_and_run_each_prefix_once(own_model_dir, monkeypatch):
    import numpy as np

    from auditor.lm import load_scorer

    scorer = load_scorer(str(own_model_dir), dtype="float32")
    rng = np.random.default_rng(3)
    ctx = [[1, *rng.integers(4, 400, n).tolist(), 2] for n in (3, 9, 17)]
    seqs, starts = [], []
    for c in ctx:
        for m in (1, 2, 5, 12):  # one scored token (no suffix queries) up to twelve
            seqs.append(c + rng.integers(4, 400, m).tolist())
            starts.append(len(c))
    seqs.append(ctx[0][:])  # nothing to score: an empty result, as the plain pass gives
    starts.append(len(ctx[0]))
    runs = []
    real = scorer.model.prefix_states
    monkeypatch.setattr(scorer.model, "prefix_states", lambda ids, lengths: (runs.append(len(lengths)), real(ids, lengths))[1])
    scorer.token_budget = 32  # several batches of prefixes and of suffixes
    got = scorer.prefixed_logprobs(seqs, starts)
    want = scorer.token_logprobs(seqs, starts)
    assert [len(g) for g in got] == [len(w) for w in want] == [1, 2, 5, 12] * 3 + [0]
    for g, w in zip(got, want):
        assert np.allclose(g, w, atol=1e-4)
    assert sum(runs) == 3  # three distinct contexts, each run once


def test_prefixed_logprobs_on_a_transformers_model_take_the_plain_pass(hf_scorer):
    import numpy as np

    seqs = [[5, 6, 7, 8, 9], [5, 6, 7, 10], [11, 12, 13, 14]]
    starts = [3, 3, 2]
    assert not hasattr(hf_scorer.model, "prefix_states")
    got, want = hf_scorer.prefixed_logprobs(seqs, starts), hf_scorer.token_logprobs(seqs, starts)
    assert [len(g) for g in got] == [2, 1, 2]
    assert all(np.array_equal(g, w) for g, w in zip(got, want))


def test_prefix_states_and_suffix_pass_with_grouped_query_attention(tmp_path):
    from transformers import LlamaConfig, LlamaForCausalLM

    from auditor.lm.fastllama import FastLlama

    torch.manual_seed(1)
    cfg = LlamaConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, intermediate_size=48, max_position_embeddings=64)
    LlamaForCausalLM(cfg).save_pretrained(tmp_path)
    fast = FastLlama(tmp_path)
    rows = [[1, 5, 6, 7, 8, 9, 10], [1, 11, 12, 13, 14, 3, 3]]
    lengths, cut = [7, 5], [3, 2]  # row 0: prefix of 3, row 1: prefix of 2
    with torch.inference_mode():
        plain = fast.token_logprobs(torch.tensor(rows), lengths, starts=cut)
        pre = [r[:c] for r, c in zip(rows, cut)]
        width = max(cut)
        ids = torch.tensor([p + [3] * (width - len(p)) for p in pre])
        cache, last = fast.prefix_states(ids, cut)
        t = max(n - c - 1 for n, c in zip(lengths, cut))
        suf = torch.tensor([r[c : n - 1] + [3] * (t - (n - c - 1)) for r, c, n in zip(rows, cut, lengths)])
        h = fast.suffix_hidden(suf, cache, cut)
        got = []
        for r, (c, n) in enumerate(zip(cut, lengths)):
            states = torch.cat([last[r : r + 1], h[r, : n - c - 1]])
            got.append(fast.state_logprobs(states, torch.tensor(rows[r][c:n])))
    assert torch.allclose(plain, torch.cat(got), atol=1e-5)


def test_fast_llama_in_bf16_stays_close_to_fp32(own_model_dir):
    from auditor.lm.fastllama import FastLlama

    ids = torch.tensor([[1, 50, 60, 70, 80, 2]])
    with torch.inference_mode():
        a = FastLlama(own_model_dir).token_logprobs(ids, [6])
        b = FastLlama(own_model_dir, dtype=torch.bfloat16).token_logprobs(ids, [6])
    assert b.dtype == torch.float32
    assert torch.allclose(a, b, atol=0.1)


def test_lm_dtype_is_a_setting(own_model_dir, monkeypatch):
    from auditor.lm import ModelLoadError, load_scorer

    assert load_scorer(str(own_model_dir), dtype="float32").info["dtype"] == "float32"
    assert load_scorer(str(own_model_dir), dtype="bfloat16").info["dtype"] == "bfloat16"
    monkeypatch.setenv("MTAUDIT_LM_DTYPE", "float32")
    assert load_scorer(str(own_model_dir)).info["dtype"] == "float32"
    monkeypatch.setenv("MTAUDIT_LM_DTYPE", "float16")
    with pytest.raises(ModelLoadError, match="unknown LM dtype 'float16'"):
        load_scorer(str(own_model_dir))


@pytest.mark.skipif(not os.path.exists(SHIPPED), reason="shipped model not present")
def test_shipped_model_flags_word_salad_and_names_its_tokens():
    from auditor.lm import load_scorer

    text = ("Talks resume on visas\n\nThe ministry said on Monday that the talks would resume in Vienna. "
            "Of the the visas in and progress State on said the was of Department the.")
    article = build_article(text)
    result = load_scorer().score_article(article)
    flagged = [f for f in result.findings if f.code == "FLU001"]
    assert [article.sentence_for_span(f.start, f.end).index for f in flagged] == [2]
    assert "least likely words" in flagged[0].message


def test_cli_bad_model_path_exits_2_with_one_line():
    p = subprocess.run([sys.executable, "-m", "auditor", "--model", "/nonexistent/model", "--format", "json",
                        os.path.join(ROOT, "seeds", "001_326390cf8e72ab50.txt")],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2
    assert len(p.stderr.strip().splitlines()) == 1 and "not found" in p.stderr


def test_calibrate_refuses_a_bad_order_rate_or_model_folder_without_a_traceback(tmp_path):
    # refused before any model or corpus is read
    p = subprocess.run([sys.executable, "-m", "auditor.lm.train", "calibrate", "--model", str(tmp_path),
                        "--corpus", str(tmp_path), "--order-rate", "2"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "--order-rate 2.0: a share of clean articles" in p.stderr
    assert "Traceback" not in p.stderr
    # a folder that is no exported model: one line, no traceback
    p = subprocess.run([sys.executable, "-m", "auditor.lm.train", "calibrate", "--model", str(tmp_path),
                        "--corpus", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "not an exported model directory" in p.stderr and "Traceback" not in p.stderr


def test_reordered_and_shuffled_texts_keep_headline_paragraph_sizes_and_sentences():
    import random

    from auditor.lm.train import reordered_text, shuffled_text

    text = "Talks resume in Vienna\n\nOne came first. Two came next.\nThree was alone.\nFour ended it. Five too."
    art = build_article(text)
    assert reordered_text(art, list(range(5))) == text
    moved = build_article(reordered_text(art, [0, 2, 3, 1, 4]))
    assert [s.text for s in moved.body_sentences] == ["One came first.", "Three was alone.", "Four ended it.",
                                                      "Two came next.", "Five too."]
    assert moved.headline.text == "Talks resume in Vienna"
    assert [len(p.split(". ")) for p in reordered_text(art, [4, 3, 2, 1, 0]).split("\n\n")[1].split("\n")] == [2, 1, 2]
    # the shuffled copy is a real permutation, never the original order, and seeded
    a, b = shuffled_text(art, random.Random(5)), shuffled_text(art, random.Random(5))
    assert a == b and a != text
    assert sorted(s.text for s in build_article(a).body_sentences) == sorted(s.text for s in art.body_sentences)


def test_training_recipe_keeps_a_tokenizer_stops_at_a_step_and_exports_without_calibrating(own_model_dir, tmp_path):
    """prep --tokenizer reuses a shipped tokenizer, train --stop-at stops (and checkpoints)
    at that step of a longer schedule, and export --skip-calibration writes a model
    directory that loads and records where it was trained (seconds: a few tiny steps)."""
    import argparse
    import gzip
    import json

    from auditor.lm import train as recipe
    from auditor.lm.scorer import Scorer

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "\n".join(f"The minister said on day {k} that talks would resume in Vienna." for k in range(60)) + "\n"
    for split in ("train", "valid"):
        with gzip.open(corpus / f"{split}.txt.gz", "wt", encoding="utf-8") as fh:
            fh.write(text)
    work = tmp_path / "work"
    recipe.prep(argparse.Namespace(corpus=str(corpus), work=str(work), vocab=0, sample=1.0, seed=1,
                                   tokenizer=str(own_model_dir / "tokenizer.model")))
    assert (work / "spm.model").read_bytes() == (own_model_dir / "tokenizer.model").read_bytes()
    targs = dict(work=str(work), size="tiny", steps=10, batch=2, seq=16, lr=2e-3, warmup=2, eval_every=100,
                 eval_batches=1, save_every=100, minutes=0, stop_at=3, threads=1, device="cpu", bf16="off", seed=1,
                 prior_seconds=0.0, restart_at=None, restart_lr=1e-3, restart_warmup=100)
    recipe.train(argparse.Namespace(**targs))
    state = torch.load(work / "ckpt.pt", map_location="cpu", weights_only=False)
    assert state["step"] == 3 and state["args"]["steps"] == 10
    assert state["hardware"].startswith("CPU")
    out = tmp_path / "model"
    recipe.export(argparse.Namespace(work=str(work), out=str(out), corpus=str(tmp_path / "absent"), order_docs=0,
                                     skip_calibration=True))
    info = json.loads((out / "training.json").read_text())
    assert info["step"] == 3 and info["hardware"] == state["hardware"]
    scorer = Scorer._load(str(out), "cpu", None, "float32")
    assert scorer.score_texts(["The minister said talks would resume."])[0]["tokens"] > 0


# ---------------------------------------------------------------- fluency head


def test_noise_always_damages_and_is_seeded():
    import random

    from auditor.lm.noise import OPS, damage

    s = "The minister said on Monday that the talks would resume in Vienna next month."
    donors = ["budget", "of", "quickly", "the"]
    for op in OPS:
        for seed in range(20):
            out = damage(s, random.Random(seed), donors, ops=(op,))
            assert out is None or (out != s and out.split())
        assert any(damage(s, random.Random(k), donors, ops=(op,)) for k in range(20)), op
    assert damage(s, random.Random(3), donors) == damage(s, random.Random(3), donors)
    assert damage("Too short here", random.Random(1), donors) is None
    assert damage("Several longer words inside", random.Random(1), donors, ops=("delete_short",)) is None


def _with_head(own_model_dir, tmp_path, metric="fluency_head"):
    import json
    import shutil

    from auditor.lm import fluencyhead

    d = tmp_path / "with-head"
    shutil.copytree(own_model_dir, d)
    torch.manual_seed(3)
    head = fluencyhead.FluencyHead(32, d=16, layers=1, heads=2, ff=32)
    fluencyhead.save(head, d, {"test": True})
    meta = json.loads((d / "calibration.json").read_text())
    meta["metric"] = metric
    (d / "calibration.json").write_text(json.dumps(meta))
    return d, head


def test_fluency_head_round_trips_and_ignores_padding(own_model_dir, tmp_path):
    from auditor.lm import fluencyhead

    d, head = _with_head(own_model_dir, tmp_path)
    loaded = fluencyhead.load(d)
    assert loaded.config() == head.config() and not loaded.training
    assert fluencyhead.info_of(d) == {"test": True}
    assert fluencyhead.load(tmp_path) is None  # no head, no error
    torch.manual_seed(0)
    h, lp, uni = torch.randn(2, 7, 32), -5 * torch.rand(2, 7), -8 * torch.rand(2, 7)
    z = loaded(h, lp, uni, [7, 4])
    assert torch.isinf(z[:, 0]).all() and torch.isinf(z[1, 4:]).all() and torch.isfinite(z[0, 1:]).all()
    alone = loaded(h[1:, :4], lp[1:, :4], uni[1:, :4], [4])
    assert torch.allclose(alone[0, 1:], z[1, 1:4], atol=1e-5)
    # stored in fp16: the loaded head rates like the trained one to fp16 precision
    head.eval()
    assert torch.allclose(head(h, lp, uni, [7, 4])[0, 1:], z[0, 1:], atol=5e-2)


def test_scorer_uses_the_fluency_head_when_calibrated_for_it(own_model_dir, tmp_path, monkeypatch):
    from auditor.lm.scorer import HEAD_METRIC, METRIC, Scorer

    d, _ = _with_head(own_model_dir, tmp_path)
    scorer = Scorer._load(str(d), "cpu", None, "float32")
    assert scorer.metric == HEAD_METRIC and scorer.info["metric"] == HEAD_METRIC
    texts = ["The talks will take place in Vienna next month, officials said.", "", "Vienna."]
    out = scorer.score_texts(texts)
    assert out[1] is None
    for r in (out[0], out[2]):
        assert r["metric"] == HEAD_METRIC and r["score"] == r["head"] and "slor_q25" in r
        assert len(r["_z"]) == len(r["_ids"])
    # the head's rating comes from the batched pass: the same alone or in a batch
    assert abs(scorer.score_texts([texts[0]])[0]["head"] - out[0]["head"]) < 1e-3
    # the speed benchmark's naive loop does the same work: the head runs there too
    naive = scorer.score_texts(texts, naive=True)
    assert naive[1] is None
    for a, b in ((out[0], naive[0]), (out[2], naive[2])):
        assert b["metric"] == HEAD_METRIC and b["head"] == pytest.approx(a["head"], abs=1e-3)
        assert b["_z"] == pytest.approx(a["_z"], abs=1e-3)
    monkeypatch.setattr(scorer, "threshold", 1e9)
    flu = [f for f in scorer.score_article(build_article(ARTICLE)).findings if f.code == "FLU001"]
    assert flu and all("the damage is most likely at" in f.message and f.data["damage_at"]["token"] for f in flu)
    # the word was chosen by the standardised head logit minus SLOR: both are in the data, and the
    # chosen word has the sentence's highest evidence
    for f in flu:
        at = f.data["damage_at"]
        assert {"logit", "slor", "evidence"} <= set(at) and at["evidence"] > 0
    # a head without a table for it: SLOR stays the score, the head's rating is extra
    d2, _ = _with_head(own_model_dir, tmp_path / "b", metric=METRIC)
    plain = Scorer._load(str(d2), "cpu", None, "float32")
    r = plain.score_texts(texts[:1])[0]
    assert plain.metric == METRIC and r["score"] == r["slor_q25"] and "head" in r


def test_a_tuned_body_starts_as_an_exact_copy_of_the_lm(own_model_dir):
    from auditor.lm import fluencyhead
    from auditor.lm.scorer import Scorer

    scorer = Scorer._load(str(own_model_dir), "cpu", None, "float32")
    texts = ["The talks will take place in Vienna next month.", "It rained.", "Officials said so on Monday."]
    seqs = [scorer._sentence_units(ids)[0] for ids in scorer.tok.encode(texts)]
    ids, lengths = fluencyhead.padded_ids(seqs, scorer.tok.pad), [len(s) for s in seqs]
    lm = scorer.model
    with torch.no_grad():
        want = lm.hidden(ids)
        got = fluencyhead.TunedBody.from_lm(lm, causal=True)(ids, lengths)
        both = fluencyhead.TunedBody.from_lm(lm, causal=False)
        full = both(ids, lengths)
        alone = both(ids[1:2, : lengths[1]], lengths[1:2])
    for r, n in enumerate(lengths):
        assert torch.allclose(got[r, :n], want[r, :n], atol=1e-5)
    # reading ahead: the first token's state now depends on the rest of the sentence...
    assert not torch.allclose(full[0, :1], want[0, :1], atol=1e-3)
    # ...but never on the padding
    assert torch.allclose(full[1, : lengths[1]], alone[0], atol=1e-5)


def test_a_head_with_its_own_body_round_trips_and_scores_alike_batched_or_not(own_model_dir, tmp_path):
    import json
    import shutil

    from auditor.lm import fluencyhead
    from auditor.lm.scorer import Scorer

    d = tmp_path / "with-body"
    shutil.copytree(own_model_dir, d)
    plain = Scorer._load(str(d), "cpu", None, "float32")
    meta = json.loads((d / "calibration.json").read_text())
    meta["metric"] = "fluency_head"
    (d / "calibration.json").write_text(json.dumps(meta))
    torch.manual_seed(4)
    head = fluencyhead.FluencyHead(32, d=16, layers=1, heads=2, ff=32)
    head.body = fluencyhead.TunedBody.from_lm(plain.model, causal=False)
    fluencyhead.save(head, d, {"test": "body"})
    loaded = fluencyhead.load(d)
    assert loaded.config()["body"]["causal"] is False and loaded.body is not None
    h, lp, uni = torch.randn(1, 5, 32), -5 * torch.rand(1, 5), -8 * torch.rand(1, 5)
    with pytest.raises(ValueError, match="token ids"):
        loaded(h, lp, uni, [5])
    scorer = Scorer._load(str(d), "cpu", None, "float32")
    texts = ["The talks will take place in Vienna next month, officials said.", "Vienna.", "It rained on Monday."]
    out, naive = scorer.score_texts(texts), scorer.score_texts(texts, naive=True)
    for a, b in zip(out, naive):
        assert a["head"] == pytest.approx(b["head"], abs=1e-3) and a["_z"] == pytest.approx(b["_z"], abs=1e-3)
    assert scorer.score_texts(texts[:1])[0]["head"] == pytest.approx(out[0]["head"], abs=1e-3)
    # in a bf16 scorer the body runs in bf16 (a second LM pass), the rest of the head in fp32
    half = Scorer._load(str(d), "cpu", None, "bfloat16")
    assert half.fluency_head.body.embed.weight.dtype == torch.bfloat16
    assert half.fluency_head.out.weight.dtype == torch.float32
    assert half.score_texts(texts[:1])[0]["head"] == pytest.approx(out[0]["head"], abs=0.1)
    # a body that reads another vocabulary is refused at load, in one line
    alien = fluencyhead.FluencyHead(32, d=16, layers=1, heads=2, ff=32, body={**head.body.cfg, "vocab": 999})
    fluencyhead.save(alien, d, {"test": "alien"})
    with pytest.raises(ModelLoadError, match="its body reads 999 token ids, this model has 400"):
        Scorer._load(str(d), "cpu", None, "float32")


def test_fluency_head_training_can_tune_the_body(own_model_dir, tmp_path):
    import argparse
    import gzip
    import shutil

    from auditor.lm import fluencyhead
    from auditor.lm import train as recipe
    from auditor.lm.scorer import Scorer

    d = tmp_path / "model"
    shutil.copytree(own_model_dir, d)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with gzip.open(corpus / "train.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(cal.calibration_sentences(120)) + "\n")
    args = argparse.Namespace(model=str(d), corpus=str(corpus), sentences=32, batch=8, lr=1e-3, d=16, layers=1,
                              heads=2, ff=32, valid=20, ops=None, minutes=0, device="cpu", threads=1, seed=1,
                              tune_body="bidirectional", body_lr=3e-3)
    before = Scorer._load(str(d), "cpu", None, "float32").model.embed.float().clone()
    recipe.train_fluency_head(args)
    head = fluencyhead.load(d)
    info = fluencyhead.info_of(d)
    assert head.body is not None and head.config()["body"]["causal"] is False
    assert info["tune_body"] == "bidirectional" and info["steps"] == 4 and info["body_lr"] == 3e-3
    # the copy was trained, not just stored (fp16 storage: compare loosely)
    assert (head.body.embed.weight - before).abs().max() > 1e-3
    # a second run goes on from the first: same layout, the first run's record kept
    first = head.body.embed.weight.detach().clone()
    recipe.train_fluency_head(argparse.Namespace(**{**vars(args), "tune_body": "none", "seed": 2, "init_from": str(d)}))
    again, info2 = fluencyhead.load(d), fluencyhead.info_of(d)
    assert again.config() == head.config() and info2["tune_body"] == "bidirectional"
    assert info2["init_from"]["info"]["steps"] == 4 and (again.body.embed.weight - first).abs().max() > 1e-3


def test_head_training_inputs_come_from_one_pass_and_match_the_scorer(own_scorer):
    from auditor.lm import fluencyhead

    texts = ["The talks will take place in Vienna next month.", "Officials said so.", "It rained."]
    seqs = [own_scorer._sentence_units(ids)[0] for ids in own_scorer.tok.encode(texts)]
    h, lp, uni, lengths = fluencyhead.lm_inputs(own_scorer, seqs)
    assert h.shape[:2] == lp.shape == uni.shape and lengths == [len(s) for s in seqs]
    for r, (want, s) in enumerate(zip(own_scorer.token_logprobs(seqs, [1] * len(seqs)), seqs)):
        assert lp[r, 0] == 0 and (lp[r, len(s):] == 0).all()
        assert lp[r, 1 : len(s)].tolist() == pytest.approx(list(want), abs=1e-3)
    # a head with its own body never reads the frozen states: none are returned, the rest is unchanged
    h2, lp2, uni2, lengths2 = fluencyhead.lm_inputs(own_scorer, seqs, states=False)
    assert h2 is None and torch.equal(lp2, lp) and torch.equal(uni2, uni) and lengths2 == lengths


def test_noise_operations_can_be_chosen_and_each_damages():
    import random

    from auditor.lm import noise

    donors = "the bank said on Monday that it was to raise rates of interest by a third in the year".split()
    s = "The bank said on Monday that it would raise the rate of the loan by a third this year ."
    for op in noise.OPS + noise.EXTRA_OPS:
        rng = random.Random(1)
        out = [noise.damage(s, rng, donors, ops=(op,)) for _ in range(20)]
        assert all(o and o != s for o in out), op
    rng = random.Random(2)
    gone = noise.damage(s, rng, donors, ops=("delete_type",))
    assert len(gone.split()) < len(s.split())


def test_unknown_noise_operations_are_refused_before_any_work(tmp_path):
    import argparse

    from auditor.lm import train as recipe

    with pytest.raises(SystemExit) as exc:
        recipe.train_fluency_head(argparse.Namespace(model=str(tmp_path / "absent"), ops="swap,bogus"))
    assert str(exc.value) == "error: unknown noise operation(s): bogus"


def test_a_table_for_a_missing_fluency_head_is_a_one_line_error(own_model_dir, tmp_path):
    from auditor.lm import ModelLoadError
    from auditor.lm.scorer import Scorer

    d, _ = _with_head(own_model_dir, tmp_path)
    (d / "fluency_head.safetensors").unlink()
    with pytest.raises(ModelLoadError) as exc:
        Scorer._load(str(d), "cpu", None, "float32")
    assert "calibrated for a fluency head" in str(exc.value) and "\n" not in str(exc.value)


def test_fluency_head_recipe_writes_a_loadable_head_and_is_seeded(own_model_dir, tmp_path):
    """train fluency-head on a tiny corpus (seconds), twice with one seed: same weights."""
    import argparse
    import gzip
    import shutil

    from auditor.lm import fluencyhead
    from auditor.lm import train as recipe

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with gzip.open(corpus / "train.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(cal.calibration_sentences(300)[100:]) + "\n")
    heads = []
    for k in range(2):
        d = tmp_path / f"m{k}"
        shutil.copytree(own_model_dir, d)
        recipe.train_fluency_head(argparse.Namespace(
            model=str(d), corpus=str(corpus), sentences=48, batch=8, lr=1e-3, d=16, layers=1, heads=2, ff=32,
            valid=40, minutes=0, device="cpu", threads=1, seed=5))
        heads.append(fluencyhead.load(d))
        info = fluencyhead.info_of(d)
        assert info["steps"] == 6 and 0.0 <= info["held_out_auc"] <= 1.0 and info["hardware"].startswith("CPU")
    for (k, a), (_, b) in zip(heads[0].state_dict().items(), heads[1].state_dict().items()):
        assert torch.equal(a, b), k
