from django.urls import path

from tandem.milestones import views

app_name = "milestones"
urlpatterns = [
    path("", views.home, name="home"),
    path("sets/", views.set_list, name="set_list"),
    path("sets/<int:pk>/", views.set_detail, name="set_detail"),
    path("sets/<int:pk>/export/", views.set_export, name="set_export"),
    path("sets/<int:pk>/import/", views.set_import, name="set_import"),
    path("programs/<int:pk>/committee/", views.committee_create, name="committee_create"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/members/", views.committee_member, name="committee_member"),
    path("committees/<int:pk>/reviews/", views.review_open, name="review_open"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("residents/<int:pk>/", views.resident_review, name="resident_review"),
    path("residents/<int:pk>/rate/", views.rate, name="rate"),
    path("residents/<int:pk>/finalise/", views.finalise, name="finalise"),
    path("summaries/<int:pk>/", views.summary, name="summary"),
]
