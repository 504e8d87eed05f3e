from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("review/", include("intake.review_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("therapies.urls")),
    path("", include("intake.urls")),
    prefix_default_language=False,
)
