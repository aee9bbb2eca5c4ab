"""The manifest of source documents (provenance.manifest): every problem in it is one line
naming the entry and key, exit 2, and nothing written."""

from __future__ import annotations

import pytest
from conftest import CTC, SEEDS, file_bytes


def _bad_manifest(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MANIFEST_BAD_INPUT = [
    (
        "unreadable manifest",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, "sources: [\n  - file: x\n"),
        ],
        "not valid YAML",
    ),
    (
        "manifest not a list",
        lambda t: ["ingest", SEEDS / CTC, "--manifest", _bad_manifest(t, "sources: 3\n")],
        "'sources:' list",
    ),
    (
        "unknown manifest key",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    colour: red\n"),
        ],
        "'colour'",
    ),
    (
        "bad reliability",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    reliability: Z\n"),
        ],
        "'Z'",
    ),
    (
        "bad published date",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    published: last spring\n"),
        ],
        "'last spring'",
    ),
    (
        "bad kind",
        lambda t: [
            "ingest",
            SEEDS / CTC,
            "--manifest",
            _bad_manifest(t, f"sources:\n  - file: {CTC}\n    kind: rumour\n"),
        ],
        "'rumour'",
    ),
    (
        "missing manifest",
        lambda t: ["ingest", SEEDS / CTC, "--manifest", t / "none.yaml"],
        "none.yaml",
    ),
]


@pytest.mark.parametrize(
    "case,make_args,named", MANIFEST_BAD_INPUT, ids=[c[0] for c in MANIFEST_BAD_INPUT]
)
def test_a_bad_manifest_is_one_line_exit_2_and_writes_nothing(
    run, built_db, tmp_path, case, make_args, named
):
    before = file_bytes(built_db)
    result = run(*make_args(tmp_path), code=2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert named in lines[0], lines[0]
    assert file_bytes(built_db) == before
