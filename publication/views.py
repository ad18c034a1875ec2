"""The public pages and the open data: no login, no cookies, cached for a minute.

Every view here is `public_page`: it is rendered as for an anonymous visitor whoever asks,
so that neither its cache nor any shared cache in front of it can hold what a logged-in
user sees, and it never touches the session (no cookie is set, no `Vary: Cookie`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page

from meetings.charts import timeline_svg
from publication import published

# A change of status shows on the public pages within this many seconds.
CACHE_SECONDS = 60


def public_page(view):
    @cache_page(CACHE_SECONDS)
    @wraps(view)
    def anonymous(request, *args, **kwargs):
        # The page is the same for everyone: the user is never read, the session never
        # opened, so no cookie is set and no cached copy depends on who asked first.
        request.user = AnonymousUser()
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True)
        return response

    return anonymous


def page(request, template: str, context: dict):
    return render(request, template, {**context, "legend": published.LEGEND})


@public_page
def agreements(request):
    return page(
        request,
        "publication/agreements.html",
        {"summaries": published.agreement_summaries(), "title": "Kræftplanerne: status"},
    )


@dataclass(frozen=True)
class Mark:
    """An obligation on the timeline, linked to its public page."""

    action: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    status: str
    url: str


def _timelines(obligations: list[published.PublicObligation], today) -> list[dict]:
    dated = [o.due_start_or_end for o in obligations if o.due_start_or_end]
    start = min([*dated, today]).replace(day=1)
    end = max([o.due_end or o.due_start for o in obligations if o.due_start_or_end] + [today])
    end += datetime.timedelta(days=31)
    groups = defaultdict(list)
    for o in obligations:
        groups[o.initiative].append(Mark(o.action, o.due_start, o.due_end, o.status.status, o.url))
    return [
        {
            "title": initiative or "Uden initiativ",
            "svg": timeline_svg(
                marks, start, end, today=today,
                title=f"Tidslinje: {initiative or 'uden initiativ'}",
            ),
        }
        for initiative, marks in groups.items()
    ]  # fmt: skip


@public_page
def agreement(request, slug: str):
    found = published.published_agreement(slug)
    if found is None:
        raise Http404
    today = timezone.localdate()
    obligations = published.obligation_list(published.published_obligations(found), today)
    by_initiative = defaultdict(list)
    for o in obligations:
        by_initiative[o.initiative].append(o)
    return page(
        request,
        "publication/agreement.html",
        {
            "agreement": found,
            "parties": published.agreement_parties(found),
            "initiatives": list(by_initiative.items()),
            "timelines": _timelines(obligations, today),
            "today": today,
            "title": found.title,
        },
    )


@public_page
def obligation(request, slug: str, key: str):
    found = published.published_obligation(slug, key)
    if found is None:
        raise Http404
    return page(
        request,
        "publication/obligation.html",
        {
            "obligation": found,
            "history": published.obligation_history(found),
            "title": found.action,
        },
    )


@public_page
def fields(request):
    return page(
        request,
        "publication/fields.html",
        {
            "fields": published.FIELDS,
            "agreements": published.agreement_summaries(),
            "title": "Åbne data: forpligtelserne",
        },
    )


def _data(slug: str | None):
    if slug is None:
        return published.obligation_list(published.published_obligations())
    found = published.published_agreement(slug)
    if found is None:
        raise Http404
    return published.obligation_list(published.published_obligations(found))


@public_page
def data_json(request, slug: str | None = None):
    response = HttpResponse(published.as_json(_data(slug)), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_page
def data_csv(request, slug: str | None = None):
    response = HttpResponse(published.as_csv(_data(slug)), content_type="text/csv; charset=utf-8")
    name = f"forpligtelser-{slug}.csv" if slug else "forpligtelser.csv"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def evidence(request, pk: int):
    """An evidence file the secretariat has made public; 404 for any other."""
    report = published.public_evidence(pk)
    if report is None:
        raise Http404
    response = FileResponse(report.evidence_file.open("rb"), as_attachment=True)
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
