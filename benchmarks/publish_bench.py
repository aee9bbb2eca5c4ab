"""Publish benchmark: ``provenance publish`` against a raw-SQLite copy, at several sizes.

    .venv/bin/python benchmarks/publish_bench.py --sizes 10000 100000 1000000 \\
        [--seed N] [--work DIR]

For each size a seeded synthetic data set (``synthetic.py``) is imported into a working
database the way ``provenance import`` does it, its conflicts are detected and its trust
on public evidence is learned and stored, as a first publish does (kept in ``--work``
and reused by later runs; ``--rebuild`` makes them anew): what is measured is
publishing again with that stored result reused. Then one fresh
worker process per size measures, on that file:

1. the **raw-SQLite baseline**: ``VACUUM INTO`` a new file — SQLite copying every row
   of the working database, with its indexes, into a fresh file: the cheapest whole
   copy SQLite can make, with no allowlist, no recomputation and no search index;
2. ``provenance publish OUT.db`` run in the same process through the CLI's own entry
   point: conflicts brought up to date, the allowlisted rows copied, conflicts
   recomputed on public evidence with its learned trust (stored, or learned anew when
   that evidence changed), full-text search, derived tables,
   indexes, ``ANALYZE``, incremental vacuum, fsync and rename;
3. each step of the publish as its progress names it (CPU and wall seconds, the
   largest size's shown beside the baseline);
4. wall and CPU time of both, the worker's peak RSS (``ru_maxrss``; the baseline
   runs inside SQLite and adds little) and the sizes of the files.

The figures go to stdout, ``DIR/publish-results.json`` and the "Publish" section of
``docs/benchmarks.md`` (``--no-docs`` leaves it alone); other sections are not touched.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import import_bench  # noqa: E402
import synthetic  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- publish-benchmark:begin (written by benchmarks/publish_bench.py) -->"
END = "<!-- publish-benchmark:end -->"
ACTOR = "benchmark"


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal", ".state.json"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def prepare(size: int, work: Path, seed: int, rebuild: bool) -> Path:
    """The working database of one size: imported and with its conflicts detected."""
    from sqlalchemy.orm import Session

    from provenance import conflicts, db, leading

    folder = work / str(size)
    working = folder / "working.db"
    done = folder / "prepared.json"
    if done.exists() and working.exists() and not rebuild:
        return working
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{size:,} claims: generating and importing …", file=sys.stderr, flush=True)
    data = synthetic.generate(folder / "data", size, seed)
    engine = db.make_engine(str(_fresh(working)), create=True)
    db.migrate(engine)
    import_bench._cli_transaction(engine, data.header)
    import_bench._cli_transaction(engine, data.claims)
    with (
        engine.connect() as connection,
        connection.begin(),
        Session(bind=connection) as session,
    ):
        conflicts.detect(session, ACTOR)
        session.flush()
        # trust on public evidence learned and stored, as the first publish does: what is
        # measured is publishing again with the stored result reused
        leading.refresh(session, public_only=True)
        session.flush()
    engine.dispose()
    done.write_text(json.dumps({"size": size, "seed": seed}))
    return working


def worker(working: Path, out: Path, result: Path) -> None:
    """Baseline and publish of one working database, in this (fresh) process."""
    from provenance import cli_publish
    from provenance.cli import cli

    # each step of the publish as its progress names it: CPU and wall seconds
    marks: list[tuple[str, float, float]] = []

    def mark(step: str, done: int, total: int) -> None:
        if not marks or marks[-1][0] != step:
            marks.append((step, time.process_time(), time.perf_counter()))

    cli_publish._publish_progress = lambda: mark  # type: ignore[assignment]
    figures: dict[str, Any] = {}
    copy = _fresh(out.with_name("baseline-copy.db"))
    with import_bench.Clock() as clock:
        connection = sqlite3.connect(working)
        connection.execute("VACUUM INTO ?", (str(copy),))
        connection.close()
    figures["baseline"] = {"wall_s": clock.wall, "cpu_s": clock.cpu, "bytes": copy.stat().st_size}
    _fresh(copy)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    _fresh(out)
    with import_bench.Clock() as clock:
        marks.append(
            ("start-up, detection, stored trust", time.process_time(), time.perf_counter())
        )
        try:
            cli.main(
                ["--db", str(working), "--actor", ACTOR, "publish", str(out)], standalone_mode=False
            )
        except SystemExit as exc:  # pragma: no cover - publish failed
            if exc.code:
                raise
    marks.append(("", time.process_time(), time.perf_counter()))
    steps: dict[str, list[float]] = {}
    for (step, cpu, wall), (_, cpu_end, wall_end) in itertools.pairwise(marks):
        step = "full-text search" if step.startswith("search index") else step
        before = steps.setdefault(step, [0.0, 0.0])
        before[0] += cpu_end - cpu
        before[1] += wall_end - wall
    counts = sqlite3.connect(out)
    figures["publish"] = {
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "bytes": out.stat().st_size,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "peak_rss_before_bytes": peak_before,
        "steps": {step: {"cpu_s": cpu, "wall_s": wall} for step, (cpu, wall) in steps.items()},
        "rows": {
            t: counts.execute(f"select count(*) from [{t}]").fetchone()[0]
            for t in ("claims", "citations", "conflicts", "entities")
        },
    }
    counts.close()
    figures["working_bytes"] = working.stat().st_size
    result.write_text(json.dumps(figures, indent=1))


def render(runs: list[dict[str, Any]], command: str, info: dict[str, Any], seed: int) -> str:
    mb = lambda n: f"{n / 2**20:,.0f}"  # noqa: E731
    lines = [
        BEGIN,
        "## Publish",
        "",
        (
            f"Run {time.strftime('%Y-%m-%d %H:%M')} on commit `{info['commit']}`. Machine:"
            f" {info['nproc']} CPUs, {info['python']}, SQLite {sqlite3.sqlite_version}; load"
            f" average at the start {info['load_before']}, at the end {info['load_after']}."
        ),
        "",
        "```",
        command,
        "```",
        "",
        (
            f"Data: `benchmarks/synthetic.py`, seed {seed}, imported through the product, conflicts"
            " detected. *Publish* is `provenance publish OUT.db` through the CLI's entry point in"
            " a fresh worker process (conflicts brought up to date, the allowlisted rows copied,"
            " conflicts recomputed on public evidence with its learned trust, stored or learned"
            " anew, full-text search, derived"
            " tables, indexes, `ANALYZE`, incremental vacuum, fsync and rename). *Baseline* is"
            " `VACUUM INTO` of the working"
            " database in the same worker: SQLite copying every row with its indexes into a new"
            " file. *Peak RSS* is the worker's `ru_maxrss`."
        ),
        "",
        (
            "| claim records | published claims / citations / conflicts | publish s (CPU s) |"
            " baseline s (CPU s) | ratio | CPU ratio | peak RSS MB | working MB | public MB |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        p, b = run["publish"], run["baseline"]
        rows = p["rows"]
        lines.append(
            f"| {run['size']:,} | {rows['claims']:,} / {rows['citations']:,} /"
            f" {rows['conflicts']:,} | {p['wall_s']:,.1f} ({p['cpu_s']:,.1f}) | {b['wall_s']:,.1f}"
            f" ({b['cpu_s']:,.1f}) | {p['wall_s'] / b['wall_s']:,.1f}× |"
            f" {p['cpu_s'] / max(b['cpu_s'], 1e-9):,.1f}× | {mb(p['peak_rss_bytes'])}"
            f" | {mb(run['working_bytes'])} | {mb(p['bytes'])} |"
        )
    last = runs[-1]
    base_cpu = last["baseline"]["cpu_s"]
    lines += [
        "",
        (
            f"Each step of the publish at {last['size']:,} claim records, as its progress names"
            " it, CPU seconds and wall seconds; *× baseline* is its CPU time over that of `VACUUM"
            " INTO` in the same worker:"
        ),
        "",
        "| step | CPU s | wall s | × baseline |",
        "|---|---:|---:|---:|",
    ]
    for step, t in last["publish"].get("steps", {}).items():
        lines.append(
            f"| {step} | {t['cpu_s']:,.2f} | {t['wall_s']:,.2f} |"
            f" {t['cpu_s'] / max(base_cpu, 1e-9):,.1f}× |"
        )
    lines += ["", END]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        _, after = rest.split(END, 1)
        text = before + section + after
    else:
        marker = "<!-- datasette-benchmark:begin"
        text = (
            text.replace(marker, section + "\n\n" + marker, 1)
            if marker in text
            else text.rstrip("\n") + "\n\n" + section + "\n"
        )
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/provenance-publish-bench"))
    parser.add_argument("--rebuild", action="store_true", help="Import the working databases anew.")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument(
        "--worker", nargs=3, metavar=("WORKING", "OUT", "RESULT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        worker(*map(Path, args.worker))
        return
    info = {
        "nproc": len(os.sched_getaffinity(0)),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "commit": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip(),
    }
    runs = []
    for size in sorted(args.sizes):
        working = prepare(size, args.work, args.seed, args.rebuild)
        result = args.work / str(size) / "publish-result.json"
        result.unlink(missing_ok=True)
        print(f"{size:,} claims: publishing …", file=sys.stderr, flush=True)
        env = {**os.environ, "PROVENANCE_ACTOR": ACTOR}
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                str(working),
                str(args.work / str(size) / "public.db"),
                str(result),
            ],
            check=True,
            env=env,
        )
        runs.append({"size": size, **json.loads(result.read_text())})
    info["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    (args.work / "publish-results.json").write_text(json.dumps(runs, indent=1))
    command = " ".join(
        [".venv/bin/python", "benchmarks/publish_bench.py", "--sizes", *map(str, args.sizes)]
        + (["--seed", str(args.seed)] if args.seed != 1 else [])
    )
    section = render(runs, command, info, args.seed)
    print(section)
    if not args.no_docs:
        write_docs(section)
        print(f"recorded in {DOCS}")


if __name__ == "__main__":
    main()
