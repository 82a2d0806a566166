"""Command-line interface: a thin Typer layer over the library.

Each command parses options, builds a config, calls one library function and writes the
result. Errors from the library (``AlignerError``) become one line on stderr and an exit code:
0 ok, 1 data or runtime error, 2 usage error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aligner import __version__
from aligner.errors import AlignerError, UsageError

if TYPE_CHECKING:
    from aligner.encoders.base import Encoder
    from aligner.suppress import Suppression, SuppressionResult

app = typer.Typer(
    name="aligner",
    help="Align Russian originals with their English translations, sentence by sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Paragraphs(StrEnum):
    auto = "auto"
    blank = "blank"
    line = "line"


class OutputFormat(StrEnum):
    tsv = "tsv"
    jsonl = "jsonl"
    beads = "beads"
    tmx = "tmx"
    moses = "moses"
    html = "html"
    xlsx = "xlsx"
    xliff = "xliff"


class SegmentFormat(StrEnum):
    text = "text"
    tsv = "tsv"
    jsonl = "jsonl"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    xlsx = "xlsx"
    xliff = "xliff"


#: Formats that render a whole review (alignment, findings, scores) into one file.
REVIEW_FORMATS = frozenset({"html", "xlsx", "xliff"})


class FailOn(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"


# Option groups shared between commands are defined once (sqlite-utils' output_options idea).
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Force the input encoding (default: detect UTF-8/16, "
                 "cp1251, koi8-r)."),
]
ParagraphsOpt = Annotated[
    Paragraphs,
    typer.Option("--paragraphs", help="Paragraphs are blank-line separated, one per line, "
                 "or auto (blank if the text has blank lines)."),
]
PresplitOpt = Annotated[
    bool, typer.Option("--presplit", help="Every line is one sentence (benchmark mode).")
]
SrcLangOpt = Annotated[str, typer.Option("--src-lang", help="Source language code.")]
TgtLangOpt = Annotated[str, typer.Option("--tgt-lang", help="Target language code.")]
EncoderOpt = Annotated[
    str, typer.Option("--encoder", help="use (embedded default) or hf:<local path or model id>.")
]
SecondEncoderOpt = Annotated[
    str | None,
    typer.Option("--second-encoder", help="A second opinion for the learned search pass: e5 "
                 "(multilingual-e5-small; about 30x slower than use; needs aligner[e5])."),
]
ThreadsOpt = Annotated[
    int | None, typer.Option("--threads", min=1, help="Encoder threads (default: up to 2).")
]
ChecksOpt = Annotated[
    list[str] | None, typer.Option("--checks", help="Run only these checks (repeatable).")
]
ExcludeChecksOpt = Annotated[
    list[str] | None, typer.Option("--exclude-checks", help="Skip these checks (repeatable).")
]
GlossaryOpt = Annotated[
    list[Path] | None,
    typer.Option("--glossary", help="A TSV or TBX glossary (repeatable), added to the "
                 "built-in one."),
]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and the error's exit code."""
    try:
        yield
    except AlignerError as err:
        typer.echo(f"aligner: error: {err}", err=True)
        raise typer.Exit(err.exit_code) from err


