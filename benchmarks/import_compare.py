"""Whole processes, side by side: ``provenance import`` serial and with workers,
``sqlite-utils insert`` of the same CSV, and the ``INSERT … SELECT`` floor.

    .venv/bin/python benchmarks/import_bench.py --compare five:200000 synthetic:1000000

Run through ``import_bench.py --compare SHAPE:ROWS …``. Shapes:

* ``five`` — a plain five-column CSV (source, subject, property, value, confidence):
  20 text-less sources, one quantity property, a subject per 5 rows;
* ``synthetic`` — ``synthetic.py``'s data set (every datatype, qualifiers, speakers,
  transliteration variants), as in the rest of import_bench.py.

Each program runs as its own process, as a user runs it, on a fresh database (the
header's sources and properties imported beforehand, untimed). Measured per run:
wall time; CPU time of the whole process tree (user + system of the process and every
descendant it waited for, from ``wait4``: a worker's CPU counts); and peak RSS, sampled
every 50 ms as the sum over the process and its descendants (``/proc``), beside the
writing process's own peak. With ``--repeat N`` the programs take turns N times and
each figure is the run of median CPU time, so a change in the shared machine's load
weighs on each alike. The floor is SQLite's own cost of the rows the serial
import wrote (``import_bench.schema_floor``: ``INSERT … SELECT`` into a fresh database of
the schema, one transaction, no Python per row), measured in this process.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")
SECTION_BEGIN = "<!-- import-compare:begin (written by benchmarks/import_bench.py --compare) -->"
SECTION_END = "<!-- import-compare:end -->"

FIVE_HEADER = {
    "sources": [{"slug": f"wire-{i}", "title": f"Wire {i}", "reliability": "C"} for i in range(20)],
    "properties": [{"name": "killed", "type": "quantity", "unit": "people"}],
}
FIVE_COLUMNS = ("source", "subject", "property", "value", "confidence")


def five_column(out: Path, rows: int) -> tuple[Path, Path]:
    """header.yaml and claims.csv of the plain five-column shape."""
    import yaml

    out.mkdir(parents=True, exist_ok=True)
    header = out / "header.yaml"
    header.write_text(yaml.safe_dump(FIVE_HEADER), encoding="utf-8")
    claims = out / "claims.csv"
    confidences = ("high", "medium", "low")
    with open(claims, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIVE_COLUMNS)
        for i in range(rows):
            writer.writerow(
                (f"wire-{i % 20}", f"Town {i // 5}", "killed", (i * 7) % 400, confidences[i % 3])
            )
    return header, claims


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(p) for p in (task / "children").read_text().split()]
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return 0


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """User + system seconds of one process so far (``/proc/PID/stat``)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall, process-tree CPU and peak RSS (tree and own) of one command."""
    started = time.perf_counter()
    # a file, not a pipe: a pipe nobody reads until the end stops a chatty command
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed once read, below
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    peaks = {"tree": 0, "own": 0}
    # the last CPU time seen of each process: the writer's own beside its workers'
    cpu_seen: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(process.pid)
            sizes = [_rss(p) for p in pids]
            peaks["tree"] = max(peaks["tree"], sum(sizes))
            peaks["own"] = max(peaks["own"], sizes[0] if sizes else 0)
            for pid in pids:
                cpu_seen[pid] = max(cpu_seen.get(pid, 0.0), _cpu(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors.seek(0)
    stderr = errors.read().decode(errors="replace")[-4000:]
    errors.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        # sampled: the last 50 ms of each process are missed
        "cpu_own_s": cpu_seen.get(process.pid, 0.0),
        "cpu_others_s": sum(v for k, v in cpu_seen.items() if k != process.pid),
        "peak_rss_tree_bytes": peaks["tree"],
        "peak_rss_own_bytes": peaks["own"],
        # wait4's ru_maxrss: the largest single process of the tree
        "maxrss_bytes": usage.ru_maxrss * 1024,
    }


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _provenance(db: Path, *args: str) -> list[str]:
    return [str(BIN / "provenance"), "--db", str(db), *args]


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median CPU time (the lower middle one of an even count)."""
    return sorted(runs, key=lambda r: r["cpu_s"])[(len(runs) - 1) // 2]


def compare_one(
    shape: str, rows: int, out: Path, seed: int, workers: list[int], repeat: int = 1
) -> dict[str, Any]:
    import import_bench
    import synthetic

    work = out / f"compare-{shape}-{rows}"
    if shape == "five":
        header, claims = five_column(work, rows)
    else:
        data = synthetic.generate(work, rows, seed, progress=True)
        header, claims = data.header, data.claims
    entry: dict[str, Any] = {"shape": shape, "rows": rows, "csv_bytes": claims.stat().st_size}
    say = lambda text: print(f"{shape} {rows:,}: {text}", file=sys.stderr, flush=True)  # noqa: E731

    def keep() -> None:  # what is measured so far survives a run stopped half-way
        (out / f"compare-{shape}-{rows}.json").write_text(json.dumps(entry, indent=1))

    env = {"PROVENANCE_ACTOR": "benchmark"}
    peer_runs: list[dict[str, Any]] = []
    import_runs: dict[str, list[dict[str, Any]]] = {str(count): [] for count in workers}
    imported = work / "provenance-0.db"
    # the programs take turns, ``repeat`` times, so a change in the machine's load
    # weighs on each alike; each figure is the run of median CPU time
    for turn in range(1, repeat + 1):
        say(f"sqlite-utils insert … ({turn}/{repeat})")
        target = _fresh(work / "sqlite-utils.db")
        peer_runs.append(
            measure(
                [str(BIN / "sqlite-utils"), "insert", str(target), "claims", str(claims), "--csv"]
            )
        )
        _fresh(target)
        for count in workers:
            target = _fresh(work / f"provenance-{count}.db")
            subprocess.run(_provenance(target, "init"), check=True, capture_output=True, env=env)
            subprocess.run(
                _provenance(target, "import", str(header)),
                check=True,
                capture_output=True,
                env=env,
            )
            say(f"provenance import --workers {count} … ({turn}/{repeat})")
            import_runs[str(count)].append(
                measure(_provenance(target, "import", str(claims), "--workers", str(count)), env)
            )
            if count != 0:
                _fresh(target)
        entry["sqlite_utils"] = median_run(peer_runs)
        entry["imports"] = {k: median_run(v) for k, v in import_runs.items() if v}
        entry["repeat"] = turn
        keep()
    say("INSERT … SELECT floor …")
    entry["floor"] = median_run(
        [import_bench.schema_floor(imported, work / "floor.db") for _ in range(repeat)]
    )
    entry["counts"] = import_bench._counts(imported)
    _fresh(imported)
    return entry


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def _split(run: dict[str, Any]) -> str:
    if "cpu_own_s" not in run:  # measured before the split was sampled
        return "–"
    return f"{run['cpu_own_s']:.1f} / {run['cpu_others_s']:.1f}"


def table(entries: list[dict[str, Any]]) -> str:
    lines = [
        "| data | rows | program | wall s | CPU s (tree) | CPU s (writer / workers) |"
        " peak RSS MB (tree / writer) | CPU ÷ sqlite-utils | wall ÷ sqlite-utils | CPU ÷ floor |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in entries:
        peer = e["sqlite_utils"]
        floor = e["floor"]
        runs = [("`sqlite-utils insert … --csv`", peer)]
        runs += [(f"`provenance import --workers {k}`", v) for k, v in sorted(e["imports"].items())]
        for name, r in runs:
            lines.append(
                f"| {e['shape']} | {e['rows']:,} | {name} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} |"
                f" {_split(r)} |"
                f" {r['peak_rss_tree_bytes'] / 2**20:.0f} / {r['peak_rss_own_bytes'] / 2**20:.0f} |"
                f" {ratio(r['cpu_s'], peer['cpu_s'])} | {ratio(r['wall_s'], peer['wall_s'])} |"
                f" {ratio(r['cpu_s'], floor['cpu_s'])} |"
            )
        lines.append(
            f"| {e['shape']} | {e['rows']:,} | `INSERT … SELECT` floor | {floor['wall_s']:.1f} |"
            f" {floor['cpu_s']:.1f} | – | – | – | – | 1.00× |"
        )
    return "\n".join(lines)


def write_docs(path: Path, entries: list[dict[str, Any]], info: dict[str, Any], command: str):
    text = path.read_text(encoding="utf-8")
    body = "\n".join(
        [
            SECTION_BEGIN,
            "",
            f"Run {info['started']} on commit `{info['commit']}`; {info['cpus']} CPUs, load"
            f" average at the start {info['load_before']}, at the end {info['load_after']}.",
            "",
            "```",
            command,
            "```",
            "",
            table(entries),
            "",
            SECTION_END,
        ]
    )
    if SECTION_BEGIN in text:
        head, rest = text.split(SECTION_BEGIN, 1)
        text = head + body + rest.split(SECTION_END, 1)[1]
    else:
        raise SystemExit(f"{path} lacks the marker {SECTION_BEGIN!r}: add it where the table goes")
    path.write_text(text, encoding="utf-8")


def write_saved(paths: list[Path], docs: Path, command: str, info: dict[str, Any]) -> None:
    """The docs table from saved results (``compare.json`` lists, ``compare-*.json``)."""
    entries: list[dict[str, Any]] = []
    for path in paths:
        data = json.loads(path.read_text())
        entries += data if isinstance(data, list) else [data]
    write_docs(docs, entries, info, command)


def compare(
    specs: list[str],
    out: Path,
    seed: int,
    workers: list[int],
    docs: Path | None,
    repeat: int = 1,
) -> None:
    entries = []
    info = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "cpus": os.cpu_count(),
        "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    for spec in specs:
        shape, _, rows = spec.partition(":")
        if shape not in ("five", "synthetic") or not rows.isdigit():
            raise SystemExit(f"--compare {spec!r}: expected five:ROWS or synthetic:ROWS")
        entries.append(compare_one(shape, int(rows), out, seed, workers, repeat))
        (out / "compare.json").write_text(json.dumps(entries, indent=1))
    info["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(table(entries))
    if docs is not None:
        command = (
            "python benchmarks/import_bench.py --compare " + " ".join(specs)
        ) + f" --workers {' '.join(str(count) for count in workers)} --repeat {repeat}"
        write_docs(docs, entries, info, command)
        print(f"\nrecorded in {docs}")
