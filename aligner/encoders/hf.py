"""Any Hugging Face encoder (LaBSE, multilingual-e5, rubert-tiny2, ...) via transformers.

``torch`` and ``transformers`` are imported on first use, so ``aligner`` works without them.
Models load from a local folder or from the local Hugging Face cache only: aligner never
downloads. When a sentence-transformers layout is present (``modules.json``,
``1_Pooling/config.json``, an optional ``Dense``), it is followed, so the vectors are the
ones the model was trained to produce; otherwise tokens are mean-pooled over the attention
mask.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from aligner.encoders.base import Encoder, Matrix, l2_normalise, unique_texts
from aligner.errors import EncoderError, UsageError

if TYPE_CHECKING:
    import torch

#: Pooling modes, in the order sentence-transformers concatenates them when several are on.
POOLINGS = ("cls", "max", "mean", "mean_sqrt_len", "weightedmean", "lasttoken", "pooler")
# sentence-transformers ``1_Pooling/config.json`` flags → our mode names.
_POOLING_FLAGS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}
_ST_MODULES = "sentence_transformers.models."
# Activations a sentence-transformers Dense layer may name; anything else is refused
# rather than silently replaced.
_ACTIVATIONS = ("Tanh", "Identity", "ReLU", "GELU", "Sigmoid")
# E5 models were trained with "query: " / "passage: " prefixes; symmetric tasks such as
# alignment use "query: " on both sides (the E5 model cards).
_E5_NAME = re.compile(r"(?:^|[-_.])e5(?:[-_.]|$)")
_DOWNLOAD_HINT = ("download it once on a machine with network: hf download {model} "
                  "--local-dir DIR, or huggingface-cli download with an older "
                  "huggingface_hub; copy DIR here and pass --encoder hf:DIR")


@dataclass(frozen=True, slots=True)
class _Layout:
    """How to turn the transformer's token states into one vector per text."""

    model_dir: Path
    poolings: tuple[str, ...]
    dense_dir: Path | None
    max_length: int | None  # sentence-transformers' max_seq_length, when it says one


