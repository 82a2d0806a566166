"""Text -> sentences, per language. Pure functions of the decoded text.

Offsets index the text exactly as decoded (CRLF kept): ``text[s.start:s.end] == s.text``, and
the sentences plus the whitespace gaps between them give the document back unchanged.

Paragraphs come first: ``line`` makes every line a paragraph, ``blank`` splits on blank lines
(so a hard-wrapped paragraph is one unit), ``auto`` picks ``blank`` when the text has a blank
line between two non-empty lines. A sentence never crosses a paragraph boundary.

Russian and English go through razdel's rule-based sentence segmenter with our rules in
front of razdel's own. razdel asks its rules in order at every candidate boundary and the
first rule with an opinion decides, so ours can both add boundaries razdel misses (``2024 г.
Далее``, ``the U.S. The``) and remove ones it makes (``Art. 5``, ``St. Petersburg``). razdel
was chosen over pysbd and syntok for English too. On 5,000 English news sentences pysbd ran
at ~1,000 sentences/s and rewrote whitespace, syntok at ~7,000, razdel alone at ~50,000 and
with our rules at ~10,000; razdel's offsets are exact, and with English abbreviations added
it gets the whole English table in tests/test_segment.py right (pysbd and syntok missed 5 of
45 each). Other languages get a small punctuation-based splitter; ``--presplit`` is the
better path there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import Final, Protocol

# razdel 0.5's segmenter is built from a list of rule callables; these are the building
# blocks of its public ``sentenize`` (razdel has had no release since 0.5.0).
from razdel.rule import JOIN, SPLIT
from razdel.segmenters.sentenize import RULES as RAZDEL_RULES
from razdel.segmenters.sentenize import SentSegmenter, SentSplitter

from aligner.errors import InputError, UsageError
from aligner.langid import normalize_language
from aligner.types import ParagraphMode, Sentence

Span = tuple[int, int]

PARAGRAPH_MODES: Final = ("auto", "blank", "line")

_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
# A line break followed by at least one blank (or whitespace-only) line.
_BLANK_LINES = re.compile(
    r"(?:\r\n|[\r\n\u2028\u2029])(?:[^\S\r\n\u2028\u2029]*(?:\r\n|[\r\n\u2028\u2029]))+"
)
# Inside a blank-line paragraph, a line that opens with a list marker starts a new sentence
# even when the previous line has no final punctuation ("договорились:\n1) ...;\n2) ...").
_LIST_ITEM_LINE = re.compile(
    r"(?:\r\n|[\r\n\u2028\u2029])[^\S\r\n\u2028\u2029]*"
    r"(?=(?:\d{1,3}[.)]|[a-zа-яё]\)|\([0-9a-zа-яё]{1,4}\)|[•▪◦‣*–—-])\s)"
)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def segment(text: str, lang: str, *, paragraphs: ParagraphMode = "auto") -> tuple[Sentence, ...]:
    """Split ``text`` into sentences for language ``lang`` (any code; unknown ones get a
    generic punctuation splitter).

    Sentence indices run over the whole document; paragraph indices count only paragraphs
    that contain a sentence.
    """
    splitter = splitter_for(lang)
    mode = resolve_paragraph_mode(text, paragraphs)
    sentences: list[Sentence] = []
    paragraph = 0
    for para_start, para_end in paragraph_spans(text, mode):
        found = False
        for block_start, block_end in _blocks(text, para_start, para_end, mode):
            block = text[block_start:block_end]
            for start, end in splitter(block):
                start, end = _strip_span(block, start, end)
                if start == end:
                    continue
                sentences.append(
                    Sentence(
                        index=len(sentences),
                        text=block[start:end],
                        start=block_start + start,
                        end=block_start + end,
                        paragraph=paragraph,
                    )
                )
                found = True
        paragraph += found
    return tuple(sentences)


def segment_presplit(
    text: str, *, where: str, paragraphs: ParagraphMode = "line"
) -> tuple[Sentence, ...]:
    """One sentence per line, for text that is already sentence-split (``--presplit``).

    By default (``line`` or ``auto``) line ``n`` (1-based) is sentence ``n - 1``, all in
    paragraph 0, and a blank line is an error: dropping it would shift every later line
    against the other file's numbering. With ``paragraphs="blank"`` blank lines separate
    paragraphs instead and the non-blank lines are numbered in order. Blank lines at the end
    of the text are ignored either way.
    """
    check_paragraph_mode(paragraphs)
    lines = _line_spans(text)
    while lines and not text[lines[-1][0] : lines[-1][1]].strip():
        lines.pop()
    sentences: list[Sentence] = []
    paragraph = 0
    for number, (start, end) in enumerate(lines, start=1):
        start, end = _strip_span(text, start, end)
        if start < end:
            sentence = Sentence(len(sentences), text[start:end], start, end, paragraph)
            sentences.append(sentence)
        elif paragraphs != "blank":
            raise InputError(
                f"--presplit needs one sentence per line; line {number} is blank",
                where=f"{where}:{number}",
                hint="remove the blank lines, or drop --presplit to let aligner split "
                "sentences itself",
            )
        elif sentences and sentences[-1].paragraph == paragraph:
            paragraph += 1
    return tuple(sentences)


def check_paragraph_mode(paragraphs: str) -> None:
    """Raise ``UsageError`` unless ``paragraphs`` is one of ``PARAGRAPH_MODES``."""
    if paragraphs not in PARAGRAPH_MODES:
        raise UsageError(
            f"unknown paragraph mode {paragraphs!r}",
            hint="use --paragraphs " + ", ".join(PARAGRAPH_MODES),
        )


def resolve_paragraph_mode(text: str, paragraphs: str) -> ParagraphMode:
    """``"blank"`` or ``"line"``: what ``paragraphs`` means for this text."""
    check_paragraph_mode(paragraphs)
    if paragraphs == "auto":
        # Stripping first makes any blank line found one that lies between non-empty lines.
        return "blank" if _BLANK_LINES.search(text.strip()) else "line"
    return "blank" if paragraphs == "blank" else "line"


def paragraph_spans(text: str, paragraphs: str = "auto") -> list[Span]:
    """(start, end) of every paragraph, including empty ones, in order."""
    mode = resolve_paragraph_mode(text, paragraphs)
    if mode == "line":
        return _line_spans(text)
    return _spans_between(text, _BLANK_LINES.finditer(text))


def splitter_for(lang: str) -> Callable[[str], Iterable[Span]]:
    """The sentence splitter for a language code: spans of sentences in one paragraph."""
    return _SPLITTERS.get(normalize_language(lang), _split_generic)


# ---------------------------------------------------------------------------------------
# Paragraphs and spans
# ---------------------------------------------------------------------------------------


def _spans_between(text: str, separators: Iterator[re.Match[str]]) -> list[Span]:
    spans = []
    start = 0
    for match in separators:
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _line_spans(text: str) -> list[Span]:
    """Spans of the lines, without their line breaks; no empty line after a final newline."""
    spans = _spans_between(text, _LINE_BREAK.finditer(text))
    if len(spans) > 1 and spans[-1][0] == len(text):
        spans.pop()
    return spans


def _blocks(text: str, start: int, end: int, mode: ParagraphMode) -> list[Span]:
    """Parts of one paragraph that no sentence may cross: list items on their own lines."""
    if mode == "line":
        return [(start, end)]
    cuts = [m.end() for m in _LIST_ITEM_LINE.finditer(text, start, end)]
    bounds = [start, *cuts, end]
    return list(pairwise(bounds))


def _strip_span(text: str, start: int, end: int) -> Span:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------------------------------
# razdel with rules for diplomatic Russian and English
# ---------------------------------------------------------------------------------------


class _Split(Protocol):
    """What razdel's rules see at a candidate boundary (razdel's ``SentSplit``)."""

    left: str  # up to _WINDOW characters before the delimiter
    delimiter: str  # . ? ! … ; a quote, a closing bracket, or an emoticon
    right: str  # up to _WINDOW characters after it
    buffer: str  # the sentence so far, without the delimiter
    left_token: str | None
    right_token: str | None


_Rule = Callable[[_Split], str | None]

# razdel looks 10 characters either side by default; our rules read a whole following word
# ("Nevertheless", "Соответственно") or a name and a verb ("Sergey Lavrov asked").
_WINDOW: Final = 32

_RIGHT_WORD = re.compile(r"\s+([^\W\d_]+)(\.?)")
_RIGHT_NUMBER = re.compile(r"\s+\d")
_RIGHT_ROMAN = re.compile(r"\s+[IVXLC]+\b")
# "U.S", "D.C", "J.F", or a lone capital "S" (an initial) just before the full stop.
_INITIALS = re.compile(r"(?:^|[^\w.°])(?:[A-ZА-ЯЁ]\.\s?)*[A-ZА-ЯЁ]$")
# "2024 г", "2019–2020 гг", "2024г": a year (or a quantity in grams) before "г."/"гг.".
_YEAR_ABBREVIATION = re.compile(r"\d\s*гг?$")
# "договорились: 1" — a list number after a colon or semicolon is not a sentence end.
# The space matters: "со счетом 2:0." ends a sentence.
_ENUMERATOR_AFTER_COLON = re.compile(r"[:;]\s+\d{1,3}$")
_EN_LATIN_PAIRS = re.compile(r"(?:^|[^\w.])(?:e\.\s?g|i\.\s?e)$", re.IGNORECASE)
_EN_REPORTING = re.compile(
    r"\s+(?:[A-Z][\w'’.-]*\s+){1,3}(?:asked|said|added|noted|stressed|wondered|replied"
    r"|emphasi[sz]ed|stated|continued|insisted|recalled|remarked|explained)\b"
)
_RU_TCH = re.compile(r"(?:^|[^\w.])т\.\s?ч$", re.IGNORECASE)
# Words razdel takes for abbreviations that here are not: the pronoun "нем" and the noun "пол"
# after a preposition, units after a number or a slash ("22 см", "15 м/с", "49,13 с"), and
# inflected numerals ("1990-х").
_RU_NOT_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:о|обо|в|во|на|при|за|под)\s+(?:нем|пол)$|\d\s*(?:см|с)$|/[а-я]{1,3}$"
    r"|\d-[а-яё]{1,3}$",
    re.IGNORECASE,
)
_LATIN_CAPITAL_END = re.compile(r"(?:^|[^A-Za-z.])(?:[A-Z]\.)*[A-Z]$")
_RIGHT_CYRILLIC_CAPITAL = re.compile(r"\s+[А-ЯЁ]")
_DEGREES = re.compile(r"°\s?[CСF]$")
_WORDS = re.compile(r"[^\W\d_]+|\d+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Closed-class words (pronouns, prepositions, conjunctions, sentence adverbs) that begin a
# sentence but never appear capitalised mid-sentence. After an abbreviation that may or may
# not end a sentence ("2024 г.", "U.S."), one of these is the evidence that it did; a
# capitalised noun is not ("в 1996 г. С.Цыпляев", "the U.S. Senate"). Words that are also
# surnames or first names (May, Will, Ли, Том) are left out.
_RU_STARTERS: Final = _words(
    """
    Он Она Оно Они Мы Я Вы Это Эта Этот Эти Этого Этой Этим Тот Та Те То Такой Такая Такое
    Такие Таким Весь Вся Всё Все Каждый Другой Другая Другие Другим Его Её Ее Их Наш Наша
    Наше Наши Ваш Кто Что Какой Какая Какие Где Когда Почему Зачем Как Сколько Далее Затем
    Потом Тогда Теперь Сейчас Однако Но И А Также Кроме Вместе Поэтому Поскольку Хотя Если
    Чтобы Так Там Здесь Тут Уже Ещё Еще Лишь Только Даже Именно Кстати Впрочем Итак
    Следовательно Наконец Помимо Между Напомним Отметим Конечно Безусловно Разумеется
    Очевидно Действительно Вместо Несмотря Согласно Благодаря Ранее Позднее Позже
    Впоследствии Сегодня Вчера Завтра В Во На По С Со К Ко Из От До За Для Без Под Над О Об
    При Про После Перед Через Среди Около Против У Не Ни Нет Да
    """
)
_EN_STARTERS: Final = _words(
    """
    The This That These Those It Its We Our They Their He His She Her You There Here In On
    At As By For From With Without To Under Upon After Before During Since Despite Following
    Regarding However Moreover Furthermore Nevertheless Nonetheless Also But And Or Yet So
    Thus Therefore Hence Meanwhile Such A An All Both Each Every Some Many Most Several No
    Not If When While Whereas Although Though Because According Among Other Another Further
    Finally Firstly Secondly First Second Then Today Yesterday Tomorrow Now What Which Who
    Where Why How Is Are Was Were Do Does Did Has Have Had Let Please Only Even Given
    Regrettably Unfortunately Clearly Indeed Instead Accordingly Consequently Overall
    Otherwise Again Similarly Likewise Still Later Earlier
    """
)

# Words a Russian sentence may open with when it starts with a date ("В конце марта 2020 г.
# ВОЗ ..."): if the sentence so far is only these and numbers, "г." cannot end it.
_RU_DATE_WORDS: Final = _words(
    """
    в во с со по до к от на за и а но однако уже ещё еще лишь только начиная вплоть после
    около начале начала конце конца середине середины течение ходе период периоде первой
    второй половине квартале летом зимой весной осенью г гг год года году годах числа
    январь января январе февраль февраля феврале март марта марте апрель апреля апреле май
    мая мае июнь июня июне июль июля июле август августа августе сентябрь сентября сентябре
    октябрь октября октябре ноябрь ноября ноябре декабрь декабря декабре
    """
)

# Abbreviations that stand before a number ("сент. 2016", "Art. 5", "Nos. 3 and 4") and that
# razdel does not know, so it would end the sentence at them.
_RU_BEFORE_NUMBER: Final = _words("янв фев февр мар апр авг сен сент окт нояб дек прил подп разд")
_EN_BEFORE_NUMBER: Final = _words(
    """
    art arts para paras no nos p pp vol vols sec secs ch chap fig figs ref res op ca nr
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# English titles and Latin abbreviations that never end a sentence.
_EN_PREFIXES: Final = _words(
    """
    messrs mmes mme mlle prof gen col lt maj capt cmdr adm sgt gov sen rep rev hon amb st
    mt ft cf viz approx incl sens reps v
    """
)


