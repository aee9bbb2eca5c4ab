"""The model's constants: what each weighs, and the rules of copies and ties.

Every other module of the package reads them as ``settings.NAME`` when it runs, so a
benchmark (or a test) that sets ``provenance.trust.NAME`` changes the model: the package
forwards such a setting here. Why each value is what it is: the package's docstring and
``docs/benchmarks.md``.
"""

from __future__ import annotations

# A grade's prior accuracy, and how many answers' worth of evidence the prior is.
PRIOR = {"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.55, "E": 0.3, "F": 0.5}
PRIOR_WEIGHT = {"A": 20.0, "B": 20.0, "C": 20.0, "D": 20.0, "E": 20.0, "F": 2.0}
PROPERTY_WEIGHT = 30.0
# what an ungraded source (F) shrinks toward: "grade" (its prior, 0.5), "population"
# (the accuracy of all sources' answers on disputed items, learned each round) or "by-size"
# (the default; empirical Bayes over a long tail: the accuracy of the other ungraded sources
# answering as many disputed items, by powers of two: rounds.shrink_toward_peers).
# "by-size": Population half A .851 against .844 (.843 against .833 with verdicts), Flight
# and Books half A unchanged, the synthetic worlds within .001 (docs/benchmarks.md, "Ninth
# pass")
UNGRADED_PRIOR = "by-size"
# with "by-size", the peers' accuracy is shrunk toward the grade's prior by this many answers
# (as much as a grade weighs): two peers do not swap their records, one keeps the grade's
PEER_WEIGHT = 20.0
# what makes two ungraded sources peers under "by-size": "size" (the default: as many
# disputed items) or "size-kind" (as many, and the same kind of source, so that an unsigned
# comment is judged by other comments and a person by people). "size-kind" gained one item
# on Population half A (.857 against .851) and lost one on half B (.799 against .805), so
# it is not a general gain; the sets whose sources are all of one kind cannot move
# (docs/benchmarks.md, "Eleventh pass")
PEER_CLASS = "size"
# what a source's answer earns it: "with-own-vote" (ACCU's: the probability that the truth
# is compatible with it) or "without-own-vote" (the same with the source's vote left out)
CREDIT = "with-own-vote"
# what moves a source's accuracy on one property away from its overall one, for a source
# with at least PROPERTY_MIN_ANSWERS disputed answers on it (below that, verdicts only):
# "verdicts" (the desk's only), "agreement" (agreement on the property's disputed items
# too), "down" (agreement may lower it, only verdicts raise it)
PROPERTY_LEARNING = "verdicts"
PROPERTY_MIN_ANSWERS = 20
CONFIDENCE = {"high": 1.0, "medium": 0.6, "low": 0.3}
# false values an item could have: the "n" of ACCU
N_FALSE = 10
# the vote: "accu" (every false value one of N_FALSE, equally likely), "popaccu" (a false
# value as likely as it is popular among the item's other answers: Dong, Saha, Srivastava,
# "Less is More", PVLDB 6(2), 2013, §3; popularity.py), its popularity smoothed toward
# ACCU's 1 / N_FALSE by POP_PSEUDO pseudo-sources on each of the N_FALSE false values, or
# "accu-distinct" (ACCU with N_FALSE per item: its distinct answers less one). Neither
# alternative gained on average: docs/benchmarks.md, "Seventh pass"
VOTE = "accu"
POP_PSEUDO = 0.0
# where the rounds of another vote start: "prior" (the grades') or "accu" (the accuracies
# ACCU learns first: from the grades' 0.5, POPACCU's vote of an ungraded source is 0)
VOTE_START = "prior"
VERDICT_WEIGHT = 10.0
# where a verdict weighs VERDICT_WEIGHT: "everywhere" (its source's overall accuracy and
# its accuracy on the verdict's property) or "property" (on the property only; in the
# overall accuracy, which every other property shrinks toward, it counts as one answer,
# so verdicts on one property do not move what a source is trusted for on the others)
VERDICT_SCOPE = "everywhere"
# which verdicts teach accuracies: "every-item" (the default) or "disputed" (only those on
# items with more than one answer: on an item nobody contradicts, the model already holds
# the one answer certain and, without a verdict, the item teaches nothing)
VERDICTS_TEACH = "every-item"
# how much each answer on a disputed item teaches its source's accuracy (verdicts always
# teach in full): "answers" (each answer once), "independent" (only items that at least
# two independent sources answer teach: an answer a source gives alone, or beside its own
# copies, says nothing of it), "cluster" (as "independent", each answer weighed by
# 1 / the number of independent sources giving it, so agreeing with a crowd counts once
# for the crowd) or "cluster-half" (2 / (that number + 1): a crowd of k counts (k + 1) / 2
# times); measured in docs/benchmarks.md, "Fifth pass" and "Eleventh pass" (on Flight's
# other days "cluster" keeps the gate times on the days where the runway times win the
# learning, .934 against .755 on 2011-12-12, loses .04 to .05 on the first week of
# December and .020 on Population half A)
TEACH = "answers"
# how much a disputed item teaches its sources' accuracies, by how contested it is: "off"
# (every item alike), "contest" (1 - the probability of its leader: a vandal's figure beside
# three that agree teaches little, a close dispute much; item difficulty as in Galland et
# al., WSDM 2010) or "contest-scaled" (the same over its mean, the prior's weight kept)
HARDNESS = "off"
# the share of a compatible answer's support an answer gets (as conflicts.py counts it)
COMPATIBLE_SHARE = 0.5
# an exact quantity within this share of another of its item ("12,301" and "12,300") lends
# it COMPATIBLE_SHARE of its support in the score, though the two still contradict each
# other, and counts in its source's credit (0: never; 0.01 gained on Population and
# changed nothing elsewhere: docs/benchmarks.md, "Fifth pass")
NEAR_SHARE = 0.01
# how much a near number lends, by its distance d relative to the larger figure: 0 (the
# default) lends in full at any d within NEAR_SHARE; above 0, exp(-d / NEAR_DECAY) (the
# implication of TruthFinder, Yin et al. 2007, decaying with the distance: a figure 1 %
# away lends more than one 4 % away; measured in docs/benchmarks.md, "Sixth pass")
NEAR_DECAY = 0.0
# two bounded dates of one item at the same precision whose starts are at most this many
# of its units apart ("15:27" and "15:28", "2007" and "2008") are near: each lends the other
# COMPATIBLE_SHARE of its support in the score, though they still contradict each other
# (0: never, the default: 1 gained .010 on Flight half A but lost .007 on half B, so it is
# not a general gain; docs/benchmarks.md, "Sixth pass")
NEAR_DATE_STEPS = 0.0
# whether a near date also counts in its source's credit (False: in the score only; in the
# credit too, feeds one minute late were learned as right and Flight half A lost .014)
NEAR_DATE_CREDIT = False
COPY_SHARE = 0.98
COPY_MIN_SHARED = 50
COUNT_COPIES_ONCE = True
# soft copy detection (dependence.py): "soft" (the default: after the learning, a source's
# vote on an answer is shared with the sources giving it that it probably copies) or "off".
# On: Flight half A .912 against .884, Books half A .952 against .935, Population and the
# synthetic worlds unchanged but two (docs/benchmarks.md, "Eighth pass: soft copy detection")
DEPENDENCE = "soft"
# whether the model learns the accuracies again with the shared votes (True) or the shared
# votes weigh the final answers only (False, the default: learning again, accurate sources
# that agree were taken for copies, their answers fell, and with them the accuracies they
# were judged by; Flight half A .901 against .912)
DEPENDENCE_RELEARN = False
# pairs sharing fewer disputed items are taken as independent
DEPENDENCE_MIN_SHARED = 10
# a pair's copy probability: over all its shared items at once (False, Dong et al.'s), or
# the least of its probabilities on each property it shares enough disputed items on (True)
DEPENDENCE_BY_PROPERTY = False
# the accuracies the copy test weighs an agreement by: each source's "overall" accuracy
# (the default) or its accuracy on the item's "property" (the one its vote there uses:
# with verdicts, what the desk's settled items taught of it on that property)
DEPENDENCE_ACCURACY = "overall"
# whose votes a pair's copy probability shares: "pair" (the default: on every property,
# by the one probability DEPENDENCE_BY_PROPERTY says) or "property" (on each property by
# the pair's probability there, where it shares DEPENDENCE_MIN_SHARED disputed items on
# it; elsewhere by the one over all its shared items)
DEPENDENCE_SHARED = "pair"
# what a pair is judged on: "all" its shared disputed items, or, where it shares at least
# DEPENDENCE_MIN_SHARED items the desk settled, "settled" (the default: those alone, where
# the truth is known rather than read off the model's answers, which the votes under test
# made; Flight half A with verdicts .934 against .922, the day .949; the other sets and
# the worlds within .001; docs/benchmarks.md, "Ninth pass")
DEPENDENCE_FROM = "settled"
# Dong et al.'s copy rate c, prior probability of copying, and false values n
DEPENDENCE_COPY_RATE = 0.8
DEPENDENCE_PRIOR = 0.2
DEPENDENCE_N_FALSE = 10
# the false values n of the copy test: "fixed" (DEPENDENCE_N_FALSE on every item) or
# "distinct" (the item's distinct answers less one, at least 1: how many false values its
# sources are seen to give, as VOTE = "accu-distinct" counts them for the vote)
DEPENDENCE_FALSE_VALUES = "fixed"
# copy probabilities below this are taken as 0 (they would only cost time)
DEPENDENCE_FLOOR = 0.01
# how much of its vote a source sharing an answer with its likely copies keeps: "share"
# (the default: 1 / (1 + Σ P(copy)), k certain copies of one another one vote between
# them) or "copy-rate" ((1 + (1 - c) · Σ P(copy)) / (1 + Σ P(copy)), c the copy rate:
# as Dong et al. discount a copier's vote by 1 - c · P(copy), since it gives its own
# value on 1 - c of the items; k certain copies weigh 1 + (1 - c)(k - 1) votes)
DEPENDENCE_VOTE = "share"
# a source's credit on an item leaves out its own vote and those of the sources identical
# to it on at least this share of the disputed items they share (COPY_MIN_SHARED or more),
# copy groups apart: agreeing with those it moves with does not teach it (0: never, the
# default: it costs Flight and the other worlds more than it gains; docs/benchmarks.md)
LEAVE_OUT_SHARE = 0.0
# the guard (guard.py): settled items where the model and a vote differ before learned
# trust that does worse than the vote on them is dropped (0: never)
GUARD_MIN_ITEMS = 3
# how sure the guard must be that the vote does better: 1.0 (the default: the vote right
# more often on those items) or below it, the most a sign test's tail may be (the chance
# that a vote no better than the model is right that much more often)
GUARD_ALPHA = 1.0
# what teaches once the guard has dropped learned trust: "verdicts" (the default: the
# verdicts alone, every vote whole), "verdicts-copies" (the same, then soft copy
# detection shares the likely copies' votes, judged on the settled items where
# DEPENDENCE_FROM says so) or "verdicts-settled-copies" (the same, but only pairs judged
# on settled items share their votes: the others are taken as independent)
GUARD_FALLBACK = "verdicts"
# the desk's verdicts choose the vote (choice.py): with the guard's settled items, the
# model learns with them held out under VOTE and each other vote named here, and runs
# under the one the verdicts agree with by VOTE_CHOICE_Z standard deviations of a sign
# test more than VOTE (empty: VOTE always; measured in docs/benchmarks.md, "Eighth pass")
VOTE_CHOICES: tuple[str, ...] = ()
VOTE_CHOICE_Z = 1.0
# what judges a candidate: "held-out" (learned with every verdict held out: the vote
# without verdicts is judged) or "folds" (learned twice, each time with the verdicts on
# one half of the settled items held out and the other half known, judged on the held-out
# half: the vote with verdicts is judged; two learnings per candidate)
VOTE_CHOICE_BY = "held-out"
TOLERANCE = 1e-3
MAX_ROUNDS = 30
# accuracies are kept inside (0, 1) so every vote is finite
ACCURACY_FLOOR, ACCURACY_CEILING = 0.01, 0.99
# exp() of less than this is 0 (PostgreSQL raises on underflow rather than rounding)
EXP_FLOOR = -600.0
# two answers whose probabilities differ by less than this are a tie
TIE = 1e-9

# SQLite: the page cache (KiB) of the connection, for its database and its temporary one,
# while the model runs. A connection's cache also sizes SQLite's in-memory sorts, so the
# product's 64 MB (db.CACHE_KIB, for imports) let trust's peak memory grow with the
# data, by about 200 MB at 1M citations; with this it is flat (docs/benchmarks.md,
# "Fourth pass"). 0: leave the connection's own.
CACHE_KIB = 2048

# dependence where the original is silent (silent.py): "off" (the default), "share" (a
# source whose agreement with the leaders is higher where another answers than where it
# is silent counts as one vote unit with it, after a first learning) or "share-teach" (the
# same, and its answers beside its group's teach it nothing); the pair's answers on each
# side, the least gap in mean credit and the least two-proportion statistic
SILENT_DEPENDENCE = "off"
# what is compared: each answer's credit ("none") or its credit less the mean credit of
# its item's other answers ("item": easy items do not make a follower)
SILENT_BASELINE = "item"
SILENT_MIN_ANSWERS = 20
SILENT_GAP = 0.15
SILENT_Z = 3.0
# a source found beside more vote units than this is no one's copy (0: no limit)
SILENT_MAX_ORIGINALS = 0

TEMP_TABLES = (
    "trust_sources",
    "trust_source_properties",
    "trust_items",
    "trust_evidence",
    "trust_known",
    "trust_known_held",
    "trust_scores",
    "trust_answers",
    "trust_compatible",
    "trust_near",
    "trust_given",
    "trust_pairs",
    "trust_questions",
    "trust_question_scores",
    "trust_dependence",
    "trust_dependents",
    "trust_left_out",
    "trust_popularity",
    "trust_silent",
    "trust_silent_marks",
    "trust_choice_sources",
    "trust_choice_properties",
    "trust_list_moves",
    "trust_source_sums",
)

# Lists that imply lists (lists.py): within one item, a text answer whose ";"-separated
# entries are all entries of another ("widom" of "widom; ceri"), or the same entries in
# another order, lends it COMPATIBLE_SHARE x LIST_IMPLICATION of its support in the score
# (TruthFinder's implication, Yin et al. 2007); the two still contradict each other
# (0: never). 1 with LIST_HABIT 2: Books half A .935 against .871, the synthetic list
# worlds within .002 (docs/benchmarks.md, "Seventh pass: lists that imply lists").
LIST_IMPLICATION = 1.0
# a part lends only as far as its sources habitually give parts of others' lists, each
# source's habit shrunk toward 0 by this many pseudo-answers (0: every part lends in full,
# .968 on Books half A but .931 against .956 on a world erring by a name too many as
# often as by one too few: the truth, a part of the wrong list, lends it its support)
LIST_HABIT = 2.0
# times the share of the other's entries the part names (False: measured, lost Books A)
LIST_BY_SIZE = False
# a source giving a part also earns credit where the whole is true (False: lost Books A)
LIST_CREDIT = False
# what a source's habit is shrunk toward by its LIST_HABIT pseudo-answers: "zero", or
# "pooled", the habit of all sources together (a small store inherits the data set's).
# "pooled" changed nothing on Books half A nor on the synthetic list worlds: the pooled
# habit is .083 on Books and .092 on a synthetic world whose errors go both ways
# (docs/benchmarks.md, "Eighth pass: lists a small store cuts short")
LIST_HABIT_TOWARD = "zero"
# a source's habit on a part counted from its other answers, not from the part itself
# (+.002 on the lists-tail worlds, nothing on Books half A: off)
LIST_HABIT_LEAVE_OUT = False
# a strict part moves its habit's share of its support to the lists holding it instead
# of lending COMPATIBLE_SHARE of it (False: it lends). Moving fixes a first author alone
# on Books half A and breaks a one-author book a wrong longer list holds (.919 against
# .935), and loses .010 to .023 on the synthetic list worlds: off
LIST_TRANSFER = False
# how the moved share is split: equally among the wholes ("wholes"; not by their
# current probabilities, so that a round's leaning cannot feed itself), or equally among
# the wholes and the part itself ("part-and-wholes": the list cut short may be the whole
# truth; -.003 to -.004 on the synthetic list worlds; Books half A unchanged before
# soft copy detection came on, .935 against .952 since)
LIST_TRANSFER_SPLIT = "wholes"
