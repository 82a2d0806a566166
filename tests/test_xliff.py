"""XLIFF 2.0 export: shape, notes, metadata, null beads, our reader, and translate-toolkit's
readers on our XLIFF and TMX (the pairs come back the same)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sample_review import SIGNATURE, document, sample_alignment, sample_review
from translate.storage.tmx import tmxfile
from translate.storage.xliff2 import Xliff2File

from aligner.check import CheckReport, pairs_from_alignment
from aligner.errors import FormatError
from aligner.io import write_review
from aligner.io.tmx import render_tmx
from aligner.io.xliff import MDA_NS, XLIFF_NS, parse_xliff, read_xliff, render_xliff
from aligner.review import Review
from aligner.types import Alignment, Bead

NS = {"x": XLIFF_NS, "mda": MDA_NS}

# The content model of the XLIFF 2.0 core elements this writer uses, after the OASIS
# schema (xliff_core_2.0.xsd): order of children, required attributes, enumerations.
# Module elements (mda:*) are allowed where the core schema allows other namespaces.
SHAPE = f"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:x="{XLIFF_NS}"
           targetNamespace="{XLIFF_NS}" elementFormDefault="qualified">
  <xs:simpleType name="state"><xs:restriction base="xs:string">
    <xs:enumeration value="initial"/><xs:enumeration value="translated"/>
    <xs:enumeration value="reviewed"/><xs:enumeration value="final"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="priority"><xs:restriction base="xs:positiveInteger">
    <xs:maxInclusive value="10"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="appliesTo"><xs:restriction base="xs:string">
    <xs:enumeration value="source"/><xs:enumeration value="target"/>
  </xs:restriction></xs:simpleType>
  <xs:element name="xliff"><xs:complexType><xs:sequence>
      <xs:element ref="x:file" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="version" use="required"/>
    <xs:attribute name="srcLang" use="required" type="xs:language"/>
    <xs:attribute name="trgLang" type="xs:language"/>
  </xs:complexType></xs:element>
  <xs:element name="file"><xs:complexType><xs:sequence>
      <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element ref="x:notes" minOccurs="0"/>
      <xs:element ref="x:unit" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="id" use="required" type="xs:NMTOKEN"/>
    <xs:attribute name="original"/>
  </xs:complexType></xs:element>
  <xs:element name="unit"><xs:complexType><xs:sequence>
      <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element ref="x:notes" minOccurs="0"/>
      <xs:element ref="x:segment" maxOccurs="unbounded"/></xs:sequence>
    <xs:attribute name="id" use="required" type="xs:NMTOKEN"/>
  </xs:complexType></xs:element>
  <xs:element name="notes"><xs:complexType><xs:sequence>
    <xs:element ref="x:note" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
  <xs:element name="note"><xs:complexType mixed="true">
    <xs:attribute name="id" type="xs:NMTOKEN"/>
    <xs:attribute name="appliesTo" type="x:appliesTo"/>
    <xs:attribute name="category"/>
    <xs:attribute name="priority" type="x:priority"/>
  </xs:complexType></xs:element>
  <xs:element name="segment"><xs:complexType><xs:sequence>
      <xs:element ref="x:source"/><xs:element ref="x:target" minOccurs="0"/></xs:sequence>
    <xs:attribute name="id" type="xs:NMTOKEN"/>
    <xs:attribute name="state" type="x:state"/>
  </xs:complexType></xs:element>
  <xs:element name="source"><xs:complexType mixed="true">
    <xs:anyAttribute namespace="http://www.w3.org/XML/1998/namespace" processContents="skip"/>
  </xs:complexType></xs:element>
  <xs:element name="target"><xs:complexType mixed="true">
    <xs:anyAttribute namespace="http://www.w3.org/XML/1998/namespace" processContents="skip"/>
  </xs:complexType></xs:element>
</xs:schema>
"""


@pytest.fixture(scope="module")
def xliff() -> bytes:
    return render_xliff(sample_review())


@pytest.fixture(scope="module")
def root(xliff: bytes) -> etree._Element:
    return etree.fromstring(xliff)


def test_validates_against_the_core_shape(root: etree._Element) -> None:
    schema = etree.XMLSchema(etree.fromstring(SHAPE.encode()))
    assert schema.validate(root), schema.error_log
    empty = etree.fromstring(render_xliff(Review(CheckReport((), (), ()))))
    assert schema.validate(empty), schema.error_log


def test_root_languages_and_file_notes(root: etree._Element) -> None:
    assert root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("ru", "en")
    file = root.find("x:file", NS)
    assert file is not None and file.get("original") == "sample.ru.txt"
    notes = {n.get("id"): n.text for n in file.iterfind("x:notes/x:note", NS)}
    assert notes["signature"] == "aligner:0.1.0|enc:use-m3@test|band:8|checks:all"
    assert "5 findings (3 critical, 1 major, 1 minor)" in str(notes["summary"])


