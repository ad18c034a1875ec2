"""The labelled corpus of Danish public-sector texts is well formed (no database needed).

Every text in tests/corpus/ has a label file next to it; every label file has the fields the
README describes; every quote is found in its text; every window runs forwards; the corpus is
big enough and keeps at least a third of its texts out of tuning.
"""

import datetime
import html
import re
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent
LABELS = sorted(CORPUS.glob("*.yaml"))
TEXT_SUFFIXES = (".txt", ".html")

FIELDS = {"title", "source", "published", "retrieved", "kind", "area", "year", "held_out"}
KINDS = {
    "press-release",
    "timeline",
    "summary",
    "economic-agreement",
    "action-plan",
    "strategy",
    "other",
}
AREAS = {"health", "employment", "education", "integration", "climate", "digital", "other"}
OBLIGATION_FIELDS = {"quote", "phrase", "start", "end", "actors", "kind"}
OBLIGATION_KINDS = {"deliverable", "start", "report", "decision", "target", "event"}


def load(label: Path) -> dict:
    return yaml.safe_load(label.read_text(encoding="utf-8"))


def text_of(label: Path) -> Path:
    found = [label.with_suffix(s) for s in TEXT_SUFFIXES if label.with_suffix(s).exists()]
    assert len(found) == 1, f"{label.name}: expected one text next to it, found {found}"
    return found[0]


def words(text: str) -> list[str]:
    return text.split()


def visible_text(markup: str) -> str:
    """The page's visible text: scripts and styles dropped, tags stripped, entities read."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?s)<!--.*?-->", " ", markup)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup))


def occurs_in_order(quote: list[str], text: list[str]) -> bool:
    remaining = iter(text)
    return all(any(word == t for t in remaining) for word in quote)


def test_the_corpus_has_enough_texts_and_keeps_a_third_out_of_tuning():
    labels = [load(label) for label in LABELS]
    assert len(labels) >= 12
    held_out = [data for data in labels if data["held_out"] is True]
    assert 3 * len(held_out) >= len(labels), f"{len(held_out)} of {len(labels)} held out"


def test_every_text_has_a_label_file():
    texts = [p for p in CORPUS.iterdir() if p.suffix in TEXT_SUFFIXES]
    assert texts
    for text in texts:
        assert text.with_suffix(".yaml").exists(), f"{text.name} has no label file"


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_a_label_file_has_every_field(label):
    data = load(label)
    assert FIELDS | {"obligations"} <= set(data), (FIELDS | {"obligations"}) - set(data)
    assert isinstance(data["title"], str) and data["title"].strip()
    assert re.match(r"https://[^\s/]+\.[^\s/]+", data["source"]), data["source"]
    assert data["published"] is None or isinstance(data["published"], datetime.date)
    assert isinstance(data["retrieved"], datetime.date)
    assert data["kind"] in KINDS, data["kind"]
    assert data["area"] in AREAS, data["area"]
    assert isinstance(data["year"], int) and 1900 <= data["year"] <= 2100
    assert isinstance(data["held_out"], bool)
    assert isinstance(data["obligations"], list) and data["obligations"]
    for ob in data["obligations"]:
        assert set(ob) == OBLIGATION_FIELDS, set(ob) ^ OBLIGATION_FIELDS
        assert isinstance(ob["quote"], str) and ob["quote"].strip()
        assert isinstance(ob["phrase"], str) and ob["phrase"].strip()
        assert ob["kind"] in OBLIGATION_KINDS, ob["kind"]
        assert isinstance(ob["actors"], list)
        assert all(isinstance(a, str) and a.strip() for a in ob["actors"])


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_every_window_runs_forwards(label):
    for ob in load(label)["obligations"]:
        start, end = ob["start"], ob["end"]
        assert start is None or isinstance(start, datetime.date), ob
        assert end is None or isinstance(end, datetime.date), ob
        if start is not None and end is not None:
            assert start <= end, f"{ob['phrase']}: {start} is after {end}"


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_every_quote_is_found_in_its_text(label):
    source = text_of(label)
    raw = source.read_text(encoding="utf-8")
    if source.suffix == ".html":
        text = words(visible_text(raw))
        missing = [
            ob["quote"]
            for ob in load(label)["obligations"]
            if not occurs_in_order(words(html.unescape(ob["quote"])), text)
        ]
    else:
        text = " ".join(words(raw))
        missing = [
            ob["quote"]
            for ob in load(label)["obligations"]
            if " ".join(words(ob["quote"])) not in text
        ]
    assert not missing, f"{source.name}: not found: {missing}"
