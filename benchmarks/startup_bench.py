"""CPU time a command takes to answer, against an interpreter that does nothing.

Every command used to import SQLAlchemy, Alembic, the EDTF parser and the whole library
before doing anything: some 0.7 s of CPU for `provenance --help`. This measures the CPU
time (user + system, from the operating system's accounting of each child process) of:

* ``python -c pass``: the interpreter alone, the floor;
* ``python -c "import sqlalchemy"`` and ``python -c "import sqlalchemy.orm"``: the floor
  of any command that reads the database;
* ``provenance --help``, ``provenance add`` (one claim, again: the full write path, a
  transaction included) and ``provenance claims --limit 10``, on the seed corpus;

each run ``--runs`` times in turn (default 7), reporting the median and the fastest. With
``--before REV`` the three commands also run from the package as it was at the git
revision REV (its ``src/`` put first on ``sys.path``), in the same turns, so a change is
measured against the code before it under the same load. The package is byte-compiled
first, as ``pip install`` does: where ``PYTHONDONTWRITEBYTECODE`` is set, every run would
otherwise compile the project's modules anew. The figures go in docs/benchmarks.md
("Start-up").

    .venv/bin/python benchmarks/startup_bench.py [--runs 7] [--before REV]
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
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


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """User + system CPU time of one run of ``command`` (its output discarded)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        assert process.stderr is not None
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()}")
    return usage.ru_utime + usage.ru_stime


def source_at(revision: str, folder: Path) -> Path:
    """The package's ``src/`` as it was at ``revision``, unpacked into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", metavar="REV", help="Also run the commands as of REV.")
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
        trees = {"": None}
        if args.before:
            trees[f" (at {args.before})"] = source_at(args.before, Path(folder) / "before")
        for tree in [ROOT / "src", *(t for t in trees.values() if t is not None)]:
            compileall.compile_dir(tree, quiet=1)
        commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], None),
            'python -c "import sqlalchemy"': ([sys.executable, "-c", "import sqlalchemy"], None),
            'python -c "import sqlalchemy.orm"': (
                [sys.executable, "-c", "import sqlalchemy.orm"],
                None,
            ),
        }
        for label, tree in trees.items():
            env = None if tree is None else {**os.environ, "PYTHONPATH": str(tree)}
            provenance = [sys.executable, "-c", "from provenance.cli import cli; cli()"]
            commands[f"provenance --help{label}"] = ([*provenance, "--help"], env)
            commands[f"provenance add …{label}"] = ([*provenance, "--db", db, *ADD], env)
            commands[f"provenance claims --limit 10{label}"] = (
                [*provenance, "--db", db, "claims", "--limit", "10"],
                env,
            )
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # in turn, so a busy moment weighs on every command alike
            for name, (command, env) in commands.items():
                times[name].append(cpu_seconds(command, env))
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
