"""Divergence-checker benchmark: false alarms, planted recall, real errors and speed.

Needs the data in ``../shared`` (``--shared PATH`` elsewhere); without it, it says so in one
line and exits 2. Four sections:

1. **Clean pairs** — false findings per 100 UN v1.0 devset pairs (official translations,
   assumed correct), per check and in total, and for major+critical alone. By default the
   held-out half, lines 2001-4000 (developers tune on 1-2000; ``--split dev|test|all``).
   Pairs are checked document by document (grouped by the ``.ids`` document symbol, in
   paragraph order), so document-level checks see real neighbours. Confidence 0.95.
2. **Planted divergences** — the same pairs with one edit each from ``plant.py`` (negation,
   number, date, entity, clause omission, added clause, deprecated term). A planted pair is
   caught when the kind's check reports a finding on it that the unplanted pair did not have.
3. **Real errors** — WMT 2021 MQM annotations of English->Russian MT (news and TED): per
   check, precision and recall against the annotated categories it covers.
4. **Speed** — checks per pair, and the time of ``check_alignment`` against the time of
   ``align_files`` on the demo pair and on a ~300-sentence UN document, in this process
   (encoder loaded once) and as cold ``aligner align`` / ``aligner check`` runs (wall and
   CPU seconds, median of three; ``--no-cli`` skips the latter).

Examples::

    python scripts/bench_divergence.py                       # everything, held-out half
    python scripts/bench_divergence.py --split dev --show 10 # tuning half, more examples
    python scripts/bench_divergence.py --sections clean,planted --checks numbers,dates
    python scripts/bench_divergence.py --json bench-out/divergence.json
    python scripts/bench_divergence.py --plant-max 150 --mqm-max 4000   # a quicker run

The whole run takes about 3 minutes of CPU (most of it the MQM section's 16,000 segments, the
planted pairs and the 300-sentence alignment); on shared cores the wall time grows with the
load, which the speed section reports.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import plant
from plant import Planted

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_CANDIDATES = (REPO_ROOT.parent / "shared", Path("/work/shared"))
SECTIONS = ("clean", "planted", "mqm", "speed")
SPLITS = {"dev": (0, 2000), "test": (2000, 4000), "all": (0, 4000)}

#: Confidence given to every benchmark pair: they are correct pairs, so weak_pair (which
#: reports low aligner confidence) must not fire on them.
PAIR_CONFIDENCE = 0.95

#: Targets from the brief: false findings per 100 clean pairs, recall per planted kind,
#: check time / align time.
TARGET_CLEAN_TOTAL = 3.0
TARGET_CLEAN_MAJOR = 1.0
TARGET_RECALL = {"negation": 0.9, "number": 0.95, "date": 0.95, "entity": 0.8,
                 "omission": 0.7, "deprecated_term": 0.95}
TARGET_SPEED_RATIO = 0.30

#: The check expected to catch each planted kind, and the category its finding must have
#: (None: any category of that check).
KIND_CHECKS: dict[str, tuple[str, str | None]] = {
    "negation": ("polarity", None),
    "number": ("numbers", None),
    "date": ("dates", None),
    "entity": ("entities", None),
    "omission": ("omission", "Accuracy/Omission"),
    "addition": ("omission", "Accuracy/Addition"),
    "deprecated_term": ("terminology", None),
}
KIND_TITLES = {"negation": "negation flip", "number": "number change", "date": "date change",
               "entity": "entity swap", "omission": "clause omission",
               "addition": "added clause", "deprecated_term": "deprecated term"}

#: Below this many UN pairs with a glossary term to substitute, template pairs are added.
MIN_TERM_PAIRS = 30

#: WMT 2021 en-ru MQM categories (the Unbabel typology used by those annotations) mapped to
#: our categories. The mapping is ours: "Lexical Selection" is the typology's wrong-word
#: category and so stands for both mistranslation and terminology; grammar, spelling and
#: other fluency categories (Declension, Agreement ..., Tense_Mood_Aspect, Word Order,
#: Omitted Preposition/Pronoun/Conjunction/Auxiliary) map to nothing.
MQM_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Lexical Selection": ("Accuracy/Mistranslation", "Terminology"),
    "Overly Literal": ("Accuracy/Mistranslation",),
    "Ambiguous Translation": ("Accuracy/Mistranslation",),
    "MT Hallucination": ("Accuracy/Mistranslation", "Accuracy/Addition"),
    "Wrong Unit Conversion": ("Accuracy/Mistranslation", "Locale convention"),
    "Wrong Date/Time": ("Accuracy/Mistranslation", "Locale convention"),
    "Other POS omitted": ("Accuracy/Omission",),
    "Addition": ("Accuracy/Addition",),
    "Duplication": ("Accuracy/Addition",),
    "Untranslated": ("Accuracy/Untranslated",),
    "Named Entity": ("Named entity",),
    "Wrong Transliteration": ("Named entity",),
    "Shouldn't be transliterated": ("Named entity",),
    "Shouldn't have been translated": ("Named entity",),
    "Inconsistency": ("Terminology",),
    "Punctuation": ("Locale convention",),
}
MQM_SETS = {
    "news": "en-ru-train-2021-news/mqm-newstest2021_enru.tsv",
    "ted": "en-ru-train-2021-ted/mqm-ted_enru.tsv",
}
_MQM_MARK = re.compile(r"</?v>")

#: Sentences per paragraph in the UN speed document, and its size.
SPEED_PARAGRAPH = 5
SPEED_SENTENCES = 300
SPEED_REPEATS = 3
#: Encoder threads in the speed section (``--threads`` of the CLI runs).
SPEED_THREADS = 1
#: Alignments slower than this are timed once, not ``SPEED_REPEATS`` times.
SPEED_REPEAT_UNDER_S = 5.0
WARM_UP = ["Загрузка модели.", "Loading the model."]


class BenchError(Exception):
    """A problem with the bench's inputs or setup; printed as one line."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


# --- Data --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnPair:
    """One line of the UN devset: 0-based line, document symbol, place in the document."""

    line: int
    doc: str
    position: tuple[int, int]
    ru: str
    en: str


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise BenchError(f"missing data file {path}") from err


