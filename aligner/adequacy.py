"""Translation adequacy per bead: how faithfully the English renders the Russian, 0-100.

A linear model over explainable features, fitted on human direct assessments (DA) of
Russian -> English translations (MLQE-PE) by ``scripts/train_adequacy.py`` and shipped as
``models/adequacy.json`` (card: ``models/adequacy.md``). The features come in groups
(``GROUPS``):

- ``similarity``: the cosine of the two sides' sentence vectors (USE, the encoder the model
  was fitted with);
- ``vector_profile``: the same vectors compared dimension by dimension with fitted weights
  (``sum_d v_d * src_d * tgt_d``; the cosine is the case of equal weights). It mixes how
  well the sides agree with what kind of sentence it is (idioms and slang were hard for the
  MT systems the raters judged), so it explains more of the human scores than the cosine
  does, but on its own it barely tells a translation from its neighbour's: misalignment
  and unrelated text show in ``similarity`` and ``lexical``;
- ``length``: how far the character and word length ratios are from a typical
  translation's, and the length of the Russian;
- ``lexical``: lexical coverage from the lexical table (``aligner.lexicon``): the share of
  content words with a counterpart on each side, the weight of the uncovered ones
  (``omission.v1``'s evidence), and the share of words the table has never seen;
- ``findings``: the pair's divergence findings by severity (``aligner.check``);
- ``numbers_names``: figures and capitalised names on one side with no counterpart;
- ``untranslated``: Cyrillic left in the English, Russian words copied unchanged.

A pair's score depends on that pair alone (its texts and its findings), never on the other
pairs of the document. The model predicts the DA z-score; a linear map fitted on the same
training data turns that into the DA 0-100 scale, clipped. Each group's contribution is its
share of the linear sum, in points, so the contributions add up to the score minus the
model's baseline (the score of a pair whose features are all at their training means),
except where the score is clipped at 0 or 100. A feature that cannot be computed (a language
pair without a lexical table) sits at its training mean and contributes nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aligner.check import CheckReport
from aligner.checks import CheckContext, Divergence, Pair
from aligner.checks.omission import OMISSION, evidence, pair_coverage
from aligner.encoders.base import Encoder
from aligner.errors import FormatError, UsageError
from aligner.lexicon import Coverage, Lexicon, WordMatch
from aligner.review import Adequacy

MODEL_NAME = "adequacy.json"

#: Feature groups, in the order ``Adequacy.contributions`` lists them.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("similarity", ("cosine",)),
    ("vector_profile", ("vector_profile",)),
    ("length", ("char_ratio", "char_ratio_off", "word_ratio_off", "src_words")),
    ("lexical", ("src_covered", "tgt_covered", "src_missing", "tgt_missing",
                 "src_unknown", "tgt_unknown")),
    ("findings", ("critical", "major", "minor")),
    ("numbers_names", ("numbers_unmatched", "names_unmatched")),
    ("untranslated", ("cyrillic_in_english", "copied")),
)
#: Every feature, in model order. ``vector_profile`` is computed by the model from the
#: per-dimension products of the two vectors (``PairFeatures.products``); the rest are
#: columns of ``PairFeatures.rows``.
FEATURES: tuple[str, ...] = tuple(name for _, names in GROUPS for name in names)
ROW_FEATURES: tuple[str, ...] = tuple(name for name in FEATURES if name != "vector_profile")

#: log(English words / Russian words) of a typical translation: English needs about a fifth
#: more words than Russian, which has no articles (MLQE-PE ru-en train: mean 0.17, median
#: 0.18; UN devset lines 1-2000: mean 0.07, as UN Russian is wordier).
TYPICAL_WORD_RATIO = 0.2
#: Findings counted per severity at most this many times, and unmatched numbers or names at
#: most ``MAX_UNMATCHED``: the third of a kind in one sentence says little the first two did
#: not, and a capped count keeps one odd sentence from dominating the fit.
MAX_FINDINGS = 2
MAX_UNMATCHED = 3

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """What the model reads for a batch of pairs.

    ``rows``: (pairs, len(ROW_FEATURES)); NaN marks a feature that could not be computed
    (and every feature of a null pair). ``products``: (pairs, d), the element-wise product
    of each pair's two unit sentence vectors (zeros for a null pair).
    """

    rows: NDArray[np.float64]
    products: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class AdequacyModel:
    """The fitted model: standardisation, weights, and the map to the 0-100 scale."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    weights: NDArray[np.float64]
    product_weights: NDArray[np.float64]
    intercept: float
    points_slope: float
    points_intercept: float
    encoder: str
    version: str

    @staticmethod
    def load(path: str | Path | None = None) -> AdequacyModel:
        """The shipped model (``models/adequacy.json``), or the one at ``path``."""
        source = (resources.files("aligner.models").joinpath(MODEL_NAME) if path is None
                  else Path(path))
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            return AdequacyModel.from_dict(data)
        except (OSError, KeyError, ValueError, TypeError, AttributeError) as err:
            raise FormatError(f"the adequacy model is missing or malformed ({err})",
                              where=str(source),
                              hint="reinstall aligner or rerun scripts/train_adequacy.py"
                              ) from err

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> AdequacyModel:
        """The model from the JSON layout ``scripts/train_adequacy.py`` writes. Raises
        ``ValueError`` (or ``KeyError``/``TypeError``) when it does not fit this code."""
        names = tuple(str(n) for n in data["features"])
        if names != FEATURES:
            missing = [n for n in FEATURES if n not in names]
            extra = [n for n in names if n not in FEATURES]
            raise ValueError("its features are not this version's (missing: "
                             f"{', '.join(missing) or 'none'}; unknown: "
                             f"{', '.join(extra) or 'none'}; or in another order)")

        def column(key: str) -> NDArray[np.float64]:
            return _finite(key, [data[key][name] for name in FEATURES])

        scale = column("scale")
        if np.any(scale <= 0):
            raise ValueError("every scale must be positive")
        product_weights = _finite("product_weights", data["product_weights"])
        if product_weights.ndim != 1 or not len(product_weights):
            raise ValueError("product_weights must be a non-empty list of numbers")
        points = data["points"]
        return AdequacyModel(
            mean=column("mean"), scale=scale, weights=column("weights"),
            product_weights=product_weights,
            intercept=float(data["intercept"]),
            points_slope=float(points["slope"]), points_intercept=float(points["intercept"]),
            encoder=str(data["encoder"]), version=str(data["version"]))

    @property
    def baseline(self) -> float:
        """The score of a pair whose features are all at their training means."""
        return self.points_intercept + self.points_slope * self.intercept

    @property
    def signature(self) -> str:
        """How scores from this model were made, for the signature of a report."""
        return f"adequacy:{self.version}|adequacy-enc:{self.encoder}"

    def matrix(self, features: PairFeatures) -> NDArray[np.float64]:
        """(pairs, len(FEATURES)): the rows with ``vector_profile`` put in its place and
        every unknown (NaN) value replaced by its training mean."""
        if features.products.shape[1] != len(self.product_weights):
            raise UsageError(
                f"the adequacy model needs {len(self.product_weights)}-dimensional vectors "
                f"({self.encoder}), got {features.products.shape[1]}",
                hint="encode with the encoder the model was fitted with")
        weighted = features.products @ self.product_weights
        at = FEATURES.index("vector_profile")
        out = np.insert(features.rows, at, weighted, axis=1)
        return np.where(np.isnan(out), self.mean, out)

    def predict_z(self, matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        """Predicted DA z-scores, one per row of a ``matrix`` result."""
        return self.intercept + ((matrix - self.mean) / self.scale) @ self.weights

    def explain(self, row: NDArray[np.float64]) -> Adequacy:
        """The 0-100 score of one ``matrix`` row and each group's contribution in points."""
        terms = self.points_slope * ((row - self.mean) / self.scale) * self.weights
        contributions = []
        start = 0
        for group, names in GROUPS:
            points = float(terms[start:start + len(names)].sum())
            contributions.append((group, round(points, 1) + 0.0))  # no "-0.0"
            start += len(names)
        score = min(100.0, max(0.0, self.baseline + float(terms.sum())))
        return Adequacy(round(score, 1), tuple(contributions))


def adequacy_scores(
    report: CheckReport,
    *,
    encoder: Encoder | str | None = None,
    vectors: tuple[NDArray[np.floating], NDArray[np.floating]] | None = None,
    context: CheckContext | None = None,
    model: AdequacyModel | None = None,
) -> tuple[Adequacy, ...]:
    """One ``Adequacy`` per pair of ``report``, in order (null beads score 0).

    The two sides of every non-null pair are encoded in one batch, each distinct text once,
    with ``encoder`` if it is the model's encoder (``"use-m3"``), else with a USE encoder
    loaded here (another encoder's vectors are on another scale). ``vectors`` (one source
    and one target row per pair, from the model's encoder) skip the encoding. ``context``
    shares the lexical table and morphology already loaded for the checks.
    """
    if all(pair.is_null for pair in report.pairs):
        return tuple(Adequacy(0.0, ()) for _ in report.pairs)  # nothing to judge or encode
    model = model or AdequacyModel.load()
    features = adequacy_features(report, encoder=encoder, vectors=vectors, context=context,
                                 encoder_name=model.encoder)
    matrix = model.matrix(features)
    return tuple(Adequacy(0.0, ()) if pair.is_null else model.explain(row)
                 for pair, row in zip(report.pairs, matrix, strict=True))


def adequacy_features(
    report: CheckReport,
    *,
    encoder: Encoder | str | None = None,
    vectors: tuple[NDArray[np.floating], NDArray[np.floating]] | None = None,
    context: CheckContext | None = None,
    encoder_name: str = "use-m3",
) -> PairFeatures:
    """The features of every pair of ``report``; the trainer and the benchmark call this
    too, so they see exactly what a run sees (see ``adequacy_scores`` for the arguments)."""
    context = context or CheckContext()
    pairs = report.pairs
    live = [k for k, pair in enumerate(pairs) if not pair.is_null]
    if vectors is not None:
        src, tgt = (np.asarray(v, dtype=np.float64) for v in vectors)
        if len(src) != len(pairs) or len(tgt) != len(pairs):
            raise ValueError(f"vectors for {len(src)}/{len(tgt)} pairs, expected {len(pairs)}")
        src, tgt = src[live], tgt[live]
    elif live:
        if _is_model_encoder(encoder, encoder_name):
            chosen = _resolve(encoder, encoder_name)
        else:
            # Another encoder's vectors are on another scale: USE is loaded once per context.
            named = None if isinstance(encoder, Encoder) else encoder
            chosen = context.resource(f"adequacy-encoder:{encoder_name}",
                                      lambda: _resolve(named, encoder_name))
        src, tgt = _encode(pairs, live, chosen)
    else:
        src = tgt = np.zeros((0, 1))
    rows = np.full((len(pairs), len(ROW_FEATURES)), np.nan)
    products = np.zeros((len(pairs), src.shape[1]))
    position = {pair.index: k for k, pair in enumerate(pairs)}
    findings: list[list[Divergence]] = [[] for _ in pairs]
    for finding in report.findings:
        if finding.pair_index in position:
            findings[position[finding.pair_index]].append(finding.divergence)
    for row, k in enumerate(live):
        products[k] = src[row] * tgt[row]
        rows[k] = pair_features(pairs[k], findings[k], float(products[k].sum()), context)
    return PairFeatures(rows, products)


def pair_features(pair: Pair, findings: Sequence[Divergence], cosine: float,
                  context: CheckContext) -> NDArray[np.float64]:
    """The ``ROW_FEATURES`` of one non-null pair whose sides have this cosine."""
    oriented = pair.russian_english()
    ru, en = (oriented[0], oriented[1]) if oriented else (pair.src, pair.tgt)
    ru_words, en_words = len(ru.split()), len(en.split())
    char_ratio = math.log((len(en.strip()) + 1.0) / (len(ru.strip()) + 1.0))
    word_ratio = math.log((en_words + 1.0) / (ru_words + 1.0))
    values: dict[str, float] = {
        "cosine": cosine,
        "char_ratio": char_ratio,
        "char_ratio_off": abs(char_ratio),
        "word_ratio_off": abs(word_ratio - TYPICAL_WORD_RATIO),
        "src_words": math.log1p(ru_words),
    }
    severities = [d.severity.value for d in findings]
    for severity in ("critical", "major", "minor"):
        values[severity] = float(min(MAX_FINDINGS, severities.count(severity)))
    if oriented is not None:  # other language pairs: no table, so these stay unknown
        coverage = pair_coverage(Pair(pair.index, ru, en), context)
        lexicon: Lexicon = context.resource("lexicon.ru-en", Lexicon.load)
        values.update(_lexical(coverage, lexicon))
        values.update(_numbers_names(coverage))
    en_tokens = en.split()
    values["cyrillic_in_english"] = (sum(bool(_CYRILLIC.search(t)) for t in en_tokens)
                                     / max(1, len(en_tokens)))
    ru_tokens = {t.casefold() for t in ru.split() if _CYRILLIC.search(t)}
    values["copied"] = sum(t.casefold() in ru_tokens for t in en_tokens) / max(1, len(en_tokens))
    return np.array([values.get(name, np.nan) for name in ROW_FEATURES], dtype=np.float64)


def _lexical(coverage: Coverage, lexicon: Lexicon) -> dict[str, float]:
    def missing(side: Sequence[WordMatch]) -> float:
        content = [m for m in side if m.content]
        return (sum(evidence(m, OMISSION.seen_cap) for m in content if not m.covered)
                / max(1, len(content)))

    def unknown(side: Sequence[WordMatch], seen: Mapping[str, float]) -> float:
        content = [m for m in side if m.content and not _DIGIT.search(m.word.text)]
        return sum(m.key not in seen for m in content) / max(1, len(content))

    return {
        "src_covered": coverage.src_share,
        "tgt_covered": coverage.tgt_share,
        "src_missing": missing(coverage.src),
        "tgt_missing": missing(coverage.tgt),
        "src_unknown": unknown(coverage.src, lexicon.ru_seen),
        "tgt_unknown": unknown(coverage.tgt, lexicon.en_seen),
    }


def _numbers_names(coverage: Coverage) -> dict[str, float]:
    """Uncovered numbers, and uncovered capitalised words past a side's first word (names:
    the table's transliteration and cognate rules match most real name pairs)."""
    numbers = names = 0
    for side in (coverage.src, coverage.tgt):
        for k, match in enumerate(side):
            if not match.content or match.covered:
                continue
            if _DIGIT.search(match.word.text):
                numbers += 1
            elif k > 0 and match.word.text[:1].isupper():
                names += 1
    return {"numbers_unmatched": float(min(numbers, MAX_UNMATCHED)),
            "names_unmatched": float(min(names, MAX_UNMATCHED))}


def _finite(key: str, values: Any) -> NDArray[np.float64]:
    out = np.array([float(v) for v in values], dtype=np.float64)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{key} holds a value that is not a finite number")
    return out


def _is_model_encoder(encoder: Encoder | str | None, name: str) -> bool:
    return isinstance(encoder, Encoder) and encoder.name == name


def _resolve(encoder: Encoder | str | None, name: str) -> Encoder:
    """An encoder whose vectors the model was fitted on (loaded lazily by the caller)."""
    from aligner.encoders import get_encoder

    if isinstance(encoder, Encoder) and encoder.name == name:
        return encoder
    if isinstance(encoder, str) and encoder not in ("use", name):
        raise UsageError(f"the adequacy model was fitted on {name} vectors, not {encoder!r}",
                         hint="leave the adequacy encoder out, or pass 'use'")
    if name != "use-m3":
        raise UsageError(f"the adequacy model needs the {name} encoder; pass it as encoder=")
    return get_encoder("use")


def _encode(pairs: Sequence[Pair], live: Sequence[int], encoder: Encoder
            ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Both sides of every live pair, encoded in one batch (each distinct text once)."""
    texts = [pairs[k].src for k in live] + [pairs[k].tgt for k in live]
    unique = list(dict.fromkeys(texts))
    matrix = np.asarray(encoder.encode(unique), dtype=np.float64)
    rows = {text: r for r, text in enumerate(unique)}
    index = np.array([rows[t] for t in texts], dtype=np.intp)
    return matrix[index[:len(live)]], matrix[index[len(live):]]
