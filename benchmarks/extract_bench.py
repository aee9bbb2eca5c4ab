"""How many curated claims `provenance extract` finds, and how many of its candidates an editor
keeps.

Builds a private database from the seed documents and the vocabulary of the curated
file (its ``properties:`` and ``entities:`` sections, not its claims, so nothing is
"already recorded"), runs the extractor on every source with text, and compares its
candidates with the curated claims by quote span:

* recall, per datatype: the share of curated claims (quantity, date) whose quote
  overlaps the quote of some candidate;
* same value: the share of those claims for which such a candidate of the same
  datatype also has the curated value (same interval after parsing);
* precision, per candidate kind: the share of candidates whose quote overlaps the
  quote of some curated claim (of any datatype), i.e. that point an editor at a
  sentence the desk did record.

Run: ``.venv/bin/python benchmarks/extract_bench.py [--gold seeds/claims.yaml] [--misses]``.
Without seeds/claims.yaml the small hand-made gold file of the tests is used.

``--words N`` times instead ``provenance extract`` on one long document of N words (20,000
by default: the issue's target is 5 s): the seed documents' own paragraphs, in turn, until
there are N words, ingested into the same database and extracted through the real CLI to a
file, best of three runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from provenance import db as dbmod  # noqa: E402
from provenance import extract as extractmod  # noqa: E402
from provenance import quotes  # noqa: E402
from provenance.cli import cli  # noqa: E402
from provenance.models import Source  # noqa: E402

FALLBACK_GOLD = ROOT / "tests" / "data" / "extract_gold.yaml"


def build(workdir: Path, gold: dict) -> Path:
    seeds = workdir / "seeds"
    seeds.mkdir()
    for path in (ROOT / "seeds").iterdir():
        if path.name != "claims.yaml":
            shutil.copy(path, seeds / path.name)
    database = workdir / "bench.db"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(database), "build", "--seeds", str(seeds)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    sections = {k: gold[k] for k in ("sources", "properties", "entities") if gold.get(k)}
    if sections:
        vocabulary = workdir / "vocabulary.yaml"
        vocabulary.write_text(
            yaml.safe_dump({**sections, "claims": []}, allow_unicode=True), encoding="utf-8"
        )
        result = runner.invoke(
            cli, ["--db", str(database), "import", str(vocabulary)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    return database


def value_key(datatype: str, value: object) -> str | None:
    """The value's identity with currency and unit signs set aside ($2-$3 million =
    2000000..3000000)."""
    from provenance.errors import ProvenanceError
    from provenance.values import parse_value

    text = str(value)
    if datatype == "quantity":
        text = text.replace("$", "").replace("€", "").replace("£", "").replace("%", "")
    try:
        return parse_value(datatype, text).key
    except ProvenanceError:
        return None


def long_document(words: int) -> str:
    """The seed documents' paragraphs, in turn, until the text has ``words`` words."""
    paragraphs = [
        line
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 8
    ]
    out: list[str] = []
    count = 0
    while count < words:
        for line in paragraphs:
            out.append(line)
            count += len(line.split())
            if count >= words:
                break
    return "Long report\n\n" + "\n\n".join(out) + "\n"


