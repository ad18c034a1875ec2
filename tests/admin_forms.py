"""POST data for the admin's pages (an obligation's, a status report's), as the browser
sends it."""

from django.urls import reverse


def change_url(obligation) -> str:
    return reverse("admin:agreements_obligation_change", args=[obligation.pk])


def obligation_post(obligation, reports=(), **fields) -> dict:
    data = {
        "agreement": obligation.agreement_id,
        "key": obligation.key,
        "action": obligation.action,
        "kind": obligation.kind,
        "quote": obligation.quote,
        "lead_owner": obligation.lead_owner_id,
        "phrase": obligation.phrase,
        "order": obligation.order,
        "expected_version": obligation.version,
        "status_reports-TOTAL_FORMS": len(reports),
        "status_reports-INITIAL_FORMS": 0,
        **fields,
    }
    for index, report in enumerate(reports):
        for name, value in report.items():
            data[f"status_reports-{index}-{name}"] = value
    return data


def report_post(report, **fields) -> dict:
    """The status report's own change page, as the browser posts it."""
    return {
        "status": report.status,
        "text": report.text,
        "evidence_url": report.evidence_url,
        "source": report.source,
        "effective_from": "",
        "effective_reason": "",
        "expected_version": report.version,
        **fields,
    }
