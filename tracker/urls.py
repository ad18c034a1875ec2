from django.contrib import admin
from django.urls import path

admin.site.site_header = "Kræftplan-tracker"
admin.site.site_title = "Kræftplan-tracker"
admin.site.index_title = "Overblik"

urlpatterns = [
    path("admin/", admin.site.urls),
]
