from django.urls import path

from publication import views

app_name = "publication"
urlpatterns = [
    path("", views.agreements, name="agreements"),
    path("aftaler/<slug:slug>/", views.agreement, name="agreement"),
    path("aftaler/<slug:slug>/<slug:key>/", views.obligation, name="obligation"),
    path("bilag/<int:pk>/", views.evidence, name="evidence"),
    path("data/", views.fields, name="fields"),
    path("data/forpligtelser.json", views.data_json, name="data-json"),
    path("data/forpligtelser.csv", views.data_csv, name="data-csv"),
    path("data/aftaler/<slug:slug>/forpligtelser.json", views.data_json, name="agreement-json"),
    path("data/aftaler/<slug:slug>/forpligtelser.csv", views.data_csv, name="agreement-csv"),
]
