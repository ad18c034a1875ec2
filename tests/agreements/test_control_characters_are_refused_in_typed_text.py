"""Text typed into the record in the admin (an obligation's action, quote and phrase, a
party and its contacts, a forum, a meeting, an agreement) or brought in by an import cannot
hold a control character (a vertical tab or a NUL from a paste): it is refused with a Danish
error naming the field, or the import's row and column, and nothing is saved. Tabs and line
breaks are text; texts stored before the check do not block an edit of another field."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements.export import FIELDS
from agreements.models import Contact, Obligation, Party
from meetings.models import Meeting
from tests.admin_forms import change_url, obligation_post
from tests.factories import ContactFactory, ForumFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

REFUSED = "usynligt kontroltegn"
# A NUL is refused by Django's form field before the model's check, in its own words.
NUL_REFUSED = "Null-tegn er ikke tilladte"


@pytest.fixture
def staff(client, secretariat_member):
    client.force_login(secretariat_member)
    return client


@pytest.mark.parametrize(
    "field, value",
    [
        ("action", "Oplæg\x0b om midlerne"),
        ("action", "Oplæg\x00 om midlerne"),
        ("quote", "Regionerne afrapporterer\x01 primo 2017."),
        ("phrase", "primo\x1f 2017"),
    ],
)
def test_an_obligations_text_with_a_control_character_is_refused(staff, obligation, field, value):
    response = staff.post(change_url(obligation), obligation_post(obligation, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert (NUL_REFUSED if "\x00" in value else REFUSED) in html
    before = obligation.action, obligation.quote, obligation.phrase
    obligation.refresh_from_db()
    assert (obligation.action, obligation.quote, obligation.phrase) == before


def test_tabs_and_line_breaks_are_text(staff, obligation):
    action = "Oplæg om midlerne\tpræsenteres"
    response = staff.post(change_url(obligation), obligation_post(obligation, action=action))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.action == action


def test_an_old_stored_text_does_not_block_another_edit(staff, obligation):
    Obligation.objects.filter(pk=obligation.pk).update(action="Gammel\x0b tekst")
    obligation.refresh_from_db()
    response = staff.post(change_url(obligation), obligation_post(obligation, order=7))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.order == 7


def test_a_party_and_its_contact_are_refused(staff):
    response = staff.post(
        reverse("admin:agreements_party_add"),
        {
            "name": "Sundheds\x0bstyrelsen",
            "slug": "sst",
            "kind": "stat",
            "short_name": "",
            "aliases": "",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Sara\x01 Sundhed",
            "contacts-0-email": "sara@sst.example.org",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count(REFUSED) >= 1
    assert not Party.objects.filter(slug="sst").exists()


def test_a_meeting_is_refused(staff, taskforce):
    response = staff.post(
        reverse("admin:meetings_meeting_add"),
        {
            "forum": taskforce.pk,
            "date": "09.12.2025",
            "title": "Møde",
            "notes": "Note\x0c om mødet",
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Meeting.objects.exists()


def test_every_record_refuses_it_in_its_clean(agreement, regions):
    records = [
        (agreement, "title"),
        (ContactFactory(party=regions), "name"),
        (ForumFactory(), "name"),
        (InitiativeFactory(agreement=agreement), "title"),
        (regions, "aliases"),
    ]
    for record, field in records:
        setattr(record, field, "Navn\x0b med kontroltegn")
        with pytest.raises(ValidationError) as refused:
            record.clean()
        assert set(refused.value.message_dict) == {field}
        assert REFUSED in refused.value.message_dict[field][0]
    assert Contact.objects.exclude(name__contains="\x0b").count() == Contact.objects.count()


@pytest.fixture
def exported(agreements_loaded, tmp_path):
    path = tmp_path / "forpligtelser.csv"
    call_command(
        "export_obligations", "--format", "csv", "--output", str(path), stderr=io.StringIO()
    )
    return path


def test_an_import_with_a_control_character_in_a_cell_is_refused(exported):
    data = list(csv.DictReader(io.StringIO(exported.read_bytes().decode("utf-8-sig"))))
    data[2]["action"] = "Udbud\x0b på værktøjer"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(data)
    exported.write_bytes(out.getvalue().encode("utf-8-sig"))
    before = list(Obligation.objects.order_by("pk").values_list("action", "version"))
    with pytest.raises(CommandError) as refused:
        call_command("import_obligations", str(exported), stdout=io.StringIO())
    assert "Række 4, kolonne »" in str(refused.value)
    assert REFUSED in str(refused.value)
    assert list(Obligation.objects.order_by("pk").values_list("action", "version")) == before
