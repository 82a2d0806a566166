"""Trained artefacts shipped with aligner; each has a model card (*.md) beside it."""
