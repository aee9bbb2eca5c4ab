"""Rows shared by public and confidential sources: cited works and their collections (SPEC §6).

A cited work is one row for every note that cites it. A confidential memo citing
"Tactical Interrogation Report 16", the work the public CTC article (seed) cites in its
note 12, must not describe that row — not when it is ingested first (the row would carry
the informant's words), nor after (it would re-parent the work into its own collection).
Runs on SQLite and, with PROVENANCE_TEST_BACKEND=postgresql, on PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import yaml
from conftest import CTC, SEEDS
from sqlalchemy import create_engine, text

from provenance.db import to_url

SECRET = "INFORMANT-c4n4ry"
CTC_SLUG = "ctc-khazali-interrogations-2018"
WORK_KEY = "tactical interrogation report 16"
CTC_CITATION = (
    "Tactical Interrogation Report 16, March 29, 2007, available via American Enterprise "
    "Institute’s “The Qays al-Khazali Papers” Collection"
)
NOTE = (
    f"Tactical Interrogation Report 16, March 29, 2007, handed over by Abu {SECRET}, "
    f"available via {SECRET}’s “The {SECRET} Papers” Collection"
)
MEMO = f"Handler's memo\n\nThe reports were passed on in Basra.1\n\nNotes\n[1] {NOTE}.\n"


@pytest.fixture
def documents(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / CTC, folder / CTC)
    (folder / "memo.txt").write_text(MEMO, encoding="utf-8")
    manifest = yaml.safe_load((SEEDS / "sources.yaml").read_text(encoding="utf-8"))
    ctc = next(s for s in manifest["sources"] if s["file"] == CTC)
    memo = {
        "file": "memo.txt",
        "slug": "handler-memo",
        "title": "Handler's memo",
        "kind": "report",
        "reliability": "A",
        "confidential": True,
    }
    (folder / "sources.yaml").write_text(
        yaml.safe_dump({"sources": [ctc, memo]}, allow_unicode=True), encoding="utf-8"
    )
    return folder


def _ingest(run, folder, confidential_first: bool) -> None:
    order = ["memo.txt", CTC] if confidential_first else [CTC, "memo.txt"]
    run("init")
    for name in order:
        run("ingest", folder / name, "--manifest", folder / "sources.yaml")


def _work(db) -> tuple[str, str | None]:
    engine = create_engine(to_url(str(db)))
    try:
        with engine.connect() as connection:
            return tuple(
                connection.execute(
                    text(
                        "SELECT w.citation, c.title FROM works w"
                        " LEFT JOIN works c ON c.id = w.collection_id WHERE w.key = :key"
                    ),
                    {"key": WORK_KEY},
                ).one()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("confidential_first", [True, False], ids=["memo-first", "ctc-first"])
def test_a_confidential_note_never_describes_a_work_a_public_article_cites(
    run, db_path, documents, tmp_path, confidential_first
):
    _ingest(run, documents, confidential_first)
    assert _work(db_path) == (CTC_CITATION, "The Qays al-Khazali Papers")
    listed = json.loads(run("footnotes", CTC_SLUG, "--json").output)
    note = next(n for n in listed if n["number"] == 12)
    assert note["works"] == [
        {
            "key": WORK_KEY,
            "title": "Tactical Interrogation Report 16",
            "collection": "The Qays al-Khazali Papers",
            "locator": None,
        }
    ]
    assert SECRET not in run("footnotes", CTC_SLUG).output
    # the memo's own notes still say what the memo says, for the desk
    memo = json.loads(run("footnotes", "handler-memo", "--json").output)
    assert memo[0]["works"][0]["collection"] == f"The {SECRET} Papers"
    assert run("check").output.startswith("ok:")
    out = tmp_path / "public.db"
    run("publish", out)
    assert SECRET.encode() not in out.read_bytes()
    public = sqlite3.connect(out)
    assert public.execute(
        "SELECT w.citation, c.title FROM works w LEFT JOIN works c ON c.id = w.collection_id"
        " WHERE w.title = 'Tactical Interrogation Report 16'"
    ).fetchall() == [(CTC_CITATION, "The Qays al-Khazali Papers")]
    public.close()


def test_a_memo_alone_describes_its_work_until_a_public_note_cites_it(run, db_path, documents):
    run("init")
    run("ingest", documents / "memo.txt", "--manifest", documents / "sources.yaml")
    citation, collection = _work(db_path)
    assert SECRET in citation and collection == f"The {SECRET} Papers"
    run("ingest", documents / CTC, "--manifest", documents / "sources.yaml")
    assert _work(db_path) == (CTC_CITATION, "The Qays al-Khazali Papers")


def test_check_names_a_public_work_described_by_a_confidential_note(run, db_path, documents):
    """A database written before migration 0003 may hold the memo's reading in the shared row."""
    _ingest(run, documents, confidential_first=True)
    engine = create_engine(to_url(str(db_path)))
    with engine.begin() as connection:
        # what ingesting the memo first wrote, and the migration copied into every note's reading
        memo_reading = {"citation": NOTE, "key": WORK_KEY}
        connection.execute(
            text("UPDATE works SET citation = :citation WHERE key = :key"), memo_reading
        )
        connection.execute(
            text(
                "UPDATE footnote_works SET citation = :citation"
                " WHERE work_id = (SELECT id FROM works WHERE key = :key)"
            ),
            memo_reading,
        )
    engine.dispose()
    result = run("check", code=1)
    problem = next(line for line in result.output.splitlines() if line.startswith("PROBLEM"))
    assert "'Tactical Interrogation Report 16'" in problem, problem
    assert f"public footnote 12 of {CTC_SLUG!r}" in problem, problem
    assert "rests on confidential evidence" in problem, problem
    # re-ingesting the public article re-reads its notes and repairs the shared row
    run("ingest", documents / CTC, "--manifest", documents / "sources.yaml")
    assert _work(db_path)[0] == CTC_CITATION
    assert run("check").output.startswith("ok:")


def test_a_document_marked_confidential_later_stops_describing_the_work(run, db_path, documents):
    manifest = documents / "sources.yaml"
    entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    memo = next(s for s in entries["sources"] if s["file"] == "memo.txt")
    memo["confidential"] = False
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    _ingest(run, documents, confidential_first=True)
    # both public: the first note stored describes the work
    assert _work(db_path) == (NOTE, f"The {SECRET} Papers")
    memo["confidential"] = True
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    run("ingest", documents / "memo.txt", "--manifest", manifest)
    assert _work(db_path) == (CTC_CITATION, "The Qays al-Khazali Papers")
    assert run("check").output.startswith("ok:")
