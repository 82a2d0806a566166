"""aligner corpus: inputs, outputs, filters, resuming, and the same bytes from every engine.

The documents are small diplomatic sentences that carry numbers, and the encoder is a fake
that hashes those numbers (a sentence and its translation get the same vector), so the
whole pipeline runs in milliseconds per document without loading USE.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from aligner.checks import CheckContext
from aligner.cli import app
from aligner.corpus import (
    CorpusConfig,
    CorpusFilters,
    DaskEngine,
    LocalEngine,
    build_corpus,
    discover_inputs,
    pair_by_language_suffix,
    pair_folders,
    process_document,
    read_manifest,
)
from aligner.corpus.document import result_from_json, result_to_json
from aligner.encoders.base import Encoder, Matrix, l2_normalise
from aligner.errors import InputError, UsageError
from aligner.io import read_tmx

#: One cheap check: workers load no glossary, gazetteer or word lists (engine tests).
LIGHT = CorpusConfig(checks=("numbers.v1",))
OUTPUTS = ("corpus.jsonl", "corpus.tsv", "corpus.tmx", "corpus.ru", "corpus.en",
           "corpus.signature", "documents.tsv", "terms.tsv", "stats.json")


#: USE's width: the adequacy model weighs products of the two sides' vectors.
DIMENSIONS = 512


class NumberEncoder(Encoder):
    """A sentence's vector is a hash of the numbers in it, plus a constant.

    Named like USE so that the adequacy model takes its vectors instead of loading USE.
    ``crash_on``: raise when asked to encode a text containing it (a simulated crash).
    """

    name = "use-m3"
    version = "test-numbers"
    made = itertools.count()  # instances made in this process, for the load-once test

    def __init__(self, crash_on: str | None = None):
        self.crash_on = crash_on
        self.serial = next(NumberEncoder.made)

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), DIMENSIONS), np.float32)
        for row, text in enumerate(texts):
            if self.crash_on is not None and self.crash_on in text:
                raise RuntimeError("simulated crash")
            out[row, -1] = 0.3
            for number in re.findall(r"\d+", text):
                out[row, zlib.crc32(number.encode()) % (DIMENSIONS - 1)] += 1.0
        return l2_normalise(out)


@dataclass(frozen=True)
class MakeEncoder:
    """A picklable encoder factory (module level, so spawned workers can import it)."""

    crash_on: str | None = None

    def __call__(self) -> Encoder:
        return NumberEncoder(self.crash_on)


PAIRS = [
    ("В {n} году делегация провела {m} встреч с партнёрами.",
     "In {n} the delegation held {m} meetings with partners."),
    ("Совет Безопасности принял резолюцию {n} {m} голосами.",
     "The Security Council adopted resolution {n} by {m} votes."),
    ("На конференции выступили {n} министров из {m} стран.",
     "The conference heard {n} ministers from {m} countries."),
    ("Бюджет программы составил {n} млн долларов на {m} лет.",
     "The programme budget was {n} million dollars over {m} years."),
    ("Стороны подписали {n} соглашений и {m} меморандумов.",
     "The parties signed {n} agreements and {m} memoranda."),
]
IRRITANTS = ("Такие шаги создают новые раздражители в двусторонних отношениях.",
             "Such steps create new {} in bilateral relations.")


def document(seed: int, *, irritants: str | None = None, dropped: bool = False
             ) -> tuple[str, str]:
    """Russian and English texts of five numbered sentence pairs (paragraph per line)."""
    ru, en = [], []
    for k, (r, e) in enumerate(PAIRS):
        n, m = 1000 + 37 * seed + k, 11 * seed + k + 2
        ru.append(r.format(n=n, m=m))
        en.append(e.format(n=n, m=m))
    if irritants is not None:
        ru.insert(2, IRRITANTS[0])
        en.insert(2, IRRITANTS[1].format(irritants))
    if dropped:
        ru.insert(4, f"Переговоры продлились {900 + seed} минут.")
    return "\n".join(ru) + "\n", "\n".join(en) + "\n"


def write_pair(folder: Path, doc_id: str, texts: tuple[str, str]) -> tuple[Path, Path]:
    ru, en = folder / f"{doc_id}.ru.txt", folder / f"{doc_id}.en.txt"
    ru.write_text(texts[0], encoding="utf-8")
    en.write_text(texts[1], encoding="utf-8")
    return ru, en


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five documents: two rendering «раздражители» differently, one with a dropped
    sentence, one repeating another (for --dedup), one with an empty English file."""
    folder = tmp_path_factory.mktemp("docs")
    write_pair(folder, "a01", document(1, irritants="irritants"))
    write_pair(folder, "a02", document(2, irritants="annoyances", dropped=True))
    write_pair(folder, "a03", document(3))
    write_pair(folder, "a04", document(1, irritants="irritants"))
    _, en = write_pair(folder, "b01", document(5))
    en.write_text("", encoding="utf-8")
    rows = ["id\tru\ten\tyear"] + [f"{d}\t{d}.ru.txt\t{d}.en.txt\t{2019 + k}"
                                   for k, d in enumerate(["a03", "a01", "b01", "a04", "a02"])]
    path = folder / "manifest.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def build(manifest: Path, out: Path, **kwargs: object) -> dict[str, object]:
    run = build_corpus(read_manifest(manifest), out,
                       encoder=kwargs.pop("encoder", MakeEncoder()),  # type: ignore[arg-type]
                       formats=("tsv", "tmx", "moses"), **kwargs)  # type: ignore[arg-type]
    return run.stats


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def reference(manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One uninterrupted in-process run: what every other engine and run must reproduce."""
    out = tmp_path_factory.mktemp("reference")
    build(manifest, out)
    return out


def copy_of(reference: Path, tmp_path: Path) -> Path:
    """The reference run's folder, saved results included, to reassemble or rerun."""
    return Path(shutil.copytree(reference, tmp_path / "out"))


@pytest.fixture(scope="module")
def light_reference(manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An in-process run with only the numbers check, for the engine comparisons."""
    out = tmp_path_factory.mktemp("light")
    build(manifest, out, config=LIGHT)
    return out


@pytest.fixture(scope="module")
def context() -> CheckContext:
    return CorpusConfig().new_context()


def records(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "corpus.jsonl").read_text("utf-8").splitlines()]


# --- inputs ----------------------------------------------------------------------------------


def test_manifest_lists_every_bad_row_in_one_error(tmp_path: Path) -> None:
    write_pair(tmp_path, "a", document(1))
    (tmp_path / "m.tsv").write_text(
        "id\tru\ten\tsource\n"
        "a\ta.ru.txt\ta.en.txt\tmid.ru\n"
        "a\ta.ru.txt\ta.en.txt\tmid.ru\n"
        "b\tmissing.ru.txt\ta.en.txt\tmid.ru\n"
        "c\ta.ru.txt\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_manifest(tmp_path / "m.tsv")
    message = str(caught.value)
    assert "3 bad rows" in message
    assert "line 3: duplicate id 'a' (first on line 2)" in message
    assert "line 4: ru file 'missing.ru.txt' not found" in message
    assert "line 5: 2 columns, the header has 4" in message
    assert "\n" not in message


def test_manifest_header_must_name_both_languages(tmp_path: Path) -> None:
    (tmp_path / "m.tsv").write_text("id\tsource\ttarget\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'ru', 'en'"):
        read_manifest(tmp_path / "m.tsv")


def test_manifest_metadata_travels_and_jobs_sort_by_id(manifest: Path) -> None:
    inputs = read_manifest(manifest)
    assert [job.id for job in inputs.jobs] == ["a01", "a02", "a03", "a04", "b01"]
    assert inputs.metadata_columns == ("year",)
    assert dict(inputs.jobs[0].metadata) == {"year": "2020"}
    assert Path(inputs.jobs[0].src).is_absolute()


def test_two_folders_pair_by_name_and_list_the_unpaired(tmp_path: Path) -> None:
    for side, names in (("ru", ["1.txt", "2.txt", "sub/3.txt", "only-ru.txt"]),
                        ("en", ["1.txt", "2.txt", "sub/3.txt", "only-en.txt"])):
        for name in names:
            (tmp_path / side / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / name).write_text("text", encoding="utf-8")
    inputs = pair_folders(tmp_path / "ru", tmp_path / "en")
    assert [job.id for job in inputs.jobs] == ["1", "2", "sub/3"]
    assert [(Path(u.path).name, u.reason.split(" in ")[0]) for u in inputs.unpaired] == [
        ("only-en.txt", "no ru file named only-en.*"),
        ("only-ru.txt", "no en file named only-ru.*"),
    ]


def test_one_folder_pairs_by_language_suffix(tmp_path: Path) -> None:
    write_pair(tmp_path, "12", document(1))
    write_pair(tmp_path, "13", document(2))
    (tmp_path / "14.ru.txt").write_text("текст", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    inputs = pair_by_language_suffix(tmp_path)
    assert [job.id for job in inputs.jobs] == ["12", "13"]
    assert [(Path(u.path).name, u.reason) for u in inputs.unpaired] == [
        ("14.ru.txt", "no 14.en.* beside it"),
        ("notes.txt", "the name has no .ru or .en before its extension"),
    ]
    assert discover_inputs([tmp_path]).jobs == inputs.jobs
    # An output folder inside the input folder is not searched: corpus.ru + corpus.en.
    (tmp_path / "out").mkdir()
    write_pair(tmp_path / "out", "corpus", document(3))
    assert len(discover_inputs([tmp_path]).jobs) == 3
    assert discover_inputs([tmp_path], exclude=tmp_path / "out").jobs == inputs.jobs


def test_no_pairs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "14.ru.txt").write_text("текст", encoding="utf-8")
    with pytest.raises(InputError, match=r"no document pairs to align \(1 files without"):
        build_corpus(pair_by_language_suffix(tmp_path), tmp_path / "out",
                     encoder=MakeEncoder())


# --- one document ----------------------------------------------------------------------------


def test_process_document_round_trips_through_json(manifest: Path,
                                                  context: CheckContext) -> None:
    job = read_manifest(manifest).jobs[1]  # a02: the dropped sentence
    result = process_document(job, CorpusConfig(), NumberEncoder(), context=context)
    assert result.ok and result.src_sentences == 7 and result.tgt_sentences == 6
    assert [b.kind for b in result.beads].count("1-0") == 1
    assert all(b.adequacy is None for b in result.beads if b.is_null)
    assert result.document_score is not None
    assert dict(result.terms)["раздражители"] == (("annoyances", 1),)
    assert result_from_json(result_to_json(result)) == result


def test_an_empty_file_is_a_failed_document_not_an_error(manifest: Path,
                                                         context: CheckContext) -> None:
    job = read_manifest(manifest).jobs[-1]  # b01
    result = process_document(job, CorpusConfig(), NumberEncoder(), context=context)
    assert not result.ok and "the file is empty" in (result.error or "")


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_records_in_document_order_with_metadata(reference: Path) -> None:
    rows = records(reference)
    assert [r["doc"] for r in rows] == sorted(r["doc"] for r in rows)  # type: ignore[type-var]
    assert {r["doc"] for r in rows} == {"a01", "a02", "a03", "a04"}
    first = rows[0]
    assert list(first) == ["doc", "bead", "src_idx", "tgt_idx", "src_text", "tgt_text",
                           "kind", "confidence", "score", "adequacy", "findings", "metadata"]
    assert first["metadata"] == {"year": "2020"} and first["bead"] == 0
    assert first["src_text"] == "В 1037 году делегация провела 13 встреч с партнёрами."
    assert first["tgt_text"] == "In 1037 the delegation held 13 meetings with partners."
    deprecated = [r for r in rows if "annoyances" in str(r["tgt_text"])]
    assert [f["check"] for f in deprecated[0]["findings"]] == ["terminology.v1"]  # type: ignore[index]


def test_stats_count_documents_beads_and_failures(reference: Path) -> None:
    stats = json.loads((reference / "stats.json").read_text("utf-8"))
    assert stats["documents"] == {"total": 5, "aligned": 4, "failed": 1}
    assert stats["sentences"] == {"src": 6 + 7 + 5 + 6, "tgt": 6 + 6 + 5 + 6}
    assert stats["beads"]["by_kind"] == {"1-1": 23, "1-0": 1}
    assert stats["beads"]["kept"] == 24
    assert sum(stats["histograms"]["confidence"]["counts"]) == 24
    assert sum(stats["histograms"]["adequacy"]["counts"]) == 23
    assert [f["id"] for f in stats["failures"]] == ["b01"]
    assert "the file is empty" in stats["failures"][0]["error"]
    assert stats["signature"].startswith("aligner:") and "enc:use-m3@test-numbers" in \
        stats["signature"]


def test_documents_tsv_says_why_a_document_failed(reference: Path) -> None:
    lines = (reference / "documents.tsv").read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert [r["id"] for r in rows] == ["a01", "a02", "a03", "a04", "b01"]
    assert rows[1]["status"] == "aligned" and rows[1]["null_beads"] == "1"
    assert rows[4]["status"] == "failed" and "the file is empty" in rows[4]["error"]
    assert rows[4]["year"] == "2021"


def test_terms_rendered_two_ways_across_documents(reference: Path) -> None:
    lines = (reference / "terms.tsv").read_text("utf-8").splitlines()
    assert lines == ["ru\ten\tcount\tdocuments",
                     "раздражители\tirritants\t2\ta01,a04",
                     "раздражители\tannoyances\t1\ta02"]


def test_tmx_and_moses_hold_the_non_null_beads(reference: Path) -> None:
    units = read_tmx(reference / "corpus.tmx")
    assert len(units) == 23
    assert units[0].src_text.startswith("В 1037 году")
    ru = (reference / "corpus.ru").read_text("utf-8").splitlines()
    en = (reference / "corpus.en").read_text("utf-8").splitlines()
    assert len(ru) == len(en) == 23
    tsv = (reference / "corpus.tsv").read_text("utf-8").splitlines()
    assert tsv[0].startswith("# signature: aligner:") and tsv[1].endswith("\tyear")
    assert len(tsv) == 2 + 24


def test_filters_apply_at_assembly_and_reuse_saved_results(manifest: Path, reference: Path,
                                                           tmp_path: Path) -> None:
    out = copy_of(reference, tmp_path)
    run = build_corpus(read_manifest(manifest), out, encoder=MakeEncoder(),
                       filters=CorpusFilters(drop_null=True, dedup=True,
                                             length_ratio=(0.5, 2.0)))
    assert run.processed == 0 and run.resumed == 5
    beads = run.stats["beads"]
    # a04 repeats a01 (6 beads), a02's dropped sentence is a null bead.
    assert beads["filtered"] == {"null": 1, "confidence": 0, "adequacy": 0,
                                 "length_ratio": 0, "duplicate": 6}
    assert beads["kept"] == 24 - 7
    assert "a04" not in {r["doc"] for r in records(out)}


def test_confidence_and_adequacy_thresholds(manifest: Path, reference: Path,
                                            tmp_path: Path) -> None:
    rows = records(reference)
    confidence = sorted(float(r["confidence"]) for r in rows)  # type: ignore[arg-type]
    threshold = confidence[len(confidence) // 2]
    out = copy_of(reference, tmp_path)
    run = build_corpus(read_manifest(manifest), out, encoder=MakeEncoder(),
                       filters=CorpusFilters(min_confidence=threshold, min_adequacy=0.0))
    assert run.processed == 0
    kept = records(out)
    assert run.stats["beads"]["filtered"]["confidence"] == sum(c < threshold
                                                               for c in confidence)
    assert kept and all(float(r["confidence"]) >= threshold for r in kept)  # type: ignore[arg-type]


def test_bad_filter_values_are_usage_errors(manifest: Path, tmp_path: Path) -> None:
    for filters in (CorpusFilters(min_confidence=1.5), CorpusFilters(min_adequacy=-1),
                    CorpusFilters(length_ratio=(2.0, 1.0))):
        with pytest.raises(UsageError):
            build_corpus(read_manifest(manifest), tmp_path, encoder=MakeEncoder(),
                         filters=filters)


# --- resuming --------------------------------------------------------------------------------


def test_a_crashed_run_resumes_to_the_same_bytes(manifest: Path, reference: Path,
                                                 tmp_path: Path) -> None:
    # a03's first sentence: documents are processed in id order, so a01 and a02 are saved
    # when the run dies on a03.
    crash = MakeEncoder(crash_on="1111 году")
    with pytest.raises(RuntimeError, match="simulated crash"):
        build(manifest, tmp_path, encoder=crash)
    assert not (tmp_path / "corpus.jsonl").exists()
    assert len(list((tmp_path / ".parts").glob("*.json"))) == 2
    run = build_corpus(read_manifest(manifest), tmp_path, encoder=MakeEncoder(),
                       formats=("tsv", "tmx", "moses"))
    assert (run.processed, run.resumed) == (3, 2)
    assert outputs(tmp_path) == outputs(reference)


def test_changed_input_is_processed_again(manifest: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pair(folder, "x", document(7))
    write_pair(folder, "y", document(8))
    inputs = pair_by_language_suffix(folder)
    build_corpus(inputs, tmp_path / "out", encoder=MakeEncoder(), config=LIGHT)
    write_pair(folder, "y", document(9))
    run = build_corpus(inputs, tmp_path / "out", encoder=MakeEncoder(), config=LIGHT)
    assert (run.processed, run.resumed) == (1, 1)


def test_other_settings_in_the_same_folder_are_refused(manifest: Path, reference: Path,
                                                       tmp_path: Path) -> None:
    out = copy_of(reference, tmp_path)
    other = CorpusConfig(exclude_checks=("terminology.v1",))
    with pytest.raises(UsageError, match=r"other settings \(checks: .* -> .*\)"):
        build(manifest, out, config=other)
    assert outputs(out) == outputs(reference)
    stats = build(manifest, out, config=other, restart=True)
    assert "terminology.v1" not in stats["findings"]["by_check"]  # type: ignore[index]
    assert outputs(out) != outputs(reference)


# --- engines ---------------------------------------------------------------------------------


def test_two_local_processes_write_the_same_bytes(manifest: Path, light_reference: Path,
                                                  tmp_path: Path) -> None:
    build(manifest, tmp_path, config=LIGHT, engine=LocalEngine(workers=2))
    assert outputs(tmp_path) == outputs(light_reference)


def test_dask_cluster_writes_the_same_bytes_and_loads_one_encoder_per_worker(
    manifest: Path, light_reference: Path, tmp_path: Path,
) -> None:
    pytest.importorskip("distributed")
    before = next(NumberEncoder.made)
    build(manifest, tmp_path, config=LIGHT, engine=DaskEngine(workers=2, processes=False))
    made = next(NumberEncoder.made) - before - 1
    assert outputs(tmp_path) == outputs(light_reference)
    # One for the run's signature here, one per worker: not one per document.
    assert made == 3


# --- command line ----------------------------------------------------------------------------


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["corpus", *args])
    return result.exit_code, result.stderr


def test_cli_bad_manifest_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "m.tsv").write_text("id\tru\ten\nx\tno.txt\tno.txt\n", encoding="utf-8")
    code, err = run_cli("--manifest", str(tmp_path / "m.tsv"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert err.count("\n") == 1 and "line 2: ru file 'no.txt' not found" in err


@pytest.mark.parametrize(("args", "message"), [
    (["--engine", "local", "--scheduler", "tcp://x:8786"], "--scheduler needs --engine dask"),
    (["--min-confidence", "2"], "is not between 0 and 1"),
    (["--max-bead", "1"], "max-bead"),
    (["--length-ratio", "2", "0.5"], "need 0 < LOW < HIGH"),
    (["-f", "tmx", "-f", "xml"], "'xml' is not one of"),
])
def test_cli_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, err = run_cli(str(tmp_path), "-o", str(tmp_path / "out"), *args)
    assert code == 2 and message in err


def test_cli_lists_unpaired_files(tmp_path: Path) -> None:
    (tmp_path / "14.ru.txt").write_text("текст", encoding="utf-8")
    code, err = run_cli(str(tmp_path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "aligner: unpaired: " in err and "14.ru.txt: no 14.en.* beside it" in err



@pytest.mark.slow
def test_cli_builds_a_corpus_with_the_real_encoder(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    shutil.copy(demo / "comment.ru.txt", tmp_path / "comment.ru.txt")
    shutil.copy(demo / "comment.en.txt", tmp_path / "comment.en.txt")
    code, err = run_cli(str(tmp_path), "-o", str(tmp_path / "out"), "--drop-null",
                        "-f", "tmx")
    assert code == 0, err
    assert "aligned 1 of 1 documents (0 failed); 12 of 13 beads kept" in err
    rows = records(tmp_path / "out")
    assert len(rows) == 12 and {r["doc"] for r in rows} == {"comment"}
    assert any(f["check"] == "polarity.v1" for r in rows for f in r["findings"])  # type: ignore[attr-defined]
    assert (tmp_path / "out" / "corpus.tmx").exists()


def test_a_worker_renews_its_check_context_without_changing_results(manifest: Path) -> None:
    from aligner.corpus.engines import Worker

    jobs = read_manifest(manifest).jobs[:3]
    renewing = Worker(LIGHT, MakeEncoder(), 1, context_documents=2)
    contexts, results = [], []
    for job in jobs:
        results.append(renewing.process(job))
        contexts.append(id(renewing.context))
    assert contexts[0] == contexts[1] != contexts[2]
    steady = Worker(LIGHT, MakeEncoder(), 1)
    assert [steady.process(job) for job in jobs] == results
