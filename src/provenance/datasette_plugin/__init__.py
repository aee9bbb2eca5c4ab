"""The Datasette plugin of the public site: a page per claim and per conflict.

``/-/claim/<id>`` shows a claim's whole provenance chain — each citation's quote
highlighted in its paragraph of the source text, the footnote and the works it cites
(with their collection), the other sources that state the same claim, and the
conflicts it takes part in. ``/-/conflict/<id>`` shows a conflict — one question —
with all its answers, the leading one first, each with the answers it contradicts.
Both are plain HTML that needs no JavaScript, rendered through Datasette's templates,
whose autoescaping is what keeps a quote such as ``<script>`` text.

Claim and conflict ids in table, view and query results link to these pages
(``render_cell``), and the SQL function ``provenance_normalise(name)`` lets canned
queries match any spelling of a name the way the CLI does.

The pages read the published copy only: the first attached database that holds the
published tables. The plugin is installed through the ``datasette`` entry point and
does nothing on a database that is not a public copy.

**Serving a copy** (``serve_copy``, what ``provenance serve`` runs: reopened when its
file is replaced, what one query may allocate capped, no file paths shown) is
``served_copy.py``; the site around it (metadata, settings, the port) is
``provenance.public_site``.

Errors Datasette expects (not found, forbidden, a bad request) are answered without the
traceback-with-locals Datasette prints for every exception when ``rich`` is installed;
an unexpected error is logged with its traceback, without locals, and its page says only
"Internal error" (an exception's text can name a file). A page whose query was stopped
— by the SQL time limit on a busy machine, or by ``publish`` retiring the copy it read —
is a 503 asking to reload, not an internal error.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from typing import Any

from markupsafe import Markup

from ..output import value_text
from ..values import normalise_name
from .served_copy import CopyReplaced, reopen_replaced_copies

CLAIM_COLUMNS = ("claim_id", "leading_claim_id")
CONFLICT_COLUMNS = ("conflict_id",)
# how much of a long paragraph to show on either side of a quote
CONTEXT_CHARS = 1200
MARKER_TABLE = "claims_with_sources"
# a page whose query the SQL time limit (or a newly published copy) stopped: a 503
BUSY_MESSAGE = "The server was too busy to finish this page in time: reload it in a moment."


def register() -> None:
    """Register the plugin in this process (the entry point does it for an installed package)."""
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="provenance")
    _quiet_default_errors()


def _quiet_default_errors() -> None:
    """Take out Datasette's own exception handler: every handler runs, and that one prints
    each exception — a 404 too — with a traceback and its locals when ``rich`` is installed.
    ``handle_exception`` below answers every error in its place."""
    from datasette.plugins import pm

    default = sys.modules.get("datasette.handle_exception")
    if default is not None and pm.is_registered(default):
        pm.unregister(default)


try:
    from datasette import hookimpl
except ImportError:  # the library works without Datasette; only the site needs it

    def hookimpl(fn=None, **_):
        return fn


async def _is_public_copy(datasette, database: str | None) -> bool:
    if not database or database not in datasette.databases:
        return False
    cache = datasette.__dict__.setdefault("_provenance_public", {})
    if database not in cache:
        cache[database] = await datasette.databases[database].table_exists(MARKER_TABLE)
    return cache[database]


async def _public_database(datasette):
    for name in datasette.databases:
        if name != "_internal" and await _is_public_copy(datasette, name):
            return datasette.databases[name]
    return None


# ---------------------------------------------------------------- hooks


@hookimpl
def prepare_connection(conn, database, datasette):
    conn.create_function(
        "provenance_normalise",
        1,
        lambda s: normalise_name(s) if isinstance(s, str) else s,
        deterministic=True,
    )


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column not in CLAIM_COLUMNS + CONFLICT_COLUMNS and not (
        table == "claims" and column == "value"
    ):
        return None

    async def link():
        if not await _is_public_copy(datasette, database):
            return None
        if table == "claims" and column == "value":
            # a sqlite3.Row: `in` looks among its values, keys() holds the column names
            claim_id = row["id"] if "id" in row.keys() else None  # noqa: SIM118
            if claim_id is None:
                return None
            return Markup('<a href="{}">{}</a>').format(
                datasette.urls.path(f"/-/claim/{int(claim_id)}"), value
            )
        target = value["value"] if isinstance(value, dict) else value
        if not isinstance(target, int):
            return None
        if column in CONFLICT_COLUMNS:
            return Markup('<a href="{}">conflict {}</a>').format(
                datasette.urls.path(f"/-/conflict/{target}"), target
            )
        label = value.get("label") if isinstance(value, dict) else None
        text = f"claim {target}" + (f": {label}" if label and label != str(target) else "")
        return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/-/claim/{target}"), text)

    return link


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/claim/(?P<claim_id>\d+)$", claim_page),
        (r"^/-/conflict/(?P<conflict_id>\d+)$", conflict_page),
        (r"^/-/databases(?P<format>\.json)?$", databases_page),
        (r"^/-/threads(?P<format>\.json)?$", threads_page),
    ]


@hookimpl
def startup(datasette):
    _quiet_default_errors()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def reopening(scope, receive, send):
            if scope.get("type") == "http":
                await reopen_replaced_copies(datasette)
            await app(scope, receive, send)

        return reopening

    return wrap


@hookimpl
def handle_exception(datasette, request, exception):
    """Error pages without Datasette's traceback-with-locals in the log, nor file paths."""
    from datasette.database import QueryInterrupted
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    if isinstance(exception, QueryInterrupted):
        # the SQL time limit on a busy machine, or publish retiring the copy mid-query
        status, message = 503, BUSY_MESSAGE
    elif isinstance(exception, CopyReplaced):
        status, message = 503, str(exception)
    elif isinstance(exception, (Base400, DatasetteError)):
        status = exception.status
        if isinstance(exception, Base400):
            message = exception.args[0] if exception.args else ""
        else:
            message = exception.message
        if isinstance(exception, DatasetteError) and exception.message_is_html:
            message = Markup(message)
    else:
        status, message = 500, "Internal error"
        traceback.print_exception(exception, file=sys.stderr)

    async def inner():
        return await _error_response(datasette, request, status, message)

    return inner


