"""The timeline's time axis: ticks for the span and the width, labels that never overlap,
and a year that can always be read."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine

from meetings.charts import (
    LABEL_OFFSET,
    MIN_GRID_GAP,
    MONTHS,
    Tick,
    axis_ticks,
    text_width,
    timeline_svg,
)
from tests.factories import DatedObligationFactory, InitiativeFactory

SVG = "{http://www.w3.org/2000/svg}"
SIZE = 13
AXIS_WIDTH = 470  # the axis of timeline_svg, which the overview and the report draw
D = datetime.date
SPANS = {
    "2 months": (D(2024, 1, 15), D(2024, 3, 15)),
    "2 months from December": (D(2016, 12, 1), D(2017, 2, 1)),
    "1 year": (D(2017, 1, 1), D(2017, 12, 31)),
    "1 year around a meeting": (D(2016, 11, 30), D(2017, 12, 1)),
    "3 years": (D(2021, 5, 10), D(2024, 5, 10)),
    "10 years": (D(2017, 1, 1), D(2027, 2, 1)),
    "40 years": (D(1990, 1, 1), D(2030, 1, 1)),
}
WIDTHS = [120, 300, AXIS_WIDTH, 1000]


def overlaps(labels: list[tuple[float, str, bool]], size: float) -> list[tuple[str, str]]:
    """The neighbours in one row of labels, (x, text, bold), whose estimated extents touch."""
    labels = sorted(labels)
    extents = [(x, x + text_width(text, size, bold=bold), text) for x, text, bold in labels]
    gap = size / 2
    return [
        (left[2], right[2])
        for left, right in itertools.pairwise(extents)
        if right[0] < left[1] + gap
    ]


def rows(ticks: list[Tick]) -> list[list[tuple[float, str, bool]]]:
    labels = [(t.x + LABEL_OFFSET, t.label, False) for t in ticks if t.label]
    years = [(t.x + LABEL_OFFSET, t.year, True) for t in ticks if t.year]
    return [labels, years]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("span", SPANS, ids=str)
def test_no_two_labels_overlap_and_every_label_has_its_year(span, width):
    start, end = SPANS[span]
    ticks = axis_ticks(start, end, width, size=SIZE)
    for row in rows(ticks):
        assert overlaps(row, SIZE) == []
    days = [t.day for t in ticks]
    assert days == sorted(set(days))
    assert all(start <= day <= end for day in days)
    assert all(0 <= t.x <= width for t in ticks)
    labelled = [t for t in ticks if t.label]
    assert labelled, "the axis says when it is"
    assert re.fullmatch(r"\d{4}", labelled[0].year or labelled[0].label)
    shown = None  # the year a reader has last seen, left to right
    for tick in labelled:
        shown = tick.year or (tick.label if tick.label.isdigit() else shown)
        assert shown == str(tick.day.year), f"{tick.label} reads as {shown}"
        assert tick.label in (*MONTHS, str(tick.day.year))
        if tick.label == "jan":
            assert tick.year == str(tick.day.year)


@pytest.mark.parametrize("width", [300, AXIS_WIDTH])
def test_ten_years_get_years_and_half_a_year_gets_months(width):
    decade = [t.day for t in axis_ticks(D(2017, 1, 1), D(2027, 2, 1), width) if t.label]
    assert all((b - a).days >= 365 for a, b in itertools.pairwise(decade))
    assert len(decade) >= 3
    half = [t for t in axis_ticks(D(2024, 1, 1), D(2024, 6, 30), width) if t.label]
    assert [t.label for t in half] == ["jan", "feb", "mar", "apr", "maj", "jun"]
    assert half[0].year == "2024"


def test_a_wide_axis_is_finer_than_a_narrow_one_over_the_same_years():
    def labels(width: float) -> int:
        return sum(1 for t in axis_ticks(D(2021, 1, 1), D(2024, 1, 1), width) if t.label)

    assert labels(120) < labels(AXIS_WIDTH) < labels(2000)


def test_gridlines_between_labels_keep_apart():
    ticks = axis_ticks(D(2017, 1, 1), D(2027, 2, 1), AXIS_WIDTH)
    xs = [t.x for t in ticks]
    assert len(ticks) > len([t for t in ticks if t.label])  # half-years between the years
    assert min(b - a for a, b in itertools.pairwise(xs)) >= MIN_GRID_GAP


def axis_labels(svg: ET.Element) -> dict[float, list[tuple[float, str, bool]]]:
    """The axis's text, row by row (keyed by y): (x, text, bold)."""
    (axis,) = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "axis"]
    found: dict[float, list[tuple[float, str, bool]]] = {}
    for text in axis.iter(f"{SVG}text"):
        assert text.get("font-size") == str(SIZE)
        label = (float(text.get("x")), text.text, text.get("font-weight") == "bold")
        found.setdefault(float(text.get("y")), []).append(label)
    return found


def test_the_drawn_axis_of_a_long_timeline_has_no_overlapping_labels():
    svg = timeline_svg([], D(2017, 1, 1), D(2027, 2, 1), today=D(2025, 6, 1))
    drawn = axis_labels(ET.fromstring(svg))
    words = [text for row in drawn.values() for _, text, _ in row]
    assert [str(year) for year in range(2017, 2028)] == words
    for row in drawn.values():
        assert overlaps(row, SIZE) == []


@pytest.mark.django_db
def test_the_overview_timeline_of_a_long_agreement_has_readable_years(
    client, secretariat_member, agreement, regions
):
    first = InitiativeFactory(agreement=agreement, label="1", title="Patientansvarlige læger")
    second = InitiativeFactory(agreement=agreement, label="2", title="Opfølgning")
    for year in range(2017, 2027):
        DatedObligationFactory(
            agreement=agreement,
            initiative=first if year % 2 else second,
            lead_owner=regions,
            due_start=D(year, 1, 1),
            due_end=D(year, 9, 30),
        )
    client.force_login(secretariat_member)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC), tick=False):
        html = client.get(f"/oversigt/aftaler/{agreement.slug}/tidslinje/").content.decode()
    svgs = [
        ET.fromstring(s) for s in re.findall(r'<svg [^>]*class="chart".*?</svg>', html, re.DOTALL)
    ]
    assert len(svgs) == 2
    for svg in svgs:
        drawn = axis_labels(svg)
        words = [text for row in drawn.values() for _, text, _ in row]
        assert "2017" in words and "2026" in words
        assert not set(words) & set(MONTHS), "ten years are labelled by year"
        for row in drawn.values():
            assert overlaps(row, SIZE) == []
