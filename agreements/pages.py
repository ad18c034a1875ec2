"""The pages about one agreement outside the admin (its reader, timeline and funding) look
like the admin's pages around them: the site's header, the user's tools, the navigation
sidebar and breadcrumbs (templates/admin/agreements/agreement/_breadcrumbs.html), and the
links between the agreement's pages (_pages.html)."""

from django.contrib import admin

from agreements.models import Agreement


def agreement_page(request, agreement: Agreement, page: str) -> dict:
    """The context of the agreement's page named `page` ("Tidslinje")."""
    return {
        **admin.site.each_context(request),
        "title": f"{page}: {agreement}",
        "page": page,
        "agreement": agreement,
        "opts": Agreement._meta,
    }
