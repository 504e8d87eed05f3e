from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from therapies.review_due import review_due_view

urlpatterns = [
    path(
        "admin/therapies/review-due/",
        admin.site.admin_view(review_due_view),
        name="therapies_review_due",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("review/", include("intake.review.urls")),
    # Coordinators sign in here (staff and superusers may use the admin's page);
    # django-axes throttles both. Logout is POST only.
    path(
        "accounts/",
        include(
            [
                path(
                    "login/",
                    auth_views.LoginView.as_view(next_page="review:queue"),
                    name="login",
                ),
                path("logout/", auth_views.LogoutView.as_view(), name="logout"),
                # The code from an authenticator app, after the password.
                path("second-factor/", include("navigator.second_factor.urls")),
            ]
        ),
    ),
]
urlpatterns += i18n_patterns(
    path("", include("therapies.urls")),
    path("", include("intake.urls")),
    prefix_default_language=False,
)

handler500 = "navigator.views.server_error"
