"""Fit the per-bead adequacy model ``models/adequacy.json`` on MLQE-PE ru-en direct assessments.

    python scripts/train_adequacy.py                        # fit, print dev figures, write
    python scripts/train_adequacy.py --no-write             # fit and print only
    python scripts/train_adequacy.py --cache /tmp/adq-cache # keep features for the next run

Needs ``../shared/data/quality-dev/mlqe-pe-ru-en`` (see ../shared/README.md; ``--shared PATH``
elsewhere); without it the script says so in one line and exits 2.

Data: the DA files of MLQE-PE (Fomicheva et al. 2022), Russian -> English, ``train`` (7,000
pairs) and ``dev`` (1,000). Target: ``z_mean``, the mean of the raters' per-rater z-scores.
The ``model_scores`` column (the MT system's own log-probability) is never read: a user's
translation has none.

Features: ``aligner.adequacy.adequacy_features``, exactly as a run computes them. The pairs of
one MLQE document (``*.doc_ids``: a Reddit thread, the Wikiquote proverbs page) are checked
together with ``aligner.check.check_pairs``, as the pairs of an aligned document are; every
text is encoded once with the embedded USE encoder.

Model: ridge regression on standardised features, the 512 per-dimension products of the two
sentence vectors included, with one penalty for the named features and a stronger one for the
products; both penalties are chosen on dev (mean of Pearson and Spearman) from a small grid,
then the model is fitted on train alone. Weights whose sign would contradict what the feature
means (a finding that raises adequacy, a higher cosine that lowers it) are held at zero
(``SIGNS``; an active-set loop refits without them). The product weights are then folded into
one feature, ``vector_profile``, so that a pair's score is a sum over ``aligner.adequacy.GROUPS``
and each group's share can be shown. Last, ``points`` maps the predicted z-score to the DA
0-100 scale: the least-squares line of the raters' raw mean score on the predicted z-score,
over train.

Pearson and Spearman are computed here in numpy (Spearman: Pearson of average ranks).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
MODEL_PATH = REPO / "models" / "adequacy.json"
DATA = Path("data") / "quality-dev" / "mlqe-pe-ru-en" / "direct-assessments"
COLUMNS = ("original", "translation", "mean", "z_mean")

#: Penalties tried (in units of standardised features) for the named features and for the
#: vector products.
ROW_PENALTIES = (1.0, 10.0, 100.0)
PRODUCT_PENALTIES = (300.0, 1000.0, 3000.0, 10000.0)

#: The sign a weight may take: +1 non-negative, -1 non-positive; features not listed are free.
SIGNS = {
    "cosine": +1,
    "src_covered": +1, "tgt_covered": +1,
    "src_missing": -1, "tgt_missing": -1,
    "critical": -1, "major": -1, "minor": -1,
    "numbers_unmatched": -1, "names_unmatched": -1,
    "cyrillic_in_english": -1, "copied": -1,
}


class TrainError(Exception):
    """A problem with the data: one line, exit 1 (2 for a missing data folder)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class SplitData:
    """A split's features and targets (``rows``/``products`` as in ``PairFeatures``)."""

    rows: NDArray[np.float64]
    products: NDArray[np.float64]
    z: NDArray[np.float64]
    points: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Fit:
    """A fitted ridge model on standardised features (products as separate columns)."""

    row_mean: NDArray[np.float64]
    row_scale: NDArray[np.float64]
    row_weights: NDArray[np.float64]
    product_mean: NDArray[np.float64]
    product_scale: NDArray[np.float64]
    product_weights: NDArray[np.float64]
    intercept: float

    def predict(self, rows: NDArray[np.float64], products: NDArray[np.float64]
                ) -> NDArray[np.float64]:
        rows = np.where(np.isnan(rows), self.row_mean, rows)
        out = self.intercept + ((rows - self.row_mean) / self.row_scale) @ self.row_weights
        if len(self.product_weights):
            out = out + ((products - self.product_mean) / self.product_scale
                         ) @ self.product_weights
        return np.asarray(out, dtype=np.float64)


# --- data ---------------------------------------------------------------------------------


def split_folder(shared: Path, split: str) -> Path:
    return shared / DATA / split / f"ru-en-{split}_x" / f"ru-en-{split}"