# ---------------------------------------------------------------- pages


async def _rows(db, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    result = await db.execute(sql, params)
    return [dict(r) for r in result.rows]


def paragraph(text: str, start: int, end: int) -> dict[str, Any]:
    """The paragraph around text[start:end], split into before / quote / after."""
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    cut_before = begin < start - CONTEXT_CHARS
    cut_after = stop > end + CONTEXT_CHARS
    if cut_before:
        begin = start - CONTEXT_CHARS
    if cut_after:
        stop = end + CONTEXT_CHARS
    return {
        "before": ("…" if cut_before else "") + text[begin:start],
        "quote": text[start:end],
        "after": text[end:stop] + ("…" if cut_after else ""),
    }


async def _citations(db, where: str, params: Any) -> list[dict[str, Any]]:
    citations = await _rows(
        db,
        f"""
        select ci.id, ci.claim_id, ci.quote, ci.quote_start, ci.quote_end, ci.orphaned, ci.stance,
               ci.confidence, ci.source_id, ci.footnote_id, s.slug as source,
               s.title as source_title, s.authors, s.published, s.kind, s.reliability, s.url,
               s.text,
               f.number as footnote, f.text as footnote_text, sp.name as attributed_to
        from citations ci
        join sources s on s.id = ci.source_id
        left join footnotes f on f.id = ci.footnote_id
        left join entities sp on sp.id = ci.attributed_to_id
        where {where}
        order by ci.id
        """,
        params,
    )
    footnote_ids = sorted({c["footnote_id"] for c in citations if c["footnote_id"] is not None})
    works: dict[int, list[dict[str, Any]]] = {}
    if footnote_ids:
        marks = ", ".join("?" for _ in footnote_ids)
        for w in await _rows(
            db,
            f"""
            select fw.footnote_id, w.id, w.title, w.citation, fw.locator,
                   col.id as collection_id, col.title as collection
            from footnote_works fw join works w on w.id = fw.work_id
            left join works col on col.id = w.collection_id
            where fw.footnote_id in ({marks}) order by fw.footnote_id, fw.position
            """,
            footnote_ids,
        ):
            works.setdefault(w["footnote_id"], []).append(w)
    for c in citations:
        text = c.pop("text")
        c["authors"] = ", ".join(json.loads(c["authors"] or "[]"))
        c["works"] = works.get(c["footnote_id"], [])
        c["paragraph"] = (
            paragraph(text, c["quote_start"], c["quote_end"])
            if text is not None and c["quote_start"] is not None and not c["orphaned"]
            else None
        )
    return citations


async def _error_response(datasette, request, status: int, message: Any):
    from datasette.utils.asgi import Response

    info = {"ok": False, "error": message, "status": status, "title": None}
    if request.path.endswith(".json"):
        return Response.json({**info, "error": str(message)}, status=status)
    html = await datasette.render_template([f"{status}.html", "error.html"], info, request=request)
    return Response.html(html, status=status)


async def _not_found(datasette, request, what: str):
    """A 404 page answered, not raised: nothing for ``handle_exception`` to log."""
    return await _error_response(datasette, request, 404, what)


async def databases_page(datasette, request):
    """``/-/databases.json`` as Datasette shows it, without the server's file paths."""
    from datasette.views.special import JsonDataView

    def described() -> list[dict[str, Any]]:
        return [
            {
                "name": db.name,
                "route": db.route,
                "size": db.size,
                "is_mutable": db.is_mutable,
                "is_memory": db.is_memory,
                "hash": db.hash,
            }
            for name, db in datasette.databases.items()
            if name != "_internal"
        ]

    return await JsonDataView(datasette, "databases.json", described).get(request)


async def threads_page(datasette, request):
    """``/-/threads.json`` without the file and line each task is running at."""
    from datasette.views.special import JsonDataView

    def described() -> dict[str, Any]:
        found = datasette._threads()
        found["tasks"] = [_LOCATION.sub("", task) for task in found.get("tasks", [])]
        return found

    return await JsonDataView(datasette, "threads.json", described).get(request)


# "running at /usr/lib/python3.11/asyncio/tasks.py:42": where the code is, no one's business
_LOCATION = re.compile(r" (?:running )?at [^>\]]*")


def _page_context(datasette, db) -> dict[str, Any]:
    """What Datasette's own pages give the footer: the licence and source notes."""
    from datasette.version import __version__

    return {"database": db.name, "metadata": datasette.metadata(), "datasette_version": __version__}


async def claim_page(datasette, request):
    from datasette.utils.asgi import Response

    db = await _public_database(datasette)
    if db is None:
        return await _not_found(datasette, request, "No published provenance database is attached.")
    claim_id = int(request.url_vars["claim_id"])
    found = await _rows(
        db,
        """
        select c.*, e.name as subject, p.name as property, p.datatype, ev.name as entity_value
        from claims c join entities e on e.id = c.subject_id
        join properties p on p.id = c.property_id
        left join entities ev on ev.id = c.entity_value_id
        where c.id = ?
        """,
        [claim_id],
    )
    if not found:
        return await _not_found(datasette, request, f"Claim {claim_id} is not published.")
    claim = found[0]
    claim["display_value"] = value_text(claim["value"], claim["unit"])
    qualifiers = await _rows(
        db, "select key, value from claim_qualifiers where claim_id = ? order by key", [claim_id]
    )
    citations = await _citations(db, "ci.claim_id = ?", [claim_id])
    conflicts = await _rows(
        db,
        """
        select k.id, k.kind, k.status, k.settled, k.severity, k.answers, k.leading_claim_id,
               k.leading_value, k.leading_reason, k.note, a.value as own_value, a.stance,
               a.contradicts
        from answers a join conflicts k on k.id = a.conflict_id
        where a.claim_id = ? order by k.id, a.position
        """,
        [claim_id],
    )
    for conflict in conflicts:
        conflict["other_value"] = f"{conflict['answers']} answers; it contradicts " + (
            conflict["contradicts"] or "none"
        )
    sources = sorted({c["source"] for c in citations})
    html = await datasette.render_template(
        "provenance_claim.html",
        {
            "claim": claim,
            "qualifiers": qualifiers,
            "asserting": [c for c in citations if c["stance"] == "asserts"],
            "denying": [c for c in citations if c["stance"] == "denies"],
            "sources": sources,
            "conflicts": conflicts,
            **_page_context(datasette, db),
        },
        request=request,
    )
    return Response.html(html)


async def conflict_page(datasette, request):
    from datasette.utils.asgi import Response

    db = await _public_database(datasette)
    if db is None:
        return await _not_found(datasette, request, "No published provenance database is attached.")
    conflict_id = int(request.url_vars["conflict_id"])
    found = await _rows(
        db,
        """
        select k.*, e.name as subject, p.name as property
        from conflicts k join entities e on e.id = k.subject_id
        join properties p on p.id = k.property_id
        where k.id = ?
        """,
        [conflict_id],
    )
    if not found:
        return await _not_found(datasette, request, f"Conflict {conflict_id} is not published.")
    conflict = found[0]
    answers = await _rows(
        db,
        """
        select a.*, c.rank, c.rank_reason, c.scope
        from answers a left join claims c on c.id = a.claim_id
        where a.conflict_id = ? order by a.position
        """,
        [conflict_id],
    )
    for answer in answers:
        answer["citations"] = await _citations(
            db, "ci.claim_id = ? and ci.stance = ?", [answer["claim_id"], answer["stance"]]
        )
    html = await datasette.render_template(
        "provenance_conflict.html",
        {"conflict": conflict, "answers": answers, **_page_context(datasette, db)},
        request=request,
    )
    return Response.html(html)
