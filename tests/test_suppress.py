"""Remembered review decisions: fingerprints, the suppression file, and the CLI around them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.check import CheckReport, Finding
from aligner.checks import Category, Divergence, Pair, Severity
from aligner.cli import app
from aligner.errors import FormatError, InputError, UsageError
from aligner.report import render_json
from aligner.suppress import (
    FORMAT_NAME,
    apply_suppressions,
    finding_fingerprint,
    fingerprint,
    flagged_context,
    load_suppressions,
    normalise,
    parse_suppressions,
    render_suppressions,
    resolve,
    save_suppressions,
    sidecar_path,
    suppression_for,
)

NUMBERS_RU = "Число военнослужащих в Европе выросло на 20 тыс. человек."
NUMBERS_EN = "The number of US troops in Europe has increased by 30,000."


def numbers_finding(ru: str, en: str, ru_words: str = "20 тыс.",
                    en_words: str = "30,000", check: str = "numbers.v1") -> Divergence:
    s, t = ru.index(ru_words), en.index(en_words)
    return Divergence(check, Severity.CRITICAL, Category.MISTRANSLATION, "figures differ",
                      ((s, s + len(ru_words)),), ((t, t + len(en_words)),))


def fp(ru: str, en: str, **kwargs: str) -> str:
    return finding_fingerprint(numbers_finding(ru, en, **kwargs), Pair(0, ru, en))


# --- fingerprints ---------------------------------------------------------------------------

def test_normalise_folds_case_quotes_dashes_whitespace_and_yo() -> None:
    assert normalise("  «Ещё»\t— „ДА“\n") == normalise('"еще" - "да"') == '"еще" - "да"'


def test_context_is_the_sentences_holding_the_spans() -> None:
    text = "Первое предложение. Здесь 20 тыс. человек. Третье."
    start = text.index("20")
    assert flagged_context(text, [(start, start + 7)]) == "Здесь 20 тыс. человек."
    assert flagged_context(text, []) == text


def test_fingerprint_ignores_bead_index_and_neighbouring_sentences() -> None:
    base = fp(NUMBERS_RU, NUMBERS_EN)
    assert len(base) == 16
    # Re-aligned: the bead now also holds the sentence before (a 2-2 bead) at another index.
    ru2, en2 = "Так говорят в Пентагоне. " + NUMBERS_RU, "So says the Pentagon. " + NUMBERS_EN
    d = numbers_finding(ru2, en2)
    assert finding_fingerprint(d, Pair(17, ru2, en2)) == base


def test_fingerprint_ignores_case_quotes_and_spacing() -> None:
    ru = NUMBERS_RU.replace(" в ", "  в ")
    en = NUMBERS_EN.replace("The number", "the  number")
    assert fp(ru, en) == fp(NUMBERS_RU, NUMBERS_EN)
    assert fingerprint("quotes.v1", "Он сказал «да».", "He said “yes”.") == fingerprint(
        "quotes.v1", 'Он сказал "да".', 'He said "yes".')


def test_fingerprint_changes_with_the_flagged_words_or_their_sentence() -> None:
    base = fp(NUMBERS_RU, NUMBERS_EN)
    assert fp(NUMBERS_RU.replace("20", "25"), NUMBERS_EN, ru_words="25 тыс.") != base
    assert fp(NUMBERS_RU, NUMBERS_EN.replace("30,000", "35,000"), en_words="35,000") != base
    assert fp(NUMBERS_RU.replace("Европе", "Азии"), NUMBERS_EN) != base


def test_fingerprint_keeps_across_check_versions_not_checks() -> None:
    base = fp(NUMBERS_RU, NUMBERS_EN)
    assert fp(NUMBERS_RU, NUMBERS_EN, check="numbers.v2") == base
    assert fp(NUMBERS_RU, NUMBERS_EN, check="dates.v1") != base


# --- applying and the file ------------------------------------------------------------------

def report_of(*pairs: tuple[str, str]) -> CheckReport:
    """Pairs; a numbers finding on each pair that has «тыс.»."""
    built = tuple(Pair(k, ru, en) for k, (ru, en) in enumerate(pairs))
    findings = tuple(Finding(p.index, numbers_finding(p.src, p.tgt))
                     for p in built if "тыс." in p.src)
    return CheckReport(built, findings, ("numbers.v1",))


def test_apply_hides_matches_and_reports_stale_entries() -> None:
    report = report_of(("Первое.", "First."), (NUMBERS_RU, NUMBERS_EN))
    d = report.findings[0].divergence
    entry = suppression_for(d, NUMBERS_RU, NUMBERS_EN, note="the desk agreed")
    stale = suppression_for(numbers_finding(NUMBERS_RU.replace("20", "21"), NUMBERS_EN,
                                            ru_words="21 тыс."),
                            NUMBERS_RU.replace("20", "21"), NUMBERS_EN)
    # The document was edited elsewhere and re-aligned: the finding moved to bead 2.
    edited = report_of(("Новое.", "New."), ("Первое.", "First."), (NUMBERS_RU, NUMBERS_EN))
    result = apply_suppressions(edited, [entry, stale], path="review.json")
    assert result.report.findings == ()
    assert [f.pair_index for f in result.hidden] == [2]
    assert result.stale == (stale,)
    assert result.report.pairs == edited.pairs


def test_file_round_trip_is_versioned_and_atomic(tmp_path: Path) -> None:
    d = numbers_finding(NUMBERS_RU, NUMBERS_EN)
    entry = suppression_for(d, NUMBERS_RU, NUMBERS_EN, added="2025-01-31T12:00:00Z",
                            by="anna", note="ok")
    path = tmp_path / "review.json"
    save_suppressions(path, [entry])
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == FORMAT_NAME and raw["version"] == 1
    assert raw["entries"][0]["src_spans"] == ["20 тыс."]
    assert raw["entries"][0]["tgt_spans"] == ["30,000"]
    assert load_suppressions(path) == (entry,)
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ('{"entries": []}', "not an aligner suppression file"),
    (json.dumps({"format": FORMAT_NAME, "version": 7, "entries": []}), "version 7"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "entries": [{"check": "x"}]}),
     "fingerprint"),
    (json.dumps({"format": FORMAT_NAME, "version": 1, "entries": {}}), "must be a list"),
])
def test_bad_files_are_format_errors_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message) as info:
        parse_suppressions(text, source="review.json")
    assert str(info.value).startswith("review.json")
    assert "\n" not in str(info.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such suppression file"):
        load_suppressions(tmp_path / "nope.json")


def test_resolve_prefixes() -> None:
    known = ["abcdef0123456789", "abcdef9999999999", "1234567890abcdef"]
    assert resolve("123456", known, where="r", list_hint="h") == known[2]
    with pytest.raises(UsageError, match="ambiguous"):
        resolve("abcdef", known, where="r", list_hint="h")
    with pytest.raises(UsageError, match="no finding"):
        resolve("ffffff", known, where="r", list_hint="h")
    with pytest.raises(UsageError, match="at least 6"):
        resolve("abc", known, where="r", list_hint="h")


def test_sidecar_sits_beside_the_source() -> None:
    assert sidecar_path("/d/comment.ru.txt") == Path("/d/comment.ru.aligner-suppress.json")


def test_render_lists_every_entry_field() -> None:
    entry = suppression_for(numbers_finding(NUMBERS_RU, NUMBERS_EN), NUMBERS_RU, NUMBERS_EN)
    doc = json.loads(render_suppressions([entry]))
    assert set(doc["entries"][0]) == {"fingerprint", "check", "src_spans", "tgt_spans",
                                      "src_context", "tgt_context", "message"}


# --- the command line (line-aligned input: no encoder) --------------------------------------
# A JSON run of `check` also scores adequacy (about a second), so most tests below look at
# the text summary line, and reports for `suppress add` are rendered by the library.

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ru, en = tmp_path / "doc.ru.txt", tmp_path / "doc.en.txt"
    ru.write_text(f"Встреча прошла в Москве.\n{NUMBERS_RU}\n", encoding="utf-8")
    en.write_text(f"The meeting took place in Moscow.\n{NUMBERS_EN}\n", encoding="utf-8")
    return ru, en


def check(ru: Path, en: Path, *extra: str) -> tuple[int, str, str]:
    """``aligner check`` on line-aligned files, the numbers check only (fast)."""
    return run("check", str(ru), str(en), "--aligned", "--checks", "numbers", *extra)


def summary(ru: Path, en: Path, *extra: str) -> str:
    code, out, err = check(ru, en, "--quiet", *extra)
    assert code == 0, err
    return out.strip()


FOUND = "2 pairs checked, 1 findings (1 critical, 0 major, 0 minor)"
HIDDEN = "2 pairs checked, 0 findings (0 critical, 0 major, 0 minor), 1 suppressed"


def write_report(path: Path, *, lines: bool = False) -> Path:
    """What `aligner check --aligned -f json|jsonl` writes for the `files` fixture."""
    report = report_of(("Встреча прошла в Москве.", "The meeting took place in Moscow."),
                       (NUMBERS_RU, NUMBERS_EN))
    path.write_text(render_json(report, None, "sig", lines=lines), encoding="utf-8")
    return path


def found_fingerprint() -> str:
    return fp(NUMBERS_RU, NUMBERS_EN)


def test_json_report_has_fingerprints_and_suppression_fields(
        tmp_path: Path, files: tuple[Path, Path]) -> None:
    ru, en = files
    report_path = tmp_path / "report.json"
    code, _, err = check(ru, en, "-f", "json", "-o", str(report_path))
    assert code == 0, err
    report = json.loads(report_path.read_text(encoding="utf-8"))
    found = [d["fingerprint"] for p in report["pairs"] for d in p["divergences"]]
    assert found == [found_fingerprint()]
    assert (report["suppressed"], report["suppression_file"], report["stale_suppressions"]
            ) == (0, None, [])

    review = tmp_path / "review.json"
    assert run("suppress", "add", str(review), found[0], "--report", str(report_path))[0] == 0
    code, out, err = check(ru, en, "-f", "json", "--suppress", str(review))
    assert code == 0, err
    shown = json.loads(out)
    assert shown["suppressed"] == 1 and shown["suppression_file"] == str(review)
    assert [p["divergences"] for p in shown["pairs"]] == [[], []]


def test_add_list_check_remove(tmp_path: Path, files: tuple[Path, Path]) -> None:
    ru, en = files
    report_path = write_report(tmp_path / "report.json")
    found = found_fingerprint()
    review = tmp_path / "review.json"

    code, out, err = run("suppress", "add", str(review), found[:8], "--report",
                         str(report_path), "--note", "the desk agreed", "--by", "anna")
    assert code == 0, err
    assert out.startswith(f"added {found[:8]} numbers.v1 «20 тыс.» / \"30,000\"")

    code, out, _ = run("suppress", "list", str(review))
    assert code == 0 and out.splitlines()[0].startswith(found)
    assert "by anna: the desk agreed" in out

    assert summary(ru, en, "--suppress", str(review)) == HIDDEN
    code, out, _ = check(ru, en, "--suppress", str(review))
    assert code == 0 and "1 finding suppressed by" in out and "numbers.v1" not in out

    lines_path = write_report(tmp_path / "report.jsonl", lines=True)  # JSON lines work too
    code, out, _ = run("suppress", "add", str(review), found, "--report", str(lines_path))
    assert code == 0 and out.startswith("already there")

    code, out, _ = run("suppress", "remove", str(review), found[:10])
    assert code == 0 and out.startswith(f"removed {found[:8]}")
    assert json.loads(review.read_text(encoding="utf-8"))["entries"] == []
    assert summary(ru, en, "--suppress", str(review)) == FOUND


def test_unknown_fingerprints_are_usage_errors_that_say_where_to_look(
        tmp_path: Path) -> None:
    report_path = write_report(tmp_path / "report.json")
    review = tmp_path / "review.json"
    code, _, err = run("suppress", "add", str(review), "ffffffff", "--report", str(report_path))
    assert code == 2 and "no finding with fingerprint ffffffff" in err and "fingerprint" in err
    assert not review.exists()  # nothing written
    save_suppressions(review, [])
    code, _, err = run("suppress", "remove", str(review), "ffffffff")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"aligner suppress list {review}" in err


def test_sidecar_is_used_unless_no_suppress(files: tuple[Path, Path]) -> None:
    ru, en = files
    entry = suppression_for(numbers_finding(NUMBERS_RU, NUMBERS_EN), NUMBERS_RU, NUMBERS_EN)
    assert summary(ru, en) == FOUND
    save_suppressions(sidecar_path(ru), [entry])
    assert summary(ru, en) == HIDDEN
    code, out, _ = check(ru, en)
    assert code == 0 and "1 finding suppressed by" in out
    assert str(sidecar_path(ru)) in out.replace("\n", "")  # a long path wraps
    assert summary(ru, en, "--no-suppress") == FOUND
    code, _, err = check(ru, en, "--no-suppress", "--suppress", str(sidecar_path(ru)))
    assert code == 2 and "--no-suppress" in err


def test_stale_entries_are_reported_everywhere(tmp_path: Path, files: tuple[Path, Path]) -> None:
    ru, en = files
    old = NUMBERS_RU.replace("20", "21")
    stale = suppression_for(numbers_finding(old, NUMBERS_EN, ru_words="21 тыс."), old,
                            NUMBERS_EN)
    review = tmp_path / "review.json"
    save_suppressions(review, [stale])
    report = report_of(("Встреча прошла в Москве.", "The meeting took place in Moscow."),
                       (NUMBERS_RU, NUMBERS_EN))
    result = apply_suppressions(report, [stale], path=str(review))
    shown = json.loads(render_json(result.report, None, "sig", lines=False,
                                   suppression=result))
    assert [e["fingerprint"] for e in shown["stale_suppressions"]] == [stale.fingerprint]
    assert shown["suppressed"] == 0 and shown["suppression_file"] == str(review)

    code, out, _ = check(ru, en, "--suppress", str(review))
    assert code == 0 and "1 stale suppression in" in out
    assert f"{stale.fingerprint[:8]} numbers.v1 «21 тыс.»" in out

    # --quiet and the file formats have no room for them: a warning on stderr.
    code, out, err = check(ru, en, "--suppress", str(review), "--quiet")
    assert code == 0 and out.strip() == FOUND
    assert "warning: 1 stale suppression" in err and stale.fingerprint[:8] in err
    assert f"aligner suppress remove {review} FINGERPRINT" in err


@pytest.mark.parametrize("content", ["{oops", '{"format": "aligner-suppressions", '
                                     '"version": 99, "entries": []}'])
def test_bad_suppression_file_is_one_line_error(tmp_path: Path, files: tuple[Path, Path],
                                                content: str) -> None:
    ru, en = files
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    for args in (["check", str(ru), str(en), "--aligned", "--checks", "numbers", "--suppress",
                  str(bad)],
                 ["suppress", "list", str(bad)]):
        code, out, err = run(*args)
        lines = err.strip().splitlines()
        assert code == 1 and len(lines) == 1 and str(bad) in lines[0], args
        assert out == ""
    code, _, err = check(ru, en, "--suppress", str(tmp_path / "missing.json"))
    assert code == 1 and "no such suppression file" in err
