"""A relative obligation gets its window when the obligation it is anchored to is done."""

import datetime

import pytest

from agreements.dates import DEFAULT_RELATIVE_SPAN
from agreements.status import Status
from tests.factories import ObligationFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(agreement, regions):
    return ObligationFactory(
        agreement=agreement,
        key="oplaeg-fremsendes",
        action="Oplægget fremsendes til godkendelse",
        phrase="medio november 2023",
        lead_owner=regions,
    )


@pytest.fixture
def implementation(agreement, regions, submission):
    ob = ObligationFactory(
        agreement=agreement,
        key="model-implementeres",
        action="Modellen implementeres",
        phrase="hurtigst muligt efter oplæggets godkendelse",
        lead_owner=regions,
    )
    ob.anchors.add(submission)
    ob.save()
    return ob


def test_a_relative_obligation_has_no_window_until_its_anchor_is_done(implementation):
    assert implementation.relative_to == "oplæggets godkendelse"
    assert (implementation.due_start, implementation.due_end) == (None, None)


def test_the_window_runs_from_the_day_the_anchor_was_reported_done(submission, implementation):
    StatusReportFactory(
        obligation=submission,
        status=Status.DONE,
        registered_at=datetime.datetime(2023, 12, 4, 10, tzinfo=datetime.UTC),
    )
    implementation.refresh_from_db()
    assert implementation.due_start == datetime.date(2023, 12, 4)
    assert implementation.due_end == datetime.date(2023, 12, 4) + DEFAULT_RELATIVE_SPAN


def test_a_report_that_is_not_done_leaves_the_window_open(submission, implementation):
    StatusReportFactory(obligation=submission, status=Status.ON_TRACK)
    implementation.refresh_from_db()
    assert implementation.due_end is None


def test_a_window_set_by_hand_is_not_replaced_when_the_anchor_is_done(submission, implementation):
    implementation.due_set_manually = True
    implementation.due_end = datetime.date(2024, 6, 30)
    implementation.due_manual_reason = "Aftalt på Taskforcens møde"
    implementation.save()
    StatusReportFactory(obligation=submission, status=Status.DONE)
    implementation.refresh_from_db()
    assert implementation.due_end == datetime.date(2024, 6, 30)
