"""The fixed vocabularies shared by every output: categories and severities."""

# Order matters: it is the order of summary tables and docs.
CATEGORIES: tuple[str, ...] = (
    "entity",
    "quote",
    "cyrillic",
    "boilerplate",
    "official",
    "fluency",
    "order",
    "contradiction",
    "calque",
    "typography",
    "transliteration",
    "encoding",
    "duplicate",
    "divergence",  # compare mode: a sentence that departs from a trusted reference
)

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

# error: must not be published; warning: an editor should look; info: style.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}

FIX_SAFETY: tuple[str, ...] = ("safe", "unsafe")


def at_least(severity: str, threshold: str) -> bool:
    """True if `severity` is at or above `threshold`."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
