"""polarity.v1: a negation on one side only, or a verb swapped for its opposite.

Both sides are scanned with the cues of ``corpora/lists/negation.tsv``. *Strong* cues are
negators («не», «никогда», "not", "n't", "never"); *soft* cues can render a negation without
a negator ("without", "prevent" for «не допустить»), *lexical* cues are prefix-negated words
(«неприемлемый», "unacceptable", "non-proliferation") and *fixed* phrases hold a negator
that does not negate (litotes «не может не», bounds «не менее» / "no later than", "not
only"). Only strong cues are reported; the others may stand for a negator on the other side.

Counting: Russian negative concord («никто не знает» = "nobody knows") is one negation;
negations coordinated in one clause («не подписали и не ратифицировали») are one. Each
negation is then matched with one on the other side (anywhere: word order moves); what is
left must be accounted for by a negative word on the other side near the same relative
position — one that a negative word of its own side does not sit nearer to (so «без» ↔
"without" leaves nothing over for an added "not"). «не» before a participle or adjective
(«не имеющих» ↔ "non-", "other than") is accounted for by any negative word. A negation and
a swap of opposites («не поддерживает» ↔ "opposes") cancel. The reach and the gap were set
on UN devset pairs 0-1999 against recall on planted flips (tests/checks/test_polarity.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from itertools import pairwise
from typing import Any

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, Span, register
from aligner.errors import FormatError
from aligner.morph import Word, words

_LIST = "negation.tsv"
_KINDS = ("strong", "fixed", "soft", "lexical", "plain", "antonym", "converse")
# Which kind wins when two cues match the same words equally specifically.
_KIND_ORDER = {"fixed": 0, "strong": 1, "plain": 2, "soft": 3, "lexical": 4}
# Punctuation that ends a clause: concord and the English clause quoted in a message.
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–.!?]")
# Where negative concord stops: «Никто не пришёл; ничего не сделано» is two negations.
# "U.S. nor" does not end a sentence: a full stop needs a capital (or the end) after it.
_SENTENCE_BREAK = re.compile(r"[!?;]|\.(?=\s+[\"«“(]?[A-ZА-ЯЁ0-9])")


@dataclass(frozen=True, slots=True)
class Cue:
    """One phrase of the list: lower-case word patterns (``*`` at an end is a wildcard)."""

    kind: str
    tokens: tuple[str, ...]

    @property
    def specificity(self) -> tuple[int, int, int]:
        literal = sum(len(t.strip("*")) for t in self.tokens)
        exact = sum(1 for t in self.tokens if "*" not in t)
        return (len(self.tokens), literal, exact)


@dataclass(frozen=True, slots=True)
class AntonymPair:
    """Two opposite poles in one language; ``name`` pairs the Russian row with the English.

    A ``reported`` pair (kind antonym) is a finding when swapped; a converse pair only
    cancels a negation on one side («не забывать» ↔ "remember")."""

    name: str
    pole: tuple[Cue, ...]
    opposite: tuple[Cue, ...]
    reported: bool = True


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The cues and antonym pairs of one language, compiled to regular expressions.

    Texts are matched as their normalised words joined by single spaces, word by word
    against an alternation of the cues that can start there, most specific cue first, so
    the first alternative that matches wins and each word is used once.
    """

    cues: tuple[Cue, ...]
    antonyms: tuple[AntonymPair, ...]
    pole_patterns: dict[tuple[str, int], re.Pattern[str]]
    by_initial: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def pattern(self, initial: str) -> re.Pattern[str]:
        """The cues that can match a word beginning with ``initial``, as one alternation."""
        found = self.by_initial.get(initial)
        if found is None:
            found = re.compile("|".join(
                f"(?P<c{k}>{_cue_regex(c)})" for k, c in enumerate(self.cues)
                if c.tokens[0].startswith("*") or c.tokens[0][:1] == initial) or "(?!)")
            self.by_initial[initial] = found
        return found


