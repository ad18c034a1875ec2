"""The finder reads a text made to be slow (no sentence ends, a time-phrase prefix repeated,
one date after another) in time that grows with its length, not its square: a few hundred
KB of text must not block the reader page for minutes. The figures are in the benchmark;
here the bound is generous, for work that is linear."""

import itertools
import signal
from contextlib import contextmanager

import pytest

from agreements.candidates import MAX_CLAUSE_CHARS, find_candidates
from agreements.text import normalize_text

PARTIES = [{"name": "Regionerne", "aliases": [], "short_name": "Regionerne"}]
HOSTILE = ["i ", "1. januar 2025 ", "Rapport primo 2025. ", "pr. ", "1., "]


@contextmanager
def at_most(seconds: int):
    """Fails the test when the block runs over: a hang is not a pass."""

    def stop(signum, frame):
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("piece", HOSTILE)
def test_a_hostile_text_of_200k_characters_is_read_within_a_generous_bound(piece):
    text = (piece * (200_000 // len(piece) + 1))[:200_000]
    with at_most(60):
        candidates = find_candidates(text, 2025, PARTIES)
    assert all(len(c.quote) <= MAX_CLAUSE_CHARS for c in candidates)


def test_a_text_without_sentence_ends_is_cut_into_clauses_of_bounded_length():
    text = "Regionerne skal 1. januar 2025 " * 2_000
    candidates = find_candidates(text, 2025, PARTIES)
    assert len(candidates) == 2_000
    assert {c.phrase for c in candidates} == {"1. januar 2025"}
    assert max(len(c.quote) for c in candidates) <= MAX_CLAUSE_CHARS
    # Every cut clause stands verbatim in the text, and they follow one another.
    normalized = normalize_text(text)
    assert all(c.quote == normalized[c.span[0] : c.span[1]] for c in candidates)
    spans = sorted({c.span for c in candidates})
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
