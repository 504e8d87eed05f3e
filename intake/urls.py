from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("start/", views.start, name="start"),
]
