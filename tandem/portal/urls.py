from django.urls import path

from tandem.portal import views, views_reports

app_name = "portal"
urlpatterns = [
    # Under /cultivation/, where it has always been: a tutor's trainees are joint cultivations.
    path("cultivation/workspace/", views.workspace, name="workspace"),
    path("reports/benchmarks/", views_reports.benchmark, name="benchmark"),
    path("reports/benchmarks.xlsx", views_reports.benchmark_export, name="benchmark_export"),
]
