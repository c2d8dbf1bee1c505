"""What marks a file as an mlpath export, and the newest version of it this mlpath writes.

Its own module so that writing exports (mlpath.transfer) and reading them back
(mlpath.import_file, with pydantic) share it without importing each other.
"""

from __future__ import annotations

FORMAT_MARKER = "mlpath-export"
# 2 adds each change's clock and unit, and the units; 1 is still read.
EXPORT_VERSION = 2
READABLE_VERSIONS = (1, 2)
