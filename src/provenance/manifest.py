"""The manifest of source documents (``seeds/sources.yaml``): each entry validated into a
``SourceSpec``: the document's file, the metadata of its source row, and how its reader
comments split off into sources of their own.

Reading the documents and writing their rows is ``ingest``; the checks of a source's
metadata, shared with ``source add``, ``source edit`` and import sections, are
``sources.source_fields``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidValue, NotFound
from .inputs import StrictLoader, yaml_problem
from .models import RELIABILITY_GRADES, SOURCE_KINDS
from .sources import source_fields

MANIFEST_KEYS = {
    "file": "the document's file name",
    "slug": "a short unique name",
    "title": "the title",
    "authors": "a list of names",
    "publisher": "the publisher",
    "url": "the document's URL",
    "published": "publication date, EDTF",
    "published_reason": "why that date",
    "kind": "one of " + ", ".join(SOURCE_KINDS),
    "reliability": "A-F",
    "reliability_reason": "why that grade",
    "confidential": "true/false",
    "note": "a remark",
    "comments": "how to split reader comments into their own sources",
}
COMMENT_KEYS = ("heading", "ends_before", "reliability", "reliability_reason", "confidential")
# metadata a manifest entry can set on a source row
SOURCE_FIELDS = (
    "slug",
    "title",
    "authors",
    "publisher",
    "url",
    "published",
    "published_earliest",
    "published_latest",
    "kind",
    "reliability",
    "reliability_reason",
    "confidential",
    "note",
)


@dataclass
class SourceSpec:
    """One manifest entry, validated."""

    file: str | None
    fields: dict[str, Any]
    comments: dict[str, Any] | None = None


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "source"


def load_manifest(path: str | Path) -> list[SourceSpec]:
    """Read and validate a manifest; every problem is an error naming the entry and key."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(
            f"manifest {str(path)!r} not found: expected a YAML file such as seeds/sources.yaml"
        )
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)
    except UnicodeDecodeError:
        raise InvalidValue(
            f"manifest {str(path)!r} is not UTF-8 text: expected a YAML file"
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidValue(
            f"manifest {str(path)!r} is not valid YAML{yaml_problem(exc)}: expected a mapping"
            " with a 'sources:' list"
        ) from None
    entries = data.get("sources") if isinstance(data, dict) else data
    if isinstance(data, dict) and set(data) - {"sources"}:
        bad = sorted(set(data) - {"sources"})[0]
        raise InvalidValue(
            f"manifest {str(path)!r}: unknown top-level key {bad!r}: expected 'sources'"
        )
    if not isinstance(entries, list):
        raise InvalidValue(f"manifest {str(path)!r}: expected a 'sources:' list of entries")
    specs = []
    seen_slugs: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        spec = _spec_from_entry(entry, number, path)
        slug = spec.fields["slug"]
        if slug in seen_slugs:
            raise InvalidValue(
                f"manifest {str(path)!r}: entry {number}: slug {slug!r} is already used by entry"
                f" {seen_slugs[slug]}"
            )
        seen_slugs[slug] = number
        specs.append(spec)
    return specs


def _spec_from_entry(entry: Any, number: int, path: Path) -> SourceSpec:
    where = f"manifest {str(path)!r}: entry {number}"
    if not isinstance(entry, dict):
        raise InvalidValue(f"{where}: expected a mapping of {', '.join(MANIFEST_KEYS)}")
    unknown = [k for k in entry if k not in MANIFEST_KEYS]
    if unknown:
        raise InvalidValue(
            f"{where}: unknown key {unknown[0]!r}: expected one of {', '.join(MANIFEST_KEYS)}"
        )
    file = entry.get("file")
    if file is not None and not isinstance(file, str):
        raise InvalidValue(f"{where}: file {file!r} must be a file name")
    slug = entry.get("slug") or (slugify(Path(file).stem) if file else None)
    if not slug:
        raise InvalidValue(f"{where}: needs a 'slug' (or a 'file' to derive one from)")
    fields = source_fields(entry, where=f"{where} ({slug})")
    fields["slug"] = str(slug)
    comments = entry.get("comments")
    if comments is not None:
        if not isinstance(comments, dict) or "heading" not in comments:
            raise InvalidValue(
                f"{where}: comments must be a mapping with 'heading' (and 'ends_before')"
            )
        bad = [k for k in comments if k not in COMMENT_KEYS]
        if bad:
            raise InvalidValue(
                f"{where}: unknown comments key {bad[0]!r}: expected one of"
                f" {', '.join(COMMENT_KEYS)}"
            )
        grade = str(comments.get("reliability", "F"))
        if grade not in RELIABILITY_GRADES:
            raise InvalidValue(
                f"{where}: comments reliability {grade!r}: expected one of A, B, C, D, E, F"
            )
        hidden = comments.get("confidential", False)
        if not (
            isinstance(hidden, bool)
            or (
                isinstance(hidden, list)
                and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in hidden)
            )
        ):
            raise InvalidValue(
                f"{where}: comments confidential {hidden!r}: expected true, false "
                "or a list of comment numbers such as [3, 11]"
            )
    return SourceSpec(file=file, fields=fields, comments=comments)
