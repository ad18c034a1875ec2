"""Two contacts of a party open and save their answer pages in any order: every answer a
contact was told was saved is in the record, as they gave it, and nothing is recorded that
no contact gave (an untouched row of an older page is never taken for an answer).

A property of the answer page as two browsers use it (Hypothesis draws the interleaving):
each contact keeps the form their last page gave them, changes one row and saves."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.status import Status
from tests.tracker.rounds.conftest import answer, answer_path, form_fields
from tracker.models import RoundAnswer, StatusReport
from tracker.rounds import links

pytestmark = pytest.mark.django_db

ANSWERS = [
    (Status.ON_TRACK, ""),
    (Status.ON_TRACK, "Planen holder."),
    (Status.AT_RISK, "Mangler folk."),
    (Status.AT_RISK, "Venter på data."),
    ("uaendret", ""),
]
ROWS = ("late", "soon", "shared")

steps = st.lists(
    st.one_of(
        st.tuples(st.just("open"), st.sampled_from((0, 1))),
        st.tuples(
            st.just("save"),
            st.sampled_from((0, 1)),
            st.sampled_from(ROWS),
            st.sampled_from(range(len(ANSWERS))),
        ),
    ),
    min_size=2,
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_interleaved_opens_and_saves_never_lose_a_confirmed_answer(
    client, status_round, world, regions, steps
):
    contacts = [
        regions.contacts.get(email="rikke@regioner.example.org"),
        regions.contacts.get(email="rasmus@regioner.example.org"),
    ]
    tokens = [links.mint(status_round, contact)[1] for contact in contacts]
    with transaction.atomic():
        pages: list[dict | None] = [None, None]
        confirmed = []  # (contact, obligation, answer, text) the contact was told was saved
        for step in steps:
            who = step[1]
            path = answer_path(tokens[who])
            if step[0] == "open" or pages[who] is None:
                pages[who] = form_fields(client.get(path).text)
            if step[0] == "open":
                continue
            _, _, row, choice = step
            obligation = world[row]
            status, text = ANSWERS[choice]
            response = client.post(path, answer(pages[who], obligation, status, text))
            if response.status_code == 302:
                saved = int(response["Location"].rsplit("gemt=", 1)[1])
                assert saved in (0, 1)
                if saved:
                    confirmed.append((contacts[who], obligation, status, text))
                pages[who] = form_fields(client.get(response["Location"]).text)
            else:
                assert response.status_code == 200
                pages[who] = form_fields(response.text)

        answers = list(
            RoundAnswer.objects.filter(item__status_round=status_round)
            .select_related("item", "report")
            .order_by("given_at", "pk")
        )
        # Every answer confirmed to its sender is in the record, as given, in order...
        recorded = [
            (
                a.contact,
                a.item.obligation,
                "uaendret" if a.unchanged else a.status,
                a.report.text if a.report else "",
            )
            for a in answers
        ]
        assert recorded == confirmed
        # ...and the status reports are exactly the status answers, by their contacts.
        reports = StatusReport.objects.filter(status_round=status_round).order_by("pk")
        assert [(r.contact, r.obligation, r.status, r.text) for r in reports] == [
            c for c in confirmed if c[2] != "uaendret"
        ]
        transaction.set_rollback(True)