def load_un(shared: Path, split: str) -> list[UnPair]:
    folder = shared / "data" / "parallel" / "un-v1-devset"
    ru = _read_lines(folder / "UNv1.0.devset.ru")
    en = _read_lines(folder / "UNv1.0.devset.en")
    ids = _read_lines(folder / "UNv1.0.devset.ids")
    if not len(ru) == len(en) == len(ids):
        raise BenchError(f"{folder}: .ru, .en and .ids differ in length "
                         f"({len(ru)}, {len(en)}, {len(ids)})")
    start, end = SPLITS[split]
    out = []
    for line in range(start, min(end, len(ru))):
        fields = ids[line].split()
        position = (0, line)
        for item in fields[1:]:
            lang, _, rest = item.partition(":")
            if lang == "ru":
                para, _, sent = rest.partition(":")
                position = (int(para), int(sent)) if para.isdigit() and sent.isdigit() \
                    else position
        out.append(UnPair(line, fields[0] if fields else "?", position, ru[line].strip(),
                          en[line].strip()))
    return out


def un_groups(pairs: Sequence[UnPair]) -> dict[int, list[int]]:
    """For each line, the lines of its document in paragraph order (itself included)."""
    by_doc: dict[str, list[UnPair]] = defaultdict(list)
    for pair in pairs:
        by_doc[pair.doc].append(pair)
    groups: dict[int, list[int]] = {}
    for members in by_doc.values():
        lines = [p.line for p in sorted(members, key=lambda p: (p.position, p.line))]
        for line in lines:
            groups[line] = lines
    return groups


@dataclass(frozen=True, slots=True)
class MqmSegment:
    """One annotated MT output: English source, Russian translation, annotated errors."""

    key: tuple[str, str, str, int]  # set, system, document, segment number
    en: str
    ru: str
    errors: tuple[tuple[str, str], ...]  # (category, severity), "No-error" left out

    @property
    def categories(self) -> set[str]:
        """Our categories this segment has an annotated error in."""
        return {ours for category, _ in self.errors for ours in MQM_CATEGORIES.get(category, ())}


def load_mqm(shared: Path) -> list[MqmSegment]:
    folder = shared / "data" / "divergence-dev" / "wmt-qe-en-ru" / "mqm-2021-extracted"
    segments: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for name, relative in MQM_SETS.items():
        path = folder / relative
        try:
            handle = path.open(encoding="utf-8", newline="")
        except FileNotFoundError as err:
            raise BenchError(f"missing data file {path}") from err
        with handle:
            reader = csv.reader(handle, delimiter="\t")
            header = next(reader, [])
            wanted = ("system", "doc", "doc_id", "source", "target", "category", "severity")
            if any(column not in header for column in wanted):
                raise BenchError(f"{path}: expected columns {', '.join(wanted)}, found "
                                 f"{', '.join(header)}")
            col = {column: header.index(column) for column in wanted}
            for number, row in enumerate(reader, start=2):
                if len(row) != len(header):
                    raise BenchError(f"{path}, line {number}: {len(row)} fields, expected "
                                     f"{len(header)}")
                key = (name, row[col["system"]], row[col["doc"]], int(row[col["doc_id"]]))
                segment = segments.setdefault(key, {
                    "en": row[col["source"]].strip(),
                    "ru": _MQM_MARK.sub("", row[col["target"]]).strip(),
                    "errors": [],
                })
                if row[col["category"]] != "No-error":
                    segment["errors"].append((row[col["category"]], row[col["severity"]]))
    return [MqmSegment(key, s["en"], s["ru"], tuple(s["errors"]))
            for key, s in sorted(segments.items())]


# --- Running the checks ------------------------------------------------------------------------


@dataclass
class CheckRunner:
    """Runs each selected check on a group of pairs, one check at a time, with one shared
    context (lists and morphology load once), timing each check. A check that raises is
    recorded and skipped for that group, so one broken check does not end the run."""

    names: list[str]
    context: Any
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    errors: dict[str, list[str]] = field(default_factory=dict)

    def run(self, texts: Sequence[tuple[str, str]]) -> list[list[Any]]:
        from aligner.check import check_pairs
        from aligner.checks import Pair

        pairs = tuple(Pair(k, src, tgt, confidence=PAIR_CONFIDENCE)
                      for k, (src, tgt) in enumerate(texts))
        out: list[list[Any]] = [[] for _ in pairs]
        for name in self.names:
            started = time.perf_counter()
            try:
                report = check_pairs(pairs, include=[name], context=self.context)
            except Exception as err:  # reported per check, not fatal
                self.errors.setdefault(name, []).append(f"{type(err).__name__}: {err}")
                continue
            finally:
                self.seconds[name] += time.perf_counter() - started
            for finding in report.findings:
                if 0 <= finding.pair_index < len(out):
                    out[finding.pair_index].append(finding.divergence)
        return out


def base_name(check: str) -> str:
    return check.split(".v")[0]


def _major(divergence: Any) -> bool:
    return bool(divergence.severity.rank >= 1)


def _fingerprint(divergence: Any) -> tuple[str, str, str]:
    return (divergence.check, str(divergence.category), divergence.message)


def new_findings(planted: Sequence[Any], original: Sequence[Any]) -> list[Any]:
    """Findings on the planted pair that the original pair did not have (same check,
    category and message count as the same finding)."""
    left = Counter(_fingerprint(d) for d in original)
    out = []
    for divergence in planted:
        key = _fingerprint(divergence)
        if left[key]:
            left[key] -= 1
        else:
            out.append(divergence)
    return out


