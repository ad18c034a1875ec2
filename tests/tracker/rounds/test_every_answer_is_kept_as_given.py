"""Every answer in a status round is kept as given: two contacts never overwrite each other,
each answer is credited to its own contact, "uændret" changes nothing but confirms, and a
confirmed closing is reopened only by the secretariat's review.

The contacts answer through their personal links, with the forms their pages gave them
(hidden versions included), as two browsers would."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements import publishing
from agreements.models import Agreement, Obligation
from agreements.status import Status
from meetings.report import build_report
from overview.dashboard import AWAITING, dashboard
from publication.published import obligation_list, published_obligations
from tests.admin_forms import change_url, obligation_post
from tests.tracker.rounds.conftest import answer, answer_path, form_fields
from tracker import completion
from tracker.models import Reminder, RoundAnswer, RoundItem, StatusReport
from tracker.reminders.planning import plan_reminders
from tracker.rounds import links

pytestmark = pytest.mark.django_db


@pytest.fixture
def karl_token(status_round, karl):
    return links.mint(status_round, karl)[1]


def open_page(client, token) -> dict[str, str]:
    response = client.get(answer_path(token))
    assert response.status_code == 200
    return form_fields(response.text)


def save(client, token, fields):
    return client.post(answer_path(token), fields)


def test_a_colleagues_answer_is_not_overwritten_by_an_older_tab(
    client, status_round, rikke, karl, rikke_token, karl_token, world
):
    shared, soon = world["shared"], world["soon"]
    # Rikke (Danske Regioner) opens her page and keeps the tab.
    rikkes_tab = open_page(client, rikke_token)
    # Karl (KL) answers the obligation both parties own.
    karls = answer(open_page(client, karl_token), shared, Status.DELAYED, "Venter på data.")
    assert save(client, karl_token, karls).status_code == 302
    # Rikke saves her old tab, having changed only another row.
    response = save(client, rikke_token, answer(rikkes_tab, soon, Status.ON_TRACK, "I gang."))
    assert response.status_code == 302 and "gemt=1" in response["Location"]

    shared.refresh_from_db()
    assert shared.status == Status.DELAYED
    karls_report = StatusReport.objects.get(obligation=shared)
    assert (karls_report.contact, karls_report.text) == (karl, "Venter på data.")
    # Each answer is its own report, by its own contact, never rewritten.
    assert StatusReport.objects.get(obligation=soon).contact == rikke
    assert karls_report.history.count() == 1
    item = RoundItem.objects.get(status_round=status_round, obligation=shared)
    assert (item.answered_by, item.report, item.version) == (karl, karls_report, 1)


def test_a_row_changed_in_an_older_tab_shows_the_newer_answer_and_keeps_the_rest(
    client, status_round, rikke, karl, rikke_token, karl_token, world
):
    shared, soon = world["shared"], world["soon"]
    rikkes_tab = open_page(client, rikke_token)
    save(client, karl_token, answer(open_page(client, karl_token), shared, Status.DELAYED, "Data."))
    stale = answer(rikkes_tab, shared, Status.ON_TRACK, "Vi er i gang, siger vi.")
    stale = answer(stale, soon, Status.AT_RISK, "Mangler folk.")
    response = save(client, rikke_token, stale)

    assert response.status_code == 200
    page = response.text
    assert "Intet er gemt." in page
    assert "Der er kommet et nyt svar, mens du havde siden åben" in page
    assert "af Karl Kommune (KL)" in page
    # What she typed stands on the page: the other row in its fields, her overtaken
    # answer beside Karl's.
    assert "Mangler folk." in page and "Vi er i gang, siger vi." in page
    assert StatusReport.objects.filter(contact=rikke).count() == 0
    shared.refresh_from_db()
    assert shared.status == Status.DELAYED

    # Saved again from the page she was given, what she meant is saved, Karl's answer
    # stays in the record beside hers.
    again = form_fields(page)
    assert again[f"o-{shared.pk}-answer"] == Status.DELAYED
    response = save(client, rikke_token, again)
    assert response.status_code == 302 and "gemt=1" in response["Location"]
    assert StatusReport.objects.get(contact=rikke).obligation == soon
    again = answer(form_fields(client.get(answer_path(rikke_token)).text), shared, Status.ON_TRACK)
    assert save(client, rikke_token, again).status_code == 302
    assert [r.contact for r in StatusReport.objects.filter(obligation=shared).order_by("pk")] == [
        karl,
        rikke,
    ]


def test_a_post_without_versions_cannot_save_over_an_answer(
    client, status_round, rikke_token, karl_token, world
):
    shared = world["shared"]
    save(client, karl_token, answer(open_page(client, karl_token), shared, Status.DELAYED, "Data."))
    fields = {f"o-{shared.pk}-answer": Status.ON_TRACK, f"o-{shared.pk}-text": ""}
    response = save(client, rikke_token, fields)
    assert response.status_code == 200 and "Der er kommet et nyt svar" in response.text
    shared.refresh_from_db()
    assert shared.status == Status.DELAYED


def test_the_report_credits_each_answer_to_its_contact(
    client, status_round, taskforce, meeting_date, rikke_token, karl_token, world
):
    shared, soon = world["shared"], world["soon"]
    save(client, karl_token, answer(open_page(client, karl_token), shared, Status.DELAYED, "Data."))
    save(client, rikke_token, answer(open_page(client, rikke_token), soon, Status.ON_TRACK, "Ok."))
    report = build_report(meeting_date, forum=taskforce)
    authors = {c.subject: c.who for c in report.changes if c.what == "Ny statusrapport"}
    assert authors == {
        shared.action: "Karl Kommune (KL)",
        soon.action: "Rikke Region (Danske Regioner)",
    }


@pytest.fixture
def public_report(world, secretariat_member):
    """The secretariat's public report on the late obligation, dated back, with a link."""
    late = world["late"]
    publishing.publish(Agreement.objects.filter(pk=late.agreement_id), secretariat_member)
    report = StatusReport(
        obligation=late,
        status=Status.DELAYED,
        text="Hvidbogen afventer høring.",
        evidence_url="https://example.org/hoering.pdf",
        effective_from=timezone.localdate() - datetime.timedelta(days=20),
        effective_reason="Kendt fra mødet.",
        public=True,
    )
    return completion.write_report(report, secretariat_member)


