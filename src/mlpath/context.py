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

    __slots__ = ("_lang", "_workspace", "catalog_option", "env", "label", "lang_option")

    def __init__(self, env: Environment, global_values: Values, label: str | None = None) -> None:
        self.env = env
        self.label = label  # what the history calls this command's changes
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
            self._workspace.unit_label = self.label
        return self._workspace

    def close(self, failed: bool = False) -> None:
        """Close the workspace: commit what the command changed, or with `failed` not."""
        if self._workspace is not None:
            workspace, self._workspace = self._workspace, None
            workspace.close(failed)
