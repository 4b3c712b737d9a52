from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kiv import views

urlpatterns = [
    path("", views.start, name="start"),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("kiv.api")),
    path("admin/", admin.site.urls),
    path("", include("mitglieder.urls")),
    path("", include("leistungen.urls")),
    path("", include("vertraege.urls")),
]
