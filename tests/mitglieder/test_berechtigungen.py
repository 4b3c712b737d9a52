"""Who may do what: every role against every member page and endpoint. A Kommune user
gets 404 for another member's objects, on pages and in the API alike."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import api_client

pytestmark = pytest.mark.django_db

ROLLEN = ["anonym", "ohne_rolle", "geschaeftsstelle", "finanzen", "kommune_a"]


@pytest.fixture
def benutzer(request, mitglied_a, mitglied_b):
    """The acting user for a role name (None for anonymous)."""
    name = request.param
    return None if name == "anonym" else request.getfixturevalue(name)


def _url(vorlage: str, a, b) -> str:
    return vorlage.format(a=a.pk, b=b.pk)


# (method, url, expected status per role in ROLLEN order)
SEITEN = [
    ("get", "/", [200, 200, 200, 200, 200]),
    ("get", "/mitglieder/", [302, 403, 200, 200, 403]),
    ("get", "/mitglieder/{a}/", [302, 404, 200, 200, 200]),
    ("get", "/mitglieder/{b}/", [302, 404, 200, 200, 404]),
    ("get", "/mitglieder/{a}/bearbeiten/", [302, 404, 200, 403, 200]),
    ("get", "/mitglieder/{b}/bearbeiten/", [302, 404, 200, 403, 404]),
    ("get", "/mitglieder/{a}/ansprechpartner/neu/", [302, 404, 200, 403, 200]),
    ("get", "/mitglieder/{b}/ansprechpartner/neu/", [302, 404, 200, 403, 404]),
    ("get", "/mitglieder/neu/", [302, 403, 200, 403, 403]),
    ("post", "/mitglieder/{a}/status/", [302, 403, 400, 403, 403]),
    ("post", "/mitglieder/{b}/status/", [302, 403, 400, 403, 403]),
    ("post", "/mitglieder/{b}/nachfolger/", [302, 403, 400, 403, 403]),
    ("get", "/mein-mitglied/", [302, 403, 403, 403, 200]),
    ("get", "/gesellschafterliste/", [302, 403, 200, 200, 403]),
    ("get", "/gesellschafterliste.csv", [302, 403, 200, 200, 403]),
    ("get", "/gesellschafterliste.xlsx", [302, 403, 200, 200, 403]),
    ("get", "/anteilsvorgaenge/neu/", [302, 403, 200, 403, 403]),
    ("get", "/register/statistik/", [302, 403, 200, 200, 403]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "erwartet"), SEITEN, ids=[f"{m} {u}" for m, u, _ in SEITEN]
)
def test_seiten_matrix(
    client, benutzer, request, methode, vorlage, erwartet, mitglied_a, mitglied_b
):
    rolle = request.node.callspec.params["benutzer"]
    if benutzer is not None:
        client.force_login(benutzer)

    antwort = getattr(client, methode)(_url(vorlage, mitglied_a, mitglied_b))

    assert antwort.status_code == erwartet[ROLLEN.index(rolle)]
    if antwort.status_code == 302:
        assert antwort["Location"].startswith(reverse("login"))


API = [
    ("get", "/api/v1/mitglieder/", None, [401, 200, 200, 200, 200]),
    ("get", "/api/v1/mitglieder/{a}/", None, [401, 404, 200, 200, 200]),
    ("get", "/api/v1/mitglieder/{b}/", None, [401, 404, 200, 200, 404]),
    ("patch", "/api/v1/mitglieder/{a}/", {"rechnung_ort": "Adorf"}, [401, 403, 200, 403, 200]),
    ("patch", "/api/v1/mitglieder/{b}/", {"rechnung_ort": "Adorf"}, [401, 403, 200, 403, 404]),
    (
        "post",
        "/api/v1/mitglieder/",
        {"name": "Zweckverband X", "sitz": "Gera", "datum": "2026-01-01"},
        [401, 403, 201, 403, 403],
    ),
    (
        "post",
        "/api/v1/mitglieder/{b}/status/",
        {"status": "austritt_erklaert", "datum": "2026-01-01"},
        [401, 403, 201, 403, 403],
    ),
    ("delete", "/api/v1/mitglieder/{b}/", None, [401, 403, 405, 403, 403]),
    ("get", "/api/v1/gebietskoerperschaften/", None, [401, 200, 200, 200, 200]),
    ("get", "/api/v1/gebietskoerperschaften/statistik/?land=16", None, [401, 403, 200, 200, 403]),
    ("get", "/api/v1/gesellschafterliste/", None, [401, 403, 200, 200, 403]),
    # The schema and its docs are public documentation, like the catalog will be.
    ("get", "/api/schema/", None, [200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "daten", "erwartet"), API, ids=[f"{m} {u}" for m, u, _, _ in API]
)
def test_api_matrix(benutzer, request, methode, vorlage, daten, erwartet, mitglied_a, mitglied_b):
    rolle = request.node.callspec.params["benutzer"]
    client = api_client(benutzer)

    antwort = getattr(client, methode)(_url(vorlage, mitglied_a, mitglied_b), daten, format="json")

    assert antwort.status_code == erwartet[ROLLEN.index(rolle)], antwort.content


def test_kommune_liste_enthaelt_nur_das_eigene_mitglied(kommune_a, mitglied_a, mitglied_b):
    antwort = api_client(kommune_a).get("/api/v1/mitglieder/")

    assert [m["id"] for m in antwort.json()["results"]] == [mitglied_a.id]


def test_kommune_darf_nur_rechnungsdaten_aendern(kommune_a, mitglied_a):
    antwort = api_client(kommune_a).patch(
        f"/api/v1/mitglieder/{mitglied_a.pk}/",
        {"name": "Neu", "rechnung_plz": "99084"},
        format="json",
    )

    assert antwort.status_code == 400
    assert antwort.json() == {"name": ["Dieses Feld kann nur die Geschäftsstelle ändern."]}
    mitglied_a.refresh_from_db()
    assert mitglied_a.name == "Adorf" and mitglied_a.rechnung_plz == ""


def test_kommune_ohne_zuordnung_sieht_nichts(db, gruppen, mitglied_a):
    from tests.mitglieder.factories import UserFactory

    user = UserFactory()
    user.groups.add(gruppen["Kommune"])
    assert api_client(user).get("/api/v1/mitglieder/").json()["count"] == 0
    assert api_client(user).get(f"/api/v1/mitglieder/{mitglied_a.pk}/").status_code == 404


def test_finanzen_liest_statushistorie_aber_aendert_nicht(finanzen, mitglied_a):
    antwort = api_client(finanzen).get(f"/api/v1/mitglieder/{mitglied_a.pk}/")
    assert antwort.json()["statushistorie"][0]["datum"] == dt.date(2023, 1, 1).isoformat()
