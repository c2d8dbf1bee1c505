"""What the operating system said went wrong, in the reader's language.

Real failures through the command line (a path through a file, a directory this user
cannot write): with --lang zh the whole line is Chinese, the system's reason included;
in English it reads as the C library says it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Result, Run
from mlpath import i18n
from mlpath.os_errors import os_reason
from test_zh_every_command import ALLOWED, english_words


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A directory this user cannot create a file in: one without write permission, or
    for root (whom permissions do not stop) sysfs, which refuses new files to anyone."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        yield locked
        locked.chmod(0o700)
        return
    try:
        with open("/sys/mlpath-probe", "w"):
            pass
    except PermissionError:
        yield Path("/sys")
        return
    except OSError:
        pass
    pytest.skip("no directory here refuses root a new file with EACCES")


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A regular file where a directory is wanted."""
    path = tmp_path / "file"
    path.write_text("", encoding="utf-8")
    return path


def said_in_chinese(result: Result) -> str:
    """The error line, after checking it holds no English word of mlpath's."""
    assert result.exit_code == 1
    assert english_words(result.stderr, set(ALLOWED)) == set(), result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("folder", "chinese", "english"),
    [
        ("blocker", "路径中有一项不是目录", "Not a directory"),
        ("unwritable", "没有权限", "Permission denied"),
    ],
)
def test_an_export_the_system_refuses_is_said_in_chinese(
    run: Run,
    mini_catalog: Path,
    request: pytest.FixtureRequest,
    folder: str,
    chinese: str,
    english: str,
) -> None:
    target = request.getfixturevalue(folder) / "progress.json"
    shown = said_in_chinese(run("--lang", "zh", "export", "-o", str(target)))
    assert shown == f"mlpath: 无法写入 {target}：{chinese}\n"
    assert run("export", "-o", str(target)).stderr == f"mlpath: cannot write {target}: {english}\n"
    assert not target.exists()


def test_a_data_directory_under_a_file_is_said_in_chinese(
    run: Run, mini_catalog: Path, blocker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLPATH_HOME", str(blocker / "home"))
    shown = said_in_chinese(run("--lang", "zh", "done", "alpha"))
    assert shown == (
        f"mlpath: 无法在 {blocker}/home 创建进度存储：路径中有一项不是目录；"
        "请把 MLPATH_HOME 设为可写的目录\n"
    )


def test_a_page_folder_that_cannot_be_made_is_said_in_chinese(
    run: Run, mini_catalog: Path, blocker: Path
) -> None:
    folder = blocker / "page"
    shown = said_in_chinese(run("--lang", "zh", "share", "-o", str(folder)))
    assert shown == f"mlpath: 无法创建 {folder}：路径中有一项不是目录\n"
    shown = said_in_chinese(run("--lang", "zh", "share", "-o", str(blocker)))
    assert shown == f"mlpath: {blocker} 是一个文件——请为页面指定一个目录\n"


def test_an_errno_without_words_of_mlpath_keeps_the_systems_text() -> None:
    i18n.activate("zh")
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    # ENOLINK: no message of mlpath's meets it; the system's words beat none.
    assert os_reason(OSError(errno.ENOLINK, "Link has been severed")) == "Link has been severed"
    assert os_reason(OSError("no errno at all")) == "no errno at all"
    i18n.activate("en")
    assert os_reason(OSError(errno.ENOSPC, "whatever the system says")) == (
        "No space left on device"
    )
