"""The public copy and the site Datasette serves from it (SPEC §6), through Datasette's ASGI client.

The data is made through the real CLI: two ingested documents (one confidential) and
text-less sources, with claims, citations, conflicts and verdicts. A canary string is
planted in everything confidential, and the confidentiality test looks for it in the
file's bytes and in every page, JSON, CSV, SQL result, search and download of the site.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import invoke, make_seeded

from provenance import public_site, publish
from provenance.public_tables import PUBLIC_TABLES, PUBLIC_VIEWS

# The site is built from SQLite working files (and the copy is always a SQLite file), so a
# second run on PostgreSQL would repeat the same checks; reading a PostgreSQL working
# database is covered by test_publish_reads_a_postgresql_database and
# test_publish_from_postgresql_writes_the_same_file_as_from_sqlite.
pytestmark = pytest.mark.sqlite_only

CANARY = "CANARY-7f3a9"
# FTS splits the canary into tokens and SQLite may store text in any case: the hex part
# is what no public byte may contain
CANARY_CORE = "7f3a9"
EDITOR = f"{CANARY}-editor"

PUBLIC_DOC = """Militia politics in Iraq

In the May 2018 elections the Sadiqun bloc of Qais al-Khazali won 15 seats in parliament.1

A campaign poster read <script>alert("xss")</script> in large letters.

Notes
[1] Tactical Interrogation Report 16, March 29, 2007.
"""

SECRET_DOC = f"""{CANARY} memo

The handler said the Sadiqun bloc won 15 seats, and that {CANARY} Person pays the fighters.1 \
The Badr list won 20 seats.2

Notes
[1] {CANARY} Secret Source Report 5, 2019.
[2] Tactical Interrogation Report 16, March 29, 2007, handed over by Abu {CANARY} Informant, \
available via the {CANARY} Handler’s “The {CANARY_CORE} Private Papers” Collection.
"""
# the public report's note [1] cites the same work as the memo's note [2]: one shared row
SHARED_WORK_CITATION = "Tactical Interrogation Report 16, March 29, 2007"

MANIFEST = {
    "sources": [
        {
            "file": "public-report.txt",
            "slug": "public-report",
            "title": "Militia politics in Iraq",
            "authors": ["A. Writer"],
            "publisher": "Example Review",
            "url": "https://example.org/report",
            "published": "2018-09",
            "kind": "article",
            "reliability": "B",
            "confidential": False,
        },
        {
            "file": "informant-memo.txt",
            "slug": "informant-memo-7f3a9",
            "title": f"{CANARY} memo from the handler",
            "authors": [f"{CANARY} Handler"],
            "url": f"https://example.org/{CANARY}",
            "publisher": f"{CANARY} Office",
            "published": "2018-09",
            "published_reason": f"{CANARY} date reason",
            "kind": "report",
            "reliability": "A",
            "reliability_reason": f"{CANARY} grade reason",
            "note": f"{CANARY} source note",
            "confidential": True,
        },
    ]
}

PUBLIC_CLAIMS = {
    "sources": [
        {
            "slug": "s2",
            "title": "Election tables",
            "kind": "dataset",
            "reliability": "C",
            "published": "2018-10",
        },
        {
            "slug": "s1",
            "title": "Party website",
            "kind": "website",
            "reliability": "B",
            "published": "2018-09",
        },
    ],
    "properties": [
        {"name": "seats_won", "type": "quantity", "unit": "seats"},
        {"name": "slogan", "type": "text"},
        {"name": "designated_terrorist", "type": "boolean"},
    ],
    "entities": [
        {
            "name": "Qais al-Khazali",
            "kind": "person",
            "aliases": ["Qayis Khazali", "Qays al-Khazali"],
        },
        {"name": "Badr Organization", "kind": "organisation", "aliases": ["Badr"]},
    ],
    "claims": [
        {
            "source": "public-report",
            "subject": "Qais al-Khazali",
            "property": "seats_won",
            "value": "15",
            "quote": "won 15 seats in parliament",
            "confidence": "high",
            "note": "double-checked",
        },
        {"source": "s2", "subject": "Qayis Khazali", "property": "seats_won", "value": "14"},
        {
            "source": "public-report",
            "subject": "Qais al-Khazali",
            "property": "slogan",
            "value": '<script>alert("xss")</script>',
            "quote": '<script>alert("xss")</script>',
        },
        {"source": "s1", "subject": "Badr", "property": "seats_won", "value": "22"},
        {"source": "s1", "subject": "Badr", "property": "seats_won", "value": "20"},
        {
            "source": "s1",
            "subject": "Qais al-Khazali",
            "property": "designated_terrorist",
            "value": "true",
        },
        {
            "source": "s2",
            "subject": "Qais al-Khazali",
            "property": "designated_terrorist",
            "value": "true",
            "stance": "denies",
        },
    ],
}

CONFIDENTIAL_CLAIMS = {
    "properties": [{"name": "payment_7f3a9", "type": "text", "description": f"{CANARY} payments"}],
    "entities": [
        {"name": f"{CANARY} Person", "kind": "person", "aliases": [f"Kanary {CANARY_CORE}"]}
    ],
    "claims": [
        # a claim resting on the confidential source alone: subject, value, speaker, note,
        # qualifier
        {
            "source": "informant-memo-7f3a9",
            "subject": f"{CANARY} Person",
            "property": "payment_7f3a9",
            "value": f"{CANARY} pays the fighters",
            "quote": f"{CANARY} Person pays the fighters",
            "attributed_to": f"{CANARY} handler",
            "note": f"{CANARY} note",
            "qualifiers": {"cell": f"{CANARY} cell"},
            "confidence": "high",
        },
        # a public claim that a confidential citation also supports
        {
            "source": "informant-memo-7f3a9",
            "subject": "Qais al-Khazali",
            "property": "seats_won",
            "value": "15",
            "quote": "The handler said the Sadiqun bloc won 15 seats",
            "attributed_to": f"{CANARY} handler",
            "note": f"{CANARY} second note",
        },
        # a conflict with a public claim that exists only through this source
        {
            "source": "informant-memo-7f3a9",
            "subject": "Qais al-Khazali",
            "property": "seats_won",
            "value": "99",
            "quote": "The handler said",
            "attributed_to": f"{CANARY} other handler",
        },
        # makes 22 (s1) against 20 a conflict between sources; on public evidence both come from s1
        {
            "source": "informant-memo-7f3a9",
            "subject": "Badr",
            "property": "seats_won",
            "value": "20",
            "quote": "The Badr list won 20 seats",
        },
    ],
}


def _invoke(db: Path | str, *args, actor="desk editor", code=0):
    """The CLI on ``db``, by default as the desk's editor."""
    return invoke(*args, db=db, actor=actor, code=code)


