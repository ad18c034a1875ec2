"""Every time phrase in an agreement is covered by an obligation or deliberately left out.

The fixtures say why a phrase is left out (background, funding, a condition) in a
``left_out`` list of verbatim passages with a reason.
"""

import pytest
import yaml

from agreements.dates import find_time_phrases
from agreements.text import normalize_text
from tests.paths import FIXTURES

AGREEMENTS = FIXTURES / "agreements"


def occurrences(needle: str, haystack: str) -> list[tuple[int, int]]:
    spans, start = [], haystack.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return spans


@pytest.mark.parametrize("path", sorted(AGREEMENTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_time_phrase_is_covered_or_deliberately_left_out(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = normalize_text((AGREEMENTS / data["agreement"]["source_file"]).read_text("utf-8"))
    passages = [o["quote"] for o in data["obligations"]]
    passages += [item["quote"] for item in data.get("left_out") or []]
    covered = [span for quote in passages for span in occurrences(normalize_text(quote), text)]
    found = find_time_phrases(text, year=data["agreement"]["year"])
    missing = [
        f"{f.phrase!r} in …{text[max(0, f.start - 60) : f.end + 30]}…"
        for f in found
        if not any(start <= f.start and f.end <= end for start, end in covered)
    ]
    assert missing == [], "\n".join(missing)
