"""Input in the users' languages: Russian and Kazakh words for values and import headers, and
names found from any alphabet and any keyboard."""

import json

import pytest

from dereg.values import CASE_OUTCOMES, INSTANCES, LEVELS, parse_choice, parse_decision, words

ADD = ("case", "add", "--election", "2016 maslikhat", "--region", "Almaty", "--district", "1")


@pytest.mark.parametrize(
    "word, value",
    [
        ("отказ", "refused"),
        ("Отказ в регистрации", "refused"),
        ("ОТКАЗАНО В РЕГИСТРАЦИИ", "refused"),
        ("тіркеуден бас тарту", "refused"),
        ("отмена", "cancelled"),
        ("отмена регистрации", "cancelled"),
        ("снят", "cancelled"),
        ("Снята", "cancelled"),
        ("снят с регистрации", "cancelled"),
        ("Тіркеудің күшін жою", "cancelled"),
        ("withdrawn", "cancelled"),
    ],
)
def test_decisions_in_three_languages(word, value):
    assert parse_decision(word) == value


@pytest.mark.parametrize(
    "word, value",
    [
        ("оставлено в силе", "upheld"),
        ("Решение оставлено без изменения", "upheld"),
        ("жалоба отклонена", "upheld"),
        ("отказано", "upheld"),
        ("күшінде қалдырылды", "upheld"),
        ("восстановлен", "reinstated"),
        ("восстановлена", "reinstated"),
        ("Жалоба удовлетворена", "reinstated"),
        ("удовлетворено", "reinstated"),
        ("қалпына келтірілді", "reinstated"),
        ("на рассмотрении", "pending"),
        ("қаралуда", "pending"),
        ("не рассмотрено", "not_heard"),
        ("оставлено без рассмотрения", "not_heard"),
        ("қаралмады", "not_heard"),
    ],
)
def test_outcomes_in_three_languages(word, value):
    assert parse_choice(word, "outcome", CASE_OUTCOMES) == value


@pytest.mark.parametrize(
    "word, value",
    [
        ("первая", "first"),
        ("Первая инстанция", "first"),
        ("бірінші", "first"),
        ("апелляция", "appeal"),
        ("апелляционная", "appeal"),
        ("апелляциялық", "appeal"),
        ("кассация", "cassation"),
        ("Кассационная", "cassation"),
        ("кассациялық", "cassation"),
    ],
)
def test_instances_in_three_languages(word, value):
    assert parse_choice(word, "instance", INSTANCES) == value


def test_levels_and_currency_in_three_languages():
    from dereg.money import parse_currency

    assert parse_choice("Районный", "level", LEVELS) == "district"
    assert parse_choice("облыстық", "level", LEVELS) == "oblast"
    assert {parse_currency(word) for word in ("тенге", "Теңге", "₸", "kzt")} == {"KZT"}


def test_a_word_of_another_kind_is_not_accepted():
    """'отказано' is an outcome (upheld), 'отказ' a decision: neither stands for the other."""
    with pytest.raises(Exception, match="outcome 'отказ' is not one of"):
        parse_choice("отказ", "outcome", CASE_OUTCOMES)


def test_every_word_names_a_value_of_its_kind():
    from dereg.csvio.columns import CASES, DISTRICTS
    from dereg.money import CURRENCY_EXPONENTS

    known = {
        "decision": {"refused", "cancelled"},
        "outcome": set(CASE_OUTCOMES),
        "instance": set(INSTANCES),
        "level": set(LEVELS),
        "currency": set(CURRENCY_EXPONENTS),
        "column": set(CASES.names) | set(DISTRICTS.names),
    }
    for kind, values in known.items():
        assert words(kind), kind
        assert set(words(kind).values()) <= values, kind


def test_russian_words_in_options_and_russian_output_keeps_machine_values(run):
    added = run(*ADD, "--candidate", "Қасымова", "--decision", "Отказ в регистрации", "--decided-on",
                "20.03.2016", "--amount", "83", "--currency", "тенге")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    appeal = run("appeal", "add", "1", "--court", "Алматинский городской суд", "--instance", "первая",
                 "--outcome", "жалоба отклонена")  # fmt: skip
    assert appeal.exit_code == 0, appeal.stderr
    shown = json.loads(run("--lang", "ru", "case", "show", "1", "--format", "json").stdout)
    assert (shown["decision"], shown["appeal_outcome"], shown["currency"]) == ("refused", "upheld", "KZT")