def _right_word(split: _Split) -> tuple[str, bool] | None:
    """The word after the delimiter and whether a full stop follows it (an initial)."""
    match = _RIGHT_WORD.match(split.right)
    if match is None:
        return None
    return match.group(1), bool(match.group(2))


def _opens_sentence(split: _Split, starters: frozenset[str]) -> bool:
    word = _right_word(split)
    return word is not None and word[0] in starters and not word[1]


def _no_split_inside(split: _Split) -> str | None:
    """Semicolons and emoticons are razdel boundaries, but not in official prose.

    Treaty and resolution style runs list items and clauses on with ";" inside one sentence
    (``a) ...; b) ...``), and ``:(`` or ``;)`` there is an enumeration, never a smiley.
    """
    if split.delimiter == ";" or len(split.delimiter) > 1:
        return JOIN
    return None


def _acronym(split: _Split) -> str | None:
    """``ООН. Россия``, ``все ОК. Далее``: an all-capitals word is not an abbreviation.

    razdel lower-cases the word before the dot, so "СМ" (СМИ) and "ОК" match its "см." and
    "ок." (около). Text in capitals throughout ("MR. SMITH") is left to razdel.
    """
    token = split.left_token or ""
    if split.delimiter != "." or len(token) < 2 or not token.isupper():
        return None
    word = _right_word(split)
    if word is None or not word[0][0].isupper() or word[0].isupper() or word[1]:
        return None
    return SPLIT


