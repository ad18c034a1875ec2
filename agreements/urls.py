from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("ny/", views.upload, name="upload"),
    path("<slug:slug>/laeser/", views.reader, name="reader"),
]
