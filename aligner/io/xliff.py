"""XLIFF 2.0 bilingual export of a review, built and read with lxml (never string templates).

One ``<unit>`` per bead, in order, ``id="b<bead>"``; its one ``<segment>`` holds the
Russian as ``<source>`` and the English as ``<target>`` (``xml:space="preserve"`` on both,
so tabs, newlines and runs of spaces survive). What the aligner knows about the bead is in
the unit's Metadata-module block (``urn:oasis:names:tc:xliff:metadata:2.0``)::

    <mda:metadata><mda:metaGroup category="aligner">
      <mda:meta type="src-idx">3,4</mda:meta>   <mda:meta type="tgt-idx">3</mda:meta>
      <mda:meta type="bead-type">2-1</mda:meta> <mda:meta type="confidence">0.9639</mda:meta>
      <mda:meta type="score">0.7177</mda:meta>  <mda:meta type="adequacy">87.5</mda:meta>
    </mda:metaGroup></mda:metadata>

and each finding is a ``<note>`` a CAT tool shows beside the segment: ``category`` is the
check (``numbers.v1``), ``priority`` the severity (1 critical, 2 major, 3 minor; XLIFF's 1
is the most important), ``appliesTo`` the side the finding flags when it flags only one, and
the text ``critical: <message> Suggestion: <suggestion>``.

**Null beads are kept**, so that an omission or addition reaches the translator: a Russian
sentence with no English (1-0) is a unit whose segment has no ``<target>`` and
``state="initial"`` (untranslated); English with no Russian (0-1) has an empty ``<source/>``
and the English as target, also ``state="initial"``. Both carry a note
(``category="aligner"``) that says which side is missing. Every other segment is
``state="translated"``. The file's ``<notes>`` hold the run's signature
(``category="x-aligner-signature"``) and the summary line.

XML 1.0 cannot hold most C0 control characters; they are written as U+FFFD (``xml_safe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from aligner import __version__
from aligner.checks import Divergence, Pair, Severity
from aligner.errors import FormatError
from aligner.io.records import BeadRecord, index_list, number, read_bytes
from aligner.io.tmx import xml_safe
from aligner.review import Review

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PRIORITY = {Severity.CRITICAL: "1", Severity.MAJOR: "2", Severity.MINOR: "3"}
SIGNATURE_CATEGORY = "x-aligner-signature"


def _x(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


def _m(tag: str) -> str:
    return f"{{{MDA_NS}}}{tag}"


def _indices(indices: Sequence[int]) -> str:
    return ",".join(map(str, indices))


def _note(notes: etree._Element, text: str, *, note_id: str, category: str,
          priority: str | None = None, applies_to: str | None = None) -> None:
    note = etree.SubElement(notes, _x("note"), id=note_id, category=category)
    if priority is not None:
        note.set("priority", priority)
    if applies_to is not None:
        note.set("appliesTo", applies_to)
    note.text = xml_safe(text)


def _finding_text(d: Divergence) -> str:
    text = f"{d.severity.value}: {d.message}"
    return f"{text} Suggestion: {d.suggestion}" if d.suggestion else text


def _applies_to(d: Divergence) -> str | None:
    if d.src_spans and not d.tgt_spans:
        return "source"
    if d.tgt_spans and not d.src_spans:
        return "target"
    return None


def _bead(review: Review, pair: Pair) -> tuple[tuple[int, ...], tuple[int, ...], float]:
    """Sentence indices and similarity score of the pair's bead."""
    if review.alignment is not None:
        bead = review.alignment.beads[pair.index]
        return bead.src, bead.tgt, bead.score
    # Line-paired input (--aligned): line k on each side, nothing on an empty line.
    return ((pair.index,) if pair.src else ()), ((pair.index,) if pair.tgt else ()), pair.score


def _unit(parent: etree._Element, review: Review, pair: Pair) -> None:
    src_idx, tgt_idx, score = _bead(review, pair)
    unit = etree.SubElement(parent, _x("unit"), id=f"b{pair.index}")
    meta = etree.SubElement(etree.SubElement(unit, _m("metadata")), _m("metaGroup"),
                            category="aligner")
    values = [("src-idx", _indices(src_idx)), ("tgt-idx", _indices(tgt_idx)),
              ("bead-type", f"{len(src_idx)}-{len(tgt_idx)}"),
              ("confidence", f"{pair.confidence:.4f}"), ("score", f"{score:.4f}")]
    if review.adequacy is not None:
        values.append(("adequacy", f"{review.adequacy[pair.index].score:.1f}"))
    for kind, value in values:
        etree.SubElement(meta, _m("meta"), type=kind).text = value
    findings = review.report.for_pair(pair.index)
    missing = None
    if not pair.tgt:
        missing = "no English counterpart: this source text has no translation (1-0 bead)"
    elif not pair.src:
        missing = "no source counterpart: this translation has no original (0-1 bead)"
    if findings or missing:
        notes = etree.SubElement(unit, _x("notes"))
        if missing:
            _note(notes, missing, note_id="null", category="aligner",
                  applies_to="target" if not pair.tgt else "source")
        for k, d in enumerate(findings, start=1):
            _note(notes, _finding_text(d), note_id=f"f{k}", category=d.check,
                  priority=PRIORITY[d.severity], applies_to=_applies_to(d))
    segment = etree.SubElement(unit, _x("segment"),
                               state="initial" if pair.is_null else "translated")
    source = etree.SubElement(segment, _x("source"))
    source.set(XML_SPACE, "preserve")
    source.text = xml_safe(pair.src)
    if pair.tgt:
        target = etree.SubElement(segment, _x("target"))
        target.set(XML_SPACE, "preserve")
        target.text = xml_safe(pair.tgt)


