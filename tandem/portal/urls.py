from django.urls import path

from tandem.portal import views

app_name = "portal"
urlpatterns = [
    # Under /cultivation/, where it has always been: a tutor's trainees are joint cultivations.
    path("cultivation/workspace/", views.workspace, name="workspace"),
]
