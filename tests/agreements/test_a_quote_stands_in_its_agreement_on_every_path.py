"""Every obligation's quote stands verbatim in its agreement's stored text and holds its time
phrase: the import and the loader refuse a row that breaks this (their own tests); here the
admin's forms, the model that any form validates, and an edit of the agreement's text."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Obligation
from tests.admin_forms import change_url, obligation_post
from tests.factories import AgreementFactory, ObligationFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Parterne er enige om, at Sundhedsstyrelsen udarbejder et oplæg om opfølgning\n"
    "medio 2017. Regionerne afrapporterer status for indsatsen primo 2018."
)


@pytest.fixture
def agreement(regions):
    return AgreementFactory(short_name="Testaftalen", year=2017, source_text=TEXT)


@pytest.fixture
def ob(agreement, regions):
    return ObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        quote="Regionerne afrapporterer status for indsatsen primo 2018.",
        phrase="primo 2018",
    )


@pytest.fixture
def staff(client, secretariat_member):
    client.force_login(secretariat_member)
    return client


def test_an_edited_quote_not_in_the_text_is_refused_and_the_typing_kept(staff, ob):
    typed = "Regionerne afrapporterer status for hele indsatsen primo 2018."
    response = staff.post(change_url(ob), obligation_post(ob, quote=typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Citatet står ikke ordret i aftalens tekst" in html
    assert typed in html
    ob.refresh_from_db()
    assert ob.quote == "Regionerne afrapporterer status for indsatsen primo 2018."


def test_a_quote_across_a_line_break_of_the_text_is_accepted(staff, ob):
    # The text breaks the line after "opfølgning"; the quote is typed on one line.
    quote = "Sundhedsstyrelsen udarbejder et oplæg om opfølgning medio 2017."
    response = staff.post(change_url(ob), obligation_post(ob, quote=quote, phrase="medio 2017"))
    assert response.status_code == 302, response.content.decode()[:2000]
    ob.refresh_from_db()
    assert (ob.quote, ob.due_end.isoformat()) == (quote, "2017-08-31")


def test_a_phrase_that_is_not_in_the_quote_is_refused(staff, ob):
    response = staff.post(change_url(ob), obligation_post(ob, phrase="ultimo 2018"))
    assert response.status_code == 200
    assert "Tidsudtrykket »ultimo 2018« står ikke i citatet." in response.content.decode()
    ob.refresh_from_db()
    assert ob.phrase == "primo 2018"


def test_a_new_obligation_must_quote_its_agreement(staff, ob):
    data = obligation_post(ob, key="ny", quote="En sætning, som aftalen ikke har, primo 2018.")
    del data["expected_version"]
    response = staff.post(reverse("admin:agreements_obligation_add"), data)
    assert response.status_code == 200
    assert "Citatet står ikke ordret i aftalens tekst" in response.content.decode()
    assert not Obligation.objects.filter(key="ny").exists()


def test_the_model_refuses_it_for_any_form(agreement, regions):
    new = Obligation(
        agreement=agreement,
        key="fra-en-anden-formular",
        action="Status",
        quote="Regionerne afrapporterer primo 2018.",
        phrase="primo 2018",
        lead_owner=regions,
    )
    with pytest.raises(ValidationError) as refused:
        new.full_clean()
    assert set(refused.value.message_dict) == {"quote"}


def test_the_agreements_text_cannot_lose_a_quoted_sentence(agreement, ob):
    agreement.source_text = TEXT.replace(" Regionerne afrapporterer", " Regionerne melder")
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    [message] = refused.value.message_dict["source_text"]
    assert f"for 1 forpligtelse(r): »{ob.action}«" in message
    # A change elsewhere in the text is fine.
    agreement.source_text = TEXT.replace("et oplæg om opfølgning", "et oplæg om opfølgningen")
    agreement.full_clean()


def test_fields_shown_read_only_do_not_block_a_save(agreement, regions):
    # Stored before the rule (its phrase is not in its quote): an unchanged save still works.
    old = ObligationFactory(
        agreement=agreement, lead_owner=regions, quote="Ikke i teksten.", phrase="primo 2018"
    )
    old.action = "Nyt navn"
    old.full_clean()


def test_the_agreements_admin_page_refuses_the_edit_too(rf, secretariat_member, agreement, ob):
    from django.contrib import admin

    from agreements.models import Agreement

    request = rf.post("/")
    request.user = secretariat_member
    model_admin = admin.site._registry[Agreement]
    Form = model_admin.get_form(request, agreement, change=True)
    data = {name: getattr(agreement, name) for name in Form.base_fields if hasattr(agreement, name)}
    data["parties"] = [p.pk for p in agreement.parties.all()]
    data["source_text"] = TEXT.replace("primo 2018", "ultimo 2018")
    form = Form(data, instance=agreement)
    assert not form.is_valid()
    assert "Teksten indeholder ikke længere citatet" in form.errors["source_text"][0]
    agreement.refresh_from_db()
    assert agreement.source_text == TEXT
