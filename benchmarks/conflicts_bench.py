"""Conflict detection at 10k, 100k and 1M claims, against a raw-SQLite baseline.

    .venv/bin/python benchmarks/conflicts_bench.py --sizes 10000 100000 1000000 [--seed 1]
        [--cache DIR] [--cli-max 100000] [--replicate-from ROWS] [--explain] [--json OUT]

For each size, in one process:

1. ``synthetic.py`` writes the data set (same seed, same bytes) and the product's
   importer loads it into a new SQLite database: ``header.yaml`` then ``claims.csv``,
   each in one transaction, as ``provenance import`` does. Both are kept in the cache
   folder (``--cache``, default ``$XDG_CACHE_HOME/provenance-benchmarks``), keyed by
   size, seed and schema revision, and reused by later runs — the output says so and
   shows the import time measured when the database was built. A database built by an
   older importer is reused as long as the schema is the same: delete the cache to
   measure a changed importer.
2. Every measurement runs on a fresh copy of that database, with no conflict recorded:
   the raw-SQL baselines (Python's ``sqlite3`` on the same file); the detection query
   alone; ``conflicts.detect(session, actor)`` in one transaction (first run: every
   conflict is new) and again (re-run: verdicts kept, nothing new), and as
   ``conflicts`` runs it on an unchanged database (``reuse=True``: the key read,
   nothing detected); listing
   (``conflict_rows``, which computes support per conflict); and up to ``--cli-max``
   claims the whole ``provenance conflicts --json > /dev/null`` as a subprocess, and
   the terminal table on a pseudo-terminal: when its first 100 questions were out.
3. What was detected is compared with what the generator planted
   (``contradictions.csv``), group by group; planted stance contradictions that were
   not detected are sorted into those whose denied value covers an asserted one (a
   contradiction detection misses) and those where it is narrower (none).

``--replicate-from ROWS`` builds a size that is a multiple of ROWS, and has no imported
database in the cache, by copying the ROWS-claim database that many times in SQL
(fresh entities per copy, shared sources and properties) instead of importing it. The
groups, and so the conflicts, repeat exactly; the tables, indexes and sorts the query
goes through are full size. The output marks such a database NOT IMPORTED.

The copy is made just before measuring, so the file is in the operating system's cache
for every query: the figures are warm-cache figures on both sides. Each figure is wall
time and CPU time of this process (of the child, for the subprocess); detection is
single-threaded, so on a machine shared with other work the CPU time is the figure that
compares across runs, and the load average printed with each size says how far the wall
time was stretched.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

from provenance import conflicts  # noqa: E402
from provenance.db import (  # noqa: E402
    head_revision,
    make_engine,
    migrate,
    reading,
    session_scope,
)
from provenance.importer import import_file  # noqa: E402

ACTOR = "conflicts-benchmark"
TARGET_SECONDS = 5.0
TARGET_ROWS = 1_000_000

# The minimal question: which (subject, property) groups of a single-valued property
# hold more than one value? No scope, tolerance, source or stance rule.
BASELINE_GROUPS = """
SELECT c.subject_id, c.property_id
FROM claims AS c JOIN properties AS p ON p.id = c.property_id
WHERE p."multi" = 0 AND c."rank" != 'deprecated'
GROUP BY c.subject_id, c.property_id
HAVING count(DISTINCT c.value_key) > 1
"""

# The pairing work any set-based detection has to do: citations of claims in one
# group, paired when the claims or stances differ and the sources (document, speaker)
# differ. No value, scope or qualifier test, so it over-counts; it is a floor for the
# join, not an answer.
BASELINE_PAIRS = """
WITH ev AS (
    SELECT ci.claim_id, c.subject_id, c.property_id, ci.source_id,
           coalesce(ci.attributed_to_id, 0) AS speaker_id, ci.stance
    FROM citations AS ci
    JOIN claims AS c ON c.id = ci.claim_id
    JOIN properties AS p ON p.id = c.property_id
    WHERE p."multi" = 0 AND c."rank" != 'deprecated'
)
SELECT DISTINCT a.claim_id, b.claim_id
FROM ev AS a JOIN ev AS b
  ON b.subject_id = a.subject_id AND b.property_id = a.property_id AND b.claim_id >= a.claim_id
