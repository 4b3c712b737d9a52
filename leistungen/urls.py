from django.urls import path

from leistungen import views

urlpatterns = [
    path("leistungen/", views.katalog, name="katalog"),
    path("leistungen/<slug:slug>/", views.leistung_detail, name="leistung-detail"),
]
