from django.urls import path

from tandem.accounts import views, views_feed

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns += [
    path("settings/calendar/", views_feed.calendar_feed_page, name="calendar_feed"),
    path("settings/calendar/rotate/", views_feed.calendar_feed_rotate, name="calendar_feed_rotate"),
    path("settings/calendar/revoke/", views_feed.calendar_feed_revoke, name="calendar_feed_revoke"),
]

urlpatterns += [
    path("", views.people, name="people"),
    path("invite/", views.person_invite, name="person_invite"),
    path("import/", views.people_import, name="people_import"),
    path("import/template.xlsx", views.people_import_template, name="people_import_template"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/roles/add/", views.membership_add, name="membership_add"),
    path("roles/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<int:pk>/trainee-profile/", views.trainee_profile_edit, name="trainee_profile_edit"),
    path("<int:pk>/tutor-profile/", views.tutor_profile_edit, name="tutor_profile_edit"),
]
