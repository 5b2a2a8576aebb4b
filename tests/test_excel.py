"""`export cases --excel`: what Excel and LibreOffice open by double-click, letters intact and
amounts as numbers, that the import still reads back exactly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dereg.csvio.export import export_cases, spreadsheet_dialect
from dereg.db import connect

CASES = (
    ("Қасымова Әйгерім Нұрланқызы", "0.78", "Бюджетные счета; не указаны"),
    ('=HYPERLINK("http://example.org","x")', "1 234 567,89", "-5 tenge, then +3"),
    ("Ким Ә.", "83", "@SUM(A1)"),
)


@pytest.fixture
def recorded(run, db_path):
    for candidate, amount, reason in CASES:
        result = run(
            "case", "add", "--election", "2016 maslikhat", "--region", "ВКО", "--district", "Округ № 7",
            "--candidate", candidate, "--decision", "refused", "--decided-on", "01.03.2016",
            "--amount", amount, "--reason", reason, "--no-input",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    return db_path


def excel_file(db: Path, out: Path, language: str) -> Path:
    with connect(db) as conn, open(out, "w", encoding="utf-8-sig", newline="") as file:
        export_cases(conn, file, "csv", excel=language)
    return out


def test_the_dialect_follows_the_interface_language():
    assert spreadsheet_dialect() == (",", ".")
    assert spreadsheet_dialect("en") == (",", ".")
    assert spreadsheet_dialect("ru") == (";", ",")
    assert spreadsheet_dialect("kk") == (";", ",")


def test_excel_export_has_a_bom_and_crlf_and_reads_back_exactly(run, recorded, tmp_path, monkeypatch):
    # The office column names the office that recorded a case; an import records them in its own.
    assert run("init", "--office", "Almaty legal aid").exit_code == 0
    result = run("export", "cases", "--excel", "-o", str(tmp_path / "excel.csv"))
    assert result.exit_code == 0, result.stderr
    data = (tmp_path / "excel.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,election,") and data.count(b"\r\n") == 4

    def plain_export() -> bytes:
        out = tmp_path / "plain.csv"
        assert run("export", "cases", "-o", str(out)).exit_code == 0
        return out.read_bytes()

    plain = plain_export()
    assert data[3:] == plain  # in English, the plain export with a BOM
    for language in ("en", "ru"):
        source = excel_file(recorded, tmp_path / f"{language}.csv", language)
        monkeypatch.setenv("DEREG_DB", str(tmp_path / f"again-{language}.db"))
        assert run("init", "--office", "Almaty legal aid").exit_code == 0
        loaded = run("import", "cases", str(source))
        assert loaded.exit_code == 0, loaded.stderr
        assert plain_export() == plain, language
        monkeypatch.setenv("DEREG_DB", str(recorded))


def test_the_russian_file_uses_semicolons_and_decimal_commas(recorded, tmp_path):
    text = excel_file(recorded, tmp_path / "ru.csv", "ru").read_text(encoding="utf-8-sig")
    assert text.startswith("id;election;region;")
    assert ";0,78;KZT;" in text and ";1234567,89;KZT;" in text
    assert "'=HYPERLINK" in text


def test_excel_is_csv_only(run, recorded):
    result = run("export", "cases", "--excel", "--format", "json")
    assert result.exit_code == 2 and result.stderr == "Error: --excel writes CSV: leave out --format json\n"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (libreoffice-calc-nogui)"
)
@pytest.mark.parametrize("language, filter_options", [("en", "CSV:44,34,,1"), ("ru", "CSV:59,34,,1,,1049")])
def test_libreoffice_opens_it_with_letters_intact_and_amounts_as_numbers(
    recorded, tmp_path, language, filter_options
):
    """Converted headless as a user's double-click opens it (the character set left to the BOM;
    for Russian, a Russian locale), then read back cell by cell."""
    openpyxl = pytest.importorskip("openpyxl")
    source = excel_file(recorded, tmp_path / f"{language}.csv", language)
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
         f"--infilter={filter_options}", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheet = openpyxl.load_workbook(tmp_path / "out" / f"{language}.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    cells = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [row["candidate"] for row in cells] == [
        "Қасымова Әйгерім Нұрланқызы",
        '\'=HYPERLINK("http://example.org","x")',  # text, never a formula
        "Ким Ә.",
    ]
    assert [row["discrepancy_amount"] for row in cells] == [0.78, 1234567.89, 83]
    assert all(isinstance(row["discrepancy_amount"], int | float) for row in cells)
    assert [row["reason"] for row in cells][1:] == ["'-5 tenge, then +3", "'@SUM(A1)"]
    assert cells[0]["district"] == "Округ № 7"
    formulas = openpyxl.load_workbook(tmp_path / "out" / f"{language}.xlsx").active
    assert not any(str(c.value).startswith("=") for row in formulas.iter_rows() for c in row)
