"""The architecture, checked so that it cannot rot unseen (issue #21).

The package is read by docs/architecture.py (the code read as text with ``ast``, never
imported), the same reading that writes the README's module list. These tests fail on:

* an import cycle among the imports run when modules load (the shell importing its
  command modules at its very end, ``registers``, is the one loop by design);
* a module taking a private ``_name`` from another module (promote it or move it);
* an import pointing up the layers (a helper importing the schema, the library importing
  the shell …);
* a module over ``MAX_LINES`` lines, unless ``OVERSIZE`` names it;
* a module without a docstring, or without tests: ``tests/test_<module>.py`` or
  ``tests/test_<module>_<aspect>.py``, else a line of ``TESTS_OF`` naming files that exist;
* a test file named after no module and in neither ``TESTS_OF`` nor
  ``WHOLE_PRODUCT_TESTS`` (tests mirror the modules);
* a README whose module list is not what the code says;
* a test that runs the CLI through a ``CliRunner`` of its own rather than conftest's
  ``invoke``/``run``.

The last tests build a small package that breaks each rule in ``tmp_path`` and show that
every check finds it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import warnings
from pathlib import Path

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("architecture", ROOT / "docs" / "architecture.py")
assert _spec and _spec.loader
architecture = importlib.util.module_from_spec(_spec)
sys.modules["architecture"] = architecture
_spec.loader.exec_module(architecture)

PACKAGE = ROOT / "src" / "provenance"
TESTS = ROOT / "tests"
MAX_LINES = 800

# Modules allowed over MAX_LINES while they are being split into modules of one concept
# (issue #21). Each entry is a debt: the test fails once a module named here is back
# under the limit (or gone), so the list only shrinks; it is printed as a warning on
# every run. Do not add to it: split the module.
OVERSIZE: dict[str, str] = {}

# Private names read across modules today, each to be promoted or moved by the module's
# owner; the test fails once one is gone, so this list too only shrinks.
PRIVATE_BEING_FIXED: set[str] = set()

# Modules whose tests are not named after them: module (or package) -> the test files
# that exercise it. A module with a tests/test_<module>.py or test_<module>_*.py needs no
# line here. Keep it honest: tests/test_layout.py fails on a file that does not exist.
TESTS_OF = {
    "claimreview": ["test_export.py"],
    "claims": ["test_cli_claims.py", "test_listings.py", "test_import_repeats.py"],
    "cli_conflicts": ["test_conflicts.py", "test_trust.py"],
    "cli_corrections": ["test_citations.py"],
    "cli_extract": ["test_extract.py", "test_extract_review.py"],
    "cli_names": ["test_names.py", "test_suggest.py"],
    "cli_publish": ["test_publish.py", "test_serve.py", "test_export.py"],
    "datasette_plugin": ["test_publish.py", "test_serve.py", "test_browser.py"],
    "db": [
        "test_migrations.py",
        "test_write_lock.py",
        "test_backends.py",
        "test_races.py",
        "test_reliability.py",
    ],
    "detection": ["test_conflicts.py", "test_seeds.py"],
    "entities": ["test_cli_claims.py", "test_names.py"],
    "edtf_dates": ["test_values.py", "test_values_exact.py"],
    "errors": ["test_inputs.py"],
    "export_records": ["test_export.py"],
    "export_scope": ["test_export.py"],
    "importer": ["test_import_sections.py", "test_import_repeats.py", "test_listings.py"],
    "integrity": ["test_cli_sources.py"],
    "interchange": ["test_export.py"],
    "lazy": ["test_startup.py"],
    "lexicon": ["test_values.py", "test_extract_prose.py"],
    "listed_claims": ["test_conflicts.py", "test_streaming.py"],
    "listing": ["test_conflicts.py", "test_streaming.py"],
    "models": ["test_migrations.py"],
    "output": ["test_listings.py", "test_streaming.py"],
    "preparer": ["test_import_sections.py", "test_import_repeats.py", "test_inputs.py"],
    "prov_export": ["test_export.py"],
    "public_evidence": ["test_publish.py", "test_trust.py"],
    "public_rows": ["test_public_copy.py", "test_publish.py", "test_shared_rows.py"],
    "public_site": ["test_serve.py", "test_browser.py"],
    "public_tables": ["test_publish.py"],
    "records": ["test_import_sections.py", "test_inputs.py"],
    "sources": ["test_cli_sources.py", "test_copies.py"],
    "support": ["test_conflicts.py", "test_leading.py"],
    "verdicts": ["test_conflicts.py", "test_leading.py"],
}

# Test files about the product as a whole rather than one module. Every other test file
# is named after a module (test_<module>.py, test_<module>_<aspect>.py) or is in TESTS_OF.
WHOLE_PRODUCT_TESTS = {
    "test_docs.py": "every command and option documented: --help, docs/cli.md, the README",
    "test_layout.py": "the architecture: this file",
}


# ---------------------------------------------------------------- the checks


def oversize(modules: dict, allowed: dict[str, str], limit: int = MAX_LINES) -> list[str]:
    """Modules over ``limit`` lines that ``allowed`` does not name."""
    return [
        f"{m.file}: {m.lines} lines (at most {limit}: split it into modules of one concept)"
        for m in modules.values()
        if m.lines > limit and m.file not in allowed
    ]


def stale_allowances(modules: dict, allowed: dict[str, str], limit: int = MAX_LINES) -> list[str]:
    """Entries of ``allowed`` naming a module that is gone or no longer over ``limit``."""
    lines = {m.file: m.lines for m in modules.values()}
    return [
        f"{file}: {lines[file]} lines now: remove it from OVERSIZE in tests/test_layout.py"
        if file in lines
        else f"{file} no longer exists: remove it from OVERSIZE in tests/test_layout.py"
        for file in allowed
        if lines.get(file, 0) <= limit
    ]


def undocumented(modules: dict) -> list[str]:
    return [f"{m.file} has no docstring" for m in modules.values() if not m.docstring]


def units_needing_tests(modules: dict) -> list[str]:
    """What must have tests: each module at the top of the package, and each subpackage."""
    return sorted({m.name.split(".")[0] for m in modules.values() if m.name})


def untested(modules: dict, tests: Path, mapping: dict[str, list[str]]) -> list[str]:
    """Top-level modules and packages with no tests named after them and no mapping line."""
    missing = []
    for unit in units_needing_tests(modules):
        named = [tests / f"test_{unit}.py", *tests.glob(f"test_{unit}_*.py")]
        if not any(p.is_file() for p in named) and not mapping.get(unit):
            missing.append(
                f"{unit}: no tests/test_{unit}.py and no line in TESTS_OF (tests/test_layout.py)"
            )
    return missing


def mapping_problems(modules: dict, tests: Path, mapping: dict[str, list[str]]) -> list[str]:
    """Lines of ``mapping`` naming a module that does not exist or a test file that does not."""
    units = set(units_needing_tests(modules))
    problems = [
        f"TESTS_OF names {unit}, which is no module" for unit in mapping if unit not in units
    ]
    problems += [
        f"TESTS_OF[{unit!r}] names {file}, which does not exist"
        for unit, files in mapping.items()
        for file in files
        if not (tests / file).is_file()
    ]
    return problems


def unplaced_tests(
    modules: dict, tests: Path, mapping: dict[str, list[str]], whole: dict[str, str]
) -> list[str]:
    """Test files named after no module, and in neither ``mapping`` nor ``whole``."""
    units = units_needing_tests(modules)
    mapped = {file for files in mapping.values() for file in files}
    return [
        f"{path.name}: named after no module: rename it after the module it tests, or add"
        " it to TESTS_OF (tests/test_layout.py)"
        for path in sorted(tests.glob("test_*.py"))
        if path.name not in mapped
        and path.name not in whole
        and not any(path.stem == f"test_{u}" or path.stem.startswith(f"test_{u}_") for u in units)
    ]


def readme_block(text: str) -> str:
    """The generated part of the README's "How it is built"."""
    match = re.search(
        r"import architecture\n.*?\]\]\] -->\n(.*?)<!-- \[\[\[end\]\]\] -->", text, re.S
    )
    assert match, "README.md has no cog block of docs/architecture.py"
    return match.group(1)