def _second(name: str | None, threads: int | None) -> Encoder | None:
    """The ``--second-encoder``, if one was asked for (loaded on first use)."""
    if name is None:
        return None
    from aligner.encoders import get_second_encoder

    return get_second_encoder(name, threads=threads)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Align Russian originals with their English translations, sentence by sentence."""


@app.command()
def align(
    src: Annotated[Path, typer.Argument(help="Source document (the original, Russian by "
                                        "default).")],
    tgt: Annotated[Path, typer.Argument(help="Target document (the translation).")],
    src_lang: SrcLangOpt = "ru",
    tgt_lang: TgtLangOpt = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    encoder: EncoderOpt = "use",
    threads: ThreadsOpt = None,
    second_encoder: SecondEncoderOpt = None,
    max_bead: Annotated[int, typer.Option("--max-bead", help="Largest bead in sentences, "
                                          "source + target (2..8).")] = 5,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")
                   ] = OutputFormat.tsv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here "
                                                "(moses: PATH.<lang> files); default stdout.")
                      ] = None,
) -> None:
    """Align two documents sentence by sentence."""
    from aligner.encoders import get_encoder
    from aligner.io import write_alignment
    from aligner.pipeline import AlignConfig, align_files

    with _user_errors():
        config = AlignConfig(max_bead=max_bead)
        config.bead_shapes()  # a bad --max-bead is a usage error before any reading
        model = get_encoder(encoder, threads=threads)
        alignment = align_files(
            src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
            paragraphs=paragraphs.value, presplit=presplit, encoder=model, config=config,
            second_encoder=_second(second_encoder, threads),
        )
        if fmt.value in REVIEW_FORMATS:
            from aligner.check import CheckReport, pairs_from_alignment
            from aligner.io import write_review
            from aligner.review import Review

            report = CheckReport(pairs_from_alignment(alignment), (), ())
            similarity = None
            if fmt is OutputFormat.html:  # the report draws the similarity matrix
                from aligner.similarity import sentence_similarity

                similarity = sentence_similarity(alignment, model)
            review = Review(report, alignment, signature=str(alignment.signature),
                            similarity=similarity)
            written = write_review(review, fmt.value, output)
        else:
            written = write_alignment(alignment, fmt.value, output)
        for path in written:
            typer.echo(f"wrote {path}", err=True)


@app.command()
def segment(
    file: Annotated[Path, typer.Argument(help="Document to split into sentences.")],
    lang: Annotated[str, typer.Option("--lang", help="Language code (ru, en, ...).")] = "ru",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    fmt: Annotated[SegmentFormat, typer.Option("--format", "-f", help="text: one sentence "
                                               "per line with its paragraph; tsv; jsonl.")
                   ] = SegmentFormat.text,
) -> None:
    """Print the sentences of a document, to check a splitter decision."""
    from aligner.read import read_document

    with _user_errors():
        doc = read_document(file, lang, encoding=encoding, paragraphs=paragraphs.value)
        if fmt is SegmentFormat.tsv:
            typer.echo("index\tparagraph\tstart\tend\ttext")
        for s in doc.sentences:
            if fmt is SegmentFormat.text:
                typer.echo(f"{s.index:>4} ¶{s.paragraph:<3} {s.text}")
            elif fmt is SegmentFormat.tsv:
                typer.echo(f"{s.index}\t{s.paragraph}\t{s.start}\t{s.end}\t{s.text}")
            else:
                typer.echo(json.dumps({"index": s.index, "paragraph": s.paragraph,
                                       "start": s.start, "end": s.end, "text": s.text},
                                      ensure_ascii=False))


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold beads: a file, or a directory of files.")],
    test: Annotated[Path, typer.Argument(help="Test beads: a file, or a directory of "
                                         "same-named files.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.text,
) -> None:
    """Strict and lax precision/recall/F1 of an alignment against gold beads."""
    from aligner.quality import evaluate_paths

    with _user_errors():
        scores = evaluate_paths(gold, test)
        if fmt is ReportFormat.json:
            typer.echo(json.dumps(scores.as_dict(), indent=2, ensure_ascii=False))
        else:
            typer.echo(scores.report())


checks_app = typer.Typer(help="The divergence checks.", no_args_is_help=True)
app.add_typer(checks_app, name="checks")


@checks_app.command("list")
def checks_list() -> None:
    """List the registered checks with their severity, category and title."""
    from aligner.checks import registered

    for spec in registered().values():
        typer.echo(f"{spec.name:<16} {spec.severity.value:<9} {spec.category.value:<24} "
                   f"{spec.title}")


suppress_app = typer.Typer(
    help="Remember findings dismissed as false alarms; 'aligner check' hides them.",
    no_args_is_help=True,
)
app.add_typer(suppress_app, name="suppress")

SuppressFileArg = Annotated[Path, typer.Argument(
    help="The suppression file (JSON), e.g. SRC's sidecar <stem>.aligner-suppress.json.")]
FingerprintsArg = Annotated[list[str], typer.Argument(
    help="Fingerprints, or unique prefixes of at least 6 digits, as 'aligner check' "
    "shows them after each finding's check name.")]


@suppress_app.command("add")
def suppress_add(
    file: SuppressFileArg,
    fingerprints: FingerprintsArg,
    report: Annotated[Path, typer.Option(
        "--report", "-r", help="The report the findings come from: the output of "
        "'aligner check RU EN -f json -o REPORT' (or -f jsonl).")],
    note: Annotated[str | None, typer.Option("--note", help="Why it is a false alarm.")
                    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decided (default: your "
                                           "login name).")] = None,
) -> None:
    """Dismiss findings: later 'aligner check' runs with this file no longer show them."""
    import getpass
    from datetime import UTC, datetime

    from aligner.suppress import SHORT_CHARS, add_suppressions, describe

    with _user_errors():
        if by is None:
            try:
                by = getpass.getuser()
            except (KeyError, OSError):  # no login name in containers without a passwd entry
                by = None
        when = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        added, present = add_suppressions(file, fingerprints, report, added=when, by=by,
                                          note=note)
        for entry in added:
            typer.echo(f"added {entry.fingerprint[:SHORT_CHARS]} {describe(entry)}")
        for entry in present:
            typer.echo(f"already there: {entry.fingerprint[:SHORT_CHARS]} {describe(entry)}")
        if added:
            typer.echo(f"wrote {file}", err=True)


@suppress_app.command("list")
def suppress_list(
    file: SuppressFileArg,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.text,
) -> None:
    """List the dismissed findings of a suppression file."""
    from aligner.suppress import describe, load_suppressions

    with _user_errors():
        entries = load_suppressions(file)
        if fmt is ReportFormat.json:
            typer.echo(json.dumps([e.as_dict() for e in entries], ensure_ascii=False,
                                  indent=2))
            return
        for e in entries:
            typer.echo(f"{e.fingerprint}  {describe(e)}")
            who = " ".join(filter(None, (e.added, f"by {e.by}" if e.by else None)))
            if who or e.note:
                typer.echo(f"    {who}{': ' if who and e.note else ''}{e.note or ''}")
        typer.echo(f"{len(entries)} suppression{'s' if len(entries) != 1 else ''} in {file}",
                   err=True)


@suppress_app.command("remove")
def suppress_remove(file: SuppressFileArg, fingerprints: FingerprintsArg) -> None:
    """Forget dismissed findings, so that 'aligner check' shows them again."""
    from aligner.suppress import SHORT_CHARS, describe, remove_suppressions

    with _user_errors():
        for entry in remove_suppressions(file, fingerprints):
            typer.echo(f"removed {entry.fingerprint[:SHORT_CHARS]} {describe(entry)}")


@app.command()
def check(
    src: Annotated[Path, typer.Argument(help="Source document (the original).")],
    tgt: Annotated[Path, typer.Argument(help="Target document (the translation).")],
    src_lang: SrcLangOpt = "ru",
    tgt_lang: TgtLangOpt = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    aligned: Annotated[bool, typer.Option("--aligned", help="The files are already "
                                          "line-aligned (line i <-> line i): only check.")
                       ] = False,
    encoder: EncoderOpt = "use",
    threads: ThreadsOpt = None,
    second_encoder: SecondEncoderOpt = None,
    checks: ChecksOpt = None,
    exclude_checks: ExcludeChecksOpt = None,
    glossary: GlossaryOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 when a finding at or above this severity exists.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary "
                                        "line.")] = False,
    suppress: Annotated[Path | None, typer.Option(
        "--suppress", help="Hide the findings dismissed in this file (see 'aligner suppress'"
        "); default: SRC's sidecar <stem>.aligner-suppress.json when it exists.")] = None,
    no_suppress: Annotated[bool, typer.Option(
        "--no-suppress", help="Show every finding, ignoring the sidecar file.")] = False,
) -> None:
    """Align (unless --aligned) and list where the translation diverges from the original."""
    from rich.console import Console

    from aligner.check import check_alignment, check_pairs, pairs_from_aligned_files
    from aligner.checks import Severity, select_checks
    from aligner.encoders import get_encoder
    from aligner.io import atomic_write
    from aligner.pipeline import AlignConfig, align_files
    from aligner.report import print_terminal, render_json

    with _user_errors():
        select_checks(checks, exclude_checks or ())  # unknown names fail before any work
        suppressions = _suppressions_for(src, suppress, no_suppress)
        glossaries = [str(g) for g in glossary or ()]
        alignment = None
        if aligned and second_encoder is not None:
            raise UsageError("--second-encoder needs an alignment, and --aligned pairs are "
                             "already aligned", hint="drop one of the two options")
        if aligned:
            pairs = pairs_from_aligned_files(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                             encoding=encoding)
            report = check_pairs(pairs, include=checks, exclude=exclude_checks or (),
                                 glossaries=glossaries)
            signature = f"aligner:{__version__}|aligned:yes"
        else:
            model = get_encoder(encoder, threads=threads)
            alignment = align_files(
                src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
                paragraphs=paragraphs.value, presplit=presplit,
                encoder=model, config=AlignConfig(),
                second_encoder=_second(second_encoder, threads),
            )
            report = check_alignment(alignment, include=checks,
                                     exclude=exclude_checks or (), glossaries=glossaries)
            signature = str(alignment.signature)
        signature += "|checks:" + ",".join(report.checks)
        suppression = None
        if suppressions is not None:
            from aligner.suppress import apply_suppressions

            suppression = apply_suppressions(report, suppressions[1], path=str(suppressions[0]))
            report = suppression.report
        if fmt is CheckFormat.text:
            if output is not None:
                raise UsageError("--output needs --format json or jsonl",
                                 hint="the text report is for the terminal")
            print_terminal(report, Console(highlight=False), quiet=quiet,
                           suppression=suppression)
        elif fmt.value in REVIEW_FORMATS:
            from aligner.io import write_review
            from aligner.review import Review
            from aligner.scoring import score_report

            similarity = None
            if fmt is CheckFormat.html and alignment is not None:
                from aligner.similarity import sentence_similarity

                similarity = sentence_similarity(alignment, model)
            scored = score_report(report, alignment=alignment, signature=signature,
                                  encoder=None if alignment is None else model)
            review = Review(report, alignment, scored.adequacy, scored.document,
                            scored.signature, similarity=similarity)
            for path in write_review(review, fmt.value, output):
                typer.echo(f"wrote {path}", err=True)
        else:
            from aligner.scoring import score_report  # the text report needs no scores

            scored = score_report(report, alignment=alignment, signature=signature,
                                  encoder=None if alignment is None else model)
            text = render_json(report, alignment, scored.signature,
                               lines=fmt is CheckFormat.jsonl, suppression=suppression,
                               adequacy=scored.adequacy, document=scored.document)
            if output is None:
                typer.echo(text, nl=False)
            else:
                atomic_write(output, text)
        if suppression is not None and suppression.stale and (
                quiet or fmt is not CheckFormat.text):
            _warn_stale(suppression)
        if fail_on is not None and report.at_least(Severity(fail_on.value)):
            raise typer.Exit(1)


def _suppressions_for(src: Path, explicit: Path | None, off: bool
                      ) -> tuple[Path, tuple[Suppression, ...]] | None:
    """The suppression file ``check`` applies (``--suppress``, else SRC's sidecar when it
    exists, none with ``--no-suppress``) and its entries."""
    from aligner.suppress import load_suppressions, sidecar_path

    if off:
        if explicit is not None:
            raise UsageError("--suppress and --no-suppress contradict each other",
                             hint="give one of them")
        return None
    path = explicit if explicit is not None else sidecar_path(src)
    if explicit is None and not path.is_file():
        return None
    return path, load_suppressions(path)


def _warn_stale(suppression: SuppressionResult) -> None:
    """Stale entries on stderr, for the outputs that have no place for them."""
    from aligner.report import stale_lines

    n = len(suppression.stale)
    typer.echo(f"aligner: warning: {n} stale suppression{'s' if n != 1 else ''} in "
               f"{suppression.path} matched no finding: "
               + "; ".join(stale_lines(suppression))
               + f" (remove with: aligner suppress remove {suppression.path} FINGERPRINT)",
               err=True)


class CorpusFormat(StrEnum):
    jsonl = "jsonl"
    tsv = "tsv"
    tmx = "tmx"
    moses = "moses"


class CorpusEngine(StrEnum):
    local = "local"
    dask = "dask"


@app.command()
def corpus(
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder (created; "
                                         "an interrupted run in it is resumed).")],
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="One folder of 123.ru.txt + 123.en.txt, or two folders (ru/ en/) whose files "
             "pair by name.", show_default=False)] = None,
    manifest: Annotated[Path | None, typer.Option(
        "--manifest", help="TSV with columns id, ru, en (paths) and metadata columns.")
    ] = None,
    src_lang: SrcLangOpt = "ru",
    tgt_lang: TgtLangOpt = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    encoder: EncoderOpt = "use",
    threads: Annotated[int, typer.Option(
        "--threads", min=1, help="Encoder threads per worker. Parallelism comes from "
                                 "--workers; with 1 thread every engine and worker count "
                                 "writes the same bytes.")] = 1,
    max_bead: Annotated[int, typer.Option("--max-bead")] = 5,
    checks: ChecksOpt = None,
    exclude_checks: ExcludeChecksOpt = None,
    glossary: GlossaryOpt = None,
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", help="Keep beads with at least this confidence (0-1).")] = None,
    min_adequacy: Annotated[float | None, typer.Option(
        "--min-adequacy", help="Keep beads with at least this adequacy (0-100).")] = None,
    length_ratio: Annotated[tuple[float, float] | None, typer.Option(
        "--length-ratio", help="Keep beads whose English/Russian character ratio is "
                               "within LOW HIGH.")] = None,
    drop_null: Annotated[bool, typer.Option("--drop-null", help="Leave out beads with no "
                                            "counterpart (1-0, 0-1).")] = False,
    dedup: Annotated[bool, typer.Option("--dedup", help="Keep only the first occurrence of "
                                        "a sentence pair across documents.")] = False,
    fmt: Annotated[list[CorpusFormat] | None, typer.Option(
        "--format", "-f", help="Also write the corpus as tsv, tmx or moses (repeatable); "
                               "corpus.jsonl is always written.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Local worker processes (default 1; with --engine "
                                       "dask and no --scheduler, the local cluster's size, "
                                       "default 2).")] = None,
    engine: Annotated[CorpusEngine, typer.Option(
        "--engine", help="local processes, or a Dask cluster (needs aligner[dask]).")
    ] = CorpusEngine.local,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a local "
                            "cluster).")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Discard the saved results of "
                                          "an earlier run in the output folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Align, check and score many document pairs into one filtered parallel corpus."""
    import functools
    import os
    import time

    from rich.console import Console

    from aligner.corpus import (
        CorpusConfig,
        CorpusFilters,
        DaskEngine,
        LocalEngine,
        build_corpus,
        discover_inputs,
    )
    from aligner.corpus.progress import CorpusProgress
    from aligner.encoders import get_encoder
    from aligner.pipeline import AlignConfig

    with _user_errors():
        if scheduler is not None and engine is not CorpusEngine.dask:
            raise UsageError("--scheduler needs --engine dask")
        if scheduler is not None and workers is not None:
            raise UsageError("--workers does not apply to a Dask cluster",
                             hint="the cluster's dask-worker processes are the workers")
        config = CorpusConfig(
            src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
            paragraphs=paragraphs.value, presplit=presplit,
            align=AlignConfig(max_bead=max_bead), checks=tuple(checks) if checks else None,
            exclude_checks=tuple(exclude_checks or ()),
            # Absolute: workers of a Dask cluster may run in another directory.
            glossaries=tuple(os.path.abspath(g) for g in glossary or ()),
        )
        config.align.bead_shapes()  # a bad --max-bead is a usage error before any reading
        filters = CorpusFilters(min_confidence, min_adequacy, length_ratio, drop_null, dedup)
        filters.validate()
        if engine is CorpusEngine.dask:
            run_on: LocalEngine | DaskEngine = DaskEngine(scheduler, workers or 2,
                                                          threads=threads)
        else:
            run_on = LocalEngine(workers or 1, threads=threads)
        # One thread per worker by default: matrix products summed in another order (more
        # threads) change scores in the sixth decimal, and so the output's bytes.
        make_encoder = functools.partial(get_encoder, encoder, threads=threads)

        found = discover_inputs(inputs or (), manifest=manifest, src_lang=src_lang,
                                tgt_lang=tgt_lang, exclude=output)
        for unpaired in found.unpaired:
            typer.echo(f"aligner: unpaired: {unpaired.path}: {unpaired.reason}", err=True)
        console = Console(stderr=True)
        started = time.perf_counter()
        with CorpusProgress(console, enabled=console.is_terminal and not quiet) as progress:
            run = build_corpus(found, output, encoder=make_encoder, config=config,
                               filters=filters, formats=[f.value for f in fmt or ()],
                               engine=run_on, restart=restart, progress=progress)
        elapsed = time.perf_counter() - started
        stats = run.stats
        for failure in stats["failures"]:
            typer.echo(f"aligner: failed: {failure['id']}: {failure['error']}", err=True)
        documents, beads = stats["documents"], stats["beads"]
        resumed = f", {run.resumed} from an earlier run" if run.resumed else ""
        typer.echo(f"aligned {documents['aligned']} of {documents['total']} documents "
                   f"({documents['failed']} failed{resumed}); {beads['kept']} of "
                   f"{beads['total']} beads kept; {len(found.unpaired)} unpaired files; "
                   f"{run.processed} documents in {elapsed:.1f} s "
                   f"({run.processed / elapsed:.2f}/s)", err=True)
        for path in run.written:
            typer.echo(f"wrote {path}", err=True)
        if not documents["aligned"]:
            raise typer.Exit(1)


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"
    xliff = "xliff"


