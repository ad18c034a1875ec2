"""Opening a round mails each contact of an owning party once, through the outbox, with a
personal link; reminders go to the parties not done, by hand or by themselves."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from agreements.status import Status
from meetings.models import Meeting
from tests.commands import COPENHAGEN, send_reminders
from tests.factories import UserFactory
from tracker.models import Reminder, StatusRound
from tracker.rounds import links, progress

LINK = re.compile(r"https?://[^\s\"<>]+/svar/([A-Za-z0-9_-]+)/")


def status_round_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("status_round", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://tracker.example.org"
    settings.TASKFORCE_SECRETARIAT_EMAILS = ["sekretariat@sum.example.org"]


def test_opening_records_the_meeting_and_mails_each_contact_once(
    world, meeting_date, today, smtp_server
):
    out, _ = status_round_command("open", "--meeting", meeting_date.isoformat())
    status_round = StatusRound.objects.get()
    assert Meeting.objects.filter(forum__slug="taskforce", date=meeting_date).exists()
    assert status_round.answer_by == meeting_date - datetime.timedelta(days=14)
    assert "Danske Regioner: besvaret 0/3" in out and "KL: besvaret 0/1" in out

    send_reminders(today)
    send_reminders(today)  # a second run (or a second beat) sends nothing again

    # Each contact once, and the secretariat its escalation of the obligation overdue for
    # more than a year; not the contact who receives no e-mails.
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "karl@kl.example.org",
        "rasmus@regioner.example.org",
        "rikke@regioner.example.org",
        "sekretariat@sum.example.org",
    ]
    [rikke] = smtp_server.to("rikke@regioner.example.org")
    assert rikke.subject.startswith("Statusrunde før Taskforcen")
    assert "3 forpligtelser" in rikke.text
    [token] = set(LINK.findall(rikke.text))
    assert f"/svar/{token}/" in rikke.html
    # Rikke's overdue obligation is in the same e-mail, and links to her answer page.
    assert "overskredet siden" in rikke.text
    assert f"/svar/{token}/#o-{world['late'].pk}" in rikke.html
    assert "/admin/" not in rikke.text
    # Each contact has a link of their own.
    [rasmus] = smtp_server.to("rasmus@regioner.example.org")
    assert set(LINK.findall(rasmus.text)) != {token}
    assert Client().get(f"/svar/{token}/").status_code == 200
    assert set(
        Reminder.objects.filter(step__startswith="round-").values_list("status", flat=True)
    ) == {"sent"}


def test_a_round_is_opened_once_per_meeting(world, meeting_date):
    status_round_command("open", "--meeting", meeting_date.isoformat())
    with pytest.raises(CommandError, match="allerede en statusrunde"):
        status_round_command("open", "--meeting", meeting_date.isoformat())
    assert StatusRound.objects.count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--answer-by", "2000-01-01"], "ligger før i dag"),
        (["--forum", "ukendt"], "Unknown forum 'ukendt'"),
    ],
)
def test_bad_options_are_refused_with_nothing_made(world, meeting_date, args, message):
    with pytest.raises(CommandError, match=message):
        status_round_command("open", "--meeting", meeting_date.isoformat(), *args)
    assert not StatusRound.objects.exists() and not Meeting.objects.exists()


def test_a_meeting_in_the_past_gets_no_round(world, today):
    with pytest.raises(CommandError, match="er holdt"):
        status_round_command("open", "--meeting", (today - datetime.timedelta(1)).isoformat())


def test_the_answer_by_date_is_never_before_today(world, today):
    soon = today + datetime.timedelta(days=5)
    status_round_command("open", "--meeting", soon.isoformat())
    assert StatusRound.objects.get().answer_by == today


def test_a_reminder_goes_to_the_parties_not_done_once_a_day(
    client, status_round, world, today, smtp_server
):
    send_reminders(today)
    smtp_server.handler.messages.clear()
    # KL answers its one obligation; Regions has not.
    karl = world["shared"].lead_owner.contacts.get()
    token = links.mint(status_round, karl)[1]
    client.post(f"/svar/{token}/", {f"o-{world['shared'].pk}-answer": "uaendret"})

    status_round_command("remind", "--meeting", status_round.meeting_date.isoformat())
    status_round_command("remind", "--meeting", status_round.meeting_date.isoformat())
    send_reminders(today)

    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "rasmus@regioner.example.org",
        "rikke@regioner.example.org",
    ]
    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert mail.subject.startswith("Påmindelse: svar i statusrunden")
    assert "Påmindelse:" in mail.text and "2 er besvaret" not in mail.text


def test_beat_reminds_by_itself_three_days_before_the_answer_by_date_once(
    status_round, world, smtp_server
):
    day = status_round.answer_by - datetime.timedelta(days=3)
    send_reminders_on(day - datetime.timedelta(days=1))
    assert not _round_reminders().exists()
    send_reminders_on(day)
    send_reminders_on(day)
    send_reminders_on(day + datetime.timedelta(days=1))
    status_round.refresh_from_db()
    assert status_round.auto_reminded_on == day
    reminded = {m.rcpt_tos[0] for m in smtp_server.messages if "Påmindelse: svar" in m.subject}
    assert reminded == {
        "karl@kl.example.org",
        "rasmus@regioner.example.org",
        "rikke@regioner.example.org",
    }
    assert len([m for m in smtp_server.messages if "Påmindelse: svar" in m.subject]) == 3


def send_reminders_on(day: datetime.date) -> str:
    moment = datetime.datetime.combine(day, datetime.time(7), tzinfo=COPENHAGEN)
    with time_machine.travel(moment, tick=False):
        return send_reminders(day)


def _round_reminders():
    return Reminder.objects.filter(step__regex=r"^round-\d+-")


def test_closing_lists_what_was_not_answered_and_cancels_unsent_mail(status_round, world):
    out, _ = status_round_command("close", "--meeting", status_round.meeting_date.isoformat())
    assert "Danske Regioner: besvaret 0/3" in out
    assert f"ikke besvaret: {world['late'].action}" in out
    assert set(
        Reminder.objects.filter(step=status_round.invitation_step).values_list("status", flat=True)
    ) == {"cancelled"}
    out, _ = status_round_command("show", "--meeting", status_round.meeting_date.isoformat())
    assert out.splitlines() == ["Danske Regioner: besvaret 0/3", "KL: besvaret 0/1"]


def test_a_contact_who_is_also_a_user_keeps_the_admin_links(
    status_round, world, today, smtp_server
):
    UserFactory(username="rikke", email="rikke@regioner.example.org")
    send_reminders(today)
    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert f"/admin/agreements/obligation/{world['late'].pk}/change/" in mail.text
    # and the answer page as well, for the round.
    assert LINK.search(mail.text)


def test_without_an_open_round_a_contact_is_told_the_secretariats_address(
    status_round, world, today, smtp_server
):
    progress.close(status_round)
    world["late"].status_reports.create(status=Status.DELAYED, text="Stadig forsinket.")
    send_reminders(today)
    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert not LINK.search(mail.text)
    assert "sekretariat@sum.example.org" in mail.text