def _degrees(split: _Split) -> str | None:
    """``до +17°С. Небольшие дожди``: "С"/"C" after a degree sign is a unit, not an initial."""
    if split.delimiter != "." or not _DEGREES.search(split.left):
        return None
    word = _right_word(split)
    return SPLIT if word is not None and word[0][0].isupper() else None


def _spaced_full_stop(split: _Split) -> str | None:
    """``из 4 букв . Невзоров``: a full stop after a space ends the sentence.

    Tokenised text puts spaces before punctuation; an abbreviation is never separated from
    its dot, so none of razdel's abbreviation rules ("букв." for "буквально") apply.
    """
    if split.delimiter != "." or not split.left[-1:].isspace():
        return None
    word = _right_word(split)
    return SPLIT if word is not None and word[0][0].isupper() and not word[1] else None


def _list_number(split: _Split) -> str | None:
    """``... следующем: 1. Продолжить ...``: a number after a colon is a list marker."""
    if split.delimiter == "." and _ENUMERATOR_AFTER_COLON.search(split.left):
        return JOIN
    return None


def _make_initials_rule(starters: frozenset[str]) -> _Rule:
    def initials_or_acronym(split: _Split) -> str | None:
        """``S. V. Lavrov``, ``U.S. Senate`` join; ``the U.S. The ...`` splits.

        razdel joins after every lone capital letter (an initial); a dotted acronym can also
        end a sentence, which only a closed-class word after it can prove.
        """
        if split.delimiter != "." or not _INITIALS.search(split.left):
            return None
        return SPLIT if _opens_sentence(split, starters) else JOIN

    return initials_or_acronym