def render_xliff(review: Review) -> bytes:
    """The XLIFF 2.0 document for ``review`` as UTF-8 bytes with an XML declaration."""
    from aligner.report import summary_line

    pairs = review.report.pairs
    src_lang = pairs[0].src_lang if pairs else "ru"
    tgt_lang = pairs[0].tgt_lang if pairs else "en"
    if review.alignment is not None:
        src_lang, tgt_lang = review.alignment.src.lang, review.alignment.tgt.lang
    root = etree.Element(_x("xliff"), nsmap={None: XLIFF_NS, "mda": MDA_NS},
                         version="2.0", srcLang=src_lang, trgLang=tgt_lang)
    file = etree.SubElement(root, _x("file"), id="f1")
    if review.alignment is not None and review.alignment.src.path:
        file.set("original", Path(review.alignment.src.path).name)
    notes = etree.SubElement(file, _x("notes"))
    _note(notes, review.signature, note_id="signature", category=SIGNATURE_CATEGORY)
    _note(notes, f"aligner {__version__}: {summary_line(review.report)}", note_id="summary",
          category="aligner")
    for pair in pairs:
        _unit(file, review, pair)
    if not pairs:
        # XLIFF needs at least one unit in a file: an empty document gets one empty unit.
        unit = etree.SubElement(file, _x("unit"), id="empty")
        etree.SubElement(etree.SubElement(unit, _x("segment")), _x("source"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- reading --------------------------------------------------------------------------------

def parse_xliff(data: bytes, *, source: str = "<xliff>") -> tuple[BeadRecord, ...]:
    """One record per unit of an XLIFF 2.0 document (null beads included).

    Made for files ``render_xliff`` wrote; units from other tools read too, with indices
    ``()`` and scores 0 where the aligner metadata is missing. Inline markup is reduced to
    its text; a unit with several segments has them joined with one space.
    """
    # No entity expansion, no network: an XLIFF file is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise FormatError(f"not well-formed XML: {err.msg}",
                          where=f"{source}:{err.lineno or 1}") from err
    if root.tag != _x("xliff") or not (root.get("version") or "").startswith("2."):
        raise FormatError(f"expected an XLIFF 2.x document (<xliff version=\"2.0\" "
                          f"xmlns=\"{XLIFF_NS}\">)", where=f"{source}:{root.sourceline or 1}",
                          hint="XLIFF 1.2 files are read by other tools, not by aligner")
    signature = None
    for note in root.iterfind(f"{_x('file')}/{_x('notes')}/{_x('note')}"):
        if note.get("category") == SIGNATURE_CATEGORY:
            signature = note.text or ""
    records = []
    for unit in root.iter(_x("unit")):
        if unit.get("id") == "empty" and not unit.findtext(f"{_x('segment')}/{_x('source')}"):
            continue
        where = f"{source}:{unit.sourceline}"
        meta = {m.get("type", ""): m.text or "" for m in unit.iter(_m("meta"))}
        segments = unit.findall(_x("segment"))
        src = " ".join("".join(e.itertext()) for s in segments
                       if (e := s.find(_x("source"))) is not None)
        tgt = " ".join("".join(e.itertext()) for s in segments
                       if (e := s.find(_x("target"))) is not None)
        records.append(BeadRecord(
            src_idx=index_list(meta.get("src-idx"), where),
            tgt_idx=index_list(meta.get("tgt-idx"), where),
            src_text=src, tgt_text=tgt,
            confidence=number(meta.get("confidence"), where),
            score=number(meta.get("score"), where),
            signature=signature,
        ))
    return tuple(records)


def read_xliff(path: str | Path) -> tuple[BeadRecord, ...]:
    """Records from an XLIFF 2.0 file (see ``parse_xliff``)."""
    return parse_xliff(read_bytes(path), source=str(path))
