"""The API under /api/v1/: each app contributes its routes; schema and docs work offline."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("v1/", include("mitglieder.api.urls")),
    path("v1/", include("leistungen.api.urls")),
    path("v1/", include("vertraege.api.urls")),
    path("v1/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