def _make_before_number_rule(abbreviations: frozenset[str], *, roman: bool) -> _Rule:
    def before_number(split: _Split) -> str | None:
        """``Art. 5``, ``Sept. 2015``, ``сент. 2016``: the abbreviation belongs to the number."""
        token = split.left_token
        if split.delimiter != "." or token is None or token.lower() not in abbreviations:
            return None
        if _RIGHT_NUMBER.match(split.right) or (roman and _RIGHT_ROMAN.match(split.right)):
            return JOIN
        return None

    return before_number


def _ru_year(split: _Split) -> str | None:
    """``12 марта 2024 г. Далее ...`` splits; ``12 марта 2024 г. в Москве``,
    ``В апреле 2018 г. США ...`` and ``в 1996 г. С.Цыпляев`` do not.

    razdel never ends a sentence at "г." (it is also "город": ``г. Москва``). After a number
    it usually does when a capitalised word follows: in the Russian side of ru-en.train.tsv
    sentence-final "2010 г." outnumbers mid-sentence "2010 г. Эрик Маскин" more than ten to
    one, once sentences that open with a date phrase are set aside. Known misfire: a name
    without initials after a mid-sentence year ("премии 2007 г. Эрик Маскин").
    """
    if split.delimiter != "." or not _YEAR_ABBREVIATION.search(split.left):
        return None
    word = _right_word(split)
    if word is None or not word[0][0].isupper() or word[1] or _is_date_phrase(split.buffer):
        return JOIN
    return SPLIT


