"""The guard's rule (``trust/guard.py``): when the desk's verdicts say learned trust did
worse than a vote.

Worked counts: on the settled items where the model and a vote lead differently, the
vote right on ``wins`` and the model on ``losses``. By default any lead of the vote on
``GUARD_MIN_ITEMS`` or more such items drops learned trust; with ``GUARD_ALPHA`` below 1
the lead must also be unlikely by chance (a sign test). The guard at work on a world:
``test_trust.py`` and ``test_trust_dependence.py``.
"""

from __future__ import annotations

import pytest

from provenance import trust
from provenance.trust.guard import GuardCheck, sign_test, worse_than_vote


@pytest.mark.parametrize(
    ("wins", "losses", "tail"),
    [(3, 2, 0.5), (4, 1, 6 / 32), (5, 0, 1 / 32), (3, 0, 1 / 8), (7, 3, 176 / 1024)],
)
def test_the_sign_tests_tail_is_the_chance_of_that_many_wins_by_tossing_a_coin(wins, losses, tail):
    assert sign_test(wins, losses) == pytest.approx(tail)


@pytest.mark.parametrize(
    ("alpha", "vote_right", "model_right", "dropped"),
    [
        (1.0, 3, 2, True),  # the default: any lead of the vote
        (1.0, 2, 2, False),  # a draw keeps learned trust
        (0.25, 3, 2, False),  # three in five: a coin does that half the time
        (0.25, 4, 1, True),
        (0.1, 4, 1, False),
        (0.1, 5, 0, True),
    ],
)
def test_the_guard_drops_learned_trust_on_a_lead_of_the_vote_chance_hardly_explains(
    monkeypatch, alpha, vote_right, model_right, dropped
):
    monkeypatch.setattr(trust, "GUARD_ALPHA", alpha)
    check = GuardCheck(
        items=vote_right + model_right, model_right=model_right, vote_right=vote_right
    )
    assert worse_than_vote(check) is dropped


def test_too_few_items_or_the_guard_off_never_drop_learned_trust(monkeypatch):
    check = GuardCheck(items=2, model_right=0, vote_right=2)
    assert not worse_than_vote(check)  # GUARD_MIN_ITEMS = 3
    monkeypatch.setattr(trust, "GUARD_MIN_ITEMS", 0)
    assert not worse_than_vote(GuardCheck(items=9, model_right=0, vote_right=9))
