"""The published ``against_head_count`` of a question rests on public evidence alone.

A C-graded wire, right on sixty disputed attacks, says the Karbala attack killed 100
(high confidence); two B-graded blogs, wrong on all sixty, say 200. By learned trust the
wire leads. On the desk's evidence the blogs' 200 has more support, so the question goes
against the head count (``conflicts --overturned`` lists it). When the second blog is
confidential, the public evidence has one blog against the wire, whose support is then
the greater: the published question must not go against the head count, or it would
tell a reader that a withheld source backs 200.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import wire_against_blogs

from provenance import public_site


def _published_conflicts(run, tmp_path) -> list[dict]:
    out = tmp_path / "public.db"
    run("publish", out)
    ds = public_site.datasette(out)

    async def go():
        return await ds.client.get("/public/conflicts.json?_shape=array&_size=max")

    response = asyncio.run(go())
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize("blog2_confidential", [False, True])
def test_the_published_head_count_rests_on_public_evidence_only(run, tmp_path, blog2_confidential):
    wire_against_blogs(run, tmp_path, blog2_confidential=blog2_confidential, wire_confidence="high")
    # the desk sees both blogs: the wire leads against the head count either way
    (desk,) = json.loads(run("conflicts", "--overturned", "--json").output)
    assert desk["subject"] == "Karbala attack" and desk["leading_value"] == "100"
    published = _published_conflicts(run, tmp_path)
    assert all(r["against_head_count"] in (0, 1) for r in published)
    (karbala,) = [r for r in published if r["leading_value"] == "100"]
    assert karbala["leading_reason"] == "most likely true"
    # on the attacks the references' answer leads with the most support
    assert sum(r["against_head_count"] for r in published) == (0 if blog2_confidential else 1)
    assert karbala["against_head_count"] == (0 if blog2_confidential else 1)