def _is_date_phrase(buffer: str) -> bool:
    """The sentence so far is a date phrase, or ends in a clause that has only one yet.

    "Напомним, что 5 февраля 2021 г. Россия и США продлили ..." : a clause opened by «что»
    (or «когда», «как», «если») cannot end on its date.
    """
    words = _WORDS.findall(buffer)
    for k in range(len(words) - 1, -1, -1):
        if words[k].lower() in _RU_SUBORDINATORS:
            words = words[k + 1 :]
            break
    return all(w.isdigit() or w.lower() in _RU_DATE_WORDS for w in words)


_RU_SUBORDINATORS: Final = _words("что чтобы когда как если поскольку хотя так")


def _ru_abbreviations(split: _Split) -> str | None:
    """Where razdel's Russian abbreviation list is wrong for official prose.

    ``3,5 млрд. долл. США`` and ``в т.ч. Россия`` stay together (razdel splits both).
    razdel always joins after "см", "им", "нем", "с", "х" ("см. выше", "им. Примакова",
    "нем." for "German", "с. Кляшево", "х. Ново-Максимовский"), but "22 см.", "15 м/с.",
    "в 1990-х.", "благодарны им." and "в нем." end sentences.
    """
    if split.delimiter != ".":
        return None
    token = split.left_token or ""
    word = _right_word(split)
    if token in ("долл", "дол"):
        return JOIN if word is not None and word[0] == "США" else None
    if _RU_TCH.search(split.left):
        return JOIN
    capitalised = word is not None and word[0][0].isupper()
    if _RU_NOT_ABBREVIATION.search(split.left) and capitalised:
        return SPLIT
    if token == "им" and _opens_sentence(split, _RU_STARTERS):
        return SPLIT
    return None


def _ru_latin_letter(split: _Split) -> str | None:
    """``приложении I. Действие``, ``масками 3M. Обеспечивается``: split.

    razdel takes any lone capital for an initial. In Russian text initials are Cyrillic
    (``Дж. Байден``), so a lone Latin capital before a Cyrillic capital is a Roman numeral,
    a model name or a letter label that ends the sentence.
    """
    if split.delimiter != "." or not _LATIN_CAPITAL_END.search(split.left):
        return None
    return SPLIT if _RIGHT_CYRILLIC_CAPITAL.match(split.right) else None


