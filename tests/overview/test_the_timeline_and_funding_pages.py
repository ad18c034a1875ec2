"""An agreement's timeline and funding overview."""

import io

import pytest
from openpyxl import load_workbook

from agreements.models import Agreement, FundingLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def kp4(agreements_loaded, client, secretariat_member):
    client.force_login(secretariat_member)
    return Agreement.objects.get(slug="kraeftplan-iv")


def test_the_timeline_marks_every_dated_obligation_with_a_link(client, kp4):
    html = client.get(f"/oversigt/aftaler/{kp4.slug}/tidslinje/").content.decode()
    dated = kp4.obligations.filter(due_end__isnull=False).count()
    assert html.count('<a href="/admin/agreements/obligation/') >= dated
    assert "<title>" in html and "I dag" in html
    assert "Patientansvarlige læger" in html  # grouped by initiative


def test_the_funding_table_is_checked_against_the_agreements_totals(client, kp4):
    html = client.get(f"/oversigt/aftaler/{kp4.slug}/finansiering/").content.decode()
    assert "stemmer med aftalen (388,00)" in html
    assert "Afviger" not in html
    line = FundingLine.objects.get(agreement=kp4, row="Behandling i hjemmet", year=2018)
    line.amount += 5
    line.save()
    html = client.get(f"/oversigt/aftaler/{kp4.slug}/finansiering/").content.decode()
    assert 'class="mismatch"' in html
    assert "Afviger: tabellen siger 40,00, linjerne giver 45,00" in html


def test_the_funding_table_exports_to_excel(client, kp4):
    response = client.get(f"/oversigt/aftaler/{kp4.slug}/finansiering/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["Bilag 2"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Behandling i hjemmet"][2:6] == (10, 10, 10, 10)


def test_money_per_recipient_counts_leaf_rows_only(client, kp4):
    from overview.views import money_by_recipient

    total_2017 = sum(m["total"] for m in money_by_recipient(kp4) if m["year"] == 2017)
    tops = FundingLine.objects.filter(agreement=kp4, year=2017, ongoing=False, parent_row="")
    assert total_2017 == sum(line.amount for line in tops)
