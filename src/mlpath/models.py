"""Pydantic models of the catalog file: the one definition of what a valid catalog is.

Imported only when a catalog has to be validated (first run, or after the file
changed) and to generate the JSON Schema; everyday commands read the validated
copy kept by :mod:`mlpath.catalog_cache` and never import pydantic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

SCHEMA_VERSION = 1

# Keep in step with mlpath.catalog.KINDS (a test checks that they agree).
Kind = Literal[
    "video",
    "lectures",
    "course",
    "article",
    "book",
    "tutorial",
    "exercises",
    "website",
    "community",
    "cheatsheet",
    "channel",
    "newsletter",
    "publication",
    "guide",
]
Cost = Literal["free", "paid"]

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=40),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_http_url(value: str | None) -> str | None:
    if value is None:
        return None
    scheme, sep, rest = value.partition("://")
    if not sep or scheme not in ("http", "https") or not rest or " " in value:
        raise ValueError("must be an http(s) URL")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Frozen):
    """Where the path comes from: credit to the original guide."""

    title: Text
    title_zh: Text | None = None
    author: Text
    url: str = Field(description="The original article.")
    translation_url: str | None = Field(default=None, description="The translation used.")
    is_translation: bool = False
    note: str | None = None

    _urls = field_validator("url", "translation_url")(_check_http_url)


class Section(_Frozen):
    """One step of the path, in the document's order."""

    id: Identifier
    title: Text
    title_zh: Text | None = None
    summary: Text = Field(description="One line, in our own words.")
    optional: bool = False


class Resource(_Frozen):
    """One thing to watch, read, do or join."""

    id: Identifier = Field(description="Stable, short, typeable; never a position.")
    title: Text = Field(description="The resource's own English name.")
    title_zh: Text | None = Field(default=None, description="The source document's wording.")
    section: Identifier
    url: str | None = Field(description="As the source gives it; null where it gives none.")
    url_note: str | None = Field(
        default=None, description="Why the link differs from the source, where it does."
    )
    author: Text | None = None
    kind: Kind
    cost: Cost
    free_to_audit: bool = Field(
        default=False, description="A paid course whose material can be followed for free."
    )
    optional: bool = False
    minutes: int = Field(gt=0, description="Honest estimate of the effort to finish it.")
    minutes_note: str | None = Field(default=None, description="The basis of the estimate.")
    prerequisites: tuple[Identifier, ...] = ()
    description: Text
    tags: tuple[Identifier, ...] = ()

    _url = field_validator("url")(_check_http_url)


class Catalog(_Frozen):
    """The whole catalog file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str | None = Field(default=None, alias="$schema")
    schema_version: Literal[1]
    source: Source
    sections: tuple[Section, ...] = Field(min_length=1)
    resources: tuple[Resource, ...] = Field(min_length=1)
