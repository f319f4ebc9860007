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
    s = _chain(10)
    assert pairhead.order_z(s, headline=True) > 3
    assert pairhead.order_z(s, headline=False) > 3
    reverse = s[::-1, ::-1].copy()  # the same sentences, article read back to front
    assert pairhead.order_z(reverse, headline=False) < 0


def test_order_z_needs_three_body_sentences_and_is_zero_for_flat_scores():
    assert pairhead.order_z(_chain(3), headline=True) == 0.0
    assert pairhead.order_z(np.ones((8, 8)), headline=True) == 0.0


@pytest.mark.parametrize("headline", [True, False])
def test_order_z_agrees_with_sampled_orders(headline):
    # the exact moments against 20,000 random orders of the body (the old estimate)
    s = _chain(9, strength=1.0)
    rng = np.random.default_rng(3)
    start = 1 if headline else 0
    perms = np.stack([rng.permutation(np.arange(start, 9)) for _ in range(20000)])
    if headline:
        perms = np.c_[np.zeros(len(perms), dtype=int), perms]
    total = s[perms[:, :-1], perms[:, 1:]].sum(1)
    actual = np.arange(9) if headline else np.arange(start, 9)
    sampled = (s[actual[:-1], actual[1:]].sum() - total.mean()) / total.std()
    assert pairhead.order_z(s, headline) == pytest.approx(sampled, abs=0.05)


def test_order_z_keeps_the_headline_first():
    # only the headline -> lede pair is informative: with the headline fixed first, the
    # actual lede scores above random ones
    s = np.zeros((8, 8))
    s[0, 1] = 5.0
    assert pairhead.order_z(s, headline=True) > 2


def _moved(n: int, i: int, j: int) -> list[int]:
    order = [k for k in range(n) if k != i]
    order.insert(j, i)
    return order


@pytest.mark.parametrize("headline", [True, False])
def test_best_places_match_trying_every_place(headline):
    s = np.random.default_rng(5).normal(size=(7, 7))
    start = 1 if headline else 0
    at, gain = pairhead.best_places(s, headline)
    path = lambda order: sum(s[a, b] for a, b in zip(order, order[1:]))  # noqa: E731
    for r in range(start, 7):
        rest = [x for x in range(7) if x != r]
        tried = {k: path(rest[:k] + [r] + rest[k:]) for k in range(start, 7)}
        best = max(tried, key=tried.get)
        assert at[r - start] == best
        assert gain[r - start] == pytest.approx(max(0.0, tried[best] - path(list(range(7)))))


@pytest.mark.parametrize("headline", [True, False])
def test_a_moved_sentence_gains_most_from_moving_back_and_is_put_back(headline):
    # a coherent chain with body sentence 2 moved to the end: moving it back gains most
    # (its fit where it now stands is not enough: the last sentence has one neighbour)
    n = 9
    order = [0] + [x + 1 for x in _moved(n - 1, 2, n - 2)] if headline else _moved(n, 2, n - 1)
    s = _chain(n, strength=4.0)[np.ix_(order, order)]  # scores in the moved article's row order
    start = 1 if headline else 0
    at, gain = pairhead.best_places(s, headline)
    moved_row = order.index(2 + start)
    assert moved_row == n - 1 and int(np.argmax(gain)) == moved_row - start
    rest = [x for x in range(n) if x != moved_row]
    assert order[rest[at[moved_row - start] - 1]] == 1 + start  # back after its old predecessor


def test_a_sentence_in_its_right_place_gains_nothing():
    at, gain = pairhead.best_places(_chain(8, strength=6.0), headline=True)
    assert (gain == 0).all() and list(at) == list(range(1, 8))


def _ranked(n: int, strength: float = 0.5) -> np.ndarray:
    """Antisymmetric precedence logits that favour the given order (i before j for i < j)."""
    noise = np.random.default_rng(0).normal(0, 1, (n, n))
    p = np.triu(np.full((n, n), strength), 1) + np.triu(noise, 1)
    return p - p.T


def test_precedence_z_is_high_for_the_favoured_order_low_for_its_reverse_zero_when_flat():
    forward = pairhead.precedence_z(_ranked(10, strength=1.0))
    backward = pairhead.precedence_z(_ranked(10, strength=1.0)[::-1, ::-1].copy())  # read back to front
    assert forward > 3 and backward == pytest.approx(-forward)
    assert pairhead.precedence_z(_ranked(2)) == 0.0  # too short to test
    assert pairhead.precedence_z(np.zeros((8, 8))) == 0.0
    zs = []
    for k in range(3):
        weak = np.random.default_rng(5 + k).normal(0, 1, (12, 12))
        zs.append(pairhead.precedence_z(weak - weak.T))
    assert max(abs(z) for z in zs) < 3  # no preference: an ordinary z


