"""What the public copy is built for (``public_copy``): the indexes it has are the ones the
site's pages query through, and its full-text search finds what a reader searches for,
checked through Datasette's client on a copy published by the real CLI."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_publish import _site, fetch_one

from provenance import public_site
from provenance.public_tables import PUBLIC_TABLES

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, Any]:
    return _site(tmp_path_factory.mktemp("site-pages"))


def _pages(out: Path) -> list[str]:
    """Every kind of page a reader opens: each table with its default facets and sort, a
    row of each (with its links from other tables), a facet value chosen, the claim and
    conflict pages, searches and the canned queries."""
    connection = sqlite3.connect(out)

    def one(sql: str) -> Any:
        row = connection.execute(sql).fetchone()
        return None if row is None else row[0]

    try:
        pages = []
        for name, table in PUBLIC_TABLES.items():
            pages.append(f"/public/{name}")
            key = one(f"select [{table.pk}] from [{name}] order by [{table.pk}] limit 1")
            if key is not None:  # a table with no rows here has no row page
                pages.append(f"/public/{name}/{key}")
        described = public_site.metadata()["databases"]["public"]["tables"]
        for name in PUBLIC_TABLES:
            for facet in described[name].get("facets", []):
                value = one(f"select [{facet}] from [{name}] where [{facet}] is not null limit 1")
                if value is not None:
                    pages.append(f"/public/{name}?{facet}={value}")
        pages += [
            f"/-/claim/{one('select claim_id from answers limit 1')}",
            f"/-/conflict/{one('select id from conflicts limit 1')}",
            "/public/claims_with_sources?_search=Qayis",
            "/public/entities?_search=Qayis",
            "/public/sources?_search=Sadiqun",
            "/public/open_conflicts",
            "/public/source_claims?source=public-report",
            "/public/entity_claims?name=Qayis",
            "/public/single_source_claims",
            "/public/work_claims?work=Tactical",
            "/public",
        ]
        return pages
    finally:
        connection.close()


def _indexes_picked(out: Path, pages: list[str]) -> dict[str, set[str]]:
    """index name → the pages whose SQL SQLite's planner runs through it
    (``EXPLAIN QUERY PLAN`` of every statement Datasette and the plugin ran for them)."""
    from datasette.database import Database
    from datasette.utils import escape_fts

    from provenance.values import normalise_name

    ran: list[tuple[str, Any]] = []
    execute = Database.execute

    async def recording(self: Database, sql: str, params: Any = None, **kwargs: Any) -> Any:
        if self.name == out.stem:  # not Datasette's own internal database
            ran.append((sql, params))
        return await execute(self, sql, params, **kwargs)

    ds = public_site.datasette(out)
    connection = sqlite3.connect(out)
    # the SQL functions the site's queries call, as Datasette and the plugin define them
    connection.create_function("escape_fts", 1, escape_fts)
    connection.create_function("provenance_normalise", 1, normalise_name)
    picked: dict[str, set[str]] = {}

    async def go() -> None:
        for page in pages:
            start = len(ran)
            response = await ds.client.get(page)
            assert response.status_code == 200, f"{page}: {response.status_code}"
            for sql, params in ran[start:]:
                if not sql.lstrip().lower().startswith(("select", "with")):
                    continue
                for *_, detail in connection.execute(f"explain query plan {sql}", params or {}):
                    for index in re.findall(r"USING (?:COVERING )?INDEX (\w+)", detail):
                        picked.setdefault(index, set()).add(page)

    Database.execute = recording  # type: ignore[method-assign]
    try:
        asyncio.run(go())
    finally:
        Database.execute = execute  # type: ignore[method-assign]
        connection.close()
    return picked


def test_every_index_of_the_copy_is_picked_by_a_page_the_site_serves(site):
    out = site["out"]
    connection = sqlite3.connect(out)
    try:
        indexes = {
            name
            for (name,) in connection.execute(
                "select name from sqlite_master where type = 'index' and sql is not null"
            )
        }
    finally:
        connection.close()
    picked = _indexes_picked(out, _pages(out))
    unused = sorted(indexes - set(picked))
    assert not unused, f"indexes no page of the site uses (each costs every publish): {unused}"
    # the pages the targets are set on go through their indexes
    assert "/public/conflicts_with_answers" in picked["idx_conflicts_with_answers_subject"]
    assert any(p.startswith("/-/claim/") for p in picked["idx_citations_claim_id"])


@pytest.mark.parametrize(
    ("search", "finds"),
    [
        ("Qayis", "Qais al-Khazali"),  # an alias of the subject
        ("al-Khazali", "Qais al-Khazali"),  # the subject's name, a phrase of two words
        ("Qais al-Khazali", "Qais al-Khazali"),
        ("parliament", "15 seats"),  # a word of the quote
        ("won 15 seats", "15 seats"),  # words of the quote and the value
        ("seats_won", "14 seats"),  # the property
        ("Militia politics", "15 seats"),  # the source's title
        ("xss", '<script>alert("xss")</script>'),
    ],
)
def test_a_search_of_the_claims_finds_them_by_any_of_their_words(site, search, finds):
    rows = fetch_one(
        site["out"], f"/public/claims_with_sources.json?_search={search}&_shape=array"
    ).json()
    assert finds in {r["subject"] for r in rows} | {r["value"] for r in rows}, (search, rows)


def test_a_search_of_one_column_and_a_raw_search_work(site):
    out = site["out"]
    by_quote = fetch_one(
        out, "/public/claims_with_sources.json?_search_quote=parliament&_shape=array"
    ).json()
    assert {r["value"] for r in by_quote} == {"15 seats"}
    not_in_quotes = fetch_one(
        out, "/public/claims_with_sources.json?_search_quote=Qayis&_shape=array"
    ).json()
    assert not_in_quotes == []
    prefix = fetch_one(
        out, "/public/claims_with_sources.json?_search=Khaz*&_searchmode=raw&_shape=array"
    ).json()
    assert {r["subject"] for r in prefix} == {"Qais al-Khazali"}
    near = fetch_one(
        out,
        "/public/claims_with_sources.json?_search=NEAR(won parliament, 3)"
        "&_searchmode=raw&_shape=array",
    ).json()
    assert {r["value"] for r in near} == {"15 seats"}
