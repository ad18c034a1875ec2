from django.urls import path

from overview import views

app_name = "overview"
urlpatterns = [
    path("aftaler/<slug:slug>/tidslinje/", views.timeline, name="timeline"),
    path("aftaler/<slug:slug>/finansiering/", views.funding, name="funding"),
]
