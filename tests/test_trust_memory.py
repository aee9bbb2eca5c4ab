"""The model's memory on SQLite: its page cache is held at ``trust.CACHE_KIB`` while it runs.

SQLite sizes a connection's in-memory sorts by its page cache, so with the product's
64 MB cache (for imports) the model's peak memory grew with the data; the figures at
10k, 100k and 1M citations are in docs/benchmarks.md.
"""

from __future__ import annotations

import pytest

from provenance import db as dbmod
from provenance import trust
from provenance.db import make_engine, reading_session
from provenance.trust import rounds

pytestmark = pytest.mark.sqlite_only

HEADER = """\
sources:
  - {slug: paper-a, title: Paper A, kind: website, reliability: B}
  - {slug: paper-b, title: Paper B, kind: website, reliability: C}
properties:
  - {name: casualties, type: quantity}
entities:
  - {name: Battle of X, kind: event}
"""
CLAIMS = """\
source,subject,property,value
paper-a,Battle of X,casualties,15
paper-b,Battle of X,casualties,17
"""


def test_the_model_runs_in_a_bounded_cache_and_gives_the_connection_its_own_back(
    run, tmp_path, db_path, monkeypatch
):
    (tmp_path / "header.yaml").write_text(HEADER, encoding="utf-8")
    (tmp_path / "claims.csv").write_text(CLAIMS, encoding="utf-8")
    run("init")
    run("import", tmp_path / "header.yaml")
    run("import", tmp_path / "claims.csv")
    seen: list[tuple[int, int]] = []
    learn = rounds.learn

    def watched(sql, *args, **kwargs):
        seen.append(
            tuple(
                sql.connection.exec_driver_sql(f"PRAGMA {schema}.cache_size").scalar()
                for schema in ("main", "temp")
            )
        )
        return learn(sql, *args, **kwargs)

    monkeypatch.setattr(rounds, "learn", watched)
    engine = make_engine(str(db_path))
    with reading_session(engine) as session:
        result = trust.compute_trust(session, public_only=False)
        connection = session.connection()
        after = connection.exec_driver_sql("PRAGMA main.cache_size").scalar()
        leaders = trust.leading_answers(trust.answer_probabilities(session))
    engine.dispose()
    assert seen == [(-trust.CACHE_KIB, -trust.CACHE_KIB)]
    assert after == -dbmod.CACHE_KIB
    # the model's answer is the same: the graded B paper leads
    assert result.items == 1 and len(leaders) == 1
    (answer,) = leaders.values()
    assert answer.probability > 0.5 and not answer.tie
