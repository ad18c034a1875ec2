from django.contrib import admin
from django.urls import include, path

from followup.views import calendar_feed, evidence, round_answer

admin.site.site_header = "Kræftplan-tracker"
admin.site.site_title = "Kræftplan-tracker"
admin.site.index_title = "Overblik"
# The admin is the site: no "Se side" link to a front page that does not exist.
admin.site.site_url = None

urlpatterns = [
    path("admin/", admin.site.urls),
    path("kalender/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("bilag/<path:name>", evidence, name="evidence"),
    path("svar/<str:token>/", round_answer, name="round-answer"),
    path("rapporter/", include("meetings.urls")),
    path("aftaler/", include("agreements.urls")),
    path("oversigt/", include("overview.urls")),
]
