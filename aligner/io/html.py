"""The HTML review report: one self-contained file a reviewer opens in any browser.

``render_html`` turns a ``Review`` (one translation against its original) or a
``Comparison`` (two translations of one original) into a single page with its CSS and
JavaScript inline: no network, no CDN, it works from disk and offline.

- A summary header: the document score, findings by severity and by check, and a few row
  filters (each entry filters the table); the run's signature.
- A picture of the alignment: the sentence similarity matrix (a PNG, at most
  ``MAP_CELLS`` x ``MAP_CELLS`` pixels, each pixel the maximum of the cells it covers) with
  the chosen path drawn over it in SVG; every bead on the path links to its row.
- A semantic table, one row per bead: Russian | English | scores and findings. Paragraph
  breaks are marked with a pilcrow and a thicker rule, null beads say whether the Russian was
  left out (omission, 1-0) or the English has no Russian (addition, 0-1), and every
  divergence is highlighted at its character spans on both sides, coloured and underlined by
  severity. Each highlight is focusable and described by its finding (``aria-describedby``);
  the script shows the message and suggestion on hover and focus and moves between findings
  with j/n and k/p.

Without JavaScript the page is complete for reading: every finding is listed in its row and
nothing is hidden. ``@media print`` gives a clean printout.

The markup is built with ``lxml.html`` (never string templates), so ``<``, ``&`` and quotes
in the texts are escaped by the serializer.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from lxml import html as lxml_html
from lxml.html import builder

from aligner import __version__
from aligner.checks import Divergence, Pair, Severity
from aligner.io.tmx import xml_safe
from aligner.review import Comparison, Review
from aligner.types import Alignment

#: The similarity picture has at most this many pixels a side; larger matrices are
#: max-pooled, so a strong match is never averaged away.
MAP_CELLS = 300
#: Above this many sentences a side, beads with findings are not outlined in the picture
#: (they would cover the path); the tick strip beside it still shows them.
DENSE_MAP = 60
#: Confidence below this is flagged "low" (a filter in the header).
LOW_CONFIDENCE = 0.5

_LANGUAGES = {"ru": "Russian", "en": "English", "de": "German", "fr": "French",
              "zh": "Chinese", "es": "Spanish", "ar": "Arabic", "uk": "Ukrainian"}
_SEVERITIES = tuple(sorted(Severity, key=lambda s: -s.rank))  # critical first

Child = Any  # str, an lxml element, None (skipped) or a list of these


def render_html(review: Review | Comparison) -> str:
    """The report for ``review`` as one HTML document (a ``str``, UTF-8 when written)."""
    if isinstance(review, Comparison):
        title, body = _comparison_body(review)
    else:
        title, body = _review_body(review)
    page = _h("html", {"lang": "en", "class": "no-js"},
              _h("head", None,
                 _h("meta", {"charset": "utf-8"}),
                 _h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
                 _h("meta", {"name": "generator", "content": f"aligner {__version__}"}),
                 _h("title", None, title),
                 _h("style", None, _CSS)),
              _h("body", None, body,
                 _h("div", {"id": "tip", "class": "tip", "hidden": "", "aria-hidden": "true"}),
                 _h("script", None, _SCRIPT)))
    markup: str = lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode",
                                     method="html")
    return markup + "\n"


# --- building blocks ------------------------------------------------------------------


def _h(tag: str, attrs: Mapping[str, str | None] | None = None, *children: Child) -> Any:
    """An HTML element; ``None`` attributes and children are left out, lists are flattened,
    and text is made XML-safe (lxml refuses control characters)."""
    element = builder.E(tag, {k: xml_safe(v) for k, v in (attrs or {}).items()
                              if v is not None})
    last = None
    for child in _flatten(children):
        if isinstance(child, str):
            if not child:
                continue
            text = xml_safe(child)
            if last is None:
                element.text = (element.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        else:
            element.append(child)
            last = child
    return element


def _flatten(children: Iterable[Child]) -> Iterable[Any]:
    for child in children:
        if child is None:
            continue
        if isinstance(child, list | tuple):
            yield from _flatten(child)
        else:
            yield child


def _language(code: str) -> str:
    return _LANGUAGES.get(code, code)


def _bar(label: str, title: str, fraction: float, text: str) -> Any:
    """A small bar with its number as text (the number is what a screen reader reads)."""
    fraction = min(max(fraction, 0.0), 1.0)
    low = " low" if fraction < LOW_CONFIDENCE else ""
    return _h("div", {"class": "metric"},
              _h("abbr", {"class": "mlabel", "title": title}, label),
              _h("span", {"class": "bar", "aria-hidden": "true"},
                 _h("span", {"class": "fill" + low, "style": f"width:{fraction * 100:.0f}%"})),
              _h("span", {"class": "val"}, text))


@dataclass(frozen=True, slots=True)
class _Mark:
    """A highlight: ``text[start:end]`` belongs to the finding whose list item is ``finding``."""

    start: int
    end: int
    finding: str
    severity: Severity


def _marked_text(text: str, marks: Sequence[_Mark], breaks: Sequence[int] = ()) -> list[Child]:
    """``text`` cut at every highlight boundary and paragraph break (offsets into ``text``);
    covered pieces become ``<mark>`` elements, a break becomes a pilcrow and a line break.

    Highlights may overlap (a piece covered by two findings is described by both and takes
    the graver colour); an empty span becomes a caret at its offset.
    """
    size = len(text)
    clamped = [_Mark(min(max(m.start, 0), size), min(max(m.end, 0), size), m.finding,
                     m.severity) for m in marks]
    spans = [m for m in clamped if m.end > m.start]
    carets = [m for m in clamped if m.end <= m.start]
    paragraph_starts = {b for b in breaks if 0 < b < size}
    cuts = sorted({0, size, *paragraph_starts, *(m.start for m in clamped),
                   *(m.end for m in spans)})
    out: list[Child] = []
    for start, end in zip(cuts, [*cuts[1:], size + 1], strict=True):
        if start in paragraph_starts:
            out += [_h("span", {"class": "pilcrow", "title": "paragraph break"}, "¶"),
                    _h("br")]
        out += [_highlight("‸", [m], caret=True) for m in carets if m.start == start]
        if start >= size:
            break
        cover = [m for m in spans if m.start < end and m.end > start]
        piece = text[start:end]
        out.append(_highlight(piece, cover) if cover else piece)
    return out


def _highlight(piece: str, cover: Sequence[_Mark], *, caret: bool = False) -> Any:
    worst = max(cover, key=lambda m: m.severity.rank).severity
    ids = " ".join(dict.fromkeys(m.finding for m in cover))
    classes = f"hl sev-{worst.value}" + (" caret" if caret else "")
    return _h("mark", {"class": classes, "tabindex": "0", "data-f": ids,
                       "aria-describedby": ids}, piece)


def _finding_item(element_id: str, d: Divergence, group: str | None = None) -> Any:
    """One finding in its row's list: what the highlights point to and describe."""
    return _h("li", {"id": element_id, "class": f"finding sev-{d.severity.value}",
                     "tabindex": "-1", "data-check": d.check},
              _h("span", {"class": f"badge sev-{d.severity.value}"}, d.severity.value),
              " ",
              _h("span", {"class": "group"}, group) if group else None,
              " " if group else None,
              _h("code", {"class": "check", "title": d.category.value}, d.check),
              " ",
              _h("span", {"class": "message"}, d.message),
              _h("span", {"class": "suggestion"},
                 _h("span", {"class": "label"}, "Suggestion: "), d.suggestion)
              if d.suggestion else None)


