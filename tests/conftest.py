"""Tests never touch a user's db/: every test gets its own database under tmp_path.

With ``PROVENANCE_TEST_BACKEND=postgresql`` (and ``PROVENANCE_TEST_PG_URL``) the whole
suite runs on PostgreSQL instead: each test gets a fresh PostgreSQL database, and tests
marked ``sqlite_only`` (about SQLite files: bytes, pragmas, backups, kills) are skipped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from provenance import db as dbmod
from provenance.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CTC = "000_f54a66cae721dd6b.txt"


BACKEND = os.environ.get("PROVENANCE_TEST_BACKEND", "sqlite")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note, before the test's fixtures are made, whether its databases must be PostgreSQL."""
    _running["postgresql_only"] = must_be_postgresql(item.keywords)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    _running["postgresql_only"] = False


def pytest_collection_modifyitems(config, items):
    if BACKEND != "postgresql":
        return
    skip = pytest.mark.skip(
        reason="about SQLite files; this run is on PostgreSQL (PROVENANCE_TEST_BACKEND=postgresql)"
    )
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


# ---------------------------------------------------------------- running the CLI


def invoke(
    *args,
    db: Path | str | None = None,
    actor: str | None = None,
    code: int | None = 0,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """Run the real CLI in this process and assert its exit code (the output in the message).

    ``db`` and ``actor`` become ``--db`` and ``--actor``; without them the test's own
    database and actor apply (``PROVENANCE_DB``, ``PROVENANCE_ACTOR``). ``code=None``
    accepts any exit code (a documented session whose steps show errors). ``result.output``
    is what a terminal shows, ``result.stdout`` and ``result.stderr`` each stream alone.
    The one way tests run the CLI in their own process: the ``run`` fixture is this
    function, and tests/test_layout.py fails on a test that makes a ``CliRunner`` of its own.
    """
    full = [
        *(["--db", str(db)] if db is not None else []),
        *(["--actor", actor] if actor is not None else []),
        *map(str, args),
    ]
    result = CliRunner().invoke(cli, full, input=input, env=env, catch_exceptions=False)
    assert code is None or result.exit_code == code, (
        f"exit {result.exit_code} for {full}:\n{result.output}"
    )
    return result


@pytest.fixture
def run(db_path):
    """Run the real CLI on the test's database: ``run(*args, code=0)`` (see ``invoke``)."""
    return invoke


# ---------------------------------------------------------------- the test's databases
#
# One place decides where a test's databases live: ``on_postgresql``. Every fixture that
# gives a test a database gets it from ``db_path`` (the test's own database), ``new_db``
# (another one) or ``db_templates`` (a prepared one copied in), so a new fixture built on
# them runs on PostgreSQL too when the suite does.


def on_postgresql(request: pytest.FixtureRequest) -> bool:
    """Whether this test's databases are PostgreSQL databases rather than SQLite files."""
    return BACKEND == "postgresql" and "sqlite_only" not in request.keywords


def must_be_postgresql(keywords) -> bool:
    """Whether a test with these marks may open PostgreSQL databases only: in a run on
    PostgreSQL, every test but those about SQLite files (``sqlite_only``) and those that
    choose each back end themselves (``postgres``: they compare the two)."""
    return BACKEND == "postgresql" and "sqlite_only" not in keywords and "postgres" not in keywords


# A fixture that makes a SQLite file of its own (``tmp_path / "x.db"``) rather than
# getting its database from the fixtures above would run on SQLite while the suite runs
# on PostgreSQL, silently. So every engine the product or a test opens, through
# ``provenance.db.make_engine`` (the one place engines are made), is checked: in a run on
# PostgreSQL, a SQLite database opened by a test not marked ``sqlite_only`` or
# ``postgres`` fails that test, naming the file. A published copy is SQLite by design
# and may be read (it holds no Alembic version: it is no working database).
_running = {"postgresql_only": False}
_make_engine = dbmod.make_engine


def _make_engine_on_the_suites_back_end(target: str | None = None, **options: Any):
    database = str(target or dbmod.default_db())
    if _running["postgresql_only"] and _opens_sqlite(database, options.get("create", False)):
        pytest.fail(
            f"this test opened the SQLite database {database} while the suite runs on"
            " PostgreSQL: get the database from db_path, new_db or db_templates"
            " (tests/conftest.py), or mark the test sqlite_only if it is about SQLite files",
            pytrace=False,
        )
    return _make_engine(target, **options)


def _opens_sqlite(target: str, create: bool) -> bool:
    """Whether ``make_engine`` would open a SQLite working database, or make one.

    A path it refuses (a folder, a file that is not a database, a missing one) opens
    nothing; a published copy (SQLite by design, with no Alembic version) is not a
    working database, and a test may read it."""
    if dbmod.is_url(target):
        if not target.startswith("sqlite"):
            return False
        target = make_url(target).database or ""
    path = Path(target)
    if not path.exists():
        return create
    if not path.is_file():
        return False
    with open(path, "rb") as file:
        head = file.read(16)
    if head == b"":
        return create
    if head != b"SQLite format 3\x00":
        return False
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
        return connection.execute(query).fetchone() is not None
    finally:
        connection.close()


dbmod.make_engine = _make_engine_on_the_suites_back_end


def _is_url(target: Path | str) -> bool:
    return isinstance(target, str) and "://" in target


@pytest.fixture
def new_db(request, tmp_path):
    """A factory of fresh, empty databases for this test: ``new_db("target")`` gives a
    SQLite path in tmp_path, or the URL of a new PostgreSQL database dropped afterwards."""
    created: list[tuple[str, str]] = []

    def make(name: str = "test") -> Path | str:
        if not on_postgresql(request):
            return tmp_path / f"{name}.db"
        server = request.getfixturevalue("pg_server_url")
        database = f"provenance_test_{uuid.uuid4().hex[:12]}"
        _pg_admin(server, f'CREATE DATABASE "{database}"')
        created.append((server, database))
        return _pg_database_url(server, database)

    yield make
    for server, database in created:
        _pg_admin(server, _drop(database))


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch, request):
    """The test's database: a SQLite file in tmp_path, or a fresh PostgreSQL database URL.

    A PostgreSQL database is made only for tests that use one: those whose fixtures
    include ``db_path`` (every database fixture does, directly or through another).
    """
    monkeypatch.setenv("PROVENANCE_ACTOR", "tester")
    if on_postgresql(request) and "db_path" in request.fixturenames:
        target = request.getfixturevalue("new_db")("test")
    else:
        target = tmp_path / "test.db"
    monkeypatch.setenv("PROVENANCE_DB", str(target))
    return target


