"""weak_pair.v1: low aligner confidence and low lexical coverage together, and nothing else."""

from __future__ import annotations

import pytest

from aligner.checks import CheckContext, Divergence, Pair, Severity, registered
from aligner.checks.base import Category, PairCheck

#: Translations of each other (from MFA comments, Security Council and treaty language).
FAITHFUL = [
    ("Россия выступает за политико-дипломатическое урегулирование кризиса на основе Минских "
     "соглашений.",
     "Russia advocates a political and diplomatic settlement of the crisis based on the Minsk "
     "agreements."),
    ("Совет Безопасности настоятельно призывает все стороны неукоснительно соблюдать режим "
     "прекращения огня.",
     "The Security Council urges all parties to strictly observe the ceasefire."),
    ("Каждое государство-участник обязуется не передавать кому бы то ни было ядерное оружие.",
     "Each State Party undertakes not to transfer to any recipient whatsoever nuclear weapons."),
    ("Стороны подтвердили приверженность дальнейшему укреплению двустороннего сотрудничества.",
     "The parties reaffirmed their commitment to further strengthening bilateral cooperation."),
    ("По мнению российской стороны, подобные действия противоречат нормам международного права.",
     "In the Russian view, such actions run counter to the norms of international law."),
    ("Американская сторона вновь попыталась возложить ответственность за разрушение Договора "
     "о РСМД на Россию.",
     "The American side once again tried to shift the blame for the collapse of the INF Treaty "
     "onto Russia."),
    # free but faithful: little shared vocabulary, yet well above a fifth
    ("Имею честь обратиться к Вам с письмом, с тем чтобы обратить Ваше внимание на последнее "
     "нападение на гражданских лиц.",
     "I write to draw your attention to the most recent attack against civilians."),
]

#: Neighbouring sentences paired by a slipped alignment: not translations of each other.
SLIPPED = [
    ("Переговоры прошли в конструктивной и доверительной атмосфере.",
     "The ministers also discussed preparations for the upcoming summit in Vladivostok."),
    ("Совет Безопасности осуждает нападение на миротворцев в провинции Северное Киву.",
     "Member States are invited to submit their national reports by 30 June."),
    ("Министр выразил признательность за гостеприимство, оказанное российской делегации.",
     "The humanitarian situation in the region continues to deteriorate rapidly."),
    ("Российская сторона рассчитывает на скорейшее возобновление работы комиссии.",
     "Particular attention was paid to cooperation in the fight against terrorism and drug "
     "trafficking."),
    ("Мы призываем Вашингтон вернуться к полному выполнению резолюции 2231 Совета Безопасности.",
     "Both sides noted the growing trade turnover and the successful implementation of joint "
     "energy projects."),
    ("Доклад Генерального секретаря будет опубликован в качестве официального документа.",
     "The mission visited refugee camps along the border and met with local authorities."),
]


def pair_check() -> PairCheck:
    check = registered()["weak_pair.v1"].run_pair
    assert check is not None
    return check


def run(ru: str, en: str, confidence: float, context: CheckContext) -> list[Divergence]:
    return list(pair_check()(Pair(0, ru, en, confidence=confidence), context))


def test_registered() -> None:
    spec = registered()["weak_pair.v1"]
    assert spec.severity is Severity.MAJOR
    assert spec.category is Category.ALIGNMENT
    assert spec.title == "Aligned sentences that are probably not translations of each other"


@pytest.mark.parametrize("confidence", [0.05, 0.3, 0.49])
@pytest.mark.parametrize(("ru", "en"), SLIPPED)
def test_slipped_pair_with_low_confidence_is_reported(
        ru: str, en: str, confidence: float, context: CheckContext) -> None:
    [finding] = run(ru, en, confidence, context)
    assert finding.severity is Severity.MAJOR
    assert finding.category is Category.ALIGNMENT
    assert finding.src_spans == ((0, len(ru)),)
    assert finding.tgt_spans == ((0, len(en)),)
    assert finding.message.startswith("probably not a translation of each other")
    assert f"confidence is {confidence:.2f}" in finding.message
    assert finding.suggestion


@pytest.mark.parametrize(("ru", "en"), SLIPPED)
def test_slipped_pair_the_aligner_is_sure_of_is_left_alone(
        ru: str, en: str, context: CheckContext) -> None:
    assert run(ru, en, 0.5, context) == []
    assert run(ru, en, 0.95, context) == []


@pytest.mark.parametrize("confidence", [0.1, 0.45, 0.9])
@pytest.mark.parametrize(("ru", "en"), FAITHFUL)
def test_faithful_pair_is_never_reported(
        ru: str, en: str, confidence: float, context: CheckContext) -> None:
    assert run(ru, en, confidence, context) == []


def test_message_counts_the_covered_words(context: CheckContext) -> None:
    ru = "Министр выразил признательность за гостеприимство, оказанное российской делегации."
    en = "The humanitarian situation in the region continues to deteriorate rapidly."
    [finding] = run(ru, en, 0.2, context)
    assert "0 of 7 Russian and 0 of 6 English content words have a counterpart" in \
        finding.message


def test_null_and_short_beads_are_left_alone(context: CheckContext) -> None:
    assert run("Переговоры прошли в конструктивной атмосфере.", "", 0.01, context) == []
    assert run("", "The talks were constructive.", 0.01, context) == []
    # two content words a side: too few to judge, even though nothing matches
    assert run("Пункт седьмой", "Closing remarks", 0.01, context) == []
