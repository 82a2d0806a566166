"""Adequacy benchmark: correlation with human judgements, the gain of each feature group, speed.

    python scripts/bench_quality.py                         # everything
    python scripts/bench_quality.py --cache /tmp/adq-cache  # reuse train_adequacy.py features
    python scripts/bench_quality.py --markdown > note.md    # tables for an issue note
    python scripts/bench_quality.py --json out.json --no-speed

Needs ``../shared/data/quality-dev/mlqe-pe-ru-en`` (``--shared PATH`` elsewhere); without it
it says so in one line and exits 2.

* **Correlation**: Pearson and Spearman of the shipped model's predictions
  (``models/adequacy.json``, or ``--model PATH``) with the human DA ``z_mean`` on the MLQE-PE
  ru-en dev split (1,000 pairs). Target: both at least 0.55; for reference, OpenKiwi
  (predictor-estimator) reached 0.548 Pearson on the test split of WMT20 QE task 1 and the
  best 2020 system, a fine-tuned XLM-R large, 0.773. The penalties were chosen on this same
  dev split (``scripts/train_adequacy.py``), so the figures are a little optimistic.
* **Ablation**: the model refitted on train with the shipped penalties and sign constraints,
  without one feature group (drop-one; gain = full minus without) and with that group alone
  (add-one from nothing), scored on dev.
* **UN devset** (``--no-un`` skips it): MLQE-PE is Reddit posts and proverbs run through MT,
  not diplomatic prose, so the model is also run on UN v1.0 devset lines 1-250 (human
  translations): their scores, the same Russian paired with the next English line (a slipped
  alignment), and the English with its first number raised by 7.
* **Speed** (``--no-speed`` skips it): ``adequacy_scores`` on aligned documents, the encoder
  already loaded and the checks already run (as ``aligner score`` calls it): the demo pair and
  UN v1.0 devset lines 1-250 aligned as one document.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_adequacy
from train_adequacy import DEFAULT_SHARED, REPO, SIGNS, TrainError

TARGET = 0.55
REFERENCES = (
    ("OpenKiwi predictor-estimator (WMT20 QE task 1 ru-en test, published)", 0.548),
    ("best WMT20 system, fine-tuned XLM-R large (test, published)", 0.773),
)
UN_SENTENCES = 250


def correlation(args: argparse.Namespace, train: Any, dev: Any) -> dict[str, Any]:
    from aligner.adequacy import ROW_FEATURES, AdequacyModel, PairFeatures

    model = AdequacyModel.load(args.model)
    z = model.predict_z(model.matrix(PairFeatures(dev.rows, dev.products)))
    cosine = dev.rows[:, ROW_FEATURES.index("cosine")]
    return {
        "model_version": model.version,
        "n": len(dev.z),
        "pearson": round(train_adequacy.pearson(z, dev.z), 4),
        "spearman": round(train_adequacy.spearman(z, dev.z), 4),
        "cosine_pearson": round(train_adequacy.pearson(cosine, dev.z), 4),
        "cosine_spearman": round(train_adequacy.spearman(cosine, dev.z), 4),
    }


def ablation(args: argparse.Namespace, train: Any, dev: Any) -> list[dict[str, Any]]:
    from aligner.adequacy import GROUPS, ROW_FEATURES

    data = json.loads((args.model or REPO / "models" / "adequacy.json").read_text("utf-8"))
    row_penalty = float(data["selected"]["row_penalty"])
    product_penalty = float(data["selected"]["product_penalty"])
    signs = [SIGNS.get(name, 0) for name in ROW_FEATURES]

    def score(columns: Sequence[int], products: bool) -> tuple[float, float]:
        if not columns and not products:
            return float("nan"), float("nan")
        fitted = train_adequacy.fit(train, columns, products, row_penalty, product_penalty,
                                    signs)
        return train_adequacy.figures(fitted, dev)

    everything = range(len(ROW_FEATURES))
    full = score(everything, True)
    rows = [{"group": "all groups", "features": len(ROW_FEATURES) + 1,
             "without_pearson": None, "without_spearman": None,
             "gain_pearson": None, "gain_spearman": None,
             "alone_pearson": round(full[0], 4), "alone_spearman": round(full[1], 4)}]
    for group, names in GROUPS:
        products = group == "vector_profile"
        columns = [ROW_FEATURES.index(n) for n in names if n in ROW_FEATURES]
        rest = [c for c in everything if c not in columns]
        without = score(rest, not products)
        alone = score(columns, products)
        rows.append({
            "group": group,
            "features": len(names),
            "without_pearson": round(without[0], 4),
            "without_spearman": round(without[1], 4),
            "gain_pearson": round(full[0] - without[0], 4),
            "gain_spearman": round(full[1] - without[1], 4),
            "alone_pearson": round(alone[0], 4),
            "alone_spearman": round(alone[1], 4),
        })
    return rows


def speed(args: argparse.Namespace) -> list[dict[str, Any]]:
    from aligner.adequacy import AdequacyModel, adequacy_scores
    from aligner.check import check_pairs, pairs_from_alignment
    from aligner.checks import CheckContext
    from aligner.encoders import get_encoder
    from aligner.pipeline import align_documents
    from aligner.read import make_document, read_document

    encoder = get_encoder("use")
    model = AdequacyModel.load(args.model)
    demo = REPO / "corpora" / "demo"
    un = args.shared / "data" / "parallel" / "un-v1-devset"
    cases = [("demo pair", read_document(demo / "comment.ru.txt", "ru"),
              read_document(demo / "comment.en.txt", "en"))]
    un_ru = (un / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()[:UN_SENTENCES]
    un_en = (un / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[:UN_SENTENCES]
    cases.append((f"UN devset lines 1-{UN_SENTENCES}",
                  make_document("\n".join(un_ru), "ru", presplit=True),
                  make_document("\n".join(un_en), "en", presplit=True)))
    out = []
    for name, src, tgt in cases:
        alignment = align_documents(src, tgt, encoder=encoder)
        context = CheckContext()  # shared by the checks and adequacy, as in aligner score
        report = check_pairs(pairs_from_alignment(alignment), context=context)
        runs, encodes = [], []
        texts = sorted({p.src for p in report.pairs if not p.is_null}
                       | {p.tgt for p in report.pairs if not p.is_null})
        for _ in range(3):
            began = time.perf_counter()
            adequacy_scores(report, encoder=encoder, context=context, model=model)
            runs.append(time.perf_counter() - began)
            began = time.perf_counter()
            encoder.encode(texts)
            encodes.append(time.perf_counter() - began)
        out.append({"document": name, "beads": len(report.pairs), "texts": len(texts),
                    "adequacy_s": round(min(runs), 3), "encode_s": round(min(encodes), 3)})
    return out


def un_sanity(args: argparse.Namespace) -> dict[str, Any]:
    """Faithful UN pairs against the same pairs damaged: in the domain the tool is for."""
    import re

    from aligner.adequacy import FEATURES, AdequacyModel, adequacy_features
    from aligner.check import check_pairs
    from aligner.checks import CheckContext, Pair
    from aligner.encoders import get_encoder

    model = AdequacyModel.load(args.model)
    encoder = get_encoder("use")
    context = CheckContext()
    un = args.shared / "data" / "parallel" / "un-v1-devset"
    ru = (un / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()[:UN_SENTENCES]
    en = (un / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[:UN_SENTENCES]

    def scored(pairs: list[tuple[str, str]]) -> Any:
        report = check_pairs([Pair(k, a, b) for k, (a, b) in enumerate(pairs)],
                             context=context)
        matrix = model.matrix(adequacy_features(report, encoder=encoder, context=context))
        scores = np.array([model.explain(row).score for row in matrix])
        return scores, matrix

    good, good_m = scored(list(zip(ru, en, strict=True)))
    shifted, shifted_m = scored(list(zip(ru[:-1], en[1:], strict=True)))
    changed = [(k, re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7), e, count=1))
               for k, e in enumerate(en)]
    changed = [(k, e) for k, e in changed if e != en[k]]
    damaged, _ = scored([(ru[k], e) for k, e in changed])
    before = good[[k for k, _ in changed]]
    at = {name: FEATURES.index(name) for name in ("cosine", "vector_profile")}
    return {
        "pairs": len(good),
        "faithful_mean": round(float(good.mean()), 1),
        "faithful_p10": round(float(np.percentile(good, 10)), 1),
        "shifted_mean": round(float(shifted.mean()), 1),
        "auc_model": round(auc(good, shifted), 4),
        "auc_cosine": round(auc(good_m[:, at["cosine"]], shifted_m[:, at["cosine"]]), 4),
        "auc_vector_profile": round(auc(good_m[:, at["vector_profile"]],
                                        shifted_m[:, at["vector_profile"]]), 4),
        "number_changed": len(changed),
        "number_changed_lower": round(float((damaged < before).mean()), 4),
        "number_changed_drop": round(float((before - damaged).mean()), 1),
    }


def auc(positive: Any, negative: Any) -> float:
    """P(a positive scores above a negative), ties counting half."""
    above = (positive[:, None] > negative[None, :]).mean()
    tied = (positive[:, None] == negative[None, :]).mean()
    return float(above + tied / 2)


def render(report: dict[str, Any], *, markdown: bool, width: int) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, highlight=False, emoji=False, soft_wrap=True)

    def table(title: str, columns: Sequence[str]) -> Any:
        console.print(f"**{title}**" if markdown else f"[bold]{title}[/bold]")
        out = Table(box=box.MARKDOWN if markdown else box.SIMPLE_HEAD, pad_edge=markdown)
        for number, column in enumerate(columns):
            out.add_column(column, justify="left" if number == 0 else "right", no_wrap=True)
        return out

    def cell(value: float | None, signed: bool = False) -> str:
        if value is None or value != value:  # None or NaN
            return "–"
        return f"{value:+.4f}" if signed else f"{value:.4f}"

    meta = report["meta"]
    console.print(f"bench_quality  {meta['date']}  {meta['machine']}, load average at start "
                  f"{meta['load_average_at_start']:.2f}")
    corr = report["correlation"]
    console.print(f"model: adequacy {corr['model_version']}")
    console.print()
    out = table(f"Correlation with human DA z_mean, MLQE-PE ru-en dev (n={corr['n']})",
                ("predictor", "Pearson", "Spearman"))
    out.add_row("adequacy model", cell(corr["pearson"]), cell(corr["spearman"]))
    out.add_row("USE cosine alone", cell(corr["cosine_pearson"]), cell(corr["cosine_spearman"]))
    for name, value in REFERENCES:
        out.add_row(name, cell(value), "–")
    console.print(out)
    verdict = "met" if min(corr["pearson"], corr["spearman"]) >= TARGET else "NOT met"
    console.print(f"target: Pearson and Spearman >= {TARGET}: {verdict}")
    console.print()
    if report.get("ablation"):
        out = table("Feature groups (refitted on train, scored on dev)",
                    ("group", "features", "Pearson without", "gain", "Spearman without",
                     "gain", "Pearson alone", "Spearman alone"))
        for row in report["ablation"]:
            out.add_row(row["group"], str(row["features"]), cell(row["without_pearson"]),
                        cell(row["gain_pearson"], True), cell(row["without_spearman"]),
                        cell(row["gain_spearman"], True), cell(row["alone_pearson"]),
                        cell(row["alone_spearman"]))
        console.print(out)
        console.print()
    if report.get("un"):
        un = report["un"]
        out = table(f"UN devset lines 1-{un['pairs']}: faithful pairs against damaged ones",
                    ("measure", "value"))
        out.add_row("mean score, faithful pairs", f"{un['faithful_mean']:.1f}")
        out.add_row("10th percentile, faithful pairs", f"{un['faithful_p10']:.1f}")
        out.add_row("mean score, Russian i with English i+1", f"{un['shifted_mean']:.1f}")
        out.add_row("AUC faithful vs shifted: model", f"{un['auc_model']:.4f}")
        out.add_row("AUC faithful vs shifted: cosine alone", f"{un['auc_cosine']:.4f}")
        out.add_row("AUC faithful vs shifted: vector_profile alone",
                    f"{un['auc_vector_profile']:.4f}")
        out.add_row(f"first number + 7 ({un['number_changed']} pairs): share scored lower",
                    f"{un['number_changed_lower']:.4f}")
        out.add_row("first number + 7: mean drop in points", f"{un['number_changed_drop']:.1f}")
        console.print(out)
        console.print()
    if report.get("speed"):
        out = table("adequacy_scores on an aligned document (encoder loaded, checks run)",
                    ("document", "beads", "distinct texts", "adequacy s", "of which encoding s"))
        for row in report["speed"]:
            out.add_row(row["document"], str(row["beads"]), str(row["texts"]),
                        f"{row['adequacy_s']:.3f}", f"{row['encode_s']:.3f}")
        console.print(out)
        console.print("best of 3; the lexical table and morphology were loaded by the checks "
                      "(the CheckContext is shared, as in aligner score)")


def run(args: argparse.Namespace) -> int:
    missing = train_adequacy.check_shared(args.shared, "bench_quality")
    if missing:
        print(missing, file=sys.stderr)
        return 2
    train_adequacy.ensure_aligner_importable()
    from aligner.errors import AlignerError

    try:
        return bench(args)
    except AlignerError as err:
        print(f"bench_quality: {err}", file=sys.stderr)
        return err.exit_code


def bench(args: argparse.Namespace) -> int:
    from aligner.adequacy import AdequacyModel

    AdequacyModel.load(args.model)  # a bad model file fails here, before any work

    def say(text: str) -> None:
        print(text, file=sys.stderr)

    report: dict[str, Any] = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
    }}
    train, dev, _ = train_adequacy.load_both(args.shared, args.cache, say)
    report["correlation"] = correlation(args, train, dev)
    if args.ablation:
        report["ablation"] = ablation(args, train, dev)
    if args.un:
        report["un"] = un_sanity(args)
    if args.speed:
        report["speed"] = speed(args)
    render(report, markdown=args.markdown, width=args.width)
    if args.json:
        from aligner.io.atomic import atomic_write

        atomic_write(args.json, json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench_quality.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared data folder (default: {DEFAULT_SHARED})")
    parser.add_argument("--model", type=Path, default=None, metavar="PATH",
                        help="an adequacy model file (default: the shipped one)")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="reuse (and keep) computed features, as train_adequacy.py does")
    parser.add_argument("--no-ablation", dest="ablation", action="store_false",
                        help="skip the feature-group table")
    parser.add_argument("--no-un", dest="un", action="store_false",
                        help="skip the UN devset check (faithful against damaged pairs)")
    parser.add_argument("--no-speed", dest="speed", action="store_false",
                        help="skip the timing of adequacy_scores")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="also write every figure to PATH as JSON")
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables as Markdown (for an issue note)")
    parser.add_argument("--width", type=int, default=130, help="table width (default: 130)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except TrainError as err:
        print(f"bench_quality: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
