"""Learned source trust on many days of the Flight data set: one line a day, and the summary.

    .venv/bin/python benchmarks/truth/flight_days.py DIR [--keep DIR] [--seeds 3]
        [--min-flights 500] [--set NAME=VALUE ...]

``DIR`` holds days of the data set as its authors publish them, each ``DATE-data.txt``
beside its ``DATE-truth.txt`` (only 2011-12-01 is stored here; docs/benchmarks.md,
"Eleventh pass", says where the others are published). Each day is run by ``flight.py
--day`` in a process of its own, exactly as one would run it by hand (``--halves day``,
the import kept in ``--keep DIR/DATE`` when given), and its report is read back: the
vote, the vote with the model's copy groups counted once, learned trust and pooled
investment on all the day's gold items, and with ``--seeds N`` the means over N draws of
the desk's verdicts on 10 % (scored on the other 90 %). A day with fewer than
``--min-flights`` flights (2011-12-15 has 149: a partial crawl) is left out and named.
The table (Markdown) goes to stdout, each day's progress to stderr.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLIGHT = HERE / "flight.py"


@dataclass(frozen=True)
class DayScores:
    """One day's figures, read from ``flight.py``'s report."""

    items: int
    vote: float
    trust: float
    pooled: float
    with_verdicts: float | None  # the mean over the draws, None without ``--seeds``
    # the vote with the model's copy groups counted once (None: a report without it)
    vote_once: float | None = None


def days_in(folder: Path, min_flights: int) -> tuple[list[Path], list[str]]:
    """The data files of ``folder`` with their truth beside them, in date order; and the
    days left out, each with why."""
    kept: list[Path] = []
    left: list[str] = []
    for data in sorted(folder.glob("*-data.txt")):
        day = data.name[: -len("-data.txt")]
        if not (folder / f"{day}-truth.txt").is_file():
            left.append(f"{day} (no {day}-truth.txt)")
            continue
        with open(data, encoding="latin-1") as handle:
            flights = {line.split("\t")[1] for line in handle if line.count("\t") >= 1}
        if len(flights) < min_flights:
            left.append(f"{day} ({len(flights)} flights)")
            continue
        kept.append(data)
    return kept, left


def read_report(report: str) -> DayScores:
    """The figures of a ``flight.py --halves day`` report."""

    def first(pattern: str) -> str:
        match = re.search(pattern, report, re.MULTILINE)
        if match is None:
            raise ValueError(f"no line matching {pattern!r} in the report")
        return match.group(1)

    once = re.search(r"^\| majority vote, copy groups once \| ([\d.]+)", report, re.M)
    mean = re.search(
        r"^\| mean \| \| \*\*[\d.]+\*\* \| \*\*[\d.]+\*\* \| \*\*([\d.]+)\*\*", report, re.M
    )
    return DayScores(
        items=int(first(r"whole day \((\d+) items\)")),
        vote=float(first(r"^\| majority vote \| ([\d.]+)")),
        trust=float(first(r"^\| learned trust \| \*\*([\d.]+)\*\*")),
        pooled=float(first(r"^\| pooled investment \(paper: B⁰ uniform, 20 rounds\) \| ([\d.]+)")),
        with_verdicts=float(mean.group(1)) if mean else None,
        vote_once=float(once.group(1)) if once else None,
    )


def table(scores: dict[str, DayScores]) -> list[str]:
    """The Markdown table of the days, a mean row, and the summary lines."""
    values = list(scores.values())
    verdicts = all(s.with_verdicts is not None for s in values)
    once = all(s.vote_once is not None for s in values)
    head = "| day | gold items | majority vote |"
    head += " vote, copy groups once |" if once else ""
    head += " learned trust | pooled investment (paper) |"
    head += " 90 %: with verdicts on 10 % |" if verdicts else ""
    lines = [head, "|---|" + "---:|" * (head.count("|") - 2)]
    mean = statistics.mean
    for day, s in scores.items():
        trust = f"**{s.trust:.3f}**" if s.trust < s.vote else f"{s.trust:.3f}"
        row = f"| {day} | {s.items} | {s.vote:.3f} |"
        row += f" {s.vote_once:.3f} |" if once else ""
        row += f" {trust} | {s.pooled:.3f} |"
        lines.append(row + (f" {s.with_verdicts:.3f} |" if verdicts else ""))
    trusts = [s.trust for s in values]
    row = f"| mean of {len(values)} days | | {mean(s.vote for s in values):.3f} |"
    row += f" {mean(s.vote_once or 0.0 for s in values):.3f} |" if once else ""
    row += f" {mean(trusts):.3f} | {mean(s.pooled for s in values):.3f} |"
    lines.append(
        row + (f" {mean(s.with_verdicts or 0.0 for s in values):.3f} |" if verdicts else "")
    )
    lines.append("")
    lines.append(
        f"- learned trust: median {statistics.median(trusts):.3f}, least {min(trusts):.3f}; "
        f"at .90 or more on {sum(t >= 0.9 for t in trusts)} of {len(values)} days; below the "
        f"vote (bold) on {sum(s.trust < s.vote for s in values)}"
    )
    if once:
        below = [day for day, s in scores.items() if (s.vote_once or 0.0) < s.vote]
        lines.append(
            f"- the vote with copy groups once is below the vote on {len(below)} of "
            f"{len(values)} days" + (f" ({', '.join(below)})" if below else "")
        )
    if verdicts:
        taught = [s.with_verdicts or 0.0 for s in values]
        lines.append(
            f"- with verdicts on 10 %: least {min(taught):.3f}; at .94 or more on "
            f"{sum(t >= 0.94 for t in taught)} of {len(values)} days"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the days: DATE-data.txt beside DATE-truth.txt")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep each day's import in DIR/DATE"
    )
    parser.add_argument("--seeds", type=int, default=3, help="draws of the 10 %% of verdicts")
    parser.add_argument("--min-flights", type=int, default=500, help="leave out smaller days")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{str(args.folder)!r}: a folder of DATE-data.txt and DATE-truth.txt files")
    days, left = days_in(args.folder, args.min_flights)
    if not days:
        parser.error(f"{str(args.folder)!r} holds no DATE-data.txt beside its DATE-truth.txt")
    scores: dict[str, DayScores] = {}
    for data in days:
        day = data.name[: -len("-data.txt")]
        command = [sys.executable, str(FLIGHT), "--day", str(data), "--halves", "day"]
        command += ["--seeds", str(args.seeds)]
        if args.keep:
            command += ["--keep", str(args.keep / day)]
        for setting in args.set:
            command += ["--set", setting]
        print(f"{day} …", file=sys.stderr, flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"flight.py failed on {day} (exit {done.returncode})")
        scores[day] = read_report(done.stdout)
    lines = ["## Learned trust on days of Flight (aa, ua, CO not imported; every site F)", ""]
    if args.set:
        lines += ["constants: " + ", ".join(args.set), ""]
    lines += table(scores)
    if left:
        lines.append("- left out: " + "; ".join(left))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
