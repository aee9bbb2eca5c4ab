"""Import benchmark: ``provenance import FILE.csv`` against raw SQLite, at several sizes.

    .venv/bin/python benchmarks/import_bench.py --sizes 10000 100000 1000000 [--seed N] [--out DIR]

For each size, a seeded synthetic data set (``synthetic.py``) is written to disk, then
one fresh worker process per size:

1. inserts the same CSV rows with ``sqlite3.executemany`` into a minimal table of the
   same columns, in one transaction (the raw-SQLite baseline);
2. runs ``provenance init`` (``db.make_engine(create=True)`` + ``db.migrate``) on a fresh
   file, imports ``header.yaml`` (sources, properties, curated entities) as its own
   command, then imports ``claims.csv`` exactly as ``provenance import`` does:
   ``importer.import_file`` in one transaction on one connection, then commit;
3. reports wall and CPU time, the process's peak RSS (``ru_maxrss``), and its RSS at
   about forty points of the import, so memory growth with the file is visible.

CPU time is reported beside wall time because on a shared machine the wall clock
stretches with other processes' load (the load average and CPU pressure are recorded).

A worker per size keeps one size's memory from showing up in the next one's peak.
Sizes whose import exceeds ``--timeout`` seconds are stopped, reported with the rate
reached so far, and no larger size is run. Python's own allocations are measured in a
second worker under ``tracemalloc`` (slower, so its time is not reported) for sizes up
to ``--tracemalloc-max``. At ``--cli-size`` the real CLI is run as subprocesses on a
fresh file to show that its path matches the library's.

The figures go to a table on stdout, ``results.json`` in ``--out``, and the import
section of ``docs/benchmarks.md`` (``--docs FILE`` writes it elsewhere, ``--no-docs``
nowhere); the rest of that file is left as it is.

``--profile N`` instead profiles one N-row import with cProfile, prints the top
functions by cumulative time and the SQL statements issued per record.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import csv
import datetime as dt
import io
import json
import os
import platform
import pstats
import resource
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION_BEGIN = "<!-- import-benchmark:begin (written by benchmarks/import_bench.py) -->"
SECTION_END = "<!-- import-benchmark:end -->"
TARGET_RATE = 50_000  # claims/s at 1M, from the project's issues
TARGET_RSS_MB = 300
TARGET_SIZE = 1_000_000
ACTOR = "benchmark"
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------- measuring helpers


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class Clock:
    """Wall and CPU time of a block; CPU time is the steadier figure on a busy machine."""

    def __enter__(self) -> Clock:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def _tty_progress(label: str) -> Callable[[str], None]:
    show = sys.stderr.isatty()

    def say(text: str) -> None:
        if show:
            print(f"\r  {label}: {text}\x1b[K", end="", file=sys.stderr, flush=True)

    return say


def _clear_line() -> None:
    if sys.stderr.isatty():
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _db_bytes(path: Path) -> int:
    return sum(
        Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
    )


# ---------------------------------------------------------------- the worker


def raw_baseline(csv_path: Path, db_path: Path) -> dict[str, Any]:
    """The same rows through sqlite3 alone: one table of the same columns, one transaction."""
    connection = sqlite3.connect(_fresh(db_path), isolation_level=None)
    # the product's connection settings, so the difference is the product's own work
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    columns = ", ".join(f"{c} TEXT" for c in synthetic.CSV_COLUMNS)
    connection.execute(f"CREATE TABLE claims_raw (id INTEGER PRIMARY KEY, {columns})")
    placeholders = ", ".join("?" for _ in synthetic.CSV_COLUMNS)
    sql = f"INSERT INTO claims_raw ({', '.join(synthetic.CSV_COLUMNS)}) VALUES ({placeholders})"
    with Clock() as clock, open(csv_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        connection.execute("BEGIN IMMEDIATE")
        # empty cells are stored as NULL, as the importer does
        connection.executemany(sql, ([cell or None for cell in row] for row in reader))
        connection.execute("COMMIT")
    rows = connection.execute("SELECT count(*) FROM claims_raw").fetchone()[0]
    connection.close()
    size = _db_bytes(db_path)
    _fresh(db_path)
    return {"rows": rows, "wall_s": clock.wall, "cpu_s": clock.cpu, "db_bytes": size}


def _cli_transaction(engine, path: Path, progress=None):
    """What ``provenance import`` does: one connection, one transaction, commit."""
    from sqlalchemy.orm import Session

    from provenance import importer

    with engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, expire_on_commit=False) as session:
            try:
                report = importer.import_file(session, path, ACTOR, progress=progress)
                session.flush()
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                raise
            transaction.commit()
    return report


def _counts(db_path: Path) -> dict[str, int]:
    # a plain connection: a read-only one may not see rows still in the WAL
    connection = sqlite3.connect(db_path)
    try:
        return {
            t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (
                "claims",
                "citations",
                "entities",
                "aliases",
                "claim_qualifiers",
                "history",
                "changes",
            )
        }
    finally:
        connection.close()


# written by the import: copied in the floor's timed part (sources, properties and
# footnotes come from header.yaml and are copied beforehand, with the changes rows the
# history rows point to: one per command)
FLOOR_TABLES = ("entities", "aliases", "claims", "claim_qualifiers", "citations", "history")


def _floor_target(imported: Path, target: Path) -> sqlite3.Connection:
    """A fresh database of the product's schema and settings at ``target``, with
    ``imported`` attached and its header rows (sources, properties, footnotes) copied,
    in an open write transaction: what both floors write into."""
    from provenance import db

    engine = db.make_engine(str(_fresh(target)), create=True)
    db.migrate(engine)
    engine.dispose()
    connection = sqlite3.connect(target, isolation_level=None)
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        f"cache_size = -{db.CACHE_KIB}",
        "foreign_keys = ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("ATTACH DATABASE ? AS imported", (str(imported),))
    connection.execute("BEGIN IMMEDIATE")
    for table_name in ("changes", "sources", "properties", "footnotes"):
        connection.execute(f"INSERT INTO main.{table_name} SELECT * FROM imported.{table_name}")
    return connection


def schema_floor(imported: Path, target: Path) -> dict[str, Any]:
    """SQLite's own cost of the rows the import wrote, with no Python per row.

    A fresh database of the same schema (``db.migrate``, the product's connection
    settings) receives the imported database's rows by ``INSERT … SELECT`` from an
    attached copy, in one transaction with its commit: every index and foreign key is
    maintained as in the import, but values are neither parsed, checked nor bound.
    No import written in Python can be faster than this on the same machine.
    """
    connection = _floor_target(imported, target)
    rows = 0
    with Clock() as clock:
        for table_name in FLOOR_TABLES:
            rows += connection.execute(
                f"INSERT INTO main.{table_name} SELECT * FROM imported.{table_name}"
            ).rowcount
        connection.execute("COMMIT")
    connection.close()
    _fresh(target)
    return {"rows": rows, "wall_s": clock.wall, "cpu_s": clock.cpu}


def driver_floor(imported: Path, target: Path, batch_size: int) -> dict[str, Any]:
    """The cost of handing the imported rows to SQLite through Python's ``sqlite3``.

    Like :func:`schema_floor`, but each table's rows are read back in batches of the
    import's size and written with ``executemany``, as any importer written in Python
    must write them; only the ``executemany`` calls and the commit are timed. No Python
    work is done on a row beyond binding it, so an importer that writes these rows
    through the driver cannot be faster than this on the same machine.
    """
    connection = _floor_target(imported, target)
    rows = 0
    wall = cpu = 0.0
    tables: dict[str, float] = {}
    for table_name in FLOOR_TABLES:
        tables[table_name] = 0.0
        width = len(connection.execute(f"SELECT * FROM imported.{table_name} LIMIT 0").description)
        insert = f"INSERT INTO main.{table_name} VALUES ({', '.join('?' * width)})"
        reader = connection.cursor()
        reader.execute(f"SELECT * FROM imported.{table_name} ORDER BY rowid")
        while batch := reader.fetchmany(batch_size):
            with Clock() as clock:
                connection.executemany(insert, batch)
            wall += clock.wall
            cpu += clock.cpu
            tables[table_name] += clock.wall
            rows += len(batch)
    with Clock() as clock:
        connection.execute("COMMIT")
    connection.close()
    _fresh(target)
    return {
        "rows": rows,
        "wall_s": wall + clock.wall,
        "cpu_s": cpu + clock.cpu,
        "commit_s": clock.wall,
        "tables_wall_s": tables,
    }


def code_fingerprint() -> str:
    """A digest of the product's source as this process loaded it, so runs of different
    code show."""
    import hashlib

    import provenance

    digest = hashlib.sha256()
    for path in sorted(Path(provenance.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def worker(args: argparse.Namespace) -> None:
    """One size in a fresh process; writes its figures as JSON to ``args.result``."""
    import tracemalloc

    # loaded before the fingerprint is taken
    from provenance import claims, db, importer  # noqa: F401

    data = Path(args.data)
    db_path = Path(args.db)
    # open for the whole run, line-buffered so the parent can follow it
    progress_file = open(args.progress, "w", buffering=1) if args.progress else None  # noqa: SIM115
    out: dict[str, Any] = {
        "rows": json.loads((data / "manifest.json").read_text())["rows"],
        "code": code_fingerprint(),
    }
    if not args.tracemalloc:
        out["baseline"] = raw_baseline(data / "claims.csv", db_path.with_name("baseline.db"))
    # written after each stage, so a size stopped by the time limit keeps what it measured
    Path(args.result).write_text(json.dumps(out, indent=1))

    with Clock() as init_clock:  # provenance init
        engine = db.make_engine(str(_fresh(db_path)), create=True)
        db.migrate(engine)
        engine.dispose()
    engine = db.make_engine(str(db_path))
    db.require_current(engine)  # as every command but init does
    with Clock() as header_clock:
        header = _cli_transaction(engine, data / "header.yaml")
    out["init_s"] = init_clock.wall
    out["header"] = {
        "wall_s": header_clock.wall,
        "cpu_s": header_clock.cpu,
        "sources": header.sources_added,
        "properties": header.properties_added,
        "entity_names": header.entities_added,
    }
    Path(args.result).write_text(json.dumps(out, indent=1))

    samples: list[tuple[int, float, int]] = []
    say = _tty_progress(f"{out['rows']:,} import")
    started = time.perf_counter()
    cpu_started = time.process_time()
    rss_max = 0
    every = max(1000, out["rows"] // 40 // 1000 * 1000)  # about forty samples per import

    def tick(count: int, *_: Any) -> None:
        nonlocal rss_max
        rss = rss_bytes()
        rss_max = max(rss_max, rss)
        elapsed = time.perf_counter() - started
        if count % every == 0 or count == out["rows"]:
            samples.append((count, elapsed, rss))
            if progress_file:
                line = {
                    "records": count,
                    "wall_s": elapsed,
                    "cpu_s": time.process_time() - cpu_started,
                    "rss_bytes": rss,
                }
                if args.tracemalloc:
                    line["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
                progress_file.write(json.dumps(line) + "\n")
            say(
                f"{count:,} records, {count / max(elapsed, 1e-9):,.0f}/s, RSS {rss / 2**20:,.0f} MB"
            )

    rss_before = rss_bytes()
    peak_before = peak_rss_bytes()
    if args.tracemalloc:
        tracemalloc.start()
    with Clock() as clock:
        report = _cli_transaction(engine, data / "claims.csv", progress=tick)
    if args.tracemalloc:
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["tracemalloc_peak_bytes"] = traced_peak
    _clear_line()
    engine.dispose()
    result = report.result
    out["import"] = {
        "records": report.records,
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "claims_new": result.claims_new,
        "citations_new": result.citations_new,
        "entities_created": result.entities_created_count,
        "rss_before_bytes": rss_before,
        "peak_rss_before_bytes": peak_before,
        "peak_rss_bytes": peak_rss_bytes(),
        "rss_sampled_max_bytes": rss_max,
        "rss_samples": samples,
        "db_bytes": _db_bytes(db_path),
    }
    out["counts"] = _counts(db_path)
    Path(args.result).write_text(json.dumps(out, indent=1))
    if not args.tracemalloc:
        out["floor"] = schema_floor(db_path, db_path.with_name("floor.db"))
        Path(args.result).write_text(json.dumps(out, indent=1))
        out["driver_floor"] = driver_floor(
            db_path, db_path.with_name("floor.db"), claims.BATCH_SIZE
        )
        Path(args.result).write_text(json.dumps(out, indent=1))


# ---------------------------------------------------------------- the parent


def run_worker(data: Path, work: Path, *, timeout: float, tracemalloc: bool) -> dict[str, Any]:
    result = work / ("tracemalloc.json" if tracemalloc else "result.json")
    progress = work / ("tracemalloc.progress" if tracemalloc else "import.progress")
    result.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--data",
        str(data),
        "--db",
        str(work / "provenance.db"),
        "--result",
        str(result),
        "--progress",
        str(progress),
    ]
    if tracemalloc:
        command.append("--tracemalloc")
    process = subprocess.Popen(command, env={**os.environ, "PROVENANCE_ACTOR": ACTOR})
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        partial: dict[str, Any] = json.loads(result.read_text()) if result.exists() else {}
        partial["timed_out_after_s"] = timeout
        lines = progress.read_text().splitlines() if progress.exists() else []
        if lines:
            last = json.loads(lines[-1])
            partial.update(
                records_done=last["records"],
                wall_s=last["wall_s"],
                cpu_s=last["cpu_s"],
                rss_bytes=last["rss_bytes"],
            )
            partial["tracemalloc_peak_bytes"] = last.get("tracemalloc_peak_bytes")
            partial["rss_samples"] = [
                (x["records"], x["wall_s"], x["rss_bytes"]) for x in map(json.loads, lines)
            ]
        return partial
    if code != 0 or not result.exists():
        raise SystemExit(f"worker for {data} failed with exit code {code}")
    return json.loads(result.read_text())


def cli_check(data: Path, work: Path) -> dict[str, Any]:
    """The real CLI on a fresh file: init, import header.yaml, then the timed import."""
    exe = Path(sys.executable).with_name("provenance")
    base = (
        [str(exe)]
        if exe.exists()
        else [sys.executable, "-c", "from provenance.cli import cli; cli()"]
    )
    db_path = _fresh(work / "cli.db")
    env = {**os.environ, "PROVENANCE_ACTOR": ACTOR}

    def run(*args: str) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [*base, "--db", str(db_path), *args], check=True, env=env, stdout=subprocess.DEVNULL
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return time.perf_counter() - started, cpu

    run("init")
    run("import", str(data / "header.yaml"))
    wall, cpu = run("import", str(data / "claims.csv"))
    startup, startup_cpu = run(
        "--help"
    )  # interpreter start and imports, paid once by every command
    counts = _counts(db_path)
    _fresh(db_path)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "startup_s": startup,
        "startup_cpu_s": startup_cpu,
        "counts": counts,
    }


def cpu_pressure() -> float | None:
    """Share of the last minute some runnable task waited for a CPU (Linux PSI), in %."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return float(dict(kv.split("=") for kv in first.split()[1:])["avg60"])


