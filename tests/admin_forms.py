"""POST data for the obligation's admin page, as the browser sends it."""

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
