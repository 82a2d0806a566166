"""modality.v1: an obligation rendered as a possibility (or back), an intensifier or a hedge
on one side only.

Both sides are scanned with the cues of ``corpora/lists/modality.tsv`` on the matcher of
``polarity.v1``. A modal next to a negation («не должны», "may not", "cannot") is left out:
«не может» ↔ "must not" is a convention, not a shift. The modal finding needs a pure shift —
the Russian has only obligation and the English only possibility, or the reverse — because
UN texts mix "shall", "should" and "may" with «следует», «должны» and «может» freely within
one sentence. Future and commitment (будет, намерен ↔ will, intend) are counted but never
compared: treaty "shall" is rendered by a Russian present or future.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import NamedTuple

from aligner.checks.base import Category, CheckContext, Divergence, Pair, Severity, Span, register
from aligner.checks.polarity import (
    Cue,
    Lexicon,
    Tokens,
    build_lexicon,
    match_cues,
    pair_tokens,
    parse_phrases,
)
from aligner.errors import FormatError

_LIST = "modality.tsv"
_KINDS = ("obligation", "possibility", "future", "intensifier", "hedge", "intensity", "hedging",
          "plain")
_NEGATORS = {"ru": frozenset({"не", "ни"}), "en": frozenset({"not", "never"})}
#: How far apart (relative position in the text, 0..1) the two modals may be: a "should"
#: in one clause and a «может» in another are not a shift. Set on UN devset pairs 0-1999.
MODAL_REACH = 0.25


# Named tuples, not frozen dataclasses: as immutable, and much quicker to define
# (every `aligner check` imports this module) and to make.
class Cued(NamedTuple):
    """A modal or intensity cue found in a text."""

    kind: str
    text: str
    span: Span
    position: float  # first word's index over the text's word count, 0..1


def load_modality_lexicons() -> dict[str, Lexicon]:
    """Read ``modality.tsv`` into one ``Lexicon`` per language."""
    path = resources.files("aligner.corpora") / "lists" / _LIST
    cues: dict[str, list[Cue]] = {"ru": [], "en": []}
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[0] not in _KINDS or fields[1] not in cues:
            raise FormatError(
                f"expected kind, lang (ru|en), phrase, note; found {line!r}",
                where=f"{_LIST}:{number}",
            )
        cues[fields[1]].extend(Cue(fields[0], t) for t in parse_phrases(fields[2]))
    return {lang: build_lexicon(found) for lang, found in cues.items()}


def _negated(tokens: Tokens, first: int, last: int, lang: str) -> bool:
    """«не должны», «не может»; "may not", "should never", "couldn't"."""
    joined = tokens.normal
    if lang == "ru":
        return first > 0 and joined[first - 1] in _NEGATORS["ru"]
    after = joined[last + 1] if last + 1 < len(joined) else ""
    return after in _NEGATORS["en"] or joined[last].endswith("n't")


def _is_month(tokens: Tokens, i: int, lang: str) -> bool:
    """"4 May 2015", "in May": a capital "May" inside a sentence is the month."""
    word = tokens.words[i]
    if lang != "en" or word.text != "May" or i == 0:
        return False
    return not tokens.text[:word.start].rstrip().endswith((".", "!", "?", ";", ":", "«", '"'))


def cues_in(tokens: Tokens, lang: str, lexicon: Lexicon) -> list[Cued]:
    """The modal and intensity cues of a text, negated modals left out."""
    found: list[Cued] = []
    for cue, first, last in match_cues(tokens, lexicon):
        if cue.kind == "plain" or _is_month(tokens, first, lang):
            continue
        if cue.kind in ("obligation", "possibility", "future") and _negated(
                tokens, first, last, lang):
            continue
        start, end = tokens.words[first].start, tokens.words[last].end
        found.append(Cued(cue.kind, tokens.text[start:end], (start, end),
                          first / max(len(tokens.words) - 1, 1)))
    return found


def _of(cued: Sequence[Cued], kind: str) -> list[Cued]:
    return [c for c in cued if c.kind == kind]


def _quote_all(cued: Sequence[Cued], lang: str) -> str:
    texts = list(dict.fromkeys(c.text for c in cued))
    if lang == "ru":
        return ", ".join(f"«{t}»" for t in texts)
    return ", ".join(f'"{t}"' for t in texts)


def _modal_shift(src: Sequence[Cued], tgt: Sequence[Cued]) -> Divergence | None:
    for said, rendered in (("obligation", "possibility"), ("possibility", "obligation")):
        src_said, src_other = _of(src, said), _of(src, rendered)
        tgt_said, tgt_rendered = _of(tgt, said), _of(tgt, rendered)
        if src_said and not src_other and tgt_rendered and not tgt_said:
            near = [(s, t) for s in src_said for t in tgt_rendered
                    if abs(s.position - t.position) <= MODAL_REACH]
            if not near:
                continue
            src_said = list(dict.fromkeys(s for s, _ in near))
            tgt_rendered = list(dict.fromkeys(t for _, t in near))
            message = (
                f"the Russian states {said} ({_quote_all(src_said, 'ru')}) but the English "
                f"states {rendered} ({_quote_all(tgt_rendered, 'en')})"
            )
            suggestion = (
                'render the obligation with "must", "shall" or "should"'
                if said == "obligation" else 'render the possibility with "may" or "can"'
            )
            return Divergence(
                "modality.v1", Severity.MAJOR, Category.MISTRANSLATION, message,
                src_spans=tuple(c.span for c in src_said),
                tgt_spans=tuple(c.span for c in tgt_rendered),
                suggestion=suggestion,
            )
    return None


def _one_sided(
    src: Sequence[Cued], tgt: Sequence[Cued], kind: str, also: Sequence[str] = ()
) -> Iterator[Divergence]:
    """``kind`` cues on one side with no cue of ``kind`` (or of ``also``) on the other."""
    noun = {"intensifier": "an intensifier", "hedge": "a hedge"}[kind]
    src_cued, tgt_cued = _of(src, kind), _of(tgt, kind)
    src_any = src_cued or [c for c in src if c.kind in also]
    tgt_any = tgt_cued or [c for c in tgt if c.kind in also]
    if src_cued and not tgt_any:
        yield Divergence(
            "modality.v1", Severity.MINOR, Category.MISTRANSLATION,
            f"the Russian has {noun} ({_quote_all(src_cued, 'ru')}) that the English drops",
            src_spans=tuple(c.span for c in src_cued),
            suggestion=f"keep the force of {_quote_all(src_cued[:1], 'ru')} in the English",
        )
    if tgt_cued and not src_any:
        yield Divergence(
            "modality.v1", Severity.MINOR, Category.MISTRANSLATION,
            f"the English adds {noun} ({_quote_all(tgt_cued, 'en')}) the Russian does not have",
            tgt_spans=tuple(c.span for c in tgt_cued),
            suggestion=f"check whether {_quote_all(tgt_cued[:1], 'en')} is warranted",
        )


def findings(pair: Pair, lexicons: dict[str, Lexicon],
             context: CheckContext | None = None) -> Iterator[Divergence]:
    """The modality findings of one Russian→English pair."""
    src_tokens, tgt_tokens = pair_tokens(pair, context)
    src = cues_in(src_tokens, "ru", lexicons["ru"])
    tgt = cues_in(tgt_tokens, "en", lexicons["en"])
    shift = _modal_shift(src, tgt)
    if shift is not None:
        yield shift
    yield from _one_sided(src, tgt, "intensifier", also=("intensity",))
    yield from _one_sided(src, tgt, "hedge", also=("hedging", "possibility"))


@register("modality.v1", Severity.MAJOR, Category.MISTRANSLATION)
def check_modality(pair: Pair, context: CheckContext) -> Iterable[Divergence]:
    """Obligation rendered as possibility (or back); intensifier or hedge on one side only

    Major when the Russian has only obligation («должны», «следует», «необходимо») and the
    English only possibility ("may", "can", "could"), or the reverse. Minor when an
    intensifier («решительно», «настоятельно», «глубоко»; "strongly", "urges", "fully") or a
    hedge («отчасти», "somewhat") is on one side only. Negated modals are not compared, and
    future/commitment (будет, намерен ↔ will, intend) never is. Misfires on free renderings
    that move modality into a verb ("is entitled to" for «может»; «призывает» for "urges")
    and when a bead joins sentences of different modality.
    """
    if pair.is_null or pair.src_lang != "ru" or pair.tgt_lang != "en":
        return ()
    lexicons = context.resource("modality.lexicons", load_modality_lexicons)
    return tuple(findings(pair, lexicons, context))
