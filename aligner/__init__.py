"""aligner: align Russian originals with their English translations, sentence by sentence.

The public API is imported lazily so that ``import aligner`` loads no model and does no work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "align_documents", "align_files"]

if TYPE_CHECKING:
    from aligner.pipeline import align_documents, align_files


def __getattr__(name: str) -> Any:
    if name in ("align_documents", "align_files"):
        from aligner import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'aligner' has no attribute {name!r}")
