"""The schema: one source, recorded versions, migrations that keep every row, packaging."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dereg import db, migrations
from dereg.cases import CASE_COLUMNS
from dereg.summary import COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def columns(conn: sqlite3.Connection, table: str) -> list[tuple]:
    return [row[1:] for row in conn.execute(f"PRAGMA table_xinfo({table})")]


def layout(conn: sqlite3.Connection) -> dict:
    """Tables by their columns, and indexes, views and triggers by name: the schema's shape."""
    names = conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name").fetchall()
    return {(kind, name): columns(conn, name) if kind in ("table", "view") else None for kind, name in names}


def table_definitions(conn: sqlite3.Connection) -> dict[str, str]:
    """Each table's CREATE TABLE as stored, CHECKs and all; a rename quotes the name: unquote it."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name: sql.replace(f'CREATE TABLE "{name}"', f"CREATE TABLE {name}", 1) for name, sql in rows}


def test_views_have_exactly_the_contract_columns(db_path):
    conn = db.connect(db_path)
    # The contract's columns, then the amounts as exact numbers for SQL users.
    assert [c[0] for c in columns(conn, "case_overview")] == [*CASE_COLUMNS, "discrepancy_minor"]
    assert [c[0] for c in columns(conn, "district_competition")] == list(COLUMNS["district"])
    assert [c[0] for c in columns(conn, "region_competition")] == [
        *COLUMNS["region"],
        "median_discrepancy_tiyn",
    ]
    assert [c[0] for c in columns(conn, "election_competition")] == [
        *COLUMNS["election"],
        "median_discrepancy_tiyn",
    ]


def test_amounts_in_the_views_sort_and_compare_as_exact_numbers(run, db_path):
    for name, amount in (("A", "959"), ("B", "95480,25"), ("C", "0.78"), ("D", "492201145.17")):
        assert run("case", "add", "--election", "2016 maslikhat", "--region", "Almaty", "--district", "okrug 1",
                   "--candidate", name, "--decision", "refused", "--decided-on", "2016-03-01",
                   "--amount", amount).exit_code == 0  # fmt: skip
    conn = db.connect(db_path)
    assert conn.execute("SELECT max(discrepancy_minor) FROM case_overview").fetchone() == (49220114517,)
    under_100_tenge = "SELECT candidate FROM case_overview WHERE discrepancy_minor < 100 * 100"
    assert conn.execute(under_100_tenge).fetchall() == [("C",)]
    by_amount = "SELECT candidate FROM case_overview ORDER BY discrepancy_minor"
    assert [name for (name,) in conn.execute(by_amount)] == ["C", "A", "B", "D"]
    # (959 + 95480.25) / 2 = 48219.625: the half tiyn rounds up
    median = "SELECT median_discrepancy_tiyn, median_discrepancy_kzt FROM region_competition"
    assert conn.execute(median).fetchone() == (4821963, "48219.63")


def test_init_records_the_version_and_is_idempotent(run, db_path):
    first = run("init")
    assert (first.exit_code, first.stdout) == (
        0,
        f"{db_path}: ready (schema version {migrations.SCHEMA_VERSION})\n",
    )
    conn = sqlite3.connect(db_path)
    before = layout(conn), conn.execute("SELECT count(*) FROM region_aliases").fetchone()
    assert run("init").exit_code == 0
    assert (layout(conn), conn.execute("SELECT count(*) FROM region_aliases").fetchone()) == before
    assert conn.execute("PRAGMA user_version").fetchone() == (migrations.SCHEMA_VERSION,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("SELECT count(*) FROM regions").fetchone() == (20,)  # every region since 2004


def test_a_version_1_database_with_data_migrates_row_for_row(tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((ROOT / "tests" / "data" / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.executescript(
        """
        INSERT INTO currencies VALUES ('KZT', 2), ('USD', 2);
        INSERT INTO regions VALUES (1, 'North Kazakhstan', 'oblast'), (2, 'Almaty', 'city');
        INSERT INTO region_aliases VALUES ('north kazakhstan', 'North Kazakhstan', 1),
                                          ('almaty', 'Almaty', 2);
        INSERT INTO elections VALUES (1, '2016 maslikhat', '2016 maslikhat');
        INSERT INTO districts VALUES (1, 1, 1, 'oblast maslikhat', 'oblast maslikhat', 1, 3, 'oblast'),
                                     (2, 1, 2, 'city maslikhat', 'city maslikhat', NULL, NULL, NULL);
        INSERT INTO cases VALUES
            (1, 1, 'Nistoly Marina', 'nistoly marina', 'self', 'refused', '2016-03-20',
             'child-benefit accounts', 8300, 'KZT', NULL),
            (2, 2, 'Тулесова Асья', 'тулесова асья', 'self', 'cancelled', '2016-03-20',
             'rounding', 78, 'KZT', 'USD 18.73 dismissed');
        INSERT INTO appeals VALUES (1, 1, 'SKO court', 'first', NULL, 'upheld', NULL, NULL);
        PRAGMA application_id = 1684370023;
        PRAGMA user_version = 1;
        """
    )
    tables = ("elections", "districts", "appeals", "regions")
    before = {table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in tables}
    old_cases = conn.execute("SELECT * FROM cases ORDER BY id").fetchall()
    conn.close()

    migrated = db.connect(old)
    assert migrated.execute("PRAGMA user_version").fetchone() == (migrations.SCHEMA_VERSION,)
    for table in tables:  # regions gain the rest of the shipped table and their spans, ids kept
        after = migrated.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        assert [row[: len(before[table][0])] for row in after[: len(before[table])]] == before[table]
    rows = migrated.execute(
        "SELECT id, district_id, candidate, candidate_key, nominated_by, decision, decided_on, "
        "reason, amount_minor, currency, notes FROM cases ORDER BY id"
    ).fetchall()
    assert rows == old_cases
    # The new column is filled, so --search finds the old cases, Cyrillic included.
    assert migrated.execute("SELECT id FROM cases WHERE instr(search, 'тулесова')").fetchall() == [(2,)]
    fresh = db.connect(tmp_path / "fresh.db")
    assert layout(migrated) == layout(fresh)
    assert table_definitions(migrated) == table_definitions(fresh)  # schema.sql's CHECKs, not v1's
    assert migrated.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_version_6_database_keeps_deleted_ids_deleted(tmp_path, run):
    """Before version 7 a deleted case's id could come back; the audit log remembers it."""
    path = tmp_path / "v6.db"
    db.connect(path).close()
    for name in "ABC":
        run(
            "--db",
            str(path),
            "case",
            "add",
            "--election",
            "2016 maslikhat",
            "--region",
            "Almaty",
            "--district",
            "okrug 1",
            "--candidate",
            name,
            "--decision",
            "refused",
            "--decided-on",
            "2016-03-01",
        )
    assert run("--db", str(path), "case", "delete", "3", "--yes").exit_code == 0
    conn = sqlite3.connect(path)  # as version 6 left it: no sequence remembering case 3
    conn.execute("DELETE FROM sqlite_sequence")
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    added = run(
        "--db",
        str(path),
        "case",
        "add",
        "--election",
        "2016 maslikhat",
        "--region",
        "Almaty",
        "--district",
        "okrug 1",
        "--candidate",
        "D",
        "--decision",
        "refused",
        "--decided-on",
        "2016-03-01",
    )
    assert added.stdout == "4\n"