def _filter_button(key: str, value: str, label: Child, count: int, *,
                   severity: str | None = None) -> Any:
    return _h("button", {"type": "button", "class": "filter", "data-key": key,
                         "data-value": value, "aria-pressed": "false",
                         "disabled": "" if count == 0 else None},
              _h("span", {"class": f"dot sev-{severity}", "aria-hidden": "true"})
              if severity else None,
              label, " ", _h("span", {"class": "count"}, str(count)))


def _filter_group(heading: str, buttons: list[Any]) -> Any:
    if not buttons:
        return None
    return _h("div", {"class": "fgroup", "role": "group", "aria-label": heading},
              _h("h2", None, heading), buttons)


def _severity_buttons(divergences: Sequence[Divergence]) -> list[Any]:
    counts = Counter(d.severity for d in divergences)
    return [_filter_button("sev", s.value, s.value, counts[s], severity=s.value)
            for s in _SEVERITIES]


def _check_buttons(divergences: Sequence[Divergence]) -> list[Any]:
    counts = Counter(d.check for d in divergences)
    worst: dict[str, Severity] = {}
    for d in divergences:
        if d.check not in worst or d.severity.rank > worst[d.check].rank:
            worst[d.check] = d.severity
    return [_filter_button("check", name, _h("code", None, name), counts[name],
                           severity=worst[name].value)
            for name in sorted(counts, key=lambda c: (-worst[c].rank, c))]


def _keys_help() -> Any:
    return _h("p", {"class": "keys"},
              "Keys: ", _h("kbd", None, "j"), " or ", _h("kbd", None, "n"), " next finding, ",
              _h("kbd", None, "k"), " or ", _h("kbd", None, "p"), " previous, ",
              _h("kbd", None, "Esc"), " show all rows. Hover a highlight, or reach it with ",
              _h("kbd", None, "Tab"), ", to read its finding.")


def _signature(signature: str) -> Any:
    if not signature:
        return None
    return _h("p", {"class": "signature"}, "Signature: ", _signature_code(signature))


def _signature_code(signature: str) -> Any:
    """A ``key:value|key:value`` signature that wraps only after a ``|``."""
    parts = signature.split("|")
    return _h("code", None, [[part + "|", _h("wbr")] for part in parts[:-1]], parts[-1])


def _row_data(classes: list[str], divergences: Sequence[Divergence],
              extra: dict[str, str] | None = None) -> dict[str, str | None]:
    attrs: dict[str, str | None] = {
        "class": " ".join(classes),
        "data-sev": " ".join(dict.fromkeys(d.severity.value for d in divergences)) or None,
        "data-check": " ".join(dict.fromkeys(d.check for d in divergences)) or None,
    }
    attrs.update({key: value or None for key, value in (extra or {}).items()})
    return attrs


def _empty_side(kind: str, language: str) -> Any:
    text = (f"No {language}: the original is left out (omission)" if kind == "omission"
            else f"No {language}: the translation adds this (addition)")
    return _h("span", {"class": f"null-note {kind}"}, text)


# --- a review of one translation ----------------------------------------------------------


def _review_body(review: Review) -> tuple[str, list[Any]]:
    report, alignment = review.report, review.alignment
    src_lang = alignment.src.lang if alignment else _pair_lang(report.pairs, src=True)
    tgt_lang = alignment.tgt.lang if alignment else _pair_lang(report.pairs, src=False)
    src_name, tgt_name = _language(src_lang), _language(tgt_lang)
    files = _file_names(alignment)
    title = "Translation review" + (f": {files[0]} and {files[1]}" if files else "")

    finding_ids: dict[int, list[tuple[str, Divergence]]] = {}
    for number, f in enumerate(report.findings):
        finding_ids.setdefault(f.pair_index, []).append((f"f{number}", f.divergence))
    divergences = [f.divergence for f in report.findings]

    rows, stats = _review_rows(review, finding_ids, src_name, tgt_name)
    summary = _h("section", {"class": "summary", "aria-label": "Summary"},
                 _h("h1", None, "Translation review"),
                 _h("p", {"class": "files"}, f"{files[0]} → {files[1]}") if files else None,
                 _document_score(review),
                 _h("p", {"class": "overview"}, _overview(review, stats)),
                 _h("div", {"class": "filters"},
                    _filter_group("Findings by severity", _severity_buttons(divergences)),
                    _filter_group("Findings by check", _check_buttons(divergences)),
                    _filter_group("Rows", [
                        _filter_button("row", "finding", "with findings", stats["finding"]),
                        _filter_button("row", "null", "null beads", stats["null"]),
                        _filter_button("row", "low", f"confidence < {LOW_CONFIDENCE:g}",
                                       stats["low"]),
                    ])),
                 _h("p", {"id": "status", "class": "status", "role": "status"},
                    f"Showing all {len(rows)} rows."),
                 _keys_help(),
                 _signature(review.signature))
    picture = (_alignment_figure(alignment, review.similarity, finding_ids) if alignment
               else _h("p", {"class": "note map-note"}, "No alignment picture: the files were "
                       "paired line by line (--aligned), not aligned."))
    table = _h("table", {"class": "beads"},
               _h("caption", None, f"{len(rows)} aligned beads: {src_name} and {tgt_name} side "
                  "by side, with the findings of each bead"),
               _h("colgroup", None, _h("col", {"class": "c-idx"}), _h("col", {"class": "c-txt"}),
                  _h("col", {"class": "c-txt"}), _h("col", {"class": "c-rev"})),
               _h("thead", None, _h("tr", None,
                                    _h("th", {"scope": "col"}, "#"),
                                    _h("th", {"scope": "col"}, src_name),
                                    _h("th", {"scope": "col"}, tgt_name),
                                    _h("th", {"scope": "col"}, "Scores and findings"))),
               _h("tbody", None, rows))
    body = [_h("header", {"class": "top"}, summary, _h("div", {"class": "mapbox"}, picture)),
            _h("main", None, table),
            _footer()]
    return title, body


