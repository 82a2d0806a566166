"""The pass/fail case files shared by the check tests (``cases/<check>.tsv``).

Columns: ``expect`` (pass|fail), ``ru``, ``en``, ``note``; lines starting with ``#`` are
comments.
"""

from __future__ import annotations

import csv
from pathlib import Path

from aligner.checks import CheckContext, Divergence, Pair, registered


def read_cases(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")),
                              delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["expect"], r["ru"], r["en"], r["note"]) for r in rows]


def run_check(name: str, ru: str, en: str, context: CheckContext | None = None
              ) -> list[Divergence]:
    """Findings of the registered pair check ``name`` on one Russian/English pair."""
    check = registered()[name].run_pair
    assert check is not None, f"{name} is not a pair check"
    return list(check(Pair(0, ru, en), context or CheckContext()))