def test_every_migration_step_is_numbered_up_to_the_current_version():
    assert sorted(migrations.MIGRATIONS) == list(range(2, migrations.SCHEMA_VERSION + 1))


def test_schema_sql_in_the_package_is_the_repository_one():
    assert migrations.schema_sql() == (ROOT / "schema.sql").read_text(encoding="utf-8")


def test_python_dash_m_dereg_is_the_same_program(tmp_path):
    env = {**os.environ, "DEREG_DB": str(tmp_path / "x.db")}
    db.connect(tmp_path / "x.db").close()
    version = subprocess.run(
        [sys.executable, "-m", "dereg", "--version"], capture_output=True, text=True, env=env, check=True
    )
    assert version.stdout.startswith("dereg ")
    result = subprocess.run(
        [sys.executable, "-m", "dereg", "case", "show", "5"], capture_output=True, text=True, env=env
    )
    assert (result.returncode, result.stderr) == (1, "Error: no case with id 5\n")


@pytest.fixture(scope="module")
def wheel_install(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel built from this tree, and the folder it is installed in, apart from the tree."""
    where = tmp_path_factory.mktemp("wheel")
    # A copy without build/: setuptools would put a stale build/lib's modules in the wheel.
    source = where / "source"
    skipped = shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")
    shutil.copytree(ROOT, source, symlinks=True, ignore=skipped)
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(where / "wheel"), str(source)], check=True)
    [wheel] = (where / "wheel").glob("dereg-*.whl")
    target = where / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return wheel, target


@pytest.mark.slow
def test_a_non_editable_install_carries_the_schema_and_regions(tmp_path, wheel_install):
    """Build the wheel, install it apart from the source tree, and run it from elsewhere."""
    wheel, target = wheel_install
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("dereg/schema.sql").decode() == (ROOT / "schema.sql").read_text(encoding="utf-8")
        assert archive.read("dereg/data/regions.csv")
        assert archive.read("dereg/data/words.csv")
        for language in ("ru", "kk"):
            assert archive.read(f"dereg/locale/{language}/LC_MESSAGES/dereg.mo")
    env = {**os.environ, "PYTHONPATH": str(target), "DEREG_DB": str(tmp_path / "w.db")}
    where = subprocess.run(
        [sys.executable, "-c", "import dereg; print(dereg.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    init = subprocess.run(
        [sys.executable, "-m", "dereg", "init"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert init.returncode == 0, init.stderr
    region = subprocess.run(
        [sys.executable, "-m", "dereg", "region", "list", "-f", "csv"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert "North Kazakhstan" in region.stdout
    russian = subprocess.run(
        [sys.executable, "-m", "dereg", "--lang", "ru", "case", "show", "7"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert russian.stderr == "Ошибка: дела с номером 7 нет\n"


# Run apart from the source tree (argv[1]): its folder off sys.path and the editable install's
# finder gone, import every module of every package (__main__ is only found: importing it runs
# dereg) and print each with the file it came from.
IMPORT_EVERY_MODULE = """
import importlib, importlib.util, os, pkgutil, sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path[:] = [p for p in sys.path if not os.path.realpath(p or ".").startswith(sys.argv[1])]
import dereg
def fail(name):
    raise SystemExit(f"{name} cannot be imported")
for module in [None, *pkgutil.walk_packages(dereg.__path__, "dereg.", onerror=fail)]:
    name = module.name if module else "dereg"
    if name.endswith(".__main__"):
        print(name, importlib.util.find_spec(name).origin)
    else:
        print(name, importlib.import_module(name).__file__)
"""


@pytest.mark.slow
def test_the_wheel_imports_every_module_without_the_source_tree(tmp_path, wheel_install):
    """A package left out of pyproject's list, or a module that needs the tree, fails here."""
    _, target = wheel_install
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE, str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    imported = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert all(Path(file).is_relative_to(target) for file in imported.values()), imported
    in_tree = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "dereg").rglob("*.py")
    )
    assert sorted(imported) == in_tree


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("decided_on", "2016-02-31"),
        ("decided_on", "20.03.2016"),
        ("decision", "withdrawn"),
        ("amount_minor", -1),
    ],
)
def test_the_schema_refuses_what_the_tool_would_never_write(run, db_path, column, value):
    """A backstop for rows written behind dereg's back, e.g. with the sqlite3 shell."""
    run(
        "case",
        "add",
        "--election",
        "e",
        "--region",
        "NKO",
        "--district",
        "d",
        "--candidate",
        "c",
        "--decision",
        "refused",
        "--decided-on",
        "2016-02-29",
    )
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute(f"UPDATE cases SET {column} = ?", (value,))
