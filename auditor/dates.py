"""Article dates: parse `--date`, or infer the date the text states."""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_ABBREVIATIONS = (("jan",), ("feb",), ("mar",), ("apr",), (), ("jun",), ("jul",), ("aug",),
                  ("sep", "sept"), ("oct",), ("nov",), ("dec",))
# lower-case name or abbreviation -> month number
MONTHS = {
    m: i + 1
    for i, (name, short) in enumerate(zip(MONTH_NAMES, _ABBREVIATIONS))
    for m in (name.lower(), *short)
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = ""  # a weekday before the date changes nothing; matching it cost a scan per position
# Led by the "19"/"20" alternation, not by a look-behind: the engine then jumps
# to candidate digits (11 us an article instead of 37); the digit before is checked in code.
_YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")
_PATTERNS = [
    # Wednesday, March 16, 2022 / March 16, 2022 / Mar. 16 2022
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    # 16 March 2022 / Wednesday 16 March, 2022
    re.compile(_WEEKDAY + r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    # 2022-03-16
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
]


def parse_date(value: str) -> dt.date:
    """Parse a YYYY-MM-DD date; ValueError with a readable message otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"invalid date {value!r}: expected YYYY-MM-DD") from None


def infer_date(text: str, limit: int = 20000) -> dt.date | None:
    """The first full calendar date the text states ("on Wednesday, March 16, 2022")."""
    head = text[:limit]
    for year in _YEAR.finditer(head):
        if year.start() and head[year.start() - 1].isdigit():
            continue  # "12020"
        # Every pattern contains the year: look only in a window around each one.
        lo, hi = max(0, year.start() - 24), min(len(head), year.end() + 6)
        window = head[lo:hi]
        best: tuple[int, dt.date] | None = None
        for pat in _PATTERNS:
            for m in pat.finditer(window):
                if not (m.start("year") + lo == year.start()):
                    continue
                month = m.group("month")
                month_num = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
                try:
                    d = dt.date(int(m.group("year")), month_num, int(m.group("day")))
                except ValueError:
                    continue
                if best is None or m.start() < best[0]:
                    best = (m.start(), d)
        if best:
            return best[1]
    return None