# ---------------------------------------------------------------- the package as it is


MODULES = architecture.read_package(PACKAGE)


def test_no_import_cycle():
    cycles = architecture.import_cycles(MODULES)
    assert not cycles, "modules that import each other when they load: " + "; ".join(
        " ↔ ".join(c) for c in cycles
    )


def test_the_shell_registers_only_its_command_modules():
    registered = MODULES["cli"].targets(architecture.REGISTERS)
    assert registered, "cli.py registers no command module"
    assert all(name.startswith("cli_") for name in registered), registered


def test_no_module_takes_a_private_name_of_another():
    found = set(architecture.private_imports(MODULES))
    new = sorted(p for p in found if re.sub(r":\d+ ", " ", p) not in PRIVATE_BEING_FIXED)
    assert not new, "private names taken from another module (promote or move them):\n" + "\n".join(
        new
    )
    fixed = PRIVATE_BEING_FIXED - {re.sub(r":\d+ ", " ", p) for p in found}
    assert not fixed, f"fixed, remove from PRIVATE_BEING_FIXED in tests/test_layout.py: {fixed}"


def test_imports_point_down_the_layers():
    upward = list(architecture.upward_imports(MODULES))
    assert not upward, "imports that point up the layers (docs/architecture.py):\n" + "\n".join(
        upward
    )