@pytest.fixture
def db_path(isolated_db):
    return isolated_db


class Templates:
    """Databases prepared once a session and copied into a test's database.

    ``clone(name, make, target)`` fills ``target`` (a SQLite path or a PostgreSQL URL)
    with the template ``name``; the first time on each back end, ``make(template,
    templates)`` prepares the template through the CLI and what it returns (claim ids,
    say) is returned by every clone. A SQLite template is copied; a PostgreSQL one is
    the TEMPLATE of a new database, so ids and sequences are the template's.
    """

    def __init__(self, request: pytest.FixtureRequest, folder: Path):
        self._request = request
        self.folder = folder
        self._made: dict[tuple[str, bool], tuple[Path | str, Any]] = {}
        self._pg_databases: list[tuple[str, str]] = []

    def _server(self) -> str:
        return self._request.getfixturevalue("pg_server_url")

    def template(self, name: str, make: Callable, *, postgresql: bool) -> tuple[Path | str, Any]:
        """The template ``name`` on one back end (a path, or a database name) and its value."""
        key = (name, postgresql)
        if key not in self._made:
            if postgresql:
                server = self._server()
                database = f"provenance_template_{uuid.uuid4().hex[:12]}"
                _pg_admin(server, f'CREATE DATABASE "{database}"')
                self._pg_databases.append((server, database))
                value = make(_pg_database_url(server, database), self)
                self._made[key] = (database, value)
            else:
                path = self.folder / f"{name}.db"
                self._made[key] = (path, make(path, self))
        return self._made[key]

    def shared(self, name: str, make: Callable) -> Any:
        """The value of a database prepared once a session on the suite's back end, for a
        session-wide fixture that reads it (no test writes to it): ``make(target,
        templates)``'s value."""
        return self.template(name, make, postgresql=BACKEND == "postgresql")[1]

    def clone(self, name: str, make: Callable, target: Path | str) -> Any:
        postgresql = _is_url(target)
        template, value = self.template(name, make, postgresql=postgresql)
        if postgresql:
            database = make_url(str(target)).database
            _pg_admin(
                self._server(),
                _drop(database),
                f'CREATE DATABASE "{database}" TEMPLATE "{template}"',
            )
        else:
            shutil.copy(template, target)
        return value

    def drop_all(self) -> None:
        for server, database in self._pg_databases:
            _pg_admin(server, _drop(database))


