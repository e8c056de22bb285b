from django.urls import path

from tandem.resources import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/<int:institution_pk>/", views.resource_create, name="create"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/edit/", views.resource_edit, name="edit"),
    path("<int:pk>/open/", views.opening_create, name="opening_create"),
    path("<int:pk>/openings/<int:opening_pk>/close/", views.opening_close, name="opening_close"),
]
