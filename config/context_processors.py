"""What every page rendered for a request knows about the site."""

from django.conf import settings
from django.contrib import admin
from django.urls import reverse


def site(request) -> dict:
    """The site's name as the admin shows it (set in config/urls.py), also for the pages
    that are not the admin's: the Taskforce report's screen header."""
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        # The login page's ways in (templates/admin/login.html).
        "password_login": settings.PASSWORD_LOGIN,
        "sso_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
        "sso_login_url": reverse("oidc_authentication_init") if settings.OIDC_ISSUER else "",
    }
