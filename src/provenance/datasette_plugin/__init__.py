"""The Datasette plugin of the public site: a page per claim and per conflict.

``/-/claim/<id>`` shows a claim's whole provenance chain — each citation's quote
highlighted in its paragraph of the source text, the footnote and the works it cites
(with their collection), the other sources that state the same claim, and the
conflicts it takes part in. ``/-/conflict/<id>`` shows a conflict's two sides side by
side. Both are plain HTML that needs no JavaScript, rendered through Datasette's
templates, whose autoescaping is what keeps a quote such as ``<script>`` text.

Claim and conflict ids in table, view and query results link to these pages
(``render_cell``), and the SQL function ``provenance_normalise(name)`` lets canned
queries match any spelling of a name the way the CLI does.

The pages read the published copy only: the first attached database that holds the
published tables. The plugin is installed through the ``datasette`` entry point and
does nothing on a database that is not a public copy.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from markupsafe import Markup

from ..values import normalise_name

CLAIM_COLUMNS = ("claim_id", "claim_a_id", "claim_b_id", "leading_claim_id")
CONFLICT_COLUMNS = ("conflict_id",)
# how much of a long paragraph to show on either side of a quote
CONTEXT_CHARS = 1200
MARKER_TABLE = "claims_with_sources"


def register() -> None:
    """Register the plugin in this process (the entry point does it for an installed package)."""
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="provenance")


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
    ]


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


async def _not_found(datasette, request, what: str):
    """A 404 page answered, not raised: Datasette prints every raised exception with its locals."""
    from datasette.utils.asgi import Response

    html = await datasette.render_template(
        ["404.html", "error.html"],
        {"ok": False, "error": what, "status": 404, "title": None},
        request=request,
    )
    return Response.html(html, status=404)


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
    claim["display_value"] = claim["value"] + (
        f" {claim['unit']}" if claim["unit"] and claim["unit"] not in claim["value"] else ""
    )
    qualifiers = await _rows(
        db, "select key, value from claim_qualifiers where claim_id = ? order by key", [claim_id]
    )
    citations = await _citations(db, "ci.claim_id = ?", [claim_id])
    conflicts = await _rows(
        db,
        """
        select id, kind, status, severity, claim_a_id, claim_b_id, value_a, value_b,
               leading_claim_id, leading_value, leading_reason, note
        from conflicts where claim_a_id = ? or claim_b_id = ? order by id
        """,
        [claim_id, claim_id],
    )
    for conflict in conflicts:
        if conflict["kind"] == "stance":
            conflict["other_value"] = "asserted by some sources, denied by others"
        else:
            conflict["other_value"] = (
                conflict["value_b"] if conflict["claim_a_id"] == claim_id else conflict["value_a"]
            )
            conflict["other_claim"] = (
                conflict["claim_b_id"]
                if conflict["claim_a_id"] == claim_id
                else conflict["claim_a_id"]
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
    stance = conflict["kind"] == "stance"
    sides = []
    for letter, wanted in (("a", "asserts"), ("b", "denies")):
        claim_id = conflict[f"claim_{letter}_id"]
        where = "ci.claim_id = ?" + (" and ci.stance = ?" if stance else "")
        params = [claim_id, wanted] if stance else [claim_id]
        claim = (
            await _rows(
                db, "select id, rank, rank_reason, scope from claims where id = ?", [claim_id]
            )
            or [{}]
        )[0]
        sides.append(
            {
                "letter": letter.upper(),
                "claim_id": claim_id,
                "value": conflict[f"value_{letter}"],
                "support": conflict[f"support_{letter}"],
                "scope": claim.get("scope"),
                "rank": claim.get("rank"),
                "leading": conflict["leading_claim_id"] == claim_id
                and (not stance or conflict["leading_value"] == conflict[f"value_{letter}"]),
                "citations": await _citations(db, where, params),
            }
        )
    html = await datasette.render_template(
        "provenance_conflict.html",
        {"conflict": conflict, "sides": sides, **_page_context(datasette, db)},
        request=request,
    )
    return Response.html(html)