def time_long_document(words: int) -> int:
    gold = yaml.safe_load((ROOT / "seeds" / "claims.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        database = build(work, gold)
        document = work / "long-report.txt"
        document.write_text(long_document(words), encoding="utf-8")
        runner = CliRunner()
        result = runner.invoke(
            cli, ["--db", str(database), "ingest", str(document)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            result = runner.invoke(
                cli,
                ["--db", str(database), "extract", "long-report", "-o", str(work / "out.yaml")],
                catch_exceptions=False,
            )
            timings.append(time.perf_counter() - started)
            assert result.exit_code == 0, result.output
        written = len(document.read_text(encoding="utf-8").split())
        print(
            f"extract on a {written:,}-word document: {result.output.strip()};"
            f" best of 3: {min(timings):.2f} s (runs: {', '.join(f'{t:.2f}' for t in timings)})"
        )
    return 0


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gold",
        type=Path,
        default=ROOT / "seeds" / "claims.yaml",
        help="curated claims (import format)",
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list the curated quantity and date claims no candidate covers",
    )
    parser.add_argument(
        "--words",
        type=int,
        nargs="?",
        const=20000,
        help="time extract on one document of this many words (default 20000) instead",
    )
    args = parser.parse_args()
    if args.words:
        return time_long_document(args.words)
    gold_path = args.gold if args.gold.is_file() else FALLBACK_GOLD
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    datatypes = {p["name"]: p["type"] for p in gold.get("properties") or []}

    with tempfile.TemporaryDirectory() as tmp:
        database = build(Path(tmp), gold)
        engine = dbmod.make_engine(str(database))
        try:
            with Session(engine) as session:
                from provenance.models import Property

                datatypes.update({p.name: p.datatype for p in session.scalars(select(Property))})
                sources = {
                    s.slug: s
                    for s in session.scalars(select(Source).where(Source.text.is_not(None)))
                }
                started = time.perf_counter()
                candidates: dict[str, list] = {}
                for slug, source in sources.items():
                    candidates[slug] = extractmod.extract(session, source).candidates
                elapsed = time.perf_counter() - started
                curated: dict[str, list] = defaultdict(list)
                unplaced = 0
                for claim in gold.get("claims") or []:
                    source = sources.get(claim.get("source"))
                    if source is None or not claim.get("quote"):
                        continue
                    anchor = quotes.locate(source, str(claim["quote"]))
                    if anchor is None:
                        unplaced += 1
                        continue
                    curated[source.slug].append(
                        (claim, datatypes.get(claim["property"]), (anchor.start, anchor.end))
                    )
        finally:
            engine.dispose()

    found, total, same_value = Counter(), Counter(), Counter()
    misses = []
    for slug, claims in curated.items():
        items = candidates.get(slug, [])
        for claim, datatype, span in claims:
            if datatype not in ("quantity", "date"):
                continue
            total[datatype] += 1
            near = [c for c in items if overlaps(span, (c.quote_start, c.quote_end))]
            if near:
                found[datatype] += 1
                wanted = value_key(datatype, claim["value"])
                if any(c.kind == datatype and value_key(datatype, c.value) == wanted for c in near):
                    same_value[datatype] += 1
            else:
                misses.append((slug, datatype, claim["value"], claim["quote"]))
    kept, offered = Counter(), Counter()
    for slug, items in candidates.items():
        spans = [span for _, _, span in curated.get(slug, [])]
        for candidate in items:
            offered[candidate.kind] += 1
            if any(overlaps((candidate.quote_start, candidate.quote_end), s) for s in spans):
                kept[candidate.kind] += 1

    print(
        f"gold: {gold_path.relative_to(ROOT)}; {sum(len(v) for v in curated.values())} curated"
        " claims with a quote" + (f" ({unplaced} quotes not found)" if unplaced else "")
    )
    print(
        f"extracted {sum(offered.values())} candidates from {len(candidates)} sources in"
        f" {elapsed:.2f} s"
    )
    print()
    print(f"{'kind':12} {'recall':>18} {'same value':>18} {'precision':>18}")
    for kind in extractmod.KINDS:
        recall = (
            f"{found[kind]}/{total[kind]} = {100 * found[kind] / total[kind]:.0f} %"
            if total[kind]
            else "—"
        )
        exact = (
            f"{same_value[kind]}/{total[kind]} = {100 * same_value[kind] / total[kind]:.0f} %"
            if total[kind]
            else "—"
        )
        precision = (
            f"{kept[kind]}/{offered[kind]} = {100 * kept[kind] / offered[kind]:.0f} %"
            if offered[kind]
            else "—"
        )
        print(f"{kind:12} {recall:>18} {exact:>18} {precision:>18}")
    all_found, all_total = sum(found.values()), sum(total.values())
    all_kept, all_offered = sum(kept.values()), sum(offered.values())
    all_same = sum(same_value.values())
    print(
        f"{'all':12} {f'{all_found}/{all_total} = {100 * all_found / max(all_total, 1):.0f} %':>18}"
        f" {f'{all_same}/{all_total} = {100 * all_same / max(all_total, 1):.0f} %':>18}"
        f" {f'{all_kept}/{all_offered} = {100 * all_kept / max(all_offered, 1):.0f} %':>18}"
    )
    if args.misses:
        print("\ncurated quantity and date claims with no candidate:")
        for slug, datatype, value, quote in misses:
            print(f"  {slug} {datatype} {value}: {' '.join(str(quote).split())[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
