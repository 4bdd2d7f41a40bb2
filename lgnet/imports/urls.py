from django.urls import path

from lgnet.imports import views

app_name = "imports"

urlpatterns = [
    path("c/<slug:city_slug>/imports/", views.import_list, name="list"),
    path("c/<slug:city_slug>/imports/template/", views.import_template, name="template"),
    path("c/<slug:city_slug>/imports/<int:pk>/", views.import_detail, name="detail"),
    path("c/<slug:city_slug>/imports/<int:pk>/apply/", views.import_apply, name="apply"),
    path("c/<slug:city_slug>/export/", views.export_list, name="export"),
]