RUSSIAN_FILE = (
    "Выборы;Регион;Округ;Кандидат;Решение;Дата решения;Расхождение;Валюта;Кем выдвинут;Причина;"
    "Примечания;Суд;Инстанция;Дата подачи жалобы;Дата решения суда;Решение суда;Мест;Кандидатов\n"
    "Маслихат 2016;СКО;Округ №5;Нистолы Марина;Отказ в регистрации;10.03.2016;83;тенге;самовыдвижение;"
    "остатки на счетах;;Суд СКО;первая инстанция;12.03.2016;15.03.2016;Жалоба отклонена;1;3\n"
)
KAZAKH_FILE = (
    "Сайлау,Облыс,Округ,Үміткер,Шешім,Шешім күні,Себеп,Ескертпе,Исход\n"
    "Маслихат 2016,СҚО,Округ №6,Тулесова Асья,тіркеудің күшін жою,20.03.2016,дөңгелектеу,,қаралмады\n"
)


def test_an_import_with_russian_and_kazakh_headers_and_values(run, tmp_path):
    russian, kazakh = tmp_path / "ru.csv", tmp_path / "kk.csv"
    russian.write_text(RUSSIAN_FILE, encoding="utf-8")
    kazakh.write_text(KAZAKH_FILE, encoding="utf-8")
    assert run("--lang", "ru", "import", "cases", str(russian)).exit_code == 0
    assert run("import", "cases", str(kazakh)).exit_code == 0
    cases = json.loads(run("case", "list", "--format", "json").stdout)
    assert [(c["candidate"], c["decision"], c["appeal_outcome"], c["discrepancy_amount"]) for c in cases] == [
        ("Нистолы Марина", "refused", "upheld", "83.00"),
        ("Тулесова Асья", "cancelled", "not_heard", None),
    ]
    districts = json.loads(run("district", "list", "--format", "json").stdout)
    assert (districts[0]["seats"], districts[0]["candidates"]) == (1, 3)


@pytest.mark.parametrize(
    "query, found",
    [
        ("Счет", "Счёт Иван"),
        ("касымова", "Қасымова Айгүл"),
        ("kasymova", "Қасымова Айгүл"),
        ("qasymova", "Қасымова Айгүл"),
        ("tulesova", "Тулесова Асья"),
        ("Тулесова", "Tulesova Asya"),
        ("zhumabaev", "Жумабаев Ерлан"),
        ("nurgaliev", "Нұрғалиев Бауыржан"),
        ("ҚАСЫМОВА", "Қасымова Айгүл"),
    ],
)
def test_search_finds_a_name_in_any_alphabet(run, query, found):
    names = ["Счёт Иван", "Қасымова Айгүл", "Тулесова Асья", "Tulesova Asya", "Жумабаев Ерлан",
             "Нұрғалиев Бауыржан", "Иванов Пётр"]  # fmt: skip
    for name in names:
        result = run(*ADD, "--candidate", name, "--decision", "refused", "--decided-on", "2016-03-01")
        assert result.exit_code == 0, result.stderr
    listed = json.loads(run("case", "list", "--search", query, "--format", "json").stdout)
    assert found in [case["candidate"] for case in listed]
    assert "Иванов Пётр" not in [case["candidate"] for case in listed]


def test_refresh_search_brings_a_database_made_before_in_step(run, db_path):
    """Databases made before the latin keys hold folded words alone: refresh_search (for the
    migration) adds the keys; check then passes and the Latin spelling finds the name."""
    import sqlite3

    from dereg.migrations import refresh_search
    from dereg.text import fold

    assert (
        run(
            *ADD, "--candidate", "Қасымова Айгүл", "--decision", "refused", "--decided-on", "2016-03-01"
        ).exit_code
        == 0
    )
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE cases SET search = ?", (fold("Қасымова Айгүл 1"),))
    assert run("case", "list", "--search", "kasymova", "--format", "csv").stdout.count("\n") == 1
    assert run("check").exit_code == 1
    with conn:
        assert refresh_search(conn) == 1
        assert refresh_search(conn) == 0
    conn.close()
    assert run("check").exit_code == 0
    assert run("case", "list", "--search", "kasymova", "--format", "csv").stdout.count("\n") == 2