WHERE (a.source_id != b.source_id OR a.speaker_id != b.speaker_id)
  AND ((a.claim_id < b.claim_id AND a.stance = 'asserts' AND b.stance = 'asserts')
       OR (a.claim_id = b.claim_id AND a.stance != b.stance))
"""


def say(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    mem_kib = 0
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    mem_kib = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1) if mem_kib else None,
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
    }


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    # The figures mean little without it: other work on the machine slows every query.
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "provenance-benchmarks"


# ---------------------------------------------------------------- data and database


class Clock:
    """Wall and CPU seconds since it started; CPU time is the figure to trust on a busy machine."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self, into: dict[str, Any], key: str) -> None:
        into[f"{key}_s"] = round(time.perf_counter() - self.wall, 3)
        into[f"{key}_cpu_s"] = round(time.process_time() - self.cpu, 3)


def dataset(cache: Path, rows: int, seed: int) -> tuple[synthetic.Dataset, bool]:
    """The generated files for (rows, seed), generated unless the cache holds them."""
    directory = cache / f"synthetic-{rows}-seed{seed}"
    manifest_path = directory / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("rows") == rows and manifest.get("seed") == seed:
            return synthetic.Dataset(
                directory,
                directory / "header.yaml",
                directory / "claims.csv",
                directory / "contradictions.csv",
                manifest,
            ), True
    # a half-written folder from an interrupted run must not be mistaken for a data set
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    synthetic.generate(partial, rows, seed, progress=True)
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return synthetic.Dataset(
        directory,
        directory / "header.yaml",
        directory / "claims.csv",
        directory / "contradictions.csv",
        manifest,
    ), False


def _import_progress(label: str) -> Callable[[int, float], None] | None:
    if not sys.stderr.isatty():
        return None
    started = time.perf_counter()

    def tick(count: int, fraction: float) -> None:
        elapsed = time.perf_counter() - started
        eta = f", {elapsed / fraction - elapsed:,.0f} s left" if fraction > 0.01 else ""
        print(
            f"\r  {label}: {count:,} records, {fraction:.0%}{eta}   ",
            end="",
            file=sys.stderr,
            flush=True,
        )
        if fraction >= 1.0:
            print("", file=sys.stderr, flush=True)

    return tick


