from django.urls import path

from lgnet.privacy import views

app_name = "privacy"

city = "c/<slug:city_slug>/privacy"
person = f"{city}/persons/<int:pk>"

urlpatterns = [
    path(f"{city}/requests/", views.request_list, name="request_list"),
    path(f"{city}/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path(f"{city}/access-log/", views.access_log, name="access_log"),
    path(f"{city}/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path(f"{person}/", views.person_privacy, name="person"),
    path(f"{person}/requests/new/", views.request_create, name="request_create"),
    path(f"{person}/export.json", views.export_json, name="export_json"),
    path(f"{person}/export.pdf", views.export_pdf, name="export_pdf"),
    path(f"{person}/restrict/", views.restrict, name="restrict"),
    path(f"{person}/anonymise/", views.anonymise, name="anonymise"),
    path(f"{person}/notice/", views.notice_record, name="notice_record"),
    path("rete/privacy/retention/", views.retention, name="retention"),
    path("rete/privacy/retention/run/", views.retention_run, name="retention_run"),
]
