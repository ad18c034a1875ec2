from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from common.twofactor import LoginForm, two_factor
from operations.views import health_view
from publication.api import api
from tracker.views import calendar_feed, evidence, round_answer

admin.site.site_header = "Kræftplan-tracker"
admin.site.site_title = "Kræftplan-tracker"
admin.site.index_title = "Overblik"
# The admin is the site: no "Se side" link to a front page that does not exist.
admin.site.site_url = None
# The login asks for the one-time code of a user with a second factor.
admin.site.login_form = LoginForm

urlpatterns = [
    path("admin/tofaktor/", two_factor, name="two-factor"),
    path("admin/", admin.site.urls),
    # Health for monitoring: JSON, 200 or 503 naming the failing parts (operations/health.py).
    path("health/", health_view, name="health"),
    path("kalender/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("bilag/<path:name>", evidence, name="evidence"),
    path("svar/<str:token>/", round_answer, name="round-answer"),
    path("rapporter/", include("meetings.urls")),
    path("aftaler/", include("agreements.urls")),
    path("oversigt/", include("overview.urls")),
    # The public pages and open data: no login, only what the secretariat has published.
    path("offentlig/", include("publication.urls")),
    # The read API for logged-in users with a role, and its OpenAPI schema.
    path("api/", api.urls),
]
if settings.OIDC_ISSUER:
    # Single sign-on: /oidc/authenticate/ and the provider's return to /oidc/callback/.
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
