"""`provenance serve` as a real process on a free local port (SPEC §6): the take-down path,
and a site that shows no server paths, caps what one query allocates, logs no traceback
for a missing page and checks its port before publishing.

Servers started here listen on 127.0.0.1 only, and every loop is bounded.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from test_publish import MANIFEST, _invoke, build_site_data, fetch, fetch_one

from provenance import public_site

# the served copy is a SQLite file whatever the working database: one run is enough
pytestmark = pytest.mark.sqlite_only

START_TIMEOUT_S = 90
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _sql(sql: str) -> str:
    return "/public.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})


@contextmanager
def serving(folder: Path, db: Path | str) -> Iterator[dict]:
    """`provenance serve` of ``folder``/public.db on a free port of 127.0.0.1 until the end."""
    port = _free_port()
    log_path = folder / "serve.log"
    log = open(log_path, "w+", encoding="utf-8")  # noqa: SIM115 (the server writes it until the end)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from provenance.cli import cli; cli()",
            "--db",
            str(db),
            "serve",
            "--port",
            str(port),
            "--host",
            HOST,
            "--public-db",
            str(folder / "public.db"),
        ],
        cwd=folder,
        env={**os.environ, "PROVENANCE_ACTOR": "serve test"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"provenance serve exited with {process.returncode}:\n{log_path.read_text()}"
                )
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"no answer within {START_TIMEOUT_S} s:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield {"base": base, "process": process, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# ---------------------------------------------------------------- the take-down path

WITHDRAWN = (
    "Militia politics in Iraq",
    "won 15 seats in parliament",
    "public-report",
    "Tactical Interrogation Report 16",
)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_withdrawn_source_is_gone_from_the_running_site_once_publish_returns(
    request, tmp_path, backend
):
    folder = tmp_path / "desk"
    if backend == "postgresql":
        db = build_site_data(folder, request.getfixturevalue("pg_url"))
    else:
        db = build_site_data(folder)
    with serving(folder, db) as site:
        base = site["base"]
        rows = _get(base + _sql("select claim_id, value, source from claims_with_sources"))[1]
        claim_id = re.search(
            r'"claim_id": (\d+), "value": "15 seats", "source": "public-report"', rows
        )
        assert claim_id, rows
        paths = [
            f"/-/claim/{claim_id[1]}",
            "/public/sources",
            "/public/sources.json?_shape=array",
            "/public/claims_with_sources.csv?_size=max",
            "/public/claims_with_sources.json?_search=Militia&_shape=array",
            "/public/footnotes.json?_shape=array",
            _sql("select title, text from sources"),
            _sql("select quote, source_title from claims_with_sources"),
            _sql("select * from sources_fts where sources_fts match 'Militia'"),
        ]
        # warm every worker thread's connection: concurrent rounds over every path
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(5):
                for path, (status, body) in zip(
                    paths * 3, pool.map(lambda p: _get(base + p), paths * 3), strict=True
                ):
                    assert status == 200, f"{path}: {status} {body[:300]}"
                    assert any(marker in body for marker in WITHDRAWN), path

            # the desk marks the public report confidential and publishes
            withdrawn = {
                "sources": [
                    {**entry, "confidential": True} if entry["slug"] == "public-report" else entry
                    for entry in MANIFEST["sources"]
                ]
            }
            (folder / "withdrawn.yaml").write_text(yaml.safe_dump(withdrawn), encoding="utf-8")
            _invoke(
                db,
                "ingest",
                folder / "public-report.txt",
                folder / "informant-memo.txt",
                "--manifest",
                folder / "withdrawn.yaml",
            )
            _invoke(db, "publish", folder / "public.db")

            # every request from now on: 20 rounds over every path, none shows it
            for _ in range(20):
                for path, (status, body) in zip(
                    paths, pool.map(lambda p: _get(base + p), paths), strict=True
                ):
                    assert status in (200, 404), f"{path}: {status} {body[:300]}"
                    for marker in WITHDRAWN:
                        assert marker not in body, f"{path} still shows {marker!r}"
        # and the site is still up, on the new copy
        status, body = _get(base + "/public/sources.json?_shape=array")
        assert status == 200 and "Election tables" in body, body


# ---------------------------------------------------------------- a hardened site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    db = build_site_data(folder)
    with serving(folder, db) as site:
        yield {**site, "folder": folder}


def _peak_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])


# each of these allocated hundreds of MB in the server before the caps (see docs/publishing.md)
GREEDY_QUERIES = [
    "select length(randomblob(400000000))",
    "select length(zeroblob(400000000))",
    "select length(printf('%.*c', 400000000, 'x'))",
    "with recursive r(i, s) as (select 0, 'xxxxxxxx' union all select i + 1, s || s from r"
    " where i < 40) select max(length(s)) from r",
    "with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000)"
    " select length(group_concat(zeroblob(1000000))) from r",
    "with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000)"
    " select zeroblob(250000) from r",
    "with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000)"
    " select printf('%.*c', 250000, 'x') from r",
    # one row of many values, each under the length limit (2,000 columns would be 500 MB)
    "select " + ", ".join(["randomblob(250000)"] * 100),
]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_one_query_cannot_make_the_server_take_hundreds_of_megabytes(served):
    base, pid = served["base"], served["process"].pid
    _get(base + "/public/claims_with_sources")
    before = _peak_kb(pid)
    for sql in GREEDY_QUERIES:
        status, body = _get(base + _sql(sql))
        # refused, or (printf past the length limit) an empty value
        assert status >= 400 or len(body) < 1000, f"{sql}: {status} {body[:200]}"
    grown_mb = (_peak_kb(pid) - before) / 1024
    assert grown_mb < 120, f"the server's peak memory grew by {grown_mb:.0f} MB"
    # the site still answers, and every published value can still be read
    status, body = _get(base + _sql("select length(text) from sources"))
    assert status == 200, body


def test_a_missing_page_writes_no_traceback_to_the_log(served):
    base = served["base"]
    for path in ("/nope", "/public/nope", "/public/claims/999999", "/-/claim/999999"):
        assert _get(base + path)[0] == 404, path
    assert _get(base + _sql("select nope"))[0] == 400
    log = served["log"].read_text(encoding="utf-8")
    assert "Traceback" not in log and "locals" not in log, log[-3000:]


def test_serve_checks_its_port_before_publishing(tmp_path):
    db = tmp_path / "working.db"
    _invoke(db, "init")
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _invoke(db, "serve", "--port", port, "--host", HOST, code=2)
    assert result.output == f"Error: --port {port}: already in use on {HOST}: choose a free port\n"
    assert not (tmp_path / "public.db").exists(), "published before finding the port busy"


SITE_PAGES = [
    "/",
    "/public",
    "/-/databases",
    "/-/databases.json",
    "/-/plugins.json?all=1",
    "/-/versions.json",
    "/-/settings.json",
    "/-/metadata.json",
    "/-/actor.json",
    "/-/threads.json",
    "/-/messages",
    "/_internal",
    "/_memory.json?sql=select+1",
    "/_internal.json?sql=select+*+from+databases",
    _sql("select * from pragma_database_list"),
    "/public?" + urllib.parse.urlencode({"sql": "select * from pragma_database_list"}),
    _sql("select nope"),
    _sql("select load_extension('x')"),
    _sql("select length(randomblob(400000000))"),
    "/public/nope",
    "/public/claims/999999",
    "/public/claims.json?_sort=nope",
    "/nope.json",
    "/-/claim/999999",
]


def test_no_page_shows_a_server_path(tmp_path):
    db = build_site_data(tmp_path / "desk")
    out = tmp_path / "desk" / "public.db"
    _invoke(db, "publish", out)
    secret_paths = {
        str(tmp_path),
        str(Path(sys.prefix)),
        str(Path(sys.base_prefix)),
        "site-packages",
    }
    seen = 0
    for path, response in zip(SITE_PAGES, fetch(out, *SITE_PAGES), strict=True):
        for secret in secret_paths:
            assert secret not in response.text, f"{path} shows {secret}: {response.text[:500]}"
        seen += response.status_code == 200
    assert seen >= 10
    listed = fetch_one(out, "/-/databases.json").json()
    assert [d["name"] for d in listed] == ["public"] and "path" not in listed[0]
    # the copy gone from under the site: the download was a 500 page naming the file
    ds = public_site.datasette(out)

    async def without_the_file():
        assert (await ds.client.get("/public.json")).status_code == 200
        out.rename(out.with_suffix(".moved"))
        return [await ds.client.get(path) for path in ("/public.db", "/public", "/-/databases")]

    for response in asyncio.run(without_the_file()):
        assert response.status_code in (200, 404), response.text[:300]
        assert str(tmp_path) not in response.text, response.text[:500]


def test_the_file_name_is_not_markup_on_the_home_page(tmp_path):
    db = build_site_data(tmp_path / "desk")
    out = tmp_path / 'pub"><img src=x onerror=alert(1)>.db'
    _invoke(db, "publish", out)
    home = fetch_one(out, "/").text
    assert "<img" not in home and "onerror=alert(1)>" not in home, home
    links = re.findall(r'href="([^"]*/claims_with_sources)"', home)
    assert links, home
    for link in links:
        assert fetch_one(out, link).status_code == 200


def test_a_source_text_longer_than_the_length_floor_is_still_served(tmp_path):
    from provenance.datasette_plugin.served_copy import VALUE_LIMIT_FLOOR

    db = tmp_path / "working.db"
    _invoke(db, "init")
    long_text = "A long report\n\n" + "The council met again and adjourned. " * (
        2 * VALUE_LIMIT_FLOOR // 37
    )
    (tmp_path / "long-report.txt").write_text(long_text, encoding="utf-8")
    _invoke(db, "ingest", tmp_path / "long-report.txt")
    out = tmp_path / "public.db"
    _invoke(db, "publish", out)
    rows = fetch_one(out, _sql("select id, length(text) as n from sources")).json()
    assert [r["n"] for r in rows] == [len(long_text)] and len(long_text) > VALUE_LIMIT_FLOOR
    page = fetch_one(out, f"/public/sources/{rows[0]['id']}.json?_shape=array").json()
    assert page[0]["text"] == long_text


def test_a_replaced_copy_is_retired_and_a_deleted_one_is_off_the_site(tmp_path):
    """What a request still holding the old copy (a CSV stream) meets once a new copy is
    published: an error, not rows; and the old file's connections are closed."""
    db = build_site_data(tmp_path / "desk")
    out = tmp_path / "desk" / "public.db"
    _invoke(db, "publish", out)
    ds = public_site.datasette(out)

    async def go():
        first = await ds.client.get("/public/sources.json?_shape=array")
        assert first.status_code == 200
        assert first.headers["cache-control"] == "no-cache"
        old = ds.databases["public"]
        _invoke(db, "publish", out)
        assert (await ds.client.get("/public/sources.json")).status_code == 200
        assert ds.databases["public"] is not old
        with pytest.raises(sqlite3.OperationalError, match="replaced"):
            await old.execute("select count(*) from sources")
        assert old._all_file_connections
        for connection in old._all_file_connections:
            with pytest.raises(sqlite3.ProgrammingError):
                connection.execute("select 1")
        out.unlink()
        assert (await ds.client.get("/public/sources.json")).status_code == 404
        assert "public" not in ds.databases
        _invoke(db, "publish", out)
        assert (await ds.client.get("/public/sources.json")).status_code == 200

    asyncio.run(go())


