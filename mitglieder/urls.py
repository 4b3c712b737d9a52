from django.urls import path

from mitglieder import umfragen_views, views

urlpatterns = [
    path("mitglieder/", views.mitglied_liste, name="mitglied-liste"),
    path("mitglieder/neu/", views.mitglied_anlegen, name="mitglied-anlegen"),
    path("mitglieder/<int:pk>/", views.mitglied_detail, name="mitglied-detail"),
    path("mitglieder/<int:pk>/bearbeiten/", views.mitglied_bearbeiten, name="mitglied-bearbeiten"),
    path("mitglieder/<int:pk>/status/", views.mitglied_status, name="mitglied-status"),
    path("mitglieder/<int:pk>/nachfolger/", views.mitglied_nachfolger, name="mitglied-nachfolger"),
    path(
        "mitglieder/<int:pk>/ansprechpartner/neu/",
        views.ansprechpartner_anlegen,
        name="ansprechpartner-anlegen",
    ),
    path(
        "mitglieder/<int:pk>/ansprechpartner/<int:ap_pk>/",
        views.ansprechpartner_bearbeiten,
        name="ansprechpartner-bearbeiten",
    ),
    path("mein-mitglied/", views.mein_mitglied, name="mein-mitglied"),
    path("gesellschafterliste/", views.gesellschafterliste, name="gesellschafterliste"),
    path(
        "gesellschafterliste.csv",
        views.gesellschafterliste,
        {"format": "csv"},
        name="gesellschafterliste-csv",
    ),
    path(
        "gesellschafterliste.xlsx",
        views.gesellschafterliste,
        {"format": "xlsx"},
        name="gesellschafterliste-xlsx",
    ),
    path("anteilsvorgaenge/neu/", views.anteilsvorgang_anlegen, name="anteilsvorgang-anlegen"),
    path("register/statistik/", views.register_statistik, name="register-statistik"),
    path("umfrage/<str:token>/", umfragen_views.antworten, name="umfrage-antworten"),
    path("umfragen/", umfragen_views.liste, name="umfragen"),
    path("umfragen/<int:pk>/", umfragen_views.detail, name="umfrage"),
    path("umfragen/<int:pk>/einladungen/", umfragen_views.einladungen, name="umfrage-einladungen"),
    path("umfragen/<int:pk>/ergebnisse/", umfragen_views.ergebnisse, name="umfrage-ergebnisse"),
    path(
        "umfragen/<int:pk>/ergebnisse.csv",
        umfragen_views.ergebnisse,
        {"format": "csv"},
        name="umfrage-ergebnisse-csv",
    ),
    path(
        "umfragen/<int:pk>/ergebnisse.xlsx",
        umfragen_views.ergebnisse,
        {"format": "xlsx"},
        name="umfrage-ergebnisse-xlsx",
    ),
    path(
        "umfragen/<int:pk>/diagramme/<int:frage_pk>.svg",
        umfragen_views.diagramm,
        name="umfrage-diagramm",
    ),
    path("umfragen/<int:pk>/uebernehmen/", umfragen_views.uebernehmen, name="umfrage-uebernehmen"),
    path("umfragen/<int:pk>/<str:aktion>/", umfragen_views.aktion, name="umfrage-aktion"),
]
