"""The captured agreements hold together: quotes, windows, funding, series."""

from collections import defaultdict
from decimal import Decimal

import pytest

from agreements import dates
from agreements.models import Agreement, FundingLine, FundingTotal, Obligation
from agreements.text import normalize_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(agreements_loaded, db):
    return {a.slug: a for a in Agreement.objects.all()}


def test_every_source_quote_is_found_in_its_agreements_stored_text(loaded):
    texts = {slug: normalize_text(a.source_text) for slug, a in loaded.items()}
    missing = [
        f"{ob.agreement.slug}/{ob.key}"
        for ob in Obligation.objects.select_related("agreement")
        if normalize_text(ob.quote) not in texts[ob.agreement.slug]
    ]
    assert missing == []


def test_every_phrase_stands_in_its_quote(loaded):
    for ob in Obligation.objects.all():
        assert normalize_text(ob.phrase).lower() in normalize_text(ob.quote).lower(), ob.key


def test_every_window_is_what_the_date_module_reads_unless_set_by_hand(loaded):
    for ob in Obligation.objects.select_related("agreement"):
        if ob.due_set_manually:
            assert ob.due_manual_reason.strip(), ob.key
            continue
        reading = ob.read_phrase()
        assert not isinstance(reading, dates.Unreadable), (ob.key, reading)
        if isinstance(reading, dates.Window):
            assert (ob.due_start, ob.due_end) == (reading.start, reading.end), ob.key
        else:
            assert ob.relative_to == reading.to, ob.key


def test_every_obligation_has_a_lead_owner_and_a_known_kind(loaded):
    for ob in Obligation.objects.all():
        assert ob.lead_owner_id
        assert ob.kind in Obligation.Kind.values
        assert ob.action.strip()


def test_every_stated_total_equals_the_sum_of_its_lines(loaded):
    totals = list(FundingTotal.objects.all())
    assert totals
    for total in totals:
        assert total.computed() == total.amount, total


def test_heraf_rows_add_up_to_their_parent_year_by_year(loaded):
    cells = defaultdict(Decimal)
    parents = {}
    for line in FundingLine.objects.exclude(parent_row=""):
        cells[(line.agreement_id, line.table, line.parent_row, line.year, line.ongoing)] += (
            line.amount
        )
    for line in FundingLine.objects.all():
        parents[(line.agreement_id, line.table, line.row, line.year, line.ongoing)] = line.amount
    assert cells
    for key, heraf_sum in cells.items():
        assert parents[key] == heraf_sum, key


def amounts(agreement, **filters):
    lines = FundingLine.objects.filter(agreement=agreement, **filters)
    return sum((line.amount for line in lines), Decimal(0))


def test_kraeftplan_iv_gives_384_a_year_from_2021_to_regions_and_municipalities(loaded):
    kp4 = loaded["kraeftplan-iv"]
    leaves = FundingLine.objects.filter(agreement=kp4, ongoing=True).exclude(
        row__in=FundingLine.objects.filter(agreement=kp4)
        .exclude(parent_row="")
        .values("parent_row")
    )
    by_group = defaultdict(Decimal)
    for line in leaves:
        by_group[line.recipient_group] += line.amount
    assert sum(by_group.values()) == 388
    # 4 of the 388 go through Sundhedsstyrelsen; the rest reach regions and municipalities.
    assert by_group["staten"] == 4
    assert sum(amount for group, amount in by_group.items() if group != "staten") == 384
    assert amounts(kp4, ongoing=True, parent_row="") == 388


def test_jo_foer_jo_bedre_table_1_sums_to_1100(loaded):
    jfb = loaded["jo-foer-jo-bedre"]
    top = FundingLine.objects.filter(agreement=jfb, parent_row="").values_list("row", flat=True)
    assert len(set(top)) == 1
    heraf = FundingLine.objects.filter(agreement=jfb).exclude(parent_row="")
    assert sum(line.amount for line in heraf) == 1100
    per_year = defaultdict(Decimal)
    for line in heraf:
        per_year[line.year] += line.amount
    assert dict(per_year) == {2015: 190, 2016: 190, 2017: 360, 2018: 360}


def test_the_2024_agreement_is_221_5_plus_50_plus_9_5(loaded):
    lines = FundingLine.objects.filter(
        agreement=loaded["udmoentning-2024-281-mio"], year=2024, ongoing=False
    )
    assert sorted(line.amount for line in lines) == [Decimal("9.5"), 50, Decimal("221.5")]
    assert sum(line.amount for line in lines) == 281


def test_kraeftplan_v_table_1_totals_577_9_and_derived_rows_are_marked(loaded):
    kp5 = loaded["kraeftplan-v-2025"]
    assert amounts(kp5, table="Tabel 1", parent_row="") == Decimal("577.9")
    for line in FundingLine.objects.filter(agreement=kp5, derived=True):
        assert line.note.strip(), line


def test_the_annual_status_on_kraeftplan_iv_is_a_series_of_four(loaded):
    occurrences = Obligation.objects.filter(
        agreement=loaded["kraeftplan-iv"], series__key="aarlig-status"
    ).order_by("due_end")
    assert [(o.due_start.isoformat(), o.due_end.isoformat()) for o in occurrences] == [
        (f"{y}-05-01", f"{y}-08-31") for y in (2017, 2018, 2019, 2020)
    ]
    assert [o.status for o in occurrences] == ["faerdiggjort"] * 4