@pytest.fixture
def candidates_of(db_path, tmp_path):
    """``extract``'s candidates of a text published on ``published``, with ``entities``
    (name, kind, aliases…) known: through the real CLI (ingest, extract to a file), each
    candidate checked by ``import --dry-run``."""
    invoke("init")

    def candidates(text, *entities, published="2024-05-08"):
        for entity_name, kind, *aliases in entities:
            invoke("entity", "add", entity_name, "--kind", kind, *[f"--alias={a}" for a in aliases])
        path = tmp_path / "article.txt"
        path.write_text(text, encoding="utf-8")
        invoke("ingest", path)
        invoke("source", "edit", "article", "--published", published, "--reason", "dated")
        out = tmp_path / "article.yaml"
        invoke("extract", "article", "-o", out)
        document = yaml.safe_load(out.read_text(encoding="utf-8"))
        invoke("import", out, "--dry-run", "--new-entities")
        return document["claims"] or []

    return candidates


def facts_of(candidates) -> list[tuple[str, str, str]]:
    """(subject, property, value) of each candidate, the value as text."""
    return [(c["subject"], c["property"], str(c["value"])) for c in candidates]


@pytest.fixture(scope="session")
def db_templates(request, tmp_path_factory):
    templates = Templates(request, tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop_all()


@pytest.fixture
def seeds_copy(tmp_path):
    """A copy of seeds/ that a test may edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def documents_only(target: Path) -> Path:
    """A copy of seeds/ without the curated claims: the five documents and their manifest."""
    target.mkdir(parents=True, exist_ok=True)
    for path in [SEEDS / "sources.yaml", *SEEDS.glob("*.txt")]:
        shutil.copy(path, target / path.name)
    return target


def make_built(target: Path | str, templates: Templates) -> None:
    """The five seed documents built, with no claims."""
    invoke("build", "--seeds", documents_only(templates.folder / "documents"), db=target)


def make_seeded(target: Path | str, templates: Templates) -> None:
    """The whole seed corpus built: documents and curated claims."""
    invoke("build", "--seeds", SEEDS, db=target)


@pytest.fixture
def built_db(db_templates, db_path):
    """The five seed documents built, with no claims: private to the test."""
    db_templates.clone("built", make_built, db_path)
    return db_path


@pytest.fixture
def seeded_db(db_templates, db_path):
    """The whole seed corpus built, documents and curated claims: private to the test."""
    db_templates.clone("seeded", make_seeded, db_path)
    return db_path


@pytest.fixture(scope="session")
def _seeded_template(db_templates) -> Path:
    """The seed corpus as a SQLite file, for tests about SQLite files to copy."""
    path, _ = db_templates.template("seeded", make_seeded, postgresql=False)
    return path


def file_bytes(target) -> bytes:
    """Everything a database holds: a SQLite file with its WAL, or every row of a
    PostgreSQL database, so "the database is unchanged" is one comparison on both."""
    if isinstance(target, str) and "://" in target:
        return _pg_dump(target)
    path = Path(target)
    data = path.read_bytes() if path.exists() else b""
    wal = Path(str(path) + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


def _pg_dump(url: str) -> bytes:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            parts = []
            for table in sorted(inspect(connection).get_table_names()):
                rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
                parts.append(repr((table, [tuple(r) for r in rows])))
        return "\n".join(parts).encode()
    finally:
        engine.dispose()


# ---------------------------------------------------------------- PostgreSQL

PG_ENV = "PROVENANCE_TEST_PG_URL"


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip(
            f"no PostgreSQL server: set {PG_ENV} (e.g."
            " postgresql+psycopg://postgres@localhost:5433/postgres)"
        )
    return url


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"provenance_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(pg_server_url, f'CREATE DATABASE "{name}"')
    yield _pg_database_url(pg_server_url, name)
    _pg_admin(pg_server_url, _drop(name))


def _pg_admin(server_url: str, *statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) outside a transaction on the server."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()


def _drop(database: str | None) -> str:
    return f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'


def _pg_database_url(server_url: str, database: str) -> str:
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


def answer_probabilities(db_path, monkeypatch, **constants: object) -> dict[str, float]:
    """Each answer's probability (by its value), the model run with the constants of
    ``provenance.trust`` given (the worked examples of the trust model's tests)."""
    from sqlalchemy import select

    from provenance import trust
    from provenance.db import make_engine, reading_session
    from provenance.models import Claim

    for name, value in constants.items():
        monkeypatch.setattr(trust, name, value)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        trust.compute_trust(session, public_only=False)
        values = dict(session.execute(select(Claim.id, Claim.value)).all())
        shown = {values[a.claim_id]: a.probability for a in trust.answer_probabilities(session)}
    engine.dispose()
    return shown


def import_figures(run, tmp_path: Path, header: str, rows: list[tuple[str, str, int]]) -> None:
    """A fresh database holding ``header`` (YAML: sources and properties, ending with an
    ``entities:`` line; each city of ``rows`` is added as a place) and one ``population``
    claim per row (source, city, figure), imported through the CLI."""
    cities = sorted({city for _, city, _ in rows})
    header = (
        header.rstrip("\n") + "\n" + "".join(f"  - {{name: {c}, kind: place}}\n" for c in cities)
    )
    (tmp_path / "header.yaml").write_text(header, encoding="utf-8")
    lines = ["source,subject,property,value"]
    lines += [f"{source},{city},population,{value}" for source, city, value in rows]
    (tmp_path / "claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")


def learned_trust(db_path) -> dict[str, float]:
    """Each source's learned trust by slug, computed now on the file at ``db_path`` (with
    whatever settings of ``provenance.trust`` the test has set)."""
    from provenance import trust

    engine = dbmod.make_engine(str(db_path))
    with dbmod.reading_session(engine) as session:
        learned = {s.slug: s.trust for s in trust.compute_trust(session, public_only=False).sources}
    engine.dispose()
    return learned


# ---------------------------------------------------------------- a case of learned trust

KILLED = [{"name": "killed", "type": "quantity", "unit": "people"}]


def killed_claim(source: str, subject: str, value: str, confidence: str = "medium") -> dict:
    """A claim record of the ``killed`` property (``KILLED``) for a YAML import."""
    return {
        "source": source,
        "subject": subject,
        "property": "killed",
        "value": value,
        "confidence": confidence,
    }


def import_case(
    run, tmp_path: Path, sources: list[dict], claims: list[dict], properties: list[dict] = KILLED
) -> None:
    """A fresh database holding ``sources`` (text-less) and ``claims`` of ``properties``
    (``KILLED`` unless given), imported through the CLI."""
    path = tmp_path / "case.yaml"
    path.write_text(
        yaml.safe_dump({"sources": sources, "properties": properties, "claims": claims}),
        encoding="utf-8",
    )
    run("init")
    run("import", path)


def wire_against_blogs(
    run, tmp_path: Path, *, blog2_confidential: bool = False, wire_confidence: str = "medium"
) -> None:
    """Two B-graded blogs that are wrong on 60 disputed attacks outvote, by support, a
    C-graded wire that is right on them, on the Karbala attack (100 against 200)."""

    def source(slug: str, grade: str, confidential: bool = False) -> dict:
        return {
            "slug": slug,
            "title": slug,
            "kind": "website",
            "reliability": grade,
            "confidential": confidential,
        }

    sources = [source("ref1", "A"), source("ref2", "A"), source("wire", "C")]
    sources += [source("blog1", "B"), source("blog2", "B", blog2_confidential)]
    claims = []
    for n in range(60):
        attack = f"attack {n}"
        # two references, each sharing 40 attacks with the wire (too few to look like a copy)
        claims += [killed_claim("ref1" if n < 40 else "ref2", attack, str(10 + n))]
        claims += [killed_claim("ref2", attack, str(10 + n))] if 20 <= n < 40 else []
        claims += [
            killed_claim("wire", attack, str(10 + n)),
            killed_claim("blog1", attack, str(11 + n)),
            killed_claim("blog2", attack, str(12 + n)),
        ]
    claims += [killed_claim("wire", "Karbala attack", "100", wire_confidence)]
    claims += [killed_claim(blog, "Karbala attack", "200") for blog in ("blog1", "blog2")]
    import_case(run, tmp_path, sources, claims)
