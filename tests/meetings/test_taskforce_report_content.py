"""What goes into the Taskforce report: its period, its lists and its filters."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.status import Status
from meetings.report import build_report, find_filters
from tests.factories import (
    DatedObligationFactory,
    MeetingFactory,
    PartyFactory,
    StatusReportFactory,
)
from tests.meeting_scenario import MEETING_DAY, NEXT_DAY, PREVIOUS_DAY, at, report


def actions(rows) -> list[str]:
    return [row.action for row in rows]


def test_the_period_runs_from_the_previous_meeting_to_this_one(scenario):
    period = build_report(scenario.meeting).period
    assert (period.since, period.until) == (PREVIOUS_DAY, MEETING_DAY)
    assert period.previous == scenario.previous
    assert period.next == scenario.next
    assert period.horizon == NEXT_DAY - datetime.timedelta(days=1)


def test_the_first_meeting_looks_back_90_days_and_ahead_90_days_without_a_next(taskforce):
    meeting = MeetingFactory(forum=taskforce, date=datetime.date(2017, 6, 1))
    period = build_report(meeting).period
    assert period.is_first_meeting
    assert period.since == datetime.date(2017, 3, 3)
    assert period.horizon == datetime.date(2017, 8, 30)


def test_a_date_without_a_meeting_is_reported_as_if_the_forum_met_then(scenario):
    preview = build_report(datetime.date(2017, 7, 1))
    assert preview.is_preview
    assert preview.forum.slug == "taskforce"
    assert preview.period.since == MEETING_DAY
    assert not build_report(scenario.meeting).is_preview


def test_overdue_is_counted_at_the_meeting_day_oldest_first(scenario):
    built = build_report(scenario.meeting)
    assert actions(built.overdue) == [
        "Kommunal plan for rehabilitering",
        "Hvidbog om patientansvarlig læge",
    ]
    white_paper = built.overdue[1]
    assert white_paper.owners == ["Danske Regioner"]
    assert white_paper.latest_text == "Hvidbogen afventer høring i regionerne."
    assert built.overdue_count == 2


def test_the_status_is_the_one_reported_by_the_meeting_day(scenario, region_coordinator):
    report(
        scenario.overdue, Status.DONE, "Hvidbogen er udgivet.", at(2017, 6, 2), region_coordinator
    )
    built = build_report(scenario.meeting)
    assert "Hvidbog om patientansvarlig læge" in actions(built.overdue)
    assert built.overdue[1].status == Status.DELAYED
    later = build_report(datetime.date(2017, 6, 2))
    assert "Hvidbog om patientansvarlig læge" not in actions(later.overdue)


def test_due_soon_lists_open_obligations_due_before_the_next_meeting(scenario):
    built = build_report(scenario.meeting)
    assert actions(built.due_soon) == ["Oplæg om hurtigere udredning"]
    scenario.next.delete()
    # With no next meeting, 90 days ahead: to 30 August, so not the one due 31 August.
    assert build_report(scenario.meeting).due_soon == []
    MeetingFactory(forum=scenario.meeting.forum, date=datetime.date(2017, 10, 1))
    assert actions(build_report(scenario.meeting).due_soon) == ["Oplæg om hurtigere udredning"]


def test_items_for_information_are_the_forums_own_due_in_the_period(scenario):
    built = build_report(scenario.meeting)
    assert actions(built.for_information) == [
        "Status på behandling i hjemmet præsenteres i Taskforcen"
    ]
    assert built.for_information[0].status == Status.DONE


def test_the_changes_come_from_the_history_with_old_and_new_values(scenario):
    changes = build_report(scenario.meeting).changes
    summary = [(c.at.date(), c.obligation.action, c.what, c.old, c.new, c.who) for c in changes]
    assert summary == [
        (
            datetime.date(2017, 4, 10),
            "Hvidbog om patientansvarlig læge",
            "Status ændret",
            "Igangsat (efter tidsplanen)",
            "Forsinket",
            "Rikke Region",
        ),
        (
            datetime.date(2017, 4, 10),
            "Hvidbog om patientansvarlig læge",
            "Ny statusrapport",
            "",
            "Forsinket (10.04.2017): Hvidbogen afventer høring i regionerne.",
            "Rikke Region",
        ),
        (
            datetime.date(2017, 5, 15),
            "Evaluering af pakkeforløbene",
            "Frist flyttet",
            "01.10.2017 – 31.12.2017",
            "01.01.2018 – 31.03.2018",
            "Rikke Region",
        ),
        (
            datetime.date(2017, 5, 20),
            "Status på behandling i hjemmet præsenteres i Taskforcen",
            "Status ændret",
            "Ikke igangsat",
            "Færdiggjort",
            "Rikke Region",
        ),
        (
            datetime.date(2017, 5, 20),
            "Status på behandling i hjemmet præsenteres i Taskforcen",
            "Ny statusrapport",
            "",
            "Færdiggjort (20.05.2017): Præsenteret på Taskforcens møde.",
            "Rikke Region",
        ),
    ]


def test_corrected_and_deleted_reports_and_new_owners_are_changes_too(
    scenario, kl, region_coordinator
):
    written = scenario.overdue.status_reports.get(text="Hvidbogen afventer høring i regionerne.")
    with time_machine.travel(at(2017, 5, 2), tick=False):
        written._history_user = region_coordinator
        written.text = "Hvidbogen er i høring til 1. juli."
        written.save()
    with time_machine.travel(at(2017, 5, 3), tick=False):
        scenario.later.lead_owner = kl
        scenario.later.save()
    with time_machine.travel(at(2017, 5, 4), tick=False):
        scenario.informs.status_reports.get().delete()
    changes = {c.what: c for c in build_report(scenario.meeting).changes}
    corrected = changes["Statusrapport rettet"]
    assert corrected.old.endswith("Hvidbogen afventer høring i regionerne.")
    assert corrected.new.endswith("Hvidbogen er i høring til 1. juli.")
    assert (changes["Ansvarlig ændret"].old, changes["Ansvarlig ændret"].new) == (
        "Danske Regioner",
        "KL",
    )
    assert changes["Statusrapport slettet"].who == "systemet"


def test_changes_after_the_meeting_day_wait_for_the_next_report(scenario, region_coordinator):
    report(
        scenario.due_soon, Status.ON_TRACK, "Godt i gang.", at(2017, 6, 2, 9), region_coordinator
    )
    assert "Oplæg om hurtigere udredning" not in [
        c.obligation.action for c in build_report(scenario.meeting).changes
    ]
    assert "Oplæg om hurtigere udredning" in [
        c.obligation.action for c in build_report(scenario.next).changes
    ]


def test_the_filters_take_agreements_and_lead_or_co_owners(scenario, regions, kl):
    agreements, owners = find_filters([scenario.other_agreement.slug], [])
    assert actions(build_report(scenario.meeting, agreements=agreements).overdue) == [
        "Kommunal plan for rehabilitering"
    ]
    _, owners = find_filters([], ["kl"])
    only_kl = build_report(scenario.meeting, owners=owners)
    assert {row.action for s in only_kl.sections for i in s.initiatives for row in i.rows} == {
        "Oplæg om hurtigere udredning",
        "Kommunal plan for rehabilitering",
    }
    scenario.overdue.co_owners.add(kl)
    scenario.overdue.co_owners.add(PartyFactory(slug="sundhedsstyrelsen"))
    _, owners = find_filters([], ["kl", "sundhedsstyrelsen"])
    both = build_report(scenario.meeting, owners=owners)
    assert actions(both.overdue) == [
        "Kommunal plan for rehabilitering",
        "Hvidbog om patientansvarlig læge",
    ]
    assert both.total == 3


def test_counts_per_status_and_agreement_add_up(scenario):
    built = build_report(scenario.meeting)
    by_status = {c.status: c.count for c in built.status_counts}
    assert by_status[Status.NOT_STARTED] == 4
    assert by_status[Status.DELAYED] == 1
    assert by_status[Status.DONE] == 1
    assert sum(by_status.values()) == built.total == 6
    per_agreement = {c.agreement: (c.total, c.overdue) for c in built.agreement_counts}
    assert per_agreement == {"Kræftplan IV": (5, 1), "Rehabilitering": (1, 1)}


def test_the_report_takes_a_constant_number_of_queries(scenario, agreement, regions, kl):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            build_report(scenario.meeting)
        return len(queries.captured_queries)

    few = count_queries()
    for i in range(25):
        ob = DatedObligationFactory(
            agreement=agreement, lead_owner=regions, due_end=datetime.date(2017, 4, 1)
        )
        ob.co_owners.add(kl)
        ob.forums.add(scenario.meeting.forum)
        with time_machine.travel(at(2017, 5, 1), tick=False):
            StatusReportFactory(obligation=ob, status=Status.AT_RISK, text=f"rapport {i}")
    assert count_queries() == few
