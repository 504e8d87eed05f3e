from django.urls import path

from . import review

app_name = "review"
urlpatterns = [
    path("", review.queue, name="queue"),
    path("export.csv", review.export, name="export"),
    path("metrics/", review.metrics, name="metrics"),
    path("<str:reference>/", review.detail, name="detail"),
    path("<str:reference>/assign/", review.assign, name="assign"),
    path("<str:reference>/status/", review.change_status, name="status"),
    path("<str:reference>/notes/", review.add_note, name="note"),
]
