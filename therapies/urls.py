from django.urls import path

app_name = "therapies"
urlpatterns = []
