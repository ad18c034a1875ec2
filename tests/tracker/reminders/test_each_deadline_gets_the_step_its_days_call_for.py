"""The database works out each obligation's current step; these are the steps the policy
(30, 14 and 3 days before, on the day, weekly on Mondays, escalation from 14 days overdue)
calls for, written out by hand for one Wednesday."""

import datetime

import pytest

from tests.factories import DatedObligationFactory
from tracker.models import Reminder, ReminderPlan
from tracker.reminders import STEP_ESCALATION, plan_reminders, planned_reminders

TODAY = datetime.date(2024, 6, 12)  # a Wednesday; its overdue week began Monday 10 June

EXPECTED = {
    31: None,  # not yet due for any reminder
    30: "before-30",
    15: "before-30",
    14: "before-14",
    4: "before-14",
    3: "before-3",
    1: "before-3",
    0: "due",
    -1: "due",  # Tuesday: overdue since this week began, so "due" still stands
    -2: "due",  # Monday 10 June itself
    -3: "overdue-2024-06-10",
    -13: "overdue-2024-06-10",
    -14: "overdue-2024-06-10",
    -400: "overdue-2024-06-10",
}


@pytest.fixture
def obligations(agreement, regions):
    return {
        days: DatedObligationFactory(
            agreement=agreement,
            lead_owner=regions,
            due_end=TODAY + datetime.timedelta(days=days),
        )
        for days in EXPECTED
    }


def planned_by_obligation():
    planned = {}
    for chunk in planned_reminders(TODAY):
        for obligation_id, recipient, step, _ in chunk.reminders:
            planned.setdefault(obligation_id, set()).add((recipient, step))
    return planned


def test_each_deadline_gets_the_step_its_days_call_for(obligations):
    planned = planned_by_obligation()

    for days, step in EXPECTED.items():
        owner_steps = {
            s for recipient, s in planned.get(obligations[days].pk, set()) if s != STEP_ESCALATION
        }
        assert owner_steps == ({step} if step else set()), days


def test_escalation_starts_14_days_after_the_deadline(obligations):
    planned = planned_by_obligation()

    escalated = {
        days
        for days, obligation in obligations.items()
        if any(step == STEP_ESCALATION for _, step in planned.get(obligation.pk, set()))
    }
    assert escalated == {-14, -400}


def test_what_is_in_the_outbox_is_not_selected_again(obligations):
    assert plan_reminders(TODAY) > 0

    assert planned_by_obligation() == {}


def test_an_escalation_due_a_day_later_is_planned_alone(agreement, regions):
    """13 days overdue: the owners' weekly step now, the escalation tomorrow (same week),
    and the plan remembers both."""
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=TODAY - datetime.timedelta(days=13)
    )
    tomorrow = TODAY + datetime.timedelta(days=1)

    plan_reminders(TODAY)
    steps_before = set(Reminder.objects.values_list("step", flat=True))
    plan_reminders(tomorrow)

    assert steps_before == {"overdue-2024-06-10"}
    assert sorted(Reminder.objects.values_list("step", flat=True).distinct()) == [
        STEP_ESCALATION,
        "overdue-2024-06-10",
    ]
    plan = ReminderPlan.objects.get(obligation=obligation)
    assert (plan.step, plan.deadline, plan.escalated) == (
        "overdue-2024-06-10",
        obligation.due_end,
        obligation.due_end,
    )
    assert [chunk.steps for chunk in planned_reminders(tomorrow)] == []
