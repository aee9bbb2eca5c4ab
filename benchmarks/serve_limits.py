"""What one anonymous SQL query makes `provenance serve` allocate.

Starts a real `provenance serve` on a free port of 127.0.0.1 over the test site
(tests/test_publish.py's `build_site_data`: public and confidential material), sends
each of tests/test_serve.py's GREEDY_QUERIES once, and prints the growth of the
server's peak resident memory (VmHWM, Linux only), the time and the status of each.
Recorded in docs/publishing.md ("Limits on one query").

    .venv/bin/python benchmarks/serve_limits.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_serve
from test_publish import build_site_data


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="serve-limits-"))
    db = build_site_data(folder)
    with test_serve.serving(folder, db) as site:
        base, pid = site["base"], site["process"].pid
        test_serve._get(base + "/public/claims_with_sources")
        print(f"baseline peak: {test_serve._peak_kb(pid) / 1024:.0f} MB")
        for sql in test_serve.GREEDY_QUERIES:
            before = test_serve._peak_kb(pid)
            start = time.monotonic()
            try:
                status = str(test_serve._get(base + test_serve._sql(sql))[0])
            except TimeoutError:
                status = "none within 30 s"
            grown = (test_serve._peak_kb(pid) - before) / 1024
            print(f"{grown:+8.1f} MB {time.monotonic() - start:6.2f} s  HTTP {status}  {sql}")


if __name__ == "__main__":
    main()
