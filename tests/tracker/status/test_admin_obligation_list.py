import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Obligation
from agreements.status import Status
from tests.admin_forms import change_url, obligation_post
from tests.factories import ObligationFactory, PartyFactory, StatusReportFactory

LIST_URL = reverse("admin:agreements_obligation_changelist")
TODAY = datetime.datetime(2017, 6, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture
def admin_client_at_today(client, superuser):
    client.force_login(superuser)
    with time_machine.travel(TODAY, tick=False):
        yield client


def make_obligations(agreement, owner, n):
    for i in range(n):
        ob = ObligationFactory(agreement=agreement, lead_owner=owner, phrase="primo 2017")
        ob.co_owners.add(PartyFactory())
        StatusReportFactory(obligation=ob, status=Status.ON_TRACK, text=f"rapport {i}")


def count_list_queries(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST_URL + query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_does_a_constant_number_of_queries(admin_client_at_today, agreement, regions):
    make_obligations(agreement, regions, 3)
    few = count_list_queries(admin_client_at_today)
    make_obligations(agreement, regions, 30)
    many = count_list_queries(admin_client_at_today)
    assert few == many
    assert count_list_queries(admin_client_at_today, "?frist=overskredet") == many


def test_the_overdue_filter_shows_only_open_obligations_past_their_deadline(
    admin_client_at_today, agreement, regions
):
    late = ObligationFactory(
        agreement=agreement, lead_owner=regions, action="Forsinket oplæg", phrase="primo 2017"
    )
    done = ObligationFactory(
        agreement=agreement, lead_owner=regions, action="Færdigt oplæg", phrase="primo 2017"
    )
    StatusReportFactory(obligation=done, status=Status.DONE)
    ObligationFactory(
        agreement=agreement, lead_owner=regions, action="Senere oplæg", phrase="ultimo 2017"
    )
    response = admin_client_at_today.get(LIST_URL + "?frist=overskredet")
    assert list(response.context["cl"].result_list) == [late]


def test_the_due_soon_and_undated_filters(admin_client_at_today, agreement, regions):
    soon = ObligationFactory(agreement=agreement, lead_owner=regions, phrase="primo juli 2017")
    later = ObligationFactory(agreement=agreement, lead_owner=regions, phrase="august 2017")
    undated = ObligationFactory(
        agreement=agreement, lead_owner=regions, phrase="hurtigst muligt efter godkendelsen"
    )
    in_30 = admin_client_at_today.get(LIST_URL + "?frist=30").context["cl"].result_list
    in_90 = admin_client_at_today.get(LIST_URL + "?frist=90").context["cl"].result_list
    without = admin_client_at_today.get(LIST_URL + "?frist=uden").context["cl"].result_list
    assert list(in_30) == [soon]
    assert set(in_90) == {soon, later}
    assert list(without) == [undated]


def test_the_owner_filter_finds_co_owned_obligations(admin_client_at_today, agreement, regions, kl):
    led = ObligationFactory(agreement=agreement, lead_owner=kl)
    co_owned = ObligationFactory(agreement=agreement, lead_owner=regions)
    co_owned.co_owners.add(kl)
    ObligationFactory(agreement=agreement, lead_owner=regions)
    response = admin_client_at_today.get(LIST_URL + f"?ansvarlig={kl.pk}")
    assert set(response.context["cl"].result_list) == {led, co_owned}


def test_search_looks_in_action_quote_and_phrase(admin_client_at_today, agreement, regions):
    hit = ObligationFactory(agreement=agreement, lead_owner=regions, quote="... en hvidbog ...")
    ObligationFactory(agreement=agreement, lead_owner=regions)
    response = admin_client_at_today.get(LIST_URL + "?q=hvidbog")
    assert list(response.context["cl"].result_list) == [hit]


def test_the_status_is_a_badge_that_says_overdue_in_words(admin_client_at_today, obligation):
    html = admin_client_at_today.get(LIST_URL).content.decode()
    assert "status-roed" in html
    assert "Ikke igangsat – overskredet" in html


def test_the_list_sorts_by_deadline(admin_client_at_today, agreement, regions):
    late = ObligationFactory(agreement=agreement, lead_owner=regions, phrase="ultimo 2018")
    early = ObligationFactory(agreement=agreement, lead_owner=regions, phrase="primo 2017")
    response = admin_client_at_today.get(LIST_URL + "?o=6")
    assert list(response.context["cl"].result_list) == [early, late]
    response = admin_client_at_today.get(LIST_URL + "?o=-6")
    assert list(response.context["cl"].result_list) == [late, early]


def test_an_unreadable_phrase_is_a_form_error_that_keeps_what_was_typed(
    admin_client_at_today, obligation
):
    url = change_url(obligation)
    response = admin_client_at_today.post(
        url,
        obligation_post(
            obligation, action="Et nyt og vigtigt handlingsnavn", phrase="medio blåmandag 2017"
        ),
    )
    assert response.status_code == 200
    assert "phrase" in response.context["adminform"].form.errors
    html = response.content.decode()
    assert "Et nyt og vigtigt handlingsnavn" in html
    assert "medio blåmandag 2017" in html
    obligation.refresh_from_db()
    assert obligation.phrase == "primo 2017"


def test_a_window_set_by_hand_is_kept_and_shown_as_such(admin_client_at_today, obligation):
    url = change_url(obligation)
    response = admin_client_at_today.post(
        url,
        obligation_post(
            obligation,
            due_set_manually="on",
            due_start="01.02.2017",
            due_end="15.02.2017",
            due_manual_reason="Taskforcens møde ligger 15. februar",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    obligation.refresh_from_db()
    assert (obligation.due_start, obligation.due_end) == (
        datetime.date(2017, 2, 1),
        datetime.date(2017, 2, 15),
    )
    page = admin_client_at_today.get(url).content.decode()
    assert "sat manuelt: Taskforcens møde ligger 15. februar" in page


def test_a_status_report_added_inline_gets_its_author(admin_client_at_today, obligation, superuser):
    response = admin_client_at_today.post(
        change_url(obligation),
        obligation_post(
            obligation,
            reports=[{"status": Status.AT_RISK, "text": "Oplægget er forsinket af ferie."}],
        ),
    )
    assert response.status_code == 302
    report = obligation.status_reports.get()
    assert report.author == superuser
    assert Obligation.objects.get(pk=obligation.pk).status == Status.AT_RISK
