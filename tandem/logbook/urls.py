from django.urls import path

from tandem.logbook import views, views_catalogues

app_name = "logbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/review/", views.entry_review, name="entry_review"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("review/", views.review, name="review"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("catalogues/", views_catalogues.catalogue_list, name="catalogue_list"),
    path("catalogues/<int:pk>/", views_catalogues.catalogue_detail, name="catalogue_detail"),
    path("catalogues/<int:pk>/items/", views_catalogues.item_add, name="item_add"),
    path("catalogues/<int:pk>/minimums/", views_catalogues.minimum_set, name="minimum_set"),
    path("catalogues/<int:pk>/import/", views_catalogues.catalogue_import, name="catalogue_import"),
]
