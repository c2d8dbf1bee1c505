"""What every Typer command shares: the run's state, output streams, JSON and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer

from mlpath.catalog import catalog_path
from mlpath.text import (
    console,
    echo,
    echo_json,
    resolve_lang,
    stdout_is_terminal,
    write_out,
)
from mlpath.workspace import Workspace


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


__all__ = [
    "State",
    "console",
    "echo",
    "echo_json",
    "state",
    "stdout_is_terminal",
    "write_out",
]