def _token_regex(token: str) -> str:
    if token.endswith("*"):
        return re.escape(token[:-1]) + r"\S*"
    if token.startswith("*"):
        return r"\S+" + re.escape(token[1:])
    return re.escape(token)


def _cue_regex(cue: Cue) -> str:
    return r"(?<!\S)" + " ".join(_token_regex(t) for t in cue.tokens) + r"(?!\S)"


def _compile(cues: Sequence[Cue]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<c{k}>{_cue_regex(c)})" for k, c in enumerate(cues)))


def build_lexicon(cues: Sequence[Cue], antonyms: Sequence[AntonymPair] = ()) -> Lexicon:
    """A ``Lexicon`` of ``cues``, most specific first (``modality.v1`` builds one too)."""
    ordered = tuple(sorted(cues, key=lambda c: (c.specificity, -_KIND_ORDER.get(c.kind, 9)),
                           reverse=True))
    poles = {}
    for pair in antonyms:
        poles[(pair.name, 0)] = _compile(pair.pole)
        poles[(pair.name, 1)] = _compile(pair.opposite)
    return Lexicon(ordered, tuple(antonyms), poles)


@dataclass(frozen=True, slots=True)
class Hit:
    """A cue matched in a text: its kind, its character span, the sentence it is in."""

    kind: str
    text: str
    start: int
    end: int
    sentence: int
    tokens: tuple[str, ...]
    word: int  # index of the first word
    position: float  # ``word`` over the text's word count, 0..1
    attributive: bool = False  # «не» before a participle or adjective: «не имеющих»


def _normal(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


def parse_phrases(field: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_normal(p).split()) for p in field.split(" | ") if p.strip())


def load_lexicons() -> dict[str, Lexicon]:
    """Read ``negation.tsv`` into one ``Lexicon`` per language."""
    path = resources.files("aligner.corpora") / "lists" / _LIST
    cues: dict[str, list[Cue]] = {"ru": [], "en": []}
    poles: dict[str, dict[str, AntonymPair]] = {"ru": {}, "en": {}}
    lines = path.read_text(encoding="utf-8").splitlines()
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[0] not in _KINDS or fields[1] not in cues:
            raise FormatError(
                f"expected kind, lang (ru|en), phrase, opposite, note; found {line!r}",
                where=f"{_LIST}:{number}",
            )
        kind, lang, phrase, opposite, note = fields
        if kind in ("antonym", "converse"):
            poles[lang][note] = AntonymPair(
                note,
                tuple(Cue(kind, t) for t in parse_phrases(phrase)),
                tuple(Cue(kind, t) for t in parse_phrases(opposite)),
                reported=kind == "antonym",
            )
        else:
            cues[lang].extend(Cue(kind, t) for t in parse_phrases(phrase))
    return {lang: build_lexicon(cues[lang], list(poles[lang].values())) for lang in cues}


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's words, normalised and joined by spaces, with a map back to the words."""

    text: str
    words: tuple[Word, ...]
    joined: str
    starts: dict[int, int]  # offset in ``joined`` -> word index
    sentences: tuple[int, ...]  # sentence number of each word


def tokenize(text: str) -> Tokens:
    ws = words(text)
    parts, starts, offset = [], {}, 0
    for i, w in enumerate(ws):
        starts[offset] = i
        token = _normal(w.text)
        parts.append(token)
        offset += len(token) + 1
    sentences, number, previous_end = [], 0, 0
    for w in ws:
        if _SENTENCE_BREAK.search(text, previous_end, w.start):
            number += 1
        sentences.append(number)
        previous_end = w.end
    return Tokens(text, ws, " ".join(parts), starts, tuple(sentences))


def _word_span(tokens: Tokens, match: re.Match[str]) -> tuple[int, int]:
    """The first and last word index a match over ``tokens.joined`` covers."""
    first = tokens.starts[match.start()]
    last = first + match.group().count(" ")
    return first, last