def database(
    cache: Path, data: synthetic.Dataset, rows: int, seed: int
) -> tuple[Path, dict[str, Any], bool]:
    """The imported database for (rows, seed), imported unless the cache holds it."""
    revision = head_revision()
    path = imported_path(cache, rows, seed)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text(encoding="utf-8")), True
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(str(partial), create=True)
    meta: dict[str, Any] = {
        "rows": rows,
        "seed": seed,
        "schema": revision,
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_before": load_average(),
    }
    try:
        migrate(engine)
        clock = Clock()
        with session_scope(engine) as session:
            import_file(session, data.header, ACTOR)
        clock.stop(meta, "import_header")
        clock = Clock()
        with session_scope(engine) as session:
            report = import_file(
                session, data.claims, ACTOR, progress=_import_progress(f"importing {rows:,} claims")
            )
        clock.stop(meta, "import_claims")
        meta["claims_per_s"] = round(rows / meta["import_claims_s"])
        meta["claims_new"] = report.result.claims_new
        with engine.connect() as connection:
            for table in ("entities", "claims", "citations", "claim_qualifiers"):
                meta[f"{table}_rows"] = connection.execute(
                    text(f"SELECT count(*) FROM {table}")
                ).scalar_one()
    finally:
        engine.dispose()
    # one self-contained file, so that a plain copy is a complete database
    connection = sqlite3.connect(partial)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    meta["load_after"] = load_average()
    os.replace(partial, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path, meta, False


# Columns that hold an entity id, per table: shifted with the entities of each copy.
ENTITY_COLUMNS = {
    "entities": ("id",),
    "aliases": ("entity_id",),
    "claims": ("subject_id", "entity_value_id"),
    "claim_qualifiers": ("entity_id",),
    "citations": ("attributed_to_id",),
}
CLAIM_COLUMNS = {"claims": ("id",), "claim_qualifiers": ("claim_id",), "citations": ("claim_id",)}
COPY_SUFFIX = re.compile(r" #(\d+)$")


def imported_path(cache: Path, rows: int, seed: int) -> Path:
    return cache / f"claims-{rows}-seed{seed}-{head_revision()}.db"


def replicated(
    base: Path, base_meta: dict[str, Any], copies: int
) -> tuple[Path, dict[str, Any], bool]:
    """The imported database copied ``copies`` times over in SQL: the same groups, ``copies`` times
    as many.

    Each copy gets its own entities (names suffixed `` #k``), claims, qualifiers and
    citations; sources and properties are shared. Groups never span copies, so the
    conflicts are exactly ``copies`` times those of the base: what changes is the size
    of every table, index and sort the detection query goes through.
    """
    rows = base_meta["rows"] * copies
    path = base.with_name(base.stem + f"-x{copies}.db")
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text(encoding="utf-8")), True
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    shutil.copyfile(base, partial)
    meta: dict[str, Any] = {
        **{
            k: v for k, v in base_meta.items() if k.startswith(("import_", "claims_per_s", "load_"))
        },
        "rows": rows,
        "seed": base_meta["seed"],
        "schema": base_meta["schema"],
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "replicated_from": base_meta["rows"],
        "copies": copies,
    }
    clock = Clock()
    connection = sqlite3.connect(partial, isolation_level=None)
    try:
        # a throw-away build: a crash leaves only the .partial file, which the next run replaces
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        top = {
            t: connection.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0
            for t in ("entities", "aliases", "claims", "claim_qualifiers", "citations")
        }
        for k in range(1, copies):
            for table in ("entities", "aliases", "claims", "claim_qualifiers", "citations"):
                columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
                values = []
                for column in columns:
                    expression = f'"{column}"'
                    if column in ENTITY_COLUMNS.get(table, ()):
                        expression = f'"{column}" + {k * top["entities"]}'
                    elif column in CLAIM_COLUMNS.get(table, ()):
                        expression = f'"{column}" + {k * top["claims"]}'
                    elif column == "id":
                        expression = f'"id" + {k * top[table]}'
                    elif (table, column) in (
                        ("entities", "name"),
                        ("aliases", "name"),
                        ("aliases", "normalised"),
                    ):
                        # names stay unique across copies, as the schema requires
                        expression = f"\"{column}\" || ' #{k}'"
                    values.append(expression)
                quoted = ", ".join(f'"{c}"' for c in columns)
                connection.execute(
                    f"INSERT INTO {table} ({quoted}) SELECT {', '.join(values)} FROM {table} WHERE"
                    f" id <= {top[table]}"
                )
        connection.execute("COMMIT")
        for table in ("entities", "claims", "citations", "claim_qualifiers"):
            meta[f"{table}_rows"] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                0
            ]
    finally:
        connection.close()
    clock.stop(meta, "replicate")
    os.replace(partial, path)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path, meta, False


# ---------------------------------------------------------------- measurements


def baseline(path: Path, sql: str, into: dict[str, Any], key: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        clock = Clock()
        rows = connection.execute(sql).fetchall()
        clock.stop(into, key)
        return rows
    finally:
        connection.close()


def detection_sql() -> str:
    return str(
        conflicts.detection_query().compile(
            dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}
        )
    )


