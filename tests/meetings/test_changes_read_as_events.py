"""The report's changes since the last meeting read as what happened: an agreement loaded
is one line, not a page per obligation, and a national selection counts its changes per
agreement."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from agreements.status import Status
from meetings import report as report_module
from meetings.render import render_html
from meetings.word import render_docx
from tests.factories import AgreementFactory, ObligationFactory, StatusReportFactory
from tests.meetings.test_the_report_in_word import read, rows_text, table_after

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2017, 6, 1)  # the forum's first meeting: it looks back 90 days


def at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2017, 5, day, hour))


def create(count: int, agreement, when: datetime.datetime, **fields) -> list:
    with time_machine.travel(when, tick=False):
        return [ObligationFactory(agreement=agreement, **fields) for _ in range(count)]


def changes_section(html: str) -> str:
    return html[html.index('id="aendringer"') : html.index('id="orientering"')]


def test_obligations_created_together_are_one_line_with_their_count_and_deadlines(
    agreement, regions, taskforce
):
    batch = create(5, agreement, at(10), lead_owner=regions, phrase="medio 2017")
    create(1, agreement, at(10, 14), lead_owner=regions, phrase="ultimo 2018")
    create(1, agreement, at(12), lead_owner=regions, action="Plan for opfølgning")
    report = report_module.build_report(MEETING, taskforce)

    assert len(report.changes) == 7  # each is still a change, and counted as one
    lines = report.changes_capped.shown
    assert [(line.subject, line.what) for line in lines] == [
        ("6 nye forpligtelser", "Forpligtelser oprettet"),
        ("Plan for opfølgning", "Forpligtelse oprettet"),
    ]
    # The day's six span the deadlines of medio 2017 and ultimo 2018.
    assert lines[0].new == "Frister: 01.05.2017 – 31.12.2018"
    assert (lines[0].agreement, lines[0].who) == (str(agreement), "systemet")
    assert lines[0].at == at(10)

    html = changes_section(render_html(report))
    assert "6 nye forpligtelser" in html
    assert "Plan for opfølgning" in html
    assert batch[0].action not in html

    word = read(render_docx(report))
    _, *body = rows_text(table_after(word, "4. Ændringer siden sidste møde"))
    assert [row[1] for row in body] == [
        f"6 nye forpligtelser\n{agreement}",
        f"Plan for opfølgning\n{agreement}",
    ]


def test_a_few_created_the_same_day_are_each_listed(agreement, regions, taskforce):
    few = create(report_module.BATCH_LISTED, agreement, at(10), lead_owner=regions)
    report = report_module.build_report(MEETING, taskforce)
    assert [line.subject for line in report.changes_capped.shown] == [o.action for o in few]


def test_batches_are_one_agreement_and_one_day_each(agreement, regions, taskforce):
    other = AgreementFactory(title="Anden aftale", year=2017)
    create(4, agreement, at(10), lead_owner=regions)
    create(4, other, at(10), lead_owner=regions)
    create(4, agreement, at(11), lead_owner=regions)
    report = report_module.build_report(MEETING, taskforce)
    lines = [(line.at.date(), line.agreement, line.subject) for line in report.changes_capped.shown]
    assert sorted(lines) == [
        (datetime.date(2017, 5, 10), str(other), "4 nye forpligtelser"),
        (datetime.date(2017, 5, 10), str(agreement), "4 nye forpligtelser"),
        (datetime.date(2017, 5, 11), str(agreement), "4 nye forpligtelser"),
    ]


def test_past_the_detail_limit_the_changes_are_counted_per_agreement(
    agreement, regions, taskforce, monkeypatch
):
    monkeypatch.setattr(report_module, "DETAIL_LIMIT", 5)
    other = AgreementFactory(title="Anden aftale", year=2017)
    mine = create(6, agreement, at(2), lead_owner=regions, phrase="medio 2017")
    create(2, other, at(2), lead_owner=regions, phrase="medio 2017")
    for obligation in mine[:3]:
        with time_machine.travel(at(3), tick=False):
            StatusReportFactory(obligation=obligation, status=Status.ON_TRACK)
    with time_machine.travel(at(4), tick=False):
        moved = mine[0]
        moved.phrase = "ultimo 2017"
        moved.save()
    report = report_module.build_report(MEETING, taskforce)

    assert not report.detailed
    # Each status report set its obligation's status: three status changes.
    assert report.change_kinds == [
        "Nye forpligtelser",
        "Status ændret",
        "Frist flyttet",
        "Nye statusrapporter",
    ]
    assert [(c.agreement, c.counts) for c in report.change_counts] == [
        (str(other), [2, 0, 0, 0]),
        (str(agreement), [6, 3, 1, 3]),
    ]
    # The list keeps what a reader looks for one by one: the new statuses, the moved deadline.
    assert [(line.subject, line.what) for line in report.changes_capped.shown] == [
        *[(o.action, "Status ændret") for o in sorted(mine[:3], key=lambda o: o.action)],
        (moved.action, "Frist flyttet"),
    ]

    html = changes_section(render_html(report))
    assert "som antal pr. aftale" in html
    assert '<th scope="col" class="num">Nye statusrapporter</th>' in html
    word = read(render_docx(report))
    _, *counts = rows_text(table_after(word, "4. Ændringer siden sidste møde"))
    assert counts == [
        [str(other), "2", "0", "0", "0"],
        [str(agreement), "6", "3", "1", "3"],
    ]
