"""Catalog write access: only the office (model permissions), on pages and API; anonymous
and Kommune users can read but not write."""

import pytest

from leistungen.models import Leistung
from tests.conftest import api_client
from tests.leistungen.factories import KategorieFactory, LeistungFactory

pytestmark = pytest.mark.django_db

ROLLEN = ["anonym", "ohne_rolle", "geschaeftsstelle", "finanzen", "kommune_a"]


@pytest.fixture
def benutzer(request):
    return None if request.param == "anonym" else request.getfixturevalue(request.param)


NEU = {
    "name": "Neue Leistung",
    "slug": "neue-leistung",
    "kurztext": "kurz",
    "kategorie": "rz",
    "status": "verfuegbar",
    "preismodell": "pauschal",
    "preise": [{"gueltig_ab": "2026-01-01", "gueltig_bis": None, "betrag": "10.00"}],
}

API = [
    ("get", "/api/v1/leistungen/", None, [200, 200, 200, 200, 200]),
    ("get", "/api/v1/leistungen/bestand/", None, [200, 200, 200, 200, 200]),
    ("get", "/api/v1/leistungskategorien/", None, [200, 200, 200, 200, 200]),
    ("post", "/api/v1/leistungen/", NEU, [401, 403, 201, 403, 403]),
    ("patch", "/api/v1/leistungen/bestand/", {"kurztext": "neu"}, [401, 403, 200, 403, 403]),
    ("delete", "/api/v1/leistungen/bestand/", None, [401, 403, 204, 403, 403]),
    ("post", "/api/v1/leistungskategorien/", {"name": "X", "slug": "x"}, [401, 403, 201, 403, 403]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "url", "daten", "erwartet"), API, ids=[f"{m} {u}" for m, u, _, _ in API]
)
def test_api_matrix(benutzer, request, methode, url, daten, erwartet):
    KategorieFactory(slug="rz")
    LeistungFactory(slug="bestand")
    rolle = request.node.callspec.params["benutzer"]

    antwort = getattr(api_client(benutzer), methode)(url, daten, format="json")

    assert antwort.status_code == erwartet[ROLLEN.index(rolle)], antwort.content


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
def test_katalogseiten_fuer_alle_lesbar(client, benutzer):
    LeistungFactory(slug="bestand")
    if benutzer is not None:
        client.force_login(benutzer)
    assert client.get("/leistungen/").status_code == 200
    assert client.get("/leistungen/bestand/").status_code == 200


def test_admin_nur_fuer_die_geschaeftsstelle(client, geschaeftsstelle, finanzen):
    LeistungFactory(slug="bestand")
    for user, darf_aendern in [(geschaeftsstelle, True), (finanzen, False)]:
        user.is_staff = True
        user.save()
        client.force_login(user)
        leistung = Leistung.objects.get(slug="bestand")
        seite = client.get(f"/admin/leistungen/leistung/{leistung.pk}/change/")
        assert seite.status_code == 200
        assert ('name="name"' in seite.text) is darf_aendern


def test_leistung_anlegen_mit_preisen_und_ueberschneidung(geschaeftsstelle):
    KategorieFactory(slug="rz")
    client = api_client(geschaeftsstelle)
    daten = {
        **NEU,
        "preise": [
            {"gueltig_ab": "2026-01-01", "gueltig_bis": "2027-03-31", "betrag": "10.00"},
            {"gueltig_ab": "2027-01-01", "gueltig_bis": None, "betrag": "12.00"},
        ],
    }
    antwort = client.post("/api/v1/leistungen/", daten, format="json")
    assert antwort.status_code == 400
    assert antwort.json()["preise"] == [
        "Der Preis ab 01.01.2026 endet am 31.03.2027 und überschneidet sich mit dem Preis ab "
        "01.01.2027."
    ]
    assert not Leistung.objects.filter(slug="neue-leistung").exists()

    daten["preise"][0]["gueltig_bis"] = "2026-12-31"
    antwort = client.post("/api/v1/leistungen/", daten, format="json")
    assert antwort.status_code == 201
    assert [p["betrag"] for p in antwort.json()["preise"]] == ["10.0000", "12.0000"]


def test_kostenfreie_leistung_ohne_betrag_und_abgekuendigt_mit_datum(geschaeftsstelle):
    KategorieFactory(slug="rz")
    client = api_client(geschaeftsstelle)
    antwort = client.post(
        "/api/v1/leistungen/", {**NEU, "preismodell": "kostenfrei"}, format="json"
    )
    assert antwort.status_code == 400
    assert "hat keinen Preis" in antwort.json()["preise"][0]
    antwort = client.post(
        "/api/v1/leistungen/", {**NEU, "status": "abgekuendigt", "preise": []}, format="json"
    )
    assert antwort.json() == {
        "abgekuendigt_zum": ["Eine abgekündigte Leistung braucht ihr Enddatum."]
    }
    antwort = client.post(
        "/api/v1/leistungen/", {**NEU, "preismodell": "je_einheit", "preise": []}, format="json"
    )
    assert antwort.json() == {
        "einheit": ["Beim Preismodell „je Einheit“ ist die Einheit anzugeben."]
    }
