"""What happens against the promises: status reports."""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import Obligation
from agreements.status import Status


class StatusReport(models.Model):
    """A coordinator's report on an obligation. The latest one is its current status."""

    obligation = models.ForeignKey(
        Obligation,
        verbose_name="forpligtelse",
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="forfatter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    reported_at = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    status = models.CharField("status", max_length=14, choices=Status.choices)
    text = models.TextField("beskrivelse", blank=True)
    evidence_url = models.URLField("dokumentation (link)", blank=True)
    evidence_file = models.FileField("dokumentation (fil)", upload_to="evidence/%Y/", blank=True)
    source = models.CharField(
        "kilde",
        max_length=300,
        blank=True,
        help_text="For offentligt kendte udfald: hvor det står, fx SUU Alm.del 2019-20 Bilag 56.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "statusrapport"
        verbose_name_plural = "statusrapporter"
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["obligation", "-reported_at"], name="report_latest")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({timezone.localdate(self.reported_at):%d.%m.%Y})"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.obligation.refresh_status()

    def get_absolute_url(self) -> str:
        return reverse("admin:agreements_obligation_change", args=[self.obligation_id])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.obligation.refresh_status()
        return result
