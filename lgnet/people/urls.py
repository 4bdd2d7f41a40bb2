from django.urls import path

from lgnet.people import views

app_name = "people"

urlpatterns = [
    path("c/<slug:city_slug>/persons/", views.person_list, name="list"),
    path("c/<slug:city_slug>/persons/new/", views.person_create, name="create"),
    path("c/<slug:city_slug>/persons/candidates/", views.person_candidates, name="candidates"),
    path("c/<slug:city_slug>/persons/duplicates/", views.duplicate_list, name="duplicates"),
    path("c/<slug:city_slug>/persons/<int:pk>/", views.person_detail, name="detail"),
    path("c/<slug:city_slug>/persons/<int:pk>/edit/", views.person_edit, name="edit"),
    path(
        "c/<slug:city_slug>/persons/<int:pk>/household/", views.household_add, name="household_add"
    ),
    path(
        "c/<slug:city_slug>/persons/<int:pk>/merge/<int:other>/", views.person_merge, name="merge"
    ),
    path(
        "c/<slug:city_slug>/persons/<int:pk>/not-same/<int:other>/",
        views.person_not_same,
        name="not_same",
    ),
    path("c/<slug:city_slug>/contacts/", views.contact_list, name="contact_list"),
    path("c/<slug:city_slug>/contacts/new/", views.contact_create, name="contact_create"),
    path("c/<slug:city_slug>/contacts/<int:pk>/link/", views.contact_link, name="contact_link"),
]
