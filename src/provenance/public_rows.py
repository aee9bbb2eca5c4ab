"""The rows of the public copy (SPEC §6): what ``public_tables`` allows, read from one
snapshot of the working database and written into the copy's file, which
``public_copy`` makes and puts in place.

**How the rows get there.** From a working SQLite database the temporary file is
attached to the connection of the reading transaction (``ATTACH … AS pub``) and the
large tables — claims, citations, qualifiers, footnotes, and the entities and aliases
the published rows refer to (picked by SQLite from the rows already in the copy) — are
copied with ``INSERT INTO pub.t … SELECT`` from the allowlisted columns: no row passes
through Python, and every table is read from the transaction's one snapshot. From
PostgreSQL the same SQLAlchemy Core queries are read a batch at a time and written with
``executemany``, so memory stays flat. The rest is small or needs Python, and is
written from rows checked against the allowlist one by one: sources (a confidential
comment section blanked out of its article's text), the works as public notes read
them, the properties published rows refer to, and the figures computed on public evidence alone
(``public_evidence.public_figures``: conflicts, support, leading values, trust). Then
``derive``, in the copy itself and alike from both back ends: each claim's scope, each
entity's other names, the ``conflicts_with_answers`` and ``claims_with_sources``
tables (``public_copy`` then adds indexes, full-text search, ``ANALYZE`` and an
incremental vacuum). Measured in
``docs/benchmarks.md`` (Publish): at a million claims the rows take about 2 s of CPU,
the figures on public evidence about 6 s, and SQLite's indexes, full-text search and
``ANALYZE`` of the copy about 10 s.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    Table,
    column,
    distinct,
    func,
    insert,
    null,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from .models import (
    Alias,
    Citation,
    Claim,
    ClaimQualifier,
    Entity,
    Footnote,
    FootnoteWork,
    Property,
    Source,
    Work,
)
from .public_evidence import public_figures
from .public_tables import CONFLICTS_WITH_ANSWERS, PUBLIC_TABLES, public_citation
from .publish import BATCH, Progress, PublishReport
from .sources import confidential_source_ids

# the name of the copy attached to the working SQLite database's connection while it is filled
ATTACHED = "pub"

# the entities the published rows refer to (``{t}`` names the copy's tables)
USED_ENTITIES = (
    "select subject_id from {t}claims union select entity_value_id from {t}claims"
    " union select entity_id from {t}claim_qualifiers"
    " union select attributed_to_id from {t}citations"
)

# each claim's scope, as ``listings.scope_text`` writes it ("as of 2019; 2018 to …;
# election=…", the qualifiers in the order they were stored), made by SQLite in the copy:
# first each qualified claim's qualifiers on one line, then every scoped claim's text
SCOPE_SQL = (
    "create temp table qualified (claim_id integer primary key, text text)",
    "insert into qualified select claim_id, group_concat(key || '=' || value, '; ')"
    " from (select claim_id, key, value from claim_qualifiers order by claim_id, id)"
    " group by claim_id",
    """update claims set scope = nullif(substr(
        case when as_of != '' then '; as of ' || as_of else '' end
        || case when coalesce(valid_from, '') != '' or coalesce(valid_to, '') != ''
            then '; ' || coalesce(nullif(valid_from, ''), '…') || ' to '
                || coalesce(nullif(valid_to, ''), '…')
            else '' end
        || coalesce((select '; ' || text from qualified where claim_id = claims.id), ''),
        3), '')
    where as_of is not null or valid_from is not null or valid_to is not null
        or id in (select claim_id from qualified)""",
    "drop table qualified",
)

DISPLAY_VALUE_SQL = (
    "CASE WHEN c.unit IS NOT NULL AND c.unit != '' AND instr(c.value, c.unit) = 0"
    " THEN c.value || ' ' || c.unit ELSE c.value END"
)


def _redact_sections(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


class Filler:
    """Writes the rows of the public copy, table by table, from one snapshot of the
    working database, into the temporary file.

    From SQLite the file is attached to the connection of the reading transaction
    (``ATTACH … AS pub``) and the large tables are copied by ``INSERT INTO pub.t …
    SELECT`` inside SQLite: no row passes through Python. The rows are written when
    that reading transaction ends. From PostgreSQL the same SQLAlchemy Core queries are
    read a batch at a time (``yield_per``) and written with ``executemany`` into the
    file, opened on its own connection: memory stays flat.

    Either way each query selects exactly the allowlisted columns, in order (checked
    before it runs), and the few tables that need Python (a redacted source text, the
    works as public notes read them, conflicts and trust on public evidence) are
    written from rows that hold exactly the allowlisted columns (checked per row).
    """

    def __init__(self, session: Session, tmp: Path, report: PublishReport, tick: Progress):
        self.session = session
        self.report = report
        self.tick = tick
        self.hidden = confidential_source_ids(session)
        report.confidential_sources = len(self.hidden)
        self.public_citation = public_citation(self.hidden)
        self.attached = session.get_bind().dialect.name == "sqlite"
        if self.attached:
            driver = session.connection().connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            self.sqlite = driver
            self.schema = ATTACHED
            self.sqlite.execute(f"ATTACH DATABASE ? AS {ATTACHED}", (str(tmp),))
        else:
            self.sqlite = sqlite3.connect(tmp, isolation_level=None)
            self.schema = "main"
        # the copy is a new file, renamed into place only once complete and synced:
        # neither a journal nor a sync per transaction protects anything
        # (the one sync an attached file gets at the end of the reading transaction stays:
        # its level cannot be changed inside a transaction)
        self.sqlite.execute(f"PRAGMA {self.schema}.journal_mode = OFF")
        if not self.attached:
            self.sqlite.execute("PRAGMA synchronous = OFF")
        if not self.attached:
            self.sqlite.execute("BEGIN")
        # claim id → its public citation and source counts
        self.counted = (
            select(
                Citation.claim_id.label("claim_id"),
                func.count().label("citations"),
                func.count(distinct(Citation.source_id)).label("sources"),
            )
            .where(self.public_citation)
            .group_by(Citation.claim_id)
            .subquery("counted")
        )

    def close(self) -> None:
        """Detach the file (SQLite: once the reading transaction has ended) or close it."""
        if self.attached:
            # an error: the connection is closed already, and nothing holds the file
            with suppress(sqlite3.Error):
                self.sqlite.execute(f"DETACH DATABASE {ATTACHED}")
        else:
            self.sqlite.close()

    @contextmanager
    def _writable(self) -> Iterator[None]:
        """Writes into the copy: a reading transaction on SQLite is ``query_only``, which
        also covers attached files, so it is lifted around each write into the copy."""
        lifted = self.attached and bool(self.sqlite.execute("PRAGMA query_only").fetchone()[0])
        if lifted:
            self.sqlite.execute("PRAGMA query_only = OFF")
        try:
            yield
        finally:
            if lifted:
                self.sqlite.execute("PRAGMA query_only = ON")

    def fill(self) -> None:
        s = self.session
        steps: list[tuple[str, Callable[[], int]]] = [
            ("sources", self.sources),
            ("footnotes", lambda: self.copy("footnotes", self.footnotes_query())),
            ("footnote_works", self.footnote_works_and_works),
            ("claims", lambda: self.copy("claims", self.claims_query())),
            ("claim_qualifiers", lambda: self.copy("claim_qualifiers", self.qualifiers_query())),
            ("citations", lambda: self.copy("citations", self.citations_query())),
            ("properties", self.properties),
            ("entities", self.entities_and_aliases),
        ]
        for name, step in steps:
            self.tick(name, 0, 0)
            self.report.rows[name] = step()
        self.tick("conflicts", 0, 0)
        conflict_rows, answer_rows, self.report.withheld_conflicts, trust_rows = public_figures(
            s, self.hidden
        )
        self.report.rows["conflicts"] = self.write("conflicts", conflict_rows)
        self.report.rows["answers"] = self.write("answers", answer_rows)
        self.report.rows["trust"] = self.write("trust", trust_rows)
        total_citations = s.execute(select(func.count()).select_from(Citation)).scalar_one()
        total_claims = s.execute(select(func.count()).select_from(Claim)).scalar_one()
        self.report.withheld_citations = total_citations - self.report.rows["citations"]
        self.report.withheld_claims = total_claims - self.report.rows["claims"]
        if not self.attached:
            self.sqlite.execute("COMMIT")

    # writing

    def _insert_sql(self, name: str) -> str:
        columns = list(PUBLIC_TABLES[name].columns)
        return (
            f"INSERT INTO {self.schema}.[{name}] ({', '.join(f'[{c}]' for c in columns)})"
            f" VALUES ({', '.join('?' * len(columns))})"
        )

    def copy(self, name: str, query: Select) -> int:
        """Copy the rows of ``query`` — exactly the allowlisted columns of ``name`` — into
        the copy; returns how many."""
        allowed = list(PUBLIC_TABLES[name].columns)
        selected = list(query.selected_columns.keys())
        if selected != allowed:
            raise AssertionError(f"{name}: query columns {selected} are not the allowlist")
        if self.attached:
            target = Table(name, MetaData(schema=ATTACHED), *(Column(c) for c in allowed))
            with self._writable():
                result = self.session.execute(insert(target).from_select(allowed, query))
            return int(result.rowcount)  # type: ignore[attr-defined]
        count = 0
        sql = self._insert_sql(name)
        for part in self.session.execute(query.execution_options(yield_per=BATCH)).partitions():
            self.sqlite.executemany(sql, [tuple(row) for row in part])
            count += len(part)
            self.tick(name, count, 0)
        return count

    def write(self, name: str, rows: Iterable[dict[str, Any]]) -> int:
        """Write rows holding exactly the allowlisted columns: anything else is an error,
        not a leak."""
        allowed = list(PUBLIC_TABLES[name].columns)
        sql = self._insert_sql(name)
        count = 0
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            if set(row) != set(allowed):
                raise AssertionError(
                    f"{name}: row columns {sorted(row)} are not the allowlist {sorted(allowed)}"
                )
            batch.append(tuple(row[c] for c in allowed))
            if len(batch) == BATCH:
                count += self._flush(sql, batch)
                self.tick(name, count, 0)
        return count + self._flush(sql, batch)

    def _flush(self, sql: str, batch: list[tuple[Any, ...]]) -> int:
        with self._writable():
            self.sqlite.executemany(sql, batch)
        count = len(batch)
        batch.clear()
        return count

    def published_ids(self, sql: str) -> set[int]:
        """Ids the rows written so far refer to (``sql`` names tables of the copy as ``{t}``)."""
        found = self.sqlite.execute(sql.format(t=f"{self.schema}.")).fetchall()
        return {row[0] for row in found if row[0] is not None}

    # tables

    def footnotes_query(self) -> Select:
        query = select(
            Footnote.id, Footnote.source_id, Footnote.number, Footnote.text, Footnote.resolution
        ).order_by(Footnote.id)
        if self.hidden:
            query = query.where(Footnote.source_id.not_in(self.hidden))
        return query

    def qualifiers_query(self) -> Select:
        """The qualifiers of published claims (which are written first)."""
        query = select(
            ClaimQualifier.id,
            ClaimQualifier.claim_id,
            ClaimQualifier.key,
            ClaimQualifier.value,
            ClaimQualifier.entity_id,
        ).order_by(ClaimQualifier.id)
        if self.attached:
            # the published claims are in the attached copy: not counted a second time
            published = text(f"select id from {ATTACHED}.claims").columns(column("id", Integer))
            return query.where(ClaimQualifier.claim_id.in_(published))
        return query.join(self.counted, self.counted.c.claim_id == ClaimQualifier.claim_id)

    def claims_query(self) -> Select:
        c = Claim
        return (
            select(
                c.id,
                c.subject_id,
                c.property_id,
                c.value,
                c.unit,
                c.quantity_low,
                c.quantity_high,
                c.date_earliest,
                c.date_latest,
                c.entity_value_id,
                c.as_of,
                c.valid_from,
                c.valid_to,
                # written in the copy from these columns and the published qualifiers
                null().label("scope"),
                c.rank,
                c.rank_reason,
                self.counted.c.citations.label("citation_count"),
                self.counted.c.sources.label("source_count"),
            )
            .join(self.counted, self.counted.c.claim_id == c.id)
            .order_by(c.id)
        )

    def citations_query(self) -> Select:
        return (
            select(
                Citation.id,
                Citation.claim_id,
                Citation.source_id,
                Citation.footnote_id,
                Citation.quote,
                Citation.quote_start,
                Citation.quote_end,
                Citation.orphaned,
                Citation.attributed_to_id,
                Citation.stance,
                Citation.confidence,
            )
            .where(self.public_citation)
            .order_by(Citation.id)
        )

    def sources(self) -> int:
        sections: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in self.session.execute(
            select(Source.id, Source.parent_id, Source.span_start, Source.span_end)
        ):
            if (
                row.id in self.hidden
                and row.parent_id is not None
                and row.parent_id not in self.hidden
                and row.span_start is not None
            ):
                sections[row.parent_id].append((row.span_start, row.span_end))
        s = Source
        query = select(
            s.id,
            s.slug,
            s.title,
            s.authors,
            s.publisher,
            s.url,
            s.published,
            s.kind,
            s.reliability,
            s.reliability_reason,
            s.parent_id,
            s.span_start,
            s.span_end,
            s.text,
            s.sha256,
        ).order_by(s.id)
        if self.hidden:
            query = query.where(s.id.not_in(self.hidden))

        def rows() -> Iterator[dict[str, Any]]:
            for source in self.session.execute(query.execution_options(yield_per=100)):
                row = dict(source._mapping)
                text = source.text
                if text is not None and source.id in sections:
                    text = _redact_sections(text, sections[source.id])
                row["text"] = text
                row["sha256"] = source.sha256 if text == source.text else None
                row["authors"] = json.dumps(source.authors or [], ensure_ascii=False)
                yield row

        return self.write("sources", rows())

    def footnote_works_and_works(self) -> int:
        """The citations of works in published notes, and the works they cite as those
        notes read them.

        A work row is shared with confidential notes, which may have created it or named
        another collection for it: its title, citation and collection here come from the
        published notes alone (the first to cite it; the first collection one names),
        never from the working row, and a collection only confidential notes name is
        not published.
        """
        from .note_citations import work_key

        # work id → how the published notes read it, in the order the notes were stored
        readings: dict[int, list[Any]] = defaultdict(list)
        published = (
            FootnoteWork.footnote_id.in_(
                select(Footnote.id).where(Footnote.source_id.not_in(self.hidden))
            )
            if self.hidden
            else true()
        )
        query = (
            select(
                FootnoteWork.id,
                FootnoteWork.footnote_id,
                FootnoteWork.work_id,
                FootnoteWork.position,
                FootnoteWork.locator,
                FootnoteWork.title,
                FootnoteWork.citation,
                FootnoteWork.collection,
            )
            .where(published)
            .order_by(FootnoteWork.id)
        )

        def citing() -> Iterator[dict[str, Any]]:
            for row in self.session.execute(query.execution_options(yield_per=BATCH)):
                readings[row.work_id].append((row.title, row.citation, row.collection))
                yield {
                    "id": row.id,
                    "footnote_id": row.footnote_id,
                    "work_id": row.work_id,
                    "position": row.position,
                    "locator": row.locator,
                }

        count = self.write("footnote_works", citing())
        keys = {r.key: r.id for r in self.session.execute(select(Work.id, Work.key)) if r.key}
        rows: dict[int, dict[str, Any]] = {}
        collections: dict[int, str] = {}
        for work_id, read in readings.items():
            title, citation, _ = read[0]
            named: str | None = next((r[2] for r in read if r[2]), None)
            collection_id = keys.get(work_key(named)) if named else None
            if collection_id == work_id:
                collection_id = None
            if collection_id is not None and named:
                collections.setdefault(collection_id, named)
            rows[work_id] = {
                "id": work_id,
                "title": title,
                "citation": citation,
                "collection_id": collection_id,
            }
        missing = [i for i, row in rows.items() if not row["title"]]
        for start in range(0, len(missing), 900):
            # readings stored before notes kept their own: the work's key-bearing title
            chunk = missing[start : start + 900]
            for work_id, title in self.session.execute(
                select(Work.id, Work.title).where(Work.id.in_(chunk))
            ):
                rows[work_id]["title"] = title
        for collection_id, name in collections.items():
            rows.setdefault(
                collection_id,
                {"id": collection_id, "title": name, "citation": None, "collection_id": None},
            )
        self.report.rows["works"] = self.write("works", (rows[i] for i in sorted(rows)))
        return count

    def properties(self) -> int:
        used = self.published_ids("select distinct property_id from {t}claims")
        p = Property
        query = select(
            p.id, p.name, p.datatype, p.multi, p.time_varying, p.unit, p.tolerance, p.description
        ).order_by(p.id)
        return self.write(
            "properties", (dict(r._mapping) for r in self.session.execute(query) if r.id in used)
        )

    def entities_and_aliases(self) -> int:
        """Entities a published row refers to, and their aliases; ``entities.aliases``
        is written in the copy once the aliases are."""
        entities = select(
            Entity.id, Entity.name, Entity.kind, Entity.description, null().label("aliases")
        ).order_by(Entity.id)
        aliases = select(Alias.id, Alias.entity_id, Alias.name, Alias.normalised).order_by(Alias.id)
        if self.attached:
            # the published rows are in the attached copy: SQLite picks the entities
            used_sql = text(USED_ENTITIES.format(t=f"{ATTACHED}.")).columns(column("id", Integer))
            count = self.copy("entities", entities.where(Entity.id.in_(used_sql)))
            published = text(f"select id from {ATTACHED}.entities").columns(column("id", Integer))
            self.report.rows["aliases"] = self.copy(
                "aliases", aliases.where(Alias.entity_id.in_(published))
            )
            return count
        used = self.published_ids(USED_ENTITIES)
        count = self.write(
            "entities",
            (
                dict(r._mapping)
                for r in self.session.execute(entities.execution_options(yield_per=BATCH))
                if r.id in used
            ),
        )
        self.report.rows["aliases"] = self.write(
            "aliases",
            (
                dict(r._mapping)
                for r in self.session.execute(aliases.execution_options(yield_per=BATCH))
                if r.entity_id in used
            ),
        )
        return count


def derive(connection: sqlite3.Connection, report: PublishReport, tick: Progress) -> None:
    """The columns and tables of the copy made from its own published rows (in one
    transaction on ``connection``, the copy): each claim's scope, each entity's other
    names, ``conflicts_with_answers`` (one row per answer) and ``claims_with_sources``
    (one row per published citation)."""
    tick("scope", 0, 0)
    for statement in SCOPE_SQL:
        connection.execute(statement)
    names: dict[int, list[str]] = defaultdict(list)
    for entity_id, name in connection.execute(
        "select a.entity_id, a.name from aliases a join entities e on e.id = a.entity_id"
        " where a.name != e.name order by a.id"
    ):
        names[entity_id].append(name)
    connection.executemany(
        "update entities set aliases = ? where id = ?",
        (("; ".join(others), entity_id) for entity_id, others in names.items()),
    )
    names.clear()
    tick("conflicts_with_answers", 0, 0)
    columns = list(PUBLIC_TABLES["conflicts_with_answers"].columns)
    report.rows["conflicts_with_answers"] = connection.execute(
        f"insert into conflicts_with_answers ({', '.join(columns)}) {CONFLICTS_WITH_ANSWERS}"
    ).rowcount
    tick("claims_with_sources", 0, 0)
    columns = list(PUBLIC_TABLES["claims_with_sources"].columns)
    report.rows["claims_with_sources"] = connection.execute(
        f"insert into claims_with_sources ({', '.join(columns)})"
        f" select ci.id, ci.claim_id, subject.name, subject.aliases, p.name, {DISPLAY_VALUE_SQL},"
        " c.scope, c.rank, s.slug, s.title, s.reliability, f.number, ci.quote, speaker.name,"
        " ci.stance, ci.confidence"
        " from citations ci join claims c on c.id = ci.claim_id"
        " join entities subject on subject.id = c.subject_id"
        " join properties p on p.id = c.property_id"
        " join sources s on s.id = ci.source_id"
        " left join footnotes f on f.id = ci.footnote_id"
        " left join entities speaker on speaker.id = ci.attributed_to_id"
        " order by ci.id"
    ).rowcount