class HFEncoder(Encoder):
    """A Hugging Face encoder from a local folder or the local cache.

    ``pooling`` overrides what the model's sentence-transformers files say (one of
    ``POOLINGS``; default: theirs, else ``"mean"``). ``prefix`` is put before every text
    (default ``"query: "`` for E5 models, else nothing; ``""`` turns it off). ``threads`` caps
    torch's CPU threads while encoding.
    """

    def __init__(self, model: str, *, device: str = "cpu", batch_size: int = 32,
                 max_length: int = 256, pooling: str | None = None, prefix: str | None = None,
                 threads: int | None = None):
        if not model.strip():
            raise UsageError("empty Hugging Face model name", hint="--encoder hf:/models/LaBSE")
        if pooling is not None and pooling not in POOLINGS:
            raise UsageError(f"unknown pooling {pooling!r}", hint=f"one of {', '.join(POOLINGS)}")
        for label, value in (("batch_size", batch_size), ("max_length", max_length),
                             ("threads", threads)):
            if value is not None and value < 1:
                raise UsageError(f"{label} must be at least 1, got {value}")
        self.model = model
        self.name = f"hf:{model}"
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.pooling = pooling
        if prefix is None:
            prefix = "query: " if _E5_NAME.search(Path(model).name.lower()) else ""
        self.prefix = prefix
        self.threads = threads
        # Set on first encode by _load().
        self._tokenizer: Any = None
        self._model: Any = None
        self._pool: Callable[[Any, Any], torch.Tensor] | None = None
        self._length: int = max_length
        self._dimension_out: int | None = None

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self._dimension()), dtype=np.float32)
        import torch

        self._load()
        unique, rows = unique_texts(texts)
        # Batches of similar length waste little on padding; longest first, so a batch
        # that does not fit in memory fails at once.
        order = sorted(range(len(unique)), key=lambda i: -len(unique[i]))
        vectors: list[np.ndarray] = []
        previous_threads = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            with torch.inference_mode():
                for first in range(0, len(order), self.batch_size):
                    batch = [self.prefix + unique[i] for i in order[first:first + self.batch_size]]
                    vectors.append(self._encode_batch(batch))
        except RuntimeError as err:  # out of memory, device errors: say what was running
            raise EncoderError(f"{self.name} failed while encoding: {err}", hint=(
                "try a smaller batch_size, or device='cpu'")) from err
        finally:
            torch.set_num_threads(previous_threads)  # torch's thread count is process-wide
        stacked = np.concatenate(vectors)
        unsorted = np.empty_like(stacked)
        unsorted[order] = stacked
        return l2_normalise(unsorted)[rows]

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        inputs = self._tokenizer(batch, padding=True, truncation=True,
                                 max_length=self._length, return_tensors="pt")
        inputs = {key: value.to(self.device) for key, value in inputs.items()}
        assert self._pool is not None  # set by _load
        pooled = self._pool(self._model(**inputs), inputs["attention_mask"])
        result: np.ndarray = pooled.float().cpu().numpy()
        return result

    def _dimension(self) -> int:
        self._load()
        assert self._dimension_out is not None  # set by _load
        return self._dimension_out

    # ---- loading ----

    def _load(self) -> None:
        if self._model is not None:
            return
        try:
            import torch
            import transformers
        except ImportError as err:
            raise EncoderError(f"{self.name} needs torch and transformers, which are not "
                               "installed", hint="pip install 'aligner[hf]' (CPU-only: "
                               "install torch from the PyTorch CPU index first)") from err
        layout = _read_layout(self._resolve())
        try:
            device = torch.device(self.device)
        except RuntimeError as err:
            raise UsageError(f"unknown device {self.device!r}",
                             hint="device='cpu', 'cuda' or 'cuda:1'") from err
        if device.type == "cuda" and not torch.cuda.is_available():
            raise EncoderError(f"device {self.device} asked for, but torch sees no CUDA GPU",
                               hint="device='cpu'")
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                layout.model_dir, local_files_only=True)
            model = transformers.AutoModel.from_pretrained(layout.model_dir,
                                                           local_files_only=True)
        except (OSError, ValueError, KeyError) as err:
            raise EncoderError(f"could not load {self.model} with transformers "
                               f"{transformers.__version__}: {err}",
                               where=str(layout.model_dir)) from err
        poolings = (self.pooling,) if self.pooling else layout.poolings
        dense = _load_dense(layout.dense_dir, device) if layout.dense_dir else None
        hidden = int(model.config.hidden_size)
        self._dimension_out = (int(dense[0].shape[0]) if dense is not None
                               else hidden * len(poolings))
        self._pool = _pooler(poolings, dense)
        self._tokenizer = tokenizer
        self._model = model.to(device).eval()
        if layout.max_length:
            self._length = min(self.max_length, layout.max_length)

    def _resolve(self) -> Path:
        """The folder holding the model: the path given, or its snapshot in the local cache."""
        path = Path(self.model).expanduser()
        if path.is_dir():
            return path
        looks_like_path = self.model.startswith(("/", ".", "~")) or self.model.count("/") > 1
        if looks_like_path:
            raise EncoderError(f"no model folder at {self.model}", hint=(
                "pass the folder that holds config.json, or a model id from the local "
                "Hugging Face cache"))
        from huggingface_hub import try_to_load_from_cache

        try:
            cached = try_to_load_from_cache(self.model, "config.json")
        except ValueError as err:  # not a valid repository id
            raise EncoderError(f"{self.model!r} is neither a model folder nor a model id",
                               hint="--encoder hf:/path/to/model or hf:org/name") from err
        if not isinstance(cached, str):
            raise EncoderError(
                f"model {self.model} is not on this machine (no folder of that name, and not "
                "in the local Hugging Face cache); aligner never downloads models",
                hint=_DOWNLOAD_HINT.format(model=self.model))
        return Path(cached).parent


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise EncoderError(f"unreadable model file: {err}", where=str(path)) from err


def _read_layout(root: Path) -> _Layout:
    """Follow the sentence-transformers files in ``root`` if any, else plain mean pooling."""
    modules_file = root / "modules.json"
    if not modules_file.is_file():
        _require_config(root)
        return _Layout(root, ("mean",), None, None)
    model_dir = root
    poolings: tuple[str, ...] = ("mean",)
    dense_dir: Path | None = None
    for module in _read_json(modules_file):
        kind = str(module.get("type", "")).removeprefix(_ST_MODULES)
        folder = root / str(module.get("path", ""))
        if kind == "Transformer":
            model_dir = folder
        elif kind == "Pooling":
            poolings = _read_pooling(folder / "config.json")
        elif kind == "Dense":
            if dense_dir is not None:
                raise EncoderError("more than one Dense module is not supported",
                                   where=str(modules_file), hint="pooling= and a plain model")
            dense_dir = folder
        elif kind != "Normalize":  # every output is L2-normalised anyway
            raise EncoderError(f"unsupported sentence-transformers module {kind!r}",
                               where=str(modules_file),
                               hint="aligner follows Transformer, Pooling, Dense, Normalize")
    _require_config(model_dir)
    settings = model_dir / "sentence_bert_config.json"
    max_length = _read_json(settings).get("max_seq_length") if settings.is_file() else None
    return _Layout(model_dir, poolings, dense_dir, int(max_length) if max_length else None)


