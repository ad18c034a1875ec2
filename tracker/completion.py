"""Writing status reports, and the secretariat's review of closing statuses.

The rules hold on every path that writes a report (the admin's forms and inlines, the
status round's answer page, imports), because each of them goes through `check_report`
and `write_report`:

- The record is appended to. The server sets the time a report is registered; its
  obligation, author and that time never change (`StatusReport.save` keeps them).
- Only the secretariat may say that a report holds from an earlier day ("gældende fra"),
  never a later one than it is registered, and always with a reason.
- A coordinator corrects only their own report, and only before it is reviewed; the
  correction is kept in the history.
- A closing status (færdiggjort, videreført i ændret form, bortfaldet) is a claim, also when
  the secretariat writes it; it is confirmed or sent back only by the review (`confirm`,
  `send_back`), and a reviewed report's status stays what was reviewed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement
from agreements.status import CLOSED, OPEN, Status
from common import roles
from tracker.models import StatusReport

REVIEW_FIELDS = ("confirmed_by_id", "confirmed_at", "returned_by_id", "returned_at")


def refusal(user, report: StatusReport) -> str:
    """Why the user may not correct this stored report, or "" if they may."""
    if not roles.can_report_on(user, report.obligation):
        return "Du kan kun skrive statusrapporter for din egen parts forpligtelser."
    if roles.is_secretariat(user):
        return ""
    if report.author_id != user.pk:
        return "Du kan kun rette dine egne statusrapporter; skriv en ny rapport i stedet."
    if report.is_reviewed:
        return "Rapporten er behandlet af sekretariatet og kan ikke længere rettes."
    return ""


def may_correct(user, report: StatusReport) -> bool:
    return not refusal(user, report)


def check_report(report: StatusReport, user) -> None:
    """Refuse a report (new or a correction) that the user may not write as it stands.

    Raises PermissionDenied for what the user may not do at all, and ValidationError (by
    field) for what they may do otherwise."""
    if report.pk is None:
        if not roles.can_report_on(user, report.obligation):
            raise PermissionDenied(refusal(user, report))
        stored = None
    else:
        stored = StatusReport.objects.get(pk=report.pk)
        problem = refusal(user, stored)
        if problem:
            raise PermissionDenied(problem)
    # Read afresh: the agreement may have been closed out since the obligation was loaded.
    closed = Agreement.objects.filter(
        pk=report.obligation.agreement_id, closed_on__isnull=False
    ).first()
    if closed:
        raise ValidationError(
            f"Aftalen »{closed}« er afsluttet {closed.closed_on:%d.%m.%Y}; der skrives ikke "
            "flere statusrapporter på den."
        )
    errors = {}
    if any(
        getattr(report, name) != (getattr(stored, name) if stored else None)
        for name in REVIEW_FIELDS
    ):
        errors["status"] = (
            "En afslutning bekræftes eller sendes tilbage kun i sekretariatets behandling."
        )
    if stored and stored.is_reviewed and report.status != stored.status:
        errors["status"] = (
            "Rapporten er behandlet af sekretariatet, så dens status kan ikke ændres; "
            "skriv en ny rapport i stedet."
        )
    earlier = (stored.effective_from, stored.effective_reason) if stored else (None, "")
    backdated = (report.effective_from, report.effective_reason.strip()) != earlier
    if report.public != (stored.public if stored else False) and not roles.is_secretariat(user):
        errors["public"] = "Kun sekretariatet kan gøre en rapports tekst offentlig."
    if backdated and not roles.is_secretariat(user):
        errors["effective_from"] = "Kun sekretariatet kan give en rapport en tidligere dato."
    elif report.effective_from:
        registered = timezone.localdate(stored.reported_at) if stored else timezone.localdate()
        if report.effective_from > registered:
            errors["effective_from"] = (
                f"»Gældende fra« kan ikke ligge efter den dag, rapporten registreres "
                f"({registered:%d.%m.%Y})."
            )
        if not report.effective_reason.strip():
            errors["effective_reason"] = "Angiv hvorfor rapporten gælder fra en tidligere dag."
    elif report.effective_reason.strip():
        errors["effective_from"] = "Angiv den dag, begrundelsen gælder for."
    if errors:
        raise ValidationError(errors)


def write_report(report: StatusReport, user) -> StatusReport:
    """Check and save a report (new or a correction) by the user; a new one is theirs."""
    with transaction.atomic():
        if report.pk is not None:
            # Lock the stored report: two corrections, or a correction and a review, one
            # after the other.
            StatusReport.objects.select_for_update().filter(pk=report.pk).first()
        else:
            report.author = user
        check_report(report, user)
        report._history_user = user
        report.save()
    return report


def awaiting_review(reports=None):
    """Claims of a closing status that are the current status of their obligation and are
    neither confirmed nor sent back."""
    reports = StatusReport.objects.all() if reports is None else reports
    return reports.filter(
        status__in=CLOSED,
        confirmed_at__isnull=True,
        returned_at__isnull=True,
        obligation__status__in=CLOSED,
        obligation__closure_confirmed=False,
    )


def _claim_for_review(report: StatusReport, user) -> StatusReport:
    if not roles.is_secretariat(user):
        raise PermissionDenied("Kun sekretariatet kan bekræfte eller sende en afslutning tilbage.")
    report = StatusReport.objects.select_for_update().select_related("obligation").get(pk=report.pk)
    if not report.is_claim or report.is_reviewed:
        raise ValidationError("Rapporten er ikke en ubehandlet afslutning.")
    if report.obligation.latest_report().pk != report.pk:
        raise ValidationError("Der er kommet en nyere statusrapport; se den først.")
    return report


def confirm(report: StatusReport, user) -> StatusReport:
    """The secretariat confirms a claimed closing status."""
    with transaction.atomic():
        report = _claim_for_review(report, user)
        report.confirmed_by, report.confirmed_at = user, timezone.now()
        report._history_user = user
        report.save()
    return report


def send_back(report: StatusReport, user, reason: str) -> StatusReport:
    """The secretariat sends a claimed closing status back with a reason: the obligation
    is open again, with the open status it had before the claim."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Skriv hvorfor afslutningen sendes tilbage.")
    with transaction.atomic():
        report = _claim_for_review(report, user)
        report.returned_by, report.returned_at, report.returned_reason = (
            user,
            timezone.now(),
            reason,
        )
        report._history_user = user
        report.save()
        before = (
            report.obligation.status_reports.filter(status__in=OPEN)
            .exclude(pk=report.pk)
            .order_by("-reported_at", "-pk")
            .first()
        )
        reopened = StatusReport(
            obligation=report.obligation,
            author=user,
            status=before.status if before else Status.ON_TRACK,
            text=f"{report.get_status_display()} er sendt tilbage af sekretariatet: {reason}",
        )
        reopened._history_user = user
        reopened.save()
    return reopened
