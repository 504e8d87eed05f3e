from django.urls import path

from . import preferences, session, summary, undelivered, views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.export, name="export"),
    path("metrics/", views.metrics, name="metrics"),
    path("undelivered/", undelivered.undelivered, name="undelivered"),
    path("stay-signed-in/", session.stay_signed_in, name="stay_signed_in"),
    path("time-zone/", preferences.edit, name="time_zone"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/assign/", views.assign, name="assign"),
    path("<str:reference>/status/", views.change_status, name="status"),
    path("<str:reference>/notes/", views.add_note, name="note"),
    path("<str:reference>/spam/", views.mark_spam, name="spam"),
    path("<str:reference>/calls/", views.log_call, name="call"),
    path("<str:reference>/step-back/", views.step_back, name="step_back"),
    path("<str:reference>/referral/", views.refer, name="refer"),
    path("<str:reference>/summary/", summary.summary, name="summary"),
    path("<str:reference>/summary.pdf", summary.summary_pdf, name="summary_pdf"),
]
