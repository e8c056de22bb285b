from django.urls import path

from tandem.imports import views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", views.job_detail, name="job_detail"),
]
