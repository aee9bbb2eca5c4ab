"""The candidates as the import format's YAML (what the editor edits), and as plain records."""

from __future__ import annotations

import json
from typing import Any, TextIO

from .candidates import Extraction


def _yaml_string(value: str) -> str:
    # JSON strings are YAML double-quoted scalars: every quote mark and backslash survives
    return json.dumps(value, ensure_ascii=False)


def write_yaml(extraction: Extraction, stream: TextIO) -> int:
    """Write the candidates in the import format; returns how many were written."""
    source = extraction.source
    candidates = extraction.candidates
    lines = [
        (
            f"# Candidate claims of {source.slug} ({' '.join(source.title.split())}), found by"
            " `provenance extract`"
        ),
        f"# (kinds: {', '.join(extraction.kinds)}). {len(candidates)} candidate(s)"
        + (
            f"; {extraction.already_recorded} left out: a citation of this source already covers"
            " them."
            if extraction.already_recorded
            else "."
        ),
        "#",
        "# Each one is a suggestion: delete what is not a claim, correct subject, property and",
        "# value, fill in confidence (high, medium or low; left blank it is recorded as medium),",
        "# then run `provenance import` on this file. Quotes are the source's own words and",
        "# must stay so; the comment above each claim says what was read and how. A candidate",
        "# with `confidence: low` holds a guess (its comment says which part): check it first.",
    ]
    if extraction.new_properties:
        lines += [
            "#",
            (
                "# Properties under `properties:` are NEW: the vocabulary lacks them and importing"
                " this"
            ),
            "# file adds them. Rename a candidate's property to an existing one to avoid that.",
        ]
        lines.append("properties:")
        for choice in extraction.new_properties:
            concept = choice.concept
            lines.append("  # new property")
            lines.append(f"  - name: {choice.name}")
            lines.append(f"    type: {choice.datatype}")
            if concept.multi:
                lines.append("    multi: true")
            if concept.time_varying:
                lines.append("    time_varying: true")
            if choice.unit:
                lines.append(f"    unit: {_yaml_string(choice.unit)}")
            if concept.description:
                lines.append(f"    description: {_yaml_string(concept.description)}")
    if not candidates:
        lines.append("claims: []")
    else:
        lines.append("claims:")
    for candidate in candidates:
        lines.append(f"  # {candidate.why}")
        lines.append(f"  - source: {_yaml_string(source.slug)}")
        lines.append(f"    subject: {_yaml_string(candidate.subject)}")
        lines.append(f"    property: {candidate.property}")
        lines.append(f"    value: {_yaml_string(candidate.value)}")
        if candidate.unit:
            lines.append(f"    unit: {_yaml_string(candidate.unit)}")
        lines.append(f"    quote: {_yaml_string(candidate.quote)}")
        if candidate.occurrence is not None:
            lines.append(f"    occurrence: {candidate.occurrence}")
        if candidate.footnote is not None:
            lines.append(f"    footnote: {candidate.footnote}")
        if candidate.attributed_to:
            lines.append(f"    attributed_to: {_yaml_string(candidate.attributed_to)}")
        if candidate.stance != "asserts":
            lines.append(f"    stance: {candidate.stance}")
        if candidate.qualifiers:
            lines.append("    qualifiers:")
            for key, value in candidate.qualifiers.items():
                lines.append(f"      {key}: {_yaml_string(value)}")
        lines.append(
            f"    confidence: {candidate.confidence}" if candidate.confidence else "    confidence:"
        )
    stream.write("\n".join(lines) + "\n")
    return len(candidates)


def candidate_rows(extraction: Extraction) -> list[dict[str, Any]]:
    """The candidates as plain records (the import format's keys), for tests and tools."""
    return [
        {
            "source": extraction.source.slug,
            "kind": c.kind,
            "subject": c.subject,
            "property": c.property,
            "value": c.value,
            "unit": c.unit,
            "quote": c.quote,
            "quote_start": c.quote_start,
            "quote_end": c.quote_end,
            "footnote": c.footnote,
            "attributed_to": c.attributed_to,
            "stance": c.stance,
            "qualifiers": c.qualifiers,
            "confidence": c.confidence,
        }
        for c in extraction.candidates
    ]
