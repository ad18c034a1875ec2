import datetime
import itertools

import time_machine

from agreements.status import Light, Status
from tests.factories import StatusReportFactory


def test_a_new_obligation_is_not_started(obligation):
    assert obligation.status == Status.NOT_STARTED
    assert obligation.status_changed_at is None


def test_the_current_status_is_the_latest_report(obligation):
    StatusReportFactory(
        obligation=obligation,
        status=Status.ON_TRACK,
        registered_at=datetime.datetime(2017, 2, 1, tzinfo=datetime.UTC),
    )
    StatusReportFactory(
        obligation=obligation,
        status=Status.AT_RISK,
        registered_at=datetime.datetime(2017, 3, 1, tzinfo=datetime.UTC),
    )
    obligation.refresh_from_db()
    assert obligation.status == Status.AT_RISK


def test_the_report_registered_last_is_current_whatever_day_it_holds_from(obligation):
    StatusReportFactory(
        obligation=obligation,
        status=Status.DONE,
        registered_at=datetime.datetime(2017, 4, 1, tzinfo=datetime.UTC),
    )
    StatusReportFactory(
        obligation=obligation,
        status=Status.ON_TRACK,
        registered_at=datetime.datetime(2017, 4, 2, tzinfo=datetime.UTC),
        effective_from=datetime.date(2017, 2, 1),
        effective_reason="Rettelse fra sekretariatet",
    )
    obligation.refresh_from_db()
    assert obligation.status == Status.ON_TRACK


def test_the_time_a_report_is_registered_is_the_servers(obligation):
    when = datetime.datetime(2017, 4, 1, 9, tzinfo=datetime.UTC)
    report = StatusReportFactory(
        obligation=obligation,
        registered_at=when,
        reported_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    report.reported_at = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    report.save()
    report.refresh_from_db()
    assert report.reported_at == when == report.effective_at


def test_deleting_the_latest_report_falls_back_to_the_one_before(obligation):
    StatusReportFactory(
        obligation=obligation,
        status=Status.ON_TRACK,
        registered_at=datetime.datetime(2017, 2, 1, tzinfo=datetime.UTC),
    )
    latest = StatusReportFactory(
        obligation=obligation,
        status=Status.DELAYED,
        registered_at=datetime.datetime(2017, 3, 1, tzinfo=datetime.UTC),
    )
    latest.delete()
    obligation.refresh_from_db()
    assert obligation.status == Status.ON_TRACK


def test_an_obligation_past_its_deadline_is_red_whatever_was_reported(obligation):
    StatusReportFactory(obligation=obligation, status=Status.ON_TRACK)
    obligation.refresh_from_db()
    assert obligation.due_end == datetime.date(2017, 4, 30)
    assert obligation.traffic_light(datetime.date(2017, 4, 30)) == Light.GREEN
    assert obligation.traffic_light(datetime.date(2017, 5, 1)) == Light.RED
    assert obligation.is_overdue(datetime.date(2017, 5, 1))


def test_a_done_obligation_is_never_overdue(obligation):
    StatusReportFactory(obligation=obligation, status=Status.DONE)
    obligation.refresh_from_db()
    assert not obligation.is_overdue(datetime.date(2030, 1, 1))
    assert obligation.traffic_light(datetime.date(2030, 1, 1)) == Light.BLUE


def test_status_changes_are_kept_in_the_history(obligation, region_coordinator):
    with time_machine.travel(datetime.datetime(2017, 2, 1, 9, tzinfo=datetime.UTC)):
        StatusReportFactory(
            obligation=obligation, status=Status.ON_TRACK, author=region_coordinator
        )
    with time_machine.travel(datetime.datetime(2017, 3, 1, 9, tzinfo=datetime.UTC)):
        StatusReportFactory(obligation=obligation, status=Status.DELAYED, author=region_coordinator)
    statuses = obligation.history.order_by("history_id").values_list("status", flat=True)
    assert [status for status, _ in itertools.groupby(statuses)] == [
        Status.NOT_STARTED,
        Status.ON_TRACK,
        Status.DELAYED,
    ]
    assert obligation.status_reports.first().history.count() == 1
