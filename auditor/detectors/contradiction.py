"""Contradictions inside one article: the headline says progress was made,
the lead says "have not been able to make progress".

Two sentences contradict when they talk about the same claim (they share
enough content words) and one negates the claim's predicate while the other
asserts it, or they use opposite verbs of one frame (agreed/refused,
confirmed/denied, accepted/rejected, supported/opposed). Machine translation
drops or invents negations, so a flip between the headline and the body, or
between two body sentences, is worth an editor's look.

Precision first: the negation must govern the shared word directly (only
auxiliaries, "able to", "make", "any"... in between), questions and
conditionals are skipped, and two sentences quoting different named speakers
are allowed to disagree. Pairing by content-word overlap and by chrF was
measured side by side (bench/eval_contradiction.py); overlap is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.detectors.registry import Hit, rule
from auditor.needles import Needles, lowered

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|n['’]t\b")
_NEG = {"not", "n't", "n’t", "never", "cannot", "unable", "fail", "failed", "fails", "failing"}
# "no"/"without" negate a noun phrase, not a claim — except before these claim nouns.
_NO = {"no", "without"}
_CLAIM_NOUNS = {"progress", "agreement", "deal", "breakthrough", "consensus", "decision", "evidence", "plan", "change", "compromise", "solution", "result"}
_MODAL = {"will", "would", "could", "can", "should", "may", "might", "must", "shall", "'ll", "going", "wo", "ca", "sha"}
_PERSONAL = {"you", "i"}
_NEG_CONTRACTED = re.compile(r"^(\w+)n['’]t$", re.I)
# Words allowed between a negation and the predicate it negates.
_LIGHT = set(
    """be been being is are was were am able to make made making reach reached reaching achieve achieved
    achieving any yet have has had do does did a an the much significant real still so far get got
    further see seen manage managed managing really actually even ever it there quite fully always
    currently officially formally""".split()
)
_STOP = set(
    """a an the and or but of in on at to for with by from as is are was were be been being have has had do
    does did will would shall should can could may might must that this these those it its they them their
    he she his her we our you your i me my not no never also than then there here which who whom whose what
    when where why how all any some more most other such only own same so too very just about into over
    after before between under again further once said says say told according yesterday today tomorrow
    monday tuesday wednesday thursday friday saturday sunday mr mrs ms one two three year years week weeks
    month months day days time new since while during up down out off if unless whether because however
    per cent percent""".split()
)
_IRREGULAR = {
    "made": "make", "said": "say", "won": "win", "lost": "lose", "met": "meet", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "held": "hold", "got": "get", "went": "go", "gone": "go", "came": "come",
    "saw": "see", "seen": "see", "found": "find", "told": "tell", "left": "leave", "began": "begin", "begun": "begin",
    "brought": "bring", "bought": "buy", "sold": "sell", "paid": "pay", "kept": "keep", "led": "lead", "ran": "run",
    "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak", "chose": "choose", "chosen": "choose",
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "knew": "know", "known": "know",
    "thought": "think", "felt": "feel", "built": "build", "sent": "send", "spent": "spend", "struck": "strike",
}
# Opposite verbs of one frame: stem -> (frame, polarity).
_FRAMES = {
    "agre": ("agree", 1), "refus": ("agree", -1),
    "confirm": ("confirm", 1), "deni": ("confirm", -1), "deny": ("confirm", -1),
    "accept": ("accept", 1), "reject": ("accept", -1), "approv": ("accept", 1),
    "support": ("support", 1), "oppos": ("support", -1),
    "succeed": ("succeed", 1), "succeeded": ("succeed", 1),
}
_SPEAKER = re.compile(
    r"\b([A-Z][\w'’-]+)\s+(?:said|says|told|stressed|added|noted|insisted|insists|claimed|claims|argued|argues|warned|warns|wrote|stated|believes|believed|maintains|thinks)\b"
    r"|\b(?:said|says|according to)\s+(?:[a-z]+\s+){0,3}?([A-Z][\w'’-]+)"
)
_HYPOTHETICAL = {"if", "unless", "whether"}

MIN_SHARED_HEADLINE = 3  # content words shared besides the negated one
MIN_SHARED_BODY = 3
MIN_OVERLAP_HEADLINE = 0.5  # shared / content words of the shorter sentence
MIN_OVERLAP_BODY = 0.6


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude English stem, enough to meet "passed"/"pass", "agrees"/"agreed"."""
    got = _STEMS.get(word)
    if got is None:
        if len(_STEMS) > 20000:  # bounded: batch runs see open-ended vocabularies
            _STEMS.clear()
        got = _STEMS[word] = _stem(word)
    return got


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and w[:-2].endswith(("s", "x", "z", "ch", "sh")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouslz":
        w = w[:-1]
    return w


@dataclass
class _Sent:
    index: int
    start: int
    end: int
    headline: bool
    content: set = field(default_factory=set)
    negated: dict = field(default_factory=dict)  # stem -> (span start, span end)
    plain: dict = field(default_factory=dict)  # stem -> span of an un-negated occurrence
    frames: dict = field(default_factory=dict)  # frame -> (polarity, span)
    body: str = ""
    _speakers: set | None = None
    modal: dict = field(default_factory=dict)  # stem -> a modal verb governs this occurrence
    quoted: bool = False
    has_neg: bool = False
    personal: bool = False

    @property
    def speakers(self) -> set:
        """Named speakers ("Lavrov said"): only asked for of candidate pairs, so found on demand."""
        if self._speakers is None:
            self._speakers = {(m.group(1) or m.group(2)).lower() for m in _SPEAKER.finditer(self.body)}
        return self._speakers


# Each word's memberships in the sets above as bit flags: one dict lookup per
# token instead of up to six set tests (_analyse runs on every candidate sentence).
_IS_PERSONAL, _IS_HYPOTHETICAL, _IS_NEG, _IS_NO, _IS_LIGHT, _IS_STOP = 1, 2, 4, 8, 16, 32
_CLASS: dict[str, int] = {}
for _flag, _words in ((_IS_PERSONAL, _PERSONAL), (_IS_HYPOTHETICAL, _HYPOTHETICAL), (_IS_NEG, _NEG), (_IS_NO, _NO),
                      (_IS_LIGHT, _LIGHT), (_IS_STOP, _STOP)):
    for _w in _words:
        _CLASS[_w] = _CLASS.get(_w, 0) | _flag
_IS_NEG_OR_NO = _IS_NEG | _IS_NO


def _analyse(sentence, text: str) -> _Sent | None:
    body = text[sentence.start : sentence.end]
    st = _Sent(sentence.index, sentence.start, sentence.end, sentence.is_headline, body=body)
    if body.rstrip().rstrip("”\"'»").endswith("?"):
        return None
    toks = []
    for m in _TOKEN.finditer(body):
        w = m.group(0)
        # only a word ending in n't/n’t can be a contraction: skip the regex otherwise
        c = _NEG_CONTRACTED.match(w) if len(w) > 3 and w[-2] in "'’" else None
        if c and w.lower() not in ("n't", "n’t"):
            toks.append((c.group(1).lower(), m.start(), m.start() + len(c.group(1))))
            toks.append(("n't", m.start() + len(c.group(1)), m.end()))
        else:
            a, b = m.span()
            toks.append((w, a, b))
    base = sentence.start
    st.quoted = any(q in body for q in '"“”«»')
    lows = [t[0].lower() for t in toks]
    n = len(toks)
    neg_at = None  # index of the negation cue still in scope
    hypothetical = False
    cls = _CLASS.get
    for i, lw in enumerate(lows):
        k = cls(lw, 0)
        if k & _IS_PERSONAL:
            st.personal = True
        elif k & _IS_HYPOTHETICAL:
            hypothetical = True
        if k & _IS_NEG_OR_NO:
            st.has_neg = True
            nxt = lows[i + 1] if i + 1 < n else ""
            if k & _IS_NO:
                if stem(nxt) not in _CLAIM_NOUNS:
                    neg_at = -1  # "no imminent cut": the next word is neither asserted nor negated
                else:
                    neg_at = i
            elif not (lw == "not" and (nxt in ("only", "just", "least", "yet", "always", "even")
                                       or body[: toks[i][1]].rstrip().endswith((",", ";", "—", "–")))):
                neg_at = i
            continue
        if k & _IS_LIGHT or (neg_at is not None and len(lw) > 4 and lw.endswith("ly")):
            continue
        w = toks[i][0]
        if k & _IS_STOP or len(lw) < 3:
            neg_at = None  # the negation's scope ends at any other word
            continue
        s = stem(lw)
        st.content.add(s)
        if i > 0 and w[0].isupper():
            neg_at = None  # names count for overlap but are never the negated claim
            continue
        if neg_at == -1:
            neg_at = None
            continue
        negated = neg_at is not None and not hypothetical
        if not negated and s in st.plain and s not in _FRAMES:
            neg_at = None
            continue
        a, b = toks[i][1], toks[i][2]
        prev = lows[i - 1] if i > 0 else ""
        lead_in = prev == toks[i - 1][0] and (prev in _LIGHT or prev.endswith("ed")) if i > 0 else False
        span = (base + (toks[neg_at][1] if negated else (toks[i - 1][1] if lead_in else a)), base + b)
        if s not in st.modal:
            first = neg_at if negated else i
            st.modal[s] = not _MODAL.isdisjoint(lows[max(0, first - 3) : i])
        if negated:
            if neg_at > 0 and lows[neg_at - 1] in _LIGHT:
                span = (base + toks[neg_at - 1][1], span[1])
            st.negated.setdefault(s, span)
        else:
            st.plain.setdefault(s, span)
        frame = _FRAMES.get(s)
        if frame:
            pol = -frame[1] if negated else frame[1]
            st.frames.setdefault(frame[0], (pol, span))
        neg_at = None
    return st


def _similar(a: _Sent, b: _Sent, anchor: str) -> float | None:
    shared = (a.content & b.content) - {anchor}
    small = min(len(a.content), len(b.content)) or 1
    headline = a.headline or b.headline
    if len(shared) < (MIN_SHARED_HEADLINE if headline else MIN_SHARED_BODY):
        return None
    overlap = len(shared) / small
    if overlap < (MIN_OVERLAP_HEADLINE if headline else MIN_OVERLAP_BODY):
        return None
    return overlap


# Substrings (of the lower-cased text) that can start a negation or a negative
# frame: only sentences holding one are analysed, and only sentences holding
# the negated word are compared with them — most articles cost a few finds.
# ("cannot" is found by "not "; "n’t" is folded to "n't" by the needle list order.)
_TRIGGERS = ("not ", "n't", "n’t", "never", "unable", "fail", "no ", "without ",
             "refus", "deni", "deny", "reject", "oppos")
_CUES = Needles(_TRIGGERS)  # every cue's positions in one pass over the text
_FRAME_SURFACE = {"agree": ("agre",), "confirm": ("confirm",), "accept": ("accept", "approv"),
                  "support": ("support",), "succeed": ("succe",)}


def _positions(low: str, needle: str):
    i = low.find(needle)
    while i >= 0:
        yield i
        i = low.find(needle, i + 1)


_QUICK = re.compile(r"[a-z]{3,}")
_CLAIM_PREFIXES = tuple(sorted(_CLAIM_NOUNS))
_WORDS_AFTER = re.compile(r"(?:[\s,]*[a-z'’-]+){1,8}")
_NEG_FRAMES = {"refus": "agre", "deni": "confirm", "deny": "confirm", "reject": "accept", "oppos": "support"}


def _promising(low: str, needle: str, article, positions: list[int]):
    """Sentences where `needle` (found at `positions`) may start a negation whose claim recurs in the article."""
    last = None
    last_end = -1
    no_word = needle in ("no ", "without ")
    size = len(needle)
    frame = _NEG_FRAMES.get(needle)
    frame_ok = None  # the positive frame's presence: the same for every position
    for at in positions:
        if at < last_end:
            continue  # this sentence already yielded
        if no_word and not low.startswith(_CLAIM_PREFIXES, at + size):
            continue  # "no" negates a claim only before a claim noun ("no progress")
        sent = article.sentence_at(at)
        if sent is None or sent.index == last:
            continue
        if frame is not None:
            if frame_ok is None:
                frame_ok = (True, frame) if frame in low else ("approv" in low, "approv")
            ok, prefix = frame_ok
        else:
            prefix = ""
            m = _WORDS_AFTER.match(low, at + size)
            # str.split after folding commas = re.split(r"[\s,]+") without empties
            words = m.group(0).replace(",", " ").split() if m else []
            content = None
            for w in words:
                if w not in _LIGHT and not (w.endswith("ly") and len(w) > 4):
                    content = w
                    break
            if content is None or content in _STOP or len(content) < 3:
                ok = False
            else:
                st = stem(content)
                prefix = st[:-1] if st.endswith("y") else st
                # "occurs twice" (non-overlapping, as str.count counts) stops at the second hit
                ok = len(prefix) >= 3 and low.find(prefix, low.find(prefix) + len(prefix)) >= 0
                if content.startswith(("agre", "confirm", "accept", "approv", "support", "succe")):
                    ok, prefix = True, content[:4]
        if ok:
            last, last_end = sent.index, sent.end
            yield sent.index, prefix


def find_pairs(article, similar=None):
    """Contradicting sentence pairs: (negated sentence, other, anchor, neg span, other span, overlap).

    `similar(a, b, anchor)` scores whether two sentences talk about the same
    claim (None: they do not); the default is content-word overlap. The
    benchmark passes others (chrF) to compare pairing methods.
    """
    quick = similar is None  # the cheap prefilter is an overlap test: only for the overlap pairing
    similar = similar or _similar
    text = article.text
    low = lowered(text)
    sentences = article.sentences
    cache: dict[int, _Sent | None] = {}

    def analysed(i: int):
        if i not in cache:
            cache[i] = _analyse(sentences[i], text)
        return cache[i]

    keys: dict[int, set] = {}

    def quick_keys(i: int) -> set:
        # 4-letter prefixes of the sentence's longer words: a cheap superset
        # test of "shares enough content words" before the full analysis.
        if i not in keys:
            sent = sentences[i]
            keys[i] = {w[:4] for w in _QUICK.findall(low, sent.start, sent.end) if w not in _STOP}
        return keys[i]

    def worth(si: int, oi: int) -> bool:
        if not quick:
            return True
        need = MIN_SHARED_HEADLINE if (sentences[si].is_headline or sentences[oi].is_headline) else MIN_SHARED_BODY
        return len(quick_keys(si) & quick_keys(oi)) > need

    found: dict[str, list[int]] = {}

    def sentences_with(needle: str) -> list[int]:
        out = found.get(needle)
        if out is not None:
            return out  # the same prefix is asked for by several triggers and negated words
        out = found[needle] = []
        for pos in _positions(low, needle):
            sent = article.sentence_at(pos)
            if sent is not None and (not out or out[-1] != sent.index):
                out.append(sent.index)
        return out

    def voiced(i: int) -> bool:
        # _analyse's `quoted`, without the analysis: two body sentences, one
        # of them quoting, are never reported (the last check below)
        sent = sentences[i]
        body = text[sent.start : sent.end]
        return any(q in body for q in '"“”«»')

    def body_only(si: int, oi: int) -> bool:
        return not sentences[si].is_headline and not sentences[oi].is_headline

    triggers: dict[int, set] = {}
    cues = _CUES.positions(low)
    for t in _TRIGGERS:
        if t in cues:  # most cues are absent: no generator for them
            for i, prefix in _promising(low, t, article, cues[t]):
                triggers.setdefault(i, set()).add(prefix)
    pairs = []
    seen = set()
    for ti in sorted(triggers):
        # a sentence elsewhere must share the negated word and enough others
        if not any(oi != ti and worth(ti, oi) for p in triggers[ti] for oi in sentences_with(p)):
            continue
        if not sentences[ti].is_headline and voiced(ti) and not any(
            h.index != ti and worth(ti, h.index) for h in sentences if h.is_headline
        ):
            continue  # a quoting body sentence can only contradict a headline: none is close enough
        s = analysed(ti)
        if s is None or not (s.negated or any(pol < 0 for pol, _ in s.frames.values())):
            continue
        cands = []
        for w, span in s.negated.items():
            prefix = w[:-1] if w.endswith("y") else w
            if len(prefix) < 3:
                continue
            for oi in sentences_with(prefix):
                if oi == ti or not worth(ti, oi) or body_only(ti, oi) and (s.quoted or voiced(oi)):
                    continue
                o = analysed(oi)
                if o is not None and w in o.plain:
                    cands.append((w, span, o, o.plain[w]))
        for f, (pol, span) in s.frames.items():
            if pol >= 0:
                continue
            for prefix in _FRAME_SURFACE[f]:
                for oi in sentences_with(prefix):
                    if oi == ti or not worth(ti, oi) or body_only(ti, oi) and (s.quoted or voiced(oi)):
                        continue
                    o = analysed(oi)
                    if o is not None and f in o.frames and o.frames[f][0] > 0:
                        cands.append((f, span, o, o.frames[f][1]))
        for anchor, span, o, ospan in cands:
            if o is s or (s.index, o.index) in seen or anchor in o.negated and anchor not in _FRAMES:
                continue
            if s.speakers and o.speakers and not (s.speakers & o.speakers):
                continue  # two named sources disagreeing is news, not a contradiction
            if o.has_neg and anchor not in _FRAMES:
                continue  # negations on both sides: too subtle to call
            if s.modal.get(anchor) != o.modal.get(anchor) and anchor not in _FRAMES:
                continue  # "will not collapse" vs "collapsed": different times
            if not (s.headline or o.headline) and (s.quoted or o.quoted or s.personal or o.personal):
                continue  # quotes and first/second person talk: voices, not the article's claims
            ov = similar(s, o, anchor)
            if ov is None:
                continue
            seen.add((s.index, o.index))
            seen.add((o.index, s.index))
            pairs.append((s, o, anchor, span, ospan, ov))
    return pairs


def _quote(text: str, span) -> str:
    return text[span[0] : span[1]]


def _groups(article):
    """Pairs grouped by the sentence that negates (one finding set each)."""
    groups: dict[int, list] = {}
    for p in find_pairs(article):
        groups.setdefault(p[0].index, []).append(p)
    return list(groups.values())


_last: list = [None, None]


def _report(article, headline_groups: bool):
    text = article.text
    if _last[0] is not text:
        _last[0], _last[1] = text, _groups(article)
    for plist in _last[1]:
        if any(p[0].headline or p[1].headline for p in plist) != headline_groups:
            continue
        s, neg_span = plist[0][0], plist[0][3]
        where = "the headline" if s.headline else f"sentence {s.index}"
        evidence = [{"start": neg_span[0], "end": neg_span[1], "sentence": s.index}]
        others, done = [], set()
        for _s, o, _anchor, _span, ospan, _ov in plist:
            if ospan in done:
                continue
            done.add(ospan)
            evidence.append({"start": ospan[0], "end": ospan[1], "sentence": o.index})
            others.append(("the headline" if o.headline else f"sentence {o.index}") + f" (“{_quote(text, ospan)}”)")
        neg_text = _quote(text, neg_span)
        msg = f"{where[0].upper() + where[1:]} (“{neg_text}”) contradicts " + " and ".join(others)
        yield Hit(None, None, msg, data={"evidence": evidence})
        yield Hit(neg_span[0], neg_span[1], f"Contradicts {' and '.join(others)}; check the negation against the source")
        for ev in evidence[1:]:
            yield Hit(ev["start"], ev["end"], f"Contradicted by {where} (“{neg_text}”)")


@rule(code="CON001", name="headline-body-contradiction", category="contradiction", severity="warning")
def headline_contradiction(article, config):
    """The headline and a body sentence make opposite claims.

    "State Department announced progress in negotiations" (headline) vs "the
    two sides have not been able to make progress in negotiations" (lead):
    one document-level finding plus a span on each sentence. Often a
    negation the translation dropped or invented.
    """
    yield from _report(article, True)


@rule(code="CON002", name="sentence-contradiction", category="contradiction", severity="warning")
def sentence_contradiction(article, config):
    """Two body sentences make opposite claims about the same thing.

    "Russia agreed to extend the grain deal" vs "Russia refused to extend
    the grain deal": one document-level finding plus a span on each sentence.
    """
    yield from _report(article, False)
