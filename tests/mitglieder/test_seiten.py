"""The member pages, the register statistics and the change history, as the office and a
Kommune user see them."""

import datetime as dt

import pytest

from mitglieder.models import Ansprechpartner, Mitglied
from tests.conftest import api_client
from tests.mitglieder.factories import GemeindeFactory, KreisFactory, LandFactory, MitgliedFactory

pytestmark = pytest.mark.django_db


def test_mitgliederliste_filtert_nach_status_kreis_typ_und_suche(client, geschaeftsstelle):
    eichsfeld, gotha = KreisFactory(name="Eichsfeld"), KreisFactory(name="Gotha")
    MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=eichsfeld, name="Dingelstädt, Stadt", typ="63")
    )
    MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=gotha, name="Waltershausen, Stadt", typ="63")
    )
    MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=gotha, name="Emleben"), interessent=True
    )
    client.force_login(geschaeftsstelle)

    def namen(**filter):
        seite = client.get("/mitglieder/", filter)
        assert seite.status_code == 200
        return [m.name for m in seite.context["seite"]]

    assert namen() == ["Dingelstädt, Stadt", "Emleben", "Waltershausen, Stadt"]
    assert namen(status="interessent") == ["Emleben"]
    assert namen(kreis=gotha.ars) == ["Emleben", "Waltershausen, Stadt"]
    assert namen(typ="63", kreis=gotha.ars) == ["Waltershausen, Stadt"]
    assert namen(suche="dingel") == ["Dingelstädt, Stadt"]
    assert namen(status="unbekannt") == ["Dingelstädt, Stadt", "Emleben", "Waltershausen, Stadt"]


def test_mitgliederliste_seite_mit_konstanter_abfragezahl(
    client, geschaeftsstelle, django_assert_max_num_queries
):
    kreis = KreisFactory()
    for _ in range(30):
        MitgliedFactory(gebietskoerperschaft=GemeindeFactory(kreis=kreis))
    client.force_login(geschaeftsstelle)
    with django_assert_max_num_queries(8):
        assert client.get("/mitglieder/").status_code == 200


def test_mitglied_anlegen_ueber_die_seite(client, geschaeftsstelle):
    gemeinde = GemeindeFactory(name="Apolda, Stadt")
    client.force_login(geschaeftsstelle)

    antwort = client.post(
        "/mitglieder/neu/",
        {"schluessel": gemeinde.ags, "status": "interessent", "datum": "2026-02-01"},
    )
    mitglied = Mitglied.objects.get(gebietskoerperschaft=gemeinde)
    assert antwort["Location"] == f"/mitglieder/{mitglied.pk}/"

    antwort = client.post(
        "/mitglieder/neu/",
        {"schluessel": "99999999", "status": "interessent", "datum": "2026-02-01"},
    )
    assert "Im Register gibt es keinen Schlüssel „99999999“." in antwort.text
    antwort = client.post("/mitglieder/neu/", {"status": "interessent", "datum": "2026-02-01"})
    assert "Ohne Gebietskörperschaft sind Name und Sitz anzugeben." in antwort.text


def test_statuswechsel_auf_der_seite_und_fehlermeldung_am_feld(
    client, geschaeftsstelle, mitglied_a
):
    client.force_login(geschaeftsstelle)
    url = f"/mitglieder/{mitglied_a.pk}/status/"

    antwort = client.post(url, {"status": "austritt_erklaert", "datum": "2022-01-01"})
    assert antwort.status_code == 400
    assert "nicht vor dem letzten Statuswechsel (01.01.2023)" in antwort.text

    antwort = client.post(
        url,
        {"status": "austritt_erklaert", "datum": "2026-06-30", "beschluss": "Schreiben vom 28.06."},
    )
    assert antwort.status_code == 302
    seite = client.get(f"/mitglieder/{mitglied_a.pk}/")
    assert "Austritt erklärt" in seite.text and "Schreiben vom 28.06." in seite.text


def test_aenderungsprotokoll_zeigt_wer_wann_was(client, geschaeftsstelle, kommune_a, mitglied_a):
    client.force_login(kommune_a)
    client.post(
        f"/mitglieder/{mitglied_a.pk}/bearbeiten/",
        {
            "leitweg_id": "16051000-ZE12-22",
            "rechnung_strasse": "Markt 1",
            "rechnung_plz": "99084",
            "rechnung_ort": "Adorf",
        },
    )
    client.post(
        f"/mitglieder/{mitglied_a.pk}/ansprechpartner/neu/",
        {"name": "Eva Ernst", "rolle": "IT-Leitung", "email": "e@adorf.example"},
    )
    ansprechpartner = Ansprechpartner.objects.get(name="Eva Ernst")
    client.post(
        f"/mitglieder/{mitglied_a.pk}/ansprechpartner/{ansprechpartner.pk}/", {"loeschen": "1"}
    )

    client.force_login(geschaeftsstelle)
    seite = client.get(f"/mitglieder/{mitglied_a.pk}/")

    protokoll = seite.context["aenderungen"]
    assert [(e["objekt"], e["was"], str(e["wer"])) for e in protokoll[:3]] == [
        ("Ansprechpartner Eva Ernst", "gelöscht", "kommune-a"),
        ("Ansprechpartner Eva Ernst", "angelegt", "kommune-a"),
        ("Mitglied", "geändert", "kommune-a"),
    ]
    assert "Leitweg-ID: „“ → „16051000-ZE12-22“" in protokoll[2]["details"]
    assert "Änderungsprotokoll" in seite.text


