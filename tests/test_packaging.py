"""The wheel as users get it: built from this checkout, installed into a fresh venv.

No network: the wheel is built with this interpreter's hatchling, and the new venv
borrows this interpreter's installed dependencies through a `.pth` line. That line adds
the directory to sys.path without processing the `.pth` files inside it, so the
editable install of mlpath stays out of the new venv: mlpath there comes from the
wheel alone, which is asserted rather than assumed.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any, cast

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "data" / "resources.json"
# Building, creating a venv and installing on a slow, shared machine.
TIMEOUT = 600.0


def run(command: list[str | Path], cwd: Path | None = None, **env: str) -> str:
    """Run `command`, which must succeed; its stdout.

    The environment is this one with `env` added, minus anything that would let the
    new venv find mlpath elsewhere than in the wheel (PYTHONPATH, a test's catalog).
    """
    dropped = ("PYTHONPATH", "PYTHONHOME", "MLPATH_CATALOG", "MLPATH_NO_FAST_PATH")
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(NO_COLOR="1", PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **env)
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run([*pip_wheel, "--no-index", "-w", dist, ROOT])
    (built,) = dist.glob("mlpath-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh venv with the wheel installed; its dependencies borrowed from this one."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    purelib = Path(
        run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip()
    )
    assert purelib.is_relative_to(venv)
    (purelib / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # The borrowed directory holds the editable install: not importable through a path line.
    probe = "import importlib.util as u; print(u.find_spec('mlpath.cli'))"
    assert run([python, "-c", probe], cwd=venv) == "None\n"
    # --ignore-installed: never touch (uninstall) the borrowed editable install.
    install: list[str | Path] = ["install", "--no-deps", "--no-index", "--ignore-installed", wheel]
    run([python, "-m", "pip", *install], cwd=venv)
    return venv


def bundled_version() -> str:
    tree = ast.parse((ROOT / "src" / "mlpath" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__version__":
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError("src/mlpath/__init__.py sets no __version__")


def path_order_ids() -> list[str]:
    """data/resources.json's ids as the path runs: by section, then in file order."""
    catalog = json.loads(CATALOG.read_text(encoding="utf-8"))
    rank = {section["id"]: index for index, section in enumerate(catalog["sections"])}
    resources = sorted(catalog["resources"], key=lambda r: rank[r["section"]])  # stable
    return [r["id"] for r in resources]


def test_wheel_carries_the_catalog_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = archive.read("mlpath/data/resources.json")
    assert shipped == CATALOG.read_bytes()
    assert "mlpath/cli.py" in names and "mlpath/py.typed" in names


def test_installed_mlpath_comes_from_the_wheel(venv: Path) -> None:
    where = run([venv / "bin" / "python", "-c", "import mlpath; print(mlpath.__file__)"])
    assert Path(where.strip()).is_relative_to(venv), where


def test_installed_mlpath_lists_the_bundled_path_from_anywhere(venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    printed = run(
        [venv / "bin" / "mlpath", "list", "--json"],
        cwd=elsewhere,
        MLPATH_HOME=str(tmp_path / "home"),
        MLPATH_CACHE_DIR=str(tmp_path / "cache"),
    )

    assert [r["id"] for r in json.loads(printed)["result"]["resources"]] == path_order_ids()
    assert list(elsewhere.iterdir()) == []
    assert not (tmp_path / "home").exists()


def test_installed_command_starts_mlpath_before_anything_else(venv: Path, tmp_path: Path) -> None:
    # An installer-generated console script imports `re` (and so `enum`) first: more
    # than half a bare Python start, paid by every command, a shell prompt's included.
    command = [str(venv / "bin" / "mlpath"), "next", "--short"]
    env = {**os.environ, "MLPATH_HOME": str(tmp_path / "home"), "PYTHONPROFILEIMPORTTIME": "1"}
    env.pop("MLPATH_CATALOG", None)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT)

    assert result.returncode == 0, result
    assert result.stdout.startswith("▶ "), result.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    before_mlpath = imported[: imported.index("mlpath")]
    assert "re" not in before_mlpath and "enum" not in before_mlpath, before_mlpath


def test_a_windows_build_installs_mlpath_as_an_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A script file is no command on Windows; there the installer makes an .exe for it.
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    metadata: dict[str, object] = {}
    monkeypatch.setattr(hooks.os, "name", "nt")

    hooks.CommandMetadataHook.update(cast(Any, None), metadata)

    assert metadata["scripts"] == {"mlpath": "mlpath.cli:main"}
    module, _, function = "mlpath.cli:main".partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_installed_module_reports_the_version(venv: Path, tmp_path: Path) -> None:
    printed = run([venv / "bin" / "python", "-m", "mlpath", "--version"], cwd=tmp_path)
    assert printed == f"mlpath {bundled_version()}\n"


@pytest.fixture(scope="module")
def unpacked_sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source distribution, built from this checkout and unpacked as a user would."""
    dist = tmp_path_factory.mktemp("sdist")
    run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", dist], cwd=ROOT)
    (archive,) = dist.glob("mlpath-*.tar.gz")
    import tarfile

    with tarfile.open(archive) as tar:
        tar.extractall(dist, filter="data")
    (tree,) = (p for p in dist.iterdir() if p.is_dir())
    return tree


def test_an_unpacked_sdist_runs_from_its_tree(unpacked_sdist: Path, tmp_path: Path) -> None:
    # What an editable install of the unpacked sdist puts on sys.path: its src/.
    listed = run(
        [sys.executable, "-m", "mlpath", "list", "--json"],
        cwd=tmp_path,
        PYTHONPATH=str(unpacked_sdist / "src"),
        MLPATH_HOME=str(tmp_path / "home"),
        MLPATH_CACHE_DIR=str(tmp_path / "cache"),
    )
    assert [r["id"] for r in json.loads(listed)["result"]["resources"]] == path_order_ids()


def test_a_wheel_built_from_the_sdist_carries_the_catalog(
    unpacked_sdist: Path, tmp_path: Path
) -> None:
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    run([*pip_wheel, "--no-index", "-w", tmp_path, unpacked_sdist])
    (built,) = tmp_path.glob("mlpath-*.whl")
    with zipfile.ZipFile(built) as archive:
        assert archive.read("mlpath/data/resources.json") == CATALOG.read_bytes()


def test_wheel_carries_the_message_catalogs(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "mlpath/locale/zh/LC_MESSAGES/mlpath.mo" in names


def test_wheel_carries_the_2025_path_and_the_installed_mlpath_follows_it(
    wheel: Path, venv: Path, tmp_path: Path
) -> None:
    path_2025 = ROOT / "data" / "resources-2025.json"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("mlpath/data/resources-2025.json") == path_2025.read_bytes()
    home = {"MLPATH_HOME": str(tmp_path / "home"), "MLPATH_CACHE_DIR": str(tmp_path / "cache")}
    run([venv / "bin" / "mlpath", "paths", "use", "2025"], cwd=tmp_path, **home)
    printed = run([venv / "bin" / "mlpath", "list", "--json"], cwd=tmp_path, **home)
    listed = {r["id"] for r in json.loads(printed)["result"]["resources"]}
    shipped = json.loads(path_2025.read_text(encoding="utf-8"))["resources"]
    assert listed == {r["id"] for r in shipped}