def test_precedence_part_is_antisymmetric_and_round_trips(tmp_path):
    torch.manual_seed(0)
    head = pairhead.PairHead(16, 8, 8, precedence=True).eval()
    assert head.has_precedence and not pairhead.PairHead(16, 8, 8).has_precedence
    emb = np.random.default_rng(0).normal(size=(5, 16)).astype(np.float32)
    p = pairhead.precedence_scores(head, emb)
    assert np.allclose(p, -p.T, atol=1e-6) and np.abs(p).max() > 0
    pairhead.save(head, tmp_path, {})
    loaded = pairhead.load(tmp_path)
    assert loaded.config()["precedence"] is True
    assert np.allclose(pairhead.precedence_scores(loaded, emb), p, atol=1e-6)
    # the pair part is the same module as without precedence
    assert np.allclose(pairhead.pair_scores(loaded, emb), pairhead.pair_scores(head, emb), atol=1e-6)


def _tower_head(seed: int):
    torch.manual_seed(seed)
    head = pairhead.PairHead(3 * 16, 8, 8, opening_tokens=2, tower={"hidden": 16, "heads": 2, "intermediate": 24},
                             precedence=True).eval()
    with torch.no_grad():
        for p in (head.tower.o.weight, head.tower.down.weight):
            p.normal_(0, 0.2)
    return head


def test_members_load_as_one_ensemble_that_averages_their_logits(tmp_path):
    first, second = _tower_head(0), _tower_head(1)
    pairhead.save(first, tmp_path, {}, member=1)
    pairhead.save(second, tmp_path, {"seed": 2}, member=2)
    assert (tmp_path / "pair_head_2.safetensors").is_file()
    assert json.loads(pairhead.info_of(tmp_path, 2)) == {"seed": 2}
    ens = pairhead.load(tmp_path)
    assert isinstance(ens, pairhead.PairEnsemble) and len(ens.members) == 2
    assert ens.has_precedence and len(ens.towers) == 2 and ens.config()["ensemble"] == 2
    h = torch.randn(5, 6, 16)
    with torch.no_grad():
        emb = ens.pool(None, [6, 4, 5, 6, 3], h)
        one, two = first.pool(None, [6, 4, 5, 6, 3], h), second.pool(None, [6, 4, 5, 6, 3], h)
    assert emb.shape == (5, 96)  # each member's embedding, side by side
    e = emb.numpy()
    m = pairhead.pair_scores(ens, e)
    mean = (pairhead.pair_scores(first, one.numpy()) + pairhead.pair_scores(second, two.numpy())) / 2
    assert np.allclose(m, mean, atol=1e-5)
    assert not np.allclose(m, pairhead.pair_scores(first, one.numpy()), atol=1e-3)  # the second member counts
    p = pairhead.precedence_scores(ens, e)
    pmean = (pairhead.precedence_scores(first, one.numpy()) + pairhead.precedence_scores(second, two.numpy())) / 2
    assert np.allclose(p, pmean, atol=1e-5) and np.allclose(p, -p.T, atol=1e-5)
    # members=False: the first member alone, as before ensembles
    assert isinstance(pairhead.load(tmp_path, members=False), pairhead.PairHead)


def test_member_numbering_stops_at_a_gap_and_needs_the_first_file(tmp_path):
    pairhead.save(_tower_head(0), tmp_path, {}, member=1)
    pairhead.save(_tower_head(1), tmp_path, {}, member=3)  # no member 2: member 3 is not read
    assert isinstance(pairhead.load(tmp_path), pairhead.PairHead)
    (tmp_path / "pair_head.safetensors").unlink()
    assert pairhead.load(tmp_path) is None and pairhead.member_files(tmp_path) == []


def test_an_ensemble_of_unlike_heads_is_refused():
    with pytest.raises(ValueError):
        pairhead.PairEnsemble([pairhead.PairHead(16, 8, 8), pairhead.PairHead(12, 8, 8)])


