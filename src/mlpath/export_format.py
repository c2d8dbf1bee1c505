"""What marks a file as an mlpath export, and the newest version of it this mlpath writes.

Its own module so that writing exports (mlpath.exporting) and reading them back
(mlpath.import_file, with pydantic) share it without importing each other.
"""

from __future__ import annotations

FORMAT_MARKER = "mlpath-export"
# 2 adds each change's clock and unit, and the units; 3 adds definitions (own
# resources and parts, the goal). Every version is still read.
EXPORT_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)
