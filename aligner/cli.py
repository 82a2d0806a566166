"""Command-line interface: a thin Typer layer over the library.

Each command parses options, builds a config, calls one library function and writes the
result. Errors from the library (``AlignerError``) become one line on stderr and an exit code:
0 ok, 1 data or runtime error, 2 usage error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner import __version__
from aligner.errors import AlignerError, UsageError

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


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and the error's exit code."""
    try:
        yield
    except AlignerError as err:
        typer.echo(f"aligner: error: {err}", err=True)
        raise typer.Exit(err.exit_code) from err


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
    src_lang: Annotated[str, typer.Option("--src-lang", help="Source language code.")] = "ru",
    tgt_lang: Annotated[str, typer.Option("--tgt-lang", help="Target language code.")] = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    encoder: Annotated[str, typer.Option("--encoder", help="use (embedded default) or "
                                         "hf:<local path or model id>.")] = "use",
    threads: Annotated[int | None, typer.Option("--threads", min=1,
                                                help="Encoder threads (default: up to 2).")
                       ] = None,
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
        )
        if fmt.value in REVIEW_FORMATS:
            from aligner.check import CheckReport, pairs_from_alignment
            from aligner.io import write_review
            from aligner.review import Review

            report = CheckReport(pairs_from_alignment(alignment), (), ())
            review = Review(report, alignment, signature=str(alignment.signature))
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


@app.command()
def check(
    src: Annotated[Path, typer.Argument(help="Source document (the original).")],
    tgt: Annotated[Path, typer.Argument(help="Target document (the translation).")],
    src_lang: Annotated[str, typer.Option("--src-lang")] = "ru",
    tgt_lang: Annotated[str, typer.Option("--tgt-lang")] = "en",
    encoding: EncodingOpt = None,
    paragraphs: ParagraphsOpt = Paragraphs.auto,
    presplit: PresplitOpt = False,
    aligned: Annotated[bool, typer.Option("--aligned", help="The files are already "
                                          "line-aligned (line i <-> line i): only check.")
                       ] = False,
    encoder: Annotated[str, typer.Option("--encoder")] = "use",
    threads: Annotated[int | None, typer.Option("--threads", min=1)] = None,
    checks: Annotated[list[str] | None, typer.Option("--checks", help="Run only these "
                                                     "checks (repeatable).")] = None,
    exclude_checks: Annotated[list[str] | None, typer.Option(
        "--exclude-checks", help="Skip these checks (repeatable).")] = None,
    glossary: Annotated[list[Path] | None, typer.Option(
        "--glossary", help="A TSV or TBX glossary (repeatable), added to the built-in one.")
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 when a finding at or above this severity exists.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary "
                                        "line.")] = False,
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
        glossaries = [str(g) for g in glossary or ()]
        alignment = None
        if aligned:
            pairs = pairs_from_aligned_files(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                             encoding=encoding)
            report = check_pairs(pairs, include=checks, exclude=exclude_checks or (),
                                 glossaries=glossaries)
            signature = f"aligner:{__version__}|aligned:yes"
        else:
            alignment = align_files(
                src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, encoding=encoding,
                paragraphs=paragraphs.value, presplit=presplit,
                encoder=get_encoder(encoder, threads=threads), config=AlignConfig(),
            )
            report = check_alignment(alignment, include=checks,
                                     exclude=exclude_checks or (), glossaries=glossaries)
            signature = str(alignment.signature)
        signature += "|checks:" + ",".join(report.checks)
        if fmt is CheckFormat.text:
            if output is not None:
                raise UsageError("--output needs --format json or jsonl",
                                 hint="the text report is for the terminal")
            print_terminal(report, Console(highlight=False), quiet=quiet)
        elif fmt.value in REVIEW_FORMATS:
            from aligner.io import write_review
            from aligner.review import Review

            review = Review(report, alignment, signature=signature)
            for path in write_review(review, fmt.value, output):
                typer.echo(f"wrote {path}", err=True)
        else:
            text = render_json(report, alignment, signature, lines=fmt is CheckFormat.jsonl)
            if output is None:
                typer.echo(text, nl=False)
            else:
                atomic_write(output, text)
        if fail_on is not None and report.at_least(Severity(fail_on.value)):
            raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
