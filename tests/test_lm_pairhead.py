"""The sentence-pair head (auditor/lm/pairhead.py): its order statistic, its file,
its place in the order test, and the training data it is built from.

Tiny random models only (seconds, no network); the shipped head is checked when present.
"""

import json
import os
import shutil

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

torch = pytest.importorskip("torch")  # the [lm] extra
pytest.importorskip("transformers")
pytest.importorskip("sentencepiece")
np = pytest.importorskip("numpy")

from auditor.article import build_article  # noqa: E402
from auditor.lm import ModelLoadError, pairhead  # noqa: E402

from tests.test_lm import ARTICLE, _cache, own_model_dir  # noqa: E402,F401  (shared fixtures)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _chain(n: int, strength: float = 3.0) -> np.ndarray:
    """Pair scores that favour each sentence right after its predecessor."""
    s = np.random.default_rng(0).normal(0, 1, (n, n))
    s[np.arange(n - 1), np.arange(1, n)] += strength
    return s


def test_order_z_is_high_for_the_favoured_order_and_low_for_its_reverse():
    rng = np.random.default_rng(1)
    s = _chain(10)
    assert pairhead.order_z(s, headline=True, rng=rng) > 3
    assert pairhead.order_z(s, headline=False, rng=rng) > 3
    reverse = s[::-1, ::-1].copy()  # the same sentences, article read back to front
    assert pairhead.order_z(reverse, headline=False, rng=rng) < 0


def test_order_z_needs_three_body_sentences_and_is_zero_for_flat_scores():
    rng = np.random.default_rng(1)
    assert pairhead.order_z(_chain(3), headline=True, rng=rng) == 0.0
    assert pairhead.order_z(np.ones((8, 8)), headline=True, rng=rng) == 0.0


def test_order_z_keeps_the_headline_first():
    # only the headline -> lede pair is informative: with the headline fixed first, the
    # actual lede scores above random ones
    s = np.zeros((8, 8))
    s[0, 1] = 5.0
    assert pairhead.order_z(s, headline=True, rng=np.random.default_rng(2)) > 2


def test_matrix_equals_pairwise_forward_and_file_round_trips(tmp_path):
    torch.manual_seed(0)
    head = pairhead.PairHead(16, 8, 8).eval()
    head.mean.copy_(torch.randn(16))
    head.scale.copy_(torch.rand(16) + 0.5)
    emb = np.random.default_rng(0).normal(size=(5, 16)).astype(np.float32)
    m = pairhead.pair_scores(head, emb)
    with torch.no_grad():
        direct = head(torch.from_numpy(emb[[1]]), torch.from_numpy(emb[[3]])).item()
    assert m[1, 3] == pytest.approx(direct, abs=1e-5)
    assert m[1, 3] != pytest.approx(m[3, 1], abs=1e-6)  # direction matters
    pairhead.save(head, tmp_path, {"note": "test"})
    loaded = pairhead.load(tmp_path)
    assert np.allclose(pairhead.pair_scores(loaded, emb), m, atol=1e-6)
    assert pairhead.load(tmp_path / "nothing-here") is None


def test_sentence_embedding_pools_all_tokens_the_opening_and_the_end_state():
    from auditor.lm.fastllama import pool_hidden

    h = torch.arange(2 * 7 * 2, dtype=torch.float32).view(2, 7, 2)  # rows of 7 and 4 real tokens
    emb = pool_hidden(h, [7, 4], opening=2)
    assert emb.shape == (2, 6)
    assert torch.allclose(emb[0, :2], h[0, 1:6].mean(0))  # BOS and EOS left out
    assert torch.allclose(emb[0, 2:4], h[0, 1:3].mean(0))
    assert torch.allclose(emb[0, 4:], h[0, 6])
    assert torch.allclose(emb[1, :2], h[1, 1:3].mean(0)) and torch.allclose(emb[1, 2:4], h[1, 1:3].mean(0))
    assert torch.allclose(emb[1, 4:], h[1, 3])  # the padding after a short row is never read


@pytest.fixture(scope="module")
def headed_model_dir(own_model_dir, tmp_path_factory):  # noqa: F811
    d = tmp_path_factory.mktemp("tiny-own-headed")
    for f in own_model_dir.iterdir():
        shutil.copy(f, d / f.name)
    torch.manual_seed(0)
    pairhead.save(pairhead.PairHead(3 * 32, 8, 8), d, {"note": "random"})
    return d