def test_precedence_loss_prefers_the_actual_order_and_ignores_headline_and_padding():
    from auditor.lm.train import _precedence_loss

    ranked = torch.from_numpy(_ranked(6, strength=2.0)).float()[None]
    loss, right = _precedence_loss(ranked, [6])
    assert right.shape == (10,)  # the 5 body sentences' 10 pairs: the headline's row says nothing
    assert right.mean() > 0.8
    order = [0, 3, 1, 5, 2, 4]
    assert loss < _precedence_loss(ranked[:, order][:, :, order], [6])[0]
    padded = torch.full((1, 9, 9), -7.0)
    padded[:, :6, :6] = ranked
    loss_p, right_p = _precedence_loss(padded, [6])
    assert loss_p.item() == pytest.approx(loss.item(), abs=1e-6) and torch.equal(right_p, right)
    headline_changed = ranked.clone()
    headline_changed[:, 0, :] = -9.0
    assert _precedence_loss(headline_changed, [6])[0].item() == pytest.approx(loss.item(), abs=1e-6)


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
    # batched training scores equal the inference matrix
    with torch.no_grad():
        batched = head.batch_matrix(torch.from_numpy(emb)[None])[0].numpy()
    assert np.allclose(batched, m, atol=1e-5)


def test_a_head_with_a_tower_round_trips_and_pools_through_it(tmp_path):
    torch.manual_seed(0)
    head = pairhead.PairHead(3 * 16, 8, 8, opening_tokens=2, tower={"hidden": 16, "heads": 2, "intermediate": 24}).eval()
    with torch.no_grad():
        for p in (head.tower.o.weight, head.tower.down.weight):
            p.normal_(0, 0.2)
    h = torch.randn(3, 6, 16)
    with torch.no_grad():
        emb = head.pool(None, [6, 4, 5], h)  # a tower reads the states entering the LM's last layer
    assert emb.shape == (3, 48)
    pairhead.save(head, tmp_path, {})
    loaded = pairhead.load(tmp_path)
    assert loaded.config() == head.config() and loaded.config()["tower"]["heads"] == 2
    with torch.no_grad():
        assert torch.allclose(loaded.pool(None, [6, 4, 5], h), emb, atol=1e-6)


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


def test_a_tower_copied_from_the_last_block_starts_as_the_lms_own_states(own_model_dir):  # noqa: F811
    from auditor.lm.fastllama import FastLlama, pool_hidden

    lm = FastLlama(own_model_dir)
    ids = torch.tensor([[1, 40, 41, 42, 43, 2], [1, 50, 51, 2, 3, 3]])
    with torch.no_grad():
        final, before_last = lm.hidden(ids, pre_last=True)
        assert torch.equal(lm.hidden(ids), final)
        head = pairhead.PairHead(3 * 32, 8, 8, opening_tokens=2, tower={"hidden": 32, "heads": 2, "intermediate": 64})
        head.tower.init_from(lm.layers[-1], lm.final_norm)
        assert torch.allclose(head.tower(before_last)[0], final[0], atol=1e-5)
        assert torch.allclose(head.pool(final, [6, 4], before_last), pool_hidden(final, [6, 4], 2), atol=1e-5)


@pytest.fixture(scope="module")
def headed_model_dir(own_model_dir, tmp_path_factory):  # noqa: F811
    d = tmp_path_factory.mktemp("tiny-own-headed")
    for f in own_model_dir.iterdir():
        shutil.copy(f, d / f.name)
    torch.manual_seed(0)
    head = pairhead.PairHead(3 * 32, 8, 8, tower={"hidden": 32, "heads": 2, "intermediate": 48})
    with torch.no_grad():  # a tower that changes the states, as a trained one does
        for p in (head.tower.o.weight, head.tower.down.weight):
            p.normal_(0, 0.2)
    pairhead.save(head, d, {"note": "random"})
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
    assert "prec" not in order["parts"]  # this head has no precedence part


def test_with_a_pair_head_misfit_sentences_are_those_that_gain_most_from_moving(headed_model_dir, monkeypatch):
    from auditor.lm.scorer import Scorer

    scorer = Scorer._load(str(headed_model_dir), "cpu", None, "float32")
    monkeypatch.setitem(scorer.table, "order", {"threshold": 1e9})  # flag it, to see the per-sentence findings
    article = build_article(ARTICLE)
    result = scorer.score_article(article)
    moved = [f for f in result.findings if f.code == "ORD002" and f.data.get("kind") == "moved"]
    assert moved and all(f.data["move_gain"] > 0 and "sentence-pair model" in f.message for f in moved)
    pair = result.order["_pair"]
    at, gain = pairhead.best_places(pair["scores"], pair["headline"])
    body = pair["rows"][1 if pair["headline"] else 0 :]
    top = body[int(np.argmax(gain))]
    top_finding = next(f for f in moved if (f.start, f.end) == (article.sentences[top].start, article.sentences[top].end))
    assert top_finding.data["move_gain"] == pytest.approx(float(gain.max()), abs=1e-3)
    after = top_finding.data["best_after"]
    assert after is None or (0 <= after < len(article.sentences) and after != top)
    # the per-sentence cues the benchmark compares are kept for every body sentence
    assert set(result.order["_sentence_fit"]) == set(body)


