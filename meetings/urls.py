from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("taskforce/", views.preview_report, name="preview"),
    path("taskforce/rapport.pdf", views.preview_report_pdf, name="preview-pdf"),
    path("taskforce/rapport.docx", views.preview_report_docx, name="preview-docx"),
    path("taskforce/<int:pk>/", views.meeting_report, name="report"),
    path("taskforce/<int:pk>.pdf", views.meeting_report_pdf, name="report-pdf"),
    path("taskforce/<int:pk>.docx", views.meeting_report_docx, name="report-docx"),
]
