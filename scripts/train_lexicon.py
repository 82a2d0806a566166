"""Train the Russian->English lexical table ``models/lexicon-ru-en.tsv.gz`` (IBM Model 1).

Needs ``../shared/data/parallel`` (see ../shared/README.md; ``--shared PATH`` elsewhere);
without it the script says so in one line and exits 2.

Data: ``ru-en.train.tsv`` without its ``unv1-devset`` rows (the whole UN v1.0 devset is in
there, and devset lines 1-2000 are where the checks' false alarms are measured), plus UN
devset lines 2001-4000 read from ``un-v1-devset/`` (``--no-un-tail`` leaves them out). Any
training pair whose Russian or English side equals one of UN lines 1-2000 is dropped as well.

Words are keyed as ``aligner.lexicon`` keys them at check time: Russian by pymorphy3 lemma
(each distinct word form lemmatised once), English by the Snowball stem of each
hyphen-separated part, all lower-case; numbers and punctuation are dropped.

Model: IBM Model 1 (Brown et al. 1993) with a NULL word, trained by EM in both directions,
p(en|ru) and p(ru|en), on one flat array of every (ru position, en position) pair of every
sentence, so that an EM step is a handful of ``numpy.bincount`` calls over sparse pair ids.
Model 1 ignores word order, which is what a coverage table wants; its known weakness, rare
words collecting probability from frequent ones (the "garbage collector" effect, Moore 2004),
is held in check by the NULL word, by dropping rows with less than ``--min-count`` expected
links, and by leaving function words (``corpora/lists/stopwords-*.tsv``) out of the table.

A row ``ru_lemma, en_stem, prob = p(en|ru), prob_rev = p(ru|en)`` is written when either
probability reaches ``--min-prob`` and the pair's expected link count reaches ``--min-count``
in that direction; at most ``--top`` stems per lemma and lemmas per stem.

Then every training pair is run through ``Lexicon.coverage`` with the new table, exactly as
the checks will run it, and each content word's "seen" rate is counted: the share of its
occurrences that had a counterpart, smoothed towards ``DEFAULT_SEEN`` with a prior weight of
``SEEN_PRIOR_WEIGHT`` occurrences. Rows ``лемма * seen count`` and ``* stem seen count`` carry
it for words seen at least ``--min-seen-count`` times. The rates depend on the stopword lists
and the matching rules in ``aligner/lexicon.py``: retrain when those change.

Output is sorted, so the same data and options give the same file.

    python scripts/train_lexicon.py                      # writes models/lexicon-ru-en.tsv.gz
    python scripts/train_lexicon.py --iterations 8 --out /tmp/lex.tsv.gz
    python scripts/train_lexicon.py --evaluate           # dev numbers of the checks using it

``--evaluate`` trains nothing: it runs omission.v1 and weak_pair.v1 with the table at
``--out`` on UN devset lines 1-2000 (the pairs kept out of training) and prints findings per
100 clean pairs, then recall on planted divergences built from the same pairs (seeded): one
comma-delimited clause of 4+ content words deleted from the English (omission) or from the
Russian (addition), and each Russian sentence paired with the next English one at confidence
0.3 (weak pair). With ``--show N`` it prints the first N clean pairs that drew a finding.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from aligner.lexicon import (
    ANY,
    DEFAULT_MIN_PROB,
    DEFAULT_SEEN,
    TABLE_HEADER,
    Lexicon,
    Stopwords,
    en_keys,
    ru_key,
)
from aligner.morph import Morphology, words

ROOT = Path(__file__).resolve().parents[1]
NULL = 0  # vocabulary id 0 is the NULL word on both sides

#: Seen rates are smoothed as (covered + w * DEFAULT_SEEN) / (occurrences + w).
SEEN_PRIOR_WEIGHT = 5.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_pairs(shared: Path, un_tail: bool) -> list[tuple[str, str]]:
    """Training pairs (ru, en): the train TSV minus the UN devset, plus UN lines 2001-4000."""
    parallel = shared / "data" / "parallel"
    un_ru = (parallel / "un-v1-devset" / "UNv1.0.devset.ru").read_text("utf-8").splitlines()
    un_en = (parallel / "un-v1-devset" / "UNv1.0.devset.en").read_text("utf-8").splitlines()
    held_out = set(un_ru[:2000]) | set(un_en[:2000])
    pairs: list[tuple[str, str]] = []
    with open(parallel / "ru-en.train.tsv", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            fields = line.rstrip("\n").split("\t")
            if number == 0 or len(fields) != 3 or fields[0] == "unv1-devset":
                continue
            if fields[1] in held_out or fields[2] in held_out:
                continue
            pairs.append((fields[1], fields[2]))
    if un_tail:
        pairs.extend(zip(un_ru[2000:], un_en[2000:], strict=True))
    return pairs


class Vocabulary:
    """Strings to dense ids; id 0 is NULL."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {"<null>": NULL}
        self.names: list[str] = ["<null>"]

    def id(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            found = self.ids[name] = len(self.names)
            self.names.append(name)
        return found


def tokenise(pairs: Sequence[tuple[str, str]], morph: Morphology, max_len: int
             ) -> tuple[Vocabulary, Vocabulary, dict[str, tuple[int, ...]],
                        list[list[int]], list[list[int]]]:
    """Each pair's Russian lemma ids and English stem ids (pairs too long or lopsided dropped),
    and the stem ids of each English word form."""
    ru_vocab, en_vocab = Vocabulary(), Vocabulary()
    ru_form: dict[str, int] = {}  # word form -> lemma id: each distinct form lemmatised once
    en_form: dict[str, tuple[int, ...]] = {}
    ru_sents: list[list[int]] = []
    en_sents: list[list[int]] = []
    for ru, en in pairs:
        ru_ids: list[int] = []
        for word in words(ru):
            form = word.text.lower()
            if any(c.isdigit() for c in form):
                continue
            found = ru_form.get(form)
            if found is None:
                found = ru_form[form] = ru_vocab.id(ru_key(form, morph))
            ru_ids.append(found)
        en_ids: list[int] = []
        for word in words(en):
            form = word.text.lower()
            if any(c.isdigit() for c in form):
                continue
            stems = en_form.get(form)
            if stems is None:
                stems = en_form[form] = tuple(en_vocab.id(s) for s in en_keys(form, morph))
            en_ids.extend(stems)
        if not ru_ids or not en_ids or max(len(ru_ids), len(en_ids)) > max_len:
            continue
        if max(len(ru_ids), len(en_ids)) > 3 * min(len(ru_ids), len(en_ids)) + 3:
            continue
        ru_sents.append(ru_ids)
        en_sents.append(en_ids)
    return ru_vocab, en_vocab, en_form, ru_sents, en_sents


def flat_pairs(ru_sents: Sequence[Sequence[int]], en_sents: Sequence[Sequence[int]],
               n_en: int) -> tuple[np.ndarray, ...]:
    """Every (ru position, en position) pair of every sentence, NULL included on both sides.

    Returns pair ids (into the unique (ru, en) pairs), the unique pairs' ru and en ids, and
    for each element its global ru and en token position (the groups EM normalises over).
    """
    ru_tok = np.array([t for s in ru_sents for t in (NULL, *s)], dtype=np.int64)
    en_tok = np.array([t for s in en_sents for t in (NULL, *s)], dtype=np.int64)
    ru_len = np.array([len(s) + 1 for s in ru_sents], dtype=np.int64)
    en_len = np.array([len(s) + 1 for s in en_sents], dtype=np.int64)
    ru_off = np.concatenate(([0], np.cumsum(ru_len)[:-1]))
    en_off = np.concatenate(([0], np.cumsum(en_len)[:-1]))
    size = ru_len * en_len
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    sent = np.repeat(np.arange(len(size)), size)
    local = np.arange(int(size.sum()), dtype=np.int64) - start[sent]
    ru_pos = ru_off[sent] + local // en_len[sent]
    en_pos = en_off[sent] + local % en_len[sent]
    del sent, local
    keep = (ru_tok[ru_pos] != NULL) | (en_tok[en_pos] != NULL)
    ru_pos, en_pos = ru_pos[keep], en_pos[keep]
    key = ru_tok[ru_pos] * n_en + en_tok[en_pos]
    unique, pair_id = np.unique(key, return_inverse=True)
    return (pair_id.astype(np.int32), unique // n_en, unique % n_en,
            ru_pos.astype(np.int32), en_pos.astype(np.int32), ru_tok, en_tok)


def model1(pair_id: np.ndarray, given: np.ndarray, out_pos: np.ndarray, mask: np.ndarray,
           n_given: int, n_out_pos: int, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """EM for t(out | given) over the unique pairs; returns t and the expected link counts.

    ``mask`` selects the elements whose out word is a real word (not NULL): each out token is
    explained by one given word of its sentence, NULL included (Brown et al. 1993, Model 1).
    """
    pid, opos = pair_id[mask], out_pos[mask]
    n_pairs = len(given)
    prob: np.ndarray = np.ones(n_pairs)
    counts: np.ndarray = np.zeros(n_pairs)
    for iteration in range(iterations):
        weight = prob[pid]
        denom = np.bincount(opos, weights=weight, minlength=n_out_pos)
        posterior = weight / denom[opos]
        counts = np.bincount(pid, weights=posterior, minlength=n_pairs)
        totals = np.bincount(given, weights=counts, minlength=n_given)
        prob = counts / np.maximum(totals[given], 1e-12)
        # Log-likelihood per word, up to the constant length term: rises until convergence.
        loglik = float(np.log(denom[denom > 0]).mean())
        log(f"  iteration {iteration + 1}: log-likelihood per word {loglik:.3f}")
    return prob, counts


def select_rows(ru_of: np.ndarray, en_of: np.ndarray, p_en: np.ndarray, c_en: np.ndarray,
                p_ru: np.ndarray, c_ru: np.ndarray, min_prob: float, min_count: float,
                top: int) -> np.ndarray:
    """Indices of the unique pairs that make rows (see the module docstring)."""
    real = (ru_of != NULL) & (en_of != NULL)
    fwd = real & (p_en >= min_prob) & (c_en >= min_count)
    rev = real & (p_ru >= min_prob) & (c_ru >= min_count)
    fwd &= _top_k(ru_of, p_en, fwd, top)
    rev &= _top_k(en_of, p_ru, rev, top)
    return np.flatnonzero(fwd | rev)


def _top_k(group: np.ndarray, score: np.ndarray, eligible: np.ndarray, k: int) -> np.ndarray:
    """True for the ``k`` best-scoring eligible elements of each group."""
    idx = np.flatnonzero(eligible)
    order = idx[np.lexsort((-score[idx], group[idx]))]
    groups = group[order]
    first = np.concatenate(([True], groups[1:] != groups[:-1]))
    run_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    rank = np.arange(len(order)) - run_start
    out = np.zeros(len(group), dtype=bool)
    out[order[rank < k]] = True
    return out


def seen_rates(pairs: Sequence[tuple[str, str]], lexicon: Lexicon, morph: Morphology,
               min_count: int) -> tuple[dict[str, tuple[float, int]], dict[str, tuple[float, int]]]:
    """Per content word: smoothed share of its occurrences with a counterpart, and the count."""
    ru_counts: dict[str, list[int]] = {}
    en_counts: dict[str, list[int]] = {}
    for ru, en in pairs:
        coverage = lexicon.coverage(words(ru), words(en), morph)
        for matches, counts in ((coverage.src, ru_counts), (coverage.tgt, en_counts)):
            for match in matches:
                if match.content and not match.word.text.isdigit():
                    tally = counts.setdefault(match.key, [0, 0])
                    tally[0] += match.covered
                    tally[1] += 1

    def smooth(counts: dict[str, list[int]]) -> dict[str, tuple[float, int]]:
        return {key: ((hit + SEEN_PRIOR_WEIGHT * DEFAULT_SEEN) / (n + SEEN_PRIOR_WEIGHT), n)
                for key, (hit, n) in counts.items() if n >= min_count}

    return smooth(ru_counts), smooth(en_counts)


def write_table(path: Path, rows: Iterable[tuple[str, str, float, float]],
                ru_seen: dict[str, tuple[float, int]], en_seen: dict[str, tuple[float, int]]
                ) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    # No name and mtime 0 in the gzip header: the same rows give byte-identical files.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb",
                                                mtime=0) as gz:
        gz.write(("\t".join(TABLE_HEADER) + "\n").encode())
        for ru, en, p_en, p_ru in rows:
            gz.write(f"{ru}\t{en}\t{p_en:.3f}\t{p_ru:.3f}\n".encode())
            count += 1
        for lemma, (rate, n) in sorted(ru_seen.items()):
            gz.write(f"{lemma}\t{ANY}\t{rate:.3f}\t{n}\n".encode())
        for stem, (rate, n) in sorted(en_seen.items()):
            gz.write(f"{ANY}\t{stem}\t{rate:.3f}\t{n}\n".encode())
    return count


def _plant_clause_deletion(text: str, lexicon: Lexicon, morph: Morphology, lang: str,
                           rng: random.Random) -> str | None:
    """``text`` without one of its comma/semicolon-delimited clauses of 4+ content words (and
    at least 4 content words left), or None if it has no such clause."""
    clauses = re.split(r"(?<=[,;])\s+", text)

    def content(clause: str) -> int:
        if lang == "en":
            return sum(lexicon.is_en_content(w.text) for w in words(clause))
        return sum(lexicon.is_ru_content(w.text, ru_key(w.text, morph)) for w in words(clause))

    sizes = [content(clause) for clause in clauses]
    candidates = [k for k, size in enumerate(sizes)
                  if len(clauses) > 1 and size >= 4 and sum(sizes) - size >= 4]
    if not candidates:
        return None
    k = rng.choice(candidates)
    kept = clauses[:k] + clauses[k + 1:]
    if k == len(clauses) - 1:
        kept[-1] = kept[-1].rstrip(",;") + "."
    return " ".join(kept)


def evaluate(args: argparse.Namespace) -> int:
    """Dev numbers for the checks that use the table (see the module docstring)."""
    from aligner.checks import CheckContext, Pair, Severity
    from aligner.checks.omission import check_omission
    from aligner.checks.weak_pair import check_weak_pair

    folder = args.shared / "data" / "parallel" / "un-v1-devset"
    ru = (folder / "UNv1.0.devset.ru").read_text("utf-8").splitlines()[:2000]
    en = (folder / "UNv1.0.devset.en").read_text("utf-8").splitlines()[:2000]
    morph = Morphology()
    lexicon = Lexicon.from_path(args.out)
    context = CheckContext()
    context.resources.update({"morphology": morph, "lexicon.ru-en": lexicon})

    shown = 0
    counts = {"omission.v1": [0, 0], "weak_pair.v1 (any confidence)": [0, 0]}
    for index, (src, tgt) in enumerate(zip(ru, en, strict=True)):
        found = list(check_omission(Pair(index, src, tgt), context))
        found += check_weak_pair(Pair(index, src, tgt, confidence=0.0), context)
        for finding in found:
            name = "omission.v1" if finding.check == "omission.v1" else \
                "weak_pair.v1 (any confidence)"
            counts[name][0] += 1
            counts[name][1] += finding.severity.rank >= Severity.MAJOR.rank
        if found and shown < args.show:
            shown += 1
            print(f"--- UN line {index + 1}\nRU: {src}\nEN: {tgt}")
            for finding in found:
                print(f"  {finding.severity.value}: {finding.message}")
    print(f"clean UN devset lines 1-{len(ru)}: findings per 100 pairs (all / major+critical)")
    for name, (every, major) in counts.items():
        print(f"  {name:<30} {100 * every / len(ru):5.2f} / {100 * major / len(ru):5.2f}")

    rng = random.Random(13)
    hits = {"omission (clause deleted from the English)": [0, 0],
            "addition (clause deleted from the Russian)": [0, 0]}
    for index, (src, tgt) in enumerate(zip(ru, en, strict=True)):
        planted_en = _plant_clause_deletion(tgt, lexicon, morph, "en", rng)
        if planted_en is not None:
            found = check_omission(Pair(index, src, planted_en), context)
            tally = hits["omission (clause deleted from the English)"]
            tally[0] += any(f.category.value == "Accuracy/Omission" and
                            f.severity.rank >= Severity.MAJOR.rank for f in found)
            tally[1] += 1
        planted_ru = _plant_clause_deletion(src, lexicon, morph, "ru", rng)
        if planted_ru is not None:
            found = check_omission(Pair(index, planted_ru, tgt), context)
            tally = hits["addition (clause deleted from the Russian)"]
            tally[0] += any(f.category.value == "Accuracy/Addition" for f in found)
            tally[1] += 1
    slipped = sum(bool(list(check_weak_pair(Pair(i, a, b, confidence=0.3), context)))
                  for i, (a, b) in enumerate(zip(ru[:-1], en[1:], strict=True)))
    hits["weak pair (Russian i with English i+1)"] = [slipped, len(ru) - 1]
    print("recall on planted divergences")
    for name, (hit, total) in hits.items():
        print(f"  {name:<45} {hit / total:.3f} ({hit}/{total})")
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared data folder (default ../shared)")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "lexicon-ru-en.tsv.gz")
    parser.add_argument("--no-un-tail", dest="un_tail", action="store_false",
                        help="leave UN devset lines 2001-4000 out of training")
    parser.add_argument("--iterations", type=int, default=5, help="EM iterations (default 5)")
    parser.add_argument("--max-len", type=int, default=80,
                        help="skip pairs with more words than this on a side (default 80)")
    parser.add_argument("--min-prob", type=float, default=0.02,
                        help="keep rows with p(en|ru) or p(ru|en) at least this (default 0.02)")
    parser.add_argument("--min-count", type=float, default=1.0,
                        help="... and at least this many expected links (default 1.0)")
    parser.add_argument("--top", type=int, default=10,
                        help="at most this many stems per lemma and lemmas per stem (default 10)")
    parser.add_argument("--min-seen-count", type=int, default=3,
                        help="write seen rates for words seen this often (default 3)")
    parser.add_argument("--evaluate", action="store_true",
                        help="train nothing: measure the checks that use the table at --out")
    parser.add_argument("--show", type=int, default=0,
                        help="with --evaluate, print this many clean pairs with findings")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not (args.shared / "data" / "parallel" / "ru-en.train.tsv").is_file():
        log(f"no training data under {args.shared}/data/parallel (see ../shared/README.md; "
            "pass --shared PATH)")
        return 2
    if args.evaluate:
        return evaluate(args)
    began = time.perf_counter()
    pairs = read_pairs(args.shared, args.un_tail)
    log(f"{len(pairs)} training pairs")
    morph = Morphology()
    ru_vocab, en_vocab, en_forms, ru_sents, en_sents = tokenise(pairs, morph, args.max_len)
    log(f"{len(ru_sents)} pairs kept; {len(ru_vocab.names)} Russian lemmas, "
        f"{len(en_vocab.names)} English stems ({time.perf_counter() - began:.0f} s)")

    pair_id, ru_of, en_of, ru_pos, en_pos, ru_tok, en_tok = flat_pairs(
        ru_sents, en_sents, len(en_vocab.names))
    log(f"{len(pair_id)} co-occurrences, {len(ru_of)} distinct pairs "
        f"({time.perf_counter() - began:.0f} s)")

    log("p(en|ru):")
    p_en, c_en = model1(pair_id, ru_of, en_pos, en_tok[en_pos] != NULL,
                        len(ru_vocab.names), len(en_tok), args.iterations)
    log("p(ru|en):")
    p_ru, c_ru = model1(pair_id, en_of, ru_pos, ru_tok[ru_pos] != NULL,
                        len(en_vocab.names), len(ru_tok), args.iterations)
    del pair_id, ru_pos, en_pos

    # A lemma is a function word if listed; a stem if every word (or part of a hyphenated
    # word) that made it is listed ("sever" stays: "severe" made it as well as "several").
    stop = Stopwords.load()
    lexicon = Lexicon({}, stop)
    content_ru = np.array([lexicon.is_ru_content(w, w) for w in ru_vocab.names])
    content_en = np.zeros(len(en_vocab.names), dtype=bool)
    for form in en_forms:
        for part in form.split("-"):
            stem = en_vocab.ids.get(morph.en_stem(part)) if part else None
            if stem is not None and lexicon.is_en_content(part):
                content_en[stem] = True
    chosen = select_rows(ru_of, en_of, p_en, c_en, p_ru, c_ru,
                         args.min_prob, args.min_count, args.top)
    chosen = chosen[content_ru[ru_of[chosen]] & content_en[en_of[chosen]]]
    rows = sorted((ru_vocab.names[ru_of[k]], en_vocab.names[en_of[k]],
                   float(p_en[k]), float(p_ru[k])) for k in chosen)

    table: dict[str, set[str]] = {}
    for ru, en, prob, prob_rev in rows:
        if max(prob, prob_rev) >= DEFAULT_MIN_PROB:
            table.setdefault(ru, set()).add(en)
    lexicon = Lexicon({k: frozenset(v) for k, v in table.items()}, stop)
    ru_seen, en_seen = seen_rates(pairs, lexicon, morph, args.min_seen_count)
    log(f"seen rates for {len(ru_seen)} lemmas and {len(en_seen)} stems "
        f"({time.perf_counter() - began:.0f} s)")
    count = write_table(args.out, rows, ru_seen, en_seen)
    log(f"{count} pair rows for {len({r[0] for r in rows})} lemmas -> {args.out} "
        f"({args.out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