@app.command()
def score(
    src: Annotated[Path | None, typer.Argument(
        help="Source document (the original); leave out with --alignment.",
        show_default=False)] = None,
    tgt: Annotated[Path | None, typer.Argument(help="Target document (the translation).",
                                               show_default=False)] = None,
    alignment_file: Annotated[Path | None, typer.Option(
        "--alignment", help="Re-score a saved run: the file 'aligner align RU EN -f jsonl "
        "-o FILE' wrote.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Score an --alignment file whose signature is from another aligner "
        "version or confidence calibration.")] = False,
    src_lang: SrcLangOpt = "ru",
    tgt_lang: TgtLangOpt = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    encoder: EncoderOpt = "use",
    threads: ThreadsOpt = None,
    second_encoder: SecondEncoderOpt = None,
    checks: ChecksOpt = None,
    exclude_checks: ExcludeChecksOpt = None,
    glossary: GlossaryOpt = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", min=0, max=100,
        help="Exit 1 when the document score is below this (0-100).")] = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Show, per pair, which feature groups moved its adequacy.")
    ] = False,
) -> None:
    """Score an aligned document pair: adequacy per pair and one 0-100 document score."""
    from rich.console import Console

    from aligner.checks import select_checks
    from aligner.io import atomic_write, read_alignment_jsonl, write_review
    from aligner.scorecard import print_score, score_json
    from aligner.scoring import load_saved, review, review_alignment

    with _user_errors():
        if alignment_file is not None and (src is not None or tgt is not None):
            raise UsageError("give RU EN or --alignment FILE, not both",
                             hint="--alignment re-scores a saved run without the texts")
        if explain and fmt is not ScoreFormat.text:
            raise UsageError("--explain is for the text report",
                             hint="--format json always has adequacy_contributions per pair")
        if fmt is ScoreFormat.text and output is not None:
            raise UsageError("--output needs --format json, html, xlsx or xliff",
                             hint="the text report is for the terminal")
        select_checks(checks, exclude_checks or ())  # unknown names fail before any work
        glossaries = [str(g) for g in glossary or ()]
        if alignment_file is not None:
            alignment, pairs = load_saved(read_alignment_jsonl(alignment_file),
                                          source=str(alignment_file), src_lang=src_lang,
                                          tgt_lang=tgt_lang, force=force)
            from aligner.scoring import incompatibility

            problem = incompatibility(alignment.signature)
            if problem is not None:
                typer.echo(f"aligner: warning: {alignment_file}: made by an incompatible "
                           f"version ({problem}); scored anyway (--force)", err=True)
            result = review(pairs, alignment=alignment, signature=str(alignment.signature),
                            include=checks, exclude=exclude_checks or (),
                            glossaries=glossaries)
        elif src is not None and tgt is not None:
            from aligner.encoders import get_encoder
            from aligner.pipeline import AlignConfig, align_files

            model = get_encoder(encoder, threads=threads)
            alignment = align_files(
                src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
                paragraphs=paragraphs.value, presplit=presplit, encoder=model,
                config=AlignConfig(), second_encoder=_second(second_encoder, threads),
            )
            result = review_alignment(alignment, include=checks, exclude=exclude_checks or (),
                                      glossaries=glossaries, encoder=model)
        else:
            raise UsageError("give the two documents RU EN, or --alignment FILE")
        if fmt is ScoreFormat.text:
            print_score(result, Console(highlight=False), explain=explain)
        elif fmt is ScoreFormat.json:
            text = json.dumps(score_json(result), ensure_ascii=False, indent=2) + "\n"
            if output is None:
                typer.echo(text, nl=False)
            else:
                atomic_write(output, text)
        else:
            for path in write_review(result, fmt.value, output):
                typer.echo(f"wrote {path}", err=True)
        if fail_under is not None and result.document is not None \
                and result.document.score < fail_under:
            typer.echo(f"aligner: document score {result.document.score:.1f} is below "
                       f"--fail-under {fail_under:g}", err=True)
            raise typer.Exit(1)


class CompareFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


#: What ``compare --fail-under NAME=N`` can name.
FAIL_UNDER_NAMES = ("bleu", "chrf", "adequacy", "score")


def _fail_under_thresholds(items: list[str]) -> list[tuple[str, float]]:
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().casefold()
        if name == "ter":
            raise UsageError("--fail-under cannot take TER: it is an error rate (lower is "
                             "better)", hint=f"use one of: {', '.join(FAIL_UNDER_NAMES)}")
        try:
            threshold = float(value)
        except ValueError:
            threshold = math.nan
        if not sep or name not in FAIL_UNDER_NAMES or not math.isfinite(threshold):
            raise UsageError(f"--fail-under {item!r}: expected NAME=N",
                             hint=f"NAME is one of {', '.join(FAIL_UNDER_NAMES)}, "
                                  "e.g. --fail-under chrf=60")
        out.append((name, threshold))
    return out


@app.command()
def compare(
    src: Annotated[Path, typer.Argument(help="The original (Russian).")],
    tgt_a: Annotated[Path, typer.Argument(help="Translation A (with --reference: the "
                                          "candidate).")],
    tgt_b: Annotated[Path | None, typer.Argument(help="Translation B.",
                                                 show_default=False)] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference", help="A trusted translation to score the candidate against, "
        "instead of B.")] = None,
    src_lang: SrcLangOpt = "ru",
    tgt_lang: TgtLangOpt = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    encoder: EncoderOpt = "use",
    threads: ThreadsOpt = None,
    checks: ChecksOpt = None,
    exclude_checks: ExcludeChecksOpt = None,
    glossary: GlossaryOpt = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f")] = CompareFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 when A and B differ in meaning, or one has a finding the "
        "other has not (with --reference: the candidate), at or above this severity.")
    ] = None,
    fail_under: Annotated[list[str] | None, typer.Option(
        "--fail-under", help="NAME=N, repeatable: exit 1 when bleu or chrf (A against B), "
        "adequacy (mean, the lower of A and B; with --reference the candidate's) or score "
        "(document score, likewise) is below N.")] = None,
    all_rows: Annotated[bool, typer.Option("--all-rows", help="Show every row, not only "
                                           "those where A and B differ.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Compare even when a text does not look like a translation of the "
        "original.")] = False,
) -> None:
    """Compare two translations of one original, aligned through the original."""
    from rich.console import Console

    from aligner.checks import Severity, select_checks
    from aligner.compare import compare_files
    from aligner.encoders import get_encoder
    from aligner.io import atomic_write, write_review
    from aligner.pipeline import AlignConfig
    from aligner.scorecard import comparison_json, print_comparison

    with _user_errors():
        if (tgt_b is None) == (reference is None):
            raise UsageError("give two translations (RU EN_A EN_B) or one and --reference REF",
                             hint="not both")
        if fmt is CompareFormat.text and output is not None:
            raise UsageError("--output needs --format json or html",
                             hint="the text report is for the terminal")
        thresholds = _fail_under_thresholds(fail_under or [])
        select_checks(checks, exclude_checks or ())
        other = tgt_b or reference or tgt_a  # one of the two is given (checked above)
        names = ("A", "B") if reference is None else ("candidate", "reference")
        comparison = compare_files(
            src, tgt_a, other, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
            paragraphs=paragraphs.value, presplit=presplit,
            encoder=get_encoder(encoder, threads=threads), config=AlignConfig(),
            include=checks, exclude=exclude_checks or (),
            glossaries=[str(g) for g in glossary or ()],
            a_label=str(tgt_a) if reference is None else f"{tgt_a} (candidate)",
            b_label=str(other) if reference is None else f"{other} (reference)",
            names=names, force=force,
        )
        if fmt is CompareFormat.text:
            print_comparison(comparison, Console(highlight=False), all_rows=all_rows)
        elif fmt is CompareFormat.json:
            text = json.dumps(comparison_json(comparison), ensure_ascii=False, indent=2) + "\n"
            if output is None:
                typer.echo(text, nl=False)
            else:
                atomic_write(output, text)
        else:
            for path in write_review(comparison, fmt.value, output):
                typer.echo(f"wrote {path}", err=True)
        failures = []
        if fail_on is not None:
            from aligner.compare import findings_at_least

            found = findings_at_least(comparison, Severity(fail_on.value),
                                      candidate_only=reference is not None)
            if found:
                failures.append(f"{found} difference(s) or one-sided finding(s) at or above "
                                f"{fail_on.value}")
        for name, threshold in thresholds:
            from aligner.compare import threshold_value

            value = threshold_value(comparison, name, candidate_only=reference is not None)
            if value < threshold:
                failures.append(f"{name} {value:.1f} is below {threshold:g}")
        if failures:
            typer.echo("aligner: " + "; ".join(failures), err=True)
            raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
