"""The public site: Datasette serving the public copy (SPEC §6), as ``provenance serve`` runs it.

The metadata (``metadata.yaml``: titles, descriptions, facets, canned queries), the
settings and time limits, the Datasette instance with our plugin (``datasette_plugin``:
the claim and conflict pages), the port bound before anything is published, where a
copy goes by default, and the documentation of the published tables generated from the
metadata. What the copy holds is ``public_tables`` (the allowlist), how it is built
``public_copy``, whether it is current ``publish``.
"""

from __future__ import annotations

import datetime as dt
import errno
import socket
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import InvalidValue
from .public_tables import PUBLIC_TABLES, PUBLIC_VIEWS

if TYPE_CHECKING:
    from datasette.app import Datasette

DATABASE_NAME = "public"
SQL_TIME_LIMIT_MS = 1_000


def metadata(database_name: str = DATABASE_NAME) -> dict[str, Any]:
    """The committed metadata (``metadata.yaml``), for a public copy served as ``database_name``.

    "{database}" in a text stands for the database's address, tilde-encoded as Datasette
    encodes it in its own links (every character but letters, digits, ``_`` and ``-``),
    so a file's name can neither break the YAML nor reach a page as markup.
    """
    from datasette.utils import tilde_encode

    text = (resources.files("provenance") / "metadata.yaml").read_text(encoding="utf-8")
    data = _fill(yaml.safe_load(text), tilde_encode(database_name))
    databases = data.get("databases", {})
    if DATABASE_NAME in databases and database_name != DATABASE_NAME:
        databases[database_name] = databases.pop(DATABASE_NAME)
    return data


def _fill(value: Any, route: str) -> Any:
    if isinstance(value, str):
        return value.replace("{database}", route)
    if isinstance(value, dict):
        return {key: _fill(item, route) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, route) for item in value]
    return value


SETTINGS = {
    "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
    # a suggestion costs every table page one query per column: 2 s instead of 0.2 s at
    # 100,000 claims; the default facets and ?_facet= still work
    "suggest_facets": False,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    "allow_download": True,
    # a take-down (a new copy published) must not linger in a browser's or proxy's cache
    "default_cache_ttl": 0,
}


def datasette(public: str | Path, **settings: Any) -> Datasette:
    """The Datasette instance ``serve`` runs: the public copy alone, immutable and reopened
    when a new copy is published over it (``datasette_plugin.served_copy``), with our
    metadata and plugin."""
    from datasette.app import Datasette

    from . import datasette_plugin
    from .datasette_plugin import served_copy

    datasette_plugin.register()
    public = Path(public)
    ds = Datasette(
        [],
        metadata=metadata(public.stem),
        settings={**SETTINGS, **settings},
        cache_headers=True,
    )
    # with no file given Datasette adds an in-memory database anyone could query
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    served_copy.serve_copy(ds, public, public.stem)
    return ds


def bind_port(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` for the site, before anything is published.

    Bound, not yet listening: nobody connects until the server starts, and nobody else
    can take the port meanwhile. A busy port or an unknown host is an ``InvalidValue``.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InvalidValue(
            f"--host {host!r}: not an address of this machine ({exc.strerror}): "
            "expected e.g. 127.0.0.1 or 0.0.0.0"
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        # as uvicorn does: a port left in TIME_WAIT by a stopped server can be reused at once
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            message = f"--port {port}: already in use on {host}: choose a free port"
        else:
            message = f"--host {host!r} --port {port}: cannot listen there ({exc.strerror})"
        raise InvalidValue(message) from None
    return sock


def default_public_path(working: str | None) -> Path:
    """``public.db`` beside a working SQLite file; ``db/public.db`` for a server database."""
    if working and "://" not in working:
        return Path(working).parent / "public.db"
    return Path("db") / "public.db"


def published_at(out: Path) -> str:
    return dt.datetime.fromtimestamp(out.stat().st_mtime).isoformat(timespec="seconds")


# ---------------------------------------------------------------- docs

DOCS_BEGIN = (
    "<!-- published-tables:begin (generated from src/provenance/metadata.yaml: python -m"
    " provenance.public_site docs/publishing.md) -->"
)
DOCS_END = "<!-- published-tables:end -->"


def tables_markdown() -> str:
    """The published tables, views and canned queries as Markdown, from the metadata."""
    database = metadata()["databases"][DATABASE_NAME]
    lines = [DOCS_BEGIN]
    for name, described in database["tables"].items():
        kind = "view" if name in PUBLIC_VIEWS else "table"
        lines += ["", f"### `{name}` ({kind})", "", described["description"], ""]
        extras = []
        if described.get("facets"):
            extras.append("default facets: " + ", ".join(f"`{f}`" for f in described["facets"]))
        if name in PUBLIC_TABLES and PUBLIC_TABLES[name].search:
            extras.append(
                "full-text search: " + ", ".join(f"`{c}`" for c in PUBLIC_TABLES[name].search)
            )
        if extras:
            joined = "; ".join(extras)
            lines += [joined[0].upper() + joined[1:] + ".", ""]
        lines += ["| column | meaning |", "|---|---|"]
        lines += [
            f"| `{column}` | {_cell(text)} |" for column, text in described["columns"].items()
        ]
    lines += ["", "### Canned queries", ""]
    for name, query in database["queries"].items():
        lines.append(f"- `{name}` — **{query['title']}**: {query['description']}")
    lines.append(DOCS_END)
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_tables_docs(path: str | Path) -> None:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    before, rest = text.split(DOCS_BEGIN, 1)
    _, after = rest.split(DOCS_END, 1)
    path.write_text(before + tables_markdown() + after, encoding="utf-8")


if __name__ == "__main__":
    import sys

    write_tables_docs(sys.argv[1] if len(sys.argv) > 1 else "docs/publishing.md")
