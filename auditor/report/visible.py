"""Control and invisible characters made visible for display, one character for one.

Renderers show article text through `visible`: a terminal would act on a scraped
escape sequence ("\\x1b[31m", "\\x1b]0;title\\x07"), bidirectional overrides reorder
what a terminal or a browser shows, and soft hyphens or zero-width spaces hide in
both. Every replacement is a single character, so finding offsets still line up.
Reports (JSON and the rest) keep the text as it was; ENC004 and ENC005 say what
to remove.
"""

from __future__ import annotations

# One visible stand-in per character, so that finding offsets still line up:
# C0 controls and DEL as their Unicode control pictures (␛, ␇), C1 controls
# as ␦, bidirectional controls, soft hyphens, zero-width spaces and stray BOMs
# as ▯. Tab, newline and carriage return stay (text with CRLF line ends is
# ordinary; a terminal renderer strips a lone CR); zero-width joiners stay
# (emoji sequences need them).
_VISIBLE = str.maketrans(
    {**{c: 0x2400 + c for c in range(32) if chr(c) not in "\t\n\r"}, 0x7F: "\u2421",
     **{c: "\u2426" for c in range(0x80, 0xA0)},
     **{ord(c): "\u25af" for c in "\u00ad\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"}})


def visible(text: str) -> str:
    """`text` with every control and invisible format character replaced by a visible one (same length)."""
    return text.translate(_VISIBLE)

