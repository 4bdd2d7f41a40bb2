from django.urls import path

from lgnet.cases import referral_views, views

app_name = "cases"

case = "c/<slug:city_slug>/cases/<int:pk>"
referral = "c/<slug:city_slug>/referrals/<int:pk>"

urlpatterns = [
    path("c/<slug:city_slug>/cases/", views.case_list, name="list"),
    path("c/<slug:city_slug>/cases/new/", views.case_create, name="create"),
    path(f"{case}/", views.case_detail, name="detail"),
    path(f"{case}/services/", views.service_add, name="service_add"),
    path(f"{case}/activate/", views.case_activate, name="activate"),
    path(f"{case}/close/", views.case_close, name="close"),
    path(f"{case}/reopen/", views.case_reopen, name="reopen"),
    path(f"{case}/team/", views.team_update, name="team"),
    path(f"{case}/assessments/", views.assessment_add, name="assessment_add"),
    path(f"{case}/goals/", views.goal_add, name="goal_add"),
    path(f"{case}/goals/<int:goal_id>/", views.goal_update, name="goal_update"),
    path(f"{case}/reviews/", views.review_add, name="review_add"),
    path(f"{case}/reviews/<int:review_id>/", views.review_held, name="review_held"),
    path(f"{case}/notes/", views.note_add, name="note_add"),
    path(f"{case}/notes/<int:note_id>/", views.note_edit, name="note_edit"),
    path(f"{case}/tasks/", views.task_add, name="task_add"),
    path(f"{case}/attachments/", views.attachment_add, name="attachment_add"),
    path(
        f"{case}/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(f"{case}/referrals/", referral_views.referral_add, name="referral_add"),
    path("c/<slug:city_slug>/service-types/", views.service_type_list, name="service_types"),
    path("rete/service-types/", views.network_service_type_list, name="network_service_types"),
    path("c/<slug:city_slug>/tasks/", views.task_list, name="tasks"),
    path("c/<slug:city_slug>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("c/<slug:city_slug>/referrals/", referral_views.referral_list, name="referral_list"),
    path("c/<slug:city_slug>/referrals/new/", referral_views.referral_new, name="referral_new"),
    path(f"{referral}/", referral_views.referral_detail, name="referral_detail"),
    path(f"{referral}/accept/", referral_views.referral_accept, name="referral_accept"),
    path(f"{referral}/reject/", referral_views.referral_reject, name="referral_reject"),
    path(f"{referral}/complete/", referral_views.referral_complete, name="referral_complete"),
    path(f"{referral}/withdraw/", referral_views.referral_withdraw, name="referral_withdraw"),
    path(f"{referral}/revoke-consent/", referral_views.referral_revoke, name="referral_revoke"),
    path(f"{referral}/services/", referral_views.referral_service, name="referral_service"),
]
