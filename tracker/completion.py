"""Writing status reports, and færdiggjort: claimed by a party, confirmed by the secretariat.

Every state change goes through a function here, so that the admin, views and tests share
one set of rules (`tracker.roles`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.status import Status
from tracker import roles
from tracker.models import StatusReport


def prepare_report(report: StatusReport, user) -> StatusReport:
    """Check that the user may write this report, set its author, and confirm a secretariat's
    own færdiggjort at once. The caller saves it."""
    if not roles.can_report_on(user, report.obligation):
        raise PermissionDenied(
            "Du kan kun skrive statusrapporter for din egen parts forpligtelser."
        )
    if report.author_id is None:
        report.author = user
    if report.status == Status.DONE and roles.is_secretariat(user) and not report.confirmed_at:
        report.confirmed_by, report.confirmed_at = user, timezone.now()
    return report


def awaiting_confirmation(reports=None):
    """Reports of færdiggjort that are the latest on their obligation and not yet confirmed."""
    reports = StatusReport.objects.all() if reports is None else reports
    return reports.filter(
        status=Status.DONE,
        confirmed_at__isnull=True,
        returned_at__isnull=True,
        obligation__status=Status.DONE,
        obligation__done_confirmed=False,
    )


def _check_claim(report: StatusReport, user) -> None:
    if not roles.is_secretariat(user):
        raise PermissionDenied(
            "Kun sekretariatet kan bekræfte eller sende en færdigmelding tilbage."
        )
    latest = report.obligation.status_reports.order_by("-reported_at", "-pk").first()
    if report.status != Status.DONE or report.confirmed_at or report.returned_at:
        raise ValidationError("Rapporten er ikke en ubehandlet færdigmelding.")
    if latest.pk != report.pk:
        raise ValidationError("Der er kommet en nyere statusrapport; se den først.")


def confirm_done(report: StatusReport, user) -> None:
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report.pk)
        _check_claim(report, user)
        report.confirmed_by, report.confirmed_at = user, timezone.now()
        report._history_user = user
        report.save()


def return_done(report: StatusReport, user, reason: str) -> StatusReport:
    """Send a claimed færdiggjort back with a reason: the obligation is open again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Skriv hvorfor færdigmeldingen sendes tilbage.")
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report.pk)
        _check_claim(report, user)
        now = timezone.now()
        report.returned_by, report.returned_at, report.returned_reason = user, now, reason
        report._history_user = user
        report.save()
        before = (
            report.obligation.status_reports.exclude(status=Status.DONE)
            .filter(reported_at__lte=report.reported_at)
            .exclude(pk=report.pk)
            .order_by("-reported_at", "-pk")
            .first()
        )
        reopened = StatusReport(
            obligation=report.obligation,
            author=user,
            reported_at=max(now, report.reported_at),
            status=before.status if before else Status.ON_TRACK,
            text=f"Færdigmeldingen er sendt tilbage af sekretariatet: {reason}",
        )
        reopened._history_user = user
        reopened.save()
    return reopened
