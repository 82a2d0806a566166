"""The Hugging Face backend (aligner/encoders/hf.py) on a tiny BERT built here, offline.

Nothing is downloaded: the model is a randomly initialised 2-layer BERT with a 32-dim hidden
state and a few dozen WordPiece entries, saved to a temporary folder, once per module.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from aligner.encoders import get_encoder  # noqa: E402
from aligner.encoders.base import JoinedTextEmbedding  # noqa: E402
from aligner.encoders.hf import POOLINGS, HFEncoder  # noqa: E402
from aligner.errors import EncoderError, UsageError  # noqa: E402

HIDDEN = 32
# Lower-case and without й/ё: BertTokenizerFast lower-cases and strips accents.
WORDS = (
    "the security council adopted resolution russia calls on all parties to observe "
    "ceasefire sanctions law treaty minister talks with un . , "
    "совет безопасности принял резолюцию россия призывает все стороны соблюдать "
    "санкции право договор министр переговоры с оон"
).split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *dict.fromkeys(WORDS), "##s", "##ы"]

TEXTS = (
    "The Security Council adopted the resolution.",
    "Совет Безопасности принял резолюцию.",
    "Russia calls on all parties to observe the ceasefire.",
    "Россия призывает все стороны соблюдать",
)


def save_tiny_bert(folder: Path) -> Path:
    """A random 2-layer BERT and its WordPiece tokenizer, as transformers saves them."""
    folder.mkdir(parents=True)
    vocab_file = folder / "vocab.txt"
    vocab_file.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(vocab_file))
    config = transformers.BertConfig(
        vocab_size=len(VOCAB), hidden_size=HIDDEN, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64)
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def add_sentence_transformers_files(folder: Path, pooling: str,
                                    dense_out: int | None = None) -> None:
    """modules.json, 1_Pooling/config.json and optionally a Tanh Dense, as ST writes them."""
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
    ]
    (folder / "1_Pooling").mkdir()
    flags = {"cls": "pooling_mode_cls_token", "mean": "pooling_mode_mean_tokens"}
    config = {"word_embedding_dimension": HIDDEN, "include_prompt": True,
              **{flag: mode == pooling for mode, flag in flags.items()}}
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(config))
    if dense_out is not None:
        from safetensors.torch import save_file

        modules.append({"idx": 2, "name": "2", "path": "2_Dense",
                        "type": "sentence_transformers.models.Dense"})
        (folder / "2_Dense").mkdir()
        (folder / "2_Dense" / "config.json").write_text(json.dumps(
            {"in_features": HIDDEN, "out_features": dense_out, "bias": True,
             "activation_function": "torch.nn.modules.activation.Tanh"}))
        generator = torch.Generator().manual_seed(1)
        save_file({"linear.weight": torch.randn(dense_out, HIDDEN, generator=generator),
                   "linear.bias": torch.randn(dense_out, generator=generator)},
                  str(folder / "2_Dense" / "model.safetensors"))
    modules.append({"idx": len(modules), "name": str(len(modules)), "path": "3_Normalize",
                    "type": "sentence_transformers.models.Normalize"})
    (folder / "modules.json").write_text(json.dumps(modules))


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same weights as a plain folder, with ST cls pooling, and with cls + Dense(16)."""
    root = tmp_path_factory.mktemp("hf")
    plain = save_tiny_bert(root / "plain")
    folders = {"plain": plain}
    for name, pooling, dense in (("cls", "cls", None), ("dense", "cls", 16)):
        folder = save_tiny_bert(root / name)
        add_sentence_transformers_files(folder, pooling, dense)
        folders[name] = folder
    return folders


@pytest.fixture(scope="module")
def plain(models: dict[str, Path]) -> HFEncoder:
    return HFEncoder(str(models["plain"]), batch_size=2)


def test_vectors_are_unit_float32(plain: HFEncoder) -> None:
    vectors = plain.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), HIDDEN) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert plain.encode([]).shape == (0, HIDDEN)


def test_deterministic_and_independent_of_batching(plain: HFEncoder,
                                                   models: dict[str, Path]) -> None:
    first = plain.encode(TEXTS)
    np.testing.assert_array_equal(first, plain.encode(TEXTS))
    # Alone (no padding) or batched with longer texts (padded): padding must not leak in.
    alone = HFEncoder(str(models["plain"]), batch_size=1).encode(TEXTS)
    np.testing.assert_allclose(first, alone, atol=1e-5)


