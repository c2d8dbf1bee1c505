"""What every Typer command shares: the run's state, output streams, JSON and errors."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mlpath.actions import dumps
from mlpath.catalog import catalog_path
from mlpath.lang import resolve_lang
from mlpath.workspace import Workspace

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class State:
    """Global options, resolved once per run."""

    catalog_option: Path | None = None
    lang_option: str | None = None
    _workspace: Workspace | None = field(default=None, repr=False)

    @property
    def lang(self) -> str:
        return resolve_lang(self.lang_option)

    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace(catalog_path(self.catalog_option))
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
        root.call_on_close(root.obj.close)
    return root.obj


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def echo(text: str) -> None:
    if text:
        sys.stdout.write(text + "\n")


def echo_json(data: object) -> None:
    sys.stdout.write(dumps(data) + "\n")
