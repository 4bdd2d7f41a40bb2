from django.urls import path

from lgnet.network import views

app_name = "network"

urlpatterns = [
    path("rete/", views.network_home, name="home"),
    path("rete/editions/", views.edition_list, name="edition_list"),
    path("rete/editions/new/", views.edition_create, name="edition_create"),
    path("rete/editions/<str:code>/", views.edition_detail, name="edition_detail"),
    path("rete/editions/<str:code>/edit/", views.edition_edit, name="edition_edit"),
    path(
        "rete/editions/<str:code>/cities/<slug:city_slug_>/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
    path("rete/cities/", views.city_list, name="city_list"),
    path("rete/cities/new/", views.city_create, name="city_create"),
    path("rete/cities/<slug:slug>/edit/", views.city_edit, name="city_edit"),
    path("c/<slug:city_slug>/", views.city_home, name="city_home"),
    path("c/<slug:city_slug>/organisations/", views.organisation_list, name="organisation_list"),
    path(
        "c/<slug:city_slug>/organisations/new/", views.organisation_edit, name="organisation_create"
    ),
    path(
        "c/<slug:city_slug>/organisations/<int:pk>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("c/<slug:city_slug>/agreements/", views.agreement_list, name="agreement_list"),
    path("c/<slug:city_slug>/agreements/new/", views.agreement_edit, name="agreement_create"),
    path(
        "c/<slug:city_slug>/agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"
    ),
    path("c/<slug:city_slug>/sites/", views.site_list, name="site_list"),
    path("c/<slug:city_slug>/sites/new/", views.site_edit, name="site_create"),
    path("c/<slug:city_slug>/sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
]