def _excerpt(text: str, spans: Sequence[tuple[int, int]], width: int = 220) -> str:
    """``text`` cut to about ``width`` characters around its first span."""
    if len(text) <= width:
        return text
    centre = spans[0][0] if spans else 0
    start = max(0, min(centre - width // 3, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + \
        ("…" if start + width < len(text) else "")


def _changed_at(before: str, after: str) -> tuple[tuple[int, int], ...]:
    """Where ``after`` first differs from ``before`` (as a one-character span), or ()."""
    if before == after:
        return ()
    at = next((k for k, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
              min(len(before), len(after)))
    return ((at, at + 1),)


def example(where: str, src: str, tgt: str, divergence: Any | None = None,
            note: str | None = None, *, src_focus: Sequence[tuple[int, int]] = (),
            tgt_focus: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """One example for the report: where, the finding (if any), and both sides cut around
    the finding's spans (or around ``src_focus``/``tgt_focus``)."""
    out: dict[str, Any] = {"where": where}
    if divergence is not None:
        out |= {
            "check": divergence.check, "severity": str(divergence.severity),
            "category": str(divergence.category), "message": divergence.message,
            "suggestion": divergence.suggestion,
            "src_spans": [src[a:b] for a, b in divergence.src_spans],
            "tgt_spans": [tgt[a:b] for a, b in divergence.tgt_spans],
        }
    if note is not None:
        out["note"] = note
    out["ru"] = _excerpt(src, divergence.src_spans if divergence is not None else src_focus)
    out["en"] = _excerpt(tgt, divergence.tgt_spans if divergence is not None else tgt_focus)
    return out


# --- 1. Clean pairs ----------------------------------------------------------------------------


def run_clean(runner: CheckRunner, un: Sequence[UnPair],
              groups: dict[int, list[int]]) -> dict[int, list[Any]]:
    """Findings per UN line, running every document group once."""
    by_line = {p.line: p for p in un}
    findings: dict[int, list[Any]] = {}
    done: set[int] = set()
    for pair in un:
        if pair.line in done:
            continue
        lines = groups[pair.line]
        results = runner.run([(by_line[k].ru, by_line[k].en) for k in lines])
        for line, divergences in zip(lines, results, strict=True):
            findings[line] = divergences
        done.update(lines)
    return findings


def clean_figures(runner: CheckRunner, un: Sequence[UnPair], findings: dict[int, list[Any]],
                  seconds: dict[str, float], show: int, seed: int) -> dict[str, Any]:
    n = len(un)
    by_line = {p.line: p for p in un}
    per_check: dict[str, dict[str, Any]] = {}
    rng = random.Random(f"{seed}:clean-examples")
    for name in runner.names:
        hits = [(line, d) for line in sorted(findings) for d in findings[line]
                if d.check == name]
        major = [(line, d) for line, d in hits if _major(d)]
        chosen = sorted(rng.sample(hits, min(show, len(hits))),
                        key=lambda item: (-item[1].severity.rank, item[0]))
        per_check[name] = {
            "findings": len(hits),
            "major_critical": len(major),
            "pairs_flagged": len({line for line, _ in hits}),
            "per_100": 100 * len(hits) / n if n else 0.0,
            "major_critical_per_100": 100 * len(major) / n if n else 0.0,
            "ms_per_pair": 1000 * seconds.get(name, 0.0) / n if n else 0.0,
            "errors": len(runner.errors.get(name, ())),
            "examples": [example(f"line {line + 1}", by_line[line].ru, by_line[line].en, d)
                         for line, d in chosen],
        }
    total = sum(c["findings"] for c in per_check.values())
    major = sum(c["major_critical"] for c in per_check.values())
    total_s = sum(seconds.get(name, 0.0) for name in runner.names)
    return {
        "pairs": n,
        "checks": per_check,
        "total": {
            "findings": total,
            "major_critical": major,
            "pairs_flagged": sum(1 for line in findings if findings[line]),
            "per_100": 100 * total / n if n else 0.0,
            "major_critical_per_100": 100 * major / n if n else 0.0,
            "seconds": total_s,
            "pairs_per_s": n / total_s if total_s else None,
        },
        "targets": {"per_100": TARGET_CLEAN_TOTAL,
                    "major_critical_per_100": TARGET_CLEAN_MAJOR},
    }


# --- 2. Planted divergences --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlantCase:
    """One planted pair: where it came from (its document group and position) and the
    findings of the unplanted original there."""

    planted: Planted
    where: str
    group: tuple[tuple[str, str], ...]
    position: int
    original: tuple[Any, ...]


def build_planters(un: Sequence[UnPair], substitutions: Sequence[plant.TermSubstitution]
                   ) -> dict[str, Callable[[str, str, random.Random], Planted | None]]:
    from aligner.morph import Morphology

    is_ru_verb = plant.make_ru_verb_test()
    morph = Morphology()
    donors = [p.en for p in un]
    return {
        "negation": lambda s, t, r: plant.plant_negation(s, t, r, is_ru_verb=is_ru_verb),
        "number": plant.plant_number,
        "date": plant.plant_date,
        "entity": plant.plant_entity,
        "omission": plant.plant_omission,
        "addition": lambda s, t, r: plant.plant_addition(s, t, r, donors),
        "deprecated_term": lambda s, t, r: plant.plant_deprecated_term(
            s, t, r, substitutions, morph.ru_lemma),
    }


def plant_cases(kind: str, planter: Callable[[str, str, random.Random], Planted | None],
                un: Sequence[UnPair], groups: dict[int, list[int]],
                clean: dict[int, list[Any]], limit: int, seed: int) -> tuple[list[PlantCase],
                                                                              int]:
    """Up to ``limit`` planted UN pairs of one kind (pairs taken in a seeded order), and how
    many pairs the kind could be planted in."""
    by_line = {p.line: p for p in un}
    order = [p.line for p in un]
    random.Random(f"{seed}:order:{kind}").shuffle(order)
    cases: list[PlantCase] = []
    applicable = 0
    for line in order:
        pair = by_line[line]
        planted = planter(pair.ru, pair.en, random.Random(f"{seed}:{kind}:{line}"))
        if planted is None:
            continue
        applicable += 1
        if len(cases) < limit:
            lines = groups[line]
            cases.append(PlantCase(
                planted, f"line {line + 1}",
                tuple((by_line[k].ru, by_line[k].en) for k in lines), lines.index(line),
                tuple(clean[line]),
            ))
    return cases, applicable


def template_cases(runner: CheckRunner, substitutions: Sequence[plant.TermSubstitution],
                   planter: Callable[[str, str, random.Random], Planted | None],
                   seed: int) -> list[PlantCase]:
    """Deprecated-term cases built from glossary entries put into template sentences."""
    cases = []
    for k, (src, tgt) in enumerate(plant.template_pairs(substitutions)):
        planted = planter(src, tgt, random.Random(f"{seed}:template:{k}"))
        if planted is None:
            continue
        original = runner.run([(src, tgt)])[0]
        cases.append(PlantCase(replace(planted, variant="template"), f"template {k + 1}",
                               ((src, tgt),), 0, tuple(original)))
    return cases


def score_cases(kind: str, cases: Sequence[PlantCase], runner: CheckRunner,
                applicable: int, show: int, registered: Sequence[str]) -> dict[str, Any]:
    check, category = KIND_CHECKS[kind]
    check_names = [name for name in registered if base_name(name) == check]
    caught = caught_any = 0
    by_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    side_effects: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    for case in cases:
        texts = list(case.group)
        texts[case.position] = (case.planted.src, case.planted.tgt)
        found = runner.run(texts)[case.position]
        fresh = new_findings(found, case.original)
        hit = any(base_name(d.check) == check and (category is None or str(d.category) ==
                                                   category) for d in fresh)
        caught += hit
        caught_any += bool(fresh)
        by_variant[case.planted.variant][0] += 1
        by_variant[case.planted.variant][1] += hit
        side_effects.update(base_name(d.check) for d in fresh if base_name(d.check) != check)
        if not hit and len(misses) < show:
            before_src, before_tgt = case.group[case.position]
            misses.append(example(case.where, case.planted.src, case.planted.tgt,
                                  note=case.planted.note,
                                  src_focus=_changed_at(before_src, case.planted.src),
                                  tgt_focus=_changed_at(before_tgt, case.planted.tgt)) | {
                "other_new_findings": [f"{d.check}: {d.message}" for d in fresh]})
    n = len(cases)
    return {
        "check": check,
        "check_registered": check_names,
        "category": category,
        "applicable_pairs": applicable,
        "planted": n,
        "caught": caught,
        "recall": caught / n if n and check_names else None,
        "recall_any_check": caught_any / n if n else None,
        "target": TARGET_RECALL.get(kind),
        "variants": {name: {"planted": v[0], "caught": v[1],
                            "recall": v[1] / v[0] if v[0] and check_names else None}
                     for name, v in sorted(by_variant.items())},
        "other_checks_new_findings": dict(side_effects.most_common()),
        "misses": misses,
    }


def shipped_glossary() -> Path | None:
    try:
        from importlib.resources import files

        path = Path(str(files("aligner.corpora") / "glossary" / "diplomatic-ru-en.tsv"))
    except (ModuleNotFoundError, TypeError):
        path = REPO_ROOT / "corpora" / "glossary" / "diplomatic-ru-en.tsv"
    return path if path.is_file() else None


# --- 3. Real errors (MQM) ----------------------------------------------------------------------


def run_mqm(runner: CheckRunner, segments: Sequence[MqmSegment]) -> list[list[Any]]:
    """Findings per segment; segments of one system's document are checked together."""
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for k, segment in enumerate(segments):
        groups[segment.key[:3]].append(k)
    out: list[list[Any]] = [[] for _ in segments]
    for members in groups.values():
        members.sort(key=lambda k: segments[k].key[3])
        # src = the Russian translation, tgt = the English original: our ru->en checks.
        results = runner.run([(segments[k].ru, segments[k].en) for k in members])
        for k, divergences in zip(members, results, strict=True):
            out[k] = divergences
    return out


def mqm_figures(runner: CheckRunner, specs: dict[str, Any], segments: Sequence[MqmSegment],
                findings: Sequence[list[Any]], extra_categories: dict[str, set[str]]
                ) -> dict[str, Any]:
    mappable = set().union(*MQM_CATEGORIES.values())
    annotated = [segment.categories for segment in segments]
    any_error = [bool(segment.errors) for segment in segments]
    n = len(segments)
    per_check: dict[str, Any] = {}
    rows = [*runner.names, "all checks"]
    for name in rows:
        if name == "all checks":
            covers = set().union(*(c["covers"] for c in per_check.values())) if per_check \
                else set()
        else:
            covers = {str(specs[name].category)} | extra_categories.get(name, set())
        flagged = correct = recalled = with_error = 0
        relevant = 0
        for k in range(n):
            mine = [d for d in findings[k] if name == "all checks" or d.check == name]
            categories = {str(d.category) for d in mine}
            if annotated[k] & covers:
                relevant += 1
                recalled += bool(categories & annotated[k])
            if mine:
                flagged += 1
                correct += bool(categories & annotated[k])
                with_error += any_error[k]
        scorable = bool(covers & mappable)
        per_check[name] = {
            "covers": sorted(covers),
            "scorable": scorable,
            "flagged": flagged,
            "precision": correct / flagged if flagged and scorable else None,
            "precision_any_error": with_error / flagged if flagged else None,
            "annotated": relevant,
            "recall": recalled / relevant if relevant and scorable else None,
            "base_rate": relevant / n if n and scorable else None,
        }
    per_category = {}
    for category, ours in MQM_CATEGORIES.items():
        members = [k for k in range(n) if any(c == category for c, _ in segments[k].errors)]
        if not members:
            continue
        per_category[category] = {
            "maps_to": list(ours),
            "segments": len(members),
            "flagged_any": sum(1 for k in members if findings[k]) / len(members),
            "flagged_matching": sum(1 for k in members
                                    if {str(d.category) for d in findings[k]} & set(ours))
                                / len(members),
        }
    return {
        "segments": n,
        "segments_with_errors": sum(any_error),
        "segments_by_set": dict(Counter(s.key[0] for s in segments)),
        "checks": per_check,
        "categories": per_category,
        "mapping": {k: list(v) for k, v in MQM_CATEGORIES.items()},
    }


# --- 4. Speed ----------------------------------------------------------------------------------


_SENTENCE_END = re.compile(r"[.!?;:][\"'»”)]*$")


def write_un_document(un: Sequence[UnPair], folder: Path) -> tuple[Path, Path]:
    """The first ``SPEED_SENTENCES`` pairs whose two sides end like sentences (headings
    without a full stop would run into the next line) as one document per language,
    ``SPEED_PARAGRAPH`` sentences to a paragraph, a blank line between paragraphs."""
    chosen = [p for p in un if _SENTENCE_END.search(p.ru) and _SENTENCE_END.search(p.en)]
    chosen = chosen[:SPEED_SENTENCES]
    paths = []
    for lang in ("ru", "en"):
        paragraphs = [" ".join(getattr(p, lang) for p in chosen[k:k + SPEED_PARAGRAPH])
                      for k in range(0, len(chosen), SPEED_PARAGRAPH)]
        path = folder / f"un-{len(chosen)}.{lang}.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def _timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _median_of(times: Sequence[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def cli_times(command: str, src: Path, tgt: Path, repeats: int) -> dict[str, float]:
    """Median wall and CPU seconds of ``aligner COMMAND SRC TGT`` run cold in a fresh
    process (interpreter start, imports, encoder and resource loading included), output
    thrown away, with ``--threads SPEED_THREADS``. CPU is the child's user + system time.

    The runs are timed as an installed package runs: with Python's bytecode cache (pip
    compiles it on install; ``PYTHONDONTWRITEBYTECODE``, which some sandboxes set, is
    removed for these runs so that an editable checkout gets one too), after one untimed
    run that writes it. Without the cache every run recompiles the package's source.
    """
    import resource

    argv = [sys.executable, "-m", "aligner", command, "--threads", str(SPEED_THREADS),
            str(src), str(tgt)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for attempt in range(repeats + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=False, env=env)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):  # check exits 1 with --fail-on only
            raise BenchError(f"aligner {command} failed: {done.stderr.strip()[-300:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if attempt:  # the first run writes the bytecode cache and is not counted
            times.append((wall, cpu))
    wall, cpu = _median_of(times)
    return {"wall_s": wall, "cpu_s": cpu}


def speed_figures(un: Sequence[UnPair], encoder_name: str, names: Sequence[str],
                  glossaries: Sequence[str], say: Callable[[str], None],
                  cli: bool = True) -> dict[str, Any]:
    """Align and check the demo pair and a ~300-sentence UN document: in this process with
    the encoder loaded once (align_files against check_alignment, which loads the check
    resources afresh each call as `aligner check` does), and as cold CLI runs."""
    from aligner.check import check_alignment, check_pairs, pairs_from_alignment
    from aligner.checks import CheckContext
    from aligner.encoders import get_encoder
    from aligner.pipeline import align_files

    say("loading the encoder")
    started = time.perf_counter()
    # One encoder thread, here and in the CLI runs: on shared cores an encoder's spinning
    # BLAS threads make the alignment's time (wall and CPU) swing by a factor of several.
    encoder = get_encoder(encoder_name, threads=SPEED_THREADS)
    encoder.encode(WARM_UP)
    load_s = time.perf_counter() - started
    demo = REPO_ROOT / "corpora" / "demo"
    documents = [("demo comment", demo / "comment.ru.txt", demo / "comment.en.txt")]
    rows = []
    demo_findings: list[dict[str, Any]] = []
    broken: dict[str, str] = {}
    working: list[str] = []
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory() as tmp:
        ru_path, en_path = write_un_document(un, Path(tmp))
        documents.append(("UN devset document", ru_path, en_path))
        warmed = False
        for title, src_path, tgt_path in documents:
            say(f"aligning {title}")
            align_times = []
            alignment = None
            for _ in range(SPEED_REPEATS):
                wall, cpu, alignment = _timed(
                    lambda s=src_path, t=tgt_path: align_files(s, t, encoder=encoder))
                align_times.append((wall, cpu))
            assert alignment is not None  # SPEED_REPEATS >= 1
            if not warmed:
                # Imports and first-use setup, like the encoder load, are not timed; one
                # check at a time, so a check that raises is left out rather than ending
                # the run.
                working = []
                for name in names:
                    try:
                        check_alignment(alignment, include=[name], glossaries=glossaries)
                        working.append(name)
                    except Exception as err:  # reported, not fatal
                        broken[name] = f"{type(err).__name__}: {err}"
                warmed = True
            if not working:
                break
            check_times = []
            report = None
            for _ in range(SPEED_REPEATS):
                wall, cpu, report = _timed(lambda a=alignment, w=working: check_alignment(
                    a, include=w, glossaries=glossaries))
                check_times.append((wall, cpu))
            assert report is not None
            # The same checks with a context whose lists and morphology are already loaded:
            # what the checks cost per bead, without their per-run setup.
            context = CheckContext(glossary_paths=tuple(glossaries))
            pairs = pairs_from_alignment(alignment)
            check_pairs(pairs, include=working, context=context)
            warm_times = [_timed(lambda c=context, p=pairs, w=working: check_pairs(
                p, include=w, context=c))[:2] for _ in range(SPEED_REPEATS)]
            align_s, align_cpu = _median_of(align_times)
            check_s, check_cpu = _median_of(check_times)
            warm_s, warm_cpu = _median_of(warm_times)
            row: dict[str, Any] = {
                "document": title,
                "src_sentences": len(alignment.src.sentences),
                "tgt_sentences": len(alignment.tgt.sentences),
                "beads": len(alignment.beads),
                "align_s": align_s, "align_cpu_s": align_cpu,
                "check_s": check_s, "check_cpu_s": check_cpu,
                "ratio": check_s / align_s if align_s else None,
                "ratio_cpu": check_cpu / align_cpu if align_cpu else None,
                "check_warm_s": warm_s, "check_warm_cpu_s": warm_cpu,
                "ratio_warm": warm_s / align_s if align_s else None,
                "findings": len(report.findings),
            }
            if cli:
                say(f"timing the CLI on {title}")
                row["cli_align"] = cli_times("align", src_path, tgt_path, SPEED_REPEATS)
                row["cli_check"] = cli_times("check", src_path, tgt_path, SPEED_REPEATS)
                for unit in ("wall_s", "cpu_s"):
                    base = row["cli_align"][unit]
                    row[f"cli_added_{unit[:-2]}"] = \
                        row["cli_check"][unit] / base - 1 if base else None
            rows.append(row)
            if title == "demo comment":
                for finding in report.findings:
                    pair = report.pairs[finding.pair_index]
                    demo_findings.append(example(f"bead {finding.pair_index}", pair.src,
                                                 pair.tgt, finding.divergence))
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"encoder": encoder_name, "encoder_load_s": load_s, "repeats": SPEED_REPEATS,
            "documents": rows, "target_ratio": TARGET_SPEED_RATIO,
            "checks_timed": working, "checks_left_out": broken,
            "demo_findings": demo_findings, "cli": cli,
            "load_average": [load_before, load_after]}


# --- Report ------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2, pct: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.{max(0, digits - 1)}f}" if pct else f"{value:,.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "NO")


def _load_note(meta: dict[str, Any]) -> str:
    load = meta.get("load_average_at_start")
    if load is None:
        return ""
    note = f" Load average {load:.1f} at start on {os.cpu_count()} cores"
    return note + (": other processes share the cores, so timings are inflated." if load > 0.5
                   else ".")


def render(console: Any, box: Any, report: dict[str, Any]) -> None:
    from rich.table import Table

    def table(title: str, columns: Sequence[str]) -> Any:
        out = Table(title=title, box=box, title_justify="left", title_style="bold")
        for number, column in enumerate(columns):
            out.add_column(column, justify="left" if number == 0 else "right")
        return out

    def show_examples(items: Sequence[dict[str, Any]], indent: str = "  ") -> None:
        for item in items:
            head = item["where"]
            if "severity" in item:
                head += f" [{item['severity']}] {item['message']}"
                if item.get("suggestion"):
                    head += f"  (suggestion: {item['suggestion']})"
            if "note" in item:
                head += f"  planted: {item['note']}"
            console.print(indent + head, soft_wrap=True)
            console.print(f"{indent}    ru: {item['ru']}", soft_wrap=True)
            console.print(f"{indent}    en: {item['en']}", soft_wrap=True)
            for other in item.get("other_new_findings", ()):
                console.print(f"{indent}    other new finding: {other}", soft_wrap=True)

    meta = report["meta"]
    console.print(f"bench_divergence  {meta['date']}  {meta['machine']}", soft_wrap=True)
    console.print(f"UN split: {meta['split']} (lines {meta['lines']}), seed {meta['seed']}, "
                  f"pair confidence {PAIR_CONFIDENCE}", soft_wrap=True)
    checks = table(f"Checks run ({len(meta['checks'])})",
                   ("check", "severity", "category", "kind", "title"))
    for row in meta["checks"]:
        checks.add_row(row["name"], row["severity"], row["category"], row["kind"],
                       row["title"])
    console.print(checks)
    if not meta["checks"]:
        console.print("No checks are registered (aligner/checks/ has none yet): every figure "
                      "below is empty.")
    for note in meta["notes"]:
        console.print(f"note: {note}", soft_wrap=True)
    console.print()

    if "clean" in report:
        clean = report["clean"]
        n = clean["pairs"]
        out = table(f"1. False findings on {n:,} clean UN pairs (official translations)",
                    ("check", "findings", "per 100", "major+crit", "per 100", "pairs",
                     "ms/pair", "errors"))
        for name, row in clean["checks"].items():
            out.add_row(name, f"{row['findings']:,}", _fmt(row["per_100"]),
                        f"{row['major_critical']:,}", _fmt(row["major_critical_per_100"]),
                        f"{row['pairs_flagged']:,}", _fmt(row["ms_per_pair"], 3),
                        str(row["errors"] or ""))
        total = clean["total"]
        out.add_row("total", f"{total['findings']:,}", _fmt(total["per_100"]),
                    f"{total['major_critical']:,}", _fmt(total["major_critical_per_100"]),
                    f"{total['pairs_flagged']:,}",
                    _fmt(1000 * total["seconds"] / n if n else None, 3), "",
                    style="bold")
        console.print(out)
        console.print(
            f"Targets: ≤ {TARGET_CLEAN_TOTAL:g} findings per 100 pairs in total "
            f"({_verdict(total['per_100'] <= TARGET_CLEAN_TOTAL)}), ≤ {TARGET_CLEAN_MAJOR:g} "
            f"major+critical ({_verdict(total['major_critical_per_100'] <= TARGET_CLEAN_MAJOR)})."
            f" Every finding here counts as false: the pairs are official UN translations. "
            f"pairs: pairs with at least one finding. Checks: "
            f"{_fmt(total['pairs_per_s'], 0)} pairs/s (all checks, shared context).",
            soft_wrap=True)
        if any(row["examples"] for row in clean["checks"].values()):
            console.print("Examples of false findings (line numbers of UNv1.0.devset.ru/.en):")
            for name, row in clean["checks"].items():
                if row["examples"]:
                    console.print(f" {name}:")
                    show_examples(row["examples"])
        console.print()

    if "planted" in report:
        planted = report["planted"]
        out = table("2. Planted divergences: recall (new finding of the kind's check)",
                    ("kind", "check", "planted", "of pairs", "caught", "recall", "target",
                     "met", "any check", "other checks' new findings"))
        for kind, row in planted["kinds"].items():
            check = row["check"] + (f" ({row['category'].split('/')[-1]})"
                                    if row["category"] else "")
            if not row["check_registered"]:
                check += " — not registered"
            target = row["target"]
            out.add_row(
                KIND_TITLES[kind], check, f"{row['planted']:,}",
                f"{row['applicable_pairs']:,}", f"{row['caught']:,}",
                _fmt(row["recall"]), _fmt(target) if target else "",
                _verdict(None if row["recall"] is None or target is None
                         else row["recall"] >= target),
                _fmt(row["recall_any_check"]),
                ", ".join(f"{k} {v}" for k, v in row["other_checks_new_findings"].items()),
            )
            if len(row["variants"]) > 1:
                for variant, figures in row["variants"].items():
                    out.add_row(f"  {variant}", "", f"{figures['planted']:,}", "",
                                f"{figures['caught']:,}", _fmt(figures["recall"]), "", "",
                                "", "", style="dim")
        console.print(out)
        console.print("planted: pairs planted (at most --plant-max per kind); of pairs: "
                      "split pairs the kind applies to; any check: share with a new finding "
                      "from any check.", soft_wrap=True)
        for note in planted["notes"]:
            console.print(f"note: {note}", soft_wrap=True)
        if any(row["misses"] for row in planted["kinds"].values()):
            console.print("Examples of planted pairs the check missed:")
            for kind, row in planted["kinds"].items():
                if row["misses"] and row["check_registered"]:
                    console.print(f" {KIND_TITLES[kind]}:")
                    show_examples(row["misses"])
        console.print()

    if "mqm" in report:
        mqm = report["mqm"]
        out = table(f"3. Real errors: WMT 2021 MQM en→ru, {mqm['segments']:,} MT segments "
                    f"({mqm['segments_with_errors']:,} with an annotated error)",
                    ("check", "covers", "flagged", "precision", "P any error", "annotated",
                     "recall", "base rate"))
        for name, row in mqm["checks"].items():
            out.add_row(name, ", ".join(c.split("/")[-1] for c in row["covers"]),
                        f"{row['flagged']:,}", _fmt(row["precision"]),
                        _fmt(row["precision_any_error"]), f"{row['annotated']:,}",
                        _fmt(row["recall"]), _fmt(row["base_rate"]),
                        style="bold" if name == "all checks" else None)
        console.print(out)
        console.print(
            "Direction: the annotations are of English→Russian MT, so each pair is built with "
            "src = the Russian translation and tgt = the English original, and our ru→en "
            "checks run on it. precision: flagged segments with an annotated error in the "
            "category of one of the check's findings there; P any error: flagged segments "
            "with any annotated error; annotated: segments with an error in a category the "
            "check covers; recall: those flagged by the check in a matching category; base "
            "rate: share of all segments that are annotated (the precision of flagging at "
            "random). Annotators mark errors, not every divergence, and the typology is "
            "mapped to ours by hand (see --json mapping).", soft_wrap=True)
        cats = table("   Annotated MQM categories: share of their segments flagged",
                     ("MQM category", "maps to", "segments", "by any check",
                      "matching category"))
        for name, row in sorted(mqm["categories"].items(), key=lambda i: -i[1]["segments"]):
            cats.add_row(name, ", ".join(c.split("/")[-1] for c in row["maps_to"]),
                         f"{row['segments']:,}", _fmt(row["flagged_any"]),
                         _fmt(row["flagged_matching"]))
        console.print(cats)
        console.print()

    if "speed" in report:
        speed = report["speed"]
        out = table("4. Speed in this process: check_alignment vs align_files (encoder loaded "
                    f"once, {SPEED_THREADS} thread; median of {speed['repeats']})",
                    ("document", "sentences ru×en", "beads", "align s", "checks s",
                     "checks/align", "CPU: align", "checks", "checks/align",
                     f"≤ {TARGET_SPEED_RATIO:g}?", "warm checks s", "findings"))
        for row in speed["documents"]:
            out.add_row(row["document"], f"{row['src_sentences']}×{row['tgt_sentences']}",
                        str(row["beads"]), _fmt(row["align_s"], 3), _fmt(row["check_s"], 3),
                        _fmt(row["ratio"], 3), _fmt(row["align_cpu_s"], 3),
                        _fmt(row["check_cpu_s"], 3), _fmt(row["ratio_cpu"], 3),
                        _verdict(None if row["ratio"] is None
                                 else row["ratio"] <= TARGET_SPEED_RATIO),
                        _fmt(row["check_warm_s"], 3), str(row["findings"]))
        console.print(out)
        if speed.get("cli"):
            cli_table = table(f"4b. Speed of the CLI, cold (a fresh process per run, --threads "
                              f"{SPEED_THREADS}; median of {speed['repeats']})",
                              ("document", "aligner align s", "aligner check s", "check adds",
                               f"≤ {100 * TARGET_SPEED_RATIO:g} %?", "CPU: align s",
                               "check s", "check adds"))
            for row in speed["documents"]:
                if "cli_align" not in row:
                    continue
                added = row["cli_added_wall"]
                cli_table.add_row(
                    row["document"], _fmt(row["cli_align"]["wall_s"], 3),
                    _fmt(row["cli_check"]["wall_s"], 3), _fmt(added, 1, pct=True) + " %",
                    _verdict(None if added is None else added <= TARGET_SPEED_RATIO),
                    _fmt(row["cli_align"]["cpu_s"], 3), _fmt(row["cli_check"]["cpu_s"], 3),
                    _fmt(row["cli_added_cpu"], 1, pct=True) + " %")
            console.print(cli_table)
        for name, message in speed["checks_left_out"].items():
            console.print(f"left out of the timing: {name} raised {message}", soft_wrap=True)
        if not speed["checks_timed"]:
            console.print("No check ran, so nothing was timed.")
        loads = ", ".join("n/a" if v is None else f"{v:.1f}" for v in speed["load_average"])
        console.print(f"Encoder {speed['encoder']} load {speed['encoder_load_s']:.1f} s, not "
                      "counted; one untimed check_alignment call first (imports). Each "
                      "check_alignment call makes a fresh context, so it reloads lists, "
                      "glossary and morphology, as `aligner check` does; warm: check_pairs on "
                      "the same beads with those already loaded (the per-bead cost). CPU is "
                      "this process's (or the CLI child's) user + system time, less disturbed "
                      f"than wall time by other work on the machine. Load average {loads} "
                      f"(before, after the section) on {os.cpu_count()} cores."
                      + _load_note(report["meta"]),
                      soft_wrap=True)
        if speed["demo_findings"]:
            console.print("Findings on the demo pair (corpora/demo/README.md lists the four "
                          "planted problems):")
            show_examples(speed["demo_findings"])
        else:
            console.print("No findings on the demo pair (corpora/demo/README.md lists four "
                          "planted problems).")
        console.print()

    errors = meta.get("check_errors") or {}
    for name, messages in errors.items():
        console.print(f"check error: {name} raised {len(messages)} times, first: "
                      f"{messages[0]}", soft_wrap=True)


def planted_section(args: argparse.Namespace, runner: CheckRunner, registered: list[str],
                    un: Sequence[UnPair], groups: dict[int, list[int]],
                    clean: dict[int, list[Any]], say: Callable[[str], None]) -> dict[str, Any]:
    glossary = shipped_glossary()
    substitutions: list[plant.TermSubstitution] = []
    out: dict[str, Any] = {"kinds": {}, "notes": []}
    if glossary is None:
        out["notes"].append("corpora/glossary/diplomatic-ru-en.tsv is not there yet: no "
                            "deprecated-term cases")
    else:
        substitutions += plant.read_glossary(glossary)
    for path in args.glossary:
        substitutions += plant.read_glossary(path)
    if glossary is not None or args.glossary:
        out["glossary_terms_with_deprecated"] = len(substitutions)
    planters = build_planters(un, substitutions)
    for kind in plant.KINDS:
        if kind == "deprecated_term" and not substitutions:
            continue
        say(f"planting: {kind}")
        cases, applicable = plant_cases(kind, planters[kind], un, groups, clean,
                                        args.plant_max, args.seed)
        if kind == "deprecated_term" and applicable < MIN_TERM_PAIRS:
            extra = template_cases(runner, substitutions, planters[kind], args.seed)
            out["notes"].append(
                f"deprecated term: only {applicable} UN pairs hold a glossary term in its "
                f"preferred rendering (< {MIN_TERM_PAIRS}), so {len(extra)} template pairs "
                f"were added, one per glossary term with a deprecated rendering "
                f"({len(substitutions)} such terms)")
            cases += extra
            applicable += len(extra)
        say(f"checking planted: {kind}")
        out["kinds"][kind] = score_cases(kind, cases, runner, applicable, args.show,
                                         registered)
    return out


def mqm_section(args: argparse.Namespace, runner: CheckRunner, specs: dict[str, Any],
                emitted: dict[str, set[str]], notes: list[str],
                say: Callable[[str], None]) -> dict[str, Any]:
    say("reading the MQM annotations")
    segments = load_mqm(args.shared)
    if args.mqm_max is not None and args.mqm_max < len(segments):
        segments = sample_documents(segments, args.mqm_max, args.seed)
        notes.append(f"--mqm-max {args.mqm_max}: {len(segments):,} MQM segments, whole "
                     "system documents drawn at random")
    say(f"checking {len(segments):,} MQM segments")
    runner.seconds.clear()
    findings = run_mqm(runner, segments)
    for divergences in findings:
        for d in divergences:
            emitted[d.check].add(str(d.category))
    figures = mqm_figures(runner, specs, segments, findings, emitted)
    figures["seconds_per_check"] = dict(runner.seconds)
    return figures


def sample_documents(segments: Sequence[MqmSegment], limit: int,
                     seed: int) -> list[MqmSegment]:
    """Whole system documents, drawn in a seeded order until about ``limit`` segments."""
    sizes = Counter(s.key[:3] for s in segments)
    docs = sorted(sizes)
    random.Random(f"{seed}:mqm").shuffle(docs)
    keep: set[tuple[str, str, str]] = set()
    total = 0
    for doc in docs:
        if total >= limit:
            break
        keep.add(doc)
        total += sizes[doc]
    return [s for s in segments if s.key[:3] in keep]


# --- Main --------------------------------------------------------------------------------------


def default_shared() -> Path:
    return next((p for p in SHARED_CANDIDATES if p.is_dir()), SHARED_CANDIDATES[0])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_divergence.py",
        description="Benchmark the divergence checks: false findings on clean UN pairs, "
                    "recall on planted divergences, MQM real errors, speed.",
    )
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared data folder (default: ../shared beside the "
                             "repository, else /work/shared)")
    parser.add_argument("--split", choices=tuple(SPLITS), default="test",
                        help="UN devset lines: dev = 1-2000 (for tuning), test = 2001-4000 "
                             "(held out, the default), all")
    parser.add_argument("--sections", default=",".join(SECTIONS), metavar="NAME[,NAME]",
                        help=f"sections to run, any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--checks", default=None, metavar="NAME[,NAME]",
                        help="run only these checks (default: every registered check)")
    parser.add_argument("--glossary", action="append", default=[], metavar="PATH",
                        help="extra glossary TSV passed to the checks and used for planting; "
                             "repeatable")
    parser.add_argument("--show", type=int, default=3, metavar="N",
                        help="example false findings per check and misses per kind "
                             "(default: 3)")
    parser.add_argument("--plant-max", type=int, default=400, metavar="N",
                        help="planted pairs per kind at most (default: 400)")
    parser.add_argument("--mqm-max", type=int, default=None, metavar="N",
                        help="at most about N MQM segments, whole documents drawn at random "
                             "(default: all)")
    parser.add_argument("--encoder", default="use", help="encoder for the speed section")
    parser.add_argument("--no-cli", action="store_true",
                        help="speed section: skip the cold CLI runs (a minute or two)")
    parser.add_argument("--seed", type=int, default=13, help="planting seed (default: 13)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="also write every figure to PATH as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--width", type=int, default=150, help="table width (default: 150)")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown or not sections:
        parser.error(f"--sections: choose from {', '.join(SECTIONS)}")
    args.sections = [s for s in SECTIONS if s in sections]
    args.checks = [c.strip() for c in args.checks.split(",") if c.strip()] \
        if args.checks else None
    if args.show < 0 or args.plant_max < 1:
        parser.error("--show must be at least 0 and --plant-max at least 1")
    args.shared = args.shared or default_shared()
    return args


def ensure_aligner_importable() -> None:
    if importlib.util.find_spec("aligner") is None:
        sys.path.insert(0, str(REPO_ROOT))
    if importlib.util.find_spec("aligner") is None:
        raise BenchError(f"the aligner package is not importable; run `pip install -e .` in "
                         f"{REPO_ROOT}", exit_code=2)


def bench(args: argparse.Namespace) -> int:
    from rich import box as rich_box
    from rich.console import Console

    from aligner.checks import CheckContext, select_checks
    from aligner.errors import AlignerError

    console = Console(width=args.width, highlight=False, emoji=False, markup=False)
    progress = Console(stderr=True, highlight=False)
    box = rich_box.MARKDOWN if args.markdown else rich_box.SIMPLE_HEAD

    def say(text: str) -> None:
        if progress.is_terminal:
            progress.print(f"[dim]{text}[/dim]".ljust(70), end="\r")

    try:
        specs = {s.name: s for s in select_checks(args.checks)}
    except AlignerError as err:
        raise BenchError(str(err), exit_code=2) from err
    glossaries = [str(p) for p in args.glossary]
    for path in glossaries:
        if not Path(path).is_file():
            raise BenchError(f"--glossary {path}: no such file", exit_code=2)
    notes: list[str] = []
    section_seconds: dict[str, float] = {}
    start, end = SPLITS[args.split]
    report: dict[str, Any] = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "section_seconds": section_seconds,
        "split": args.split, "lines": f"{start + 1}-{end}", "seed": args.seed,
        "checks": [{"name": s.name, "severity": str(s.severity), "category": str(s.category),
                    "kind": "document" if s.run_document else "pair", "title": s.title}
                   for s in specs.values()],
        "notes": notes,
    }}
    runner = CheckRunner(list(specs), CheckContext(glossary_paths=tuple(glossaries)))
    emitted: dict[str, set[str]] = defaultdict(set)

    def remember(results: Sequence[Sequence[Any]]) -> None:
        for divergences in results:
            for d in divergences:
                emitted[d.check].add(str(d.category))

    un: list[UnPair] = []
    clean: dict[int, list[Any]] = {}
    if {"clean", "planted", "speed"} & set(args.sections):
        say("reading the UN devset")
        un = load_un(args.shared, args.split)
    groups: dict[int, list[int]] = {}
    if {"clean", "planted"} & set(args.sections):
        started = time.perf_counter()
        groups = un_groups(un)
        # Warm up (imports, lists, morphology) on a few pairs of the other half: not timed.
        warm = load_un(args.shared, "dev" if args.split == "test" else "test")[:20]
        runner.run([(p.ru, p.en) for p in warm])
        runner.seconds.clear()
        say(f"checking {len(un):,} clean pairs")
        clean = run_clean(runner, un, groups)
        remember(list(clean.values()))
        report["clean"] = clean_figures(runner, un, clean, dict(runner.seconds), args.show,
                                        args.seed)
        section_seconds["clean"] = time.perf_counter() - started

    if "planted" in args.sections:
        started = time.perf_counter()
        report["planted"] = planted_section(args, runner, list(specs), un, groups, clean, say)
        section_seconds["planted"] = time.perf_counter() - started

    if "mqm" in args.sections:
        started = time.perf_counter()
        report["mqm"] = mqm_section(args, runner, specs, emitted, notes, say)
        section_seconds["mqm"] = time.perf_counter() - started

    if "speed" in args.sections:
        started = time.perf_counter()
        try:
            report["speed"] = speed_figures(un, args.encoder, list(specs), glossaries, say,
                                            cli=not args.no_cli)
        except AlignerError as err:
            raise BenchError(f"speed section: {err}") from err
        section_seconds["speed"] = time.perf_counter() - started
    report["meta"]["check_errors"] = runner.errors
    say("")
    render(console, box, report)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str)
                             + "\n", encoding="utf-8")
        console.print(f"figures written to {args.json}")
    return 0


def run(args: argparse.Namespace) -> int:
    if not (args.shared / "data").is_dir():
        print(f"bench_divergence: shared data not found at {args.shared} (the data lives in "
              "../shared beside the repository; pass --shared PATH)", file=sys.stderr)
        return 2
    try:
        ensure_aligner_importable()
        return bench(args)
    except BenchError as err:
        print(f"bench_divergence: {err}", file=sys.stderr)
        return err.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
