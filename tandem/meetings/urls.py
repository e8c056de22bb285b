from django.urls import path

from tandem.meetings import views, views_log, views_series

app_name = "meetings"
urlpatterns = [
    path("", views.series_list, name="list"),
    path("series/new/", views.series_create, name="series_create"),
    path("people/search/", views.person_search, name="person_search"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/invite/", views.participant_add, name="participant_add"),
    path("series/<int:pk>/edit/", views_series.series_edit, name="series_edit"),
    path("series/<int:pk>/end/", views_series.series_end, name="series_end"),
    path(
        "series/<int:pk>/participants/<int:user_pk>/remove/",
        views_series.participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/notes/", views.meeting_notes, name="meeting_notes"),
    path("<int:pk>/report/", views.report_submit, name="report_submit"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("<int:pk>/actions/", views.action_create, name="action_create"),
    path("<int:pk>/minutes.pdf", views_log.minutes_pdf, name="minutes_pdf"),
    path("reports/<int:pk>/comment/", views.report_comment, name="report_comment"),
    path(
        "reports/<int:pk>/files/<int:file_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("log/", views_log.contact_list, name="contact_list"),
    path("log/new/", views_log.contact_create, name="contact_create"),
]
