"""Meetings of a forum, such as the Taskforce, each with its printed status report."""

import datetime

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models import Forum
from common.validation import validate_texts


class Meeting(models.Model):
    """A meeting of a forum. Its status report covers the time since the previous one."""

    forum = models.ForeignKey(
        Forum, verbose_name="forum", on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField("dato")
    title = models.CharField("titel", max_length=200, blank=True)
    notes = models.TextField("noter", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "møde"
        verbose_name_plural = "møder"
        ordering = ["-date", "forum"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "date"], name="unique_meeting_per_forum_day")
        ]

    def __str__(self) -> str:
        text = f"{self.forum} {self.date:%d.%m.%Y}"
        return f"{text}: {self.title}" if self.title else text

    def get_absolute_url(self) -> str:
        return reverse("meetings:report", args=[self.pk])

    def get_pdf_url(self) -> str:
        return reverse("meetings:report-pdf", args=[self.pk])

    def clean(self):
        validate_texts(self)


def previous_meeting(forum: Forum, date: datetime.date) -> Meeting | None:
    return Meeting.objects.filter(forum=forum, date__lt=date).order_by("-date").first()


def next_meeting(forum: Forum, date: datetime.date) -> Meeting | None:
    return Meeting.objects.filter(forum=forum, date__gt=date).order_by("date").first()
