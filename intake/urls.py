from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("deleted/", views.deleted, name="deleted"),
    path("i/<str:token>/", views.resume, name="resume"),
    path("i/<str:token>/urgent/", views.urgent, name="urgent"),
    path("i/<str:token>/review/", views.review, name="review"),
    path("i/<str:token>/results/", views.results, name="results"),
    path("i/<str:token>/print/", views.print_view, name="print"),
    path("i/<str:token>/contact/", views.contact, name="contact"),
    path("i/<str:token>/delete/", views.delete, name="delete"),
    path("i/<str:token>/email-link/", views.email_link, name="email_link"),
    path("i/<str:token>/<slug:slug>/", views.step, name="step"),
]
