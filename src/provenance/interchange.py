"""``provenance export``: the database in interchange formats.

Formats, each in its own module:

* ``csv``, ``jsonl``, ``yaml`` — the claims import format (``export_records``);
* ``claimreview`` — schema.org ClaimReview JSON-LD of reviewed questions
  (``claimreview``);
* ``prov``, ``prov-n`` — W3C PROV (``prov_export``).

What every format leaves out (confidential material unless ``--include-confidential``,
retracted citations) is decided once, in ``export_scope``; an export without the flag is
the same before and after confidential material is added. A citation whose quote is
orphaned (no longer found in its source's changed text) is left out with a warning: an
import would reject it, and the desk should re-anchor it first (``provenance check``
lists them).

This module is the command's one entry point: it names the formats, re-exports what the
command calls, and holds the progress bar and the output-path check.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .choices import EXPORT_FORMATS
from .claimreview import (
    RATINGS,
    REVIEWED_STATUSES,
    ClaimReviewWriter,
    claim_sentence,
    count_reviews,
    iter_claim_reviews,
    rating,
    reviewed_answers,
    schema_date,
    write_json_array,
)
from .errors import InvalidValue
from .export_records import (
    check_csv_qualifiers,
    iter_entities,
    iter_properties,
    iter_records,
    iter_textless_sources,
    write_csv,
    write_jsonl,
    write_sections,
    write_yaml,
)
from .export_scope import (
    WINDOW,
    ExportScope,
    claim_windows,
    count_citations,
    count_claims,
    count_orphaned,
    resolve_scope,
    withheld_entity_ids,
    withheld_property_ids,
)
from .prov_export import DEFAULT_BASE_URI, ProvCounts, build_prov

__all__ = [
    "DEFAULT_BASE_URI",
    "FORMATS",
    "RATINGS",
    "REVIEWED_STATUSES",
    "WINDOW",
    "ClaimReviewWriter",
    "ExportScope",
    "Progress",
    "ProvCounts",
    "build_prov",
    "check_csv_qualifiers",
    "check_output_path",
    "claim_sentence",
    "claim_windows",
    "count_citations",
    "count_claims",
    "count_orphaned",
    "count_reviews",
    "iter_claim_reviews",
    "iter_entities",
    "iter_properties",
    "iter_records",
    "iter_textless_sources",
    "rating",
    "resolve_scope",
    "reviewed_answers",
    "schema_date",
    "withheld_entity_ids",
    "withheld_property_ids",
    "write_csv",
    "write_json_array",
    "write_jsonl",
    "write_sections",
    "write_yaml",
]

FORMATS = EXPORT_FORMATS


# ---------------------------------------------------------------- progress


class Progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.bar = None
        if total > 1 and self.stream.isatty():
            import click

            self.bar = click.progressbar(length=total, label=label, file=self.stream, show_eta=True)
            self.bar.__enter__()

    def tick(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


# ---------------------------------------------------------------- output files


def check_output_path(path, option: str) -> None:
    """An output path must name a file in a folder that exists."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        raise InvalidValue(f"{option} {str(path)!r} is a folder: expected a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidValue(
            f"{option} {str(path)!r}: folder {str(parent)!r} does not exist: expected a file in an"
            " existing folder"
        )
