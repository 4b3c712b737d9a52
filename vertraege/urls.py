from django.urls import path

from vertraege import views
from vertraege.umlage import views as umlage

urlpatterns = [
    path("umlage/", umlage.uebersicht, name="umlage"),
    path("umlage/pools/neu/", umlage.pool_formular, name="kostenpool-anlegen"),
    path("umlage/pools/<int:pk>/", umlage.pool_formular, name="kostenpool-bearbeiten"),
    path("umlage/laeufe/neu/", umlage.lauf_anlegen, name="umlagelauf-anlegen"),
    path("umlage/laeufe/<int:pk>/", umlage.lauf_detail, name="umlagelauf"),
    path(
        "umlage/laeufe/<int:pk>/<str:aktion>/",
        umlage.lauf_aktion,
        name="umlagelauf-aktion",
    ),
    path("umlage/laeufe/<int:pk>/pools/<int:pool_id>/", umlage.pool_detail, name="umlage-pool"),
    path(
        "umlage/laeufe/<int:pk>/mitglieder/<int:mitglied_id>/",
        umlage.mitglied_bescheid,
        name="umlage-mitglied",
    ),
    path("umlage/laeufe/<int:pk>/export.<str:format>", umlage.lauf_export, name="umlage-export"),
    path(
        "umlage/laeufe/<int:pk>/diagramme/<str:art>.svg",
        umlage.lauf_diagramm,
        name="umlage-diagramm",
    ),
    path("umlage/abrechnung/<int:jahr>/", umlage.abrechnung, name="umlage-abrechnung"),
    path(
        "leistungen/<slug:slug>/anfragen/",
        views.leistungsabruf_anlegen,
        name="leistungsabruf-anlegen",
    ),
    path("anfragen/", views.leistungsabruf_liste, name="leistungsabruf-liste"),
    path("anfragen/<int:pk>/", views.leistungsabruf_detail, name="leistungsabruf-detail"),
    path("vertraege/", views.vertrag_liste, name="vertrag-liste"),
    path("vertraege/<int:pk>/", views.vertrag_detail, name="vertrag-detail"),
    path("vertraege/<int:pk>/kuendigen/", views.vertrag_kuendigen, name="vertrag-kuendigen"),
    path("vertraege/<int:pk>/menge/", views.vertrag_menge, name="vertrag-menge"),
    path(
        "vertraege/<int:pk>/dokumente/",
        views.vertrag_dokument_hochladen,
        name="vertrag-dokument-hochladen",
    ),
    path("vertraege/dokumente/<int:pk>/", views.vertrag_dokument, name="vertrag-dokument"),
    path("fristen/", views.fristen_uebersicht, name="fristen"),
    path("fristen.csv", views.fristen_uebersicht, {"format": "csv"}, name="fristen-csv"),
    path("fristen.xlsx", views.fristen_uebersicht, {"format": "xlsx"}, name="fristen-xlsx"),
]