def _plan_rows(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute("EXPLAIN QUERY PLAN " + detection_sql()).fetchall()


def format_plan(rows: list[tuple]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, _, detail) indented as sqlite3's shell does."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def measure(path: Path, cli_max: int, rows: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    groups = baseline(path, BASELINE_GROUPS, result, "baseline_groups")
    pairs = baseline(path, BASELINE_PAIRS, result, "baseline_pairs")
    result["baseline_groups"] = len(groups)
    result["baseline_pairs"] = len(pairs)
    result["_groups"] = {tuple(g) for g in groups}

    engine = make_engine(str(path))
    try:
        with reading(engine.connect()) as connection:
            clock = Clock()
            found = connection.execute(conflicts.detection_query()).all()
            clock.stop(result, "query_alone")
            result["query_rows"] = len(found)
            connection.rollback()

        for run in ("first", "rerun"):
            clock = Clock()
            with session_scope(engine) as session:
                detected = conflicts.detect(session, ACTOR)
                clock.stop(result, f"detect_{run}")
            # session_scope commits on leaving the block: the commit is part of the command
            clock.stop(result, f"detect_{run}_with_commit")
            result[f"detect_{run}"] = {
                "detected": detected.detected,
                "new": detected.new,
                "returned": detected.returned,
                "gone": detected.gone,
            }

        # what `conflicts` does on an unchanged database: reads the key, detects nothing
        clock = Clock()
        with session_scope(engine) as session:
            reused = conflicts.detect(session, ACTOR, reuse=True)
        clock.stop(result, "detect_reused")
        assert reused.reused, "the evidence changed between two runs of the benchmark"

        if rows <= cli_max:
            with (
                reading(engine.connect()) as connection,
                Session(bind=connection) as session,
            ):
                clock = Clock()
                listed = conflicts.conflict_rows(session)
                clock.stop(result, "listing")
                result["listed"] = len(listed)
                connection.rollback()
    finally:
        engine.dispose()

    if rows <= cli_max:
        command = [
            str(Path(sys.executable).with_name("provenance")),
            "--db",
            str(path),
            "--actor",
            ACTOR,
            "conflicts",
            "--json",
        ]
        result["cli_command"] = " ".join(command[1:]) + " > /dev/null"
        # first run: trust is learned and stored, and every question's leader remembered
        first = _child(command)
        result["cli_first_s"], result["cli_first_cpu_s"], result["cli_first_rss_mb"] = first
        result["trust_cpu_s"] = stored_trust_cpu(path)
        # re-run, nothing changed: the stored result is read, the listing streams
        result["cli_s"], result["cli_cpu_s"], result["cli_rss_mb"] = _child(command)
        # the terminal table on a (pseudo-)terminal, printed as it is made: when were the
        # first 100 questions out?
        table = command[:-1]
        (
            result["table_first_s"],
            result["table_s"],
            result["table_cpu_s"],
            result["table_rss_mb"],
        ) = _child_first(table, TABLE_FIRST)
        # what every command pays before it touches the database
        result["cli_startup_s"], result["cli_startup_cpu_s"], _ = _child([command[0], "--version"])
    return result


TABLE_FIRST = 100  # questions of the terminal table a reader sees first


def stored_trust_cpu(path: Path) -> float | None:
    """CPU seconds the stored trust result took to learn (``learned_trust``)."""
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT cpu_seconds FROM learned_trust WHERE evidence = 'all'"
        ).fetchone()
    return row[0] if row else None


TIME = Path("/usr/bin/time")


def _timed(command: list[str], rss: Path) -> list[str]:
    """``command`` run by GNU time, which writes its peak RSS (KB) to ``rss``. The peak
    RSS of a child as Python sees it (``RUSAGE_CHILDREN``) counts this process's own
    pages from before the child's exec: a large benchmark process inflates it."""
    return [str(TIME), "-f", "%M", "-o", str(rss), *command] if TIME.exists() else command