def read_split(shared: Path, split: str) -> tuple[list[dict[str, str]], list[str]]:
    """The DA rows of a split and the document id of each."""
    folder = split_folder(shared, split)
    table = folder / f"{split}.ruen.df.short.tsv"
    try:
        with table.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise TrainError(f"{table}: no column {', '.join(missing)}")
            rows = list(reader)
        ids = (folder / f"{split}.doc_ids").read_text(encoding="utf-8").splitlines()[1:]
    except OSError as err:
        raise TrainError(f"cannot read MLQE-PE {split}: {err}") from err
    if len(ids) != len(rows):
        raise TrainError(f"{folder}: {len(rows)} DA rows but {len(ids)} document ids")
    return rows, ids


def data_digest(shared: Path, split: str) -> str:
    table = split_folder(shared, split) / f"{split}.ruen.df.short.tsv"
    return hashlib.sha256(table.read_bytes()).hexdigest()


def code_digest() -> str:
    """A hash of what the features depend on: the package's code, word lists, glossary and
    lexical table (a cached feature file is reused only while all of them are unchanged)."""
    digest = hashlib.sha256()
    files = [*sorted((REPO / "aligner").rglob("*.py")), *sorted((REPO / "corpora").rglob("*")),
             REPO / "models" / "lexicon-ru-en.tsv.gz"]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def split_features(shared: Path, split: str, encoder: Any, cache: Path | None,
                   say: Any = print) -> SplitData:
    """Features of every pair of a split, as ``aligner.adequacy`` computes them at run time."""
    from aligner import __version__
    from aligner.adequacy import FEATURES, adequacy_features
    from aligner.check import check_pairs
    from aligner.checks import CheckContext, Pair

    key = hashlib.sha256(f"{__version__}|{FEATURES}|{data_digest(shared, split)}|"
                         f"{code_digest()}".encode()).hexdigest()[:16]
    cached = cache / f"adequacy-{split}-{key}.npz" if cache else None
    if cached is not None and cached.is_file():
        with np.load(cached) as data:
            return SplitData(data["rows"], data["products"], data["z"], data["points"])
    rows, ids = read_split(shared, split)
    began = time.perf_counter()
    texts = [r["original"] for r in rows] + [r["translation"] for r in rows]
    unique = list(dict.fromkeys(texts))
    matrix = np.asarray(encoder.encode(unique), dtype=np.float64)
    where = {t: i for i, t in enumerate(unique)}
    src = matrix[[where[r["original"]] for r in rows]]
    tgt = matrix[[where[r["translation"]] for r in rows]]
    say(f"{split}: encoded {len(unique)} texts in {time.perf_counter() - began:.1f} s")

    documents: dict[str, list[int]] = {}
    for k, doc in enumerate(ids):
        documents.setdefault(doc, []).append(k)
    context = CheckContext()
    feature_rows: list[NDArray[np.float64]] = [np.empty(0)] * len(rows)
    products: list[NDArray[np.float64]] = [np.empty(0)] * len(rows)
    for members in documents.values():
        pairs = tuple(Pair(i, rows[k]["original"].strip(), rows[k]["translation"].strip())
                      for i, k in enumerate(members))
        report = check_pairs(pairs, context=context)
        found = adequacy_features(report, vectors=(src[members], tgt[members]), context=context)
        for i, k in enumerate(members):
            feature_rows[k], products[k] = found.rows[i], found.products[i]
    try:
        z = np.array([float(r["z_mean"]) for r in rows])
        points = np.array([float(r["mean"]) for r in rows])
    except ValueError as err:
        raise TrainError(f"MLQE-PE {split}: a score is not a number ({err})") from err
    out = SplitData(np.vstack(feature_rows), np.vstack(products), z, points)
    say(f"{split}: {len(rows)} pairs in {len(documents)} documents, features in "
        f"{time.perf_counter() - began:.1f} s")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cached, rows=out.rows, products=out.products, z=out.z, points=out.points)
    return out


# --- statistics and fitting ---------------------------------------------------------------


