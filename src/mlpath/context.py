"""What one command run works with: its streams, its language, its workspace."""

from __future__ import annotations

import time

from mlpath.catalog import catalog_path
from mlpath.i18n import N_
from mlpath.language import resolve_lang

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from mlpath.argv import Values
    from mlpath.catalog_cache import Watch
    from mlpath.output.env import Environment
    from mlpath.workspace import Workspace


class Context:
    """Global options resolved once; the workspace opened on first use."""

    __slots__ = (
        "_lang",
        "_workspace",
        "as_json",
        "catalog_option",
        "env",
        "label",
        "lang_option",
    )

    def __init__(
        self,
        env: Environment,
        global_values: Values,
        label: str | None = None,
        as_json: bool = False,
    ) -> None:
        self.env = env
        self.label = label  # what the history calls this command's changes
        self.as_json = as_json  # the output is JSON: nothing else on the terminal
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
            # A first build of a big catalog's cache shows how far it is.
            self._workspace.watch = self.progress(N_("Preparing the catalog"), time.monotonic())
        return self._workspace

    def progress(self, label: str, since: float | None = None) -> Watch:
        """A bar on stderr, titled `label` (a message marked with N_), for long work once
        it passes `AFTER` seconds from `since` (the work's start, by time.monotonic; by
        default its first step): at a terminal only, never with --json."""

        def watch(steps: Iterable[Any], total: int) -> Iterator[Any]:
            from mlpath.i18n import _
            from mlpath.output import progress_bar

            stream, after = self.env.stderr, progress_bar.AFTER
            return progress_bar.tracked(steps, total, _(label), stream, self.as_json, after, since)

        return watch

    def close(self, failed: bool = False) -> None:
        """Close the workspace: commit what the command changed, or with `failed` not."""
        if self._workspace is not None:
            workspace, self._workspace = self._workspace, None
            workspace.close(failed)
