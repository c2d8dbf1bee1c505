"""The catalog's JSON Schema, generated from the pydantic models.

`python -m mlpath.schema` rewrites data/resources.schema.json; a test fails when the
committed file no longer matches the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from mlpath.models import Catalog


def catalog_json_schema() -> dict[str, Any]:
    schema = Catalog.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render() -> str:
    return json.dumps(catalog_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("data/resources.schema.json")
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
