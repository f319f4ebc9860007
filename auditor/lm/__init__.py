"""Fluency and order scoring with a causal language model.

    from auditor.lm import load_scorer
    scorer = load_scorer()              # the embedded news LM shipped in the package
    fluency = scorer.score_article(article)

`load_scorer(name_or_path)` also takes any Hugging Face causal LM id or local
directory. torch and transformers are imported only inside `load_scorer`, so
importing this package stays cheap; a model is loaded once per process.
"""

from __future__ import annotations

from auditor.lm import rules  # noqa: F401  (declares FLU001/ORD001/ORD002)
from auditor.lm.types import ArticleFluency, ModelLoadError

__all__ = ["ArticleFluency", "ModelLoadError", "Scorer", "default_model_path", "load_scorer"]


def load_scorer(name_or_path: str | None = None, *, threads: int = 1, device: str | None = None, **kwargs):
    """The Scorer for `name_or_path` (None: the embedded model), cached per process.

    Raises ModelLoadError (one-line message) when the model can't be loaded.
    """
    from auditor.lm.scorer import load_scorer as _load

    return _load(name_or_path, threads=threads, device=device, **kwargs)


def default_model_path():
    from auditor.lm.scorer import default_model_path as _default

    return _default()


def __getattr__(name):
    if name == "Scorer":
        from auditor.lm.scorer import Scorer

        return Scorer
    raise AttributeError(name)