def _conflicts(db: Path) -> list[dict]:
    return json.loads(_invoke(db, "conflicts", "--status", "all", "--json").output)


def _question(rows, *values):
    """The question whose answers include ``values``."""
    wanted = set(values)
    return next(r for r in rows if wanted <= {a["value"] for a in r["answers"]})


def build_site_data(
    folder: Path, db: Path | str | None = None, *, confidential_first: bool = False
) -> Path | str:
    """A working database with public and confidential material: ``db`` (a SQLite path
    or a database URL), by default ``working.db`` in ``folder``; returns it.

    ``confidential_first`` ingests the confidential memo before the public report, so
    the work both cite is first read from the memo's note."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "public-report.txt").write_text(PUBLIC_DOC, encoding="utf-8")
    (folder / "informant-memo.txt").write_text(SECRET_DOC, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(MANIFEST, allow_unicode=True), encoding="utf-8"
    )
    (folder / "public.yaml").write_text(
        yaml.safe_dump(PUBLIC_CLAIMS, allow_unicode=True), encoding="utf-8"
    )
    (folder / "confidential.yaml").write_text(
        yaml.safe_dump(CONFIDENTIAL_CLAIMS, allow_unicode=True), encoding="utf-8"
    )
    db = db or folder / "working.db"
    _invoke(db, "init")
    documents = [folder / "public-report.txt", folder / "informant-memo.txt"]
    for document in reversed(documents) if confidential_first else documents:
        _invoke(db, "ingest", document, "--manifest", folder / "sources.yaml")
    _invoke(db, "import", folder / "public.yaml")
    _invoke(db, "import", folder / "confidential.yaml", actor=EDITOR)
    rows = _conflicts(db)
    # 15, 14 and 99 seats are one question; 99 rests on the confidential memo alone
    _invoke(
        db,
        "resolve",
        _question(rows, "15", "14", "99")["id"],
        "--status",
        "confirmed",
        "--note",
        f"The election commission's tables say 15; the {CANARY} memo's 99 is wrong.",
        actor=EDITOR,
    )
    _invoke(
        db,
        "resolve",
        _question(rows, "22", "20")["id"],
        "--status",
        "confirmed",
        "--note",
        f"{CANARY} badr verdict",
        actor=EDITOR,
    )
    badr = _question(rows, "22", "20")
    deprecated = next(a["claim"] for a in badr["answers"] if a["value"] == "22")
    _invoke(db, "claim", "deprecate", deprecated, "--reason", "The party corrected its website.")
    return db


def _site(folder: Path, *, confidential_first: bool = False) -> dict[str, object]:
    db = build_site_data(folder, confidential_first=confidential_first)
    out = folder / "public.db"
    result = _invoke(db, "publish", out)
    return {"db": db, "out": out, "folder": folder, "publish_output": result.output}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return _site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site_confidential_first(tmp_path_factory):
    """The same data, with the confidential memo ingested before the public report."""
    return _site(tmp_path_factory.mktemp("site-confidential-first"), confidential_first=True)


BOTH_ORDERS = pytest.mark.parametrize("site_order", ["site", "site_confidential_first"])


def fetch(out: Path, *paths: str):
    """Responses of the site ``serve`` runs on ``out``, for each path."""
    ds = public_site.datasette(out)

    async def go():
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(go())


def fetch_one(out: Path, path: str):
    (response,) = fetch(out, path)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:500]}"
    return response


def public_tables(out: Path) -> dict[str, list[str]]:
    """Tables and views of the public file with their columns, without the FTS index tables."""
    connection = sqlite3.connect(out)
    try:
        names = [
            r[0]
            for r in connection.execute(
                "select name from sqlite_master where type in ('table', 'view') order by name"
            )
        ]
        fts = [n for n in names if n.endswith("_fts")]
        shown = [
            n
            for n in names
            if not n.startswith("sqlite_") and not any(n == f or n.startswith(f + "_") for f in fts)
        ]
        return {n: [r[1] for r in connection.execute(f"pragma table_info([{n}])")] for n in shown}
    finally:
        connection.close()


# ---------------------------------------------------------------- the file


def test_publish_reports_what_it_withheld(site):
    out = site["publish_output"]
    assert "1 confidential source(s)" in out, out
    # the 15/14/99 seats question is published with its public answers; none is withheld whole
    assert re.search(r"withheld: .* 4 citation\(s\), 2 claim\(s\), 0 conflict\(s\)", out), out


def test_the_copy_holds_exactly_the_allowlist(site):
    tables = public_tables(site["out"])
    expected = {name: list(t.columns) for name, t in PUBLIC_TABLES.items()}
    views = set(PUBLIC_VIEWS)
    assert set(tables) == set(expected) | views
    for name, columns in expected.items():
        assert tables[name] == columns, name


def test_every_foreign_key_and_facet_column_is_indexed(site):
    connection = sqlite3.connect(site["out"])
    indexed = {
        (table, row[2])
        for table in PUBLIC_TABLES
        for index in connection.execute(f"pragma index_list([{table}])").fetchall()
        for row in connection.execute(f"pragma index_info([{index[1]}])").fetchall()
    }
    for name, table in PUBLIC_TABLES.items():
        for column in [*table.foreign_keys, *table.indexes]:
            if column != table.pk:
                assert (name, column) in indexed, f"{name}.{column} has no index"
    metadata = public_site.metadata()["databases"]["public"]["tables"]
    for name, described in metadata.items():
        if name in PUBLIC_TABLES:
            for facet in described.get("facets", []):
                assert (name, facet) in indexed, f"facet {name}.{facet} has no index"


def test_publishing_again_replaces_the_copy_atomically(site, tmp_path):
    out = tmp_path / "public.db"
    _invoke(site["db"], "publish", out)
    first_inode = out.stat().st_ino
    _invoke(site["db"], "publish", out)
    assert out.stat().st_ino != first_inode, (
        "the copy was rewritten in place instead of renamed over"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public.db", "public.db.state.json"]


@pytest.mark.parametrize("target", ["working", "text"])
def test_publish_refuses_to_write_over_anything_but_a_public_copy(site, tmp_path, target):
    if target == "working":
        out = site["db"]
        before = out.read_bytes()
    else:
        out = tmp_path / "notes.db"
        out.write_text("my notes", encoding="utf-8")
        before = out.read_bytes()
    result = _invoke(site["db"], "publish", out, code=2)
    assert result.output.count("\n") == 1 and "Error:" in result.output, result.output
    assert out.read_bytes() == before


def test_a_copy_is_current_until_the_working_database_changes(site, tmp_path):
    from sqlalchemy.orm import Session

    from provenance import db as dbmod

    out = tmp_path / "public.db"
    _invoke(site["db"], "publish", out)
    identity = str(site["db"].resolve())

    def state():
        engine = dbmod.make_engine(str(site["db"]))
        try:
            with Session(engine) as session:
                return publish.working_state(session)
        finally:
            engine.dispose()

    assert publish.is_current(out, identity, state())
    assert not publish.is_current(out, "/elsewhere/working.db", state())
    copy = tmp_path / "working.db"
    copy.write_bytes(site["db"].read_bytes())
    _invoke(copy, "source", "add", "s9", "--title", "A new source")
    engine = dbmod.make_engine(str(copy))
    with Session(engine) as session:
        changed = publish.working_state(session)
    engine.dispose()
    assert not publish.is_current(out, identity, changed)


# ---------------------------------------------------------------- the site


def test_titles_descriptions_and_licence(site):
    home, database, table, meta = fetch(
        site["out"], "/", "/public", "/public/claims_with_sources", "/-/metadata.json"
    )
    assert "Provenance: claims and the sources behind them" in home.text
    assert 'action="/public/claims_with_sources"' in home.text
    assert "CC BY 4.0" in table.text
    assert "One row per citation" in table.text
    assert "open_conflicts" in database.text
    assert meta.json()["databases"]["public"]["tables"]["conflicts"]["facets"] == [
        "status",
        "kind",
        "severity",
    ]


def test_default_facets(site):
    data = fetch_one(site["out"], "/public/claims_with_sources.json").json()
    assert {"property", "source", "confidence"} <= set(data["facet_results"])
    properties = {f["value"]: f["count"] for f in data["facet_results"]["property"]["results"]}
    # 15 (the public report; the memo's citation is withheld), 14, 22 and 20
    assert properties["seats_won"] == 4
    conflicts = fetch_one(site["out"], "/public/conflicts_with_answers.json").json()
    statuses = {f["value"] for f in conflicts["facet_results"]["status"]["results"]}
    assert statuses == {"confirmed", "open"}


def test_search_by_any_alias_finds_the_claims(site):
    rows = fetch_one(
        site["out"], "/public/claims_with_sources.json?_search=Qayis&_shape=array"
    ).json()
    assert rows and {r["subject"] for r in rows} == {"Qais al-Khazali"}
    assert {r["value"] for r in rows} >= {"15 seats", "14 seats"}
    entities = fetch_one(site["out"], "/public/entities.json?_search=Qayis&_shape=array").json()
    assert [e["name"] for e in entities] == ["Qais al-Khazali"]
    sources = fetch_one(site["out"], "/public/sources.json?_search=Sadiqun&_shape=array").json()
    assert [s["slug"] for s in sources] == ["public-report"]


def test_canned_queries(site):
    out = site["out"]

    def rows(path):
        return fetch_one(out, path + ("&" if "?" in path else "?") + "_shape=array").json()

    open_conflicts = rows("/public/open_conflicts.json")
    assert [(r["subject"], r["kind"]) for r in open_conflicts] == [("Qais al-Khazali", "stance")]
    by_source = rows("/public/source_claims.json?source=public-report")
    assert {r["value"] for r in by_source} == {"15 seats", '<script>alert("xss")</script>'}
    assert rows("/public/source_claims.json?source=Election tables")[0]["value"] == "14 seats"
    for name in ("Qayis", "qays al khazali", "QAIS AL-KHAZALI", "Qais al‑Khazali"):
        found = rows(f"/public/entity_claims.json?name={name}")
        assert {r["subject"] for r in found} == {"Qais al-Khazali"}, name
        assert {"14 seats", "15 seats"} <= {r["value"] for r in found}, name
    single = rows("/public/single_source_claims.json")
    assert {(r["property"], r["value"]) for r in single} >= {
        ("seats_won", "14"),
        ("seats_won", "22"),
    }
    assert ("designated_terrorist", "true") not in {(r["property"], r["value"]) for r in single}
    work = rows("/public/work_claims.json?work=Interrogation Report 16")
    assert [(r["value"], r["footnote"]) for r in work] == [("15 seats", 1)]


def test_claim_and_conflict_ids_link_to_their_pages(site):
    page = fetch_one(site["out"], "/public/claims_with_sources").text
    assert re.search(r'<a href="/-/claim/\d+">claim \d+', page)
    conflicts = fetch_one(site["out"], "/public/conflicts_with_answers").text
    assert re.search(r'<a href="/-/conflict/\d+">conflict \d+</a>', conflicts)
    canned = fetch_one(site["out"], "/public/open_conflicts").text
    assert re.search(r'<a href="/-/conflict/\d+">conflict \d+</a>', canned)


def _claim_id(out: Path, value: str) -> int:
    rows = fetch_one(out, "/public/claims_with_sources.json?_shape=array&_size=max").json()
    return next(r["claim_id"] for r in rows if r["value"] == value)


def test_the_claim_page_shows_the_provenance_chain(site):
    out = site["out"]
    claim_id = _claim_id(out, "15 seats")
    html = fetch_one(out, f"/-/claim/{claim_id}").text
    assert "<h1>Claim" in html and "Qais al-Khazali · seats_won = 15 seats" in html
    # the quote marked inside its paragraph, with the footnote, its text and the work
    assert "the Sadiqun bloc of Qais al-Khazali <mark>won 15 seats in parliament</mark>.1" in html
    assert "Footnote 1: Tactical Interrogation Report 16, March 29, 2007." in html
    assert ">Tactical Interrogation Report 16</a>" in html
    # the sources disagreeing: the published conflict, with its verdict
    assert re.search(r'<a href="/-/conflict/\d+">conflict \d+</a> \(quantity, confirmed', html)
    assert "2 answers; it contradicts" in html
    # the verdict note spoke of an answer resting on the confidential memo: withheld
    assert "election commission" not in html
    # one public citation: the confidential one is not counted either
    assert "Stated by 1 public source in 1 citation." in html


def test_a_script_in_a_quote_is_shown_as_text(site):
    out = site["out"]
    claim_id = _claim_id(out, '<script>alert("xss")</script>')
    for path in (
        f"/-/claim/{claim_id}",
        "/public/claims_with_sources",
        f"/public/claims/{claim_id}",
    ):
        html = fetch_one(out, path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(" in html, path
    html = fetch_one(out, f"/-/claim/{claim_id}").text
    assert "<mark>&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;</mark>" in html


def test_the_conflict_page_shows_every_answer(site):
    out = site["out"]
    answers = fetch_one(out, "/public/conflicts_with_answers.json?_shape=array").json()
    quantity = next(a for a in answers if a["kind"] == "quantity")
    html = fetch_one(out, f"/-/conflict/{quantity['conflict_id']}").text
    # 99 seats rests on the confidential memo alone: two public answers of three
    assert html.count('<section class="provenance-side') == 2
    assert "<h2>1. 15 seats</h2>" in html and "<h2>2. 14 seats</h2>" in html
    assert "Leading answer: <strong>15</strong> (most likely true)" in html
    assert "<mark>won 15 seats in parliament</mark>" in html
    assert "confirmed" in html and "election commission" not in html
    stance = next(a for a in answers if a["kind"] == "stance")
    html = fetch_one(out, f"/-/conflict/{stance['conflict_id']}").text
    assert "<h2>1. denies: true</h2>" in html or "<h2>2. denies: true</h2>" in html
    assert ". true</h2>" in html


def test_unknown_pages_are_not_found(site):
    responses = fetch(site["out"], "/-/claim/999999", "/-/conflict/999999")
    assert [r.status_code for r in responses] == [404, 404]


def test_support_and_leading_value_rest_on_public_evidence(site):
    rows = fetch_one(site["out"], "/public/conflicts.json?_shape=array").json()
    quantity = next(r for r in rows if r["kind"] == "quantity")
    assert quantity["answers"] == 2 and quantity["leading_value"] == "15"
    assert quantity["note"] is None  # written about the whole question, 99 included
    answers = fetch_one(
        site["out"], f"/public/answers.json?_shape=array&conflict_id={quantity['id']}"
    ).json()
    fifteen = next(a for a in answers if a["value"] == "15 seats")
    # B × high for the public report alone; the confidential A-graded memo adds nothing
    assert fifteen["support"] == pytest.approx(0.8)
    assert fifteen["sources"] == "public-report [1]" and fifteen["leading"] == 1
    fourteen = next(a for a in answers if a["value"] == "14 seats")
    assert fourteen["contradicts"] == str(fifteen["claim_id"])
    # probabilities from trust learned on public evidence: the two public answers share it
    assert fifteen["probability"] + fourteen["probability"] == pytest.approx(1.0, abs=0.002)
    assert quantity["leading_margin"] == pytest.approx(
        fifteen["probability"] - fourteen["probability"], abs=0.002
    )


def test_rank_reasons_are_published_citation_notes_are_not(site):
    claims = fetch_one(site["out"], "/public/claims.json?_shape=array").json()
    assert "The party corrected its website." in {c["rank_reason"] for c in claims}
    raw = site["out"].read_bytes()
    assert b"double-checked" not in raw
    assert b"desk editor" not in raw


# ---------------------------------------------------------------- confidentiality


SITE_PAGES = [
    "/",
    "/public",
    "/public.json",
    "/-/metadata.json",
    "/-/databases.json",
    "/-/plugins.json",
    "/-/versions.json",
    "/-/settings.json",
    "/-/threads.json",
    "/-/actor.json",
]
# words of the public material, so that searches return rows to look through
PUBLIC_WORDS = ("Qayis", "seats", "Tactical", "Badr", "Militia")


def _all_site_paths(out: Path, working: Path) -> list[str]:
    """Every page of the site: each table and view as HTML, JSON and CSV, faceted by each
    of its columns and searched, SQL over every table (FTS index tables included), the
    canned queries, the plugin's pages and every row's page."""
    paths = list(SITE_PAGES)
    tables = public_tables(out)
    searchable = {n for n, t in PUBLIC_TABLES.items() if t.search}
    for name, columns in tables.items():
        for fmt in ("", ".json", ".csv"):
            paths.append(f"/public/{name}{fmt}?_labels=on&_size=max")
        paths.append(f"/public/{name}.csv?_labels=on&_stream=on")
        paths.append(f"/public.json?sql=select+*+from+[{name}]&_shape=array")
        paths.append(f"/public/{name}.json?_search={CANARY}&_shape=array")
        paths.append(f"/public/{name}.json?_search={CANARY_CORE}&_shape=array")
        for column in columns:
            paths.append(f"/public/{name}.json?_facet={column}&_size=0")
            paths.append(f"/public/{name}?_facet={column}")
        if name == "sources":
            paths.append("/public/sources.json?_facet_array=authors&_size=0")
        if name in searchable:
            for word in PUBLIC_WORDS:
                paths.append(f"/public/{name}.json?_search={word}&_shape=array&_size=max")
                paths.append(f"/public/{name}?_search={word}")
    fts = sqlite3.connect(out)
    shadow = [
        name
        for (name,) in fts.execute("select name from sqlite_master where instr(name, '_fts') > 0")
    ]
    fts.close()
    # the FTS tables and every shadow table behind them: data, idx, config (no docsize:
    # the indexes keep no token counts, public_copy.FTS_BUILD)
    assert {n.rsplit("_", 1)[1] for n in shadow} >= {"fts", "data", "idx", "config"}
    for name in shadow:
        paths.append(f"/public.json?sql=select+*+from+[{name}]&_shape=array")
        paths.append(f"/public/{name}.json?_shape=array&_size=max")
    for query in public_site.metadata()["databases"]["public"]["queries"]:
        paths.append(f"/public/{query}.json?_shape=array&source=informant&name=Person&work=Report")
    working_db = sqlite3.connect(working)
    top_claim = working_db.execute("select max(id) from claims").fetchone()[0]
    top_conflict = working_db.execute("select max(id) from conflicts").fetchone()[0]
    working_db.close()
    paths += [f"/-/claim/{i}" for i in range(1, top_claim + 1)]
    paths += [f"/-/conflict/{i}" for i in range(1, top_conflict + 1)]
    # per-row pages of every table
    connection = sqlite3.connect(out)
    for name, table in PUBLIC_TABLES.items():
        for (pk,) in connection.execute(f"select [{table.pk}] from [{name}]"):
            paths.append(f"/public/{name}/{pk}.json")
            paths.append(f"/public/{name}/{pk}")
    connection.close()
    return paths


@BOTH_ORDERS
def test_nothing_confidential_is_in_the_file_or_on_the_site(site_order, request):
    site = request.getfixturevalue(site_order)
    out, folder = site["out"], site["folder"]
    # the working database does hold every planted canary, so their absence below means something
    working = (
        site["db"].read_bytes() + Path(str(site["db"]) + "-wal").read_bytes()
        if Path(str(site["db"]) + "-wal").exists()
        else site["db"].read_bytes()
    )
    assert working.count(CANARY.encode()) >= 8
    for planted in ("Office", "grade reason", "source note", "cell", "Informant", "handler"):
        assert f"{CANARY} {planted}".encode() in working, planted

    raw = out.read_bytes()
    assert CANARY_CORE.encode() not in raw
    assert CANARY_CORE.encode() not in raw.lower()
    for leftover in ("-wal", "-journal", "-shm"):
        assert not Path(str(out) + leftover).exists(), leftover
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert CANARY_CORE not in publish.state_path(out).read_text(encoding="utf-8")

    paths = _all_site_paths(out, site["db"])
    responses = fetch(out, *paths)
    seen_ok = 0
    for path, response in zip(paths, responses, strict=True):
        assert response.status_code in (200, 404), (
            f"{path}: {response.status_code} {response.text[:300]}"
        )
        body = response.content
        assert CANARY_CORE.encode() not in body.lower(), f"{path} shows confidential material"
        seen_ok += response.status_code == 200
    assert seen_ok > 100

    download = fetch(out, "/public.db")[0]
    assert download.status_code == 200 and download.content == raw


@BOTH_ORDERS
def test_a_work_shared_with_a_confidential_note_is_published_as_public_notes_read_it(
    site_order, request
):
    site = request.getfixturevalue(site_order)
    out = site["out"]
    works = fetch_one(out, "/public/works.json?_shape=array&_size=max").json()
    assert [(w["title"], w["citation"], w["collection_id"]) for w in works] == [
        ("Tactical Interrogation Report 16", SHARED_WORK_CITATION, None)
    ]
    html = fetch_one(out, f"/-/claim/{_claim_id(out, '15 seats')}").text
    assert ">Tactical Interrogation Report 16</a>" in html
    assert "Private Papers" not in html and "Informant" not in html
    # the working database too: the public report's notes show what they say, and the
    # shared row says what the public note says, whichever document came first
    listed = json.loads(_invoke(site["db"], "footnotes", "public-report", "--json").output)
    assert listed[0]["works"][0]["collection"] is None
    working = sqlite3.connect(site["db"])
    assert working.execute(
        "select citation, collection_id from works where key = 'tactical interrogation report 16'"
    ).fetchall() == [(SHARED_WORK_CITATION, None)]
    working.close()
    # the memo's own listing keeps its note's reading, for the desk
    memo = json.loads(_invoke(site["db"], "footnotes", "informant-memo-7f3a9", "--json").output)
    assert memo[1]["works"][0]["collection"] == f"The {CANARY_CORE} Private Papers"


def test_withheld_claims_and_conflicts_are_not_reachable(site):
    out = site["out"]
    working = sqlite3.connect(site["db"])
    secret_claims = [
        r[0]
        for r in working.execute(
            "select c.id from claims c where not exists (select 1 from citations ci join sources s"
            " on s.id = ci.source_id where ci.claim_id = c.id and not s.confidential)"
        )
    ]
    working.close()
    assert len(secret_claims) == 2
    for claim_id in secret_claims:
        assert fetch(out, f"/-/claim/{claim_id}")[0].status_code == 404
    conflicts = fetch_one(out, "/public/conflicts.json?_shape=array").json()
    # 99 (confidential) is not an answer; 22 vs 20 (deprecated, and a conflict only
    # through the confidential memo) is not published
    assert sorted(c["kind"] for c in conflicts) == ["quantity", "stance"]
    answers = fetch_one(out, "/public/answers.json?_shape=array").json()
    assert {a["value"] for a in answers} == {"15 seats", "14 seats", "true", "denies: true"}
    assert not {a["claim_id"] for a in answers} & set(secret_claims)


# ---------------------------------------------------------------- seeds and other back ends


def test_the_seeds_build_publishes_and_everything_is_described(built_db, run, tmp_path):
    out = tmp_path / "public.db"
    run("publish", out)
    described = public_site.metadata()["databases"]["public"]["tables"]
    tables = public_tables(out)
    assert {"claims_with_sources", "conflicts_with_answers", "answers", "sources"} <= set(tables)
    for name, columns in tables.items():
        assert described.get(name, {}).get("description"), (
            f"table or view {name} has no description"
        )
        missing = [c for c in columns if not described[name].get("columns", {}).get(c)]
        assert not missing, f"{name}: columns without a description: {missing}"
    stale = set(described) - set(tables)
    assert not stale, f"described but not published: {stale}"
    sources = fetch_one(out, "/public/sources.json?_shape=array&_size=max").json()
    assert len(sources) >= 5


@pytest.mark.postgres
def test_publish_reads_a_postgresql_database(pg_url, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "public-report.txt").write_text(PUBLIC_DOC, encoding="utf-8")
    (folder / "informant-memo.txt").write_text(SECRET_DOC, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(MANIFEST, allow_unicode=True), encoding="utf-8"
    )
    (folder / "public.yaml").write_text(
        yaml.safe_dump(PUBLIC_CLAIMS, allow_unicode=True), encoding="utf-8"
    )
    (folder / "confidential.yaml").write_text(
        yaml.safe_dump(CONFIDENTIAL_CLAIMS, allow_unicode=True), encoding="utf-8"
    )

    def pg(*args, actor="desk editor", code=0):
        return invoke(*args, db=pg_url, actor=actor, code=code)

    pg("init")
    pg(
        "ingest",
        folder / "public-report.txt",
        folder / "informant-memo.txt",
        "--manifest",
        folder / "sources.yaml",
    )
    pg("import", folder / "public.yaml")
    pg("import", folder / "confidential.yaml", actor=EDITOR)
    out = tmp_path / "public.db"
    pg("publish", out)
    assert CANARY_CORE.encode() not in out.read_bytes().lower()
    rows = fetch_one(out, "/public/claims_with_sources.json?_search=Qayis&_shape=array").json()
    assert {"15 seats", "14 seats"} <= {r["value"] for r in rows}
    conflicts = fetch_one(out, "/public/conflicts.json?_shape=array").json()
    assert sorted(c["kind"] for c in conflicts) == ["quantity", "stance"]


def published_content(path: Path) -> dict[str, object]:
    """What a published file holds: its schema (tables, views, indexes, triggers with
    their SQL), and every table's columns and rows — each value with its SQLite type,
    so 1, 1.0 and '1' differ — ordered by all columns; the full-text index tables and
    ANALYZE's statistics included."""
    connection = sqlite3.connect(path)
    try:
        schema = connection.execute(
            "select type, name, tbl_name, sql from sqlite_master order by type, name"
        ).fetchall()
        content: dict[str, object] = {"schema": schema}
        for kind, name, _, _ in schema:
            if kind != "table":
                continue
            columns = [r[1] for r in connection.execute(f"pragma table_info([{name}])")]
            typed = ", ".join(f"typeof([{c}]), [{c}]" for c in columns)
            order = ", ".join(str(2 * i + 2) for i in range(len(columns)))
            rows = connection.execute(f"select {typed} from [{name}] order by {order}").fetchall()
            content[name] = [
                dict(zip(columns, zip(row[::2], row[1::2], strict=True), strict=True))
                for row in rows
            ]
        return content
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.parametrize("data", ["seeds", "confidential material and verdicts"])
def test_publish_from_postgresql_writes_the_same_file_as_from_sqlite(
    db_templates, pg_url, tmp_path, data
):
    sqlite_db = tmp_path / "working.db"
    if data == "seeds":
        db_templates.clone("seeded", make_seeded, sqlite_db)
        db_templates.clone("seeded", make_seeded, pg_url)
    else:
        build_site_data(tmp_path / "sqlite", sqlite_db)
        build_site_data(tmp_path / "postgresql", pg_url)
    from_sqlite, from_pg = tmp_path / "from-sqlite.db", tmp_path / "from-postgresql.db"
    assert _invoke(sqlite_db, "publish", from_sqlite).output == _invoke(
        pg_url, "publish", from_pg
    ).output.replace(str(from_pg), str(from_sqlite))
    expected, got = published_content(from_sqlite), published_content(from_pg)
    assert len(expected["claims"]) >= (500 if data == "seeds" else 6)
    if data != "seeds":
        # when each verdict was given: the time `resolve` ran against each database, the
        # only value that may differ; written the same way, and to the same rows
        for rows in (expected["conflicts"], got["conflicts"]):
            for row in rows:
                kind, at = row.pop("status_at")
                assert kind == "null" or (
                    kind == "text" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", at)
                ), at
                row["status_at"] = kind
    assert list(got) == list(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_the_published_tables_docs_match_the_metadata():
    from conftest import ROOT

    text = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    begin, end = (
        text.index(public_site.DOCS_BEGIN),
        text.index(public_site.DOCS_END) + len(public_site.DOCS_END),
    )
    assert text[begin:end] == public_site.tables_markdown(), (
        "run: python -m provenance.public_site docs/publishing.md"
    )
