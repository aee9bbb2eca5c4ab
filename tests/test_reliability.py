"""The record survives: editors writing at once, kills mid-write, a full disk, bad files."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import file_bytes, invoke

from provenance import public_copy

pytestmark = pytest.mark.sqlite_only

PYTHON = sys.executable
HEADER = {
    "sources": [
        {"slug": "wire-a", "title": "Wire A", "reliability": "B"},
        {"slug": "wire-b", "title": "Wire B", "reliability": "C"},
    ],
    "properties": [{"name": "killed", "type": "quantity", "unit": "people"}],
}


def _prepare(run, tmp_path):
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    run("init")
    run("import", header)


def _csv(path: Path, rows: int, prefix: str = "Event") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["source", "subject", "property", "value", "confidence"])
        for i in range(rows):
            writer.writerow(
                ["wire-a" if i % 2 else "wire-b", f"{prefix} {i}", "killed", i % 50, "medium"]
            )
    return path


def _counts(db: Path) -> dict[str, int]:
    connection = sqlite3.connect(db)
    try:
        return {
            t: connection.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("claims", "citations", "entities", "history", "claim_qualifiers")
        }
    finally:
        connection.close()


def _sound(db: Path) -> None:
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert connection.execute("pragma foreign_key_check").fetchall() == []
    finally:
        connection.close()


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "PROVENANCE_DB": str(db), "PROVENANCE_ACTOR": "tester"}


# ---------------------------------------------------------------- concurrent editors

WORKER = textwrap.dedent(
    """
    import sys
    from provenance.cli import cli
    worker = int(sys.argv[1])
    failures = 0
    for i in range(50):
        try:
            cli.main(["--actor", f"editor-{worker}", "add", "--source", "wire-a",
                      "--subject", f"Worker {worker} event {i}",
                      "--property", "killed", "--value", str(i)], standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                failures += 1
    sys.exit(1 if failures else 0)
    """
)


def test_eight_editors_and_an_import_at_once_lose_nothing(run, db_path, tmp_path):
    _prepare(run, tmp_path)
    before = _counts(db_path)
    big = _csv(tmp_path / "big.csv", 10_000, prefix="Imported")
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    env = _env(db_path)
    importer = subprocess.Popen(
        [PYTHON, "-c", "from provenance.cli import cli; cli()", "import", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = [
        subprocess.Popen(
            [PYTHON, str(script), str(n)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    outputs = [p.communicate(timeout=600) for p in [*workers, importer]]
    for process, (out, err) in zip([*workers, importer], outputs, strict=True):
        assert process.returncode == 0, err[-2000:]
        assert "locked" not in (out + err).lower(), err[-2000:]
    after = _counts(db_path)
    assert after["claims"] - before["claims"] == 8 * 50 + 10_000
    assert after["citations"] - before["citations"] == 8 * 50 + 10_000
    # every claim and every citation carries the change that added it, with who made it
    connection = sqlite3.connect(db_path)
    actors = {
        table: dict(
            connection.execute(
                f"select c.actor, count(*) from {table} t join changes c on c.id = t.change_id"
                " group by c.actor"
            ).fetchall()
        )
        for table in ("claims", "citations")
    }
    connection.close()
    for table in ("claims", "citations"):
        for n in range(8):
            assert actors[table].get(f"editor-{n}") == 50, (table, actors[table])
        assert actors[table].get("tester") == 10_000, (table, actors[table])
    _sound(db_path)


def test_why_writes_begin_immediate(tmp_path):
    """Two deferred read-then-write transactions deadlock and one fails with "database is
    locked" whatever the busy timeout; BEGIN IMMEDIATE makes the second wait its turn."""
    path = tmp_path / "demo.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("pragma journal_mode = wal")
    setup.execute("create table t (n integer)")
    setup.close()

    def attempt(begin: str) -> list[str]:
        errors: list[str] = []
        barrier = threading.Barrier(2)

        def editor(n: int) -> None:
            connection = sqlite3.connect(
                path, isolation_level=None, timeout=5, check_same_thread=False
            )
            try:
                connection.execute(begin)
                connection.execute("select count(*) from t").fetchone()
                barrier.wait()  # both have read before either writes
                time.sleep(0.05)
                connection.execute("insert into t values (?)", (n,))
                connection.execute("commit")
            except sqlite3.OperationalError as exc:
                errors.append(str(exc))
                connection.execute("rollback")
            finally:
                connection.close()

        threads = [threading.Thread(target=editor, args=(n,)) for n in range(2)]
        if begin == "BEGIN IMMEDIATE":
            # the second cannot even start until the first commits, so no barrier is possible
            barrier = threading.Barrier(1)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return errors

    deferred = attempt("BEGIN")
    assert deferred and "locked" in deferred[0]
    assert attempt("BEGIN IMMEDIATE") == []


def test_a_listing_does_not_wait_for_a_writer(run, db_path, tmp_path):
    _prepare(run, tmp_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "insert into entities (name, kind, created_at) values ('Held', 'other', '2026-01-01')"
    )
    try:
        started = time.monotonic()
        run("sources", "--json")
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# ---------------------------------------------------------------- crashes


def _table_digest(db: Path) -> dict[str, list]:
    connection = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "select name from sqlite_master where type = 'table' order by name"
            )
        ]
        return {t: connection.execute(f"select * from {t} order by 1").fetchall() for t in tables}
    finally:
        connection.close()


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_killing_an_import_leaves_the_database_as_it_was(run, db_path, tmp_path, delay):
    _prepare(run, tmp_path)
    run("import", _csv(tmp_path / "first.csv", 200, prefix="Kept"))
    before = _table_digest(db_path)
    big = _csv(tmp_path / "big.csv", 100_000)
    process = subprocess.Popen(
        [PYTHON, "-c", "from provenance.cli import cli; cli()", "import", str(big)],
        env=_env(db_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    assert process.poll() is None, "the import finished before it could be killed: make it larger"
    process.send_signal(signal.SIGKILL)
    process.wait()
    _sound(db_path)
    assert _table_digest(db_path) == before
    run("check")


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found |= {int(p) for p in children.read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_killing_a_parallel_import_leaves_the_database_and_ends_its_workers(
    request, db_path, tmp_path, backend
):
    target = request.getfixturevalue("pg_url") if backend == "postgresql" else db_path
    header = tmp_path / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    invoke("init", db=target)
    invoke("import", header, db=target)
    invoke("import", _csv(tmp_path / "first.csv", 200, prefix="Kept"), db=target)
    before = file_bytes(target)
    big = _csv(tmp_path / "big.csv", 100_000)
    command = ["import", "--workers", "2", str(big)]
    process = subprocess.Popen(
        [PYTHON, "-c", "from provenance.cli import cli; cli()", "--db", str(target), *command],
        env=_env(db_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    # killed once its workers are preparing records (the writer is writing by then)
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = {p for p in _children(process.pid) if _alive(p)}
    time.sleep(1.0)
    assert process.poll() is None, "the import finished before it could be killed: make it larger"
    assert len(workers) >= 2, "the import started no workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "a worker outlived the killed import"
    if backend == "sqlite":
        _sound(db_path)
    else:
        time.sleep(1.0)  # the server ends the killed connection's transaction
    assert file_bytes(target) == before
    invoke("check", db=target)


# `provenance publish` in a child process that says on stdout when it reaches each step
# ("detecting" the working database's conflicts, then each publish step), so the test
# can kill it from outside in a known phase on a machine of any speed; at "renaming"
# it kills itself just before the complete copy would be renamed over OUT.
PUBLISHER = textwrap.dedent(
    """
    import os, signal, sys
    from provenance import cli as climod, cli_publish, conflicts
    out, point = sys.argv[1], sys.argv[2]
    detect = conflicts.detect
    def detecting(session, actor, **options):
        print("detecting", flush=True)
        return detect(session, actor, **options)
    conflicts.detect = detecting
    def progress():
        steps = []
        def show(step, done, total):
            if step not in steps:
                steps.append(step)
                print(step, flush=True)
        return show
    cli_publish._publish_progress = progress
    replace = os.replace
    def renaming(src, dst):
        if point == "renaming" and os.fspath(dst) == out:
            os.kill(os.getpid(), signal.SIGKILL)
        return replace(src, dst)
    os.replace = renaming
    climod.cli(["publish", out])
    """
)
LARGE_CLAIMS = 10_000


@pytest.fixture(scope="module")
def large_published(tmp_path_factory, _seeded_template):
    """The seeds and 10,000 imported claims, and their public copy: publishing takes seconds."""
    folder = tmp_path_factory.mktemp("large")
    db = folder / "working.db"
    shutil.copy(_seeded_template, db)
    header = folder / "header.yaml"
    header.write_text(yaml.safe_dump(HEADER), encoding="utf-8")
    out = folder / "public" / "public.db"
    out.parent.mkdir()
    for args in (
        ["import", header],
        ["import", _csv(folder / "big.csv", LARGE_CLAIMS)],
        ["publish", out],
    ):
        invoke(*args, db=db, actor="tester")
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{db}{suffix}").exists()
    return {"db": db, "out": out}


def _working_content(db: Path) -> tuple[dict[str, list], set]:
    """Every row of the working database, and apart the times conflicts were last
    detected: `publish` brings conflicts up to date in a short transaction of its own
    before it copies anything, and that transaction stamps them with its time."""
    digest = _table_digest(db)
    connection = sqlite3.connect(db)
    columns = [r[1] for r in connection.execute("pragma table_info(conflicts)")]
    connection.close()
    at = columns.index("last_detected_at")
    times = {row[at] for row in digest["conflicts"]}
    digest["conflicts"] = [row[:at] + row[at + 1 :] for row in digest["conflicts"]]
    return digest, times


@pytest.mark.parametrize(
    "point,delay,previous",
    [
        ("detecting", 0.0, True),  # in publish's own write transaction on the working database
        ("claims", 0.1, True),  # rows being written into the temporary copy
        ("indexes", 0.0, True),  # indexes, full-text search, ANALYZE, VACUUM of the copy
        ("renaming", None, False),  # the copy complete and synced, not yet renamed over OUT
    ],
)
def test_killing_a_publish_leaves_the_previous_copy_and_the_next_publish_cleans_up(
    run, db_path, tmp_path, large_published, point, delay, previous
):
    shutil.copy(large_published["db"], db_path)
    folder = tmp_path / "public"
    folder.mkdir()
    out = folder / "public.db"
    if previous:
        for name in ("public.db", "public.db.state.json"):
            shutil.copy2(large_published["out"].parent / name, folder / name)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    content, detected = _working_content(db_path)

    process = subprocess.Popen(
        [PYTHON, "-c", PUBLISHER, str(out), point],
        env=_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if delay is None:
        _, err = process.communicate(timeout=600)
        assert process.returncode == -signal.SIGKILL, err[-2000:]
    else:
        for line in process.stdout:
            if line.strip() == point:
                break
        time.sleep(delay)
        assert process.poll() is None, (
            f"publish ended before it reached {point!r} or could be killed:"
            f" {process.stderr.read()[-2000:]}"
        )
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stderr.close()

    # the working database: sound, and as it was but for one detection's time stamp
    _sound(db_path)
    after, detected_after = _working_content(db_path)
    assert after == content
    assert detected_after == detected or (
        len(detected_after) == 1 and min(detected_after) > max(detected)
    )
    assert run("check").output.startswith("ok")
    # OUT: the previous copy, byte for byte, or no file at all; nothing else named like it
    leftovers = sorted(name for name in os.listdir(folder) if name not in before)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before
    assert not out.exists() or previous
    assert all(
        name.startswith(f".public.db.{public_copy._host_tag()}-{process.pid}.")
        for name in leftovers
    ), leftovers
    if point != "detecting":
        # the temporary copy is left behind: nothing runs on SIGKILL
        assert leftovers and leftovers[0].endswith(".tmp"), leftovers
    if point == "renaming":
        # killed with the whole copy written and synced, and still no OUT
        assert _table_digest(folder / leftovers[0]) == _table_digest(large_published["out"])

    result = run("publish", out)
    if leftovers:
        assert (
            f"deleted {len(leftovers)} temporary file(s) left by an interrupted publish"
            in result.output
        )
    assert sorted(os.listdir(folder)) == ["public.db", "public.db.state.json"]
    _sound(out)
    assert _table_digest(out) == _table_digest(large_published["out"])


def test_publish_deletes_only_the_temporary_files_of_publishes_that_are_not_running(
    run, built_db, tmp_path
):
    folder = tmp_path / "public"
    folder.mkdir()
    out = folder / "public.db"
    host = public_copy._host_tag()
    ended = subprocess.run(
        [PYTHON, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead = int(ended.stdout)
    running = subprocess.Popen([PYTHON, "-c", "import time; time.sleep(120)"])
    try:
        abandoned = [
            f".public.db.{host}-{dead}.k1ll3d_x.tmp",
            f".public.db.{host}-{dead}.k1ll3d_x.tmp-journal",
        ]
        kept = [
            f".public.db.{host}-{running.pid}.wr1t1ng_.tmp",  # a publish running now
            f".public.db.not-{host}-{dead}.elsewh3r.tmp",  # another host's, in a shared folder
            f".other.db.{host}-{dead}.k1ll3d_y.tmp",  # the copy of another OUT
            "public.db.my-notes.txt",
        ]
        for name in abandoned + kept:
            (folder / name).write_bytes(b"partial copy")
        result = run("publish", out)
        assert "deleted 2 temporary file(s)" in result.output
        assert sorted(os.listdir(folder)) == sorted([*kept, "public.db", "public.db.state.json"])
        _sound(out)
        result = run("publish", out)
        assert "deleted" not in result.output
    finally:
        running.kill()
        running.wait()


def test_killing_a_migration_leaves_an_empty_database_that_init_completes(tmp_path):
    db = tmp_path / "migrating.db"
    script = textwrap.dedent(
        f"""
        import os, signal
        from alembic.operations import Operations
        from provenance import db as dbmod
        created = []
        original = Operations.create_table
        def create_table(self, *args, **kwargs):
            created.append(args[0])
            if len(created) == 6:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(self, *args, **kwargs)
        Operations.create_table = create_table
        dbmod.migrate(dbmod.make_engine({str(db)!r}, create=True))
        """
    )
    process = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True)
    assert process.returncode == -signal.SIGKILL, process.stderr
    _sound(db)
    tables = set(_table_digest(db))
    assert tables <= {"alembic_version"}, tables
    result = subprocess.run(
        [PYTHON, "-c", "from provenance.cli import cli; cli()", "--db", str(db), "init"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "claims" in _table_digest(db)


# ---------------------------------------------------------------- full disk, bad files


def test_a_full_disk_during_import_is_a_clear_error_and_leaves_nothing(
    run, db_path, tmp_path, monkeypatch
):
    from provenance import db as dbmod

    _prepare(run, tmp_path)
    before = _table_digest(db_path)
    pages = sqlite3.connect(db_path).execute("pragma page_count").fetchone()[0]
    original = dbmod._sqlite_connect_settings

    def small_disk(dbapi_connection, record):
        original(dbapi_connection, record)
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 20}")

    monkeypatch.setattr(dbmod, "_sqlite_connect_settings", small_disk)
    result = run("import", _csv(tmp_path / "big.csv", 20_000), code=2)
    assert "full" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    monkeypatch.setattr(dbmod, "_sqlite_connect_settings", original)
    assert _table_digest(db_path) == before
    _sound(db_path)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "zeroed header"])
def test_a_damaged_database_file_is_a_clear_error(run, built_db, damage):
    data = file_bytes(built_db)
    for suffix in ("-wal", "-shm"):
        Path(str(built_db) + suffix).unlink(missing_ok=True)
    if damage == "truncated":
        built_db.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        built_db.write_bytes(os.urandom(len(data)))
    else:
        built_db.write_bytes(b"\x00" * 100 + data[100:])
    for command in (["sources"], ["check"], ["claims"]):
        result = run(*command, code=2)
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_backup_while_an_editor_writes(run, db_path, tmp_path):
    _prepare(run, tmp_path)
    big = _csv(tmp_path / "big.csv", 30_000)
    process = subprocess.Popen(
        [PYTHON, "-c", "from provenance.cli import cli; cli()", "import", str(big)],
        env=_env(db_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    copy = tmp_path / "copy.db"
    run("backup", copy)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    _sound(copy)
    claims = _counts(copy)["claims"]
    assert claims in (0, 30_000), "a backup holds a committed state, never half an import"
    result = run("--db", copy, "check")
    assert result.output.startswith("ok")


@pytest.mark.parametrize(
    "target,named", [("exists", "exists"), ("nofolder/copy.db", "does not exist")]
)
def test_backup_bad_target(run, db_path, tmp_path, target, named):
    _prepare(run, tmp_path)
    path = tmp_path / target
    if target == "exists":
        path.write_text("keep me")
    result = run("backup", path, code=2)
    assert named in result.output and len(result.output.strip().splitlines()) == 1
    if target == "exists":
        assert path.read_text() == "keep me"


def test_backup_of_postgresql_says_use_pg_dump(run, pg_url, tmp_path):
    run("--db", pg_url, "init")
    result = run("--db", pg_url, "backup", tmp_path / "x.db", code=2)
    assert "pg_dump" in result.output