def test_a_schema_refresh_running_while_a_copy_is_replaced_is_not_an_error(tmp_path):
    """Every page refreshes Datasette's schema tables; a page doing so while another request
    swaps in a newly published copy must not reach the retired copy (that was a 500 for a
    reader), and the schema tables afterwards describe the new copy."""
    from provenance.datasette_plugin.served_copy import reopen_replaced_copies

    db = build_site_data(tmp_path / "desk")
    out = tmp_path / "desk" / "public.db"
    _invoke(db, "publish", out)
    ds = public_site.datasette(out)
    internal = ds.databases["_internal"]
    read = internal.execute
    swaps: list[asyncio.Future] = []

    async def execute(sql, *args, **kwargs):
        # the refresh is part-way through the databases: another request's turn, which
        # finds the copy replaced
        if sql == "PRAGMA schema_version" and not swaps:
            swaps.append(asyncio.ensure_future(reopen_replaced_copies(ds)))
            for _ in range(5):
                await asyncio.sleep(0)
        return await read(sql, *args, **kwargs)

    async def go():
        assert (await ds.client.get("/public/sources.json")).status_code == 200
        old = ds.databases["public"]
        _invoke(db, "publish", out)
        internal.execute = execute
        await ds.refresh_schemas()
        await swaps[0]
        internal.execute = read
        assert ds.databases["public"] is not old and old.retired
        await ds.refresh_schemas()
        rows = await internal.execute("select database_name, path from databases")
        assert [r[0] for r in rows] == ["_internal", "public"]
        assert (await ds.client.get("/public/sources")).status_code == 200

    asyncio.run(go())


