"""Files written whole or not at all (files.py): what `export -o`, `backup` and
`publish` rely on when a command fails half-way."""

from __future__ import annotations

import pytest

from provenance import files


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "claims.jsonl"
    target.write_text("the good export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), files.AtomicOutput(target) as stream:
        stream.write("half of a new ")
        raise RuntimeError("killed half-way")
    assert target.read_text(encoding="utf-8") == "the good export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl"]


def test_a_finished_write_replaces_the_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / "claims.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with files.AtomicOutput(target) as stream:
        stream.write("new\n")
        assert target.read_text(encoding="utf-8") == "old\n"  # in place only when complete
    assert target.read_text(encoding="utf-8") == "new\n"
    files.write_text(tmp_path / "state.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl", "state.json"]