def _pair_lang(pairs: Sequence[Pair], *, src: bool) -> str:
    if not pairs:
        return "ru" if src else "en"
    return pairs[0].src_lang if src else pairs[0].tgt_lang


def _file_names(alignment: Alignment | None) -> tuple[str, str] | None:
    if alignment is None or not alignment.src.path or not alignment.tgt.path:
        return None
    return Path(alignment.src.path).name, Path(alignment.tgt.path).name


def _footer() -> Any:
    return _h("footer", None, f"Made by aligner {__version__}. This page works offline; "
              "print it for a paper review.")


def _document_score(review: Review) -> Any:
    document = review.document
    if document is None:
        return None
    return _h("div", {"class": "docscore"},
              _h("p", {"class": "big"},
                 _h("span", {"class": "num"}, f"{document.score:.0f}"),
                 _h("span", {"class": "of"}, " / 100"),
                 _h("span", {"class": "what"}, " document score")),
              _h("details", {"class": "components"},
                 _h("summary", None, f"What it is made of ({len(document.components)} figures)"),
                 _h("dl", None, [_h("div", None, _h("dt", None, name),
                                    _h("dd", None, f"{value:.4g}"))
                                 for name, value in document.components]))
              if document.components else None)


def _overview(review: Review, stats: Counter[str]) -> str:
    report = review.report
    parts = [f"{len(report.pairs)} beads", f"{len(report.findings)} findings",
             f"{stats['omission']} omitted", f"{stats['addition']} added"]
    if review.alignment is not None and report.pairs:
        mean = sum(p.confidence for p in report.pairs) / len(report.pairs)
        parts.append(f"mean confidence {mean:.2f}")
    if review.adequacy:
        mean = sum(a.score for a in review.adequacy) / len(review.adequacy)
        parts.append(f"mean adequacy {mean:.0f}")
    return " · ".join(parts)


def _paragraph_breaks(alignment: Alignment, indices: Sequence[int], src: bool) -> list[int]:
    """Offsets in the joined text of a bead's sentences where a new paragraph starts."""
    sentences = (alignment.src if src else alignment.tgt).sentences
    breaks, offset = [], 0
    for position, i in enumerate(indices):
        if position and sentences[i].paragraph != sentences[indices[position - 1]].paragraph:
            breaks.append(offset)
        offset += len(sentences[i].text) + 1
    return breaks


def _review_rows(review: Review, finding_ids: dict[int, list[tuple[str, Divergence]]],
                 src_name: str, tgt_name: str) -> tuple[list[Any], Counter[str]]:
    report, alignment = review.report, review.alignment
    stats: Counter[str] = Counter()
    rows = []
    last_paragraph: dict[bool, int | None] = {True: None, False: None}
    for pair in report.pairs:
        found = finding_ids.get(pair.index, [])
        divergences = [d for _, d in found]
        classes = ["bead"]
        row_tokens = []
        src_breaks: list[int] = []
        tgt_breaks: list[int] = []
        kind = f"{1 if pair.src else 0}-{1 if pair.tgt else 0}"
        indices: tuple[str, ...] = (f"line {pair.index + 1}",)
        if alignment is not None:
            bead = alignment.beads[pair.index]
            kind = bead.kind
            indices = (f"{pair.src_lang} {_span_label(bead.src)}",
                       f"{pair.tgt_lang} {_span_label(bead.tgt)}")
            src_breaks = _paragraph_breaks(alignment, bead.src, True)
            tgt_breaks = _paragraph_breaks(alignment, bead.tgt, False)
            new_paragraph = False
            for side, sentence_indices in ((True, bead.src), (False, bead.tgt)):
                if not sentence_indices:
                    continue
                doc = alignment.src if side else alignment.tgt
                first = doc.sentences[sentence_indices[0]].paragraph
                if last_paragraph[side] is not None and first != last_paragraph[side]:
                    new_paragraph = True
                last_paragraph[side] = doc.sentences[sentence_indices[-1]].paragraph
            if new_paragraph:
                classes.append("para")
            if pair.confidence < LOW_CONFIDENCE:
                row_tokens.append("low")
        null_kind = None
        if pair.src and not pair.tgt:
            null_kind = "omission"
        elif pair.tgt and not pair.src:
            null_kind = "addition"
        if null_kind:
            classes += ["null", null_kind]
            row_tokens += ["null", null_kind]
        if divergences:
            classes.append("has-finding")
            row_tokens.append("finding")
        for token in row_tokens:
            stats[token] += 1

        src_marks = [_Mark(a, b, fid, d.severity) for fid, d in found for a, b in d.src_spans]
        tgt_marks = [_Mark(a, b, fid, d.severity) for fid, d in found for a, b in d.tgt_spans]
        src_cell = (_marked_text(pair.src, src_marks, src_breaks) if pair.src
                    else _empty_side("addition", src_name))
        tgt_cell = (_marked_text(pair.tgt, tgt_marks, tgt_breaks) if pair.tgt
                    else _empty_side("omission", tgt_name))
        metrics = []
        if alignment is not None:
            metrics.append(_bar("conf", "confidence that this bead is right",
                                pair.confidence, f"{pair.confidence:.2f}"))
        if review.adequacy is not None:
            adequacy = review.adequacy[pair.index].score
            metrics.append(_bar("adeq", "adequacy of the translation, 0-100",
                                adequacy / 100, f"{adequacy:.0f}"))
        rows.append(_h("tr", _row_data(classes, divergences, {
            "id": f"bead-{pair.index}", "data-row": " ".join(row_tokens)}),
            _h("th", {"scope": "row", "class": "idx"},
               _h("a", {"href": f"#bead-{pair.index}", "class": "num"}, str(pair.index)),
               _h("span", {"class": "pstart", "title": "starts a new paragraph"}, " ¶")
               if "para" in classes else None,
               _h("span", {"class": "kind"}, kind + (f" {null_kind}" if null_kind else "")),
               [_h("span", {"class": "sents"}, label) for label in indices]),
            _h("td", {"class": "text", "lang": pair.src_lang}, src_cell),
            _h("td", {"class": "text", "lang": pair.tgt_lang}, tgt_cell),
            _h("td", {"class": "review"},
               _h("div", {"class": "metrics"}, metrics) if metrics else None,
               _h("ul", {"class": "findings"},
                  [_finding_item(fid, d) for fid, d in found]) if found else None)))
    return rows, stats


