"""What ``extract`` never offers: the gold claims no candidate matches, counted by why.

Runs the scorer (``score.py``, same database, same matching) on DEV, DEV2 and the seeds and
sorts every missed gold claim into one reason, the first that holds:

* **past the text's end**: the quote stands after where ``extract`` stops reading (notes,
  comments);
* **sentence passed over**: its sentence is a heading, headline, caption or byline;
* **offered, taken by another claim**: a candidate with its quote and value exists, but
  the one-to-one matching gave it to another gold claim (the same fact recorded twice);
* for an entity value: **value not in the database** (the gold names an entity the database
  lacks), **value not named in the sentence** (known, but written otherwise: a pronoun, a
  title, a spelling no alias has), **value named, subject not named** (the subject is an
  event or body the sentence does not name, or is written otherwise), **both named, no
  relation read** (the sentence names both and no rule links them);
* for a figure or a date: **another value read from the quote** (a candidate in the quote
  with another figure or day), **no value read** (no candidate of that datatype there);
* for a text value: **text in the text's own words** (the value stands in the quote) or
  **text paraphrased** (the editor's words: no reading of the text can give it);
* for a truth value: **truth value**.

``--by-property REASON`` lists the properties of one reason with their counts, and
``--examples`` prints each miss with its reason. HELD-OUT and HELD-OUT2 are never run.

Run from the repository root::

    .venv/bin/python benchmarks/extract/misses.py
    .venv/bin/python benchmarks/extract/misses.py --by-property "both named, no relation read"
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from provenance.db import make_engine, reading_session  # noqa: E402
from provenance.extract.candidates import DEFAULT_KINDS  # noqa: E402
from provenance.extract.document import Document  # noqa: E402
from provenance.extract.pipeline import passed_over  # noqa: E402
from provenance.extract.sentences import split_sentences  # noqa: E402
from provenance.models import Source  # noqa: E402
from provenance.values import normalise_text  # noqa: E402


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("extract_score", HERE / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extract_score", module)
    spec.loader.exec_module(module)
    return module


score = _scorer()

DATATYPES = ("quantity", "date", "entity", "text", "boolean")
REASONS = (
    "past the text's end",
    "sentence passed over",
    "offered, taken by another claim",
    "value not in the database",
    "value not named in the sentence",
    "value named, subject not named",
    "both named, no relation read",
    "another value read from the quote",
    "no value read",
    "text in the text's own words",
    "text paraphrased",
    "truth value",
)


@dataclass
class Miss:
    source: str
    subject: str
    datatype: str
    property: str
    value: str
    quote: str
    reason: str


def why_missed(
    judge: Any,
    doc: Document,
    gold: Any,
    candidates: Sequence[Any],
    datatype: str,
) -> str:
    """The first reason of the module's list that holds for one missed gold claim."""
    start = min(a for a, _ in gold.spans)
    end = max(b for _, b in gold.spans)
    if start >= doc.limit:
        return "past the text's end"
    sentences = split_sentences(doc.scan, doc.limit)
    touched = [(n, s) for n, s in enumerate(sentences) if s.start < end and start < s.end] or [
        (0, None)
    ]
    if all(s is not None and passed_over(doc, s, n == 0) is not None for n, s in touched):
        return "sentence passed over"
    near = [c for c in candidates if score.overlap(gold.spans, c.spans) > 0]
    if any(judge.same_value(gold, c) for c in near):
        return "offered, taken by another claim"
    if datatype == "entity":
        identity = judge.identity(gold.value)
        if identity is None or identity.startswith("name:"):
            return "value not in the database"
        lo = min((s.start for _, s in touched if s is not None), default=start)
        hi = max((s.end for _, s in touched if s is not None), default=end)
        named = doc.entities.mentions(doc.scan, lo, hi)
        if not any(judge.identity(m.name) == identity for m in named):
            return "value not named in the sentence"
        subject = judge.identity(gold.subject)
        if not any(judge.identity(m.name) == subject for m in named):
            return "value named, subject not named"
        return "both named, no relation read"
    if datatype in ("quantity", "date"):
        same_kind = [c for c in near if judge.datatypes.get(c.property) == datatype]
        return "another value read from the quote" if same_kind else "no value read"
    if datatype == "text":
        if normalise_text(gold.value) in normalise_text(gold.quote):
            return "text in the text's own words"
        return "text paraphrased"
    return "truth value"