def match_cues(tokens: Tokens, lexicon: Lexicon) -> Iterator[tuple[Cue, int, int]]:
    """Each cue matched in ``tokens`` with its first and last word index, left to right,
    the most specific cue at each word, each word used once."""
    offset, joined = 0, tokens.joined
    while offset < len(joined):
        m = lexicon.pattern(joined[offset]).match(joined, offset)
        if m is None:
            space = joined.find(" ", offset)
            offset = len(joined) if space < 0 else space + 1
            continue
        offset = m.end() + 1
        first, last = _word_span(tokens, m)
        yield lexicon.cues[int(str(m.lastgroup)[1:])], first, last


def scan(tokens: Tokens, lang: str, lexicon: Lexicon) -> list[Hit]:
    """Every negation cue of a text (strong, soft, fixed), each word used once."""
    hits: list[Hit] = []
    for cue, first, last in match_cues(tokens, lexicon):
        surface = tokens.words[first].text
        if cue.kind == "plain" or _is_acronym(surface, cue):
            continue
        if lang == "en" and cue.tokens == ("no",) and _is_number_sign(tokens, first):
            continue
        if lang == "ru" and cue.tokens == ("ни",) and _is_concessive(tokens, first):
            continue
        start, end = tokens.words[first].start, tokens.words[last].end
        position = first / max(len(tokens.words) - 1, 1)
        hits.append(Hit(cue.kind, tokens.text[start:end], start, end,
                        tokens.sentences[first], cue.tokens, first, position))
    return hits


def _is_acronym(surface: str, cue: Cue) -> bool:
    """"UNICEF" is not un- + "icef": prefix and suffix rules skip all-capital words."""
    return any("*" in t for t in cue.tokens) and surface.isupper() and len(surface) > 1


def _is_concessive(tokens: Tokens, i: int) -> bool:
    """«где бы он ни появился», «каким бы веским оно ни было»: «ни» after «бы» concedes."""
    before = tokens.joined[:sum(len(tokens.words[k].text) + 1 for k in range(i))].split()
    return "бы" in before[-4:]


def _is_number_sign(tokens: Tokens, i: int) -> bool:
    """"No. 5", "resolution No 12": "no" before a number is the number sign."""
    after = tokens.text[tokens.words[i].end:tokens.words[i].end + 4]
    return re.match(r"\.?\s*\d", after) is not None


# --- counting -------------------------------------------------------------------------------


def _is_concord(hit: Hit) -> bool:
    """A Russian ни-word: in a sentence with «не» it adds no negation of its own."""
    return any(t.startswith("ни") for t in hit.tokens)


#: Words that open a subordinate clause: negations on either side of one are not coordinated
#: («не проходят терапию, поскольку … не знают» holds two negations).
_SUBORDINATORS = {
    "ru": frozenset(
        "что чтобы поскольку потому так если когда хотя где ибо который которая которое "
        "которые которых которым которой котором которую которыми".split()),
    "en": frozenset(
        "that which who whom whose because since as if when while whereas although though "
        "unless where".split()),
}


def strong_units(hits: Sequence[Hit], lang: str, tokens: Tokens) -> list[Hit]:
    """The negations a side counts, one per negator after negative concord.

    Russian: «никто не знает», «ни X, ни Y не» hold one negation (the «не»); a sentence with
    ни-words and no «не» («ни шагу назад») holds one. English: "neither X nor Y" is one.
    Negations a few words apart in one clause are one coordinated negation: «не подписали
    и не ратифицировали» is rendered "have not signed and ratified".
    """
    strong = [h for h in hits if h.kind == "strong"]
    units: list[Hit] = []
    for sentence in sorted({h.sentence for h in strong}):
        here = [h for h in strong if h.sentence == sentence]
        if lang == "ru":
            has_ne = any("не" in h.tokens for h in hits if h.sentence == sentence)
            particles = [h for h in here if not _is_concord(h)]
            counted = particles if particles or has_ne else here[:1]
        else:
            neither = any(h.tokens == ("neither",) for h in here)
            counted = [h for h in here if not (neither and h.tokens == ("nor",))]
        previous: Hit | None = None
        for h in counted:
            if previous is None or not _coordinated(previous, h, lang, tokens):
                units.append(h)
            previous = h
    return units


