"""A claim-and-citation provenance database for fact-checkers; README "How it is built"
lists its modules."""