def test_one_unit_per_bead_null_beads_included(root: etree._Element) -> None:
    units = root.findall(".//x:unit", NS)
    assert [u.get("id") for u in units] == ["b0", "b1", "b2", "b3", "b4"]
    states = [u.find("x:segment", NS).get("state") for u in units]  # type: ignore[union-attr]
    assert states == ["translated", "translated", "initial", "initial", "translated"]
    omission = units[2]
    assert omission.find("x:segment/x:target", NS) is None
    addition = units[3]
    assert addition.findtext("x:segment/x:source", namespaces=NS) == ""
    for unit, side in ((omission, "target"), (addition, "source")):
        note = unit.find("x:notes/x:note[@id='null']", NS)
        assert note is not None and note.get("appliesTo") == side


def test_findings_are_notes_with_check_priority_and_side(root: etree._Element) -> None:
    unit = root.find(".//x:unit[@id='b4']", NS)
    assert unit is not None
    notes = unit.findall("x:notes/x:note", NS)
    assert [(n.get("category"), n.get("priority")) for n in notes] == [
        ("terminology.v1", "2"), ("weak_pair.v1", "3")]
    assert notes[0].text == ("major: «раздражители» is rendered \"annoyances\" "
                             "Suggestion: irritants")
    assert notes[1].text == "minor: low confidence & <weak> pair"
    omission = root.find(".//x:unit[@id='b2']/x:notes/x:note[@category='omission.v1']", NS)
    assert omission is not None and omission.get("appliesTo") == "source"
    assert omission.get("priority") == "1"


def test_metadata_carries_indices_and_scores(root: etree._Element) -> None:
    unit = root.find(".//x:unit[@id='b1']", NS)
    assert unit is not None
    meta = {m.get("type"): m.text for m in unit.iterfind(".//mda:meta", NS)}
    assert meta == {"src-idx": "1,2", "tgt-idx": "1", "bead-type": "2-1",
                    "confidence": "0.8100", "score": "0.7000", "adequacy": "48.5"}


def test_our_reader_gives_the_beads_back(tmp_path: Path) -> None:
    out = tmp_path / "review.xlf"
    write_review(sample_review(), "xliff", out)
    records = read_xliff(out)
    pairs = sample_review().report.pairs
    assert [(r.src_text, r.tgt_text) for r in records] == [(p.src, p.tgt) for p in pairs]
    assert [r.kind for r in records] == ["1-1", "2-1", "1-0", "0-1", "1-1"]
    assert records[4].confidence == pytest.approx(0.42)
    assert records[0].signature == "aligner:0.1.0|enc:use-m3@test|band:8|checks:all"


@pytest.mark.parametrize(("data", "message"), [
    (b"<xliff", "not well-formed"),
    (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>', "XLIFF 2"),
    (b'<tmx version="1.4"/>', "XLIFF 2"),
])
def test_reader_errors(data: bytes, message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        parse_xliff(data, source="bad.xlf")
    assert "bad.xlf:1" in str(info.value)


# --- translate-toolkit reads our files -------------------------------------------------------

def non_null(review: Review) -> list[tuple[str, str]]:
    return [(p.src, p.tgt) for p in review.report.pairs if not p.is_null]


def test_translate_toolkit_reads_our_xliff(xliff: bytes) -> None:
    store = Xliff2File.parsestring(xliff)
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("ru", "en")
    units = {u.getid(): u for u in store.units}
    assert list(units) == ["b0", "b1", "b2", "b3", "b4"]
    got = [(str(u.source), str(u.target)) for u in store.units if u.source and u.target]
    assert got == non_null(sample_review())
    assert units["b2"].target is None  # the Russian with no English stays untranslated
    assert units["b0"].istranslated() and not units["b2"].istranslated()


def test_translate_toolkit_reads_our_tmx() -> None:
    alignment = sample_alignment()
    store = tmxfile.parsestring(render_tmx(alignment))
    got = [(str(u.source), str(u.target)) for u in store.units]
    assert got == non_null(Review(CheckReport(pairs_from_alignment(alignment), (), ())))


# Sentences as the writers see them: Cyrillic, markup characters, tabs, inner newlines and
# spaces. XML cannot hold C0 controls (they become U+FFFD, tested in test_io).
SENTENCE = st.text(st.one_of(st.sampled_from("абвЖЯё\t\n&<>\"' «»—…"),
                             st.characters(exclude_categories=["Cs", "Cc", "Cn"])),
                   min_size=1, max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=4))
def test_translate_toolkit_round_trip_property(texts: list[tuple[str, str]]) -> None:
    ru, en = [a for a, _ in texts], [b for _, b in texts]
    alignment = Alignment(document(ru, "ru"), document(en, "en"),
                          tuple(Bead((k,), (k,), 0.5, 0.5) for k in range(len(texts))),
                          SIGNATURE)
    review = Review(CheckReport(pairs_from_alignment(alignment), (), ()), alignment)
    want = [(p.src, p.tgt) for p in review.report.pairs]
    xliff_pairs = [(str(u.source), str(u.target))
                   for u in Xliff2File.parsestring(render_xliff(review)).units]
    tmx_pairs = [(str(u.source), str(u.target))
                 for u in tmxfile.parsestring(render_tmx(alignment)).units]
    ours = [(r.src_text, r.tgt_text) for r in parse_xliff(render_xliff(review))]
    assert xliff_pairs == want and tmx_pairs == want and ours == want