def _span_label(indices: Sequence[int]) -> str:
    if not indices:
        return "–"
    if len(indices) == 1:
        return str(indices[0])
    return f"{indices[0]}–{indices[-1]}"


# --- the alignment picture ----------------------------------------------------------------


def _alignment_figure(alignment: Alignment, similarity: Any,
                      finding_ids: dict[int, list[tuple[str, Divergence]]]) -> Any:
    """The similarity matrix with the chosen path: rows are source sentences, columns
    target sentences; each bead of the path links to its row of the table."""
    n, m = len(alignment.src.sentences), len(alignment.tgt.sentences)
    if n == 0 or m == 0:
        return None
    matrix = None
    if similarity is not None:
        matrix = np.asarray(similarity, dtype=np.float32)
        if matrix.shape != (n, m):
            matrix = None
    src_name, tgt_name = _language(alignment.src.lang), _language(alignment.tgt.lang)
    ratio = min(max(m * 1.07 / n, 0.5), 2.0)
    layers: list[Any] = [_h("title", None, "The alignment path over the sentence "
                            "similarity matrix")]
    if matrix is not None:
        png, low, high, pixels = _heatmap_png(matrix)
        layers.append(_h("image", {"href": "data:image/png;base64," +
                                   base64.b64encode(png).decode("ascii"),
                                   "x": "0", "y": "0", "width": str(m), "height": str(n),
                                   "preserveAspectRatio": "none", "class": "heat"}))
        scale = (f"Darker is more similar (cosine {low:.2f} to {high:.2f}"
                 + (f"; {pixels[0]}×{pixels[1]} pixels, each the best cell it covers"
                    if pixels != (n, m) else "") + ").")
    else:
        layers.append(_h("rect", {"x": "0", "y": "0", "width": str(m), "height": str(n),
                                  "class": "blank"}))
        scale = "Similarities were not computed for this run, so only the path is drawn."
    layers.append(_paragraph_lines(alignment, n, m))
    # A strip right of the matrix, 5% of its width, has a tick per bead with findings.
    strip_x, width_x = m * 1.02, m * 1.07
    points, nulls, boxes, ticks = [], [], [], []
    i1 = j1 = 0  # where the previous bead ended: an empty side sits there
    for k, bead in enumerate(alignment.beads):
        i0 = bead.src[0] if bead.src else i1
        j0 = bead.tgt[0] if bead.tgt else j1
        i1, j1 = i0 + len(bead.src), j0 + len(bead.tgt)
        points.append(f"{j0},{i0} {j1},{i1}")
        found = finding_ids.get(k, [])
        worst = max((d.severity for _, d in found), key=lambda s: s.rank, default=None)
        if bead.is_null:
            nulls.append(_h("line", {"x1": str(j0), "y1": str(i0), "x2": str(j1),
                                     "y2": str(i1), "class": "nullseg"}))
        pad = 0.3  # a null bead has no area: give it a target to point at
        x, y = (j0 - pad, i0) if not bead.tgt else (j0, i0 - pad if not bead.src else i0)
        width = j1 - j0 if bead.tgt else 2 * pad
        height = i1 - i0 if bead.src else 2 * pad
        label = (f"Bead {k} ({bead.kind}): {src_name} {_span_label(bead.src)}, "
                 f"{tgt_name} {_span_label(bead.tgt)}, confidence {bead.confidence:.2f}"
                 + (f", {len(found)} finding(s)" if found else ""))
        # tabindex -1: a keyboard reaches the rows through the table and j/k, not through
        # a thousand stops in the picture.
        boxes.append(_h("a", {"href": f"#bead-{k}", "tabindex": "-1"},
                        _h("rect", {"x": f"{x:g}", "y": f"{y:g}", "width": f"{width:g}",
                                    "height": f"{height:g}",
                                    "class": f"box sev-{worst.value}" if worst else "box"},
                           _h("title", None, label))))
        if worst is not None:
            middle = f"{(i0 + i1) / 2:g}"
            ticks.append(_h("a", {"href": f"#bead-{k}", "tabindex": "-1"},
                            _h("line", {"x1": f"{strip_x:g}", "x2": f"{width_x:g}",
                                        "y1": middle, "y2": middle,
                                        "class": f"tick sev-{worst.value}"},
                               _h("title", None, label))))
    layers += [_h("polyline", {"points": " ".join(points), "class": "path"}),
               _h("g", {"class": "nulls"}, nulls),
               _h("g", {"class": "boxes"}, boxes),
               _h("g", {"class": "strip"},
                  _h("rect", {"x": f"{strip_x:g}", "y": "0", "width": f"{width_x - strip_x:g}",
                              "height": str(n), "class": "stripbg"},
                     _h("title", None, "Beads with findings, by position")),
                  ticks)]
    # Past a few dozen sentences a bead is a pixel or two: outlines would hide the path, and
    # the strip at the right edge shows where the findings are instead.
    dense = max(n, m) > DENSE_MAP
    svg = _h("svg", {"class": "map dense" if dense else "map",
                     "viewBox": f"0 0 {width_x:g} {n}",
                     "preserveAspectRatio": "none", "style": f"aspect-ratio:{ratio:.3f}",
                     "aria-labelledby": "map-caption"},
             layers)

    return _h("figure", {"class": "alignment-map"},
              _h("div", {"class": "axis-top", "aria-hidden": "true"},
                 f"{tgt_name} sentences 0–{m - 1} →"),
              _h("div", {"class": "mapgrid"},
                 _h("div", {"class": "axis-left", "aria-hidden": "true"},
                    f"{src_name} sentences 0–{n - 1} →"),
                 svg),
              _h("figcaption", {"id": "map-caption"},
                 f"{n} {src_name} sentences (rows) × {m} {tgt_name} (columns). {scale} "
                 "Black: the chosen alignment; red: a sentence with no counterpart; dashed: "
                 "paragraph breaks; ticks at the right: beads with findings. Select one to go "
                 "to its row."))


