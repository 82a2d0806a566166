"""Which document pairs make up a corpus: two folders, one folder, or a manifest.

- two folders paired by file name: ``ru/2019/123.txt`` <-> ``en/2019/123.txt`` (the id is
  the path below the folder without its last suffix, ``2019/123``);
- one folder with the language in the name: ``123.ru.txt`` <-> ``123.en.txt`` (id ``123``);
- a manifest TSV with a header: ``id``, a column named for each language (``ru``, ``en``)
  holding the file paths (relative to the manifest's folder), and any other columns, which
  travel into the output as metadata.

A file without a partner is listed in ``CorpusInputs.unpaired`` with the reason, never
silently skipped. Jobs come sorted by id, which is the order of every output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError, UsageError


@dataclass(frozen=True, slots=True)
class DocumentJob:
    """One document pair to align: its id, the two files (absolute paths) and metadata."""

    id: str
    src: str
    tgt: str
    metadata: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Unpaired:
    """A file that found no partner, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class CorpusInputs:
    """The jobs of a corpus run, sorted by id, and the files left without a partner."""

    jobs: tuple[DocumentJob, ...]
    unpaired: tuple[Unpaired, ...] = ()
    metadata_columns: tuple[str, ...] = ()


#: Output columns a manifest's metadata columns must not shadow (corpus.tsv, documents.tsv).
RESERVED_COLUMNS = frozenset({
    "doc", "bead", "src_idx", "tgt_idx", "src_text", "tgt_text", "kind", "confidence",
    "score", "adequacy", "findings", "metadata", "id", "status", "src_path", "tgt_path",
    "src_sentences", "tgt_sentences", "beads", "kept", "null_beads", "mean_confidence",
    "mean_adequacy", "critical", "major", "minor", "document_score", "error",
})

_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def discover_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    manifest: str | os.PathLike[str] | None = None,
    src_lang: str = "ru",
    tgt_lang: str = "en",
    exclude: str | os.PathLike[str] | None = None,
) -> CorpusInputs:
    """The corpus the command line names: a manifest, one folder, or two folders.

    ``exclude`` is a folder left out of the search (the output folder, when it is inside an
    input folder: its ``corpus.ru`` and ``corpus.en`` are not a document pair).
    """
    folders = [Path(p) for p in paths]
    skip = Path(exclude).resolve() if exclude is not None else None
    if manifest is not None:
        if folders:
            raise UsageError("give either folders or --manifest, not both",
                             hint="the manifest lists every document pair")
        return read_manifest(manifest, src_lang=src_lang, tgt_lang=tgt_lang)
    for folder in folders:
        if not folder.is_dir():
            raise InputError("not a folder" if folder.exists() else "no such folder",
                             where=str(folder),
                             hint="pass one folder (123.ru.txt + 123.en.txt), two folders "
                                  "paired by file name, or --manifest FILE")
    if len(folders) == 1:
        return pair_by_language_suffix(folders[0], src_lang=src_lang, tgt_lang=tgt_lang,
                                       exclude=skip)
    if len(folders) == 2:
        return pair_folders(folders[0], folders[1], src_lang=src_lang, tgt_lang=tgt_lang,
                            exclude=skip)
    raise UsageError(f"expected one or two folders, got {len(folders)}",
                     hint="pass one folder (123.ru.txt + 123.en.txt), two folders paired by "
                          "file name (ru/ en/), or --manifest FILE")


def pair_folders(src_dir: str | os.PathLike[str], tgt_dir: str | os.PathLike[str], *,
                 src_lang: str = "ru", tgt_lang: str = "en", exclude: Path | None = None
                 ) -> CorpusInputs:
    """Files of two folders (and their subfolders) paired by path without the suffix."""
    src_files = _files_by_id(Path(src_dir), exclude)
    tgt_files = _files_by_id(Path(tgt_dir), exclude)
    return _pair(src_files, tgt_files,
                 missing_src=lambda i: f"no {src_lang} file named {i}.* in {src_dir}",
                 missing_tgt=lambda i: f"no {tgt_lang} file named {i}.* in {tgt_dir}")


def pair_by_language_suffix(folder: str | os.PathLike[str], *, src_lang: str = "ru",
                            tgt_lang: str = "en", exclude: Path | None = None) -> CorpusInputs:
    """``ID.<src_lang>.txt`` with ``ID.<tgt_lang>.txt`` (or ``ID.ru`` with ``ID.en``)."""
    root = Path(folder)
    by_lang: dict[str, dict[str, Path]] = {src_lang: {}, tgt_lang: {}}
    unpaired: list[Unpaired] = []
    duplicates: list[str] = []
    for path in _walk(root, exclude):
        doc_id, lang = _language_suffix(path.relative_to(root))
        if lang not in by_lang:
            unpaired.append(Unpaired(str(path), f"the name has no .{src_lang} or "
                                                f".{tgt_lang} before its extension"))
            continue
        if doc_id in by_lang[lang]:
            duplicates.append(f"{by_lang[lang][doc_id]} and {path}")
            continue
        by_lang[lang][doc_id] = path
    if duplicates:
        raise InputError(f"two files for the same document: {'; '.join(duplicates)}",
                         where=str(root), hint="keep one file per document and language")
    inputs = _pair(by_lang[src_lang], by_lang[tgt_lang],
                   missing_src=lambda i: f"no {i}.{src_lang}.* beside it",
                   missing_tgt=lambda i: f"no {i}.{tgt_lang}.* beside it")
    return CorpusInputs(inputs.jobs, tuple(sorted(unpaired + list(inputs.unpaired),
                                                  key=lambda u: u.path)))


