"""Detectors: one module per category, each declaring rules with `@rule`."""

from auditor.detectors.registry import REGISTRY, Hit, Rule, all_rules, declare, get_rule, rule

__all__ = ["REGISTRY", "Hit", "Rule", "all_rules", "declare", "get_rule", "rule"]
