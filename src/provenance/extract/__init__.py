"""Candidate claims from a source's text, for an editor to accept (``provenance extract``).

The editor's loop is ``extract`` → edit the YAML (delete, correct, set confidence) →
``import``. Every candidate is written in the import format (SPEC §4) and imports
as written: its quote is copied from the source's own words (never from a reader
comment under an article, never from the notes section), its value is in the
syntax of ``values.py``, and a property the vocabulary lacks is declared in the
file's ``properties:`` section, marked as new.

What is recognised (each rule is a named regex below, with examples in its docstring):

* quantities: digits with separators and scale words (``1.65 million``), number words
  (``five``, ``roughly a dozen``, ``one-and-a-half``, ``one-third``), plurals of scale
  words (``hundreds of`` ≥ 200, ``dozens of`` ≥ 24), ranges (``$750,000-$1,000,000``,
  ``one or two``), bounds and approximations (``more than 100``, ``at least 70``,
  ``nearly one-third``), money with its currency, percentages, and "no casualties";
* dates of every precision (``January 20, 2007``, ``Nov. 19, 2020``, ``3 January
  2020``, ``March 2007``, ``2007``, ``the 1980s``, ``the summer of 2013``, ``late
  2007``, ranges such as ``March 2007-January 2010`` and ``from 2007 to the end of
  2009``) and relative ones, resolved against the text read so far (``later that
  year``, ``six months later``, ``the next day``, ``within a year``) or the source's
  publication date (``last week``, ``on Tuesday``, ``26 February``, ``In March``);
* leadership (``X, the leader of Y``; ``Y head X``; ``Y, led by … X``);
* events: the attack, strike, protest, election, meeting, visit … a figure or a date is
  about, with its agent and target, named the way the seeds name events ("U.S. airstrikes
  on Kata'ib Hezbollah of 29 December 2019"), and what refers back to it ("the attack");
* relations: an event's agent, target, victims and place; posts ("Pentagon spokesman
  X"); backed, trained, designated and sanctioned by; siblings;
* what is said of someone in words: accused of ("accused X of …", "blamed X for …"),
  demanded ("demanded …", "called for …"), described as ("described X as …", "called X a
  “…”", a quoted "is “…”", "the pro-Western …"), a stated reason ("in retaliation for …"),
  an activity ("has been responsible for …", "…, running …", "ordered his fighters to …")
  and a mission ("its mandate is to …", "is in X at the invitation of … to …"), each
  value the text's own words to the end of its clause;
* attributions: a quotation introduced by its speaker, "X said", "told MEE",
  "according to X", "claimed", "admitted", "accused", "denied" (stance ``denies``); a
  speaker written with a post ("Secretary of State Mike Pompeo") is the person, a capital
  ("Tehran said") its country.
  Every candidate in an attributed clause carries ``attributed_to`` (not the article's own
  appositions and relative clauses inside it); only with the kind ``statement`` (once
  called ``attribution``) does a bare quotation become a ``statement`` candidate.

Decisions:

* A new event whose words all stand in the name of exactly one event of the database
  ("the Karbala attack" and the known "Karbala PJCC attack") is that event, by its name;
  a figure told in a clause's second predicate ("X is funded by Y, and has claimed 300
  attacks") is about the clause's subject, not the name nearest the figure.
* A candidate is left out when a citation of the source already covers its figure
  (its quote span overlaps the words of the value), so a sentence holding two facts
  still offers the one nobody recorded.
* Values without a year take it from the publication date when the source has one
  (the latest such day or month on or before it), else from the last year the text
  named; weekdays are the first such day after the last day the text named, within
  the publication window.
* "hundreds" is read as ≥ 200, "dozens" ≥ 24, "roughly a dozen" ~12, "nearly N" as
  ~N (the lexicon's reading, the same as ``add --value``); the editor corrects what the
  context says otherwise.
* Dates and numbers are read here rather than by ``dateparser`` or a number-words
  library: the forms needed are few and fixed, the precision written (day, month,
  season, year) must be kept exactly, and relative forms need the text's own
  anchors. The libraries tried fill missing parts from "now", report only a coarse
  period, and read neither "a dozen" nor "one-third" (one reads "hundreds" as 100).

How it is built (one module per concept, read in this order):

* ``pipeline``: ``extract`` and the one pass over the sentences that calls the others;
* ``document``: the state of that pass (text, timeline, speakers, last subject, candidates);
* ``sentences``: the source's own words cut into sentences, and a value's quote;
* ``provenance.lexicon`` (shared with ``values.py``): operators, scales, currencies, number
  and calendar words;
* ``dates``, ``quantities``, ``leadership``, ``relations``, ``characterisations``,
  ``attributions``: the recognisers, each a set of named ``Rule`` regexes and the
  functions that turn their matches into candidates;
* ``events``: the events a text tells of, and their names;
* ``subjects``: who or what a value is about; ``mentions``: where known entities are named;
* ``vocabulary``: the concepts a rule suggests and the properties they map onto;
* ``candidates``: the result types; ``output``: the import-format YAML.
"""

from __future__ import annotations

from .candidates import DEFAULT_KINDS, KINDS, Candidate, Extraction, parse_kinds
from .output import candidate_rows, write_yaml
from .pipeline import extract
from .rules import Rule

__all__ = [
    "DEFAULT_KINDS",
    "KINDS",
    "Candidate",
    "Extraction",
    "Rule",
    "candidate_rows",
    "extract",
    "parse_kinds",
    "write_yaml",
]