def read_manifest(path: str | os.PathLike[str], *, src_lang: str = "ru",
                  tgt_lang: str = "en") -> CorpusInputs:
    """Jobs from a manifest TSV; every bad row is reported in one ``InputError``.

    Header: ``id``, ``<src_lang>``, ``<tgt_lang>`` in any order, plus metadata columns.
    Blank lines and lines starting with ``#`` are skipped; paths are relative to the
    manifest's folder.
    """
    manifest = Path(path)
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputError("no such manifest", where=str(manifest),
                         hint="check the path given to --manifest") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the manifest: {err}", where=str(manifest),
                         hint="save it as a UTF-8 tab-separated file") from err
    rows = [(number, line.removesuffix("\r"))
            for number, line in enumerate(text.split("\n"), start=1)
            if line.strip() and not line.startswith("#")]
    if not rows:
        raise InputError("the manifest has no header row", where=str(manifest),
                         hint=f"the first line names the columns: id, {src_lang}, {tgt_lang}")
    header_line, header_text = rows[0]
    header = header_text.split("\t")
    needed = ("id", src_lang, tgt_lang)
    missing = [name for name in needed if name not in header]
    if missing or len(set(header)) != len(header):
        found = "duplicate column names" if not missing else \
            f"no column {', '.join(repr(m) for m in missing)}"
        raise InputError(f"the header row has {found}", where=f"{manifest}:{header_line}",
                         hint=f"name the columns id, {src_lang}, {tgt_lang} (tab-separated), "
                              "then any metadata columns")
    metadata_columns = tuple(c for c in header if c not in needed)
    clashes = sorted(set(metadata_columns) & RESERVED_COLUMNS)
    if clashes:
        raise InputError(f"metadata column names {', '.join(map(repr, clashes))} are taken "
                         "by the output", where=f"{manifest}:{header_line}",
                         hint="rename them, e.g. with a meta_ prefix")
    column = {name: k for k, name in enumerate(header)}
    base = manifest.parent
    jobs: list[DocumentJob] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            problems.append(f"line {number}: {len(cells)} columns, the header has "
                            f"{len(header)}")
            continue
        doc_id = cells[column["id"]].strip()
        row_problems = []
        if not doc_id:
            row_problems.append("empty id")
        elif doc_id in first_line:
            row_problems.append(f"duplicate id {doc_id!r} (first on line "
                                f"{first_line[doc_id]})")
        else:
            first_line[doc_id] = number
        files = []
        for lang in (src_lang, tgt_lang):
            value = cells[column[lang]].strip()
            file = base / value
            if not value:
                row_problems.append(f"empty {lang} path")
            elif not file.is_file():
                row_problems.append(f"{lang} file {value!r} "
                                    f"{'is not a file' if file.exists() else 'not found'}")
            files.append(file)
        if row_problems:
            problems.append(f"line {number}: {', '.join(row_problems)}")
            continue
        jobs.append(DocumentJob(
            doc_id, os.path.abspath(files[0]), os.path.abspath(files[1]),
            tuple((name, cells[column[name]]) for name in metadata_columns),
        ))
    if problems:
        raise InputError(f"{len(problems)} bad row{'s' if len(problems) > 1 else ''}: "
                         + "; ".join(problems), where=str(manifest),
                         hint=f"paths are relative to {base or '.'}; fix or remove these "
                              "rows")
    return CorpusInputs(tuple(sorted(jobs, key=lambda j: j.id)), (), metadata_columns)


# ---------------------------------------------------------------------------------------


def _walk(root: Path, exclude: Path | None = None) -> list[Path]:
    """Files under ``root`` in name order; hidden files and folders and the folder
    ``exclude`` (resolved) are left out."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (exclude is None or (Path(folder) / d).resolve() != exclude))
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".")]
    return found


def _stem_id(relative: Path) -> str:
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def _language_suffix(relative: Path) -> tuple[str, str]:
    """``a/123.ru.txt`` -> (``a/123``, ``ru``); ``123.ru`` -> (``123``, ``ru``)."""
    parts = relative.name.split(".")
    if len(parts) >= 3 and _LANGUAGE_CODE.fullmatch(parts[-2]):
        stem, lang = ".".join(parts[:-2]), parts[-2]
    elif len(parts) == 2 and _LANGUAGE_CODE.fullmatch(parts[-1]):
        stem, lang = parts[0], parts[-1]
    else:
        return _stem_id(relative), ""
    return (relative.parent / stem).as_posix(), lang


def _files_by_id(root: Path, exclude: Path | None) -> dict[str, Path]:
    out: dict[str, Path] = {}
    clashes = []
    for path in _walk(root, exclude):
        doc_id = _stem_id(path.relative_to(root))
        if doc_id in out:
            clashes.append(f"{out[doc_id].name} and {path.name}")
            continue
        out[doc_id] = path
    if clashes:
        raise InputError(f"files that differ only in their extension: {'; '.join(clashes)}",
                         where=str(root), hint="keep one file per document")
    return out


def _pair(src: dict[str, Path], tgt: dict[str, Path], *, missing_src: Callable[[str], str],
          missing_tgt: Callable[[str], str]) -> CorpusInputs:
    jobs = [DocumentJob(i, os.path.abspath(src[i]), os.path.abspath(tgt[i]))
            for i in sorted(src.keys() & tgt.keys())]
    unpaired = [Unpaired(str(src[i]), missing_tgt(i))
                for i in src.keys() - tgt.keys()]
    unpaired += [Unpaired(str(tgt[i]), missing_src(i))
                 for i in tgt.keys() - src.keys()]
    return CorpusInputs(tuple(jobs), tuple(sorted(unpaired, key=lambda u: u.path)))
