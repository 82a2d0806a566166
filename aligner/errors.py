"""One error hierarchy. Every error says what happened, where, and how to fix it.

The CLI prints ``str(error)`` as a single line and exits with ``exit_code``.
"""

from __future__ import annotations


class AlignerError(Exception):
    """Base class: a problem a user can act on."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split())


class InputError(AlignerError):
    """An input file is missing, unreadable, empty, binary or malformed."""


class UsageError(AlignerError):
    """Options that cannot work together or values out of range."""

    exit_code = 2


class LanguageMismatchError(InputError):
    """The two documents are in the same language, or in each other's."""


class EncoderError(AlignerError):
    """An encoder could not be found, loaded or run."""


class FormatError(AlignerError):
    """A file in a known format (gold beads, alignment JSONL, glossary) is malformed."""
