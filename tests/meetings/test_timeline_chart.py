"""The SVG charts: readable in black and white, and usable with plain obligations."""

import datetime
import xml.etree.ElementTree as ET

from agreements.status import Light, Status
from meetings import charts
from meetings.charts import Bar, bar_chart_svg, timeline_svg
from tests.factories import DatedObligationFactory

SVG = "{http://www.w3.org/2000/svg}"
JUNE = datetime.date(2017, 6, 1)


def texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_timeline_draws_any_obligation_with_its_status_in_words(agreement, regions):
    late = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Hvidbog om patientansvarlig læge",
        due_start=datetime.date(2017, 1, 1),
        due_end=datetime.date(2017, 3, 31),
    )
    done = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Oplæg <til> Taskforcen & co",
        due_end=datetime.date(2017, 5, 1),
        status=Status.DONE,
    )
    svg = timeline_svg(
        [late, done],
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
        today=JUNE,
        marker_label="Mødet 01.06.2017",
    )
    words = texts(svg)  # parses: the text is escaped
    assert "Hvidbog om patientansvarlig læge" in words
    assert "Oplæg <til> Taskforcen & co" in words
    assert "Overskredet" in words
    assert "Færdiggjort" in words
    assert "Mødet 01.06.2017" in words
    assert ["jan", "feb", "mar"] == [w for w in words if w in ("jan", "feb", "mar")]


def test_each_light_has_its_own_shape_and_fill_so_colour_is_never_alone():
    def shape(light: Light) -> tuple:
        svg = f'<svg xmlns="http://www.w3.org/2000/svg">{charts._marker(light, 10, 10)}</svg>'
        marker = ET.fromstring(svg)[0]
        return marker.tag, len((marker.get("points") or "").split()), marker.get("fill") == "#fff"

    assert len({shape(light) for light in Light}) == len(Light)
    chart = ET.fromstring(bar_chart_svg([Bar(light.label, 3, light) for light in Light]))
    fills = [el.get("fill") for el in chart.iter(f"{SVG}rect") if el.get("height") == "22"]
    assert len(set(fills)) == len(Light)
    patterns = {f"url(#{p.get('id')})" for p in chart.iter(f"{SVG}pattern")}
    # Every light but blue (solid) is drawn with a pattern of its own.
    assert len(patterns & set(fills)) == len(Light) - 1


def test_a_timeline_without_milestones_says_so():
    svg = timeline_svg([], JUNE, datetime.date(2017, 12, 31), today=JUNE)
    assert "Ingen milepæle i perioden." in texts(svg)