def _coordinated(first: Hit, second: Hit, lang: str, tokens: Tokens) -> bool:
    if second.word - first.word > COORDINATION_GAP:
        return False
    between = tokens.joined.split()[first.word + 1:second.word]
    return not any(w in _SUBORDINATORS[lang] for w in between)


def _explainers(hits: Sequence[Hit]) -> list[Hit]:
    return [h for h in hits if h.kind in ("soft", "fixed", "lexical")]


#: How far apart (in relative word position, 0..1) a negation and the word that renders it
#: on the other side may be. Word order differs between Russian and English, and a clause
#: can move; these were set on UN devset pairs 0-1999 (false findings against recall on
#: planted flips, see tests/checks/test_polarity.py).
STRONG_REACH = 1.0
SOFT_REACH = 0.5
#: Negations at most this many words apart in a sentence count once (coordination).
COORDINATION_GAP = 20


#: Pairing a lexical negative ("non-", «не-») with a word of another sort costs this much
#: extra distance, so «неприемлемо» goes with "unacceptable" before it goes with a «не».
CROSS_KIND_COST = 0.1


def _cost(a: Hit, b: Hit) -> float:
    mismatch = (a.kind == "lexical") != (b.kind == "lexical")
    return abs(a.position - b.position) + (CROSS_KIND_COST if mismatch else 0.0)


def unexplained(
    units: Sequence[Hit], soft: Sequence[Hit], other_units: Sequence[Hit],
    other_soft: Sequence[Hit],
) -> list[Hit]:
    """The negations of one side that nothing on the other side accounts for.

    A negation on the other side accounts for one negation here within ``STRONG_REACH``.
    A negative word there ("without", "failures", «отказ», "unacceptable") accounts for the
    negation here that it is nearest to, within ``SOFT_REACH``, unless a negative word here
    is nearer to it («неприемлемо» ↔ "unacceptable" leaves nothing over for an added «не»;
    «без» ↔ "without" nothing for an added "not"). An attributive negation («не имеющих»,
    «не связанных», rendered "non-", "other than") is accounted for by any negation or
    negative word on the other side.
    """
    pairs = sorted(
        (abs(u.position - o.position), k, j)
        for k, u in enumerate(units) for j, o in enumerate(other_units)
        if abs(u.position - o.position) <= STRONG_REACH
    )
    matched: set[int] = set()
    taken: set[int] = set()
    for _, k, j in pairs:
        if k not in matched and j not in taken:
            matched.add(k)
            taken.add(j)
    rest = [u for k, u in enumerate(units) if k not in matched
            and not (u.attributive and (other_units or other_soft))]
    mine = rest + list(soft)
    explained: set[int] = set()
    for other in other_soft:
        if not mine:
            break
        k = min(range(len(mine)), key=lambda k: _cost(mine[k], other))
        if k < len(rest) and abs(mine[k].position - other.position) <= SOFT_REACH:
            explained.add(k)
    return [u for k, u in enumerate(rest) if k not in explained]


# --- antonyms -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flip:
    name: str
    src: Span
    tgt: Span
    src_pole: str
    tgt_pole: str
    reported: bool


def _first(pattern: re.Pattern[str], tokens: Tokens) -> Span | None:
    m = pattern.search(tokens.joined)
    if m is None:
        return None
    first, last = _word_span(tokens, m)
    return (tokens.words[first].start, tokens.words[last].end)


