"""The detectors' data files (rules as data): UTF-8, tab-separated, a line
starting with "#" is a comment and blank lines are skipped."""

from __future__ import annotations

from importlib import resources


def rows(name: str) -> list[list[str]]:
    """The data lines of file `name`, each split on tabs."""
    text = resources.files(__name__).joinpath(name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
