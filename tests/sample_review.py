"""A hand-built ``Review`` for the report and export tests: no encoder, no checks run.

Five beads of every kind (1-1, 2-1, 1-0, 0-1), Cyrillic, ``&``, ``<``, a tab, findings of
each severity with spans on one or both sides, adequacy and a document score.
"""

from __future__ import annotations

from aligner.check import CheckReport, Finding, pairs_from_alignment
from aligner.checks import Category, Divergence, Severity
from aligner.review import Adequacy, DocumentScore, Review
from aligner.types import Alignment, Bead, Document, Sentence, Signature

RU = [
    "Россия не намерена втягиваться в гонку вооружений.",
    "Число военнослужащих выросло на 20 тыс. человек.",
    "Это & <важно>\tдля нас.",
    "К сожалению, ответа не было.",
    "Такие шаги создают новые раздражители в двусторонних отношениях.",
]
EN = [
    "Russia intends to be drawn into an arms race.",
    "The number of troops grew by 30,000. This & <matters>\tto us.",
    "Annex: list of participants.",
    "Such steps create new annoyances in bilateral relations.",
]
SIGNATURE = Signature("0.1.0", "use-m3@test", (("band", "8"),))


def document(texts: list[str], lang: str) -> Document:
    sentences, position = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(index, text, position, position + len(text), 0))
        position += len(text) + 1
    return Document(" ".join(texts), tuple(sentences), lang, path=f"/data/sample.{lang}.txt")


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def sample_alignment(ru: list[str] | None = None, en: list[str] | None = None) -> Alignment:
    beads = (Bead((0,), (0,), 0.8, 0.95), Bead((1, 2), (1,), 0.7, 0.81),
             Bead((3,), (), 0.0, 0.9), Bead((), (2,), 0.0, 0.7), Bead((4,), (3,), 0.75, 0.42))
    return Alignment(document(ru or RU, "ru"), document(en or EN, "en"), beads, SIGNATURE)


def sample_findings(alignment: Alignment) -> tuple[Finding, ...]:
    pairs = pairs_from_alignment(alignment)
    p0, p1, p2, p4 = pairs[0], pairs[1], pairs[2], pairs[4]
    return (
        Finding(0, Divergence("polarity.v1", Severity.CRITICAL, Category.MISTRANSLATION,
                              "the Russian negates «не намерена» but the English does not",
                              (span(p0.src, "не намерена"),), (span(p0.tgt, "intends"),),
                              "check for a dropped negation")),
        Finding(1, Divergence("numbers.v1", Severity.CRITICAL, Category.MISTRANSLATION,
                              "the Russian says «20 тыс.» but the English says \"30,000\"",
                              (span(p1.src, "20 тыс."),), (span(p1.tgt, "30,000"),),
                              "check the figure: the Russian has 20,000")),
        Finding(2, Divergence("omission.v1", Severity.CRITICAL, Category.OMISSION,
                              "sentence left out", ((0, len(p2.src)),), (), None)),
        Finding(4, Divergence("terminology.v1", Severity.MAJOR, Category.TERMINOLOGY,
                              "«раздражители» is rendered \"annoyances\"",
                              (span(p4.src, "раздражители"),), (span(p4.tgt, "annoyances"),),
                              "irritants")),
        Finding(4, Divergence("weak_pair.v1", Severity.MINOR, Category.ALIGNMENT,
                              "low confidence & <weak> pair", (), ())),
    )


def sample_review(*, scored: bool = True) -> Review:
    alignment = sample_alignment()
    report = CheckReport(pairs_from_alignment(alignment), sample_findings(alignment),
                         ("polarity.v1", "numbers.v1", "omission.v1", "terminology.v1",
                          "weak_pair.v1"))
    adequacy = tuple(Adequacy(score, (("similarity", 1.5),))
                     for score in (35.0, 48.5, 0.0, 0.0, 71.25)) if scored else None
    document_score = DocumentScore(58.4, (("share_1-1", 0.4), ("mean_confidence", 0.756))
                                   ) if scored else None
    return Review(report, alignment, adequacy, document_score,
                  signature=str(SIGNATURE) + "|checks:all")
