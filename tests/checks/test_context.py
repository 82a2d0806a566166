"""CheckContext: per-run resources and per-pair analyses shared by the checks."""

from __future__ import annotations

from aligner.check import check_pairs
from aligner.checks import CheckContext, Pair
from aligner.checks.base import text_words


def test_an_analysis_is_computed_once_per_pair_and_then_forgotten() -> None:
    context = CheckContext()
    calls: list[str] = []

    def compute() -> int:
        calls.append("x")
        return len(calls)

    assert context.analysis(("count", "text"), compute) == 1
    assert context.analysis(("count", "text"), compute) == 1
    context.forget_analyses()
    assert context.analysis(("count", "text"), compute) == 2
    words = text_words(context, "Совет Безопасности")
    assert text_words(context, "Совет Безопасности") is words


def test_checks_share_a_run_and_leave_no_analyses_behind() -> None:
    context = CheckContext()
    pairs = [Pair(0, "Россия не намерена втягиваться в гонку вооружений.",
                  "Russia intends to be drawn into an arms race."),
             Pair(1, "Такие шаги создают новые раздражители.", "Such steps create new irritants.")]
    report = check_pairs(pairs, context=context)
    assert [f.divergence.check for f in report.findings] == ["polarity.v1"]
    assert context.analyses == {}
    assert "morphology" in context.resources
    # the same run again, with every resource loaded, finds the same
    assert check_pairs(pairs, context=context).findings == report.findings
