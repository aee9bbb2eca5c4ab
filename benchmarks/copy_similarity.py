"""Measure the copy threshold: how alike different documents are, and how alike a
document is to its re-publications (another headline, a syndication footer, a cut end).

    python benchmarks/copy_similarity.py FOLDER [FOLDER ...]

Every ``*.txt`` of the folders is one document. The similarity is the one ingest uses
(``provenance.copies.text_similarity``); ``COPY_THRESHOLD`` must sit above every pair of
different documents and below every re-publication. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from provenance.copies import COPY_THRESHOLD, text_similarity, words

FOOTER = (
    "\n\nThis article was originally published by our partner agency and is republished "
    "under licence. Follow us on Twitter and Facebook for the latest news from the region. "
    "Copyright 2024. All rights reserved. Subscribe to our newsletter for daily updates.\n"
)
HEADLINE = "Militia news: officials react as tensions rise across Iraq\n"


def _headline(text: str) -> str:
    return HEADLINE + (text.split("\n", 1)[1] if "\n" in text else "")


def _cut(text: str, keep: float) -> str:
    parts = text.split(" ")
    return " ".join(parts[: int(len(parts) * keep)])


VARIANTS: dict[str, Callable[[str], str]] = {
    "another headline": _headline,
    "a syndication footer": lambda t: t + FOOTER,
    "headline and footer": lambda t: _headline(t) + FOOTER,
    "headline and footer, reflowed": lambda t: " ".join((_headline(t) + FOOTER).split()),
    "last 10 % cut": lambda t: _cut(t, 0.9),
    "last 20 % cut": lambda t: _cut(t, 0.8),
    "headline, footer, last 10 % cut": lambda t: _cut(_headline(t), 0.9) + FOOTER,
}


def main(folders: list[str]) -> None:
    documents = {
        path.name: path.read_text(encoding="utf-8")
        for folder in folders
        for path in sorted(Path(folder).glob("*.txt"))
    }
    sizes = sorted(len(words(t)) for t in documents.values())
    print(f"{len(documents)} documents, {sizes[0]:,} to {sizes[-1]:,} words")
    started = time.perf_counter()
    pairs = sorted(
        ((text_similarity(documents[a], documents[b]), a, b)
         for a, b in itertools.combinations(documents, 2)),
        reverse=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    print(
        f"different documents, {len(pairs)} pairs: max {pairs[0][0]:.3f} "
        f"({pairs[0][1]} / {pairs[0][2]}), median {statistics.median(p[0] for p in pairs):.3f}; "
        f"{elapsed / len(pairs) * 1000:.1f} ms a pair"
    )
    print("re-publications of each document: min / median / max")
    for name, change in VARIANTS.items():
        scores = [text_similarity(t, change(t)) for t in documents.values()]
        print(
            f"  {name:34s} {min(scores):.3f} / {statistics.median(scores):.3f} / {max(scores):.3f}"
        )
    print(f"COPY_THRESHOLD = {COPY_THRESHOLD}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["seeds"])