def test_a_model_with_a_pair_head_adds_the_pair_part(headed_model_dir, own_model_dir):  # noqa: F811
    from auditor.lm.scorer import Scorer

    article = build_article(ARTICLE)
    with_head = Scorer._load(str(headed_model_dir), "cpu", None, "float32")
    order = with_head.score_article(article).order
    assert "pair" in order["parts"] and np.isfinite(order["parts"]["pair"])
    assert with_head.info["pair_head"] is True
    without = Scorer._load(str(own_model_dir), "cpu", None, "float32").score_article(article).order
    assert "pair" not in without["parts"]
    # the other parts do not depend on the head
    assert {k: v for k, v in order["parts"].items() if k != "pair"} == without["parts"]


def test_embeddings_from_the_fluency_pass_match_transformers(headed_model_dir, monkeypatch):
    from auditor.lm.scorer import Scorer

    texts = ["The talks will take place in Vienna next month, officials said.", "Short one.",
             "A spokesman for the ministry declined to comment on the details of the plan."]
    fast = Scorer._load(str(headed_model_dir), "cpu", None, "float32").embed_texts(texts)
    monkeypatch.setenv("MTAUDIT_LM_BACKEND", "transformers")
    ref = Scorer._load(str(headed_model_dir), "cpu", None, "float32").embed_texts(texts)
    assert fast.shape == (3, 96)
    assert np.allclose(fast, ref, atol=1e-4)
    # in an article, the fluency pass stores the same embeddings it would compute alone
    monkeypatch.delenv("MTAUDIT_LM_BACKEND")
    scorer = Scorer._load(str(headed_model_dir), "cpu", None, "float32")
    scored = scorer.score_texts(texts)
    assert np.allclose(np.stack([d["_emb"] for d in scored]), fast, atol=1e-5)


def test_a_head_for_another_model_is_a_one_line_error(own_model_dir, tmp_path):  # noqa: F811
    from auditor.lm.scorer import Scorer

    for f in own_model_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    pairhead.save(pairhead.PairHead(100, 8, 8), tmp_path, {})
    with pytest.raises(ModelLoadError, match="built for another model"):
        Scorer._load(str(tmp_path), "cpu", None, "float32")
    (tmp_path / pairhead.FILE).write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="cannot load the sentence-pair head") as exc:
        Scorer._load(str(tmp_path), "cpu", None, "float32")
    assert "\n" not in str(exc.value)


def test_training_pairs_are_one_right_and_three_wrong_per_neighbour_pair():
    from auditor.lm.train import _pair_examples

    a, b, y = _pair_examples([(0, 4), (4, 9)], np.random.default_rng(0))
    assert len(y) == 4 * (3 + 4) and y.sum() == 7
    right = y == 1
    assert (b[right] == a[right] + 1).all()
    # wrong pairs stay inside their article and are never the right pair
    for i, j in zip(a[~right], b[~right]):
        assert (i < 4) == (j < 4) and j != i + 1


def test_headline_articles_of_the_training_corpus():
    from auditor.lm.train import _headline_articles

    lines = ["Stray sentence before any headline.", "Bank raises rates", "The bank raised rates on Monday.",
             "It was the first rise in a year.", "Analysts had expected it.", "Markets rose.",
             "Short story headline", "Only one sentence."]
    got = list(_headline_articles(lines))
    assert got == [("Bank raises rates", lines[2:6])]


def test_shipped_head_is_described_and_fits_the_shipped_model():
    path = os.path.join(ROOT, "models", "news-lm")
    if not os.path.isfile(os.path.join(path, pairhead.FILE)):
        pytest.skip("no shipped pair head")
    from safetensors import safe_open

    with safe_open(os.path.join(path, pairhead.FILE), "pt") as fh:
        meta = fh.metadata()
    info = json.loads(meta["info"])
    assert info["log"][-1]["above_reversed"] > 0.6 and info["articles"] > 10000
    cfg = json.loads(open(os.path.join(path, "config.json")).read())
    assert json.loads(meta["config"])["d_in"] == 3 * cfg["hidden_size"]
