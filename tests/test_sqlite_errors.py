"""What SQLite said went wrong, in the reader's language: the result codes people meet
in mlpath's words, SQLite's own text kept only where it names something."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlpath import i18n
from mlpath.sqlite_errors import sqlite_reason


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.activate("zh")
    yield
    i18n.activate("en")


def failure(path: Path, sql: str) -> sqlite3.DatabaseError:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    except sqlite3.DatabaseError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("no failure")


def test_a_file_that_is_no_database_is_said_in_our_words(tmp_path: Path, chinese: None) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    exc = failure(path, "SELECT * FROM sqlite_master")
    assert str(exc) == "file is not a database"
    assert sqlite_reason(exc) == "这个文件不是数据库"


def test_a_broken_rule_keeps_sqlites_words_for_the_rule(tmp_path: Path) -> None:
    exc = failure(
        tmp_path / "x.db", "CREATE TABLE t (n INTEGER CHECK (n > 0)); INSERT INTO t VALUES (0)"
    )
    assert sqlite_reason(exc) == (
        "a row breaks a rule of the database (SQLite: CHECK constraint failed: n > 0)"
    )


def test_an_error_without_a_code_is_sqlites_text_said_to_be_sqlites(chinese: None) -> None:
    exc = sqlite3.DatabaseError("no such table: changes")
    assert sqlite_reason(exc) == "SQLite 报告：no such table: changes"