def test_a_page_out_of_time_on_a_busy_server_is_a_503_asking_to_reload(tmp_path):
    """A query stopped by the SQL time limit (a busy machine) or by publish retiring its
    copy, outside the SQL a reader typed: a 503 saying to reload, not a 500."""
    from datasette.database import QueryInterrupted

    from provenance.datasette_plugin.served_copy import CopyReplaced

    db = build_site_data(tmp_path / "desk")
    out = tmp_path / "desk" / "public.db"
    _invoke(db, "publish", out)
    ds = public_site.datasette(out)
    claim = fetch_one(out, _sql("select min(claim_id) as id from claims_with_sources")).json()
    stops = [
        QueryInterrupted(sqlite3.OperationalError("interrupted"), "select 1", []),
        CopyReplaced(),
    ]

    async def go():
        assert (await ds.client.get(f"/-/claim/{claim[0]['id']}")).status_code == 200
        copy = ds.databases["public"]
        pages = []
        for stop in stops:

            async def stopped(*args, stop=stop, **kwargs):
                raise stop

            copy.execute = stopped
            for path in (f"/-/claim/{claim[0]['id']}", "/public/sources", "/-/conflict/1.json"):
                pages.append((path, await ds.client.get(path)))
        return pages

    for path, response in asyncio.run(go()):
        assert response.status_code == 503, f"{path}: {response.status_code} {response.text[:300]}"
        assert "reload" in response.text, response.text[:300]