def _en_abbreviations(split: _Split) -> str | None:
    """English titles and Latin abbreviations razdel does not know, and the word "No."

    ``Prof. Ivanov``, ``St. Petersburg``, ``e.g. Russia`` join. razdel treats "No." as the
    abbreviation in ``No. 6`` and always joins; before a capitalised word it is the answer
    "No." (``Is this acceptable? No. It is not.``).
    """
    if split.delimiter != ".":
        return None
    token = split.left_token or ""
    # "v." as in "Roe v. Wade"; a capital "V." is a Roman numeral ("Article V.").
    prefix = token.lower() in _EN_PREFIXES and token != "V"
    if prefix or _EN_LATIN_PAIRS.search(split.left):
        return JOIN
    if token.lower() == "no":
        word = _right_word(split)
        return SPLIT if word is not None and word[0][0].isupper() else None
    return None


def _en_reported_speech(split: _Split) -> str | None:
    """``“Is this not interference?” Sergey Lavrov asked.``: one sentence.

    With "he asked" razdel joins (a small letter follows); a name after the quote looks like a
    new sentence unless a reporting verb follows it.
    """
    if split.delimiter not in "”\"’'" or split.left[-1:] not in ("?", "!"):
        return None
    return JOIN if _EN_REPORTING.match(split.right) else None


def _razdel_splitter(rules: list[_Rule]) -> Callable[[str], Iterator[Span]]:
    segmenter = SentSegmenter(split=SentSplitter(window=_WINDOW), rules=[*rules, *RAZDEL_RULES])

    def split_sentences(text: str) -> Iterator[Span]:
        for substring in segmenter(text):
            if substring.start < substring.stop:
                yield substring.start, substring.stop

    return split_sentences


_COMMON_RULES: Final[list[_Rule]] = [
    _no_split_inside,
    _spaced_full_stop,
    _list_number,
    _acronym,
    _degrees,
]

_split_russian = _razdel_splitter(
    [
        *_COMMON_RULES,
        _ru_year,
        _ru_abbreviations,
        _make_before_number_rule(_RU_BEFORE_NUMBER, roman=False),
        _ru_latin_letter,
        _make_initials_rule(_RU_STARTERS),
    ]
)
_split_english = _razdel_splitter(
    [
        *_COMMON_RULES,
        _en_abbreviations,
        _en_reported_speech,
        _make_before_number_rule(_EN_BEFORE_NUMBER, roman=True),
        _make_initials_rule(_EN_STARTERS),
    ]
)


# ---------------------------------------------------------------------------------------
# Generic fallback for every other language
# ---------------------------------------------------------------------------------------

# Western final punctuation needs a space after it; CJK full-width 。！？ does not.
# French typography puts a space before the closing guillemet: « Non. » Puis ...
_GENERIC_END = re.compile(r"[.!?…]+(?:\s?[\"'”’»)\]])*(?=\s)|[。！？]+[」』”’）)\]]*")
# Before the full stop, a lone letter (an initial), a short number (a list marker) or a short
# capitalised word (a title: Dr., Nr., St.) does not end a sentence.
_GENERIC_NO_END = re.compile(r"(?:^|[\s(。！？])(?:[^\W\d_]|\d{1,3}|[^\W\d_a-z][^\W\d_A-Z])\.$")
_GENERIC_NO_END_REACH: Final = 4  # characters before the full stop that _GENERIC_NO_END reads
_GENERIC_NEXT = re.compile(r"\s*(\S)")
_GENERIC_OPENERS = "«\"“„‘'(¿¡"


def _split_generic(text: str) -> Iterator[Span]:
    """Split after sentence-final punctuation followed by a space and a capital letter or an
    opening quote, and after 。！？ whatever follows. Initials (``J. Smith``), list markers
    (``1.``) and short titles (``Dr.``) do not end a sentence.
    """
    start = 0
    for match in _GENERIC_END.finditer(text):
        end = match.end()
        if not _generic_boundary(text, match):
            continue
        yield start, end
        start = end
    if start < len(text):
        yield start, len(text)


def _generic_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group()[0] in "。！？":
        return True
    following = _GENERIC_NEXT.match(text, match.end())
    if following is None:
        return False
    char = following.group(1)
    if not (char.isupper() or char in _GENERIC_OPENERS):
        return False
    # Only the few characters before the stop matter; reading from the sentence start would
    # make a long paragraph quadratic.
    window_start = max(0, match.start() - _GENERIC_NO_END_REACH)
    return not _GENERIC_NO_END.search(text, window_start, match.start() + 1)


_SPLITTERS: Final[dict[str, Callable[[str], Iterable[Span]]]] = {
    "ru": _split_russian,
    "en": _split_english,
}
