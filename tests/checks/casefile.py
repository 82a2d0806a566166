"""The pass/fail case files shared by the check tests (``cases/<check>.tsv``).

Columns: ``expect`` (pass|fail), ``ru``, ``en``, ``note``; lines starting with ``#`` are
comments.
"""

from __future__ import annotations

import csv
from pathlib import Path


def read_cases(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")),
                              delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(r["expect"], r["ru"], r["en"], r["note"]) for r in rows]
