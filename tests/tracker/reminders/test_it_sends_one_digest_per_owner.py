import datetime

import pytest

from agreements.status import Status
from tests.commands import send_reminders
from tests.factories import ContactFactory, DatedObligationFactory, UserFactory
from tracker.models import Reminder

TODAY = datetime.date(2024, 6, 20)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://tracker.example.org"


@pytest.fixture
def obligations(agreement, regions, kl):
    """Danske Regioner: one overdue, one due in 11 days; KL: one due in 3 days, co-owned."""
    late = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Hvidbog om patientansvarlig læge",
        due_end=datetime.date(2024, 6, 10),
        status=Status.DELAYED,
    )
    soon = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Oplæg om behandling i hjemmet",
        due_end=datetime.date(2024, 7, 1),
    )
    shared = DatedObligationFactory(
        agreement=agreement,
        lead_owner=kl,
        action="Fælles plan for opfølgning",
        due_end=datetime.date(2024, 6, 23),
        status=Status.ON_TRACK,
    )
    shared.co_owners.add(regions)
    return late, soon, shared


def test_it_sends_one_digest_per_owner(obligations, regions, smtp_server):
    late, soon, shared = obligations
    ContactFactory(party=regions, email="stille@regioner.example.org", receives_reminders=False)

    output = send_reminders(TODAY)

    assert len(smtp_server.messages) == 2
    [rikke] = smtp_server.to("rikke@regioner.example.org")
    [karl] = smtp_server.to("karl@kl.example.org")
    assert smtp_server.to("stille@regioner.example.org") == []
    assert rikke.obligation_ids == [late.pk, shared.pk, soon.pk]
    assert karl.obligation_ids == [shared.pk]
    assert "Sendt: rikke@regioner.example.org, 1 overskredet, 2 forfalder snart" in output
    assert "Sendt: karl@kl.example.org, 0 overskredet, 1 forfalder snart" in output


def test_the_digest_is_in_danish_with_groups_dates_status_and_links(obligations, smtp_server):
    late, soon, shared = obligations
    # A contact who is also a user: the obligations link to the admin.
    UserFactory(username="rikke", email="Rikke@regioner.example.org")

    send_reminders(TODAY)

    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert mail.subject == "Kræftplan-tracker: 1 forpligtelse overskredet, 2 forfalder snart"
    text = mail.text
    assert text.index("Overskredet") < text.index(late.action) < text.index("Forfalder snart")
    assert text.index("Forfalder snart") < text.index(shared.action) < text.index(soon.action)
    assert "Kræftplan IV: Hvidbog om patientansvarlig læge" in text
    assert "Frist: 10. juni 2024 (overskredet siden 10. juni 2024 (10 dage))" in text
    assert "Status: Forsinket" in text
    assert "Frist: 23. juni 2024 (om 3 dage)" in text
    assert "Status: Igangsat (efter tidsplanen)" in text
    assert "Ansvarlig: KL" in text
    for obligation in (late, soon, shared):
        link = f"https://tracker.example.org/admin/agreements/obligation/{obligation.pk}/change/"
        assert link in text
        assert f'href="{link}"' in mail.html
    assert "<h2" in mail.html and "Overskredet</h2>" in mail.html
    assert "10. juni 2024" in mail.html


def test_a_contact_without_a_login_is_told_where_to_answer_not_sent_to_the_admin(
    obligations, smtp_server, settings
):
    settings.TASKFORCE_SECRETARIAT_EMAILS = ["sekretariat@sum.example.org"]

    send_reminders(TODAY)

    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert "/admin/" not in mail.text and "/admin/" not in mail.html
    assert "sekretariat@sum.example.org" in mail.text
    assert 'href="mailto:sekretariat@sum.example.org"' in mail.html
    assert mail.message["Reply-To"] == "sekretariat@sum.example.org"


def test_a_long_digest_lists_the_soonest_and_says_how_many_more(
    agreement, regions, smtp_server, settings
):
    settings.REMINDER_DIGEST_MAX_ITEMS = 2
    UserFactory(username="rikke", email="rikke@regioner.example.org")
    soonest = [
        DatedObligationFactory(
            agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 21 + n)
        )
        for n in range(5)
    ]

    output = send_reminders(TODAY)

    [mail] = smtp_server.messages
    assert mail.subject == "Kræftplan-tracker: 5 forfalder snart"
    assert mail.obligation_ids == [soonest[0].pk, soonest[1].pk]
    assert "… og 3 flere, der forfalder snart:" in mail.text
    assert "https://tracker.example.org/admin/agreements/obligation/?frist=30" in mail.text
    assert "  … og 3 flere" in output
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
