"""What a check is: a function from an aligned pair to zero or more ``Divergence`` values.

A check never raises to report a finding. Its docstring's first line is its title in
``aligner checks list``; the rest says what it looks for and when it misfires. Checks are
registered by a versioned name (``numbers.v1``) with a default severity and an MQM-style
category (translate-toolkit's pofilter checks and explosion/catalogue's registry are the
models: severities and titles from docstrings, unknown names answered with the known ones).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aligner.errors import UsageError
from aligner.morph import Word, words


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"

    @property
    def rank(self) -> int:
        """2 for critical, 1 for major, 0 for minor: compare with ``>=``."""
        return {"critical": 2, "major": 1, "minor": 0}[self.value]


class Category(StrEnum):
    """MQM-style error categories (Lommel et al. 2014, as used in WMT MQM annotations)."""

    MISTRANSLATION = "Accuracy/Mistranslation"
    OMISSION = "Accuracy/Omission"
    ADDITION = "Accuracy/Addition"
    UNTRANSLATED = "Accuracy/Untranslated"
    TERMINOLOGY = "Terminology"
    NAMED_ENTITY = "Named entity"
    LOCALE = "Locale convention"
    ALIGNMENT = "Alignment"


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Divergence:
    """One finding. Spans are character offsets into the pair's ``src`` / ``tgt`` text."""

    check: str
    severity: Severity
    category: Category
    message: str
    src_spans: tuple[Span, ...] = ()
    tgt_spans: tuple[Span, ...] = ()
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """An aligned bead as a check sees it: the two texts and what the aligner knows.

    ``src``/``tgt`` are the bead's sentences joined with one space; an empty side is a null
    bead. ``index`` is the bead's position in the alignment.
    """

    index: int
    src: str
    tgt: str
    src_lang: str = "ru"
    tgt_lang: str = "en"
    confidence: float = 1.0
    score: float = 1.0

    @property
    def is_null(self) -> bool:
        return not self.src or not self.tgt

    def russian_english(self) -> tuple[str, str, bool] | None:
        """(Russian text, English text, whether the Russian is the source), or None when
        the pair is not Russian-English in either direction."""
        if self.src_lang == "ru" and self.tgt_lang == "en":
            return self.src, self.tgt, True
        if self.src_lang == "en" and self.tgt_lang == "ru":
            return self.tgt, self.src, False
        return None


@dataclass(frozen=True)
class CheckContext:
    """Read-only resources shared by the checks of one run, loaded lazily by the checks.

    ``resources`` caches loaded artefacts (glossary, lexical table, morphology) for the run;
    ``analyses`` what the checks derive from the texts of the pair being checked (words,
    dates, glossary terms), so that checks reading the same text share one analysis. Both
    belong to this context object, so nothing is cached at module level.
    """

    glossary_paths: tuple[str, ...] = ()
    resources: dict[str, Any] = field(default_factory=dict, compare=False)
    analyses: dict[Hashable, Any] = field(default_factory=dict, compare=False)

    def resource(self, key: str, load: Callable[[], Any]) -> Any:
        """The resource named ``key``, loaded on first use."""
        if key not in self.resources:
            self.resources[key] = load()
        return self.resources[key]

    def analysis(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """What ``compute()`` returns, computed once while the current pair is checked.

        ``key`` names the analysis and the text(s) it is of: ``("words", text)``. The
        results are forgotten (``forget_analyses``) when the run moves to the next pair.
        """
        found = self.analyses.get(key, _MISSING)
        if found is _MISSING:
            found = self.analyses[key] = compute()
        return found

    def forget_analyses(self) -> None:
        """Drop the analyses of the pair just checked (``check_pairs`` calls this)."""
        self.analyses.clear()


_MISSING = object()


def text_words(context: CheckContext, text: str) -> tuple[Word, ...]:
    """The words of ``text`` (``aligner.morph.words``), found once per pair for all checks."""
    found: tuple[Word, ...] = context.analysis(("words", text), lambda: words(text))
    return found


PairCheck = Callable[[Pair, CheckContext], Iterable[Divergence]]
DocumentCheck = Callable[[Sequence[Pair], CheckContext], Iterable[tuple[int, Divergence]]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A registered check: name, defaults, title, and the function that runs it."""

    name: str
    severity: Severity
    category: Category
    title: str
    run_pair: PairCheck | None = None
    run_document: DocumentCheck | None = None


_REGISTRY: dict[str, CheckSpec] = {}


def register(
    name: str, severity: Severity, category: Category, *, document: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register a pair check (or, with ``document=True``, a document check)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.getdoc(func) or ""
        title = doc.splitlines()[0].strip() if doc else name
        if name in _REGISTRY:
            raise ValueError(f"check {name!r} registered twice")  # a programming error
        _REGISTRY[name] = CheckSpec(
            name, severity, category, title,
            run_pair=None if document else func,
            run_document=func if document else None,
        )
        return func

    return decorate


def registered() -> dict[str, CheckSpec]:
    """Every registered check by name (importing ``aligner.checks`` registers them all)."""
    return dict(_REGISTRY)


def select_checks(
    include: Sequence[str] | None = None, exclude: Sequence[str] = ()
) -> tuple[CheckSpec, ...]:
    """The checks to run: all (or ``include``) minus ``exclude``, in registry order.

    A name may omit its version (``numbers`` means the registered ``numbers.vN``).
    """
    known = registered()

    def resolve(name: str) -> str:
        if name in known:
            return name
        versions = sorted(k for k in known if k.split(".v")[0] == name)
        if versions:
            return versions[-1]
        raise UsageError(
            f"unknown check {name!r}",
            hint=f"known checks: {', '.join(sorted(known))}; see 'aligner checks list'",
        )

    chosen = [resolve(n) for n in include] if include else list(known)
    dropped = {resolve(n) for n in exclude}
    return tuple(known[n] for n in chosen if n not in dropped)