def public_row(obligation) -> dict:
    [row] = [
        r.as_row()
        for r in obligation_list(published_obligations(obligation.agreement))
        if r.pk == obligation.pk
    ]
    return row


def test_unchanged_moves_no_date_and_drops_no_text_or_evidence(
    client,
    status_round,
    taskforce,
    meeting_date,
    rikke,
    rikke_token,
    world,
    public_report,
    secretariat_member,
):
    late = world["late"]
    before = public_row(late)
    assert before["status_beskrivelse"] == "Hvidbogen afventer høring."
    later = timezone.now() + datetime.timedelta(days=3)
    with time_machine.travel(later):
        fields = answer(open_page(client, rikke_token), late, "uaendret")
        assert save(client, rikke_token, fields).status_code == 302
        assert public_row(late) == before
        data = json.loads(client.get(reverse("publication:data-json")).content)
        [row] = [r for r in data if r["noegle"] == late.key]
        assert row["status_dato"] == before["status_dato"]
        assert row["dokumentation"] == "https://example.org/hoering.pdf"

        report = build_report(meeting_date, forum=taskforce)
    [row] = [r for r in report.sections_rows() if r.pk == late.pk]
    assert row.latest_text == "Hvidbogen afventer høring."
    assert row.round_text.startswith("uændret, bekræftet ")
    assert row.round_text.endswith("af Rikke Region (Danske Regioner)")
    assert not [c for c in report.changes if "(ingen tekst)" in c.new]
    reports = [c for c in report.changes if c.what == "Ny statusrapport"]
    assert reports and all(c.who != "systemet" for c in reports)
    assert RoundAnswer.objects.get(contact=rikke).unchanged
    # The round's page for the secretariat says the same.
    client.force_login(secretariat_member)
    progress = client.get(reverse("admin:tracker_statusround_change", args=[status_round.pk]))
    assert "uændret, bekræftet " in progress.text and "af Rikke Region" in progress.text