def pearson(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    x, y = a - a.mean(), b - b.mean()
    return float(x @ y / np.sqrt((x @ x) * (y @ y)))


def ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks from 0, ties sharing their average rank."""
    order = np.argsort(values, kind="mergesort")
    position = np.empty(len(values))
    position[order] = np.arange(len(values))
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    return np.bincount(inverse, position)[inverse] / counts[inverse]


def spearman(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    return pearson(ranks(a), ranks(b))


def fit(data: SplitData, columns: Sequence[int], use_products: bool, row_penalty: float,
        product_penalty: float, signs: Sequence[int]) -> Fit:
    """Ridge on standardised features; weights of the wrong sign held at zero (active set).

    ``columns`` are the row features used (the others get weight 0); ``signs`` holds, per
    row feature, +1, -1 or 0 (free).
    """
    rows = data.rows
    mean = np.nanmean(rows, axis=0)
    rows = np.where(np.isnan(rows), mean, rows)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    parts = [((rows - mean) / scale)[:, list(columns)]]
    penalties = [np.full(len(columns), row_penalty)]
    p_mean = data.products.mean(axis=0)
    p_scale = data.products.std(axis=0)
    p_scale[p_scale == 0] = 1.0
    if use_products:
        parts.append((data.products - p_mean) / p_scale)
        penalties.append(np.full(data.products.shape[1], product_penalty))
    design = np.hstack(parts)
    penalty = np.concatenate(penalties)
    target = data.z - data.z.mean()
    gram = design.T @ design
    moment = design.T @ target
    free = np.ones(design.shape[1], dtype=bool)
    column_signs = np.zeros(design.shape[1])
    column_signs[:len(columns)] = [signs[c] for c in columns]
    while True:
        weights = np.zeros(design.shape[1])
        index = np.flatnonzero(free)
        weights[index] = np.linalg.solve(gram[np.ix_(index, index)] + np.diag(penalty[index]),
                                         moment[index])
        wrong = free & (weights * column_signs < 0)
        if not wrong.any():
            break
        free[wrong] = False  # hold at zero and refit
    row_weights = np.zeros(rows.shape[1])
    row_weights[list(columns)] = weights[:len(columns)]
    product_weights = weights[len(columns):] if use_products else np.zeros(0)
    return Fit(mean, scale, row_weights, p_mean, p_scale, product_weights,
               float(data.z.mean()))


def figures(model_fit: Fit, data: SplitData) -> tuple[float, float]:
    predicted = model_fit.predict(data.rows, data.products)
    return pearson(predicted, data.z), spearman(predicted, data.z)


def select(train: SplitData, dev: SplitData, signs: Sequence[int]
           ) -> tuple[float, float, list[dict[str, float]]]:
    """The penalties with the best mean of dev Pearson and Spearman, and the whole grid."""
    columns = range(train.rows.shape[1])
    grid = []
    for row_penalty in ROW_PENALTIES:
        for product_penalty in PRODUCT_PENALTIES:
            r, rho = figures(fit(train, columns, True, row_penalty, product_penalty, signs), dev)
            grid.append({"row_penalty": row_penalty, "product_penalty": product_penalty,
                         "pearson": round(r, 4), "spearman": round(rho, 4)})
    best = max(grid, key=lambda g: g["pearson"] + g["spearman"])
    return best["row_penalty"], best["product_penalty"], grid


def fold(model_fit: Fit, train: SplitData) -> dict[str, Any]:
    """The JSON layout ``aligner.adequacy.AdequacyModel.from_dict`` reads."""
    from aligner.adequacy import FEATURES, ROW_FEATURES

    product_weights = model_fit.product_weights / model_fit.product_scale
    weighted = train.products @ product_weights
    mean, scale, weights = {}, {}, {}
    for k, name in enumerate(ROW_FEATURES):
        mean[name] = float(model_fit.row_mean[k])
        scale[name] = float(model_fit.row_scale[k])
        weights[name] = float(model_fit.row_weights[k])
    # weight * (u - mean) / scale == u - mean: the products' own standardised sum
    mean["vector_profile"] = float(model_fit.product_mean @ product_weights)
    scale["vector_profile"] = max(float(weighted.std()), 1e-12)
    weights["vector_profile"] = scale["vector_profile"]
    return {
        "features": list(FEATURES),
        "mean": {n: round(mean[n], 8) for n in FEATURES},
        "scale": {n: round(scale[n], 8) for n in FEATURES},
        "weights": {n: round(weights[n], 8) for n in FEATURES},
        "intercept": round(model_fit.intercept, 8),
        "product_weights": [round(float(v), 8) for v in product_weights],
    }


def calibrate_points(predicted_z: NDArray[np.float64], points: NDArray[np.float64]
                     ) -> tuple[float, float]:
    """Least-squares line of the raters' 0-100 mean on the predicted z-score."""
    slope, intercept = np.polyfit(predicted_z, points, 1)
    return float(slope), float(intercept)


# --- command ------------------------------------------------------------------------------


def ensure_aligner_importable() -> None:
    if importlib.util.find_spec("aligner") is None:
        sys.path.insert(0, str(REPO))
    if importlib.util.find_spec("aligner.models") is None:
        raise TrainError(f"the aligner package is not installed; run `pip install -e .` in "
                         f"{REPO}", exit_code=2)


def check_shared(shared: Path, prog: str) -> str | None:
    """The one-line message when the MLQE-PE data is missing, else None."""
    if (shared / DATA).is_dir():
        return None
    return (f"{prog}: MLQE-PE ru-en not found at {shared / DATA} (the dev data lives in "
            "../shared beside the repository; pass --shared PATH)")


def load_both(shared: Path, cache: Path | None, say: Any) -> tuple[SplitData, SplitData, str]:
    from aligner.encoders import get_encoder

    encoder = get_encoder("use")
    train = split_features(shared, "train", encoder, cache, say)
    dev = split_features(shared, "dev", encoder, cache, say)
    return train, dev, encoder.name


def train(args: argparse.Namespace) -> int:
    from aligner import __version__
    from aligner.adequacy import ROW_FEATURES, AdequacyModel, PairFeatures
    from aligner.io.atomic import atomic_write

    def say(text: str) -> None:
        print(text, file=sys.stderr)

    train_data, dev_data, encoder_name = load_both(args.shared, args.cache, say)
    signs = [SIGNS.get(name, 0) for name in ROW_FEATURES]
    row_penalty, product_penalty, grid = select(train_data, dev_data, signs)
    model_fit = fit(train_data, range(len(ROW_FEATURES)), True, row_penalty, product_penalty,
                    signs)
    data = fold(model_fit, train_data)
    slope, intercept = calibrate_points(
        model_fit.predict(train_data.rows, train_data.products), train_data.points)
    data["points"] = {"slope": round(slope, 6), "intercept": round(intercept, 6)}
    data["encoder"] = encoder_name
    data["version"] = time.strftime("%Y%m%d")
    data["selected"] = {"row_penalty": row_penalty, "product_penalty": product_penalty,
                        "grid": grid}
    model = AdequacyModel.from_dict(data)
    dev_z = model.predict_z(model.matrix(PairFeatures(dev_data.rows, dev_data.products)))
    unfolded = model_fit.predict(dev_data.rows, dev_data.products)
    if not np.allclose(dev_z, unfolded, atol=1e-4):  # the fold must not change the model
        raise TrainError("the folded model predicts differently from the fitted one")
    dev_points = np.clip(model.points_intercept + model.points_slope * dev_z, 0, 100)
    dev_figures = {
        "pearson": round(pearson(dev_z, dev_data.z), 4),
        "spearman": round(spearman(dev_z, dev_data.z), 4),
        "points_mae": round(float(np.abs(dev_points - dev_data.points).mean()), 2),
    }
    data["dev"] = dev_figures
    data["provenance"] = {
        "data": "MLQE-PE ru-en direct assessments (CC0): train 7,000 pairs (fit), dev 1,000 "
                "(selection); target z_mean",
        "train_sha256": data_digest(args.shared, "train"),
        "dev_sha256": data_digest(args.shared, "dev"),
        "aligner": __version__,
        "command": "python scripts/train_adequacy.py",
    }
    print(f"selected penalties: named features {row_penalty:g}, vector products "
          f"{product_penalty:g}")
    held = [n for n, w in zip(ROW_FEATURES, model_fit.row_weights, strict=True)
            if w == 0 and SIGNS.get(n)]
    if held:
        print(f"held at zero by their sign constraint: {', '.join(held)}")
    print(f"baseline {model.baseline:.1f} points; points = {intercept:.2f} + {slope:.2f} * z")
    print(f"dev (n={len(dev_data.z)}): Pearson {dev_figures['pearson']:.4f}, Spearman "
          f"{dev_figures['spearman']:.4f}, mean absolute error {dev_figures['points_mae']:.2f} "
          "points on the 0-100 scale")
    if args.write:
        atomic_write(args.out, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {args.out}")
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="train_adequacy.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared data folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--out", type=Path, default=MODEL_PATH,
                        help=f"where to write the model (default: {MODEL_PATH})")
    parser.add_argument("--no-write", dest="write", action="store_false",
                        help="fit and print the figures, write nothing")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="keep the computed features in DIR and reuse them (keyed by "
                             "the data and a hash of the package's code and word lists)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    missing = check_shared(args.shared, "train_adequacy")
    if missing:
        print(missing, file=sys.stderr)
        return 2
    try:
        ensure_aligner_importable()
        from aligner.errors import AlignerError

        try:
            return train(args)
        except AlignerError as err:
            print(f"train_adequacy: {err}", file=sys.stderr)
            return err.exit_code
    except TrainError as err:
        print(f"train_adequacy: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
