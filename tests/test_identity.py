"""A citation's identity is stored: re-importing a file into an existing database must
compute it exactly as the version that wrote the database did."""

import hashlib
import json

import pytest

from provenance.identity import FINGERPRINT_FIELDS, fingerprint


@pytest.mark.parametrize(
    "identity",
    [
        [3, None, None, None, None, "asserts"],
        [1, 120, 187, 42, 7, "denies"],
        [12, 0, 5, None, 99999999999, "asserts"],
        [2, 10, 20, 3, None, 'a "quoted" \u00e9 stance'],
    ],
)
def test_fingerprint_is_the_sha1_of_the_json_identity(identity):
    row = dict(zip(FINGERPRINT_FIELDS, identity, strict=True))
    assert fingerprint(row) == hashlib.sha1(json.dumps(identity).encode()).hexdigest()


def test_fingerprint_of_a_known_citation_never_changes():
    # the digest stored for this identity by every earlier version
    row = dict(zip(FINGERPRINT_FIELDS, [1, 120, 187, 42, None, "asserts"], strict=True))
    assert fingerprint(row) == hashlib.sha1(b'[1, 120, 187, 42, null, "asserts"]').hexdigest()