def test_identical_texts_are_encoded_once(plain: HFEncoder,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = plain._encode_batch

    def counting(batch: list[str]) -> np.ndarray:
        seen.extend(batch)
        return original(batch)

    monkeypatch.setattr(plain, "_encode_batch", counting)
    vectors = plain.encode([TEXTS[0], TEXTS[1], TEXTS[0]])
    assert sorted(seen) == sorted(TEXTS[:2])
    np.testing.assert_array_equal(vectors[0], vectors[2])


def test_default_pooling_is_the_attention_masked_mean(plain: HFEncoder,
                                                      models: dict[str, Path]) -> None:
    tokenizer = transformers.AutoTokenizer.from_pretrained(models["plain"])
    model = transformers.AutoModel.from_pretrained(models["plain"]).eval()
    with torch.inference_mode():
        states = model(**tokenizer([TEXTS[2]], return_tensors="pt")).last_hidden_state
    expected = states[0].mean(dim=0).numpy()
    expected /= np.linalg.norm(expected)
    np.testing.assert_allclose(plain.encode([TEXTS[2]])[0], expected, atol=1e-5)


def test_sentence_transformers_pooling_is_followed(plain: HFEncoder,
                                                   models: dict[str, Path]) -> None:
    cls = HFEncoder(str(models["cls"])).encode(TEXTS)
    mean = plain.encode(TEXTS)
    assert np.abs(cls - mean).max() > 1e-3  # same weights, another pooling
    overridden = HFEncoder(str(models["cls"]), pooling="mean").encode(TEXTS)
    np.testing.assert_allclose(overridden, mean, atol=1e-5)
    pooler = HFEncoder(str(models["plain"]), pooling="pooler").encode(TEXTS)
    assert np.abs(pooler - cls).max() > 1e-3  # BERT's pooler is tanh(dense(CLS)), not CLS


@pytest.mark.parametrize("pooling", POOLINGS)
def test_every_pooling_ignores_padding(models: dict[str, Path], pooling: str) -> None:
    encoder = HFEncoder(str(models["plain"]), pooling=pooling, batch_size=4)
    batched = encoder.encode(TEXTS)
    encoder.batch_size = 1
    alone = encoder.encode(TEXTS)
    assert batched.shape == (len(TEXTS), HIDDEN) and batched.dtype == np.float32
    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_dense_module_is_applied(models: dict[str, Path]) -> None:
    vectors = HFEncoder(str(models["dense"])).encode(TEXTS)
    assert vectors.shape == (len(TEXTS), 16)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_e5_models_get_the_query_prefix(models: dict[str, Path]) -> None:
    assert HFEncoder("intfloat/multilingual-e5-small").prefix == "query: "
    assert HFEncoder("/models/multilingual-e5-base", prefix="").prefix == ""
    assert HFEncoder("cointegrated/rubert-tiny2").prefix == ""
    assert HFEncoder("/home/e5user/LaBSE").prefix == ""  # only the model's own name counts
    prefixed = HFEncoder(str(models["plain"]), prefix="query: ").encode(TEXTS[:1])
    assert np.abs(prefixed - HFEncoder(str(models["plain"])).encode(TEXTS[:1])).max() > 1e-3


def test_construction_loads_nothing(models: dict[str, Path]) -> None:
    encoder = get_encoder(f"hf:{models['plain']}")
    assert isinstance(encoder, HFEncoder) and encoder._model is None
    assert encoder.name == f"hf:{models['plain']}"


def test_missing_local_path_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(EncoderError) as caught:
        HFEncoder(str(missing)).encode(["текст"])
    message = str(caught.value)
    assert "\n" not in message and str(missing) in message
    assert "not supported" not in message


def test_model_id_not_in_cache_says_how_to_get_it() -> None:
    with pytest.raises(EncoderError) as caught:
        HFEncoder("aligner-tests/no-such-model").encode(["текст"])
    message = str(caught.value)
    assert "not on this machine" in message and "download" in message
    assert "\n" not in message


def test_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match=r"no config\.json"):
        HFEncoder(str(tmp_path)).encode(["текст"])


@pytest.mark.parametrize("options", [{"pooling": "median"}, {"batch_size": 0},
                                     {"max_length": 0}])
def test_bad_options_are_usage_errors(options: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        HFEncoder("/models/LaBSE", **options)  # type: ignore[arg-type]


def test_embed_spans_encode_the_joined_text(plain: HFEncoder) -> None:
    embedding = plain.embed(TEXTS)
    assert isinstance(embedding, JoinedTextEmbedding)
    starts = np.array([0, 1, 0], dtype=np.intp)
    ends = np.array([1, 3, 4], dtype=np.intp)
    spans = embedding.spans(starts, ends)
    joined: Sequence[str] = [" ".join(TEXTS[a:b]) for a, b in zip(starts, ends, strict=True)]
    np.testing.assert_allclose(spans[0], embedding.sentences[0])
    np.testing.assert_allclose(spans[1:], plain.encode(joined[1:]), atol=1e-5)