def _paragraph_lines(alignment: Alignment, n: int, m: int) -> Any:
    """Faint lines where paragraphs start (left out when there are too many to read)."""
    lines = []
    for doc, horizontal in ((alignment.src, True), (alignment.tgt, False)):
        starts = [s.index for prev, s in zip(doc.sentences, doc.sentences[1:], strict=False)
                  if s.paragraph != prev.paragraph]
        if len(starts) > 150:
            continue
        for i in starts:
            coords = ({"x1": "0", "x2": str(m), "y1": str(i), "y2": str(i)} if horizontal
                      else {"x1": str(i), "x2": str(i), "y1": "0", "y2": str(n)})
            lines.append(_h("line", coords))
    return _h("g", {"class": "paras"}, lines)


def _heatmap_png(matrix: np.ndarray) -> tuple[bytes, float, float, tuple[int, int]]:
    """The matrix as an RGB PNG (ColorBrewer "Blues"), max-pooled to at most ``MAP_CELLS``
    pixels a side; also the cosine range the colours span and the pixel size."""
    pooled = _max_pool(_max_pool(matrix, MAP_CELLS, axis=0), MAP_CELLS, axis=1)
    # Most cells are unrelated pairs: start the scale at the median so matches stand out.
    low, high = float(np.median(matrix)), float(matrix.max())
    span = high - low if high - low > 1e-6 else 1.0
    level = np.clip((pooled - low) / span, 0.0, 1.0)
    # The light seven of its nine steps: the black path stays readable on the best matches.
    anchors = np.array([(247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225),
                        (107, 174, 214), (66, 146, 198), (33, 113, 181)], dtype=np.float64)
    position = level * (len(anchors) - 1)
    lower = np.floor(position).astype(int).clip(0, len(anchors) - 2)
    weight = (position - lower)[..., None]
    rgb = anchors[lower] * (1 - weight) + anchors[lower + 1] * weight
    return _png(np.rint(rgb).astype(np.uint8)), low, high, pooled.shape


def _max_pool(matrix: np.ndarray, cells: int, *, axis: int) -> np.ndarray:
    size = matrix.shape[axis]
    if size <= cells:
        return matrix
    edges = (np.arange(cells) * size) // cells  # strictly increasing, since size > cells
    return np.maximum.reduceat(matrix, edges, axis=axis)


def _png(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB PNG. Written here because the format is three chunks of zlib data and
    adding an imaging library as a dependency for one picture is not worth it."""
    height, width, _ = rgb.shape
    raw = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # filter byte 0 on each line
    raw[:, 1:] = rgb.reshape(height, width * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)) + chunk(b"IEND", b""))


# --- a comparison of two translations -------------------------------------------------------


def _comparison_body(comparison: Comparison) -> tuple[str, list[Any]]:
    a_label, b_label = comparison.a_label, comparison.b_label
    alignment = comparison.a.alignment
    src_lang = alignment.src.lang if alignment else "ru"
    tgt_lang = alignment.tgt.lang if alignment else "en"
    src_name = _language(src_lang)
    title = f"Comparison of two translations: {a_label} and {b_label}"
    groups = ((f"{a_label} only", "a-only"), (f"{b_label} only", "b-only"),
              (f"{a_label} ≠ {b_label}", "diff"))
    all_divergences: list[Divergence] = []
    group_counts: Counter[str] = Counter()
    rows = []
    number = 0
    for k, row in enumerate(comparison.rows):
        items = []
        src_marks: list[_Mark] = []
        a_marks: list[_Mark] = []
        b_marks: list[_Mark] = []
        divergences: list[Divergence] = []
        row_groups = []
        for (label, token), found in zip(groups, (row.a_only, row.b_only, row.differences),
                                         strict=True):
            for d in found:
                fid = f"f{number}"
                number += 1
                items.append(_finding_item(fid, d, label))
                divergences.append(d)
                group_counts[token] += 1
                row_groups.append(token)
                first, second = {"a-only": (src_marks, a_marks), "b-only": (src_marks, b_marks),
                                 "diff": (a_marks, b_marks)}[token]
                first += [_Mark(s, e, fid, d.severity) for s, e in d.src_spans]
                second += [_Mark(s, e, fid, d.severity) for s, e in d.tgt_spans]
        all_divergences += divergences
        classes = ["bead"] + (["has-finding"] if divergences else [])
        metrics = []
        for label, value in ((a_label, row.a_adequacy), (b_label, row.b_adequacy)):
            if value is not None:
                metrics.append(_bar(label, f"adequacy of {label}, 0-100", value / 100,
                                    f"{value:.0f}"))
        if row.chrf is not None:
            metrics.append(_bar("chrF", f"chrF of {a_label} against {b_label}, 0-100",
                                row.chrf / 100, f"{row.chrf:.0f}"))
        rows.append(_h("tr", _row_data(classes, divergences, {
            "id": f"bead-{k}", "data-row": "finding" if divergences else "",
            "data-group": " ".join(dict.fromkeys(row_groups))}),
            _h("th", {"scope": "row", "class": "idx"},
               _h("a", {"href": f"#bead-{k}", "class": "num"}, str(k)),
               _h("span", {"class": "sents"}, f"{src_lang} {_span_label(row.src_idx)}")),
            _h("td", {"class": "text", "lang": src_lang},
               _marked_text(row.src_text, src_marks) if row.src_text
               else _empty_side("addition", src_name)),
            *[_h("td", {"class": "text", "lang": tgt_lang},
                 _marked_text(text, marks) if text else _empty_side("omission", label))
              for text, marks, label in ((row.a_text, a_marks, a_label),
                                         (row.b_text, b_marks, b_label))],
            _h("td", {"class": "review"},
               _h("div", {"class": "metrics"}, metrics) if metrics else None,
               _h("ul", {"class": "findings"}, items) if items else None)))
    summary = _h("section", {"class": "summary", "aria-label": "Summary"},
                 _h("h1", None, "Comparison of two translations"),
                 _h("p", {"class": "files"}, f"{a_label} and {b_label} of one {src_name} "
                    "original"),
                 _comparison_scores(comparison),
                 _metrics_table(comparison),
                 _h("p", {"class": "overview"},
                    f"{len(rows)} rows · {len(all_divergences)} findings"),
                 _h("div", {"class": "filters"},
                    _filter_group("Findings", [_filter_button("group", token, label,
                                                              group_counts[token])
                                               for label, token in groups]),
                    _filter_group("Findings by severity", _severity_buttons(all_divergences)),
                    _filter_group("Findings by check", _check_buttons(all_divergences))),
                 _h("p", {"id": "status", "class": "status", "role": "status"},
                    f"Showing all {len(rows)} rows."),
                 _keys_help(),
                 _signature(comparison.signature))
    table = _h("table", {"class": "beads compare"},
               _h("caption", None, f"{len(rows)} rows: the {src_name} original and "
                  f"translations {a_label} and {b_label} side by side"),
               _h("colgroup", None, _h("col", {"class": "c-idx"}),
                  [_h("col", {"class": "c-txt"}) for _ in range(3)],
                  _h("col", {"class": "c-rev"})),
               _h("thead", None, _h("tr", None,
                                    _h("th", {"scope": "col"}, "#"),
                                    _h("th", {"scope": "col"}, src_name),
                                    _h("th", {"scope": "col"}, a_label),
                                    _h("th", {"scope": "col"}, b_label),
                                    _h("th", {"scope": "col"}, "Scores and findings"))),
               _h("tbody", None, rows))
    return title, [_h("header", {"class": "top"}, summary), _h("main", None, table), _footer()]


def _comparison_scores(comparison: Comparison) -> Any:
    scores = [(label, review.document.score) for label, review in
              ((comparison.a_label, comparison.a), (comparison.b_label, comparison.b))
              if review.document is not None]
    if not scores:
        return None
    return _h("div", {"class": "docscore"},
              [_h("p", {"class": "big"}, _h("span", {"class": "num"}, f"{score:.0f}"),
                  _h("span", {"class": "of"}, " / 100"),
                  _h("span", {"class": "what"}, f" {label}")) for label, score in scores])


def _metrics_table(comparison: Comparison) -> Any:
    if not comparison.metrics:
        return None
    return _h("table", {"class": "metrics-table"},
              _h("caption", None, f"Corpus metrics of {comparison.a_label} against "
                 f"{comparison.b_label}"),
              _h("thead", None, _h("tr", None, _h("th", {"scope": "col"}, "metric"),
                                   _h("th", {"scope": "col"}, "score"),
                                   _h("th", {"scope": "col"}, "signature"))),
              _h("tbody", None, [_h("tr", None, _h("th", {"scope": "row"}, metric.name),
                                    _h("td", {"class": "score"}, f"{metric.score:.2f}"),
                                    _h("td", None, _signature_code(metric.signature)))
                                 for metric in comparison.metrics]))


# --- style and behaviour ----------------------------------------------------------------------

_CSS = """
:root {
  color-scheme: light;
  --ink: #1b1f24; --muted: #4b5563; --rule: #d0d7de; --soft: #f6f8fa; --accent: #0b57d0;
  --crit: #b42318; --crit-bg: #fde4e2; --major: #9a4a00; --major-bg: #fdecc8;
  --minor: #075985; --minor-bg: #dcf0fc; --null-bg: #f3f0ff; --null: #5b3cc4;
}
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ink); background: #fff; }
body { margin: 0; padding: 1.25rem 1.5rem 2rem; }
h1 { font-size: 1.45rem; margin: 0 0 .15rem; letter-spacing: -.01em; }
h2 { font-size: .72rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0 0 .3rem; font-weight: 600; }
code, kbd { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: .86em; }
kbd { border: 1px solid var(--rule); border-bottom-width: 2px; border-radius: 4px;
  padding: 0 .3em; background: var(--soft); }
