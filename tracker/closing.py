"""Closing many obligations at once: the secretariat gives the selected obligations one
closing status with one reason, each as its own status report, confirmed at once (the
secretariat is the one who would confirm it). Used to close out an old agreement
(`agreements.closing`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agreements.status import CLOSED, Status
from common import roles
from tracker import completion
from tracker.models import StatusReport

REASON_MAX_LENGTH = 2000


def close_obligations(obligations, status: str, reason: str, user) -> int:
    """Write and confirm one closing report per obligation; all or none. Returns how many
    changed (an obligation that already has this status, confirmed, is left as it is)."""
    if not roles.is_secretariat(user):
        raise PermissionDenied("Kun sekretariatet kan afslutte forpligtelser samlet.")
    reason = (reason or "").strip()
    errors = {}
    if status not in CLOSED:
        errors["status"] = "Vælg en afsluttende status: færdiggjort, videreført eller bortfaldet."
    if not reason:
        errors["reason"] = "Skriv begrundelsen, som hver forpligtelses statusrapport får."
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"Begrundelsen må højst være {REASON_MAX_LENGTH} tegn."
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for obligation in obligations.select_related("agreement").select_for_update(of=("self",)):
            if obligation.status == status and obligation.closure_confirmed:
                continue
            report = StatusReport(obligation=obligation, status=status, text=reason)
            report._change_reason = f"Afsluttet samlet: {Status(status).label}"
            completion.write_report(report, user)
            completion.confirm(report, user)
            changed += 1
    return changed
