"""The obligations a relative deadline counts from (its anchors) are chosen and shown by name,
the action and the agreement, in a search field that passes axe-core; never as a bare id."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.admin_forms import change_url
from tests.browser import log_in
from tests.factories import AgreementFactory, ObligationFactory, UserFactory
from tests.paths import ROOT

pytestmark = pytest.mark.django_db
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SUBMISSION = "Oplægget fremsendes til godkendelse (Kræftplan IV)"


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
    """Relative to the submission, which is not yet chosen as its anchor."""
    return ObligationFactory(
        agreement=agreement,
        key="model-implementeres",
        action="Modellen implementeres",
        phrase="hurtigst muligt efter oplæggets godkendelse",
        lead_owner=regions,
    )


@pytest.fixture
def anchored(implementation, submission):
    implementation.anchors.add(submission)
    implementation.save()
    return implementation


@pytest.fixture
def elsewhere(regions):
    """Of another agreement, found by the same word, and due earlier."""
    return ObligationFactory(
        agreement=AgreementFactory(short_name="Kræftplan III", slug="kraeftplan-iii", year=2010),
        key="plan-fremsendes",
        action="Planen fremsendes til ministeriet",
        phrase="primo 2011",
        lead_owner=regions,
    )


def search(client, term: str, obligation=None):
    """The search field's request, as select2 sends it from the obligation's form."""
    query = {
        "term": term,
        "app_label": "agreements",
        "model_name": "obligation",
        "field_name": "anchors",
    }
    if obligation is not None:
        query["forpligtelse"] = obligation.pk
    return client.get(reverse("admin:agreements_obligation_anchors"), query)


def test_the_change_form_shows_the_anchor_by_name_not_by_id(client, superuser, anchored):
    client.force_login(superuser)
    html = client.get(change_url(anchored)).content.decode()
    submission = anchored.anchors.get()
    assert f'<option value="{submission.pk}" selected>{SUBMISSION}</option>' in html
    assert "vManyToManyRawIdAdminField" not in html


@pytest.mark.parametrize("user", ["region_coordinator", "observer"])
def test_who_may_not_edit_reads_the_anchor_by_name(client, anchored, user, request):
    client.force_login(request.getfixturevalue(user))
    html = client.get(change_url(anchored)).content.decode()
    assert '<div class="readonly">Oplægget fremsendes til godkendelse</div>' in html


def test_the_search_finds_an_obligation_by_a_word_of_its_action(
    client, superuser, submission, implementation
):
    client.force_login(superuser)
    response = search(client, "fremsendes", implementation)
    assert response.json()["results"] == [{"id": str(submission.pk), "text": SUBMISSION}]


def test_the_search_puts_the_obligations_own_agreement_first_and_leaves_it_out(
    client, secretariat_member, submission, implementation, elsewhere
):
    client.force_login(secretariat_member)
    found = [r["text"] for r in search(client, "fremsendes").json()["results"]]
    assert found[0] == "Planen fremsendes til ministeriet (Kræftplan III)"
    found = [r["text"] for r in search(client, "", implementation).json()["results"]]
    assert found == [SUBMISSION, "Planen fremsendes til ministeriet (Kræftplan III)"]


def test_the_search_refuses_a_user_without_a_role(client, submission):
    # Even one given the permission to view obligations directly: the roles decide.
    permitted = UserFactory(username="uden-rolle")
    permitted.user_permissions.add(Permission.objects.get(codename="view_obligation"))
    client.force_login(permitted)
    response = search(client, "fremsendes")
    assert response.status_code == 403
    assert "ingen rolle" in response.content.decode()
    client.logout()
    assert search(client, "fremsendes")["Location"].startswith(reverse("admin:login"))


def pick_the_submission(page, live_server, implementation, check=lambda page: None) -> list:
    """Open the form, type part of the submission's name, choose it and save; `check` looks
    at the page with the list of choices open and once it is saved."""
    UserFactory(username="valg", password="en-lang-adgangskode-5", is_superuser=True)
    log_in(page, live_server, "valg", "en-lang-adgangskode-5")
    page.goto(live_server.url + change_url(implementation))
    page.get_by_role("searchbox", name="Forankret i:").fill("fremsend")
    choice = page.get_by_role("option", name=SUBMISSION)
    choice.wait_for()
    found = [check(page)]
    choice.click()
    page.get_by_role("button", name="Gem og fortsæt med at redigere").click()
    page.wait_for_selector(".messagelist .success")
    chosen = page.locator(".field-anchors .select2-selection__choice")
    assert chosen.get_attribute("title") == SUBMISSION
    return [*found, check(page)]


def violations(page) -> list[str]:
    """Every violation of WCAG 2.1 A and AA that axe-core finds, of any impact."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.bypass_csp
def test_an_anchor_is_picked_by_typing_part_of_its_name_and_the_page_passes_axe(
    page, live_server, implementation, submission
):
    assert pick_the_submission(page, live_server, implementation, violations) == [[], []]
    assert list(implementation.anchors.all()) == [submission]


@pytest.mark.django_db(transaction=True)
def test_the_search_field_works_under_the_content_security_policy(
    page, live_server, implementation, submission
):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    pick_the_submission(page, live_server, implementation)
    assert list(implementation.anchors.all()) == [submission]
    assert refused == []
