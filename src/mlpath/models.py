"""Pydantic models of the catalog file: the one definition of what a valid catalog is.

Imported only when a catalog has to be validated (first run, or after the file
changed) and to generate the JSON Schema; everyday commands read the validated
copy kept by :mod:`mlpath.catalog_cache` and never import pydantic.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
)

# pydantic reads TypedDicts only from typing_extensions before Python 3.12.
from typing_extensions import TypedDict

from mlpath.i18n import _

# Re-exported: the rules a line of catalog text and a link follow, kept where commands
# that check what people type (`mlpath add --url`) can read them without pydantic.
from mlpath.text_rules import MAX_URL as MAX_URL
from mlpath.text_rules import forbidden_character as forbidden_character
from mlpath.text_rules import url_problem as url_problem

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

# Far beyond any real resource (about 16,700 hours), yet small enough that sums over a
# 10,000-resource catalog stay ordinary integers everywhere they are shown or stored.
MAX_MINUTES = 1_000_000
MAX_PARTS = 500
MAX_TEXT = 2000


def _check_line(value: str) -> str:
    bad = forbidden_character(value)
    if bad is not None:
        raise ValueError(
            _("contains the control character {bad}; catalog text is one line").format(bad=bad)
        )
    return value


Identifier = Annotated[
    StrictStr,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=40),
]
Text = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_check_line),
]
Note = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT), AfterValidator(_check_line)]
Minutes = Annotated[StrictInt, Field(gt=0, le=MAX_MINUTES)]


def _check_http_url(value: str | None) -> str | None:
    if value is None:
        return None
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Url = Annotated[StrictStr, AfterValidator(_check_http_url)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Frozen):
    """Where the path comes from: credit to the original guide."""

    title: Text
    title_zh: Text | None = None
    author: Text
    url: Url = Field(description="The original article.")
    translation_url: Url | None = Field(default=None, description="The translation used.")
    is_translation: StrictBool = False
    note: Note | None = None


class Section(_Frozen):
    """One step of the path, in the document's order."""

    id: Identifier
    title: Text
    title_zh: Text | None = Field(
        default=None, description="A Chinese name for the step, one a reader recognises."
    )
    title_zh_seed: Text | None = Field(
        default=None,
        description="The translation's own heading, where it differs from title_zh.",
    )
    summary: Text = Field(description="One line, in our own words.")
    summary_zh: Text | None = Field(default=None, description="The summary in Chinese.")
    optional: StrictBool = False


class Part(TypedDict):
    """One sitting inside a resource: a chapter, lecture, lesson, week or exercise."""

    # A TypedDict rather than a model: a 10,000-resource catalog with 20 parts each
    # validates in a quarter of the time without 200,000 model instances.
    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    id: Annotated[
        Identifier,
        Field(
            description=(
                "Stable within its resource: progress on a part is kept by this id, so it"
                " survives parts being inserted or reordered. Not all digits, so that"
                " `RESOURCE/N` (N the 1-based position in this list) never reads as an id."
            )
        ),
    ]
    title: Annotated[Text, Field(description="The part's own title, from its resource.")]
    title_zh: NotRequired[Text | None]
    minutes: Annotated[Minutes, Field(description="Estimate for this part.")]
    url: NotRequired[
        Annotated[Url | None, Field(description="The part's own link, where it has one.")]
    ]


VersionKind = Literal["official translation", "community translation", "subtitles"]


class Version(TypedDict):
    """The resource in another language: a translation, or its videos with subtitles."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    lang: Annotated[
        StrictStr,
        StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
        Field(description="A BCP 47 language tag: zh, zh-Hant, ja."),
    ]
    title: Annotated[Text, Field(description="Its name in that language.")]
    url: Annotated[Url, Field(description="Where it is.")]
    kind: Annotated[VersionKind, Field(description="What it is, and who made it.")]
    source: Annotated[Note, Field(description="Where its existence was read.")]


class Resource(_Frozen):
    """One thing to watch, read, do or join."""

    id: Identifier = Field(description="Stable, short, typeable; never a position.")
    title: Text = Field(description="The resource's own English name.")
    title_zh: Text | None = Field(
        default=None,
        description=(
            "The name a Chinese reader recognises or searches for: the official or widely"
            " used Chinese title where there is one, else a descriptive name keeping the"
            " original name."
        ),
    )
    title_zh_seed: Text | None = Field(
        default=None,
        description="The source translation's own wording, where it differs from title_zh.",
    )
    aliases: tuple[Text, ...] = Field(
        default=(),
        description="Other names readers use for it (a nickname, an abbreviation); searched.",
    )
    section: Identifier
    url: Url | None = Field(description="As the source gives it; null where it gives none.")
    url_note: Note | None = Field(
        default=None, description="Why the link differs from the source, where it does."
    )
    url_note_zh: Note | None = Field(default=None, description="The url_note in Chinese.")
    author: Text | None = None
    author_zh: Text | None = Field(
        default=None, description="The author's name as Chinese sources write it."
    )
    kind: Kind
    cost: Cost
    free_to_audit: StrictBool = Field(
        default=False, description="A paid course whose material can be followed for free."
    )
    optional: StrictBool = False
    minutes: Minutes = Field(
        description=(
            "Honest estimate of the effort to finish it. With parts, it must equal the sum"
            " of the parts' minutes: the total stays readable (and right for any reader that"
            " ignores parts), and validation catches a part estimate edited without it."
        )
    )
    minutes_note: Note | None = Field(default=None, description="The basis of the estimate.")
    minutes_note_zh: Note | None = Field(default=None, description="The minutes_note in Chinese.")
    prerequisites: tuple[Identifier, ...] = ()
    description: Text
    description_zh: Text | None = Field(
        default=None, description="The description in Chinese, as accurate as the English."
    )
    tags: tuple[Identifier, ...] = ()
    parts: tuple[Part, ...] = Field(
        default=(),
        max_length=MAX_PARTS,
        description="In the resource's own order; a part is typed as RESOURCE/N, 1-based.",
    )
    parts_source: Note | None = Field(
        default=None, description="Where the list of parts was read (a repository path or URL)."
    )
    alternatives: tuple[Identifier, ...] = Field(
        default=(),
        description=(
            "Resources with the same material in another place: finishing one settles the"
            " others, and totals count one of them. Each must list this one back."
        ),
    )
    versions: tuple[Version, ...] = Field(
        default=(),
        description="The resource in other languages; only ones whose existence was checked.",
    )


class Catalog(_Frozen):
    """The whole catalog file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: StrictStr | None = Field(default=None, alias="$schema")
    schema_version: Literal[1]
    source: Source
    sections: tuple[Section, ...] = Field(min_length=1)
    resources: tuple[Resource, ...] = Field(min_length=1)
