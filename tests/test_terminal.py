"""The terminal report: 80 columns, summary first, grouped findings, spans marked, colours
off when not a terminal or with NO_COLOR."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console
from sample_review import sample_review

from aligner.check import CheckReport, Finding
from aligner.checks import Category, Divergence, Pair, Severity
from aligner.report import print_terminal
from aligner.suppress import apply_suppressions, suppression_for

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(report: CheckReport, *, width: int = 80, quiet: bool = False,
           **console: object) -> str:
    out = io.StringIO()
    print_terminal(report, Console(file=out, width=width, **console),  # type: ignore[arg-type]
                   quiet=quiet)
    return out.getvalue()


def long_report() -> CheckReport:
    """The sample plus a bead far longer than a line, a message with an unbreakable word
    and a span near the end of its sentence."""
    base = sample_review().report
    ru = ("В заявлении, опубликованном на официальном сайте министерства, говорится, что "
          "российская сторона готова продолжить консультации по всем вопросам повестки дня, "
          "включая контроль над вооружениями, и ожидает ответа до 31 декабря.")
    en = ("The statement, published on the ministry's official website, says that the "
          "Russian side is ready to continue consultations on all items of the agenda, "
          "including arms control, and expects an answer by 30 December.")
    pair = Pair(len(base.pairs), ru, en)
    s, t = ru.index("31 декабря"), en.index("30 December")
    d = Divergence("dates.v1", Severity.CRITICAL, Category.MISTRANSLATION,
                   "the date differs: see https://example.org/" + "a" * 90,
                   ((s, s + 10),), ((t, t + 11),), "check the date " * 8)
    return CheckReport((*base.pairs, pair), (*base.findings, Finding(pair.index, d)),
                       base.checks)


@pytest.mark.parametrize("styled", [False, True])
def test_no_line_is_wider_than_80_columns(styled: bool) -> None:
    text = render(long_report(), force_terminal=styled, color_system="standard")
    lines = ANSI.sub("", text).splitlines()
    assert len(lines) > 20
    assert max(cell_len(line) for line in lines) <= 80
    assert all(line == line.rstrip() for line in lines)


def test_summary_first_then_groups_by_severity() -> None:
    lines = render(sample_review().report).splitlines()
    assert lines[0] == "5 pairs checked, 5 findings (3 critical, 1 major, 1 minor)"
    assert lines[1] == "by check: numbers.v1 1, omission.v1 1, polarity.v1 1, terminology.v1 1,"
    assert lines[2] == "  weak_pair.v1 1"  # wrapped between checks, never inside one
    headers = [line for line in lines if re.fullmatch(r"[A-Z]+ \(\d+\)", line)]
    assert headers == ["CRITICAL (3)", "MAJOR (1)", "MINOR (1)"]
    heads = [line.split("[")[0] for line in lines if line.startswith("  #")]
    assert heads == ["  #0 polarity.v1  ", "  #1 numbers.v1  ", "  #2 omission.v1  ",
                     "  #4 terminology.v1  ", "  #4 weak_pair.v1  "]


def test_plain_output_marks_both_spans_with_carets() -> None:
    lines = render(sample_review().report).splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("  #1 numbers.v1"))
    ru, ru_marks, en, en_marks = lines[start + 2:start + 6]
    assert ru.startswith("     ru: ") and en.startswith("     en: ")

    def marked(line: str, marks: str) -> str:
        return "".join(ch for ch, m in zip(line, marks, strict=False) if m == "^")

    assert marked(ru, ru_marks) == "20 тыс."
    assert marked(en, en_marks) == "30,000"
    # A null side says so, and a span covering its whole excerpt needs no caret line.
    omission = next(k for k, line in enumerate(lines) if line.startswith("  #2 omission"))
    assert lines[omission + 3] == "     en: (nothing)"


def test_styled_output_underlines_the_spans() -> None:
    text = render(sample_review().report, force_terminal=True, color_system="standard")
    assert "\x1b[" in text and "^^^" not in text
    underlined = re.findall(r"\x1b\[[0-9;]*4[0-9;]*m([^\x1b]+)", text)
    assert "20 тыс." in underlined and "30,000" in underlined


def test_no_color_means_no_escape_codes_even_on_a_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    text = render(sample_review().report, force_terminal=True)
    assert "\x1b" not in text
    assert "^^^^^^" in text  # the spans are still marked


def test_not_a_terminal_means_no_escape_codes() -> None:
    assert "\x1b" not in render(sample_review().report, force_terminal=False)


def test_quiet_prints_only_the_summary_line() -> None:
    assert render(sample_review().report, quiet=True).splitlines() == [
        "5 pairs checked, 5 findings (3 critical, 1 major, 1 minor)"]


def test_suppressed_and_stale_in_the_report() -> None:
    report = sample_review().report
    first = report.findings[1]
    pair = report.pairs[first.pair_index]
    entry = suppression_for(first.divergence, pair.src, pair.tgt)
    # Dismissed when the flagged sentence read differently: stale now.
    gone = suppression_for(first.divergence, pair.src.replace("человек", "солдат"), pair.tgt)
    result = apply_suppressions(report, [entry, gone], path="review.json")
    out = io.StringIO()
    print_terminal(result.report, Console(file=out, width=80), suppression=result)
    lines = out.getvalue().splitlines()
    assert lines[0] == "5 pairs checked, 4 findings (2 critical, 1 major, 1 minor), " \
                       "1 suppressed"
    assert "1 finding suppressed by review.json (--no-suppress shows them)" in lines
    text = "\n".join(lines)
    assert "1 stale suppression in review.json" in text
    assert f"{gone.fingerprint[:8]} numbers.v1 «20 тыс.» / \"30,000\"" in text
    assert "numbers.v1  [" not in text  # the suppressed finding is not shown
