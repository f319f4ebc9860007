"""The rule registry: every detector rule has a stable code, a name, a
category, a default severity and a fix-safety level, declared once with
`@rule(...)`; its docstring is its documentation (`mtaudit rules`).

A rule is a plain function `check(article, config) -> Iterable[Hit]`.
The registry turns hits into `Finding`s, so a rule never repeats its own
metadata and can't emit a finding under another rule's code.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple

from auditor.categories import CATEGORIES, FIX_SAFETY, SEVERITIES
from auditor.findings import Finding

# Detector modules, run in this order. One module per category.
DETECTOR_MODULES: tuple[str, ...] = (
    "auditor.detectors.encoding",
    "auditor.detectors.entity",
    "auditor.detectors.quote",
    "auditor.detectors.cyrillic",
    "auditor.detectors.boilerplate",
    "auditor.detectors.calque",
    "auditor.detectors.impersonal",
    "auditor.detectors.quoted_name",
    "auditor.detectors.typography",
    "auditor.detectors.transliteration",
    "auditor.detectors.duplicate",
    "auditor.detectors.official",
    "auditor.detectors.contradiction",
)

_DEFAULT = object()


class Hit(NamedTuple):
    """What a rule reports; the registry adds the rule's metadata."""

    start: int | None
    end: int | None
    message: str
    suggestion: str | None = None
    severity: str | None = None  # None: the rule's default
    fix: object = _DEFAULT  # default: the rule's fix safety when there is a suggestion
    data: dict | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    fix: str | None
    summary: str
    doc: str
    check: Callable
    # Declared unsafe or fix-less, yet some hits carry a safe fix of their own (the quote
    # scan: an unambiguous ``...'' pair). The fixpoint passes must run such rules.
    safe_hits: bool = False

    def finding(self, start, end, message, suggestion=None, severity=None, fix=_DEFAULT, data=None) -> Finding:
        """A Finding under this rule (for stages outside the registry's run loop)."""
        return self._to_finding(Hit(start, end, message, suggestion, severity, fix, data))

    def _to_finding(self, hit: Hit) -> Finding:
        fix = (self.fix if hit.suggestion is not None else None) if hit.fix is _DEFAULT else hit.fix
        if fix == "safe" and self.fix != "safe" and not self.safe_hits:
            raise ValueError(f"{self.code}: a safe fix from a rule declared {self.fix!r} without safe_hits=True")
        return Finding(
            code=self.code,
            category=self.category,
            severity=hit.severity or self.severity,
            start=hit.start,
            end=hit.end,
            message=hit.message,
            suggestion=hit.suggestion,
            fix=fix,
            name=self.name,
            data=hit.data,
        )

    def run(self, article, config) -> list[Finding]:
        return [self._to_finding(hit) for hit in self.check(article, config)]


REGISTRY: dict[str, Rule] = {}


def rule(*, code: str, name: str, category: str, severity: str, fix: str | None = None, safe_hits: bool = False):
    """Declare a detector rule. See the module docstring. `safe_hits`: the rule's
    declared level is not "safe" but some of its hits carry a safe fix."""
    if category not in CATEGORIES:
        raise ValueError(f"{code}: unknown category {category!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")
    if fix is not None and fix not in FIX_SAFETY:
        raise ValueError(f"{code}: unknown fix safety {fix!r}")

    def wrap(fn: Callable[..., Iterable[Hit]]):
        if code in REGISTRY and REGISTRY[code].check is not fn:
            raise ValueError(f"duplicate rule code {code}")
        doc = inspect.cleandoc(fn.__doc__ or "")
        summary = doc.splitlines()[0] if doc else name
        REGISTRY[code] = Rule(code, name, category, severity, fix, summary, doc, fn, safe_hits)
        return fn

    return wrap


def declare(*, code: str, name: str, category: str, severity: str, fix: str | None = None, doc: str = ""):
    """Declare a rule whose findings another stage produces (e.g. the LM's
    fluency and order findings), so it is documented and configurable like
    every other rule. Returns the Rule; build findings with `rule.finding(...)`."""

    def no_check(article, config):
        return ()

    no_check.__doc__ = doc
    rule(code=code, name=name, category=category, severity=severity, fix=fix)(no_check)
    return REGISTRY[code]


_loaded = False


def all_rules() -> list[Rule]:
    """Every registered rule, in module order then code order."""
    global _loaded
    if not _loaded:
        for mod in DETECTOR_MODULES:
            importlib.import_module(mod)
        _loaded = True
    return sorted(REGISTRY.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule:
    all_rules()
    try:
        return REGISTRY[code.upper()]
    except KeyError:
        raise KeyError(f"no rule {code!r}") from None
