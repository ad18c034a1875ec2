"""The README's screenshots, taken in a real browser of the five real agreements with their
status history: the front page, an obligation's admin page, an agreement's timeline and the
first page of the Taskforce's report. They are written to docs/screenshots/ on every run on
SQLite, on a fixed day, so that they change only when the pages do. (PostgreSQL sorts the
agreement without a date after the dated one of the same year, SQLite before it: the run
on PostgreSQL takes the screenshots and checks them, and keeps them to itself.)"""

import datetime
import os
import shutil
import struct

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client

from agreements.models import Agreement, Forum, Obligation
from meetings.models import Meeting
from operations.loading import load_agreements
from tests.factories import UserFactory
from tests.paths import ROOT

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
# A few weeks before the year's end, when many of Kræftplan V's deadlines fall due.
DAY = datetime.datetime(2025, 12, 1, 9, tzinfo=datetime.UTC)


def png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def publish(shot, name: str) -> None:
    """Into docs/screenshots/ by a rename, so that no reader finds a file half written."""
    staging = SCREENSHOTS / f".{name}.{os.getpid()}.png"
    shutil.copyfile(shot, staging)
    os.replace(staging, SCREENSHOTS / f"{name}.png")


def test_the_readme_screenshots_show_the_real_agreements(page, live_server, tmp_path):
    with time_machine.travel(DAY, tick=False):
        load_agreements(with_history=True)
        kp4 = Agreement.objects.get(slug="kraeftplan-iv")
        obligation = Obligation.objects.get(agreement=kp4, key="aarlig-status-2019")
        meeting = Meeting.objects.create(
            forum=Forum.objects.get(slug="taskforce"), date=datetime.date(2025, 12, 9)
        )
        # Logged in by the session cookie: the day is fixed on the server, so the browser
        # would find a login form's CSRF cookie long expired.
        client = Client()
        client.force_login(UserFactory(username="sekretariat", is_superuser=True))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page.set_viewport_size(VIEWPORT)
        shots = {
            "front-page": "/admin/",
            "obligation": f"/admin/agreements/obligation/{obligation.pk}/change/",
            "timeline": f"/oversigt/aftaler/{kp4.slug}/tidslinje/",
            "report": f"/rapporter/taskforce/{meeting.pk}/",
        }
        for name, path in shots.items():
            page.goto(live_server.url + path)
            assert page.locator(".site-name, #site-name").inner_text() == "Kræftplan-tracker"
            page.screenshot(path=str(tmp_path / f"{name}.png"))

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in shots:
        shot = tmp_path / f"{name}.png"
        assert png_size(shot) == (VIEWPORT["width"], VIEWPORT["height"])
        assert 10_000 < shot.stat().st_size < 500_000
        if connection.vendor == "sqlite":
            publish(shot, name)
