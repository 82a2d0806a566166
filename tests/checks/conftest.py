"""Fixtures shared by the check tests."""

from __future__ import annotations

import pytest

from aligner.checks import CheckContext


@pytest.fixture(scope="module")
def context() -> CheckContext:
    """One context per test module: lists, glossary and morphology load once."""
    return CheckContext()
