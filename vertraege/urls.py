from django.urls import path

from vertraege import views

urlpatterns = [
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