def test_helpers_named_in_the_architecture_exist():
    names = {m.name for m in MODULES.values()}
    assert set(architecture.HELPERS) <= names, set(architecture.HELPERS) - names


def test_no_module_over_800_lines_but_those_being_split():
    listed = ", ".join(f"{m.file} ({m.lines})" for m in MODULES.values() if m.file in OVERSIZE)
    if OVERSIZE:
        warnings.warn(
            f"allowed over {MAX_LINES} lines while being split (OVERSIZE, tests/test_layout.py):"
            f" {listed}",
            stacklevel=1,
        )
    print(f"OVERSIZE: {listed}")
    assert not oversize(MODULES, OVERSIZE), "\n".join(oversize(MODULES, OVERSIZE))
    assert not stale_allowances(MODULES, OVERSIZE), "\n".join(stale_allowances(MODULES, OVERSIZE))


def test_every_module_has_a_docstring():
    assert not undocumented(MODULES), undocumented(MODULES)


def test_every_module_has_tests():
    assert not untested(MODULES, TESTS, TESTS_OF), "\n".join(untested(MODULES, TESTS, TESTS_OF))


def test_every_test_file_is_named_after_a_module_or_mapped():
    unplaced = unplaced_tests(MODULES, TESTS, TESTS_OF, WHOLE_PRODUCT_TESTS)
    assert not unplaced, "\n".join(unplaced)


def test_the_tests_mapping_names_modules_and_files_that_exist():
    problems = mapping_problems(MODULES, TESTS, TESTS_OF)
    assert not problems, "\n".join(problems)


def test_the_readme_lists_the_modules_as_they_are():
    shown = readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown == architecture.readme_text(MODULES), (
        "README.md's module list is out of date: run .venv/bin/cog -r README.md"
    )


