"""The compare rules (category `divergence`), declared so `mtaudit rules`
documents them and a config can disable them or change their severity.

Their findings are made by `auditor.compare.core` after both versions have
been aligned; this module imports nothing heavy.
"""

from __future__ import annotations

from auditor.detectors.registry import declare

UNRELATED = declare(
    code="DIV001", name="versions-unrelated", category="divergence", severity="info",
    doc="""The two versions share too little to be the same text; no sentence-level comparison is reported.

    Fewer than a third of the sentences have a close counterpart (aligned
    chrF >= 50), as with two different stories about the same event, e.g.
    one saying "made progress on visas" and another reporting a briefing
    where "no progress" was made. Rather than invent disagreements between
    unrelated sentences, compare says so once, with the document scores.""",
)

LOW_SCORE = declare(
    code="DIV010", name="diverges-from-reference", category="divergence", severity="warning", fix="unsafe",
    doc="""A sentence scores low against its aligned reference sentence; the reference is suggested.

    With `mtaudit compare article.txt reference.txt --reference`, a sentence
    (or a pair merged into one reference sentence) whose sentence-level chrF
    is below `--min-chrf` (default 50) is flagged with the reference text
    as the suggested replacement, e.g. "The interlocutor of the agency noted
    that progress is" against "A source told the agency progress had been made".""",
)

NOT_IN_REFERENCE = declare(
    code="DIV011", name="not-in-reference", category="divergence", severity="info", fix="unsafe",
    doc="""A sentence has no counterpart in the reference (an addition, or site furniture).

    Suggestion: delete it, which an editor must confirm.""",
)

MISSING_FROM_VERSION = declare(
    code="DIV012", name="missing-from-version", category="divergence", severity="warning",
    doc="""A reference sentence has no counterpart in the article (an omission).

    Reported once per missing sentence at article level, with the reference
    sentence as the suggestion to restore.""",
)

NUMBER = declare(
    code="DIV020", name="number-disagrees", category="divergence", severity="warning",
    doc="""Aligned sentences disagree on a number ("55 diplomats" against "50 diplomats").

    Numbers are compared by value: "1.5 million", "1,500,000" and "1500000"
    agree, and so do "ten" and "10". Reported on both versions.""",
)

DATE = declare(
    code="DIV021", name="date-disagrees", category="divergence", severity="warning",
    doc="""Aligned sentences disagree on a date or weekday ("on Wednesday" against "on Thursday").

    A month alone agrees with a full date in that month ("in March" and
    "on March 16"). Reported on both versions.""",
)

NAME = declare(
    code="DIV022", name="name-disagrees", category="divergence", severity="warning",
    doc="""A person or organisation named in one version has no counterpart in the other.

    Spelling variants (Sergei/Sergey), inflections (Russia/Russian), partial
    names (Ned Price/Price) and listed equivalents (U.S./United States,
    State Department/Department of State) count as the same name; "Yevgeny
    Ivanov" against "Sergei Lavrov" does not. Reported on both versions.""",
)

NEGATION = declare(
    code="DIV023", name="negation-disagrees", category="divergence", severity="warning",
    doc="""One version negates what the other asserts ("have not made progress" against "have made progress").

    Cues: not, n't, no, never, none, nothing, neither, nor, without, cannot,
    refused, denied, failed, unable... (data/lexicon.json). Reported on both
    versions: the cue in one, the whole sentence in the other.""",
)

BY_KIND = {"number": NUMBER, "date": DATE, "name": NAME, "negation": NEGATION}