def _require_config(folder: Path) -> None:
    if not (folder / "config.json").is_file():
        raise EncoderError("not a Hugging Face model folder (no config.json)", where=str(folder),
                           hint="pass the folder that holds config.json and the weights")


def _read_pooling(config_file: Path) -> tuple[str, ...]:
    config = _read_json(config_file)
    if isinstance(config.get("pooling_mode"), str):  # the newer single-mode spelling
        mode = config["pooling_mode"].removesuffix("_tokens")
        modes: tuple[str, ...] = (mode,)
    else:
        modes = tuple(name for flag, name in _POOLING_FLAGS.items() if config.get(flag))
    unknown = [mode for mode in modes if mode not in POOLINGS]
    if not modes or unknown:
        raise EncoderError(f"pooling config names no pooling aligner knows: {unknown or modes}",
                           where=str(config_file), hint=f"pass pooling= one of "
                           f"{', '.join(POOLINGS)}")
    return modes


def _load_dense(folder: Path,
                device: torch.device) -> tuple[torch.Tensor, torch.Tensor | None, str]:
    """Weight, bias (on ``device``) and activation name of a sentence-transformers Dense."""
    import torch

    config = _read_json(folder / "config.json")
    activation = str(config.get("activation_function", "")).rsplit(".", 1)[-1]
    if activation not in _ACTIVATIONS:
        raise EncoderError(f"unsupported Dense activation {activation!r}", where=str(folder),
                           hint=f"aligner knows {', '.join(_ACTIVATIONS)}")
    if (folder / "model.safetensors").is_file():
        from safetensors.torch import load_file

        state = load_file(str(folder / "model.safetensors"))
    elif (folder / "pytorch_model.bin").is_file():
        state = torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
    else:
        raise EncoderError("Dense module has no weights file", where=str(folder),
                           hint="expected model.safetensors or pytorch_model.bin")
    if "linear.weight" not in state:
        raise EncoderError("Dense weights lack linear.weight", where=str(folder))
    bias = state.get("linear.bias")
    return (state["linear.weight"].to(device), None if bias is None else bias.to(device),
            activation)


def _pooler(poolings: tuple[str, ...], dense: tuple[torch.Tensor, torch.Tensor | None, str]
            | None) -> Callable[[Any, Any], torch.Tensor]:
    """A function (model output, attention mask) → (batch, dim) vectors."""
    import torch

    def pool(output: Any, mask: torch.Tensor) -> torch.Tensor:
        states = output.last_hidden_state
        weights = mask.unsqueeze(-1).to(states.dtype)
        counts = weights.sum(dim=1).clamp(min=1.0)
        parts = []
        for mode in poolings:
            if mode == "cls":
                parts.append(states[:, 0])
            elif mode == "pooler":
                if getattr(output, "pooler_output", None) is None:
                    raise EncoderError("pooling 'pooler' asked for, but this model has no "
                                       "pooler output", hint="pooling='cls' or 'mean'")
                parts.append(output.pooler_output)
            elif mode == "max":
                parts.append(states.masked_fill(weights == 0, float("-inf")).amax(dim=1))
            elif mode in ("mean", "mean_sqrt_len"):
                sums = (states * weights).sum(dim=1)
                parts.append(sums / (counts if mode == "mean" else counts.sqrt()))
            elif mode == "weightedmean":  # position-weighted: later tokens count more
                position = weights * torch.arange(1, states.shape[1] + 1, device=states.device,
                                                  dtype=states.dtype)[None, :, None]
                parts.append((states * position).sum(dim=1) / position.sum(dim=1))
            else:  # lasttoken: the last unmasked token (padding side either way)
                last = (mask * torch.arange(mask.shape[1], device=mask.device)).argmax(dim=1)
                parts.append(states[torch.arange(states.shape[0]), last])
        vector = torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]
        if dense is not None:
            weight, bias, activation = dense
            vector = torch.nn.functional.linear(vector, weight, bias)
            vector = getattr(torch.nn, activation)()(vector)
        return vector

    return pool
