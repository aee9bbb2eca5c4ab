"""What makes two records one claim, and two citations of a claim one citation.

* A claim is identified by subject, property, value and scope: the value by its key
  (``values.parse_value`` gives ``value_key``; an entity value is ``e:ID``, so spellings
  of one entity share a claim) and the scope by ``scope_key`` (as_of, validity and
  qualifiers, a qualifier value by its normalised spelling).
* A citation is identified within its claim by its ``fingerprint``: source, quote span,
  footnote, speaker and stance (``FINGERPRINT_FIELDS``). The digest is stored, so its
  input never changes.

Re-importing a record therefore adds nothing. The record's fields are records.py; the
writer that looks these identities up is claims.py; ``entity merge`` (merge.py) and
``citation edit`` (citations.py) recompute them.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from .models import Citation


def scope_key(scope: dict[str, Any], qualifiers: list[dict[str, Any]]) -> str:
    """The scope part of a claim's identity: its dates as given, then its qualifiers by key."""
    parts = [f"{k}={scope[k]}" for k in ("as_of", "valid_from", "valid_to") if scope.get(k)]
    # the normalised spelling, never q["entity_id"]: that is set once an entity of the
    # name exists, which would give the same claim a second identity
    parts += [f"{q['key']}=n:{q['normalised']}" for q in qualifiers]
    return ";".join(parts)


# what makes two citations of one claim the same evidence
FINGERPRINT_FIELDS = (
    "source_id",
    "quote_start",
    "quote_end",
    "footnote_id",
    "attributed_to_id",
    "stance",
)


def fingerprint(row: dict[str, Any]) -> str:
    """The SHA-1 of the JSON list of the identity fields (``json.dumps`` of the list).

    Ids and offsets are written directly, the same text ``json.dumps`` gives, since this
    runs once per imported record; the digest is stored, so its input must never change.
    """
    text = ", ".join([_json_scalar(row[field]) for field in FINGERPRINT_FIELDS])
    return hashlib.sha1(f"[{text}]".encode()).hexdigest()


def _json_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value.__class__ is int:
        return str(value)
    if value.__class__ is str:
        return _json_text(value)
    return json.dumps(value)


# a stance is one of two words: its JSON is made once
_json_text = lru_cache(maxsize=256)(json.dumps)


def citation_fingerprint(citation: Citation, **replace: Any) -> str:
    """A stored citation's fingerprint, with the fields of ``replace`` changed."""
    return fingerprint(
        {**{field: getattr(citation, field) for field in FINGERPRINT_FIELDS}, **replace}
    )
