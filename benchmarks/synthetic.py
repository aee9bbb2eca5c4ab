"""Seeded synthetic claims for the benchmarks, in the import format (SPEC §4).

The data has the shape of a desk's real material at any size: Arabic-style person
names with transliteration variants (Qais / Qays / Qayis, al- / el- / as-),
organisations with Arabic and English names, places, a vocabulary of properties of
every datatype (some ``multi``, some ``time_varying``), and text-less sources — so
citations carry no quote and the benchmarks measure the database, not quote search.

Each subject is covered by 3 to 10 sources; each (subject, property) group is stated
by at least two of them, in spellings and formats that agree (``1,650,000`` and
``1.65 million``; ``2007`` and ``2007-03``; an alias of the subject). About 5 % of
groups are given a contradiction: a source states an incompatible value, or denies
the value the others assert. Those groups are listed in ``contradictions.csv`` so the
conflicts benchmark knows what it should find.

``generate(out_dir, rows, seed)`` writes, into ``out_dir``:

* ``header.yaml`` — ``sources:`` (at most 2,000), ``properties:`` and ``entities:``
  (the entities the desk has curated, at most 2,000, with their aliases), imported
  first;
* ``claims.csv`` — exactly ``rows`` records, streamed to disk;
* ``contradictions.csv`` and ``manifest.json`` — what was generated.

The same seed, size and ``GENERATOR_VERSION`` give byte-identical files.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from provenance.names import CloseName, NameIndex
from provenance.records import RANK_KEYS, RECORD_KEYS
from provenance.values import normalise_name

# SPEC §4, in that order: the import format's keys without the optional rank keys
# text-less sources: no quote, so no occurrence either
CSV_COLUMNS = tuple(key for key in RECORD_KEYS if key not in (*RANK_KEYS, "occurrence"))

# Bumped whenever the same seed and size would give different files; kept in
# manifest.json so that a cached data set from another version can be told apart.
GENERATOR_VERSION = 3
CONTRADICTION_SHARE = 0.05
# A share of entities is curated: declared in header.yaml with their aliases, and named
# in claims by any spelling. The rest first appear in the claims file under one
# spelling and are created by the import, as new names are in practice. A desk curates
# a bounded list, so the header stays small and most of a large file's names are new.
DECLARED_SHARE = {"person": 0.5, "organisation": 0.4, "place": 0.3}
DECLARED_MAX = 2000
MAX_SOURCES = 2000
SPEAKS_PROBABILITY = 0.55
ATTRIBUTED_SHARE = 0.15
NOTE_SHARE = 0.05

# ---------------------------------------------------------------- names
# Each tuple is one name and its transliterations; the first is the canonical spelling.
# No two tuples share a spelling after normalisation (checked at import time below).

GIVEN = (
    ("Qais", "Qays", "Qayis"),
    ("Muhammad", "Mohammed", "Mohamed", "Mohammad"),
    ("Ahmad", "Ahmed"),
    ("Hassan", "Hasan"),
    ("Hussein", "Husayn", "Hussain"),
    ("Ali", "Aly"),
    ("Abdul Aziz", "Abd al-Aziz", "Abdulaziz"),
    ("Abdullah", "Abdallah"),
    ("Hadi", "Hady"),
    ("Jafar", "Ja'far", "Jaafar"),
    ("Kadhim", "Kazem", "Kazim"),
    ("Laith", "Layth", "Leith"),
    ("Mahdi", "Mehdi"),
    ("Mustafa", "Mustapha", "Moustafa"),
    ("Nouri", "Nuri"),
    ("Qasim", "Qassem", "Kasim"),
    ("Sadiq", "Sadeq", "Sadek"),
    ("Salman", "Selman"),
    ("Tariq", "Tareq", "Tarek"),
    ("Umar", "Omar"),
    ("Usama", "Osama"),
    ("Walid", "Waleed"),
    ("Yusuf", "Youssef", "Yousef"),
    ("Zaid", "Zayd", "Zeid"),
    ("Haidar", "Haider", "Hayder"),
    ("Karim", "Kareem"),
    ("Khalid", "Khaled"),
    ("Majid", "Majed"),
    ("Nasser", "Nasir", "Naser"),
    ("Rashid", "Rasheed"),
    ("Saad", "Sa'ad"),
    ("Faisal", "Faysal", "Feisal"),
    ("Ibrahim", "Ebrahim"),
    ("Ismail", "Ismael", "Isma'il"),
    ("Jamal", "Gamal"),
    ("Hamza", "Hamzah"),
    ("Akram", "Ekram"),
    ("Falih", "Faleh"),
    ("Hamid", "Hameed"),
    ("Basim", "Bassem", "Basem"),
    ("Adnan", "Adnane"),
    ("Amer", "Aamer"),
    ("Riyadh", "Riyad", "Riad"),
    ("Shibl", "Shebl"),
    ("Sami", "Samy"),
    ("Fadhil", "Fadil", "Fadel"),
    ("Ghazi", "Ghazy"),
    ("Muqtada", "Moqtada"),
    ("Ammar", "Amar"),
    ("Hashim", "Hashem", "Hachem"),
    ("Jawad", "Jawwad"),
    ("Qusay", "Qusai", "Qussay"),
    ("Raed", "Ra'id"),
    ("Wathiq", "Wathek"),
    ("Yasin", "Yassin", "Yaseen"),
    ("Zuhair", "Zuhayr", "Zouhair"),
)

FAMILY = (
    ("al-Khazali", "al-Khaz'ali", "el-Khazali", "Khazali"),
    ("al-Muhandis", "el-Mohandes"),
    ("al-Amiri", "el-Ameri", "Amiri"),
    ("al-Maliki", "el-Maleki"),
    ("al-Sadr", "as-Sadr", "el-Sadr"),
    ("al-Fayyadh", "al-Fayadh", "Fayyad"),
    ("al-Abadi", "el-Abbadi"),
    ("al-Hakim", "el-Hakeem"),
    ("al-Tamimi", "at-Tamimi", "el-Tamimi"),
    ("al-Jabouri", "al-Jubouri", "el-Jbouri"),
    ("al-Dulaimi", "ad-Dulaimi", "el-Dulaimy"),
    ("al-Obeidi", "al-Ubaidi"),
    ("al-Zubaidi", "az-Zubaydi"),
    ("al-Kaabi", "al-Kaebi", "Kaabi"),
    ("al-Husseini", "el-Husseiny"),
    ("al-Saadi", "as-Saedi"),
    ("al-Shammari", "ash-Shammari"),
    ("al-Rubaie", "ar-Rubaiee"),
    ("al-Bazzaz", "el-Bazaz"),
    ("al-Khafaji", "el-Khafagi"),
    ("al-Musawi", "al-Moussawi"),
    ("al-Lami", "el-Lamy"),
    ("al-Yasiri", "el-Yassiri"),
    ("al-Karbalai", "al-Karbala'i"),
    ("al-Hashimi", "el-Hashemi"),
    ("al-Kinani", "el-Kenani"),
    ("al-Muhammadawi", "al-Mohammedawi"),
    ("al-Darraji", "ad-Darraji"),
    ("al-Asadi", "el-Assadi"),
    ("al-Azzawi", "el-Azawi"),
    ("al-Mashhadani", "el-Meshhadani"),
    ("al-Qaisi", "al-Qaysi"),
    ("al-Rikabi", "ar-Rekabi"),
    ("al-Tai", "at-Ta'i"),
    ("al-Khalidi", "el-Khaledi"),
    ("al-Mayahi", "el-Mayyahi"),
    ("al-Fartousi", "al-Fartusi"),
    ("al-Sudani", "as-Soudani"),
    ("al-Hamdani", "el-Hamdany"),
    ("al-Janabi", "el-Jenabi"),
    ("al-Ani", "al-'Aani"),
    ("al-Rawi", "ar-Rawi"),
    ("al-Anbari", "el-Anbary"),
    ("al-Mawsili", "al-Mosuli"),
    ("al-Baghdadi", "el-Baghdady"),
    ("al-Basri", "el-Basry"),
    ("al-Najafi", "en-Nejefi"),
    ("al-Kufi", "el-Koufi"),
    ("al-Hilli", "el-Helli"),
    ("al-Sharifi", "esh-Sherifi"),
    ("al-Khuzai", "al-Khoza'i"),
    ("al-Ghanimi", "el-Ghanemi"),
    ("al-Nasrawi", "an-Nasrawi"),
    ("al-Daraji", "ad-Daraggi"),
)

# Place names: an optional first word and an Arabic stem, with the article written
# al-/el-/as- and doubled or single consonants by different sources.
PLACE_HEADS = ("", "", "", "Tal", "Jurf", "Ain", "Qasr", "Ras", "Bir", "Umm", "Jisr", "Nahr", "Hay")
PLACE_SYLLABLES = (
    "ba",
    "sha",
    "kar",
    "mi",
    "da",
    "ra",
    "ni",
    "ya",
    "ham",
    "sul",
    "fa",
    "qa",
    "ta",
    "jib",
    "zu",
    "khal",
    "mar",
    "wa",
    "dul",
    "sam",
    "nu",
    "ri",
    "hi",
    "tik",
    "bu",
    "kha",
    "sa",
    "lu",
)
ORG_CORES = (
    ("Imam Ali", "Imam 'Ali"),
    ("Sayyid al-Shuhada", "Sayed al-Shuhada"),
    ("Hezbollah", "Hizballah", "Hizbullah"),
    ("Jund al-Imam", "Jund el-Imam"),
    ("Ansar al-Marjaiya", "Ansar al-Marja'iya"),
    ("al-Khorasani", "al-Khurasani"),
    ("Abu al-Fadl al-Abbas", "Abu al-Fadhl al-Abbas"),
    ("Ahl al-Haq", "Ahl el-Haq"),
    ("al-Nujaba", "an-Nujaba"),
    ("Ashura", "Ashoura"),
    ("al-Salam", "as-Salam"),
    ("al-Imam al-Hussein", "al-Imam al-Husayn"),
    ("Ali al-Akbar", "Ali el-Akbar"),
    ("al-Tafuf", "at-Taff"),
    ("Thar Allah", "Tha'r Allah"),
    ("al-Abdal", "al-Abdaal"),
    ("al-Muntadhar", "al-Muntazar"),
    ("Rouh Allah", "Ruhollah"),
    ("al-Zahra", "az-Zahraa"),
    ("Qamar Bani Hashim", "Qamar Bani Hashem"),
)
ORG_FORMS = (
    ("{core} Brigades", "Kata'ib {core}"),
    ("{core} Companies", "Saraya {core}"),
    ("{core} Movement", "Harakat {core}"),
    ("{core} Brigade", "Liwa {core}"),
    ("League of {core}", "Asa'ib {core}"),
    ("Army of {core}", "Jaysh {core}"),
    ("{core} Gathering", "Tajammu {core}"),
    ("{core} Organisation", "Munazzamat {core}"),
)
PLACE_ORG_FORMS = (
    "{place} Operations Command",
    "{place} Provincial Council",
    "{place} Police Directorate",
    "{place} Tribal Mobilisation",
    "{place} Reconstruction Fund",
    "{place} Security Committee",
)
# Speakers a source quotes (attributed_to); declared in header.yaml.
SPEAKERS = (
    ("the Pentagon", "US Department of Defense", "DoD"),
    ("Iraqi military", "Iraqi Armed Forces"),
    ("Iraqi Ministry of Interior", "Interior Ministry"),
    ("Popular Mobilisation Commission", "PMF Commission", "Hashd Commission"),
    ("US Treasury", "Department of the Treasury"),
    ("Iraqi Joint Operations Command", "JOC"),
    ("United Nations Assistance Mission for Iraq", "UNAMI"),
    ("Kurdistan Regional Government", "KRG"),
    ("Iraqi Independent High Electoral Commission", "IHEC"),
    ("Islamic Revolutionary Guard Corps", "IRGC"),
)
ELECTIONS = (
    "2005 Iraqi parliamentary election",
    "2010 Iraqi parliamentary election",
    "2014 Iraqi parliamentary election",
    "2018 Iraqi parliamentary election",
    "2021 Iraqi parliamentary election",
    "2023 Iraqi provincial elections",
)
ROLES = (
    "secretary-general",
    "military commander",
    "spokesman",
    "deputy leader",
    "member of parliament",
    "financier",
    "provincial governor",
    "political bureau chief",
    "brigade commander",
    "chief of staff",
    "intelligence chief",
    "religious adviser",
)
NATIONALITIES = ("Iraqi", "Iranian", "Lebanese", "Syrian", "Saudi", "Kuwaiti", "Bahraini", "Yemeni")
ATTACK_KINDS = (
    "rocket attack",
    "roadside bombing",
    "drone strike",
    "kidnapping",
    "assassination",
    "ambush",
)
SOURCE_KINDS = (
    ("website", 30),
    ("report", 20),
    ("dataset", 10),
    ("official-statement", 15),
    ("interview", 10),
    ("person", 5),
    ("article", 10),
)
RELIABILITY = (("A", 5), ("B", 25), ("C", 35), ("D", 15), ("E", 5), ("F", 15))
PUBLISHERS = (
    "Long War Journal",
    "Combating Terrorism Center",
    "Middle East Eye",
    "Reuters",
    "Associated Press",
    "Al-Monitor",
    "The Washington Institute",
    "Iraqi News Agency",
    "Rudaw",
    "Shafaq News",
    "Kurdistan 24",
    "Al-Sumaria",
    "Baghdad Today",
    "ACLED",
    "Iraq Body Count",
    "UN OCHA",
    "US Department of State",
    "US Treasury OFAC",
    "Human Rights Watch",
    "Amnesty International",
)


@dataclass(frozen=True)
class PropertySpec:
    name: str
    datatype: str
    kinds: tuple[str, ...]  # subject kinds it applies to
    multi: bool = False
    time_varying: bool = False
    unit: str | None = None
    tolerance: float | None = None
    description: str = ""
    value_kind: str | None = None  # for entity values: the kind of entity named
    qualifier: str | None = None  # a qualifier key that scopes every claim of it

    def header(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name, "type": self.datatype}
        if self.multi:
            entry["multi"] = True
        if self.time_varying:
            entry["time_varying"] = True
        if self.unit:
            entry["unit"] = self.unit
        if self.tolerance is not None:
            entry["tolerance"] = self.tolerance
        entry["description"] = self.description
        return entry


PROPERTIES = (
    PropertySpec("born", "date", ("person",), description="date of birth"),
    PropertySpec(
        "born_in", "entity", ("person",), value_kind="place", description="place of birth"
    ),
    PropertySpec("nationality", "text", ("person",), description="citizenship"),
    PropertySpec(
        "member_of",
        "entity",
        ("person",),
        multi=True,
        value_kind="organisation",
        description="organisations the person belongs to",
    ),
    PropertySpec("role", "text", ("person",), time_varying=True, description="position held"),
    PropertySpec("arrested", "date", ("person",), description="date of arrest"),
    PropertySpec(
        "designated_terrorist",
        "boolean",
        ("person", "organisation"),
        time_varying=True,
        description="on a terrorism sanctions list",
    ),
    PropertySpec(
        "monthly_stipend",
        "quantity",
        ("person",),
        time_varying=True,
        unit="USD",
        tolerance=0.1,
        description="money received per month",
    ),
    PropertySpec("founded", "date", ("organisation",), description="date of founding"),
    PropertySpec(
        "leader",
        "entity",
        ("organisation",),
        time_varying=True,
        value_kind="person",
        description="who leads it",
    ),
    PropertySpec(
        "fighters",
        "quantity",
        ("organisation",),
        time_varying=True,
        tolerance=0.2,
        description="armed members",
    ),
    PropertySpec(
        "annual_funding",
        "quantity",
        ("organisation",),
        time_varying=True,
        unit="USD",
        tolerance=0.1,
        description="funding per year",
    ),
    PropertySpec(
        "headquarters",
        "entity",
        ("organisation",),
        time_varying=True,
        value_kind="place",
        description="where it is based",
    ),
    PropertySpec(
        "allied_with",
        "entity",
        ("organisation",),
        multi=True,
        value_kind="organisation",
        description="allied organisations",
    ),
    PropertySpec(
        "seats_won",
        "quantity",
        ("organisation",),
        unit="seats",
        tolerance=0.0,
        qualifier="election",
        description="parliamentary seats won",
    ),
    PropertySpec(
        "claimed_responsibility",
        "text",
        ("organisation",),
        multi=True,
        description="attacks it claimed",
    ),
    PropertySpec(
        "population",
        "quantity",
        ("place",),
        time_varying=True,
        unit="people",
        tolerance=0.05,
        description="inhabitants",
    ),
    PropertySpec(
        "located_in",
        "entity",
        ("place",),
        value_kind="place",
        description="the province or district it lies in",
    ),
    PropertySpec(
        "casualties",
        "quantity",
        ("place",),
        unit="people",
        tolerance=0.1,
        qualifier="event",
        description="people killed in an event there",
    ),
    PropertySpec(
        "controlled_by",
        "entity",
        ("place",),
        time_varying=True,
        value_kind="organisation",
        description="who holds it",
    ),
    PropertySpec(
        "displaced",
        "quantity",
        ("place",),
        time_varying=True,
        unit="people",
        tolerance=0.15,
        description="people displaced from it",
    ),
)
PROPERTIES_BY_KIND = {
    k: tuple(p for p in PROPERTIES if k in p.kinds) for k in ("person", "organisation", "place")
}
SUBJECT_KINDS = (("person", 45), ("organisation", 30), ("place", 25))


def _check_variants() -> None:
    for table in (GIVEN, FAMILY, ORG_CORES, SPEAKERS):
        owner: dict[str, int] = {}
        for i, variants in enumerate(table):
            for v in variants:
                key = normalise_name(v)
                if owner.setdefault(key, i) != i:
                    raise AssertionError(f"{v!r} normalises like a spelling of another name")


_check_variants()


# ---------------------------------------------------------------- entities


@dataclass
class SynthEntity:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    declared: bool = False

    def spelling(self, rng: random.Random) -> str:
        """A name a source might use: for a curated entity any of its names."""
        if self.aliases and rng.random() < 0.5:
            return rng.choice(self.aliases)
        return self.name


class NameBook:
    """Unique entity names: no name of one entity normalises like, or is close to (see
    provenance.names), a name of another, as `import` would refuse a new name close to an
    existing one (version 3; version 2 made a few such pairs, "Ras al-Marsa" and "Ras
    al-Marwa")."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.by_kind: dict[str, list[SynthEntity]] = {"person": [], "organisation": [], "place": []}
        self.speakers = [SynthEntity(s[0], "organisation", list(s[1:]), True) for s in SPEAKERS]
        self.index = NameIndex()
        for speaker in self.speakers:
            self._use(speaker.name, [speaker.name, *speaker.aliases])
        self._org_core_forms = [
            (c, f) for c in range(len(ORG_CORES)) for f in range(len(ORG_FORMS))
        ]
        rng.shuffle(self._org_core_forms)
        self._brigade_number = 0
        self.declared = 0

    def _use(self, entity: str, names: list[str]) -> None:
        for name in names:
            key = normalise_name(name)
            self.used.add(key)
            self.index.add(key, CloseName(0, entity, name))

    def _claim_names(self, names: list[str]) -> list[str] | None:
        """The names (deduplicated after normalisation) if the first is free and not close to
        another entity's; taken aliases are dropped."""
        keys = [normalise_name(n) for n in names]
        if keys[0] in self.used or self.index.close_to(keys[0]):
            return None
        kept, seen = [], set()
        for name, key in zip(names, keys, strict=True):
            if key in self.used or key in seen or self.index.close_to(key):
                continue
            seen.add(key)
            kept.append(name)
        return kept

    def new(self, kind: str) -> SynthEntity:
        declared = self.rng.random() < DECLARED_SHARE[kind] and self.declared < DECLARED_MAX
        for _ in range(1000):
            names = getattr(self, f"_{kind}_names")()
            kept = self._claim_names(names)
            if kept is None:
                continue
            if not declared:
                kept = kept[:1]  # only its canonical spelling ever appears
            self._use(kept[0], kept)
            entity = SynthEntity(kept[0], kind, kept[1:], declared)
            self.by_kind[kind].append(entity)
            self.declared += declared
            return entity
        raise RuntimeError(f"ran out of {kind} names")

    def pick(self, kind: str, fresh_share: float = 0.2) -> SynthEntity:
        """An entity of ``kind`` for a value: usually a known one, sometimes a new one."""
        pool = self.by_kind[kind]
        if not pool or self.rng.random() < fresh_share:
            return self.new(kind)
        return self.rng.choice(pool)

    def _person_names(self) -> list[str]:
        rng = self.rng
        given, father, family = rng.choice(GIVEN), rng.choice(GIVEN), rng.choice(FAMILY)
        if given is father:
            father = GIVEN[(GIVEN.index(father) + 1) % len(GIVEN)]
        canonical = f"{given[0]} {father[0]} {family[0]}"
        variants = [f"{g} {f} {s}" for g in given for f in father for s in family]
        variants.remove(canonical)
        aliases = rng.sample(variants, min(len(variants), rng.randint(1, 3)))
        if rng.random() < 0.5:
            aliases.append(f"{rng.choice(given)} {rng.choice(family)}")  # without the father's name
        return [canonical, *aliases]

    def _place_stem(self) -> tuple[str, str]:
        rng = self.rng
        syllables = [rng.choice(PLACE_SYLLABLES) for _ in range(rng.randint(2, 3))]
        stem = "".join(syllables).capitalize()
        # a doubled consonant is a common transliteration difference
        doubled = stem
        for i in range(1, len(stem) - 1):
            if stem[i] in "bdkmnrst" and stem[i - 1] in "aeiou":
                doubled = stem[: i + 1] + stem[i] + stem[i + 1 :]
                break
        return stem, doubled

    def _place_names(self) -> list[str]:
        rng = self.rng
        head = rng.choice(PLACE_HEADS)
        stem, doubled = self._place_stem()
        if head:
            article = rng.choice(("al", "as", "ash"))
            canonical = f"{head} al-{stem}"
            aliases = [f"{head} {article}-{stem}", f"{head} el-{doubled}", f"{head} {stem}"]
        else:
            canonical = stem
            aliases = [doubled, f"al-{stem}"]
        return [canonical, *rng.sample(aliases, rng.randint(1, len(aliases)))]

    def _organisation_names(self) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15 and self._org_core_forms:
            core_i, form_i = self._org_core_forms.pop()
            core, english_arabic = ORG_CORES[core_i], ORG_FORMS[form_i]
            english, arabic = english_arabic
            names = [english.format(core=core[0]), arabic.format(core=core[0])]
            names += [arabic.format(core=c) for c in core[1:]]
            return names
        if roll < 0.35:
            self._brigade_number += 1
            n = self._brigade_number
            return [f"PMF Brigade {n}", f"Liwa {n}", f"Popular Mobilisation Brigade {n}"]
        place = self.pick("place", fresh_share=0.3)
        form = rng.choice(PLACE_ORG_FORMS)
        names = [form.format(place=place.name)]
        names += [form.format(place=a) for a in place.aliases[:2]]
        return names


# ---------------------------------------------------------------- values


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([t[0] for t in table], weights=[t[1] for t in table])[0]


def _thousands(n: int) -> str:
    return f"{n:,}"


def _quantity_forms(rng: random.Random, n: int, unit: str | None, tolerance: float | None) -> str:
    """One spelling of ``n`` that parses to a value compatible with ``n`` itself."""
    roll = rng.random()
    if roll < 0.45:
        return _thousands(n)
    if roll < 0.65:
        return str(n)
    if roll < 0.8 and n >= 100_000 and n % 10_000 == 0:
        millions = f"{n / 1_000_000:.2f}".rstrip("0").rstrip(".")
        text = f"{millions} million"
        return f"${text}" if unit == "USD" else text
    if roll < 0.92 and tolerance:
        return f"~{_thousands(n)}"
    if not tolerance:
        return _thousands(n)
    floor = n - n // 10  # "at least" a rounder figure somewhat below it
    step = 10 ** max(0, len(str(floor)) - 2)
    return f">={_thousands(max(1, floor // step * step))}"


def _round_figure(rng: random.Random, low: int, high: int) -> int:
    n = rng.randint(low, high)
    digits = len(str(n))
    step = 10 ** max(0, digits - 3)  # three significant figures, as reported
    return max(step, n // step * step)


QUANTITY_RANGES = {
    "monthly_stipend": (500, 30_000),
    "fighters": (200, 40_000),
    "annual_funding": (200_000, 150_000_000),
    "seats_won": (1, 70),
    "population": (2_000, 3_000_000),
    "casualties": (1, 400),
    "displaced": (100, 500_000),
}


@dataclass
class Statement:
    value: str
    stance: str = "asserts"


class Generator:
    """Streams claim records; ``header()`` is complete once the stream is exhausted."""

    def __init__(self, rows: int, seed: int):
        self.rows = rows
        self.seed = seed
        self.rng = random.Random(seed)
        self.names = NameBook(self.rng)
        self.sources = self._make_sources(max(40, min(MAX_SOURCES, rows // 200)))
        self.subjects = 0
        self.groups = 0
        self.single_groups = 0
        self.contradictions: list[dict[str, str]] = []
        self.emitted = 0

    # -------------------------------------------------------- sources

    def _make_sources(self, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        sources = []
        for i in range(1, count + 1):
            publisher = rng.choice(PUBLISHERS)
            kind = _weighted(rng, SOURCE_KINDS)
            year, month, day = rng.randint(2004, 2024), rng.randint(1, 12), rng.randint(1, 28)
            published = rng.choice(
                (f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", f"{year}-{month:02d}~")
            )
            slug = f"{publisher.lower().replace(' ', '-').replace('.', '')}-{i:05d}"
            entry: dict[str, Any] = {
                "slug": slug,
                "title": f"{publisher}: {kind.replace('-', ' ')} {i}",
                "publisher": publisher,
                "url": f"https://example.org/{slug}",
                "published": published,
                "kind": kind,
                "reliability": _weighted(rng, RELIABILITY),
            }
            if rng.random() < 0.03:
                entry["confidential"] = True
            sources.append(entry)
        return sources

    # -------------------------------------------------------- values

    def _true_value(self, prop: PropertySpec) -> Any:
        rng = self.rng
        if prop.datatype == "quantity":
            low, high = QUANTITY_RANGES[prop.name]
            return _round_figure(rng, low, high)
        if prop.datatype == "date":
            return (
                rng.randint(1950, 2023) if prop.name == "born" else rng.randint(1990, 2024),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
        if prop.datatype == "entity":
            return self.names.pick(prop.value_kind)
        if prop.datatype == "text":
            if prop.name == "role":
                return rng.choice(ROLES)
            if prop.name == "nationality":
                return rng.choice(NATIONALITIES)
            return (
                f"the {rng.randint(2004, 2024)} {rng.choice(ATTACK_KINDS)} in"
                f" {self.names.pick('place', 0.3).name}"
            )
        return rng.random() < 0.6

    def _spell(self, prop: PropertySpec, value: Any) -> str:
        """One source's way of stating ``value``; all spellings agree with each other."""
        rng = self.rng
        if prop.datatype == "quantity":
            return _quantity_forms(rng, value, prop.unit, prop.tolerance)
        if prop.datatype == "date":
            y, m, d = value
            return rng.choice(
                (f"{y}", f"{y}-{m:02d}", f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}")
            )
        if prop.datatype == "entity":
            return value.spelling(rng)
        if prop.datatype == "text":
            return rng.choice((value, value[0].upper() + value[1:], value + "."))
        return rng.choice(("true", "yes")) if value else rng.choice(("false", "no"))

    def _incompatible(self, prop: PropertySpec, value: Any) -> str:
        """A value that cannot be true together with ``value`` (SPEC §3.3)."""
        rng = self.rng
        if prop.datatype == "quantity":
            factor = rng.uniform(1.8, 3.0)
            other = (
                int(value * factor)
                if rng.random() < 0.5 or value < 4
                else max(1, int(value / factor))
            )
            if other == value:
                other = value * 2
            return _thousands(other)
        if prop.datatype == "date":
            year = value[0] + rng.choice((-1, 1)) * rng.randint(2, 8)
            return str(year)
        if prop.datatype == "entity":
            while True:
                other = self.names.pick(prop.value_kind, fresh_share=0.5)
                if other is not value:
                    return other.spelling(rng)
        if prop.datatype == "text":
            pool = ROLES if prop.name == "role" else NATIONALITIES
            return rng.choice([v for v in pool if v != value])
        return "false" if value else "true"

    # -------------------------------------------------------- records

    def _scope(self, prop: PropertySpec) -> tuple[str, str]:
        rng = self.rng
        as_of = ""
        if prop.time_varying:
            year = rng.randint(2005, 2024)
            as_of = f"{year}" if rng.random() < 0.6 else f"{year}-{rng.randint(1, 12):02d}"
        qualifiers = ""
        if prop.qualifier == "election":
            qualifiers = f"election={rng.choice(ELECTIONS)}"
        elif prop.qualifier == "event":
            qualifiers = (
                f"event={rng.choice(ATTACK_KINDS)} of"
                f" {rng.randint(2004, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        return as_of, qualifiers

    def _record(
        self,
        source: dict,
        subject: str,
        prop: PropertySpec,
        statement: Statement,
        as_of: str,
        qualifiers: str,
    ) -> list[str]:
        rng = self.rng
        unit = prop.unit if prop.unit and prop.datatype == "quantity" and rng.random() < 0.2 else ""
        if unit and statement.value.startswith("$"):
            unit = ""  # "$25 million" carries its unit
        attributed = ""
        if rng.random() < ATTRIBUTED_SHARE:
            attributed = rng.choice(self.names.speakers).spelling(rng)
        confidence = rng.choices(("high", "medium", "low", ""), weights=(25, 40, 20, 15))[0]
        note = (
            f"checked against the {source['publisher']} archive"
            if rng.random() < NOTE_SHARE
            else ""
        )
        return [
            source["slug"],
            "",
            subject,
            prop.name,
            statement.value,
            unit,
            "",
            attributed,
            statement.stance if statement.stance != "asserts" or rng.random() < 0.3 else "",
            confidence,
            as_of,
            "",
            "",
            qualifiers,
            note,
        ]

    def _subject_records(self) -> Iterator[list[str]]:
        rng = self.rng
        kind = _weighted(rng, SUBJECT_KINDS)
        subject = self.names.new(kind)
        self.subjects += 1
        covering = rng.sample(self.sources, rng.randint(3, 10))
        applicable = PROPERTIES_BY_KIND[kind]
        chosen = rng.sample(applicable, rng.randint(max(2, len(applicable) // 2), len(applicable)))
        single_count = sum(1 for p in applicable if not p.multi)
        # contradictions only make sense for single-valued properties; scaled so that
        # about CONTRADICTION_SHARE of all groups carry one
        contradiction_p = min(1.0, CONTRADICTION_SHARE * len(applicable) / single_count)
        for prop in chosen:
            self.groups += 1
            speakers = [s for s in covering if rng.random() < SPEAKS_PROBABILITY]
            if len(speakers) < 2:
                speakers = rng.sample(covering, 2)
            as_of, qualifiers = self._scope(prop)
            if prop.multi:
                values: list[Any] = []
                for _ in range(rng.randint(1, 3)):
                    candidate = self._true_value(prop)
                    if all(candidate is not v and candidate != v for v in values):
                        values.append(candidate)
                for source in speakers:
                    for value in rng.sample(values, rng.randint(1, len(values))):
                        yield self._record(
                            source,
                            subject.spelling(rng),
                            prop,
                            Statement(self._spell(prop, value)),
                            as_of,
                            qualifiers,
                        )
                continue
            self.single_groups += 1
            value = self._true_value(prop)
            dissenters: set[int] = set()
            kind_of_contradiction = ""
            if rng.random() < contradiction_p:
                chosen_dissenters = rng.sample(
                    speakers[1:], rng.randint(1, max(1, (len(speakers) - 1) // 2))
                )
                dissenters = {id(s) for s in chosen_dissenters}
                kind_of_contradiction = "stance" if rng.random() < 0.15 else prop.datatype
                self.contradictions.append(
                    {
                        "subject": subject.name,
                        "property": prop.name,
                        "as_of": as_of,
                        "qualifiers": qualifiers,
                        "kind": kind_of_contradiction,
                        "sources": ";".join(s["slug"] for s in chosen_dissenters),
                    }
                )
            for position, source in enumerate(speakers):
                if id(source) in dissenters:
                    if kind_of_contradiction == "stance":
                        statement = Statement(self._spell(prop, value), "denies")
                    else:
                        statement = Statement(self._incompatible(prop, value))
                elif position == 0 and dissenters and prop.datatype == "quantity":
                    # ">=" spellings would overlap a value set above; one exact figure keeps the
                    # contradiction certain
                    statement = Statement(_thousands(value))
                else:
                    statement = Statement(self._spell(prop, value))
                yield self._record(
                    source, subject.spelling(rng), prop, statement, as_of, qualifiers
                )

    def records(self) -> Iterator[list[str]]:
        """Exactly ``rows`` records, in CSV column order."""
        while self.emitted < self.rows:
            for record in self._subject_records():
                yield record
                self.emitted += 1
                if self.emitted >= self.rows:
                    return

    # -------------------------------------------------------- header

    def header(self) -> dict[str, Any]:
        entities = []
        for entity in self.names.speakers:
            entities.append(
                {"name": entity.name, "kind": "organisation", "aliases": entity.aliases}
            )
        for kind in ("person", "organisation", "place"):
            for entity in self.names.by_kind[kind]:
                if entity.declared:
                    entities.append({"name": entity.name, "kind": kind, "aliases": entity.aliases})
        return {
            "sources": self.sources,
            "properties": [p.header() for p in PROPERTIES],
            "entities": entities,
        }


@dataclass
class Dataset:
    directory: Path
    header: Path
    claims: Path
    contradictions: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return self.manifest["rows"]


def generate(out_dir: str | Path, rows: int, seed: int, *, progress: bool = False) -> Dataset:
    """Write header.yaml, claims.csv, contradictions.csv and manifest.json into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(rows, seed)
    claims_path = out / "claims.csv"
    show = progress and sys.stderr.isatty()
    with open(claims_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for n, record in enumerate(gen.records(), 1):
            writer.writerow(record)
            if show and n % 50_000 == 0:
                print(f"\r  generating {n:,}/{rows:,}", end="", file=sys.stderr, flush=True)
    if show:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)
    header = gen.header()
    header_path = out / "header.yaml"
    with open(header_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(header, handle, allow_unicode=True, sort_keys=False, width=120)
    contradictions_path = out / "contradictions.csv"
    with open(contradictions_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["subject", "property", "as_of", "qualifiers", "kind", "sources"]
        )
        writer.writeheader()
        writer.writerows(gen.contradictions)
    manifest = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "rows": gen.emitted,
        "subjects": gen.subjects,
        "groups": gen.groups,
        "single_valued_groups": gen.single_groups,
        "contradicted_groups": len(gen.contradictions),
        "sources": len(gen.sources),
        "entities_generated": sum(len(v) for v in gen.names.by_kind.values())
        + len(gen.names.speakers),
        "entities_declared": len(header["entities"]),
        "aliases_declared": sum(len(e["aliases"]) for e in header["entities"]),
        "properties": len(PROPERTIES),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Dataset(out, header_path, claims_path, contradictions_path, manifest)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(
        description="Write a synthetic claims data set (header.yaml, claims.csv)."
    )
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = generate(args.out, args.rows, args.seed, progress=True)
    print(json.dumps(data.manifest, indent=2))
