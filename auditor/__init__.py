"""mtaudit: a quality auditor for English news machine-translated from Russian.

Public entry points (all thin over one function):

    from auditor import audit_text
    report = audit_text(open("article.txt").read())

Heavy dependencies (torch, transformers) are imported lazily, only when
fluency scoring runs, so rules-only use starts fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "audit", "audit_text"]


def __getattr__(name):  # lazy re-exports keep `import auditor` cheap
    if name in ("audit", "audit_text"):
        from auditor import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