def collect(
    session: Session,
    source: Source,
    gold_rows: list[dict[str, Any]],
    candidate_rows: list[dict[str, Any]],
    datatypes: dict[str, str],
    gold_names: dict[str, str] | None = None,
) -> list[Miss]:
    """The missed gold claims of one source, each with its reason."""
    judge = score.Judge(session, datatypes, gold_names)
    gold = [score.Record.from_import(row, source) for row in gold_rows]
    gold = [g for g in gold if g.spans]
    candidates = [score.Record.from_import(row, source) for row in candidate_rows]
    matched = {g for g, _, _ in score.match(judge, gold, candidates)}
    doc = Document(session, source, DEFAULT_KINDS)
    misses = []
    for i, claim in enumerate(gold):
        if i in matched:
            continue
        datatype = judge.datatypes.get(claim.property, "text")
        reason = why_missed(judge, doc, claim, candidates, datatype)
        misses.append(
            Miss(
                source.slug,
                claim.subject,
                datatype,
                claim.property,
                claim.value,
                claim.quote,
                reason,
            )
        )
    return misses


def run(splits: Sequence[str]) -> list[Miss]:
    """Every missed gold claim of the development splits (``dev``, ``dev2``, ``seeds``)."""
    if any(s not in ("dev", "dev2", "seeds") for s in splits):
        raise SystemExit("only dev, dev2 and seeds are studied; the held-out sets are not")
    slugs = score.selected([s for s in splits if s != "seeds"])
    misses: list[Miss] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        database = score.build(work, score.ARTICLES, score.MANIFEST)
        runs: list[tuple[str, list[dict[str, Any]], dict[str, Any], dict[str, Any]]] = []
        for slug in slugs:
            gold = yaml.safe_load((score.GOLD / f"{slug}.yaml").read_text(encoding="utf-8"))
            found = score.extract(database, slug, work / f"{slug}.yaml")
            runs.append((slug, score._claims(gold), found, gold))
        if "seeds" in splits:
            curated = yaml.safe_load((score.SEEDS / "claims.yaml").read_text(encoding="utf-8"))
            by_source: dict[str, list[dict[str, Any]]] = {}
            for row in score._claims(curated):
                if row.get("quote"):
                    by_source.setdefault(row["source"], []).append(row)
            engine = make_engine(database)
            with reading_session(engine) as session:
                seeds = session.execute(
                    select(Source.slug).where(Source.text.is_not(None), Source.kind != "comment")
                ).all()
            engine.dispose()
            for (slug,) in seeds:
                if slug in by_source and slug not in slugs:
                    found = score.extract(database, slug, work / f"{slug}.yaml")
                    runs.append((slug, by_source[slug], found, {}))
        engine = make_engine(database)
        with reading_session(engine) as session:
            for slug, rows, found, gold in runs:
                source = session.scalars(select(Source).where(Source.slug == slug)).one()
                misses += collect(
                    session,
                    source,
                    rows,
                    score._claims(found),
                    score._declared(gold) | score._declared(found),
                    score._gold_names(gold),
                )
        engine.dispose()
    return misses


def table(misses: Sequence[Miss]) -> str:
    """Reasons down, datatypes across, as a Markdown table."""
    counts = Counter((m.reason, m.datatype) for m in misses)
    lines = [
        "| why nothing matched | " + " | ".join(DATATYPES) + " | all |",
        "|---" * (len(DATATYPES) + 2) + "|",
    ]
    for reason in REASONS:
        row = [counts[(reason, d)] for d in DATATYPES]
        if sum(row):
            lines.append(f"| {reason} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(counts[(r, d)] for r in REASONS) for d in DATATYPES]
    lines.append("| all | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--split", nargs="+", choices=("dev", "dev2", "seeds"), default=["dev", "dev2", "seeds"]
    )
    parser.add_argument("--by-property", metavar="REASON", help="the properties of one reason")
    parser.add_argument("--examples", action="store_true", help="every miss with its reason")
    args = parser.parse_args(argv)
    misses = run(args.split)
    print(table(misses), end="")
    if args.by_property:
        chosen = Counter(m.property for m in misses if m.reason == args.by_property)
        print(f"\n{args.by_property}:")
        for name, count in chosen.most_common():
            print(f"  {count:4} {name}")
    if args.examples:
        for m in misses:
            print(
                f"{m.reason} | {m.source} | {m.subject} · {m.property} = {m.value}: {m.quote[:160]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
