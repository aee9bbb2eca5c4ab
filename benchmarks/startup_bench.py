"""CPU time a command takes to answer, against an interpreter that does nothing.

Every command used to import SQLAlchemy, Alembic, the EDTF parser and the whole library
before doing anything: some 0.7 s of CPU for `provenance --help`. This measures the CPU
time (user + system, from the operating system's accounting of each child process) of:

* ``python -c pass``: the interpreter alone, the floor;
* ``python -c "import sqlalchemy.orm"``: the floor of any command that reads the database;
* ``provenance --help``, ``provenance add`` (one claim, again: the full write path, a
  transaction included) and ``provenance claims --limit 10``, on the seed corpus;

each run ``--runs`` times in turn (default 7), reporting the median and the fastest. The
figures go in docs/benchmarks.md ("Start-up").

    .venv/bin/python benchmarks/startup_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROVENANCE = str(BIN / "provenance")
ADD = [
    "add",
    "--source",
    "ctc-khazali-interrogations-2018",
    "--subject",
    "Qais al-Khazali",
    "--property",
    "seats",
    "--value",
    "15",
    "--quote",
    "garnered 15 of the 48 seats",
]


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU time of one run of ``command`` (its output discarded)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        assert process.stderr is not None
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        db = str(Path(folder) / "seeds.db")
        print("building the seed corpus …", file=sys.stderr)
        subprocess.run(
            [PROVENANCE, "--db", db, "build", "--seeds", str(ROOT / "seeds")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        shutil.copy(db, Path(folder) / "copy.db")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import sqlalchemy.orm"': [sys.executable, "-c", "import sqlalchemy.orm"],
            "provenance --help": [PROVENANCE, "--help"],
            "provenance add …": [PROVENANCE, "--db", db, *ADD],
            "provenance claims --limit 10": [PROVENANCE, "--db", db, "claims", "--limit", "10"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # in turn, so a busy moment weighs on every command alike
            for name, command in commands.items():
                times[name].append(cpu_seconds(command))
    floor = statistics.median(times["python -c pass"])
    print(f"CPU seconds over {args.runs} runs each (median, fastest; median minus `pass`)\n")
    print("| command | median | fastest | over `python -c pass` |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median:.3f} | {min(values):.3f} | {median - floor:+.3f} |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