def test_a_head_with_a_precedence_part_adds_the_prec_part(headed_model_dir, tmp_path):
    from auditor.lm.scorer import Scorer

    for f in headed_model_dir.iterdir():
        shutil.copy(f, tmp_path / f.name)
    old = pairhead.load(headed_model_dir)
    torch.manual_seed(1)
    head = pairhead.PairHead(**{**old.config(), "precedence": True})
    head.load_state_dict(old.state_dict(), strict=False)
    pairhead.save(head, tmp_path, {})
    article = build_article(ARTICLE)
    order = Scorer._load(str(tmp_path), "cpu", None, "float32").score_article(article).order
    before = Scorer._load(str(headed_model_dir), "cpu", None, "float32").score_article(article).order
    assert np.isfinite(order["parts"]["prec"])
    assert {k: v for k, v in order["parts"].items() if k != "prec"} == before["parts"]


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
    pairhead.save(pairhead.PairHead(3 * 32, 8, 8, tower={"hidden": 16, "heads": 2, "intermediate": 8}), tmp_path, {})
    with pytest.raises(ModelLoadError, match="built for another model"):
        Scorer._load(str(tmp_path), "cpu", None, "float32")
    (tmp_path / pairhead.FILE).write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="cannot load the sentence-pair head") as exc:
        Scorer._load(str(tmp_path), "cpu", None, "float32")
    assert "\n" not in str(exc.value)
    # a damaged or unlike second member: the error names that member's file
    pairhead.save(pairhead.PairHead(3 * 32, 8, 8), tmp_path, {})
    pairhead.member_path(tmp_path, 2).write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="pair_head_2.safetensors: cannot load the sentence-pair head") as exc:
        Scorer._load(str(tmp_path), "cpu", None, "float32")
    assert "\n" not in str(exc.value)
    pairhead.save(pairhead.PairHead(3 * 16, 8, 8), tmp_path, {}, member=2)
    with pytest.raises(ModelLoadError, match="pair_head_2.safetensors: .*same input") as exc:
        Scorer._load(str(tmp_path), "cpu", None, "float32")


def test_listwise_loss_prefers_the_actual_order_and_ignores_padding():
    from auditor.lm.train import _pair_losses

    chain = torch.from_numpy(_chain(6, strength=4.0)).float()[None]
    loss, comp = _pair_losses(chain, [6])
    shuffled = chain[:, [0, 3, 1, 5, 2, 4]][:, :, [0, 3, 1, 5, 2, 4]]  # the same scores, sentences reordered
    assert loss < _pair_losses(shuffled, [6])[0]
    assert comp["above_reversed"].shape == (5,) and comp["above_reversed"].mean() > 0.6
    assert comp["above_other_before"].mean() > 0.6 and comp["above_other_after"].mean() > 0.6
    # an article padded into a larger batch gives the same loss and figures
    padded = torch.full((1, 9, 9), 7.0)
    padded[:, :6, :6] = chain
    loss_p, comp_p = _pair_losses(padded, [6])
    assert loss_p.item() == pytest.approx(loss.item(), abs=1e-5)
    assert torch.equal(comp_p["above_reversed"], comp["above_reversed"])
    assert torch.allclose(comp_p["above_other_after"], comp["above_other_after"])


def test_an_untrained_tower_passes_the_states_through_and_never_reads_padding():
    torch.manual_seed(0)
    tower = pairhead.PairTower(hidden=16, heads=2, intermediate=24).eval()
    h = torch.randn(2, 7, 16)
    with torch.no_grad():
        out = tower(h)
        rms = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6)
        assert torch.allclose(out, rms, atol=1e-5)  # zero output projections: only the final norm acts
        for p in (tower.o.weight, tower.down.weight):
            p.normal_()
        short = tower(h[:1, :4])
        padded = tower(torch.cat([h[:1, :4], torch.full((1, 3, 16), 50.0)], 1))
    assert not torch.allclose(tower(h).detach()[:1, :4], rms[:1, :4], atol=1e-3)  # trained weights do act
    assert torch.allclose(padded[:, :4], short, atol=1e-5)


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
    assert info["log"][-1]["above_reversed"] > 0.6 and info["articles"] >= 5000
    if json.loads(meta["config"]).get("precedence"):  # the seventh session's head: trained with its precedence part
        assert info["log"][-1]["precedence_right"] > 0.55
    cfg = json.loads(open(os.path.join(path, "config.json")).read())
    assert json.loads(meta["config"])["d_in"] == 3 * cfg["hidden_size"]


