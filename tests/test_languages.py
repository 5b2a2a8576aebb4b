"""The language a person reads: chosen by --lang, $DEREG_LANG or the locale; Russian and
Kazakh everywhere a person reads; machine formats the same bytes in every language."""

import sqlite3

import pytest

from dereg import i18n
from dereg.errors import UsageError
from tests.conftest import Run

ADD = ("case", "add", "--election", "2016 maslikhat", "--region", "Almaty", "--district", "1")


@pytest.mark.parametrize(
    "option, environ, language",
    [
        (None, {}, "en"),
        ("ru", {"DEREG_LANG": "kk"}, "ru"),
        (None, {"DEREG_LANG": "kk", "LANG": "ru_KZ.UTF-8"}, "kk"),
        (None, {"LANG": "ru_KZ.UTF-8"}, "ru"),
        (None, {"LANG": "kk_KZ.UTF-8"}, "kk"),
        (None, {"LC_ALL": "kk_KZ.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "kk"),
        (None, {"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "kk_KZ.UTF-8"}, "ru"),
        (None, {"LC_ALL": "", "LANG": "kk_KZ"}, "kk"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        ("KK", {}, "kk"),
        ("kz", {}, "kk"),
        ("ru_RU.UTF-8", {}, "ru"),
    ],
)
def test_the_language_is_chosen(option, environ, language):
    assert i18n.choose(option, environ) == language


@pytest.mark.parametrize("option, environ", [("de", {}), (None, {"DEREG_LANG": "klingon"})])
def test_an_unknown_language_is_a_usage_error_listing_the_three(option, environ):
    with pytest.raises(UsageError, match="use one of ru, kk, en"):
        i18n.choose(option, environ)


def test_unknown_lang_on_the_command_line_exits_2(run, monkeypatch):
    result = run("--lang", "de", "summary")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: --lang: unknown language 'de': use one of ru, kk, en\n")
    monkeypatch.setenv("DEREG_LANG", "xx")
    result = run("summary")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: DEREG_LANG: unknown language 'xx': use one of ru, kk, en",
    )


def test_the_locale_chooses_when_nothing_else_does(run, monkeypatch):
    monkeypatch.delenv("DEREG_LANG")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "kk_KZ.UTF-8")
    assert run("case", "show", "9").stderr == "Қате: 9 нөмірлі іс жоқ\n"


def test_russian_plural_forms_come_from_the_catalog():
    i18n.use("ru")
    try:
        shown = [
            i18n.ngettext("{count} case written to {output}", "{count} cases written to {output}", n)
            for n in (1, 2, 5, 11, 21, 22)
        ]
        assert [form.split(" ", 1)[1] for form in shown] == [
            "дело записано в {output}",
            "дела записаны в {output}",
            "дел записано в {output}",
            "дел записано в {output}",
            "дело записано в {output}",
            "дела записаны в {output}",
        ]
    finally:
        i18n.use("en")


def test_help_and_the_frameworks_words_are_translated(run):
    russian = run("--lang", "ru", "case", "add", "--help").stdout
    assert russian.startswith("Использование: ") and " case add [OPTIONS]\n" in russian.splitlines(True)[0]
    assert "Записать снятие кандидата" in russian and "Параметры:" in russian
    assert "Показать эту справку и выйти." in russian
    kazakh = run("--lang", "kk", "--help").stdout
    assert kazakh.startswith("Қолданылуы: ") and "[OPTIONS] COMMAND [ARGS]..." in kazakh.splitlines()[0]
    assert "Командалар:" in kazakh
    missing = run("--lang", "ru", "appeal", "add")
    assert missing.exit_code == 2 and "Ошибка: Не указан аргумент 'CASE_ID'." in missing.stderr


def test_errors_and_values_read_in_russian_and_kazakh(run):
    assert run(
        "--lang", "ru", *ADD, "--candidate", "X", "--decision", "уволен", "--decided-on", "2016-03-01"
    ).stderr == (
        "Ошибка: --decision: решение 'уволен' — ни отказ в регистрации (refused), ни отмена регистрации "
        "(cancelled); «снят», «отмена», «отказ» тоже понимаются\n"
    )
    assert run(
        "--lang", "kk", *ADD, "--candidate", "X", "--decision", "отказ", "--decided-on", "31.02.2016"
    ).stderr == ("Қате: --decided-on: '31.02.2016' деген күн жоқ\n")


def test_case_add_asks_in_kazakh(db_path):
    run = Run(terminal=True)
    # Every field in turn (election, region, district, candidate, decision, decided on, amount,
    # currency, nominated by, reason, notes), then the Save question, answered in Kazakh.
    answers = (
        "2016 maslikhat\nAlmaty\n1\nҚасымова Айгүл\nбас тарту\nтіркеуден бас тарту\n20.03.2016\n83\n"
        "\n\n\n\nиә\n"
    )
    result = run("--lang", "kk", "case", "add", input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "1\n"
    for prompt in (
        "Сайлау: ",
        "Өңір: ",
        "Округ: ",
        "Кандидат: ",
        "Шешім (тіркеуден бас тарту / тіркеудің күшін жою): ",
        "Шешім күні (КК.АА.ЖЖЖЖ немесе ЖЖЖЖ-АА-КК): ",
        "Сәйкессіздік сомасы (Enter: бос): ",
        "Валюта [KZT]: ",
        "Кім ұсынды (өзін-өзі ұсыну, партия, қоғамдық бірлестік) (Enter: бос): ",
        "Комиссия көрсеткен себеп (Enter: бос): ",
        "Ескертпе (Enter: бос): ",
        "Осы істі сақтау керек пе? [И/ж]: ",
    ):
        assert prompt in result.stderr, prompt
    assert "'бас тарту' шешімі тіркеуден бас тарту (refused) да" in result.stderr  # asked again
    assert result.stderr.count("Шешім (тіркеуден бас тарту / тіркеудің күшін жою): ") == 2
    assert "Decision" not in result.stderr and "Save" not in result.stderr


def test_show_history_summary_and_import_counts_in_russian(run, tmp_path):
    run(
        *ADD,
        "--candidate",
        "Тулесова Асья",
        "--decision",
        "cancelled",
        "--decided-on",
        "2016-03-20",
        "--amount",
        "0.78",
    )
    run(
        "district",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "1",
        "--seats",
        "1",
        "--candidates",
        "2",
    )
    shown = run("--lang", "ru", "case", "show", "1").stdout
    lines = [" ".join(line.split()) for line in shown.splitlines()]
    assert "Решение отмена регистрации" in lines and "Итог обжалования не обжаловано" in lines
    history = run("--lang", "ru", "case", "history", "1").stdout
    assert "Когда (UTC)" in history and "добавлено: дело 1: Тулесова Асья" in history
    summary = run("--lang", "ru", "summary").stdout
    assert "итого" in summary and "безальт.: безальтернативный округ" in summary
    path = tmp_path / "c.csv"
    path.write_text(
        "Выборы,Регион,Округ,Кандидат,Решение,Дата решения\n2016 maslikhat,Almaty,1,Б,снят,20.03.2016\n"
    )
    assert run("--lang", "ru", "import", "cases", str(path)).stdout == (
        "добавлено: 1, обновлено: 0, без изменений: 0, отклонено: 0\n"
    )


MACHINE = [
    ("case", "list", "--format", "csv"),
    ("case", "list", "--format", "json"),
    ("case", "show", "1", "--format", "csv"),
    ("case", "show", "1", "--format", "json"),
    ("appeal", "list", "--format", "csv"),
    ("appeal", "list", "--format", "json"),
    ("district", "list", "--format", "csv"),
    ("district", "list", "--format", "json"),
    ("region", "list", "--format", "csv"),
    ("region", "list", "--format", "json"),
    ("election", "list", "--format", "csv"),
    ("election", "list", "--format", "json"),
    ("case", "history", "1", "--format", "csv"),
    ("case", "history", "1", "--format", "json"),
    ("export", "cases", "--format", "csv"),
    ("export", "cases", "--format", "json"),
    ("export", "cases", "--format", "csv", "--redact"),
    *(
        ("summary", "--by", by, "--format", fmt)
        for by in ("district", "region", "election")
        for fmt in ("csv", "json")
    ),
]

RECORDS = (
    "election,region,district,candidate,decision,decided_on,discrepancy_amount,currency,reason,"
    "appeal_court,appeal_instance,appeal_filed_on,appeal_decided_on,appeal_outcome,district_seats,district_candidates\n"
    "2016 maslikhat,СКО,Округ №5,Нистолы Марина,refused,2016-03-10,83,KZT,счета,Суд СКО,first,2016-03-12,2016-03-15,upheld,1,4\n"
    "2016 maslikhat,СКО,Округ №5,Иванов,cancelled,2016-03-11,1234.56,KZT,,,,,,,1,4\n"
    "2016 maslikhat,Almaty,Округ 2,Тулесова Асья,cancelled,2016-03-20,0.78,KZT,rounding,Суд,first,2016-03-21,,pending,1,2\n"
)


def test_machine_formats_are_the_same_bytes_in_every_language(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(RECORDS, encoding="utf-8")
    assert run("import", "cases", str(path)).exit_code == 0
    for command in MACHINE:
        outputs = {language: run("--lang", language, *command) for language in ("en", "ru", "kk")}
        assert {result.exit_code for result in outputs.values()} == {0}, command
        assert outputs["en"].stdout_bytes == outputs["ru"].stdout_bytes == outputs["kk"].stdout_bytes, command


def test_the_views_hold_the_same_rows_whatever_the_language_that_wrote_them(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(RECORDS, encoding="utf-8")
    views = {}
    for language in ("en", "ru", "kk"):
        database = tmp_path / f"{language}.db"
        assert run("--db", str(database), "--lang", language, "import", "cases", str(path)).exit_code == 0
        conn = sqlite3.connect(database)
        views[language] = [
            conn.execute(f"SELECT * FROM {view} ORDER BY 1, 2, 3").fetchall()
            for view in (
                "case_overview",
                "district_competition",
                "region_competition",
                "election_competition",
            )
        ]
        conn.close()
    assert views["en"] == views["ru"] == views["kk"]


def test_the_report_speaks_the_language_and_writes_numbers_and_dates_as_it_does(run, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(RECORDS, encoding="utf-8")
    assert run("import", "cases", str(path)).exit_code == 0
    english = run("report").stdout
    russian = run("--lang", "ru", "report").stdout
    kazakh = run("--lang", "kk", "report", "--format", "markdown").stdout
    assert '<html lang="en">' in english and '<html lang="ru">' in russian
    assert "1,234.56 ₸" in english and "2016-03-11" in english
    assert "1\u00a0234,56\u00a0₸" in russian and "11.03.2016" in russian and "50,0\u00a0%" in russian
    assert "Кандидаты, снятые из-за расхождений в декларациях" in russian
    assert "3 кандидатам отказано в регистрации или отменена регистрация" in russian
    assert kazakh.startswith("# Декларациядағы сәйкессіздіктер үшін алынған кандидаттар\n")
    assert "| **барлығы** |" in kazakh


def test_typers_usage_errors_read_in_the_language(run):
    assert run("--lang", "kk", "summary", "--by", "x").stderr.splitlines()[-1] == (
        "Қате: '--by' мәні жарамсыз: 'x' тізімде жоқ: 'district', 'region', 'election'."
    )
    assert run("--lang", "ru", "case", "show", "x").stderr.splitlines()[-1] == (
        "Ошибка: Недопустимое значение 'ID': нужно целое число"
    )
    assert (
        run("--lang", "ru", "summary", "--nope").stderr.splitlines()[-1]
        == "Ошибка: Нет такого параметра: --nope"
    )
