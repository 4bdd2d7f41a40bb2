from django.urls import path

from lgnet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/otp/", views.otp, name="otp"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/tokens/new/", views.token_create, name="token_create"),
    path("accounts/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/sessions/end/", views.session_end, name="session_end"),
    path("accounts/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("accounts/switch/", views.switch, name="switch"),
    path("c/<slug:city_slug>/users/", views.member_list, name="member_list"),
    path(
        "c/<slug:city_slug>/users/<int:membership_id>/toggle/",
        views.member_toggle,
        name="member_toggle",
    ),
]
