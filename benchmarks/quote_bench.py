"""Finding quotes in a long source: ``provenance.quotes`` beside ``str.find`` of the same
words, in the same run.

    python benchmarks/quote_bench.py [CHARACTERS] [QUOTES]

The source is the seed documents' paragraphs, each numbered ("¶ 1234. ..."), repeated
until it holds CHARACTERS characters (default 1,000,000), with its reader comments
masked as an article's are (one section every 200 paragraphs). The quotes are the
numbered openings of QUOTES paragraphs (default 200) spread evenly over the text, so
the search runs on average through half of it; each is timed as typed (straight quote
marks, single spaces) and, for the baseline, ``str.find`` of the words exactly as the
text has them. Also timed: a quote in two parts joined by "…", and a quote that is not
there (the closest passage, rapidfuzz). Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from provenance import quotes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build_text(characters: int) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """The text, the (start, end) of every paragraph's numbered opening, and comment spans."""
    paragraphs = [
        " ".join(p.split())
        for path in sorted(SEEDS.glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.split()) >= 12
    ]
    parts: list[str] = []
    openings: list[tuple[int, int]] = []
    sections: list[tuple[int, int]] = []
    size, n = 0, 0
    while size < characters:
        paragraph = f"¶ {n}. {paragraphs[n % len(paragraphs)]}"
        if n % 200 == 199:
            sections.append((size, size + len(paragraph)))
        else:
            opening = " ".join(paragraph.split()[:9])
            openings.append((size, size + len(opening)))
        parts.append(paragraph + "\n\n")
        size += len(paragraph) + 2
        n += 1
    return "".join(parts), openings, sections


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def main(characters: int, count: int) -> None:
    text, openings, sections = build_text(characters)
    source = SimpleNamespace(
        text=text, sections=[SimpleNamespace(span_start=s, span_end=e) for s, e in sections]
    )
    step = max(1, len(openings) // count)
    chosen = openings[::step][:count]
    print(f"source: {len(text):,} characters, {len(sections)} comment sections masked")
    print(f"quotes: {len(chosen)}, spread evenly over the text")

    ours, baseline = [], []
    for start, end in chosen:
        exact = text[start:end]
        typed = exact.translate(str.maketrans({"’": "'", "“": '"', "”": '"'}))
        began = time.perf_counter()
        found = quotes.find_all(source, typed)
        ours.append(time.perf_counter() - began)
        assert [a.start for a in found] == [start], (typed, found)
        began = time.perf_counter()
        assert text.find(exact) == start
        baseline.append(time.perf_counter() - began)
    for label, times in (("provenance.quotes.find_all", ours), ("str.find (baseline)", baseline)):
        print(
            f"  {label:28} median {_ms(statistics.median(times))}, max {_ms(max(times))},"
            f" total {_ms(sum(times))}"
        )

    start, end = chosen[len(chosen) // 2]
    words = text[start : end + 80].split()
    parted = " ".join(words[:5]) + " … " + " ".join(words[8:12])
    began = time.perf_counter()
    (anchor,) = quotes.find_all(source, parted)
    print(f"  a quote in two parts          {_ms(time.perf_counter() - began)}")
    assert anchor.parts

    missing = text[start:end].replace(words[3], words[3] + "x")
    began = time.perf_counter()
    closest = quotes.closest_passage(text, missing, sections)
    print(f"  not found: closest passage    {_ms(time.perf_counter() - began)}")
    assert closest is not None and closest[1], closest


if __name__ == "__main__":
    args = [int(a.replace(",", "").replace("_", "")) for a in sys.argv[1:]]
    main(*(args + [1_000_000, 200][len(args) :]))