def test_kommune_sieht_kein_aenderungsprotokoll_und_keinen_statuswechsel(client, kommune_a):
    client.force_login(kommune_a)
    seite = client.get("/mein-mitglied/")
    assert seite.status_code == 200
    assert "Mein Mitglied: Adorf" in seite.text
    assert "Änderungsprotokoll" not in seite.text and "Statuswechsel erfassen" not in seite.text


def test_kommune_bearbeitet_nur_rechnungsdaten(client, kommune_a, mitglied_a):
    client.force_login(kommune_a)
    formular = client.get(f"/mitglieder/{mitglied_a.pk}/bearbeiten/").context["form"]
    assert list(formular.fields) == [
        "leitweg_id",
        "rechnung_empfaenger",
        "rechnung_strasse",
        "rechnung_plz",
        "rechnung_ort",
    ]

    antwort = client.post(
        f"/mitglieder/{mitglied_a.pk}/bearbeiten/", {"leitweg_id": "falsch", "name": "Neu"}
    )
    assert "hat nicht das Format Grobadressierung" in antwort.text
    mitglied_a.refresh_from_db()
    assert mitglied_a.name == "Adorf"


def test_register_statistik_zum_stichtag(client, geschaeftsstelle, finanzen):
    LandFactory()
    kreis = KreisFactory(name="Weimarer Land")
    apolda = GemeindeFactory(kreis=kreis, name="Apolda", einwohnerzahl=23072)
    GemeindeFactory(kreis=kreis, name="Vollersroda", einwohnerzahl=209)
    GemeindeFactory(kreis=kreis, name="Gemeindefrei", typ="66", einwohnerzahl=0)
    # Joins on 01.04.2024; at 31.12.2023 it is not yet counted.
    mitglied = MitgliedFactory(
        gebietskoerperschaft=apolda, interessent=True, datum=dt.date(2023, 5, 1)
    )
    for status, datum in [
        ("beitritt_beantragt", "2023-10-01"),
        ("beitritt_beschlossen", "2024-02-15"),
        ("aktiv", "2024-04-01"),
    ]:
        api_client(geschaeftsstelle).post(
            f"/api/v1/mitglieder/{mitglied.pk}/status/",
            {"status": status, "datum": datum},
            format="json",
        )

    vorher = (
        api_client(finanzen)
        .get("/api/v1/gebietskoerperschaften/statistik/", {"land": "16", "stichtag": "2023-12-31"})
        .json()
    )
    nachher = (
        api_client(finanzen)
        .get("/api/v1/gebietskoerperschaften/statistik/", {"land": "16", "stichtag": "2024-04-01"})
        .json()
    )

    assert vorher["gesamt"]["gemeinden"] == 2 and vorher["gesamt"]["gemeinden_mitglied"] == 0
    assert nachher["gesamt"] == {
        "ars": "16",
        "name": "Thüringen",
        "typ": "Land",
        "gemeinden": 2,
        "gemeinden_mitglied": 1,
        "einwohner": 23281,
        "einwohner_mitglied": 23072,
        "gemeinden_ohne_einwohnerzahl": 0,
        "selbst_mitglied": False,
        "abdeckung_gemeinden": "50.0000",
        "abdeckung_einwohner": "99.1023",
    }
    assert nachher["kreise"][0]["name"] == "Weimarer Land"

    client.force_login(geschaeftsstelle)
    seite = client.get("/register/statistik/", {"land": "16", "stichtag": "2024-04-01"})
    assert "23.281" in seite.text and "99,10 %" in seite.text


def test_statistik_fehler_sind_deutsch(finanzen):
    antwort = api_client(finanzen).get(
        "/api/v1/gebietskoerperschaften/statistik/", {"land": "Thüringen"}
    )
    assert antwort.status_code == 400
    assert antwort.json() == {"land": ["Das Land ist ein zweistelliger Schlüssel, z. B. 16."]}
    antwort = api_client(finanzen).get("/api/v1/gebietskoerperschaften/statistik/", {"land": "03"})
    assert antwort.status_code == 404
    assert "Das Land 03 ist im Register" in antwort.json()["detail"]


def test_anmelden_und_abmelden(client, geschaeftsstelle):
    seite = client.get("/anmelden/")
    assert "Anmelden" in seite.text and 'lang="de"' in seite.text
    antwort = client.post("/anmelden/", {"username": "gs", "password": "falsch"})
    assert "Bitte Benutzername und Passwort eingeben." in antwort.text
    antwort = client.post("/anmelden/", {"username": "gs", "password": "geheim-123"})
    assert antwort.status_code == 302
    assert "Mitglieder verwalten" in client.get("/").text
    client.post("/abmelden/")
    assert "Mitglieder verwalten" not in client.get("/").text