def test_pair_head_training_runs_end_to_end_on_a_tiny_corpus(own_model_dir, tmp_path):  # noqa: F811
    """The recipe itself (seconds on the tiny model): it writes a head with a tower that
    the scorer loads, logs held-out figures, and is reproducible from its seed."""
    import argparse
    import gzip

    from auditor.lm.scorer import Scorer
    from auditor.lm.train import train_pair_head

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = np.random.default_rng(0)
    words = ["the", "minister", "said", "talks", "would", "resume", "in", "Vienna", "on", "Monday", "officials", "added"]
    lines = []
    for k in range(14):
        lines.append(f"Headline number {k} about talks")
        lines += [" ".join(rng.choice(words, 8)).capitalize() + "." for _ in range(5 + k % 3)]
    with gzip.open(corpus / "train.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    runs = []
    for run in ("a", "b"):
        model = tmp_path / run
        model.mkdir()
        for f in own_model_dir.iterdir():
            shutil.copy(f, model / f.name)
        args = argparse.Namespace(model=str(model), corpus=str(corpus), articles=0, epochs=1, batch_articles=4, lr=1e-3,
                                  tower_lr=5e-4, tower=True, d_proj=8, d_hidden=8, opening_tokens=4, valid_articles=4,
                                  precedence=True, precedence_weight=1.0, precedence_only=False, schedule="onecycle",
                                  threads=1, seed=3)
        train_pair_head(args)
        head = pairhead.load(model)
        assert head.tower is not None and head.tower.o.weight.abs().sum() > 0  # the tower was trained
        assert head.has_precedence
        info = json.loads(pairhead.info_of(model))
        assert 0 <= info["log"][-1]["precedence_right"] <= 1
        runs.append(head.state_dict())
        scorer = Scorer._load(str(model), "cpu", None, "float32")
        assert scorer.info["pair_head"] is True
    assert all(torch.equal(runs[0][k], runs[1][k]) for k in runs[0])
    # a directory that already holds a head (here the one just trained) trains the same new one
    model = tmp_path / "c"
    shutil.copytree(tmp_path / "a", model)
    train_pair_head(argparse.Namespace(**{**vars(args), "model": str(model)}))
    again = pairhead.load(model).state_dict()
    assert all(torch.equal(runs[0][k], again[k]) for k in runs[0])
    # --precedence-only: a new precedence part on the head's fixed embeddings; the rest stays as it was
    before = pairhead.load(tmp_path / "a").state_dict()
    record = json.loads(pairhead.info_of(tmp_path / "a"))
    train_pair_head(argparse.Namespace(**{**vars(args), "model": str(tmp_path / "a"), "precedence_only": True, "seed": 4}))
    after = pairhead.load(tmp_path / "a").state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before if not k.startswith("prec_"))
    assert any(not torch.equal(before[k], after[k]) for k in before if k.startswith("prec_"))
    info = json.loads(pairhead.info_of(tmp_path / "a"))
    assert {k: v for k, v in info.items() if k != "precedence"} == record  # the head's own record is kept
    assert 0 <= info["precedence"]["log"][-1]["precedence_right"] <= 1 and info["precedence"]["seed"] == 4
    # --member 2 with another seed: a second file; the scorer then loads both as one ensemble
    train_pair_head(argparse.Namespace(**{**vars(args), "model": str(model), "member": 2, "seed": 5}))
    assert pairhead.member_path(model, 2).is_file()
    assert pairhead.load(model, members=False).state_dict().keys() == again.keys()
    assert all(torch.equal(again[k], pairhead.load(model, members=False).state_dict()[k]) for k in again)  # member 1 kept
    scorer = Scorer._load(str(model), "cpu", None, "float32")
    assert isinstance(scorer.pair_head, pairhead.PairEnsemble) and scorer.info["pair_head_members"] == 2
    emb = scorer.embed_texts(["The minister said talks would resume.", "Officials added nothing."])
    assert emb.shape[1] == 2 * scorer.pair_head.d_in  # both members' embeddings