def _peak_mb(rss: Path) -> float | None:
    try:
        return round(int(rss.read_text().split()[-1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        return None


def _child(command: list[str]) -> tuple[float, float, float | None]:
    """Wall and CPU seconds of a command, and its peak RSS in MB."""
    with tempfile.TemporaryDirectory() as scratch:
        rss = Path(scratch) / "rss"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        completed = subprocess.run(
            _timed(command, rss), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = _peak_mb(rss)
    if completed.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.strip()}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return round(wall, 3), round(cpu, 3), peak


def _child_first(command: list[str], first: int) -> tuple[float | None, float, float, float | None]:
    """A listing printed on a terminal (a pseudo-terminal 100 columns wide, so the command
    lays out and flushes its table as it does for a reader): seconds until its
    ``first``-th question began (a line ``conflict N · …``), then wall and CPU seconds
    and peak RSS of the whole command."""
    import fcntl
    import pty
    import struct
    import termios

    with tempfile.TemporaryDirectory() as scratch:
        rss = Path(scratch) / "rss"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        start = time.perf_counter()
        seen, at = 0, None
        child = subprocess.Popen(
            _timed(command, rss), stdout=slave, stderr=subprocess.DEVNULL, close_fds=True
        )
        os.close(slave)
        pending = b""
        while True:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal: it has finished
                break
            if not data:
                break
            lines = (pending + data).split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line.startswith(b"conflict "):
                    seen += 1
                    if seen == first:
                        at = round(time.perf_counter() - start, 3)
        os.close(master)
        child.wait()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = _peak_mb(rss)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return at, round(wall, 3), round(cpu, 3), peak


# ---------------------------------------------------------------- ground truth


@dataclass
class Truth:
    planted: int = 0
    planted_by_kind: Counter = field(default_factory=Counter)
    found: int = 0
    missed_by_kind: Counter = field(default_factory=Counter)
    missed_examples: list[dict[str, str]] = field(default_factory=list)
    # missed stance contradictions: the denied claim is not the asserted one
    missed_denial_covers: int = (
        0  # denies a value that an asserted value lies inside ("denies 2003" vs "2003-09-24")
    )
    missed_denial_narrower: int = (
        0  # denies a narrower value ("denies 2013-09-14" vs "2013-09"): no contradiction
    )
    extra_groups: int = 0
    extra_by_kind: Counter = field(default_factory=Counter)
    extra_examples: list[dict[str, Any]] = field(default_factory=list)
    conflicts_by_kind: Counter = field(default_factory=Counter)
    detected_groups: int = 0
    baseline_planted: int = 0
    baseline_not_planted_by_datatype: Counter = field(default_factory=Counter)
    planted_not_in_baseline_by_kind: Counter = field(default_factory=Counter)


def compare(
    path: Path,
    data: synthetic.Dataset,
    baseline_groups: set[tuple[int, int]],
    copies: int = 1,
    examples: int = 5,
) -> Truth:
    """Detected conflicts against the generator's contradictions, by (subject, property)."""
    truth = Truth()
    planted: dict[tuple[str, str], dict[str, str]] = {}
    with open(data.contradictions, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for copy in range(copies):
                suffix = f" #{copy}" if copy else ""
                planted[(row["subject"] + suffix, row["property"])] = row
                truth.planted_by_kind[row["kind"]] += 1
    truth.planted = len(planted)

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        detected: dict[tuple[str, str], set[str]] = defaultdict(set)
        for subject, prop, kind in connection.execute(
            """
            SELECT e.name, p.name, k.kind FROM conflicts AS k
            JOIN entities AS e ON e.id = k.subject_id
            JOIN properties AS p ON p.id = k.property_id
            WHERE k.active
            """
        ):
            detected[(subject, prop)].add(kind)
            truth.conflicts_by_kind[kind] += 1
        stances: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for subject, prop, *row in connection.execute(
            """
            SELECT e.name, p.name, ci.stance, c.date_earliest, c.date_latest,
                   c.quantity_low, c.quantity_high, c.value_key
            FROM claims AS c
            JOIN citations AS ci ON ci.claim_id = c.id
            JOIN entities AS e ON e.id = c.subject_id
            JOIN properties AS p ON p.id = c.property_id
            WHERE (c.subject_id, c.property_id) IN (
                SELECT c2.subject_id, c2.property_id
                FROM citations AS ci2 JOIN claims AS c2 ON c2.id = ci2.claim_id
                WHERE ci2.stance = 'denies')
            """
        ):
            stances[(subject, prop)].append(tuple(row))
        names = dict(connection.execute("SELECT id, name FROM entities"))
        props = {
            pid: (name, datatype)
            for pid, name, datatype in connection.execute(
                "SELECT id, name, datatype FROM properties"
            )
        }
    finally:
        connection.close()

    truth.detected_groups = len(detected)
    for key, row in planted.items():
        if key in detected:
            truth.found += 1
        else:
            truth.missed_by_kind[row["kind"]] += 1
            if row["kind"] == "stance":
                if _denial_covers_assertion(stances.get(key, [])):
                    truth.missed_denial_covers += 1
                else:
                    truth.missed_denial_narrower += 1
            if len(truth.missed_examples) < examples and not COPY_SUFFIX.search(key[0]):
                truth.missed_examples.append(row)
    for key, kinds in detected.items():
        if key not in planted:
            truth.extra_groups += 1
            for kind in kinds:
                truth.extra_by_kind[kind] += 1
            if len(truth.extra_examples) < examples and not COPY_SUFFIX.search(key[0]):
                truth.extra_examples.append(
                    {"subject": key[0], "property": key[1], "kinds": sorted(kinds)}
                )

    named_baseline = {(names[s], props[p][0]): props[p][1] for s, p in baseline_groups}
    for key, datatype in named_baseline.items():
        if key in planted:
            truth.baseline_planted += 1
        else:
            truth.baseline_not_planted_by_datatype[datatype] += 1
    for key, row in planted.items():
        if key not in named_baseline:
            truth.planted_not_in_baseline_by_kind[row["kind"]] += 1
    return truth


def _denial_covers_assertion(citations: list[tuple]) -> bool:
    """Whether some denied value contains some asserted one (a date or quantity interval, or the
    same value)."""

    def inside(inner: tuple, outer: tuple) -> bool:
        _, ie, il, ilow, ihigh, ikey = inner
        _, oe, ol, olow, ohigh, okey = outer
        if ikey == okey:
            return True
        if ie is not None and oe is not None:
            return oe <= ie and (ol is None or (il is not None and il <= ol))
        if ilow is not None or ihigh is not None:
            low_ok = olow is None or (ilow is not None and olow <= ilow)
            high_ok = ohigh is None or (ihigh is not None and ihigh <= ohigh)
            return low_ok and high_ok
        return False

    asserted = [c for c in citations if c[0] == "asserts"]
    denied = [c for c in citations if c[0] == "denies"]
    return any(inside(a, d) for a in asserted for d in denied)


# ---------------------------------------------------------------- report


def report(
    rows: int,
    data_cached: bool,
    db_cached: bool,
    meta: dict[str, Any],
    m: dict[str, Any],
    truth: Truth,
) -> None:
    print(f"\n== {rows:,} claim records (seed {meta['seed']}) ==")
    if meta.get("copies"):
        built = (
            f"reused from cache, built {meta['built_at']}"
            if db_cached
            else f"built now in {meta['replicate_s']:.1f} s"
        )
        print(
            f"database: NOT IMPORTED — the {meta['replicated_from']:,}-record import copied"
            f" {meta['copies']} times in SQL ({built}); every group and conflict is there"
            f" {meta['copies']} times"
        )
    else:
        print(
            f"data set: {'reused from cache' if data_cached else 'generated'}; database:"
            f" {'reused from cache, imported ' + meta['built_at'] if db_cached else 'imported now'}"
        )
    print(
        f"  rows in the database: {meta['claims_rows']:,} claims, {meta['citations_rows']:,}"
        f" citations, {meta['entities_rows']:,} entities"
    )
    print(
        f"  import{' (of the copied database)' if meta.get('copies') else ''}: header"
        f" {meta['import_header_s']:.1f} s, claims {meta['import_claims_s']:.1f} s"
        f" ({meta['claims_per_s']:,} records/s, {meta['import_claims_cpu_s']:.1f} s CPU; load"
        f" {meta.get('load_before')} → {meta.get('load_after')})"
    )
    print("  seconds, wall / CPU:")
    print("  raw SQL (sqlite3, same file):")
    print(
        f"    groups with more than one value   {_t(m, 'baseline_groups')} "
        f" {m['baseline_groups']:,} groups"
    )
    print(
        f"    candidate pairs (no value tests)  {_t(m, 'baseline_pairs')}  {m['baseline_pairs']:,}"
        " pairs"
    )
    print("  conflicts:")
    print(f"    detection query alone             {_t(m, 'query_alone')}  {m['query_rows']:,} rows")
    first, rerun = m["detect_first"], m["detect_rerun"]
    print(
        f"    detect, first run                 {_t(m, 'detect_first')}  with commit"
        f" {_t(m, 'detect_first_with_commit')}  {first['detected']:,} detected,"
        f" {first['new']:,} new"
    )
    print(
        f"    detect, re-run                    {_t(m, 'detect_rerun')}  with commit"
        f" {_t(m, 'detect_rerun_with_commit')}  {rerun['detected']:,} detected, {rerun['new']:,}"
        f" new, {rerun['gone']:,} gone"
    )
    print(
        f"    detect, re-run, evidence unchanged{_t(m, 'detect_reused')}  (the key read,"
        " nothing detected: what `conflicts` does)"
    )
    if "listing_s" in m:
        print(
            f"    listing (support per conflict)    {_t(m, 'listing')}  {m['listed']:,} conflicts"
        )
    if "cli_first_s" in m:
        print(
            f"    conflicts --json, trust learned   {_t(m, 'cli_first')}  (trust alone"
            f" {m['trust_cpu_s']} s CPU); peak RSS {m['cli_first_rss_mb']} MB"
        )
    if "cli_s" in m:
        print(
            f"    conflicts --json, re-run (stored) {_t(m, 'cli')}  (process start alone"
            f" {_t(m, 'cli_startup')}); peak RSS {m['cli_rss_mb']} MB; CPU"
            f" {m['cli_cpu_s'] / m['baseline_groups_cpu_s']:.1f}× the raw groups query"
        )
        first = m["table_first_s"]
        print(
            f"    provenance conflicts (table)      {_t(m, 'table')}  first {TABLE_FIRST}"
            f" questions out after {first if first is not None else '-'} s wall; peak RSS"
            f" {m['table_rss_mb']} MB"
        )
    if rows == TARGET_ROWS:
        wall, cpu = m["detect_first_with_commit_s"], m["detect_first_with_commit_cpu_s"]
        print(
            f"    target {TARGET_SECONDS:.0f} s at 1M (first run, with commit): CPU {cpu:.1f} s,"
            f" {'within' if cpu <= TARGET_SECONDS else 'over'}; wall {wall:.1f} s,"
            f" {'within' if wall <= TARGET_SECONDS else 'over'} (load {m['load_before']} →"
            f" {m['load_after']})"
        )
    print("  against the generator's contradictions.csv, by (subject, property):")
    print(f"    planted {truth.planted:,} ({_kinds(truth.planted_by_kind)})")
    print(
        f"    detected in {truth.found:,} of them; missed {truth.planted - truth.found:,}"
        f" ({_kinds(truth.missed_by_kind)})"
    )
    if truth.missed_denial_covers or truth.missed_denial_narrower:
        print(
            "    missed stance groups: the denial covers an asserted value in"
            f" {truth.missed_denial_covers:,} (a contradiction not detected); it is narrower than"
            f" every asserted value in {truth.missed_denial_narrower:,} (no contradiction)"
        )
    print(
        f"    conflicts detected {sum(truth.conflicts_by_kind.values()):,}"
        f" ({_kinds(truth.conflicts_by_kind)}) in {truth.detected_groups:,} groups;"
        f" {truth.extra_groups:,} groups not planted ({_kinds(truth.extra_by_kind)})"
    )
    print(
        f"    raw groups with >1 value: {m['baseline_groups']:,}, of them planted"
        f" {truth.baseline_planted:,}; not planted by datatype:"
        f" {_kinds(truth.baseline_not_planted_by_datatype)}; planted but one value only:"
        f" {_kinds(truth.planted_not_in_baseline_by_kind)}"
    )
    for row in truth.missed_examples:
        print(
            f"    missed: {row['subject']} · {row['property']} · {row['kind']} (as_of"
            f" {row['as_of'] or '-'}, {row['qualifiers'] or 'no qualifiers'}) by {row['sources']}"
        )
    for row in truth.extra_examples:
        print(f"    not planted: {row['subject']} · {row['property']} · {', '.join(row['kinds'])}")


def _t(m: dict[str, Any], key: str) -> str:
    return f"{m[key + '_s']:8.3f} / {m[key + '_cpu_s']:7.3f}"


def _kinds(counter: Counter) -> str:
    return (
        ", ".join(f"{k} {v:,}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        or "none"
    )


def results_command(argv: list[str] | None) -> str:
    return " ".join(
        [
            ".venv/bin/python benchmarks/conflicts_bench.py",
            *(sys.argv[1:] if argv is None else argv),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="claim records per run (default: 10000 100000 1000000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=default_cache(),
        help="where data sets and imported databases are kept between runs",
    )
    parser.add_argument(
        "--cli-max",
        type=int,
        default=100_000,
        help="measure listing and `provenance conflicts --json` (a subprocess) up to this size",
    )
    parser.add_argument(
        "--replicate-from",
        type=int,
        metavar="ROWS",
        help=(
            "build a larger size that is a multiple of ROWS, and was never imported, by copying the"
            " ROWS-claim database in SQL instead of importing it"
        ),
    )
    parser.add_argument(
        "--explain", action="store_true", help="print SQLite's plan for the detection query"
    )
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)

    args.cache.mkdir(parents=True, exist_ok=True)
    facts = machine()
    print(
        f"machine: {facts['nproc']} CPUs ({facts['cpu']}), {facts['ram_gib']} GiB RAM, Python"
        f" {facts['python']}, SQLite {facts['sqlite']}, SQLAlchemy {facts['sqlalchemy']}; load"
        f" average {load_average()}"
    )
    print(f"command: {results_command(argv)}")
    print(f"cache: {args.cache}", flush=True)
    results: dict[str, Any] = {"machine": facts, "command": results_command(argv), "runs": []}
    last_plan: list[str] = []
    for rows in args.sizes:
        base = args.replicate_from
        copies = 1
        if (
            base
            and rows > base
            and rows % base == 0
            and not imported_path(args.cache, rows, args.seed).exists()
        ):
            copies = rows // base
            say(f"{rows:,} claims: {base:,}-claim data set and database, copied {copies} times")
            data, data_cached = dataset(args.cache, base, args.seed)
            base_db, base_meta, _ = database(args.cache, data, base, args.seed)
            cached_db, meta, db_cached = replicated(base_db, base_meta, copies)
        else:
            say(f"{rows:,} claims: data set")
            data, data_cached = dataset(args.cache, rows, args.seed)
            say(f"{rows:,} claims: database")
            cached_db, meta, db_cached = database(args.cache, data, rows, args.seed)
        with tempfile.TemporaryDirectory(prefix="conflicts-bench-", dir=args.cache) as work:
            path = Path(work) / "claims.db"
            shutil.copyfile(cached_db, path)
            if args.explain:
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    plan = format_plan(_plan_rows(connection))
                finally:
                    connection.close()
                # the schema has no statistics (no ANALYZE), so the plan seldom changes with size
                if plan != last_plan:
                    print(f"\nEXPLAIN QUERY PLAN (detection query, {rows:,} claims):")
                    print("\n".join(plan))
                    last_plan = plan
            say(f"{rows:,} claims: measuring")
            load_before = load_average()
            m = measure(path, args.cli_max, rows)
            m["load_before"], m["load_after"] = load_before, load_average()
            truth = compare(path, data, m.pop("_groups"), copies)
        report(rows, data_cached, db_cached, meta, m, truth)
        print(
            f"  load average during the measurements: {m['load_before']} → {m['load_after']}",
            flush=True,
        )
        results["runs"].append(
            {
                "rows": rows,
                "seed": args.seed,
                "data_cached": data_cached,
                "database_cached": db_cached,
                "copies": copies,
                "import": meta,
                "measurements": m,
                "truth": {
                    k: (dict(v) if isinstance(v, Counter) else v) for k, v in truth.__dict__.items()
                },
            }
        )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
