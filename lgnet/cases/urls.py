from django.urls import path

from lgnet.cases import views

app_name = "cases"

urlpatterns = [
    path("c/<slug:city_slug>/cases/", views.case_list, name="list"),
    path("c/<slug:city_slug>/cases/new/", views.case_create, name="create"),
    path("c/<slug:city_slug>/cases/<int:pk>/", views.case_detail, name="detail"),
    path("c/<slug:city_slug>/cases/<int:pk>/services/", views.service_add, name="service_add"),
    path("c/<slug:city_slug>/cases/<int:pk>/close/", views.case_close, name="close"),
    path("c/<slug:city_slug>/cases/<int:pk>/reopen/", views.case_reopen, name="reopen"),
]
