"""What one command run works with: its streams, its language, its workspace."""

from __future__ import annotations

from mlpath.catalog import catalog_path
from mlpath.language import resolve_lang

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.output.env import Environment
    from mlpath.workspace import Workspace


class Context:
    """Global options resolved once; the workspace opened on first use."""

    __slots__ = ("_lang", "_workspace", "catalog_option", "env", "lang_option")

    def __init__(self, env: Environment, global_values: Values) -> None:
        self.env = env
        self.catalog_option = global_values.text("catalog")
        self.lang_option = global_values.text("lang")
        self._lang: str | None = None
        self._workspace: Workspace | None = None

    @property
    def lang(self) -> str:
        if self._lang is None:
            self._lang = resolve_lang(self.lang_option)
        return self._lang

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from mlpath.workspace import Workspace

            self._workspace = Workspace(catalog_path(self.catalog_option))
        return self._workspace

    def close(self, failed: bool = False) -> None:
        """Close the workspace: commit what the command changed, or with `failed` not."""
        if self._workspace is not None:
            workspace, self._workspace = self._workspace, None
            workspace.close(failed)
