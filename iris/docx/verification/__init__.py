"""Verification: structural fidelity, round-trip checks, the independent leftover ruler."""
