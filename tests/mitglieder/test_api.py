"""The member and register API: filters, writes through services, constant query counts."""

import datetime as dt

import pytest

from mitglieder.models import Mitglied, MitgliedStatusEintrag
from tests.conftest import api_client
from tests.mitglieder.factories import GemeindeFactory, KreisFactory, MitgliedFactory

pytestmark = pytest.mark.django_db


def _mitglieder(anzahl: int, kreis=None):
    kreis = kreis or KreisFactory()
    for _ in range(anzahl):
        m = MitgliedFactory(gebietskoerperschaft=GemeindeFactory(kreis=kreis))
        m.ansprechpartner.create(name="A", rolle="IT")


@pytest.mark.parametrize("anzahl", [3, 40])
def test_mitgliederliste_mit_konstanter_abfragezahl(
    geschaeftsstelle, anzahl, django_assert_max_num_queries
):
    _mitglieder(anzahl)
    client = api_client(geschaeftsstelle)

    # token, user groups, count, page, two prefetches (status history, contacts)
    with django_assert_max_num_queries(7):
        antwort = client.get("/api/v1/mitglieder/")
    assert antwort.json()["count"] == anzahl


@pytest.mark.parametrize("anzahl", [3, 60])
def test_gebietskoerperschaften_liste_mit_konstanter_abfragezahl(
    finanzen, anzahl, django_assert_max_num_queries
):
    kreis = KreisFactory()
    GemeindeFactory.create_batch(anzahl, kreis=kreis)
    client = api_client(finanzen)

    with django_assert_max_num_queries(4):
        antwort = client.get("/api/v1/gebietskoerperschaften/", {"kreis": kreis.ars})
    assert antwort.json()["count"] == anzahl
    assert antwort.json()["results"][0]["kreis"] == kreis.ars


def test_gebietskoerperschaften_filter(finanzen):
    kreis = KreisFactory(name="Eichsfeld")
    GemeindeFactory(kreis=kreis, name="Leinefelde-Worbis, Stadt", typ="63")
    GemeindeFactory(kreis=kreis, name="Niederorschel", typ="64")
    aufgeloest = GemeindeFactory(
        kreis=kreis, name="Alte Gemeinde", aufgeloest_am=dt.date(2024, 1, 1)
    )
    client = api_client(finanzen)

    def namen(**filter):
        return sorted(
            g["name"]
            for g in client.get("/api/v1/gebietskoerperschaften/", filter).json()["results"]
        )

    assert namen(name="worbis") == ["Leinefelde-Worbis, Stadt"]
    assert namen(typ="63") == ["Leinefelde-Worbis, Stadt"]
    assert namen(ebene="gemeinde", aktiv_am="2024-06-01") == [
        "Leinefelde-Worbis, Stadt",
        "Niederorschel",
    ]
    assert aufgeloest.name in namen(ebene="gemeinde", aktiv_am="2023-06-01")
    assert namen(land="16", ebene="kreis") == ["Eichsfeld"]
    antwort = client.get("/api/v1/gebietskoerperschaften/", {"aktiv_am": "gestern"})
    assert antwort.status_code == 400


def test_mitglied_anlegen_mit_erstem_statusschritt(geschaeftsstelle):
    gemeinde = GemeindeFactory(name="Sömmerda, Stadt", verwaltungssitz="")
    antwort = api_client(geschaeftsstelle).post(
        "/api/v1/mitglieder/",
        {
            "gebietskoerperschaft": gemeinde.ars,
            "datum": "2026-03-01",
            "leitweg_id": "16051000-ZE12-22",
        },
        format="json",
    )

    assert antwort.status_code == 201, antwort.json()
    assert antwort.json()["status"] == "interessent"
    assert antwort.json()["name"] == "Sömmerda, Stadt" and antwort.json()["ags"] == gemeinde.ags
    mitglied = Mitglied.objects.get(pk=antwort.json()["id"])
    assert mitglied.statushistorie.get().datum == dt.date(2026, 3, 1)
    assert mitglied.history.first().history_user == geschaeftsstelle


def test_zweites_mitglied_fuer_dieselbe_koerperschaft_wird_abgelehnt(geschaeftsstelle, mitglied_a):
    antwort = api_client(geschaeftsstelle).post(
        "/api/v1/mitglieder/",
        {"gebietskoerperschaft": mitglied_a.gebietskoerperschaft.ars, "datum": "2026-03-01"},
        format="json",
    )
    assert antwort.status_code == 400
    assert antwort.json() == {"gebietskoerperschaft": ["Adorf ist bereits erfasst."]}


