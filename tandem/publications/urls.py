from django.urls import path

from tandem.publications import views

app_name = "publications"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("export.xlsx", views.publication_export, name="export"),
    path("cultivations/<int:pk>/new/", views.publication_create, name="create"),
    path("cultivations/<int:pk>/import/", views.publication_import, name="import"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/waive/", views.publication_waive, name="waive"),
    path("<int:pk>/confirm/", views.publication_confirm, name="confirm"),
]
