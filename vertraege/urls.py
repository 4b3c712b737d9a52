from django.urls import path

from vertraege import views

urlpatterns = [
    path(
        "leistungen/<slug:slug>/anfragen/",
        views.leistungsabruf_anlegen,
        name="leistungsabruf-anlegen",
    ),
    path("anfragen/", views.leistungsabruf_liste, name="leistungsabruf-liste"),
]
