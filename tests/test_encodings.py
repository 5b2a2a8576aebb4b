"""Which encoding a file is read in: UTF-8 is never demoted for a bad byte, and the three
single-byte code pages offices use (Windows-1251, KZ-1048, PT154) are told apart by the letters."""

from __future__ import annotations

import pytest

HEADER = "election,region,district,candidate,decision,decided_on,notes\n"
ROW = "2016 maslikhat,Almaty,Өскемен округ №7,Қасымова Әлия Ғабитқызы,refused,2016-03-01,Ұлы Үй Һ і ң\n"


def write(path, data: bytes):
    path.write_bytes(data)
    return str(path)


def cases(run) -> str:
    result = run("case", "list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("codec, label", [("ptcp154", "pt154"), ("kz1048", "kz-1048"), ("utf-8", "utf-8")])
def test_each_kazakh_code_page_is_found_and_reads_every_letter(run, tmp_path, codec, label):
    source = write(tmp_path / "c.csv", (HEADER + ROW).encode(codec))
    result = run("import", "cases", source)
    assert (result.exit_code, result.stderr) == (0, f"encoding: {label}\n")
    assert "Қасымова Әлия Ғабитқызы" in cases(run) and "Ұлы Үй Һ і ң" in cases(run)


def test_russian_in_windows_1251_stays_windows_1251(run, tmp_path):
    row = "2016 maslikhat,Almaty,округ 7,Иванова Ольга,refused,2016-03-01,примечание «ок» №5\n"
    result = run("import", "cases", write(tmp_path / "c.csv", (HEADER + row).encode("cp1251")))
    assert (result.exit_code, result.stderr) == (0, "encoding: windows-1251\n")
    assert "примечание «ок» №5" in cases(run)


@pytest.mark.parametrize("bad, byte", [(b"\xff", "0xFF"), (b"\xed\xa0\x80", "0xED")])  # a lone surrogate
def test_utf8_with_a_bad_byte_is_refused_naming_line_and_byte(run, tmp_path, db_path, bad, byte):
    data = (HEADER + ROW).encode("utf-8").replace("Һ".encode(), bad)
    before = db_path.read_bytes()
    result = run("import", "cases", write(tmp_path / "c.csv", data))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "encoding: utf-8",
        f"line 2: notes: byte {byte} is not utf-8 text; name the file's encoding with --encoding",
    ]
    assert db_path.read_bytes() == before


def test_a_file_no_code_page_reads_as_russian_or_kazakh_is_refused(run, tmp_path, db_path):
    # Serbian letters, which every single-byte page reads as some letter no Kazakh text has.
    data = (HEADER + "2016 maslikhat,Almaty,округ 7,Ђорђе Џаџа,refused,2016-03-01,\n").encode("cp1251")
    before = db_path.read_bytes()
    result = run("import", "cases", write(tmp_path / "c.csv", data))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: c.csv: line 2: the encoding is unclear: read as windows-1251 it holds Ђ Џ ђ џ, "
        "letters no Russian or Kazakh text has; name it with --encoding\n"
    )
    assert db_path.read_bytes() == before
    given = run("import", "cases", str(tmp_path / "c.csv"), "--encoding", "windows-1251")
    assert given.exit_code == 0 and "Ђорђе Џаџа" in cases(run)
