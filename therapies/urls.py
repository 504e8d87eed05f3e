from django.urls import path

from . import views

app_name = "therapies"
urlpatterns = [
    path("", views.home, name="home"),
    path("therapies/", views.therapy_list, name="therapy_list"),
    path("therapies/<slug:slug>/", views.therapy_detail, name="therapy_detail"),
    path("centres/", views.center_list, name="center_list"),
    path("help/unwell/", views.unwell, name="unwell"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
]
