"""Did you mean: the existing names nearest to one the database does not hold.

Every "unknown property / source / entity" error names the nearest existing names
rather than the first few alphabetically: ``kiled`` gets "did you mean `killed`?".
Decisions:

* Names compare after normalisation (case, diacritics, apostrophes, hyphens and
  underscores are spacing), by RapidFuzz's ``WRatio``, which forgives a dropped or
  doubled letter in a short word (``kiled``) and a name given in part (``khazali``).
* A name scoring under ``CUTOFF`` (70 of 100) is not offered: a suggestion that has
  nothing in common with what was typed wastes the reader's time. With none near,
  the message points to the listing command instead.
* They are ranked by the similarity of the whole names (``ratio``), and only those
  within ``MARGIN`` (15 points) of the best are offered, at most ``LIMIT`` (3): for
  ``kiled`` that is `killed` alone, not every property holding "killed".
* Only the error path pays for this: the names are read and compared only once a
  lookup has failed.
"""

from __future__ import annotations

from collections.abc import Iterable

from .values import normalise_name

CUTOFF = 70.0
LIMIT = 3
MARGIN = 15.0


def _key(name: str) -> str:
    return normalise_name(name.replace("_", " "))


def nearest(given: str, candidates: Iterable[str], *, limit: int = LIMIT) -> list[str]:
    """The names of ``candidates`` nearest to ``given``, best first (none when none is near)."""
    from rapidfuzz import fuzz, process

    key = _key(given)
    if not key:
        return []
    by_key: dict[str, str] = {}
    for name in candidates:
        by_key.setdefault(_key(name), name)
    matches = process.extract(key, list(by_key), scorer=fuzz.WRatio, score_cutoff=CUTOFF, limit=20)
    if not matches:
        return []
    # ranked by the whole-name similarity: "killed" before "killed_at_scene" for "kiled"
    ranked = sorted(((fuzz.ratio(key, m[0]), m[0]) for m in matches), key=lambda m: (-m[0], m[1]))
    best = ranked[0][0]
    return [by_key[name] for score, name in ranked[:limit] if score >= best - MARGIN]


def did_you_mean(names: list[str]) -> str:
    """``did you mean `a`, `b` or `c`?`` for a message; empty when ``names`` is."""
    if not names:
        return ""
    quoted = [f"`{n}`" for n in names]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"did you mean {listed}?"


def hint(given: str, candidates: Iterable[str], listing: str) -> str:
    """The end of an "unknown …" message: the nearest names, else where to look them up."""
    offered = did_you_mean(nearest(given, candidates))
    return offered or f"see `{listing}`"