def antonym_flips(src: Tokens, tgt: Tokens, src_lex: Lexicon, tgt_lex: Lexicon) -> list[Flip]:
    """Pairs where the Russian has only one pole and the English only the opposite one."""
    tgt_names = {p.name for p in tgt_lex.antonyms}
    flips: list[Flip] = []
    for pair in src_lex.antonyms:
        if pair.name not in tgt_names:
            continue
        labels = pair.name.split("/", 1) if "/" in pair.name else [pair.name, pair.name]
        for side in (0, 1):
            src_span = _first(src_lex.pole_patterns[(pair.name, side)], src)
            if src_span is None:
                continue
            tgt_span = _first(tgt_lex.pole_patterns[(pair.name, 1 - side)], tgt)
            if tgt_span is None:
                continue
            if (_first(src_lex.pole_patterns[(pair.name, 1 - side)], src) is not None
                    or _first(tgt_lex.pole_patterns[(pair.name, side)], tgt) is not None):
                continue
            flips.append(Flip(pair.name, src_span, tgt_span, labels[side], labels[1 - side],
                              pair.reported))
    return flips


# --- messages -------------------------------------------------------------------------------


def clause_span(text: str, position: float) -> Span:
    """The clause of ``text`` (between punctuation) at relative ``position`` (0..1)."""
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    at = min(int(position * len(text)), max(len(text) - 1, 0))
    for lo, hi in pairwise(bounds):
        if lo <= at < hi or hi == len(text):
            segment = text[lo:hi]
            stripped = segment.strip(" \t,;:()[]—–.!?\"'«»“”")
            if len(words(stripped)) >= 2 or (lo, hi) == (0, len(text)):
                offset = lo + segment.find(stripped) if stripped else lo
                return (offset, offset + len(stripped)) if stripped else (lo, hi)
            # a fragment ("however,") says nothing: quote the whole sentence
            break
    whole = text.strip()
    start = text.find(whole)
    return (start, start + len(whole))


def _with_next_word(text: str, hit: Hit) -> str:
    after = words(text[hit.end:])
    return f"{hit.text} {after[0].text}" if after else hit.text


def _quote(text: str, span: Span, lang: str, limit: int = 90) -> str:
    snippet = text[span[0]:span[1]]
    if len(snippet) > limit:
        snippet = snippet[: limit - 1].rstrip() + "…"
    return f"«{snippet}»" if lang == "ru" else f'"{snippet}"'


def _negation_finding(
    pair: Pair, hits: Sequence[Hit], from_src: bool, severity: Severity, category: Category
) -> Divergence:
    """One finding for the unmatched negations of one side: each negator and the clause at
    the same relative place on the other side."""
    if from_src:
        text, other, lang, other_lang = pair.src, pair.tgt, "ru", "en"
    else:
        text, other, lang, other_lang = pair.tgt, pair.src, "en", "ru"
    clauses = tuple(dict.fromkeys(clause_span(other, h.start / max(len(text), 1))
                                  for h in hits))
    said = " and ".join(
        _quote(text, (h.start, h.start + len(_with_next_word(text, h))), lang) for h in hits)
    language, other_language = ("Russian", "English") if from_src else ("English", "Russian")
    message = (
        f"the {language} negates {said} but the {other_language} has no matching negation: "
        f"{_quote(other, clauses[0], other_lang)}"
    )
    suggestion = (
        "check for a dropped negation in the English (\"not\", \"no\", \"never\")"
        if from_src else "check whether the English adds a negation the Russian does not have"
    )
    spans_here = tuple((h.start, h.end) for h in hits)
    return Divergence(
        "polarity.v1", severity, category, message,
        src_spans=spans_here if from_src else clauses,
        tgt_spans=clauses if from_src else spans_here,
        suggestion=suggestion,
    )


