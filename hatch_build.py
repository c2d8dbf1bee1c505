"""How the `mlpath` command is installed: a plain script where a shebang works, an
installer-generated launcher (an .exe) on Windows, where a script cannot be a command.

The choice is the building machine's, and a wheel keeps it: one built on Linux or
macOS has no command for Windows. `pip install` builds the wheel where it installs it;
wheels published for everyone would need a Windows build of their own.
"""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

ENTRY_POINT = "mlpath.cli:main"


def windows() -> bool:
    return os.name == "nt"


class CommandMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        metadata["scripts"] = {"mlpath": ENTRY_POINT} if windows() else {}


class CommandBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and not windows():
            build_data["shared_scripts"]["scripts/mlpath"] = "mlpath"
