"""A national selection stays a readable report: capped lists, counts per initiative."""

import datetime

import pytest

from meetings import report as report_module
from meetings.render import render_html
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(agreement, regions, initiative, monkeypatch):
    monkeypatch.setattr(report_module, "DETAIL_LIMIT", 5)
    monkeypatch.setattr(report_module, "LIST_LIMIT", 3)
    return [
        ObligationFactory(
            agreement=agreement, initiative=initiative, lead_owner=regions, phrase="primo 2017"
        )
        for _ in range(8)
    ]


def test_lists_show_the_first_rows_and_say_how_many_more(many, taskforce):
    report = report_module.build_report(datetime.date(2017, 6, 1), taskforce)
    assert len(report.overdue) == 8
    assert len(report.overdue_capped.shown) == 3 and report.overdue_capped.more == 5
    html = render_html(report)
    assert "… og 5 flere" in html


def test_status_per_initiative_becomes_counts(many, taskforce):
    report = report_module.build_report(datetime.date(2017, 6, 1), taskforce)
    assert not report.detailed
    [section] = report.sections
    assert section.initiatives[0].counts == [("Ikke igangsat", 8), ("Overskredet", 8)]
    html = render_html(report)
    assert "viser antal pr. initiativ" in html
    assert "Ikke igangsat: 8 · Overskredet: 8" in html


def test_a_small_selection_lists_every_obligation(agreement, regions, taskforce):
    ObligationFactory(agreement=agreement, lead_owner=regions, action="Én forpligtelse")
    report = report_module.build_report(datetime.date(2017, 6, 1), taskforce)
    assert report.detailed
    assert "viser antal pr. initiativ" not in render_html(report)