def _flip_finding(pair: Pair, flip: Flip, severity: Severity, category: Category) -> Divergence:
    message = (
        f"the Russian says {_quote(pair.src, flip.src, 'ru')} ({flip.src_pole}) but the English "
        f"says {_quote(pair.tgt, flip.tgt, 'en')} ({flip.tgt_pole}): opposite meanings"
    )
    return Divergence(
        "polarity.v1", severity, category, message,
        src_spans=(flip.src,), tgt_spans=(flip.tgt,),
        suggestion=f"render «{pair.src[flip.src[0]:flip.src[1]]}» as \"{flip.src_pole}\"",
    )


_ATTRIBUTIVE = frozenset({"PRTF", "GRND", "ADJF"})


def _mark_attributive(hit: Hit, tokens: Tokens, analyzer: Any) -> Hit:
    """``hit`` marked attributive when it is «не» before a participle, gerund or adjective."""
    following = hit.word + 1
    if hit.tokens != ("не",) or following >= len(tokens.words):
        return hit
    if analyzer.parse(tokens.words[following].text.lower())[0].tag.POS in _ATTRIBUTIVE:
        return replace(hit, attributive=True)
    return hit


def findings(
    pair: Pair, lexicons: dict[str, Lexicon], analyzer: Any
) -> Iterator[Divergence]:
    """The polarity findings of one Russian→English pair."""
    src_lex, tgt_lex = lexicons["ru"], lexicons["en"]
    src, tgt = tokenize(pair.src), tokenize(pair.tgt)
    src_hits, tgt_hits = scan(src, "ru", src_lex), scan(tgt, "en", tgt_lex)
    src_hits = [_mark_attributive(h, src, analyzer) for h in src_hits]
    src_units = strong_units(src_hits, "ru", src)
    tgt_units = strong_units(tgt_hits, "en", tgt)
    src_soft, tgt_soft = _explainers(src_hits), _explainers(tgt_hits)
    src_left = unexplained(src_units, src_soft, tgt_units, tgt_soft)
    tgt_left = unexplained(tgt_units, tgt_soft, src_units, src_soft)
    flips = antonym_flips(src, tgt, src_lex, tgt_lex)
    if flips and (src_left or tgt_left):
        # «не поддерживает» ↔ "opposes", «не забывать» ↔ "remember": a negation and a
        # swap of opposites cancel out.
        return
    flips = [f for f in flips if f.reported]
    severity, category = Severity.CRITICAL, Category.MISTRANSLATION
    if src_left:
        yield _negation_finding(pair, src_left, True, severity, category)
    if tgt_left:
        yield _negation_finding(pair, tgt_left, False, severity, category)
    for flip in flips:
        yield _flip_finding(pair, flip, severity, category)


@register("polarity.v1", Severity.CRITICAL, Category.MISTRANSLATION)
def check_polarity(pair: Pair, context: CheckContext) -> Iterable[Divergence]:
    """Negation on one side only, or an antonym swap (condemn/welcome)

    Flags a negator («не», «никто», «нет»; "not", "n't", "never", "no") that nothing on the
    other side renders: no negator, and no negative word ("without", "refuse", "fail to",
    «отказ», «неприемлемый», "un-", "non-") or litotes («не может не», "not without") near
    the same place. Russian negative concord and coordinated negations count once. Also
    flags a verb rendered by its opposite (осуждать/welcome, поддерживать/oppose,
    принимать/reject, соблюдать/violate, продлить/terminate, снять/impose) when neither side
    has the other pole. Misfires when a negation is rendered by a word not in the list («не
    отражен» ↔ "is silent" is listed, «не подпускают» ↔ "keep away from" is not), on loose
    translations that rewrite a clause, and on two negations rendered by one far apart; the
    English clause quoted is chosen by position and may be the wrong one in long sentences.
    """
    if pair.is_null or pair.src_lang != "ru" or pair.tgt_lang != "en":
        return ()
    lexicons = context.resource("polarity.lexicons", load_lexicons)
    return tuple(findings(pair, lexicons, context.resource("pymorphy3.analyzer", _analyzer)))


def _analyzer() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()