@pytest.mark.parametrize(
    ("wert", "meldung"),
    [
        ("16051000-ZE12-23", "Die Prüfziffer der Leitweg-ID „16051000-ZE12-23“ stimmt nicht"),
        ("16051000", "hat nicht das Format Grobadressierung-Feinadressierung-Prüfziffer"),
        ("17051000-ZE12-22", "beginnt nicht mit einer gültigen Kennzahl"),
    ],
)
def test_ungueltige_leitweg_id_wird_mit_grund_abgelehnt(
    geschaeftsstelle, mitglied_a, wert, meldung
):
    antwort = api_client(geschaeftsstelle).patch(
        f"/api/v1/mitglieder/{mitglied_a.pk}/", {"leitweg_id": wert}, format="json"
    )
    assert antwort.status_code == 400
    assert meldung in antwort.json()["leitweg_id"][0]
    mitglied_a.refresh_from_db()
    assert mitglied_a.leitweg_id == ""


def test_statuswechsel_nur_erlaubte_uebergaenge(geschaeftsstelle):
    mitglied = MitgliedFactory(interessent=True, datum=dt.date(2025, 1, 1))
    client = api_client(geschaeftsstelle)
    url = f"/api/v1/mitglieder/{mitglied.pk}/status/"

    antwort = client.post(url, {"status": "aktiv", "datum": "2025-02-01"}, format="json")
    assert antwort.status_code == 400
    assert antwort.json()["status"] == [
        "Von „Interessent“ ist kein Wechsel zu „aktiv“ möglich; möglich ist: „Beitritt beantragt“."
    ]

    schritte = [
        ("beitritt_beantragt", "2025-02-01", ""),
        ("beitritt_beschlossen", "2025-05-15", "Gesellschafterbeschluss vom 15.05.2025, TOP 4"),
        ("aktiv", "2025-07-01", "UR-Nr. 17/2025"),
    ]
    for status, datum, beschluss in schritte:
        antwort = client.post(
            url, {"status": status, "datum": datum, "beschluss": beschluss}, format="json"
        )
        assert antwort.status_code == 201, antwort.json()

    antwort = client.post(
        url, {"status": "austritt_erklaert", "datum": "2025-06-01"}, format="json"
    )
    assert antwort.json()["datum"] == [
        "Der Schritt kann nicht vor dem letzten Statuswechsel (01.07.2025) wirksam werden."
    ]
    mitglied.refresh_from_db()
    assert mitglied.status == "aktiv"
    assert list(mitglied.statushistorie.values_list("status", flat=True)) == [
        "interessent",
        "beitritt_beantragt",
        "beitritt_beschlossen",
        "aktiv",
    ]
    assert MitgliedStatusEintrag.objects.get(status="aktiv").erfasst_von == geschaeftsstelle


def test_ausgeschieden_ist_endgueltig(geschaeftsstelle):
    mitglied = MitgliedFactory(ausgeschieden=True)
    antwort = api_client(geschaeftsstelle).post(
        f"/api/v1/mitglieder/{mitglied.pk}/status/",
        {"status": "aktiv", "datum": "2026-01-01"},
        format="json",
    )
    assert antwort.json()["status"] == [
        "Von „ausgeschieden“ ist kein Wechsel zu „aktiv“ möglich; der Status ist endgültig."
    ]


def test_mitglied_behaelt_historie_wenn_koerperschaft_aufgeloest_wird(
    geschaeftsstelle, mitglied_a, client
):
    gk = mitglied_a.gebietskoerperschaft
    gk.aufgeloest_am = dt.date(2024, 1, 1)
    gk.save()
    nachfolger = GemeindeFactory(name="Neustadt", gueltig_ab=dt.date(2024, 1, 1))
    client.force_login(geschaeftsstelle)

    antwort = client.post(
        f"/mitglieder/{mitglied_a.pk}/nachfolger/", {"schluessel": nachfolger.ags}
    )

    assert antwort.status_code == 302
    seite = client.get(f"/mitglieder/{mitglied_a.pk}/")
    assert "seit 01.01.2024, Nachfolger: Neustadt" in seite.text
    assert "aktiv" in seite.text  # status history still there
    assert (
        api_client(geschaeftsstelle)
        .get(f"/api/v1/gebietskoerperschaften/{gk.pk}/")
        .json()["nachfolger"]
        == nachfolger.ars
    )


def test_api_token_anmeldung(geschaeftsstelle):
    antwort = api_client().post("/api/v1/token/", {"username": "gs", "password": "geheim-123"})
    assert antwort.status_code == 200
    token = antwort.json()["token"]
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/mitglieder/").status_code == 200
