"""What an ungraded source shrinks toward (``trust.UNGRADED_PRIOR``) and how much a disputed
item teaches by how contested it is (``trust.HARDNESS``).

Hand-made cases imported through the CLI: ten regular contributors who agree with an
almanac and a wire on the cities they edit, each of them disputed by a vandal; a newcomer
who edits two disputed cities, right on one and alone on the other.
"""

from __future__ import annotations

import pytest
from conftest import import_figures, learned_trust

from provenance import trust

EDITORS = 10


def _import(run, tmp_path) -> None:
    rows: list[tuple[str, str, int]] = []
    for n in range(EDITORS):
        for k in range(2):
            city = f"City {n}-{k}"
            rows += [("almanac", city, 1000 + n), ("wire", city, 1000 + n)]
            rows += [(f"editor-{n}", city, 1000 + n), (f"vandal-{n}-{k}", city, 9)]
    rows += [("almanac", "Vela", 500), ("wire", "Vela", 500), ("newcomer", "Vela", 500)]
    rows += [("vandal-vela", "Vela", 9)]
    rows += [("almanac", "Lyra", 700), ("wire", "Lyra", 700), ("newcomer", "Lyra", 777)]
    contributors = sorted({source for source, _, _ in rows} - {"almanac", "wire"})
    header = [
        "sources:",
        "  - {slug: almanac, title: Almanac, kind: website, reliability: A}",
        "  - {slug: wire, title: Wire, kind: website, reliability: B}",
    ]
    header += [
        f"  - {{slug: {c}, title: {c}, kind: website, reliability: F}}" for c in contributors
    ]
    header += ["properties:", "  - {name: population, type: quantity}", "entities:"]
    import_figures(run, tmp_path, "\n".join(header), rows)


@pytest.fixture
def long_tail(run, tmp_path):
    _import(run, tmp_path)


def _trust(db_path, monkeypatch, **settings: object) -> dict[str, float]:
    for name, value in settings.items():
        monkeypatch.setattr(trust, name, value)
    return learned_trust(db_path)


def test_an_ungraded_source_shrinks_toward_its_peers_of_its_size(long_tail, db_path, monkeypatch):
    grade = _trust(db_path, monkeypatch, UNGRADED_PRIOR="grade")
    peers = _trust(db_path, monkeypatch, UNGRADED_PRIOR="by-size")
    # toward a coin, one right answer and one wrong leave the newcomer near 0.5
    assert grade["newcomer"] < 0.55
    # its peers (two disputed answers each) are right: it is taken for one of them
    assert peers["newcomer"] > grade["newcomer"] + 0.1
    # a vandal's peers (one disputed answer each) are vandals
    assert peers["vandal-0-0"] < grade["vandal-0-0"] - 0.1


def test_a_contested_item_teaches_more_than_a_settled_one(long_tail, db_path, monkeypatch):
    plain = _trust(db_path, monkeypatch, HARDNESS="off")
    contested = _trust(db_path, monkeypatch, HARDNESS="contest")
    # the editors' agreements are all on items a vandal disputes alone: they teach little,
    # so the editors stay nearer their prior
    assert contested["editor-0"] < plain["editor-0"] - 0.1


def test_unknown_rules_are_refused(long_tail, db_path, monkeypatch):
    with pytest.raises(ValueError, match="HARDNESS 'easy'"):
        _trust(db_path, monkeypatch, HARDNESS="easy")


def _import_kinds(run, tmp_path) -> None:
    """Ten cities an almanac and a wire agree on, each with a reader (a person) who agrees
    and an anonymous comment that does not; then Orion, disputed by one reader and one
    comment alone."""
    rows: list[tuple[str, str, int]] = []
    for n in range(EDITORS):
        city = f"City {n}"
        rows += [("almanac", city, 1000 + n), ("wire", city, 1000 + n)]
        rows += [(f"reader-{n}", city, 1000 + n), (f"anon-{n}", city, 9)]
    rows += [("reader-x", "Orion", 300), ("anon-x", "Orion", 301)]
    header = [
        "sources:",
        "  - {slug: almanac, title: Almanac, kind: website, reliability: A}",
        "  - {slug: wire, title: Wire, kind: website, reliability: B}",
    ]
    for source in sorted({source for source, _, _ in rows} - {"almanac", "wire"}):
        kind = "comment" if source.startswith("anon") else "person"
        header.append(f"  - {{slug: {source}, title: {source}, kind: {kind}, reliability: F}}")
    header += ["properties:", "  - {name: population, type: quantity}", "entities:"]
    import_figures(run, tmp_path, "\n".join(header), rows)


def test_peers_of_the_same_kind_judge_an_ungraded_source(run, tmp_path, db_path, monkeypatch):
    _import_kinds(run, tmp_path)
    by_size = _trust(db_path, monkeypatch, UNGRADED_PRIOR="by-size", PEER_CLASS="size")
    by_kind = _trust(db_path, monkeypatch, UNGRADED_PRIOR="by-size", PEER_CLASS="size-kind")
    # by size alone, the reader and the comment on Orion are peers: one answer each
    assert abs(by_size["reader-x"] - by_size["anon-x"]) < 0.05
    # by kind, the reader is taken for one of the readers, who are right, the comment
    # for one of the comments, who are not
    assert by_kind["reader-x"] > by_size["reader-x"] + 0.05
    assert by_kind["anon-x"] < by_size["anon-x"] - 0.05
    assert by_kind["reader-x"] > by_kind["anon-x"] + 0.15


def test_unknown_peer_classes_are_refused(long_tail, db_path, monkeypatch):
    with pytest.raises(ValueError, match="PEER_CLASS 'grade'"):
        _trust(db_path, monkeypatch, PEER_CLASS="grade")
