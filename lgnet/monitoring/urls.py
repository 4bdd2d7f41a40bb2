from django.urls import path

from lgnet.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("c/<slug:city_slug>/monitoring/", views.city_dashboard, name="city_dashboard"),
    path("c/<slug:city_slug>/monitoring/refresh/", views.city_refresh, name="city_refresh"),
    path("c/<slug:city_slug>/reports/", views.report_list, name="report_list"),
    path("c/<slug:city_slug>/reports/new/", views.report_create, name="report_create"),
    path("c/<slug:city_slug>/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("c/<slug:city_slug>/reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("c/<slug:city_slug>/reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path(
        "c/<slug:city_slug>/reports/<int:pk>/fund.xlsx", views.report_export, name="report_export"
    ),
    path("c/<slug:city_slug>/reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("rete/monitoring/", views.network_dashboard, name="network_dashboard"),
    path("rete/monitoring/targets/", views.targets, name="targets"),
    path("rete/reports/", views.network_reports, name="network_reports"),
    path("rete/reports/<int:pk>/", views.network_report, name="network_report"),
    path("rete/reports/<int:pk>/report.pdf", views.network_report_pdf, name="network_report_pdf"),
    path("rete/reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("rete/reports/<int:pk>/return/", views.report_return, name="report_return"),
    path(
        "rete/reports/<int:pk>/fund.xlsx", views.network_report_export, name="network_report_export"
    ),
]