def _runners(path: Path) -> list[str]:
    """Where a test file runs the CLI in its own process other than through conftest."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and node.id == "CliRunner") or (
            isinstance(node, ast.ImportFrom) and any(a.name == "CliRunner" for a in node.names)
        ):
            found.append(f"{path.name}:{node.lineno} uses CliRunner")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "main"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "cli"
        ):
            found.append(f"{path.name}:{node.lineno} calls cli.main")
    return sorted(found, key=lambda line: int(line.split(":")[1].split()[0]))


def test_tests_run_the_cli_through_one_runner():
    """``invoke`` (the ``run`` fixture) in conftest.py is the one runner in the test process;
    a script run in a subprocess (a kill, a race) is its own program and is not counted."""
    found = [r for path in sorted(TESTS.glob("test_*.py")) for r in _runners(path)]
    assert not found, "run the CLI with conftest's invoke or the run fixture:\n" + "\n".join(found)


# ---------------------------------------------------------------- the checks can fail


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "src" / "provenance"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


HEALTHY = {
    "__init__.py": '"""The package."""\n',
    "cli.py": (
        '"""The shell."""\n\nfrom .lazy import lazy_module\n\n'
        'claims = lazy_module("provenance.claims")\n\n\n'
        "def cli():\n    from . import db\n\n\n"
        "from . import cli_claims  # noqa: E402\n"
    ),
    "cli_claims.py": '"""Commands about claims."""\n\nfrom .cli import cli\n',
    "claims.py": '"""Claims."""\n\nfrom . import models\nfrom .values import parse\n',
    "models.py": '"""The schema."""\n\nfrom .choices import KINDS\n',
    "db.py": '"""Engines."""\n\nfrom . import models\n',
    "choices.py": '"""Fixed values."""\n\nKINDS = ("a",)\n',
    "lazy.py": '"""Lazy modules."""\n\n\ndef lazy_module(name):\n    return name\n',
    "values.py": '"""Values."""\n\n\ndef parse():\n    pass\n',
    "extract/__init__.py": '"""Extraction."""\n\nfrom .pipeline import run\n',
    "extract/pipeline.py": '"""The pass."""\n\nfrom . import rules\nfrom ..values import parse\n',
    "extract/rules.py": '"""Rules."""\n\nfrom .. import models\n',
}


def test_a_healthy_package_passes_every_check(tmp_path):
    modules = architecture.read_package(_package(tmp_path, HEALTHY))
    tests = tmp_path / "tests"
    tests.mkdir()
    for unit in units_needing_tests(modules):
        (tests / f"test_{unit}.py").write_text("def test_it():\n    pass\n", encoding="utf-8")
    assert architecture.import_cycles(modules) == []
    assert list(architecture.private_imports(modules)) == []
    assert list(architecture.upward_imports(modules)) == []
    assert oversize(modules, {}) == [] and undocumented(modules) == []
    assert untested(modules, tests, {}) == []
    cli = modules["cli"]
    assert cli.targets(architecture.TOP) == ["lazy"]
    assert cli.targets(architecture.DEFERRED) == ["claims", "db"]
    assert cli.targets(architecture.REGISTERS) == ["cli_claims"]
    assert modules["extract.pipeline"].targets(architecture.TOP) == ["extract.rules", "values"]
    text = architecture.readme_text(modules)
    assert "on first use          claims db" in text and "registers             cli_claims" in text


def test_each_check_finds_what_it_is_for(tmp_path):
    rotten = {
        **HEALTHY,
        # a cycle: claims -> entities -> claims, both when the modules load
        "claims.py": '"""Claims."""\n\nfrom .entities import _normalised\n',
        "entities.py": '"""Entities."""\n\nfrom . import claims\n',
        # a private name read through a lazily loaded module
        "names.py": (
            '"""Names."""\n\nfrom .lazy import lazy_module\n\n'
            'db = lazy_module("provenance.db")\n\n\ndef f():\n    return db._first_line\n'
        ),
        # a helper importing the schema, and the library importing the shell
        "values.py": '"""Values."""\n\nfrom . import models\n',
        "copies.py": '"""Copies."""\n\n\ndef f():\n    from .cli import say\n',
        # no docstring, and too long
        "quotes.py": "x = 1\n" * (MAX_LINES + 1),
        # an import put after the last definition of a library module is a real cycle
        "sources.py": '"""Sources."""\n\n\ndef f():\n    pass\n\n\nfrom . import footnotes\n',
        "footnotes.py": '"""Notes."""\n\nfrom . import sources\n',
    }
    modules = architecture.read_package(_package(tmp_path, rotten))
    cycles = architecture.import_cycles(modules)
    assert ["claims", "entities"] in cycles and ["footnotes", "sources"] in cycles, cycles
    assert sorted(architecture.private_imports(modules)) == [
        "claims.py:3 imports _normalised from entities",
        "names.py:9 reads db._first_line",
    ]
    upward = list(architecture.upward_imports(modules))
    assert any(u.startswith("values.py:3 (helpers) imports models") for u in upward), upward
    assert any(u.startswith("copies.py:5 (library) imports cli (shell)") for u in upward), upward
    assert undocumented(modules) == ["quotes.py has no docstring"]
    assert oversize(modules, {}) == [
        f"quotes.py: {MAX_LINES + 1} lines (at most {MAX_LINES}: split it into modules of one"
        " concept)"
    ]
    assert oversize(modules, {"quotes.py": "being split"}) == []
    assert stale_allowances(modules, {"quotes.py": "", "values.py": "", "gone.py": ""}) == [
        "values.py: 3 lines now: remove it from OVERSIZE in tests/test_layout.py",
        "gone.py no longer exists: remove it from OVERSIZE in tests/test_layout.py",
    ]
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_claims_ranks.py").write_text("", encoding="utf-8")
    missing = untested(modules, tests, {"copies": ["test_claims_ranks.py"]})
    assert "claims: no tests/test_claims.py" not in " ".join(missing)
    assert not any(m.startswith("copies:") for m in missing)
    assert any(m.startswith("entities: no tests/test_entities.py") for m in missing), missing
    assert any(m.startswith("extract: no tests/test_extract.py") for m in missing), missing
    (tests / "test_editors_day.py").write_text("", encoding="utf-8")
    (tests / "test_docs.py").write_text("", encoding="utf-8")
    assert unplaced_tests(modules, tests, {}, {"test_docs.py": "the docs"}) == [
        "test_editors_day.py: named after no module: rename it after the module it tests, or"
        " add it to TESTS_OF (tests/test_layout.py)"
    ]
    assert unplaced_tests(modules, tests, {"claims": ["test_editors_day.py"]}, {}) == [
        "test_docs.py: named after no module: rename it after the module it tests, or add it"
        " to TESTS_OF (tests/test_layout.py)"
    ]
    assert mapping_problems(modules, tests, {"copies": ["test_copies.py"], "gone": []}) == [
        "TESTS_OF names gone, which is no module",
        "TESTS_OF['copies'] names test_copies.py, which does not exist",
    ]


def test_a_test_with_a_runner_of_its_own_is_found(tmp_path):
    path = tmp_path / "test_own_runner.py"
    path.write_text(
        "from click.testing import CliRunner\nfrom provenance.cli import cli\n\n\n"
        "def test_it():\n    CliRunner().invoke(cli, ['sources'])\n    cli.main(['claims'])\n"
        "\n\nSCRIPT = 'cli.main([])'  # a subprocess's script is its own program\n",
        encoding="utf-8",
    )
    assert _runners(path) == [
        "test_own_runner.py:1 uses CliRunner",
        "test_own_runner.py:6 uses CliRunner",
        "test_own_runner.py:7 calls cli.main",
    ]
