"""Learned source trust on city populations: the leading answer against the gold.

Data: the population data set of J. Pasternack and D. Roth, "Knowing What to Believe
(when you already know something)", COLING 2010 (``population/README.md``): 50,239
populations of 42,730 city-years, as 4,173 Wikipedia contributors wrote them, and a gold
value for 308 city-years.

    .venv/bin/python benchmarks/truth/population.py [--keep DIR] [--seeds 3] [--halves A,B,day]

A second public data set beside Flight, of another shape: a long tail of contributors
(most wrote one or two figures, one bot wrote half of all rows), numbers rather than
times, and vandalism (``126117856178246``) rather than feeds that copy each other.

1. Every contributor is a text-less source graded F; every city-year an entity
   (``cleveland, ohio (2000)``) declared in the import's ``entities:`` section; every
   row a claim of the quantity property ``population`` (exact: two different figures
   contradict each other). A contributor giving one figure twice is one citation.
2. A majority vote (a tie to the value of the smallest SHA-256, blind to the truth) and
   the pooled-investment variants of ``pooled.py`` are computed in the same run.
3. ``provenance.trust`` learns trust; an item's answer is its leading answer.
4. With ``--seeds N``, desk verdicts on 10 % of the gold items as in ``flight.py``
   (its code is reused): scored on the other 90 %.

The halves (``flight.half_of`` on the city-year's name: a fixed hash) keep the protocol
of ``flight.py``: settings are chosen looking at half ``A`` only. Nothing in the model
was chosen on this data set; the report goes to stdout.
"""

from __future__ import annotations

import gzip
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "flight"))

import flight as truth_flight  # noqa: E402  (benchmarks/truth/flight.py)
import overturned  # noqa: E402  (benchmarks/truth/overturned.py)
import public_set  # noqa: E402  (what Population and Books share)
import run as flight_run  # noqa: E402  (benchmarks/flight/run.py: import and clock)

DATA = HERE / "population"
CLAIMS = DATA / "population-claims.tsv.gz"
GOLD = DATA / "population-gold.txt"
PROPERTY = "population"

Item = tuple[str, str]


def subject_of(item_key: str) -> str:
    """``cleveland, ohio_2000`` → ``cleveland, ohio (2000)``, the entity of one city-year."""
    city, _, year = item_key.rpartition("_")
    return f"{city} ({year})"


def source_of(contributor: str) -> str:
    """A contributor's source slug: ``wp-5512121``, or ``wp-ip-76-66-38-39`` when anonymous."""
    match = re.fullmatch(r"contributor #(\d+)(?:: .*| \((.*)\))?", contributor.strip())
    if match is None:
        raise ValueError(f"unexpected contributor {contributor!r}")
    number, address = match.groups()
    if number == "0" and address:
        return "wp-ip-" + re.sub(r"[^0-9a-z]+", "-", address.lower()).strip("-")
    return f"wp-{number}"


def kind_of(slug: str) -> str:
    """An anonymous edit (an IP address) is an unsigned ``comment``; an account's, a
    ``person``'s (a bot's too: the data do not tell them apart)."""
    return "comment" if slug.startswith("wp-ip-") else "person"


def read_claims(path: Path = CLAIMS) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(source, subject, value) rows, each once; and source slug → the contributor's name."""
    rows: set[tuple[str, str, str]] = set()
    names: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="latin-1", newline="") as handle:
        for line in handle:
            item, contributor, value, _year = line.rstrip("\r\n").split("\t")
            slug = source_of(contributor)
            names.setdefault(slug, contributor.strip())
            rows.add((slug, subject_of(item), str(int(value))))
    return sorted(rows), names


def read_gold(path: Path = GOLD) -> dict[Item, set[str]]:
    """(subject, ``population``) → {the gold figure}."""
    gold: dict[Item, set[str]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 4:
            continue
        *city, year, value = parts
        gold[(subject_of(", ".join(city) + "_" + year), PROPERTY)] = {str(int(value))}
    return gold


POPULATION = public_set.DataSet(
    name="Population",
    property={
        "name": PROPERTY,
        "type": "quantity",
        "description": "The city's population in the year of the subject's name.",
    },
    source_kind="Wikipedia contributor",
    note="Population data set, Pasternack and Roth, COLING 2010.",
    entity_kind="place",
    sources="contributors",
    subjects="city-years",
    gold_items="items",
    value="figure",
    kind_of=kind_of,
)


def main(argv: list[str] | None = None) -> int:
    parser = truth_flight.arguments(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    shown = truth_flight.halves_shown(parser, args.halves)
    args.overturned = overturned.counts(parser, args.overturned)
    rows, names = read_claims()
    public_set.report(POPULATION, args, shown, rows, names, read_gold())
    return 0


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    flight_run.say(f"done in {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
