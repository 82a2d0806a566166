"""The XLSX review workbook, read back with openpyxl: rows, header, filter, fills, summary."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from sample_review import sample_review

from aligner.check import CheckReport
from aligner.checks import Pair
from aligner.io import write_review
from aligner.io.xlsx import SEVERITY_FILL, render_xlsx
from aligner.review import Review


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(io.BytesIO(render_xlsx(sample_review())))


def rows(workbook: Workbook, sheet: str) -> list[dict[str, object]]:
    ws = workbook[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_sheets_in_order(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["Beads", "Summary", "Findings"]


def test_one_row_per_bead_with_indices_texts_and_scores(workbook: Workbook) -> None:
    beads = rows(workbook, "Beads")
    assert [r["Bead"] for r in beads] == [0, 1, 2, 3, 4]
    assert [r["Type"] for r in beads] == ["1-1", "2-1", "1-0", "0-1", "1-1"]
    assert beads[1]["ru sentences"] == "1,2" and beads[1]["en sentences"] == "1"
    assert beads[2]["en sentences"] is None and beads[2]["English"] is None
    assert beads[3]["Russian"] is None and beads[3]["English"] == "Annex: list of participants."
    # Cyrillic, &, < and a tab come back unchanged.
    assert beads[1]["Russian"] == ("Число военнослужащих выросло на 20 тыс. человек. "
                                   "Это & <важно>\tдля нас.")
    assert beads[4]["Confidence"] == pytest.approx(0.42)
    assert beads[4]["Adequacy"] == pytest.approx(71.2, abs=0.06)
    assert beads[2]["Adequacy"] is None  # a null bead has no translation to judge


def test_findings_one_line_each_with_worst_severity(workbook: Workbook) -> None:
    beads = rows(workbook, "Beads")
    assert beads[4]["Severity"] == "major"
    assert beads[4]["Checks"] == "terminology.v1, weak_pair.v1"
    lines = str(beads[4]["Findings"]).splitlines()
    assert lines == ["major terminology.v1: «раздражители» is rendered \"annoyances\" "
                     "-> irritants", "minor weak_pair.v1: low confidence & <weak> pair"]
    assert beads[3]["Severity"] is None and beads[3]["Findings"] is None


def test_frozen_header_filter_and_wrapped_text(workbook: Workbook) -> None:
    for name in workbook.sheetnames:
        ws = workbook[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == ws.dimensions, name
        assert ws["A1"].font.b
    beads = workbook["Beads"]
    header = [c.value for c in beads[1]]
    russian = header.index("Russian") + 1
    assert beads.cell(row=2, column=russian).alignment.wrap_text
    assert beads.column_dimensions["E"].width == 60


def test_rows_filled_with_their_worst_severity(workbook: Workbook) -> None:
    beads = workbook["Beads"]

    def colour(row: int, column: int = 1) -> str:
        return str(beads.cell(row=row, column=column).fill.fgColor.rgb)[-6:]

    assert colour(2) == SEVERITY_FILL[next(iter(SEVERITY_FILL))]  # bead 0: critical
    assert colour(6) == "FFEB9C"  # bead 4: major
    assert beads.cell(row=5, column=1).fill.fill_type is None  # bead 3: no finding
    assert colour(4, 6) == "F2F2F2"  # bead 2 has no English: the empty cell is grey


def test_findings_sheet_is_one_row_per_finding(workbook: Workbook) -> None:
    findings = rows(workbook, "Findings")
    assert [(r["Bead"], r["Check"]) for r in findings] == [
        (0, "polarity.v1"), (1, "numbers.v1"), (2, "omission.v1"), (4, "terminology.v1"),
        (4, "weak_pair.v1")]
    numbers = findings[1]
    assert numbers["Russian flagged"] == "20 тыс." and numbers["English flagged"] == "30,000"
    assert numbers["Category"] == "Accuracy/Mistranslation"
    assert len(str(numbers["Fingerprint"])) == 16


def test_summary_sheet(workbook: Workbook) -> None:
    summary = {r["Item"]: r["Value"] for r in rows(workbook, "Summary")}
    assert summary["Signature"] == "aligner:0.1.0|enc:use-m3@test|band:8|checks:all"
    assert summary["Pairs (beads)"] == 5
    assert summary["Null beads (1-0 or 0-1)"] == 2
    assert summary["Findings"] == 5
    assert (summary["Findings: critical"], summary["Findings: major"],
            summary["Findings: minor"]) == (3, 1, 1)
    assert summary["Findings by check: numbers.v1"] == 1
    assert summary["Mean adequacy (beads with both sides)"] == pytest.approx(51.6, abs=0.06)
    assert summary["Document score"] == pytest.approx(58.4)
    assert summary["Document score: mean_confidence"] == pytest.approx(0.756)


def test_without_adequacy_there_is_no_adequacy_column() -> None:
    wb = load_workbook(io.BytesIO(render_xlsx(sample_review(scored=False))))
    header = [c.value for c in wb["Beads"][1]]
    assert "Adequacy" not in header and "Confidence" in header
    assert not any(str(r["Item"]).startswith("Document score") for r in rows(wb, "Summary"))


def test_text_is_never_a_formula_and_bad_characters_are_replaced() -> None:
    pair = Pair(0, "=SUM(A1:A2)", "bell\x07 and form feed\x0c")
    review = Review(CheckReport((pair,), (), ()))
    wb = load_workbook(io.BytesIO(render_xlsx(review)))
    row = rows(wb, "Beads")[0]
    assert row["Russian"] == "=SUM(A1:A2)" and wb["Beads"]["E2"].data_type == "s"
    assert row["English"] == "bell\ufffd and form feed\ufffd"
    assert row["ru sentences"] == "0"  # line-paired input: line k on each side


def test_same_review_same_bytes() -> None:
    first, second = render_xlsx(sample_review()), render_xlsx(sample_review())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_review_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "review.xlsx"
    assert write_review(sample_review(), "xlsx", out) == [out]
    assert load_workbook(out).sheetnames[0] == "Beads"
