from django.urls import path

from lgnet.activities import views

app_name = "activities"

C = "c/<slug:city_slug>/"
urlpatterns = [
    path(f"{C}activities/", views.activity_list, name="list"),
    path(f"{C}activities/new/", views.activity_create, name="create"),
    path(f"{C}activities/<int:pk>/", views.activity_detail, name="detail"),
    path(f"{C}activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path(f"{C}activities/<int:pk>/sessions/", views.session_add, name="session_add"),
    path(f"{C}activities/<int:pk>/sessions/weekly/", views.session_weekly, name="session_weekly"),
    path(f"{C}activities/<int:pk>/complete/", views.activity_complete, name="complete"),
    path(f"{C}activities/<int:pk>/head-counts/", views.head_counts, name="head_counts"),
    path(f"{C}activities/<int:pk>/candidates/", views.enrol_candidates, name="candidates"),
    path(f"{C}activities/<int:pk>/requests/", views.request_add, name="request_add"),
    path(f"{C}activities/<int:pk>/requests/close/", views.request_close, name="request_close"),
    path(f"{C}sessions/<int:pk>/", views.register, name="register"),
    path(f"{C}sessions/<int:pk>/mark/", views.mark, name="mark"),
    path(f"{C}sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path(f"{C}sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path(
        f"{C}persons/<int:pk>/language-certificates/",
        views.language_certificate_add,
        name="language_certificate_add",
    ),
    path(f"{C}certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path(f"{C}enrolments/new/", views.enrol, name="enrol"),
    path(f"{C}enrolments/<int:pk>/", views.enrolment_detail, name="enrolment"),
    path(f"{C}enrolments/<int:pk>/status/", views.enrolment_status, name="enrolment_status"),
    path(f"{C}enrolments/<int:pk>/levels/", views.enrolment_levels, name="enrolment_levels"),
    path(f"{C}enrolments/<int:pk>/certificate/", views.certificate, name="certificate"),
    path(f"{C}enrolments/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
]
