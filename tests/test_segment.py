"""Sentence segmentation: tricky cases from diplomatic prose, paragraphs, presplit, properties."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import InputError, UsageError
from aligner.segment import paragraph_spans, resolve_paragraph_mode, segment, segment_presplit
from aligner.types import Sentence

# (text, expected sentences). Phrasing follows MFA comments, Kremlin readouts and UN documents.
RU_CASES = [
    # initials and names
    (
        "Министр иностранных дел России С.В.Лавров провёл переговоры с Госсекретарём США "
        "Р.Тиллерсоном. Обсуждалась ситуация в Сирии.",
        [
            "Министр иностранных дел России С.В.Лавров провёл переговоры с Госсекретарём США "
            "Р.Тиллерсоном.",
            "Обсуждалась ситуация в Сирии.",
        ],
    ),
    (
        "С. В. Лавров принял участие в заседании СБ ООН. Заседание прошло в Нью-Йорке.",
        ["С. В. Лавров принял участие в заседании СБ ООН.", "Заседание прошло в Нью-Йорке."],
    ),
    (
        "Р. Тиллерсон прибыл в Москву. С. Лавров встретил его в особняке МИД.",
        ["Р. Тиллерсон прибыл в Москву.", "С. Лавров встретил его в особняке МИД."],
    ),
    (
        "В.В.Путин и Д.Трамп провели телефонный разговор. Он носил конструктивный характер.",
        ["В.В.Путин и Д.Трамп провели телефонный разговор.", "Он носил конструктивный характер."],
    ),
    (
        "Заместитель Министра С.А. Рябков встретился с послом США Дж. Салливаном. Обсуждались "
        "вопросы стратегической стабильности.",
        [
            "Заместитель Министра С.А. Рябков встретился с послом США Дж. Салливаном.",
            "Обсуждались вопросы стратегической стабильности.",
        ],
    ),
    # "г." and "гг." after years
    (
        "Напомним, что 5 февраля 2021 г. Россия и США продлили Договор о СНВ. Это важно.",
        ["Напомним, что 5 февраля 2021 г. Россия и США продлили Договор о СНВ.", "Это важно."],
    ),
    (
        "Договор подписан 5 февраля 2021 г. Россия его ратифицировала.",
        ["Договор подписан 5 февраля 2021 г.", "Россия его ратифицировала."],
    ),
    (
        "Встреча состоялась 12 марта 2024 г. Далее стороны подписали меморандум.",
        ["Встреча состоялась 12 марта 2024 г.", "Далее стороны подписали меморандум."],
    ),
    (
        "12 марта 2024 г. в Москве состоялись переговоры. Стороны подписали меморандум.",
        ["12 марта 2024 г. в Москве состоялись переговоры.", "Стороны подписали меморандум."],
    ),
    (
        "В апреле 2018 г. США, Великобритания и Франция нанесли удары по Сирии. Россия "
        "осудила эти действия.",
        [
            "В апреле 2018 г. США, Великобритания и Франция нанесли удары по Сирии.",
            "Россия осудила эти действия.",
        ],
    ),
    (
        "Договор вступил в силу 5 февраля 2011 г. Он рассчитан на десять лет.",
        ["Договор вступил в силу 5 февраля 2011 г.", "Он рассчитан на десять лет."],
    ),
    (
        "Консультации прошли в 2019–2020 гг. В этом году запланирован новый раунд.",
        ["Консультации прошли в 2019–2020 гг.", "В этом году запланирован новый раунд."],
    ),
    (
        "Переговоры прошли в г. Москве. Далее делегация посетила г. Санкт-Петербург.",
        ["Переговоры прошли в г. Москве.", "Далее делегация посетила г. Санкт-Петербург."],
    ),
    (
        "Он работал в Постпредстве России при ООН в 1996 г. С.Лавров тогда был постпредом.",
        ["Он работал в Постпредстве России при ООН в 1996 г. С.Лавров тогда был постпредом."],
    ),
    # abbreviations
    (
        "Речь идёт о правах человека, т.е. о базовых ценностях. Это принципиальный вопрос.",
        [
            "Речь идёт о правах человека, т.е. о базовых ценностях.",
            "Это принципиальный вопрос.",
        ],
    ),
    (
        "Обсуждались торговля, инвестиции, энергетика и т.д. Стороны договорились продолжить "
        "контакты.",
        [
            "Обсуждались торговля, инвестиции, энергетика и т.д.",
            "Стороны договорились продолжить контакты.",
        ],
    ),
    (
        "Обсуждались визовые, таможенные и т.п. вопросы. Стороны договорились.",
        ["Обсуждались визовые, таможенные и т.п. вопросы.", "Стороны договорились."],
    ),
    (
        "Выступил ректор МГИМО им. А.А.Громыко. Доклад был содержательным.",
        ["Выступил ректор МГИМО им. А.А.Громыко.", "Доклад был содержательным."],
    ),
    (
        "Согласно ст. 51 Устава ООН каждое государство имеет право на самооборону. Это "
        "неотъемлемое право.",
        [
            "Согласно ст. 51 Устава ООН каждое государство имеет право на самооборону.",
            "Это неотъемлемое право.",
        ],
    ),
    (
        "См. п. 3 резолюции 2231. Текст прилагается.",
        ["См. п. 3 резолюции 2231.", "Текст прилагается."],
    ),
    (
        "Как указано в пп. 4–6 доклада, ситуация ухудшилась. Необходимы срочные меры.",
        [
            "Как указано в пп. 4–6 доклада, ситуация ухудшилась.",
            "Необходимы срочные меры.",
        ],
    ),
    (
        "Нота зарегистрирована под № 1234. Она направлена в Посольство.",
        ["Нота зарегистрирована под № 1234.", "Она направлена в Посольство."],
    ),
    (
        "Посольство расположено по адресу: ул. Большая Ордынка, д. 18. Приём ведётся по записи.",
        [
            "Посольство расположено по адресу: ул. Большая Ордынка, д. 18.",
            "Приём ведётся по записи.",
        ],
    ),
    (
        "Товарооборот составил 3,5 млрд. долл. США. Это на 10 % больше, чем годом ранее.",
        [
            "Товарооборот составил 3,5 млрд. долл. США.",
            "Это на 10 % больше, чем годом ранее.",
        ],
    ),
    (
        "Бюджет программы — 250 млн. руб. Финансирование продолжится.",
        ["Бюджет программы — 250 млн. руб.", "Финансирование продолжится."],
    ),
    (
        "Выделено 15 тыс. руб. на каждого участника. Средства перечислены.",
        ["Выделено 15 тыс. руб. на каждого участника.", "Средства перечислены."],
    ),
    (
        "Подробнее см. выше. Вопрос остаётся открытым.",
        ["Подробнее см. выше.", "Вопрос остаётся открытым."],
    ),
    (
        "Стороны обсудили ситуацию на Ближнем Востоке, в т.ч. в Сирии. Договорились о контактах.",
        [
            "Стороны обсудили ситуацию на Ближнем Востоке, в т.ч. в Сирии.",
            "Договорились о контактах.",
        ],
    ),
    (
        "Встреча прошла 5 сент. 2016 г. в Ханчжоу. Стороны договорились о новых контактах.",
        [
            "Встреча прошла 5 сент. 2016 г. в Ханчжоу.",
            "Стороны договорились о новых контактах.",
        ],
    ),
    (
        "Напр., в Сирии ситуация улучшилась. Однако в Ливии — нет.",
        ["Напр., в Сирии ситуация улучшилась.", "Однако в Ливии — нет."],
    ),
    # numbers, dates, document symbols, web addresses, section signs
    (
        "Рост составил 3.5 процента. Инфляция снизилась до 3,2 %.",
        ["Рост составил 3.5 процента.", "Инфляция снизилась до 3,2 %."],
    ),
    (
        "Договор подписан 08.04.2010. Он вступил в силу в 2011 г.",
        ["Договор подписан 08.04.2010.", "Он вступил в силу в 2011 г."],
    ),
    (
        "Резолюция СБ ООН S/RES/2231 (2015) одобрила СВПД. Её выполнение важно.",
        ["Резолюция СБ ООН S/RES/2231 (2015) одобрила СВПД.", "Её выполнение важно."],
    ),
    (
        "Доклад содержится в документе A/69/767. Он был распространён среди членов ГА.",
        ["Доклад содержится в документе A/69/767.", "Он был распространён среди членов ГА."],
    ),
    (
        "Подробности на сайте www.mid.ru. Вопросы направляйте по адресу info@mid.ru. Спасибо.",
        [
            "Подробности на сайте www.mid.ru.",
            "Вопросы направляйте по адресу info@mid.ru.",
            "Спасибо.",
        ],
    ),
    (
        "Текст размещён по ссылке https://mid.ru/ru/foreign_policy/news/. Перевод готовится.",
        [
            "Текст размещён по ссылке https://mid.ru/ru/foreign_policy/news/.",
            "Перевод готовится.",
        ],
    ),
    (
        "Согласно § 3 Соглашения стороны проводят консультации. § 4 устанавливает сроки.",
        [
            "Согласно § 3 Соглашения стороны проводят консультации.",
            "§ 4 устанавливает сроки.",
        ],
    ),
    (
        "Речь идёт о положениях приложения I. Действие 5 касается статьи VI Договора.",
        ["Речь идёт о положениях приложения I.", "Действие 5 касается статьи VI Договора."],
    ),
    # quotations
    (
        "Министр заявил: «Мы против.» Далее он остановился на ситуации в Сирии.",
        ["Министр заявил: «Мы против.»", "Далее он остановился на ситуации в Сирии."],
    ),
    (
        "Министр заявил: «Мы против». Далее он остановился на ситуации в Сирии.",
        ["Министр заявил: «Мы против».", "Далее он остановился на ситуации в Сирии."],
    ),
    (
        'Он подчеркнул: "Мы готовы к диалогу." Переговоры продолжатся.',
        ['Он подчеркнул: "Мы готовы к диалогу."', "Переговоры продолжатся."],
    ),
    (
        "«Что это, если не вмешательство?» — спросил С.В.Лавров. Ответа не последовало.",
        ["«Что это, если не вмешательство?» — спросил С.В.Лавров.", "Ответа не последовало."],
    ),
    (
        "В телеграмме говорится: «Разделяем горе их семей. Скорбим вместе с вами». Текст "
        "опубликован.",
        [
            "В телеграмме говорится: «Разделяем горе их семей.",
            "Скорбим вместе с вами».",
            "Текст опубликован.",
        ],
    ),
    # ellipses
    (
        "Мы надеемся... что здравый смысл возобладает. Посмотрим.",
        ["Мы надеемся... что здравый смысл возобладает.", "Посмотрим."],
    ),
    (
        "Ситуация остаётся сложной… Однако мы сохраняем оптимизм.",
        ["Ситуация остаётся сложной…", "Однако мы сохраняем оптимизм."],
    ),
    ("Вопрос остаётся открытым…", ["Вопрос остаётся открытым…"]),
    # lists
    (
        "1. Стороны подтвердили приверженность договорённостям. 2. Стороны договорились "
        "продолжить консультации.",
        [
            "1. Стороны подтвердили приверженность договорённостям.",
            "2. Стороны договорились продолжить консультации.",
        ],
    ),
    (
        "Стороны договорились: а) продолжить консультации; б) провести встречу в мае.",
        ["Стороны договорились: а) продолжить консультации; б) провести встречу в мае."],
    ),
    (
        "Предусматривается: 1) укрепление сотрудничества; 2) обмен мнениями.",
        ["Предусматривается: 1) укрепление сотрудничества; 2) обмен мнениями."],
    ),
    (
        "Стороны договорились о следующем: 1. Продолжить консультации.",
        ["Стороны договорились о следующем: 1. Продолжить консультации."],
    ),
    # questions and exclamations (briefing transcripts)
    (
        "Вопрос: Как Вы оцениваете итоги переговоров? Ответ: Положительно.",
        ["Вопрос: Как Вы оцениваете итоги переговоров?", "Ответ: Положительно."],
    ),
    (
        "Почему? Потому что это противоречит международному праву!",
        ["Почему?", "Потому что это противоречит международному праву!"],
    ),
    (
        "Выступил проф. Иванов. Затем слово взял акад. Петров.",
        ["Выступил проф. Иванов.", "Затем слово взял акад. Петров."],
    ),
]

EN_CASES = [
    # initials and names
    (
        "The message was signed by S. V. Lavrov. It was delivered on Monday.",
        ["The message was signed by S. V. Lavrov.", "It was delivered on Monday."],
    ),
    (
        "S.Lavrov and J.Kerry discussed Syria. They agreed to stay in touch.",
        ["S.Lavrov and J.Kerry discussed Syria.", "They agreed to stay in touch."],
    ),
    (
        "President J. F. Kennedy addressed the UN General Assembly in 1961. His speech is "
        "still quoted.",
        [
            "President J. F. Kennedy addressed the UN General Assembly in 1961.",
            "His speech is still quoted.",
        ],
    ),
    (
        "He met Sergey V. Lavrov. They talked for an hour.",
        ["He met Sergey V. Lavrov.", "They talked for an hour."],
    ),
    (
        "Foreign Minister Sergey Lavrov met S.Lavrov's Turkish counterpart M. Cavusoglu. The "
        "talks were held in Sochi.",
        [
            "Foreign Minister Sergey Lavrov met S.Lavrov's Turkish counterpart M. Cavusoglu.",
            "The talks were held in Sochi.",
        ],
    ),
    # titles
    (
        "Mr. Lavrov met Mrs. Clinton in Geneva. Dr. Smith also attended.",
        ["Mr. Lavrov met Mrs. Clinton in Geneva.", "Dr. Smith also attended."],
    ),
    (
        "Prof. Ivanov and Gen. Gerasimov attended. Col. Smith did not.",
        ["Prof. Ivanov and Gen. Gerasimov attended.", "Col. Smith did not."],
    ),
    (
        "The delegation visited St. Petersburg. Then it went to Moscow.",
        ["The delegation visited St. Petersburg.", "Then it went to Moscow."],
    ),
    # U.S., U.K. and other dotted abbreviations
    (
        "The U.S. and the U.K. voted against. Russia abstained.",
        ["The U.S. and the U.K. voted against.", "Russia abstained."],
    ),
    (
        "The bill was passed by the U.S. Senate. It enters into force next year.",
        ["The bill was passed by the U.S. Senate.", "It enters into force next year."],
    ),
    (
        "Russia called on the U.S. to respect the Treaty. The U.S. refused.",
        ["Russia called on the U.S. to respect the Treaty.", "The U.S. refused."],
    ),
    (
        "The talks were held in the U.S. The delegation returned on Friday.",
        ["The talks were held in the U.S.", "The delegation returned on Friday."],
    ),
    (
        "The statement was made in Washington, D.C. The Russian Embassy responded.",
        ["The statement was made in Washington, D.C.", "The Russian Embassy responded."],
    ),
    (
        "The Minister met the U.N. Secretary-General. The talks were useful.",
        ["The Minister met the U.N. Secretary-General.", "The talks were useful."],
    ),
    # abbreviations before numbers
    (
        "See Art. 5, para. 3 of the Treaty. It is legally binding.",
        ["See Art. 5, para. 3 of the Treaty.", "It is legally binding."],
    ),
    (
        "He invoked Art. 51 of the UN Charter. Self-defence was the argument.",
        ["He invoked Art. 51 of the UN Charter.", "Self-defence was the argument."],
    ),
    (
        "The proposal (see para. 12 above) was rejected. A new one was tabled.",
        ["The proposal (see para. 12 above) was rejected.", "A new one was tabled."],
    ),
    (
        "Nos. 3 and 4 were withdrawn. No. 5 remains on the agenda.",
        ["Nos. 3 and 4 were withdrawn.", "No. 5 remains on the agenda."],
    ),
    (
        "See documents Nos. 12 and 13. They are attached.",
        ["See documents Nos. 12 and 13.", "They are attached."],
    ),
    (
        "The meeting took place on Jan. 15, 2024. It lasted two hours.",
        ["The meeting took place on Jan. 15, 2024.", "It lasted two hours."],
    ),
    (
        "Talks were held in Sept. 2015 in New York. The parties agreed on a road map.",
        ["Talks were held in Sept. 2015 in New York.", "The parties agreed on a road map."],
    ),
    (
        "The note is dated Feb. 3. It was published later.",
        ["The note is dated Feb. 3.", "It was published later."],
    ),
    (
        "The obligations under Art. VI of the NPT apply. Russia complies with them.",
        ["The obligations under Art. VI of the NPT apply.", "Russia complies with them."],
    ),
    # Latin abbreviations
    (
        "Sanctions, visas, etc. were discussed. The sides disagreed.",
        ["Sanctions, visas, etc. were discussed.", "The sides disagreed."],
    ),
    (
        "They discussed trade, visas, energy, etc. The sides agreed to stay in touch.",
        ["They discussed trade, visas, energy, etc.", "The sides agreed to stay in touch."],
    ),
    (
        "Several issues, e.g. trade and visas, were raised. Syria was also discussed.",
        [
            "Several issues, e.g. trade and visas, were raised.",
            "Syria was also discussed.",
        ],
    ),
    (
        "Key principles, i.e. sovereignty and non-interference, were reaffirmed. The talks ended.",
        [
            "Key principles, i.e. sovereignty and non-interference, were reaffirmed.",
            "The talks ended.",
        ],
    ),
    (
        "Several partners, e.g. China and India, abstained. The vote was postponed.",
        ["Several partners, e.g. China and India, abstained.", "The vote was postponed."],
    ),
    (
        "It was Russia vs. the West in that debate. Nobody won.",
        ["It was Russia vs. the West in that debate.", "Nobody won."],
    ),
    (
        "The meeting ended at 5 p.m. The parties left.",
        ["The meeting ended at 5 p.m.", "The parties left."],
    ),
    (
        "Mr. Lavrov arrived at 10 a.m. on Monday. Talks began at noon.",
        ["Mr. Lavrov arrived at 10 a.m. on Monday.", "Talks began at noon."],
    ),
    # numbers, document symbols, web addresses, section signs
    (
        "Growth was 3.5 per cent. Inflation fell to 2.1 per cent.",
        ["Growth was 3.5 per cent.", "Inflation fell to 2.1 per cent."],
    ),
    (
        "The date was 12.03.2024. The meeting was postponed.",
        ["The date was 12.03.2024.", "The meeting was postponed."],
    ),
    (
        "The text is contained in document S/RES/2231 (2015). It was adopted unanimously.",
        [
            "The text is contained in document S/RES/2231 (2015).",
            "It was adopted unanimously.",
        ],
    ),
    (
        "See document A/69/767. The report was issued in 2015.",
        ["See document A/69/767.", "The report was issued in 2015."],
    ),
    (
        "Details are at www.mid.ru. Questions may be sent to info@mid.ru. Thank you.",
        ["Details are at www.mid.ru.", "Questions may be sent to info@mid.ru.", "Thank you."],
    ),
    (
        "Visit https://www.un.org/en/ga/. The page is available in six languages.",
        ["Visit https://www.un.org/en/ga/.", "The page is available in six languages."],
    ),
    (
        "Under § 3 of the Agreement, the parties consult. § 4 sets the timeline.",
        ["Under § 3 of the Agreement, the parties consult.", "§ 4 sets the timeline."],
    ),
    # quotations
    (
        "The Minister said: “We are against.” Then he left.",
        ["The Minister said: “We are against.”", "Then he left."],
    ),
    (
        'The Minister stressed: "Dialogue is the only way." The talks continued.',
        ['The Minister stressed: "Dialogue is the only way."', "The talks continued."],
    ),
    (
        "“We are against,” he said. “This is unacceptable.”",
        ["“We are against,” he said.", "“This is unacceptable.”"],
    ),
    (
        "“Is this not interference?” Sergey Lavrov asked. There was no answer.",
        ["“Is this not interference?” Sergey Lavrov asked.", "There was no answer."],
    ),
    # ellipses
    (
        "The answer was... unclear. The talks continued.",
        ["The answer was... unclear.", "The talks continued."],
    ),
    ("We will see… The talks continued.", ["We will see…", "The talks continued."]),
    ("The question remains open...", ["The question remains open..."]),
    # lists, questions
    (
        "1. The parties agreed to continue talks. 2. They will meet in May.",
        ["1. The parties agreed to continue talks.", "2. They will meet in May."],
    ),
    (
        "The parties agreed (a) to continue consultations; (b) to meet in May.",
        ["The parties agreed (a) to continue consultations; (b) to meet in May."],
    ),
    (
        "The programme covers (i) trade; (ii) energy.",
        ["The programme covers (i) trade; (ii) energy."],
    ),
    (
        "The sides agreed: a) to strengthen cooperation; b) to exchange views.",
        ["The sides agreed: a) to strengthen cooperation; b) to exchange views."],
    ),
    (
        "Is this acceptable? No. It is not!",
        ["Is this acceptable?", "No.", "It is not!"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RU_CASES)
def test_russian(text: str, expected: list[str]) -> None:
    assert [s.text for s in segment(text, "ru")] == expected


@pytest.mark.parametrize(("text", "expected"), EN_CASES)
def test_english(text: str, expected: list[str]) -> None:
    assert [s.text for s in segment(text, "en")] == expected


def test_tables_are_large_enough() -> None:
    assert len(RU_CASES) >= 40
    assert len(EN_CASES) >= 40


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Das ist gut. Herr Dr. Müller kam. J. Smith ging.", "de",
         ["Das ist gut.", "Herr Dr. Müller kam.", "J. Smith ging."]),
        ("Il a dit : « Non. » Puis il est parti.", "fr",
         ["Il a dit : « Non. »", "Puis il est parti."]),
        ("我们反对。这是不可接受的！真的吗？是的", "zh",
         ["我们反对。", "这是不可接受的！", "真的吗？", "是的"]),
        ("Bonjour... il est là. Oui!", "fr", ["Bonjour... il est là.", "Oui!"]),
        ("One. Two.", "xx-unknown", ["One.", "Two."]),
        ("Привіт. Як справи?", "uk", ["Привіт.", "Як справи?"]),
    ],
)  # fmt: skip
def test_generic_fallback(text: str, lang: str, expected: list[str]) -> None:
    assert [s.text for s in segment(text, lang)] == expected


@pytest.mark.parametrize("lang", ["ru-RU", "RU", "rus", "ru_RU"])
def test_language_code_variants_use_the_russian_rules(lang: str) -> None:
    text = "Встреча состоялась 12 марта 2024 г. Далее стороны подписали меморандум."
    assert len(segment(text, lang)) == 2


@pytest.mark.parametrize("lang", ["ru", "en", "zh", "xx", ""])
def test_empty_and_blank_text_give_no_sentences(lang: str) -> None:
    assert segment("", lang) == ()
    assert segment(" \n\r\n\t ", lang) == ()


# --- paragraphs --------------------------------------------------------------------------


def test_line_mode_makes_every_line_a_paragraph() -> None:
    text = "Первый абзац. Второе предложение.\nВторой абзац\n\nТретий абзац."
    sentences = segment(text, "ru", paragraphs="line")
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("Первый абзац.", 0),
        ("Второе предложение.", 0),
        ("Второй абзац", 1),
        ("Третий абзац.", 2),  # the blank line has no sentence, so it is not counted
    ]
    assert [s.index for s in sentences] == [0, 1, 2, 3]


def test_blank_mode_joins_hard_wrapped_lines() -> None:
    text = "The Parties reaffirmed their\ncommitment to the Treaty. It\nremains in force.\n\nNext."
    sentences = segment(text, "en", paragraphs="blank")
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("The Parties reaffirmed their\ncommitment to the Treaty.", 0),
        ("It\nremains in force.", 0),
        ("Next.", 1),
    ]


def test_auto_mode_picks_blank_only_for_a_blank_line_between_text() -> None:
    assert resolve_paragraph_mode("a\n\nb", "auto") == "blank"
    assert resolve_paragraph_mode("a\r\n  \r\nb", "auto") == "blank"
    assert resolve_paragraph_mode("\n\na\nb\n\n\n", "auto") == "line"
    assert resolve_paragraph_mode("a\nb", "auto") == "line"
    assert len(segment("Title\nFirst sentence", "en")) == 2
    assert len(segment("Title\n\nFirst\nsentence", "en")) == 2


def test_blank_mode_starts_list_items_on_new_lines() -> None:
    text = "Стороны договорились:\n1) продолжить консультации;\n2) провести встречу.\n\nДалее."
    sentences = segment(text, "ru")
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("Стороны договорились:", 0),
        ("1) продолжить консультации;", 0),
        ("2) провести встречу.", 0),
        ("Далее.", 1),
    ]


def test_crlf_offsets_index_the_decoded_text() -> None:
    text = "Первое. Второе.\r\nТретье.\r\n"
    sentences = segment(text, "ru")
    assert [s.text for s in sentences] == ["Первое.", "Второе.", "Третье."]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 0, 1]


def test_paragraph_spans_cover_the_text() -> None:
    text = "a\n\n\nb\nc"
    assert paragraph_spans(text, "blank") == [(0, 1), (4, 7)]
    assert paragraph_spans(text, "line") == [(0, 1), (2, 2), (3, 3), (4, 5), (6, 7)]


def test_unknown_paragraph_mode_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="paragraph mode 'lines'"):
        segment("Text.", "en", paragraphs="lines")  # type: ignore[arg-type]


# --- presplit ----------------------------------------------------------------------------


def test_presplit_one_sentence_per_line() -> None:
    text = "First line. Still first.\r\n  Second line  \nThird\n"
    sentences = segment_presplit(text, where="a.txt")
    assert [(s.index, s.text, s.paragraph) for s in sentences] == [
        (0, "First line. Still first.", 0),
        (1, "Second line", 0),
        (2, "Third", 0),
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_presplit_ignores_blank_lines_at_the_end() -> None:
    assert len(segment_presplit("a\nb\n\n \n", where="a.txt")) == 2


def test_presplit_blank_line_names_the_line() -> None:
    text = "\n".join(["line"] * 16 + ["   ", "line"])
    with pytest.raises(InputError) as raised:
        segment_presplit(text, where="corpus.ru")
    message = str(raised.value)
    assert "line 17 is blank" in message
    assert raised.value.where == "corpus.ru:17"
    assert "--presplit" in message
    assert "\n" not in message


def test_presplit_blank_mode_takes_blank_lines_as_paragraph_breaks() -> None:
    text = "a\nb\n\n\nc\n\nd\n"
    sentences = segment_presplit(text, where="x", paragraphs="blank")
    assert [(s.index, s.text, s.paragraph) for s in sentences] == [
        (0, "a", 0),
        (1, "b", 0),
        (2, "c", 1),
        (3, "d", 2),
    ]


# --- properties --------------------------------------------------------------------------

# Characters that exercise every rule: letters of both scripts, initials, "г", all the
# punctuation razdel looks at, digits, CJK stops, and every kind of line break and space.
_TRICKY = [
    *"абвгСВУSJ.F ",
    "г.", "гг.", "U.S.", "т.д.", "No.", "Art.", "1.", "2)", "(a)", ":", ";", ":(", "!", "?",
    "…", "...", "«", "»", "“", "”", '"', "'", "(", ")", "[", "]", "—", "-", "§", "№", "3.5",
    "2024", "°С", "。", "！", "\n", "\r\n", "\r", "\n\n", "\t", "\xa0", "\u2028", "\u200b",
    " Далее", " The", " В", " It", "www.mid.ru",
]  # fmt: skip
_texts = st.one_of(
    st.text(max_size=200), st.lists(st.sampled_from(_TRICKY), max_size=60).map("".join)
)


def _check_reconstruction(text: str, sentences: tuple[Sentence, ...]) -> None:
    position = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert sentence.text
        assert sentence.text == sentence.text.strip()
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= position
        assert text[position : sentence.start].strip() == ""  # gaps are whitespace only
        position = sentence.end
    assert text[position:].strip() == ""
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)
    assert not paragraphs or paragraphs[0] == 0
    assert all(b - a in (0, 1) for a, b in pairwise(paragraphs))


@settings(max_examples=300, deadline=None)
@given(
    text=_texts,
    lang=st.sampled_from(["ru", "en", "zh", "de", "xx"]),
    mode=st.sampled_from(["auto", "blank", "line"]),
)
def test_sentences_and_gaps_reproduce_the_text(text: str, lang: str, mode: str) -> None:
    sentences = segment(text, lang, paragraphs=mode)  # type: ignore[arg-type]
    _check_reconstruction(text, sentences)


@settings(max_examples=200, deadline=None)
@given(text=_texts, mode=st.sampled_from(["auto", "blank", "line"]))
def test_no_sentence_crosses_a_paragraph(text: str, mode: str) -> None:
    spans = paragraph_spans(text, mode)
    for sentence in segment(text, "ru", paragraphs=mode):  # type: ignore[arg-type]
        assert any(start <= sentence.start and sentence.end <= end for start, end in spans)


@settings(max_examples=200, deadline=None)
@given(text=_texts)
def test_presplit_reproduces_the_text_or_names_a_blank_line(text: str) -> None:
    try:
        sentences = segment_presplit(text, where="x")
    except InputError as error:
        assert "is blank" in str(error)
        return
    _check_reconstruction(text, sentences)
    assert all("\n" not in s.text and "\r" not in s.text for s in sentences)
