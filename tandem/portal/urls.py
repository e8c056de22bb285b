from django.urls import path

from tandem.portal import views, views_reports

app_name = "portal"
urlpatterns = [
    # Under /cultivation/, where it has always been: a tutor's trainees are joint cultivations.
    path("cultivation/workspace/", views.workspace, name="workspace"),
    path("reports/benchmarks/", views_reports.benchmark, name="benchmark"),
    path("reports/benchmarks.xlsx", views_reports.benchmark_export, name="benchmark_export"),
    path("reports/annual/", views_reports.annual_report_list, name="annual_reports"),
    path("reports/annual/<int:pk>/", views_reports.annual_report_detail, name="annual_report"),
    path("reports/annual/<int:pk>/pdf/", views_reports.annual_report_pdf, name="annual_report_pdf"),
    path(
        "reports/annual/<int:pk>/xlsx/", views_reports.annual_report_xlsx, name="annual_report_xlsx"
    ),
]