.top { display: flex; gap: 2rem; align-items: flex-start; justify-content: space-between;
  flex-wrap: wrap; border-bottom: 1px solid var(--rule); padding-bottom: 1rem;
  margin-bottom: 1rem; }
.summary { flex: 1 1 32rem; min-width: 0; }
.files { margin: 0 0 .6rem; color: var(--muted); }
.overview { margin: .4rem 0 .8rem; }
.docscore { margin: .3rem 0; }
.docscore .big { margin: 0 1.5rem 0 0; display: inline-block; }
.docscore .num { font-size: 2.1rem; font-weight: 700; line-height: 1; }
.docscore .of, .docscore .what { color: var(--muted); }
.components { font-size: .85rem; color: var(--muted); display: inline-block; }
.components[open] { display: block; max-width: 44rem; }
.components summary { cursor: pointer; }
.components dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
  gap: .05rem 1.2rem; margin: .3rem 0 0; }
.components dl div { display: flex; justify-content: space-between; gap: .5rem;
  border-bottom: 1px dotted var(--rule); }
.components dt, .components dd { margin: 0; }
.components dd { color: var(--ink); font-variant-numeric: tabular-nums; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1.6rem; }
.fgroup { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
.fgroup h2 { flex-basis: 100%; }
button.filter { font: inherit; font-size: .88rem; color: var(--ink); background: #fff;
  border: 1px solid var(--rule); border-radius: 999px; padding: .15rem .7rem;
  cursor: pointer; display: inline-flex; align-items: center; gap: .35rem; }
button.filter:hover { border-color: var(--accent); }
button.filter[aria-pressed="true"] { background: var(--accent); border-color: var(--accent);
  color: #fff; }
button.filter[aria-pressed="true"] .dot { outline: 2px solid #fff; }
button.filter:disabled { opacity: .55; cursor: default; border-color: var(--rule); }
.no-js button.filter { cursor: default; }
.count { font-weight: 700; font-variant-numeric: tabular-nums; }
.dot { width: .65rem; height: .65rem; border-radius: 50%; display: inline-block;
  background: var(--muted); }
.dot.sev-critical { background: var(--crit); } .dot.sev-major { background: #d97706; }
.dot.sev-minor { background: #0284c7; }
.status { margin: .7rem 0 .2rem; font-size: .9rem; color: var(--muted); }
.no-js .status { display: none; }
.keys { font-size: .85rem; color: var(--muted); margin: .2rem 0; }
.no-js .keys { display: none; }
.signature { font-size: .8rem; color: var(--muted); margin-top: .4rem; }
.signature code { overflow-wrap: anywhere; }
.mapbox { flex: 0 1 23rem; }
.alignment-map { margin: 0; }
.axis-top { font-size: .75rem; color: var(--muted); padding-left: 1.3rem; }
.mapgrid { display: flex; align-items: stretch; }
.axis-left { writing-mode: vertical-rl; font-size: .75rem; color: var(--muted);
  width: 1.3rem; text-align: start; }
svg.map { display: block; flex: 0 1 21rem; min-width: 0; max-height: 26rem; height: auto;
  border: 1px solid var(--rule); background: #fff; overflow: visible; }
svg.map .heat { image-rendering: pixelated; }
svg.map .blank { fill: #fbfbfd; }
svg.map .paras line { stroke: #8a94a6; stroke-width: 1px; stroke-dasharray: 3 3;
  vector-effect: non-scaling-stroke; opacity: .55; }
svg.map .path { fill: none; stroke: #111; stroke-width: 1.5px; stroke-linejoin: round;
  vector-effect: non-scaling-stroke; }
svg.map .nullseg { stroke: #e11d48; stroke-width: 4px; stroke-linecap: round;
  vector-effect: non-scaling-stroke; }
svg.map .box { fill: transparent; stroke: none; }
svg.map a:hover .box, svg.map a:focus .box { fill: rgba(11, 87, 208, .25); }
svg.map .box.sev-critical { stroke: var(--crit); stroke-width: 2.5px;
  vector-effect: non-scaling-stroke; fill: rgba(180, 35, 24, .18); }
svg.map .box.sev-major { stroke: #d97706; stroke-width: 2.5px;
  vector-effect: non-scaling-stroke; fill: rgba(217, 119, 6, .18); }
svg.map .box.sev-minor { stroke: #0284c7; stroke-width: 2px;
  vector-effect: non-scaling-stroke; }
svg.map.dense .box, svg.map.dense .box[class*="sev-"] { stroke: none; fill: transparent; }
svg.map.dense .nullseg { stroke-width: 2px; }
svg.map .stripbg { fill: var(--soft); }
svg.map .tick { stroke-width: 2px; vector-effect: non-scaling-stroke; stroke: var(--muted); }
svg.map .tick.sev-critical { stroke: var(--crit); }
svg.map .tick.sev-major { stroke: #d97706; }
svg.map .tick.sev-minor { stroke: #0284c7; }
svg.map a:hover .tick, svg.map a:focus .tick { stroke-width: 5px; }
figcaption { font-size: .8rem; color: var(--muted); margin-top: .4rem; max-width: 22.5rem; }
.note { color: var(--muted); font-size: .9rem; max-width: 22rem; }

table.beads { width: 100%; border-collapse: separate; border-spacing: 0; table-layout: fixed; }
table.beads caption { text-align: left; color: var(--muted); font-size: .85rem;
  padding-bottom: .4rem; }
col.c-idx { width: 5.2rem; } col.c-rev { width: 27%; }
table.compare col.c-rev { width: 22%; }
table.beads thead th { position: sticky; top: 0; z-index: 2; background: var(--soft);
  text-align: left; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); border-bottom: 2px solid var(--rule); padding: .45rem .6rem; }
table.beads td, table.beads tbody th { vertical-align: top; padding: .55rem .6rem;
  border-bottom: 1px solid var(--rule); }
table.beads tbody th { text-align: left; font-weight: 400; }
tr.para > * { border-top: 2px solid #8a94a6; }
tr.bead:target > *, tr.bead.current > * { background: #fffbe6; }
tr[data-sev~="minor"] > th { box-shadow: inset 4px 0 0 #0284c7; }
tr[data-sev~="major"] > th { box-shadow: inset 4px 0 0 #d97706; }
tr[data-sev~="critical"] > th { box-shadow: inset 4px 0 0 var(--crit); }
.pstart { color: #8a94a6; font-weight: 700; }
.idx .num { font-weight: 700; color: var(--ink); text-decoration: none;
  font-variant-numeric: tabular-nums; }
.idx .num:hover { text-decoration: underline; }
.idx .kind, .idx .sents { display: block; font-size: .78rem; color: var(--muted); }
.idx .kind { font-weight: 600; }
tr.null .idx .kind { color: var(--null); }
td.text { overflow-wrap: anywhere; }
td.text[lang="ru"] { hyphens: auto; }
.pilcrow { color: #8a94a6; padding: 0 .15em; }
.null-note { display: block; color: var(--null); font-style: italic; padding: .35rem .6rem;
  border: 1px dashed var(--null); border-radius: 6px; background: var(--null-bg); }
tr.null td.text:has(.null-note) { background: repeating-linear-gradient(135deg,
  #fff 0 6px, #f7f5ff 6px 12px); }
mark.hl { color: inherit; border-radius: 3px; padding: 0 .08em; cursor: help;
  text-decoration-line: underline; text-decoration-thickness: 2px;
  text-decoration-skip-ink: none;
  text-underline-offset: 3px; }
mark.sev-critical { background: var(--crit-bg); text-decoration-color: var(--crit);
  text-decoration-style: double; }
mark.sev-major { background: var(--major-bg); text-decoration-color: var(--major);
  text-decoration-style: solid; }
mark.sev-minor { background: var(--minor-bg); text-decoration-color: var(--minor);
  text-decoration-style: dotted; }
mark.caret { font-weight: 700; padding: 0 .15em; }
mark.hl:focus { outline: 2px solid var(--accent); outline-offset: 2px; }
mark.hl.active { box-shadow: 0 0 0 2px var(--accent); }
.metrics { display: grid; grid-template-columns: auto 1fr auto; gap: .15rem .45rem;
  align-items: center; font-size: .78rem; margin-bottom: .35rem; max-width: 15rem; }
.metric { display: contents; }
.mlabel { color: var(--muted); text-decoration: none; }
.bar { display: block; height: .42rem; background: #e5e9ef; border-radius: 999px;
  overflow: hidden; min-width: 3rem; }
.fill { display: block; height: 100%; background: #3b6fb6; }
.fill.low { background: #c2410c; }
.val { font-variant-numeric: tabular-nums; text-align: right; min-width: 2.1rem; }
ul.findings { list-style: none; margin: 0; padding: 0; font-size: .86rem; }
li.finding { margin: 0 0 .4rem; padding: .3rem .45rem; border-left: 3px solid var(--muted);
  background: var(--soft); border-radius: 0 4px 4px 0; }
li.finding.sev-critical { border-left-color: var(--crit); }
li.finding.sev-major { border-left-color: #d97706; }
li.finding.sev-minor { border-left-color: #0284c7; }
li.finding.active, li.finding:focus { outline: 2px solid var(--accent); }
.badge { font-size: .7rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  border-radius: 3px; padding: .05rem .3rem; color: #fff; background: var(--muted); }
.badge.sev-critical { background: var(--crit); } .badge.sev-major { background: var(--major); }
.badge.sev-minor { background: var(--minor); }
.group { font-weight: 600; }
.check { color: var(--muted); }
.message { display: block; margin-top: .15rem; }
.suggestion { display: block; color: #14532d; margin-top: .1rem; }
.suggestion .label { font-weight: 600; }
.tip { position: absolute; z-index: 10; max-width: 26rem; background: #1b1f24; color: #fff;
  border-radius: 6px; padding: .5rem .65rem; font-size: .85rem; line-height: 1.4;
  box-shadow: 0 6px 18px rgba(0,0,0,.25); pointer-events: none; }
.tip ul { list-style: none; margin: 0; padding: 0; }
.tip li + li { margin-top: .45rem; border-top: 1px solid #444c56; padding-top: .45rem; }
.tip .check { color: #c9d1d9; }
.tip .suggestion { color: #a7f3d0; }
.metrics-table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
.metrics-table caption { text-align: left; color: var(--muted); font-size: .8rem; }
.metrics-table th, .metrics-table td { text-align: left; padding: .15rem .8rem .15rem 0;
  border-bottom: 1px solid var(--rule); vertical-align: top; }
.metrics-table .score { font-variant-numeric: tabular-nums; font-weight: 600; }
.metrics-table code { overflow-wrap: anywhere; }
footer { margin-top: 1.5rem; font-size: .8rem; color: var(--muted); }
@media (max-width: 50rem) {
  body { padding: .75rem; }
  col.c-rev { width: 34%; } col.c-idx { width: 3.6rem; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html { font-size: 10.5pt; }
  body { padding: 0; }
  .filters button.filter { border-color: #999; }
  .keys, .tip { display: none; }
  table.beads thead { display: table-header-group; }
  table.beads thead th { position: static; }
  tr.bead { break-inside: avoid; }
  .mapbox { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  mark.hl, .badge, .fill, .null-note, li.finding { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
}
"""

# Written by hand: a few dozen lines of DOM code, where a framework would be a download.
_SCRIPT = """
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.bead"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.filter"));
  var status = document.getElementById("status");
  var tip = document.getElementById("tip");
  var current = null;

  function words(el, key) {
    return (el.getAttribute("data-" + key) || "").split(" ");
  }

  function applyFilter(button) {
    var shown = 0;
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    rows.forEach(function (row) {
      var keep = !button || words(row, button.getAttribute("data-key"))
        .indexOf(button.getAttribute("data-value")) >= 0;
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    if (status) {
      status.textContent = button
        ? "Showing " + shown + " of " + rows.length + " rows: " +
          button.textContent.replace(/\\s+/g, " ").trim() +
          ". Select it again, or press Esc, to show all rows."
        : "Showing all " + rows.length + " rows.";
    }
    hideTip();
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      applyFilter(b.getAttribute("aria-pressed") === "true" ? null : b);
    });
  });

  function findingIds(mark) { return words(mark, "f").filter(Boolean); }

  function setActive(mark, on) {
    findingIds(mark).forEach(function (id) {
      var li = document.getElementById(id);
      if (li) { li.classList.toggle("active", on); }
      document.querySelectorAll('mark.hl[data-f~="' + id + '"]').forEach(function (m) {
        m.classList.toggle("active", on);
      });
    });
  }

  var shownFor = null;
  function showTip(mark) {
    if (shownFor) { setActive(shownFor, false); }
    shownFor = mark;
    setActive(mark, true);
    var list = document.createElement("ul");
    findingIds(mark).forEach(function (id) {
      var li = document.getElementById(id);
      if (!li) { return; }
      var copy = li.cloneNode(true);
      copy.removeAttribute("id");
      copy.removeAttribute("tabindex");
      copy.className = "";
      list.appendChild(copy);
    });
    tip.replaceChildren(list);
    tip.hidden = false;
    var box = mark.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
    tip.style.left = Math.max(8, left) + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
  }

  function hideTip() {
    if (shownFor) { setActive(shownFor, false); }
    shownFor = null;
    tip.hidden = true;
  }

  function markOf(event) {
    return event.target.closest ? event.target.closest("mark.hl") : null;
  }
  document.addEventListener("mouseover", function (e) {
    var mark = markOf(e);
    if (mark && mark !== shownFor) { showTip(mark); }
  });
  document.addEventListener("mouseout", function (e) {
    var mark = markOf(e);
    if (mark && mark === shownFor && !mark.contains(e.relatedTarget) &&
        document.activeElement !== mark) { hideTip(); }
  });
  document.addEventListener("focusin", function (e) {
    var mark = markOf(e);
    if (mark) {
      showTip(mark);
      current = document.getElementById(findingIds(mark)[0]);
    } else {
      hideTip();
      if (e.target.classList && e.target.classList.contains("finding")) { current = e.target; }
    }
  });
  document.addEventListener("focusout", function (e) {
    if (markOf(e) && !(e.relatedTarget && e.relatedTarget.closest &&
                       e.relatedTarget.closest("mark.hl"))) { hideTip(); }
  });

  function visibleFindings() {
    return Array.prototype.slice.call(
      document.querySelectorAll("tr.bead:not([hidden]) li.finding"));
  }

  function go(step) {
    var list = visibleFindings();
    if (!list.length) { return; }
    var i = current ? list.indexOf(current) : -1;
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : (i + step + list.length) % list.length;
    var li = list[i];
    current = li;
    rows.forEach(function (r) { r.classList.remove("current"); });
    var row = li.closest("tr");
    if (row) { row.classList.add("current"); }
    var target = document.querySelector('mark.hl[data-f~="' + li.id + '"]') || li;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
    if (target !== li) { showTip(target); }
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    if (e.key === "j" || e.key === "n") { go(1); e.preventDefault(); }
    else if (e.key === "k" || e.key === "p") { go(-1); e.preventDefault(); }
    else if (e.key === "Escape") { applyFilter(null); }
  });
  window.addEventListener("resize", hideTip);
})();
"""
