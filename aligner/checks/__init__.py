"""Divergence checks, one module each, registered by versioned name.

Importing this package imports every check module in it, and each registers itself with
``aligner.checks.base.register``. ``select_checks`` picks them by name.
"""

from __future__ import annotations

import importlib
import pkgutil

from aligner.checks.base import (
    Category,
    CheckContext,
    CheckSpec,
    Divergence,
    Pair,
    Severity,
    registered,
    select_checks,
)

__all__ = [
    "Category",
    "CheckContext",
    "CheckSpec",
    "Divergence",
    "Pair",
    "Severity",
    "registered",
    "select_checks",
]

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _module.name != "base" and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