def machine() -> dict[str, Any]:
    import sqlalchemy

    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": "unknown",
        "ram_gb": None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "os": platform.platform(terse=True),
        "load_before": os.getloadavg(),
        "cpu_pressure_before": cpu_pressure(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        info["commit"] = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        info["dirty"] = bool(
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                    "src",
                    "migrations",
                ],
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
    except OSError:
        info["commit"], info["dirty"] = "unknown", None
    return info


def mb(n: float | None) -> str:
    return "–" if n is None else f"{n / 2**20:,.0f}"


def per_s(n: float | None, s: float | None) -> str:
    return f"{n / s:,.0f}" if n and s else "–"


def _rates(r: dict[str, Any]) -> dict[str, float | None]:
    imp, base = r.get("import"), r.get("baseline")
    partial = r.get("partial") or {}
    records = imp["records"] if imp else partial.get("records_done")
    wall = imp["wall_s"] if imp else partial.get("wall_s")
    cpu = imp["cpu_s"] if imp else partial.get("cpu_s")
    return {
        "wall": records / wall if records and wall else None,
        "cpu": records / cpu if records and cpu else None,
        "base_wall": base["rows"] / base["wall_s"] if base else None,
        "base_cpu": base["rows"] / base["cpu_s"] if base and base["cpu_s"] else None,
    }


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "claims",
        "import s",
        "import claims/s",
        "import claims/CPU-s",
        "baseline rows/s",
        "baseline rows/CPU-s",
        "ratio (wall)",
        "ratio (CPU)",
        "schema floor s (CPU s)",
        "schema floor claims/s",
        "driver floor s (CPU s)",
        "driver floor claims/s",
        "peak RSS MB",
        "RSS before import MB",
        "tracemalloc peak MB",
        "header import s",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in results:
        rates = _rates(r)
        imp, partial = r.get("import"), r.get("partial") or {}
        ratio_wall = (
            f"{rates['base_wall'] / rates['wall']:,.0f}×"
            if rates["base_wall"] and rates["wall"]
            else "–"
        )
        ratio_cpu = (
            f"{rates['base_cpu'] / rates['cpu']:,.0f}×"
            if rates["base_cpu"] and rates["cpu"]
            else "–"
        )
        traced = r.get("tracemalloc_peak_bytes")
        traced_text = (
            mb(traced) if r.get("tracemalloc_complete", True) else f"≥ {mb(traced)} (stopped)"
        )
        if imp:
            first = (f"{r['size']:,}", f"{imp['wall_s']:,.1f}")
            memory = (mb(imp["peak_rss_bytes"]), mb(imp["rss_before_bytes"]))
        else:
            done = partial.get("records_done")
            first = (
                f"{r['size']:,}",
                f"stopped at {partial['timed_out_after_s']:,.0f} s"
                + (f" after {done:,} claims" if done else ""),
            )
            memory = (
                f"≥ {mb(partial['rss_bytes'])} (at stop)" if partial.get("rss_bytes") else "–",
                "–",
            )
        cells = (
            *first,
            f"{rates['wall']:,.0f}" if rates["wall"] else "–",
            f"{rates['cpu']:,.0f}" if rates["cpu"] else "–",
            f"{rates['base_wall']:,.0f}" if rates["base_wall"] else "–",
            f"{rates['base_cpu']:,.0f}" if rates["base_cpu"] else "–",
            ratio_wall,
            ratio_cpu,
            f"{r['floor']['wall_s']:,.1f} ({r['floor']['cpu_s']:,.1f})" if r.get("floor") else "–",
            f"{r['size'] / r['floor']['wall_s']:,.0f}" if r.get("floor") else "–",
            f"{r['driver_floor']['wall_s']:,.1f} ({r['driver_floor']['cpu_s']:,.1f})"
            if r.get("driver_floor")
            else "–",
            f"{r['size'] / r['driver_floor']['wall_s']:,.0f}" if r.get("driver_floor") else "–",
            *memory,
            traced_text if traced else "–",
            f"{r['header']['wall_s']:,.1f}" if r.get("header") else "–",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rss_growth(samples: list) -> str | None:
    """RSS at a quarter of the file against RSS at its end: flat memory keeps these close."""
    if len(samples) < 4:
        return None
    quarter, last = samples[len(samples) // 4], samples[-1]
    return f"{mb(quarter[2])} MB at {quarter[0]:,} claims → {mb(last[2])} MB at {last[0]:,}"


def verdicts(results: list[dict[str, Any]], timeout: float) -> list[str]:
    lines = []
    for r in results:
        size, rates = r["size"], _rates(r)
        imp, partial = r.get("import"), r.get("partial") or {}
        if imp is None:
            done = partial.get("records_done")
            reached = (
                f" after {done:,} claims, at {rates['wall']:,.0f} claims/s ({rates['cpu']:,.0f} per"
                " CPU-second)"
                if done
                else ""
            )
            text = (
                f"- **{size:,}**: the import did not finish within the {timeout:,.0f} s"
                f" limit{reached}; no larger size was run"
            )
            growth = rss_growth(partial.get("rss_samples") or [])
            lines.append(text + (f"; RSS {growth}" if growth else "") + ".")
            continue
        text = (
            f"- **{size:,}**: {rates['wall']:,.0f} claims/s ({rates['cpu']:,.0f} per CPU-second)"
            f" making {imp['claims_new']:,} claims, {imp['citations_new']:,} citations and"
            f" {imp['entities_created']:,} new entities; {rates['base_wall'] / rates['wall']:,.0f}×"
            f" the raw-SQLite time ({rates['base_cpu'] / rates['cpu']:,.0f}× in CPU time); peak RSS"
            f" {mb(imp['peak_rss_bytes'])} MB"
        )
        if r.get("floor"):
            floor = r["floor"]
            text += (
                f"; SQLite alone writes the same {floor['rows']:,} rows in {floor['wall_s']:,.1f} s"
                f" ({size / floor['wall_s']:,.0f} claims/s),"
                f" {imp['wall_s'] / floor['wall_s']:,.1f}× faster than the import"
            )
        if r.get("driver_floor"):
            driver = r["driver_floor"]
            slowest = sorted(driver["tables_wall_s"].items(), key=lambda item: -item[1])[:3]
            by_table = ", ".join(f"{name} {seconds:,.2f} s" for name, seconds in slowest)
            text += (
                "; handing those rows to the driver (`executemany`, no other Python work) takes"
                f" {driver['wall_s']:,.1f} s ({size / driver['wall_s']:,.0f} claims/s; the slowest"
                f" tables {by_table}; the commit {driver['commit_s']:,.2f} s)"
            )
        growth = rss_growth(imp.get("rss_samples") or [])
        lines.append(text + (f" (RSS {growth})" if growth else "") + ".")
    target = next((r for r in results if r["size"] == TARGET_SIZE), None)
    goal = f"≥ {TARGET_RATE:,} claims/s and ≤ {TARGET_RSS_MB} MB peak RSS at {TARGET_SIZE:,} claims"
    if target is None:
        lines.append(f"- Targets ({goal}): not measured at {TARGET_SIZE:,} in this run.")
    elif target.get("import"):
        imp, rates = target["import"], _rates(target)
        rss = imp["peak_rss_bytes"] / 2**20
        lines.append(
            f"- Targets ({goal}): rate {rates['wall']:,.0f} claims/s —"
            f" {'met' if rates['wall'] >= TARGET_RATE else 'missed'}; peak RSS {rss:,.0f} MB —"
            f" {'met' if rss <= TARGET_RSS_MB else 'missed'}."
        )
    else:
        rates = _rates(target)
        if rates["wall"]:
            lines.append(
                f"- Targets ({goal}): rate missed — at {rates['wall']:,.0f} claims/s a million"
                f" claims take about {TARGET_SIZE / rates['wall'] / 3600:,.1f} hours"
                f" ({TARGET_SIZE / rates['cpu'] / 3600:,.1f} hours of CPU); the target means 20 s."
                " Peak RSS not measured: the import did not finish."
            )
    return lines


def write_docs(
    docs: Path,
    results: list[dict[str, Any]],
    info: dict[str, Any],
    command: str,
    timeout: float,
    seed: int,
) -> None:
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    load = lambda xs: ", ".join(f"{x:.1f}" for x in xs)  # noqa: E731
    pressure = ""
    if info.get("cpu_pressure_before") is not None:
        pressure = (
            " CPU pressure (share of the last minute a task waited for a CPU):"
            f" {info['cpu_pressure_before']:.0f} % at the start,"
            f" {info.get('cpu_pressure_after') or 0:.0f} % at the end."
        )
    dirty = " with uncommitted changes in src/ or migrations/" if info.get("dirty") else ""
    digests = {r["code"] for r in results if r.get("code")}
    mixed = (
        "; the source changed between sizes, so they ran different code" if len(digests) > 1 else ""
    )
    parts = [
        SECTION_BEGIN,
        "## Import",
        "",
        (
            f"Run {when} on commit `{info.get('commit')}`{dirty} (source digest"
            f" {', '.join(sorted(digests)) or 'unknown'}{mixed})."
        ),
        "",
        (
            f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, {info['os']};"
            f" {info['python']}, SQLite {info['sqlite']}, SQLAlchemy {info['sqlalchemy']}. Load"
            f" average at the start {load(info['load_before'])}, at the end"
            f" {load(info['load_after'])}.{pressure} A load above the CPU count means other"
            " processes shared the machine and stretched the wall-clock figures; the CPU-time"
            " columns (the worker's user + system time) are the steadier comparison."
        ),
        "",
        "```",
        command,
        "```",
        "",
        (
            f"Data: `benchmarks/synthetic.py`, seed {seed}: text-less sources (citations without"
            f" quotes), 3–10 per subject; {len(synthetic.PROPERTIES)} properties of every datatype;"
            " person, organisation and place names with transliteration variants; about 5 % of"
            " (subject, property) groups contradicted. *Claims* counts records of the file, one"
            " citation each (sources stating the same value share one claim). *Import* is"
            " `provenance import claims.csv` through `importer.import_file` in one transaction on"
            " a fresh file, after `provenance init` and the import of `header.yaml` (*header"
            " import s*: its sources, properties and curated entities with aliases). *Baseline* is"
            " the same CSV rows read with `csv` and inserted with `sqlite3.executemany` into one"
            " table of the same columns in one transaction, in the same worker process; *ratio* is"
            " import time ÷ baseline time. *Schema floor* is SQLite's own cost of the rows the"
            " import wrote (entities, aliases, claims, qualifiers, citations, history): copied by"
            " `INSERT … SELECT` from the imported file into a fresh database of the same schema"
            " and settings, in one transaction with its commit, with no Python per row — the time"
            " below which no import through this schema can go on this machine. *Driver floor* is"
            " the same rows read back in batches of the import's size and written with"
            " `sqlite3.executemany` (only those calls and the commit timed): the time below which"
            " no importer that writes these rows through Python's `sqlite3` can go. *Peak RSS* is"
            " the worker's `ru_maxrss` (a fresh process per size, so sizes do not mix); *RSS"
            " before import* is its resident size just before the CSV import (interpreter,"
            " libraries, the header's work); *tracemalloc peak* is Python's own peak allocation"
            " during the import, measured in a separate worker."
        ),
        "",
        table(results),
        "",
    ]
    checked = next((r for r in results if r.get("cli")), None)
    if checked:
        cli, imp = checked["cli"], checked["import"]
        same = cli["counts"] == checked["counts"]
        parts += [
            (
                f"CLI check at {checked['size']:,}: `provenance import claims.csv` run as a"
                f" subprocess on a fresh file took {cli['wall_s']:,.1f} s wall, {cli['cpu_s']:,.1f}"
                f" s CPU (of which start-up and imports: {cli['startup_s']:,.1f} s wall,"
                f" {cli['startup_cpu_s']:,.1f} s CPU), against {imp['wall_s']:,.1f} s wall,"
                f" {imp['cpu_s']:,.1f} s CPU through the library; the two databases hold"
                f" {'the same' if same else 'DIFFERENT'} row counts"
                f" ({', '.join(f'{k} {v:,}' for k, v in cli['counts'].items())})."
            ),
            "",
        ]
    parts += ["Figures against the targets:", "", *verdicts(results, timeout), "", SECTION_END]
    section = "\n".join(parts) + "\n"
    docs.parent.mkdir(parents=True, exist_ok=True)
    text = (
        docs.read_text(encoding="utf-8")
        if docs.exists()
        else (
            "# Benchmarks\n\nFigures recorded by the scripts in `benchmarks/` (see"
            " `benchmarks/README.md`).\n"
        )
    )
    if SECTION_BEGIN in text and SECTION_END in text:
        before, rest = text.split(SECTION_BEGIN, 1)
        _, after = rest.split(SECTION_END, 1)
        text = before + section.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    docs.write_text(text, encoding="utf-8")


def profile(rows: int, seed: int, out: Path, top: int) -> None:
    """cProfile of one import, and the SQL statements it issues by kind."""
    from sqlalchemy import event

    from provenance import db

    data = synthetic.generate(out / f"profile-{rows}", rows, seed, progress=True)
    db_path = _fresh(out / f"profile-{rows}" / "provenance.db")
    engine = db.make_engine(str(db_path), create=True)
    db.migrate(engine)
    engine.dispose()
    engine = db.make_engine(str(db_path))
    _cli_transaction(engine, data.header)
    statements: collections.Counter[str] = collections.Counter()

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        statements[" ".join(statement.split()[:3]).split("(")[0]] += 1

    profiler = cProfile.Profile()
    with Clock() as clock:
        profiler.enable()
        report = _cli_transaction(engine, data.claims)
        profiler.disable()
    engine.dispose()
    stats_path = out / f"import-{rows}.prof"
    profiler.dump_stats(stats_path)
    print(
        f"{report.records:,} records in {clock.wall:,.1f} s under cProfile"
        f" ({report.records / clock.wall:,.0f}/s); stats in {stats_path}"
    )
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    print(buffer.getvalue())
    print(f"SQL statements during the import ({report.records:,} records):")
    for kind, n in statements.most_common():
        print(f"  {n:>9,}  ({n / report.records:5.2f} per record)  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="claims per data set",
    )
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the synthetic data")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "provenance-import-bench",
        help="where data sets, databases and results.json go",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="seconds one size's import may take before it is stopped (default 900)",
    )
    parser.add_argument(
        "--tracemalloc-max",
        type=int,
        default=100_000,
        help="largest size also measured under tracemalloc (slow)",
    )
    parser.add_argument(
        "--cli-size",
        type=int,
        default=10_000,
        help="size at which the CLI is also run as a subprocess (0: never)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases (data sets are always kept)"
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=DOCS,
        help="the Markdown file whose import section is replaced (default docs/benchmarks.md)",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update the docs")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="profile one N-claim import with cProfile instead"
    )
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="SHAPE:ROWS",
        help="whole processes instead (import_compare.py): provenance import serial and with"
        " workers, sqlite-utils insert, the INSERT … SELECT floor; SHAPE five or synthetic",
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[0, 1],
        help="--workers values of the imports --compare runs (default 0 1)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="--compare runs each program this many times, in turns, and keeps the run of"
        " median CPU time (default 1)",
    )
    # the worker's own arguments
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.profile, args.seed, args.out, args.top)
        return
    if args.compare:
        import import_compare

        workers = args.workers if 0 in args.workers else [0, *args.workers]
        import_compare.compare(
            args.compare,
            args.out,
            args.seed,
            workers,
            None if args.no_docs else args.docs,
            args.repeat,
        )
        return

    command = ".venv/bin/python benchmarks/import_bench.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:]
    )
    info = machine()
    results: list[dict[str, Any]] = []

    def save() -> None:
        (args.out / "results.json").write_text(
            json.dumps(
                {"machine": info, "command": command, "results": results}, indent=1, default=str
            )
        )

    for size in args.sizes:
        work = args.out / f"size-{size}"
        print(f"{size:,} claims: generating …", file=sys.stderr, flush=True)
        with Clock() as gen_clock:
            data = synthetic.generate(work, size, args.seed, progress=True)
        entry: dict[str, Any] = {
            "size": size,
            "generate_s": gen_clock.wall,
            "manifest": data.manifest,
        }
        results.append(entry)
        print(
            f"{size:,} claims: importing (limit {args.timeout:,.0f} s) …",
            file=sys.stderr,
            flush=True,
        )
        measured = run_worker(work, work, timeout=args.timeout, tracemalloc=False)
        if "timed_out_after_s" in measured:
            entry.update(
                {k: measured.pop(k) for k in ("baseline", "header", "code") if k in measured}
            )
            entry["partial"] = measured
            save()
            print(
                f"{size:,} claims: stopped after {args.timeout:,.0f} s; no larger size is run",
                file=sys.stderr,
            )
            break
        entry.update(measured)
        if size == args.cli_size:
            print(f"{size:,} claims: the CLI as a subprocess …", file=sys.stderr, flush=True)
            entry["cli"] = cli_check(work, work)
        if not args.keep:
            _fresh(work / "provenance.db")
        save()
    # Python's own allocations, once the timed runs are done: tracemalloc slows the import
    for entry in results:
        if entry["size"] > args.tracemalloc_max or "import" not in entry:
            continue
        work = args.out / f"size-{entry['size']}"
        print(f"{entry['size']:,} claims: again under tracemalloc …", file=sys.stderr, flush=True)
        traced = run_worker(work, work, timeout=args.timeout, tracemalloc=True)
        entry["tracemalloc_peak_bytes"] = traced.get("tracemalloc_peak_bytes")
        entry["tracemalloc_complete"] = "timed_out_after_s" not in traced
        if not args.keep:
            _fresh(work / "provenance.db")
        save()
    info["load_after"] = os.getloadavg()
    info["cpu_pressure_after"] = cpu_pressure()
    save()
    print()
    print(table(results))
    print()
    print("\n".join(verdicts(results, args.timeout)))
    if not args.no_docs:
        write_docs(args.docs, results, info, command, args.timeout, args.seed)
        print(f"\nrecorded in {args.docs}")


if __name__ == "__main__":
    main()
