"""An obligation that may begin "tidligst fra 2026" has a start and no deadline: it is
never overdue, is due in no period, and is shown from its start wherever windows are shown."""

import csv
import datetime
import io
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from agreements.dates import window_text
from agreements.models import Obligation
from agreements.status import Light, Status
from meetings.report import build_report
from tests.admin_forms import change_url
from tests.factories import MeetingFactory, ObligationFactory, StatusReportFactory

QUOTE = "Midlerne udbetales tidligst fra 2026, når kommunerne har en plan."
FAR_FUTURE = datetime.date(2099, 12, 31)


@pytest.fixture
def open_ended(agreement, regions, taskforce):
    ob = ObligationFactory(
        agreement=agreement,
        key="udbetaling",
        action="Midlerne udbetales til kommunerne",
        quote=QUOTE,
        phrase="tidligst fra 2026",
        lead_owner=regions,
    )
    ob.forums.add(taskforce)
    return ob


def test_its_window_has_a_start_and_no_deadline(open_ended):
    open_ended.refresh_from_db()
    assert (open_ended.due_start, open_ended.due_end) == (datetime.date(2026, 1, 1), None)
    assert open_ended.relative_to == ""
    assert window_text(open_ended.due_start, open_ended.due_end) == "fra 01.01.2026"


@pytest.mark.parametrize("status", [s for s in Status])
def test_it_is_never_overdue_whatever_its_status(open_ended, status):
    if status != Status.NOT_STARTED:
        StatusReportFactory(obligation=open_ended, status=status)
    open_ended.refresh_from_db()
    assert not open_ended.is_overdue(FAR_FUTURE)
    assert open_ended.traffic_light(FAR_FUTURE) != Light.RED or status == Status.DELAYED
    assert open_ended not in Obligation.objects.overdue(FAR_FUTURE)


def test_it_is_due_in_no_period(open_ended):
    first, last = datetime.date(2000, 1, 1), FAR_FUTURE
    assert open_ended not in Obligation.objects.due_between(first, last)


def test_the_admin_shows_it_from_its_start_and_not_as_overdue(client, superuser, open_ended):
    with time_machine.travel(datetime.datetime(2030, 1, 1, 10, tzinfo=datetime.UTC)):
        client.force_login(superuser)
        page = client.get(change_url(open_ended)).content.decode()
        overdue = client.get(
            reverse("admin:agreements_obligation_changelist"), {"frist": "overskredet"}
        ).content.decode()
        undated = client.get(
            reverse("admin:agreements_obligation_changelist"), {"frist": "uden"}
        ).content.decode()
    assert "fra 01.01.2026" in page
    assert "– overskredet" not in page
    assert open_ended.action not in overdue
    # No deadline: it is among those without one.
    assert open_ended.action in undated


def test_the_taskforce_report_lists_it_with_its_start_and_no_deadline(open_ended, taskforce):
    meeting = MeetingFactory(forum=taskforce, date=datetime.date(2026, 6, 1))
    built = build_report(meeting)
    [row] = [r for section in built.sections for r in rows_of(section)]
    assert row.window == "fra 01.01.2026"
    assert not row.overdue
    assert row.light == Light.GREY
    assert built.overdue == [] and built.due_soon == []
    assert built.for_information == [] and built.timeline == []


def rows_of(section):
    return [row for initiative in section.initiatives for row in initiative.rows]


def test_the_agreements_timeline_draws_it_from_its_start_with_no_deadline_mark(
    client, secretariat_member, open_ended
):
    client.force_login(secretariat_member)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC)):
        html = client.get(
            reverse("overview:timeline", args=[open_ended.agreement.slug])
        ).content.decode()
    [row] = re.findall(rf"<a [^>]*><title>{open_ended.action} .*?</a>", html, re.DOTALL)
    assert 'height="12"' in row  # the window's bar, from its start to the axis' end
    assert "Uden dato" not in html


def test_the_export_has_its_start_and_an_empty_deadline(open_ended):
    out = io.StringIO()
    call_command("export_obligations", "--format", "json", stdout=out)
    [row] = [r for r in json.loads(out.getvalue()) if r["key"] == "udbetaling"]
    assert (row["due_start"], row["due_end"]) == ("2026-01-01", None)
    out = io.StringIO()
    call_command("export_obligations", "--format", "csv", stdout=out)
    [line] = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["key"] == "udbetaling"]
    assert (line["due_start"], line["due_end"]) == ("2026-01-01", "")


def test_an_imported_phrase_with_a_start_only_drops_the_deadline(open_ended, tmp_path):
    open_ended.agreement.source_text = QUOTE
    open_ended.agreement.save()
    open_ended.phrase = "2026"
    open_ended.save()
    assert open_ended.due_end == datetime.date(2026, 12, 31)
    path = tmp_path / "forpligtelser.csv"
    call_command(
        "export_obligations", "--format", "csv", "--output", str(path), stderr=io.StringIO()
    )
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["phrase"] = "tidligst fra 2026"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    call_command("import_obligations", str(path), stdout=io.StringIO())

    open_ended.refresh_from_db()
    assert (open_ended.due_start, open_ended.due_end) == (datetime.date(2026, 1, 1), None)


def test_the_phrase_command_gives_a_start_and_a_null_end():
    out = io.StringIO()
    call_command("parse_dates", stdin=io.StringIO("tidligst 1. januar 2025\n"), stdout=out)
    row = json.loads(out.getvalue())
    assert (row["kind"], row["start"], row["end"]) == ("window", "2025-01-01", None)


def test_the_candidate_finder_shows_its_start_and_an_open_end(db, tmp_path):
    path = tmp_path / "aftale.txt"
    path.write_text(f"Regionerne sikrer, at {QUOTE[0].lower()}{QUOTE[1:]}", encoding="utf-8")
    out = io.StringIO()
    call_command("find_candidates", str(path), stdout=out)
    assert "» tidligst fra 2026 « [2026-01-01 – …]" in out.getvalue()
