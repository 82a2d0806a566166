"""TMX 1.4b translation memory, built and read with lxml (never string templates).

One ``<tu>`` per bead that has sentences on both sides. **Null beads are skipped**: a
translation unit with only one language is no use to a translation memory. The ``tuid`` is
the bead's 0-based position in the alignment, so gaps in the numbering show where null
beads were left out. Each unit carries props::

    x-src-idx, x-tgt-idx    comma-joined sentence indices, e.g. "3,4"
    x-confidence, x-score   four decimals

and the header carries the run's signature as ``<prop type="x-aligner-signature">``.

XML 1.0 cannot hold most C0 control characters (form feeds from PDF extraction, for
instance); they are written as U+FFFD so that the file stays well-formed. Tabs, newlines and
every other character, ``&`` and ``<`` included, are escaped by lxml and read back unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from aligner import __version__
from aligner.errors import FormatError
from aligner.io.records import BeadRecord, index_list, number, read_bytes, records_from_alignment
from aligner.types import Alignment

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): C0 controls other than
# tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = xml_safe(value)


def _tuv(parent: etree._Element, lang: str, text: str) -> None:
    tuv = etree.SubElement(parent, "tuv")
    tuv.set(XML_LANG, lang)
    etree.SubElement(tuv, "seg").text = xml_safe(text)


def render_tmx(alignment: Alignment) -> bytes:
    """The TMX document for ``alignment`` as UTF-8 bytes with an XML declaration."""
    src_lang, tgt_lang = alignment.src.lang, alignment.tgt.lang
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": "en",
        "srclang": src_lang,
        "datatype": "plaintext",
    })
    _prop(header, "x-aligner-signature", str(alignment.signature))
    body = etree.SubElement(root, "body")
    for position, record in enumerate(records_from_alignment(alignment)):
        if record.is_null:
            continue
        # TMX's content model puts every <prop> before the first <tuv>.
        tu = etree.SubElement(body, "tu", tuid=str(position))
        _prop(tu, "x-src-idx", ",".join(map(str, record.src_idx)))
        _prop(tu, "x-tgt-idx", ",".join(map(str, record.tgt_idx)))
        _prop(tu, "x-confidence", f"{record.confidence:.4f}")
        _prop(tu, "x-score", f"{record.score:.4f}")
        _tuv(tu, src_lang, record.src_text)
        _tuv(tu, tgt_lang, record.tgt_text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _props(element: etree._Element) -> dict[str, str]:
    return {p.get("type", ""): p.text or "" for p in element.iterchildren("prop")}


def parse_tmx(data: bytes, *, source: str = "<tmx>") -> tuple[BeadRecord, ...]:
    """Records from a TMX document: the ``srclang`` variant is the source, the other the target.

    Made for files ``render_tmx`` wrote; units from other tools read too, with indices ``()``
    when they have no ``x-src-idx``/``x-tgt-idx`` props. Inline markup inside ``<seg>`` is
    reduced to its text.
    """
    # No entity expansion, no network: a TMX file is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else 1
        raise FormatError(f"not well-formed XML: {err.msg}", where=f"{source}:{line}") from err
    header = root.find("header")
    if root.tag != "tmx" or header is None or root.find("body") is None:
        raise FormatError("expected a <tmx> document with <header> and <body>",
                          where=f"{source}:{root.sourceline or 1}")
    src_lang = (header.get("srclang") or "").lower()
    signature = _props(header).get("x-aligner-signature")
    records = []
    for tu in root.iterfind("body/tu"):
        where = f"{source}:{tu.sourceline}"
        texts: dict[str, str] = {}
        for tuv in tu.iterchildren("tuv"):
            seg = tuv.find("seg")
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
            texts[lang] = "".join(seg.itertext()) if seg is not None else ""
        src_text = texts.pop(src_lang, None)
        if src_text is None or len(texts) != 1:
            raise FormatError(f"expected one <tuv> in srclang {src_lang!r} and one in "
                              "another language", where=where)
        props = _props(tu)
        records.append(BeadRecord(
            src_idx=index_list(props.get("x-src-idx"), where),
            tgt_idx=index_list(props.get("x-tgt-idx"), where),
            src_text=src_text,
            tgt_text=next(iter(texts.values())),
            confidence=number(props.get("x-confidence"), where),
            score=number(props.get("x-score"), where),
            signature=signature,
        ))
    return tuple(records)


def read_tmx(path: str | Path) -> tuple[BeadRecord, ...]:
    """Records from a TMX file (see ``parse_tmx``)."""
    return parse_tmx(read_bytes(path), source=str(path))
