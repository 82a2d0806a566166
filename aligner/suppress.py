"""Remembering review decisions: findings a reviewer dismissed as false alarms.

A suppression file holds one entry per dismissed finding, keyed by the finding's
*fingerprint*: a hash of what the finding is about, not of where it sits. Bead indices,
sentence indices and the rest of the document are left out, so a dismissal survives an edit
elsewhere in the document and a re-alignment that numbers the beads differently; the flagged
words and the sentences around them are in, so changing what was flagged brings the finding
back. (Okapi CheckMate and Xbench keep such a memory of ignored issues, keyed on the
segment texts; aligner's key is narrower, the sentences that hold the flagged spans.)

What goes into the fingerprint, each side normalised (Unicode NFKC, case-folded, ё as е,
every quotation mark as ``"``, every dash as ``-``, runs of whitespace as one space):

- the check's name without its version (``numbers`` for ``numbers.v1``), so an upgraded
  check still honours the dismissals made under the old one;
- the text of every span the finding flags, on each side, in order;
- the context: the sentences of the bead text that contain a flagged span (the whole side
  when the finding flags nothing on that side).

The file is JSON, versioned, written atomically::

    {"format": "aligner-suppressions", "version": 1,
     "entries": [{"fingerprint": "3f9c...", "check": "numbers.v1", "src_spans": ["20 тыс."],
                  "tgt_spans": ["30,000"], "src_context": "...", "tgt_context": "...",
                  "message": "...", "added": "2025-01-31T12:00:00Z", "by": "anna",
                  "note": "the English follows the corrected figure"}]}

Entries that match no finding of a run are *stale*: they are reported, never dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.check import CheckReport, Finding
from aligner.checks import Divergence, Pair
from aligner.errors import FormatError, InputError, UsageError
from aligner.io.atomic import atomic_write

FORMAT_NAME = "aligner-suppressions"
FORMAT_VERSION = 1
SIDECAR_SUFFIX = ".aligner-suppress.json"
FINGERPRINT_CHARS = 16  # 64 bits of SHA-256: no accidental collisions within any document
SHORT_CHARS = 8  # what the terminal report shows; commands accept any unique prefix >= 6
MIN_PREFIX = 6
_CONTEXT_CHARS = 160  # of each side kept in an entry, for people reading the file

Span = tuple[int, int]

_QUOTES = "\"'«»„“”‟‘’‚‛‹›″′`´"
_DASHES = "‐‑‒–—―−"
_NORMALISE = str.maketrans({**{q: '"' for q in _QUOTES}, **{d: "-" for d in _DASHES},
                            "ё": "е"})
# A sentence ends at . ! ? or … (possibly followed by closing quotes or brackets) and
# whitespace, before anything but a lower-case letter (so «20 тыс. человек» stays whole).
# Rough on purpose: it only has to cut a bead text the same way in every run.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+(?![a-zа-яё])")


# --- fingerprints ---------------------------------------------------------------------------

def normalise(text: str) -> str:
    """``text`` as the fingerprint sees it: NFKC, case-folded, quotes/dashes/ё unified,
    whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_NORMALISE)
    return " ".join(text.split())


def check_family(check: str) -> str:
    """The check's name without its version: ``numbers.v1`` -> ``numbers``."""
    return re.sub(r"\.v\d+$", "", check)


def _sentences(text: str) -> list[Span]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def flagged_context(text: str, spans: Sequence[Span]) -> str:
    """The sentences of ``text`` that contain (or touch) a span; all of ``text`` without
    spans."""
    if not spans:
        return text
    keep = [(s, e) for s, e in _sentences(text)
            if any((a < e and b > s) or s <= a < e for a, b in spans)]
    return " ".join(text[s:e].strip() for s, e in keep) if keep else text


