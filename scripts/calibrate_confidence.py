"""Train the per-bead confidence model on dev gold and report how well it is calibrated.

    python scripts/calibrate_confidence.py                 # fit, report, write models/
    python scripts/calibrate_confidence.py --no-write      # report only

Data (../shared/data/align-dev and the UN devset, through scripts/bench_align.py's loaders):
every bead the aligner outputs on a dev document is an example, labelled 1 when the gold has
exactly that bead (strict match). Documents are split, never beads, so the held-back figures
are on documents the model never saw:

* fit on:   UN synthetic documents with an even number, MAC-Dev 001-003, Text+Berg;
* held back: UN synthetic documents with an odd number, MAC-Dev 004-006, OPUS Books val.

The UN documents are built with seed 13, as ``bench_align.py`` and ``train_beadscorer.py``
build them, so the held-back UN documents are the bead scorer's held-back ones too. The
beads come from the default search, learned second pass included (``models/beadscorer.json``):
retrain this after the bead scorer.

The model is a logistic regression over ``aligner.confidence.FEATURES`` (L2-regularised,
Newton's method in numpy: ten weights need nothing bigger). Reported on the held-back
documents: the reliability table (predicted vs observed accuracy in ten bins), the expected
calibration error (ECE, bin-weighted |accuracy - confidence|, Guo et al. 2017) and the
Brier score.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_align

from aligner.beadscore import BeadScorer
from aligner.confidence import FEATURES, bead_features
from aligner.encoders import get_encoder
from aligner.pipeline import AlignConfig, search_documents

REPO = Path(__file__).resolve().parents[1]
MODEL_PATH = REPO / "models" / "confidence.json"
L2 = 1e-2
#: The seed of the synthetic UN documents: the one bench_align.py and train_beadscorer.py use,
#: so that held-back UN documents are the bead scorer's held-back ones too.
SEED = 13


def held_back(name: str, set_name: str, position: int) -> bool:
    if set_name == "un":
        return position % 2 == 1
    if set_name == "mac":
        return position >= 3
    return set_name == "opus"


def collect(shared: Path, config: AlignConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         list[str]]:
    """Features, labels and held-back flags for every bead on every dev document."""
    encoder = get_encoder("use")
    scorer = BeadScorer.load() if config.rescore_band > 0 else None
    loaders = {"textberg": bench_align.load_textberg, "mac": bench_align.load_mac,
               "opus": bench_align.load_opus, "un": bench_align.load_un}
    rows, labels, held, names = [], [], [], []
    for set_name, load in loaders.items():
        for position, doc in enumerate(load(shared, SEED)):
            src, tgt = bench_align.to_documents(doc, paragraph_breaks=True)
            result, src_side, tgt_side, _ = search_documents(src, tgt, encoder, config, scorer)
            gold = set(doc.gold)
            feats = bead_features(result, src_side.lengths, tgt_side.lengths)
            for raw, feat in zip(result.beads, feats, strict=True):
                bead = (tuple(range(raw.src_start, raw.src_end)),
                        tuple(range(raw.tgt_start, raw.tgt_end)))
                rows.append(feat)
                labels.append(1.0 if bead in gold else 0.0)
                held.append(held_back(doc.name, set_name, position))
                names.append(set_name)
    return np.array(rows), np.array(labels), np.array(held), names


def fit(x: np.ndarray, y: np.ndarray, iterations: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2 * len(y))
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> tuple[list[tuple[str, int,
                                                                                  float, float]],
                                                                       float]:
    """Rows (bin, count, mean confidence, accuracy) and the expected calibration error."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if not mask.any():
            continue
        conf, acc = float(p[mask].mean()), float(y[mask].mean())
        ece += mask.mean() * abs(acc - conf)
        table.append((f"{edges[b]:.1f}-{edges[b + 1]:.1f}", int(mask.sum()), conf, acc))
    return table, float(ece)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--no-write", action="store_true", help="report only")
    args = parser.parse_args()
    if not (args.shared / "data" / "align-dev").is_dir():
        print(f"calibrate_confidence: no dev data under {args.shared} (see ../shared/README.md)")
        return 2
    started = time.perf_counter()
    x, y, held, names = collect(args.shared, AlignConfig())
    train = ~held
    w = fit(x[train], y[train])
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
    print(f"beads: {train.sum()} to fit, {held.sum()} held back "
          f"({time.perf_counter() - started:.0f} s)")
    for label, mask in (("held back, all", held),
                        *((f"held back, {s}", held & (np.array(names) == s))
                          for s in ("un", "mac", "opus"))):
        if not mask.any():
            continue
        table, ece = reliability(p[mask], y[mask])
        brier = float(np.mean((p[mask] - y[mask]) ** 2))
        print(f"\n{label}: {mask.sum()} beads, accuracy {y[mask].mean():.3f}, "
              f"mean confidence {p[mask].mean():.3f}, ECE {ece:.4f}, Brier {brier:.4f}")
        if label == "held back, all":
            print(f"  {'bin':<8} {'beads':>6} {'confidence':>11} {'accuracy':>9}")
            for name, count, conf, acc in table:
                print(f"  {name:<8} {count:>6} {conf:>11.3f} {acc:>9.3f}")
    print("\nweights: " + ", ".join(f"{k}={v:+.3f}" for k, v in zip(FEATURES, w, strict=True)))
    if not args.no_write:
        _, ece = reliability(p[held], y[held])
        model = {
            "version": time.strftime("%Y%m%d"),
            "features": list(FEATURES),
            "weights": {k: round(float(v), 6) for k, v in zip(FEATURES, w, strict=True)},
            "trained_on": "UN synthetic (even, seed 13), MAC-Dev 001-003, Text+Berg dev",
            "held_back_ece": round(ece, 4),
            "command": "python scripts/calibrate_confidence.py",
        }
        MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