@pytest.fixture
def confirmed_done(client, status_round, rikke_token, world, secretariat_member):
    soon = world["soon"]
    save(client, rikke_token, answer(open_page(client, rikke_token), soon, Status.DONE, "Sendt."))
    completion.confirm(StatusReport.objects.get(obligation=soon), secretariat_member)
    soon.refresh_from_db()
    assert (soon.status, soon.closure_confirmed) == (Status.DONE, True)
    return soon


def stays_closed_everywhere(obligation, user, meeting_date, taskforce) -> None:
    """Closed on the front page, in the report, on the public pages and for the reminders,
    with its deadline today (where an open one would be listed and reminded)."""
    Obligation.objects.filter(pk=obligation.pk).update(due_end=timezone.localdate())
    obligation.refresh_from_db()
    assert (obligation.status, obligation.closure_confirmed) == (Status.DONE, True)
    listed = [
        o.pk
        for group in dashboard(user)["listed"]
        for listing in group.listings
        if listing.kind != AWAITING
        for o in listing.obligations.shown
    ]
    assert obligation.pk not in listed
    [row] = [r for r in build_report(meeting_date, forum=taskforce).sections_rows()
             if r.pk == obligation.pk]  # fmt: skip
    assert row.status == Status.DONE and row.confirmed
    publishing.publish(Agreement.objects.filter(pk=obligation.agreement_id), user)
    assert public_row(obligation)["status"] == Status.DONE
    plan_reminders(timezone.localdate())
    owners_reminders = Reminder.objects.filter(obligation=obligation).exclude(
        step__startswith="round-"
    )
    assert not owners_reminders.exists()


def test_a_contacts_answer_does_not_undo_a_confirmed_closing(
    client, confirmed_done, rikke_token, secretariat_member, meeting_date, taskforce
):
    soon = confirmed_done
    fields = answer(open_page(client, rikke_token), soon, Status.ON_TRACK, "Genoptaget.")
    assert save(client, rikke_token, fields).status_code == 302
    reopening = soon.newest_report()
    assert reopening.reopening and reopening.status == Status.ON_TRACK
    assert list(completion.awaiting_review()) == [reopening]
    stays_closed_everywhere(soon, secretariat_member, meeting_date, taskforce)

    # Sent back, the closing stands; confirmed, the obligation is open again.
    completion.send_back(reopening, secretariat_member, "Den er færdig.")
    soon.refresh_from_db()
    assert (soon.status, soon.closure_confirmed) == (Status.DONE, True)
    fields = answer(open_page(client, rikke_token), soon, Status.AT_RISK, "Nyt problem.")
    save(client, rikke_token, fields)
    second = soon.newest_report()
    completion.confirm(second, secretariat_member)
    soon.refresh_from_db()
    assert (soon.status, soon.closure_confirmed) == (Status.AT_RISK, False)


def test_a_coordinators_report_in_the_admin_does_not_undo_a_confirmed_closing(
    client, confirmed_done, region_coordinator, secretariat_member, meeting_date, taskforce
):
    soon = confirmed_done
    client.force_login(region_coordinator)
    data = obligation_post(soon, reports=[{"status": Status.ON_TRACK, "text": "Genoptaget."}])
    assert client.post(change_url(soon), data).status_code == 302
    reopening = soon.newest_report()
    assert reopening.reopening and reopening.author == region_coordinator
    assert "Genåbning anmeldt" in client.get(change_url(soon)).text
    stays_closed_everywhere(soon, secretariat_member, meeting_date, taskforce)