def fingerprint(check: str, src: str, tgt: str, src_spans: Sequence[Span] = (),
                tgt_spans: Sequence[Span] = ()) -> str:
    """The stable key of a finding (see the module docstring): 16 hex digits."""
    key = [
        check_family(check),
        [normalise(src[s:e]) for s, e in src_spans],
        [normalise(tgt[s:e]) for s, e in tgt_spans],
        normalise(flagged_context(src, src_spans)),
        normalise(flagged_context(tgt, tgt_spans)),
    ]
    payload = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:FINGERPRINT_CHARS]


def finding_fingerprint(divergence: Divergence, pair: Pair) -> str:
    """The fingerprint of ``divergence`` found in ``pair``."""
    return fingerprint(divergence.check, pair.src, pair.tgt, divergence.src_spans,
                       divergence.tgt_spans)


# --- entries and files ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Suppression:
    """One dismissed finding. Only ``fingerprint`` decides what it matches; the rest is
    there for the people who read the file or ``aligner suppress list``."""

    fingerprint: str
    check: str
    src_spans: tuple[str, ...] = ()
    tgt_spans: tuple[str, ...] = ()
    src_context: str = ""
    tgt_context: str = ""
    message: str = ""
    added: str | None = None
    by: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fingerprint": self.fingerprint, "check": self.check,
            "src_spans": list(self.src_spans), "tgt_spans": list(self.tgt_spans),
            "src_context": self.src_context, "tgt_context": self.tgt_context,
            "message": self.message,
        }
        for key in ("added", "by", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _clip(text: str) -> str:
    return text if len(text) <= _CONTEXT_CHARS else text[:_CONTEXT_CHARS - 1] + "…"


def suppression_for(divergence: Divergence, src: str, tgt: str, *, added: str | None = None,
                    by: str | None = None, note: str | None = None) -> Suppression:
    """The entry that dismisses ``divergence`` found in a bead with texts ``src``/``tgt``."""
    return Suppression(
        fingerprint=fingerprint(divergence.check, src, tgt, divergence.src_spans,
                                divergence.tgt_spans),
        check=divergence.check,
        src_spans=tuple(src[s:e] for s, e in divergence.src_spans),
        tgt_spans=tuple(tgt[s:e] for s, e in divergence.tgt_spans),
        src_context=_clip(flagged_context(src, divergence.src_spans)),
        tgt_context=_clip(flagged_context(tgt, divergence.tgt_spans)),
        message=divergence.message,
        added=added, by=by, note=note,
    )


def sidecar_path(src: str | Path) -> Path:
    """The suppression file ``check`` uses without ``--suppress``: beside the source
    document, named after it (``comment.ru.txt`` -> ``comment.ru.aligner-suppress.json``)."""
    path = Path(src)
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _entry(raw: object, where: str) -> Suppression:
    if not isinstance(raw, Mapping):
        raise FormatError("expected each entry to be a JSON object", where=where)
    fp, check = raw.get("fingerprint"), raw.get("check")
    if not isinstance(fp, str) or not re.fullmatch(f"[0-9a-f]{{{FINGERPRINT_CHARS}}}", fp):
        raise FormatError(f"entry has no valid fingerprint ({FINGERPRINT_CHARS} hex digits), "
                          f"found {fp!r}", where=where)
    if not isinstance(check, str) or not check:
        raise FormatError(f"entry {fp} has no check name", where=where)

    def texts(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FormatError(f"entry {fp}: {key!r} must be a list of strings", where=where)
        return tuple(value)

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise FormatError(f"entry {fp}: {key!r} must be a string", where=where)
        return value

    return Suppression(fp, check, texts("src_spans"), texts("tgt_spans"),
                       text("src_context") or "", text("tgt_context") or "",
                       text("message") or "", text("added"), text("by"), text("note"))


def parse_suppressions(data: str, *, source: str = "<suppressions>") -> tuple[Suppression, ...]:
    """Entries of a suppression file's text; FormatError for anything else."""
    hint = "it should be a file written by 'aligner suppress add'"
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as err:
        raise FormatError(f"not valid JSON: {err.msg}", where=f"{source}:{err.lineno}",
                          hint=hint) from err
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise FormatError(f"not an aligner suppression file (no \"format\": "
                          f"\"{FORMAT_NAME}\")", where=source, hint=hint)
    version = raw.get("version")
    if version != FORMAT_VERSION:
        raise FormatError(f"unknown suppression file version {version!r}; this aligner reads "
                          f"version {FORMAT_VERSION}", where=source,
                          hint="upgrade aligner, or re-create the file with this version")
    entries = raw.get("entries", [])
    if not isinstance(entries, list):
        raise FormatError("\"entries\" must be a list", where=source, hint=hint)
    out = tuple(_entry(e, f"{source}: entry {k}") for k, e in enumerate(entries))
    return out


def load_suppressions(path: str | Path) -> tuple[Suppression, ...]:
    """The entries of the suppression file at ``path``.

    Raises InputError when it cannot be read, FormatError when it is not a suppression file
    this version understands.
    """
    path = Path(path)
    try:
        data = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError("no such suppression file", where=str(path),
                         hint="create it with 'aligner suppress add FILE FINGERPRINT "
                              "--report REPORT'") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read suppression file: {err}", where=str(path)) from err
    return parse_suppressions(data, source=str(path))


def render_suppressions(entries: Iterable[Suppression]) -> str:
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
           "entries": [e.as_dict() for e in entries]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def save_suppressions(path: str | Path, entries: Iterable[Suppression]) -> Path:
    """Write ``entries`` to ``path`` atomically."""
    return atomic_write(path, render_suppressions(entries))


# --- applying -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SuppressionResult:
    """A report with the dismissed findings taken out, and what the file matched.

    ``report`` keeps every pair and only the findings nobody dismissed; ``hidden`` are the
    findings taken out; ``stale`` the entries that matched no finding of this run.
    """

    report: CheckReport
    hidden: tuple[Finding, ...]
    stale: tuple[Suppression, ...]
    path: str | None = None


def apply_suppressions(report: CheckReport, entries: Sequence[Suppression], *,
                       path: str | None = None) -> SuppressionResult:
    """Hide the findings of ``report`` whose fingerprint has an entry."""
    known = {e.fingerprint for e in entries}
    pairs = {p.index: p for p in report.pairs}
    kept, hidden, used = [], [], set()
    for finding in report.findings:
        fp = finding_fingerprint(finding.divergence, pairs[finding.pair_index])
        if fp in known:
            hidden.append(finding)
            used.add(fp)
        else:
            kept.append(finding)
    stale = tuple(e for e in entries if e.fingerprint not in used)
    filtered = CheckReport(report.pairs, tuple(kept), report.checks)
    return SuppressionResult(filtered, tuple(hidden), stale, path)


# --- editing a file -------------------------------------------------------------------------

def resolve(prefix: str, known: Iterable[str], *, where: str, list_hint: str,
            what: str = "finding") -> str:
    """The one fingerprint in ``known`` that starts with ``prefix`` (case-insensitive).

    UsageError when the prefix is too short, matches none, or matches several.
    """
    prefix = prefix.strip().lower()
    if len(prefix) < MIN_PREFIX or not re.fullmatch(r"[0-9a-f]+", prefix):
        raise UsageError(f"{prefix!r} is not a fingerprint (at least {MIN_PREFIX} hex digits)",
                         hint=list_hint)
    matches = sorted({fp for fp in known if fp.startswith(prefix)})
    if not matches:
        raise UsageError(f"no {what} with fingerprint {prefix} in {where}", hint=list_hint)
    if len(matches) > 1:
        raise UsageError(f"fingerprint prefix {prefix} is ambiguous in {where}: "
                         f"{', '.join(matches)}", hint="give more digits")
    return matches[0]


def report_findings(path: str | Path) -> dict[str, tuple[Divergence, str, str]]:
    """Every finding of a saved ``aligner check -f json|jsonl`` report by fingerprint, with
    its bead texts. The fingerprints are recomputed from the texts and spans, so reports
    written before fingerprints existed work too."""
    from aligner.checks import Category, Severity

    path = Path(path)
    try:
        data = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError("no such report", where=str(path),
                         hint="write one with 'aligner check RU EN -f json -o REPORT'") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read report: {err}", where=str(path)) from err
    hint = "expected the output of 'aligner check ... -f json' or '-f jsonl'"
    try:
        records = _report_records(data)
    except (json.JSONDecodeError, TypeError) as err:
        raise FormatError("not an aligner check report", where=str(path), hint=hint) from err
    out: dict[str, tuple[Divergence, str, str]] = {}
    try:
        for record in records:
            src, tgt = str(record["src_text"]), str(record["tgt_text"])
            for raw in record.get("divergences", []):
                d = Divergence(
                    check=str(raw["check"]),
                    severity=Severity(raw["severity"]),
                    category=Category(raw["category"]),
                    message=str(raw.get("message", "")),
                    src_spans=tuple((int(s), int(e)) for s, e in raw.get("src_spans", [])),
                    tgt_spans=tuple((int(s), int(e)) for s, e in raw.get("tgt_spans", [])),
                    suggestion=raw.get("suggestion"),
                )
                out[fingerprint(d.check, src, tgt, d.src_spans, d.tgt_spans)] = (d, src, tgt)
    except (KeyError, TypeError, ValueError) as err:
        raise FormatError(f"not an aligner check report ({err})", where=str(path),
                          hint=hint) from err
    return out


def _report_records(data: str) -> list[Any]:
    """The bead records of a JSON report (``{"pairs": [...]}``) or of JSON lines."""
    try:
        whole = json.loads(data)
    except json.JSONDecodeError as err:
        if err.msg != "Extra data":
            raise
        return [json.loads(line) for line in data.splitlines() if line.strip()]
    if isinstance(whole, dict) and "pairs" in whole:
        return list(whole["pairs"])
    if isinstance(whole, dict):  # JSON lines with a single record
        return [whole]
    raise TypeError("expected a JSON object")


_HOW_TO_SEE = ("the terminal report of 'aligner check' shows each finding's fingerprint in "
               "[brackets]; '-f json' has it in the \"fingerprint\" field")


def add_suppressions(path: str | Path, prefixes: Sequence[str], report: str | Path, *,
                     added: str | None = None, by: str | None = None,
                     note: str | None = None) -> tuple[list[Suppression], list[Suppression]]:
    """Dismiss the findings of a saved ``check`` report named by (prefixes of) their
    fingerprints; the file at ``path`` is created when missing. Returns (entries added,
    entries that were there already). Every prefix is resolved before anything is written.
    """
    path = Path(path)
    entries = list(load_suppressions(path)) if path.exists() else []
    findings = report_findings(report)
    have = {e.fingerprint: e for e in entries}
    new: list[Suppression] = []
    old: list[Suppression] = []
    for prefix in prefixes:
        fp = resolve(prefix, findings, where=str(report), list_hint=_HOW_TO_SEE)
        if fp in have:
            old.append(have[fp])
            continue
        divergence, src, tgt = findings[fp]
        entry = suppression_for(divergence, src, tgt, added=added, by=by, note=note)
        have[fp] = entry
        new.append(entry)
    if new:
        save_suppressions(path, [*entries, *new])
    return new, old


def remove_suppressions(path: str | Path, prefixes: Sequence[str]) -> list[Suppression]:
    """Delete the entries named by (prefixes of) their fingerprints; returns them."""
    entries = load_suppressions(path)
    hint = f"see the entries with 'aligner suppress list {path}'"
    gone = {resolve(p, [e.fingerprint for e in entries], where=str(path), list_hint=hint,
                    what="entry") for p in prefixes}
    save_suppressions(path, [e for e in entries if e.fingerprint not in gone])
    return [e for e in entries if e.fingerprint in gone]


def describe(entry: Suppression) -> str:
    """``numbers.v1 «20 тыс.» / "30,000"``: the check and the flagged words."""
    words = " / ".join(filter(None, (", ".join(f"«{t}»" for t in entry.src_spans),
                                     ", ".join(f'"{t}"' for t in entry.tgt_spans))))
    return f"{entry.check} {words}".rstrip()
