"""The allocation through pages and API: who may do what, the statement in words, exports,
charts as images, Abschlag against Spitzabrechnung."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import api_client
from tests.vertraege.umlage.conftest import berechnet, pool
from vertraege.models import Umlagelauf
from vertraege.umlage import lauf as laeufe

pytestmark = pytest.mark.django_db

ROLLEN = ["anonym", "ohne_rolle", "geschaeftsstelle", "finanzen", "kommune_a"]


@pytest.fixture
def umlage(genossenschaft, finanzen, kommune_a, mitglied_a):
    """Frozen Plan run of the small cooperative, with Kommune A's member taking part."""
    from mitglieder.models import Mitglied

    a, b, c = genossenschaft
    pool()
    lauf = berechnet(finanzen)
    laeufe.festschreiben(lauf=lauf, user=finanzen)
    entwurf = laeufe.anlegen(geschaeftsjahr=2026, art="ist", user=finanzen)
    return {
        "lauf": lauf.pk,
        "entwurf": entwurf.pk,
        "a": a.pk,
        "b": b.pk,
        "eigen": Mitglied.objects.get(pk=mitglied_a.pk).pk,
    }


@pytest.fixture
def benutzer(request):
    return None if request.param == "anonym" else request.getfixturevalue(request.param)


SEITEN = [
    ("get", "/umlage/", [302, 403, 200, 200, 200]),
    ("get", "/umlage/pools/neu/", [302, 403, 403, 200, 403]),
    # a Kommune user is sent on to its own member's statement
    ("get", "/umlage/laeufe/{lauf}/", [302, 403, 200, 200, 302]),
    ("get", "/umlage/laeufe/{lauf}/mitglieder/{eigen}/", [302, 403, 200, 200, 200]),
    ("get", "/umlage/laeufe/{entwurf}/", [302, 403, 200, 200, 404]),
    ("get", "/umlage/laeufe/{lauf}/mitglieder/{a}/", [302, 403, 200, 200, 404]),
    ("get", "/umlage/laeufe/{lauf}/export.csv", [302, 403, 200, 200, 403]),
    ("get", "/umlage/laeufe/{lauf}/export.xlsx", [302, 403, 200, 200, 403]),
    ("get", "/umlage/laeufe/{lauf}/diagramme/groesste.svg", [302, 403, 200, 200, 403]),
    ("post", "/umlage/laeufe/{entwurf}/berechnen/", [302, 403, 403, 302, 403]),
    ("post", "/umlage/laeufe/{lauf}/festschreiben/", [302, 403, 403, 302, 403]),
    ("get", "/umlage/abrechnung/2026/", [302, 403, 200, 200, 403]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "erwartet"), SEITEN, ids=[f"{m} {u}" for m, u, _ in SEITEN]
)
def test_seiten_matrix(client, benutzer, request, umlage, methode, vorlage, erwartet):
    rolle = request.node.callspec.params["benutzer"]
    if benutzer is not None:
        client.force_login(benutzer)
    antwort = getattr(client, methode)(vorlage.format(**umlage))
    assert antwort.status_code == erwartet[ROLLEN.index(rolle)]


API = [
    ("get", "/api/v1/umlagelaeufe/", None, [401, 200, 200, 200, 200]),
    ("get", "/api/v1/umlagelaeufe/{entwurf}/", None, [401, 404, 200, 200, 404]),
    ("get", "/api/v1/umlagelaeufe/{lauf}/positionen/", None, [401, 404, 200, 200, 200]),
    ("get", "/api/v1/umlagelaeufe/{lauf}/pools/", None, [401, 404, 200, 200, 403]),
    (
        "post",
        "/api/v1/umlagelaeufe/",
        {"geschaeftsjahr": 2026, "art": "plan"},
        [401, 403, 403, 201, 403],
    ),
    ("post", "/api/v1/umlagelaeufe/{entwurf}/berechnen/", {}, [401, 403, 403, 202, 403]),
    ("post", "/api/v1/umlagelaeufe/{lauf}/festschreiben/", {}, [401, 403, 403, 400, 403]),
    ("delete", "/api/v1/umlagelaeufe/{lauf}/", None, [401, 403, 403, 400, 403]),
    ("get", "/api/v1/kostenpools/", None, [401, 200, 200, 200, 200]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "daten", "erwartet"), API, ids=[f"{m} {u}" for m, u, _, _ in API]
)
def test_api_matrix(benutzer, request, umlage, methode, vorlage, daten, erwartet):
    rolle = request.node.callspec.params["benutzer"]
    antwort = getattr(api_client(benutzer), methode)(vorlage.format(**umlage), daten, format="json")
    assert antwort.status_code == erwartet[ROLLEN.index(rolle)], antwort.content


def test_bescheid_erklaert_jeden_betrag(client, finanzen, umlage):
    client.force_login(finanzen)
    seite = client.get(f"/umlage/laeufe/{umlage['lauf']}/mitglieder/{umlage['a']}/")
    # Adorf (1,000 inhabitants, all year) takes part too: 1,644,000 + 365,000 Einwohner-Tage
    assert "3.000 Einwohner × 365 Tage von 2.009.000 Einwohner-Tagen = 54,5047 %" in seite.text
    assert "5.450,47 €" in seite.text
    antwort = api_client(finanzen).get(
        f"/api/v1/umlagelaeufe/{umlage['lauf']}/positionen/", {"mitglied": umlage["a"]}
    )
    zeile = antwort.json()["results"][0]
    assert zeile["betrag_cent"] == 545047
    assert zeile["erklaerung"].startswith("3.000 Einwohner × 365 Tage")


def test_kommune_sieht_nur_den_eigenen_bescheid(client, kommune_a, umlage):
    client.force_login(kommune_a)
    fremd = client.get(f"/umlage/laeufe/{umlage['lauf']}/mitglieder/{umlage['a']}/")
    assert fremd.status_code == 404
    eigener = client.get(f"/umlage/laeufe/{umlage['lauf']}/mitglieder/{umlage['eigen']}/")
    assert "Umlage 2026: Adorf" in eigener.text
    antwort = api_client(kommune_a).get(f"/api/v1/umlagelaeufe/{umlage['lauf']}/positionen/")
    assert [p["mitglied_name"] for p in antwort.json()["results"]] == ["Adorf"]
    # drafts do not exist for a Kommune user
    assert client.get(f"/umlage/laeufe/{umlage['entwurf']}/").status_code == 404


def test_export_und_diagramm(client, finanzen, umlage):
    client.force_login(finanzen)
    text = client.get(f"/umlage/laeufe/{umlage['lauf']}/export.csv").content.decode("utf-8-sig")
    zeilen = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert zeilen[0][0] == "Pool" and len(zeilen) == 5  # A, B, C and Adorf
    assert sum(float(z[10].replace(",", ".")) for z in zeilen[1:]) == pytest.approx(10000.00)
    blatt = load_workbook(
        io.BytesIO(client.get(f"/umlage/laeufe/{umlage['lauf']}/export.xlsx").content)
    ).active
    assert blatt.max_row == 5
    svg = client.get(f"/umlage/laeufe/{umlage['lauf']}/diagramme/groesste.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b"<title" in svg.content and b"5.450,47" in svg.content
    assert client.get(f"/umlage/laeufe/{umlage['lauf']}/diagramme/unbekannt.svg").status_code == 404


def test_abschlag_und_spitzabrechnung(client, finanzen, genossenschaft):
    pool(betrag_ist_cent=1_100_000)
    plan = berechnet(finanzen, "plan")
    ist = berechnet(finanzen, "ist")
    client.force_login(finanzen)

    seite = client.get("/umlage/abrechnung/2026/")

    zeilen = {z["name"]: z for z in seite.context["zeilen"]}
    assert zeilen["A"]["plan"] == 666058 and zeilen["A"]["differenz"] == zeilen["A"]["ist"] - 666058
    assert zeilen["A"]["ist"] == 732664  # 1,100,000 × 1,095,000 / 1,644,000 = 732,664.23
    assert seite.context["summen"] == {"plan": 1_000_000, "ist": 1_100_000, "differenz": 100_000}
    assert "Nachzahlung" in seite.text
    blatt = load_workbook(
        io.BytesIO(client.get("/umlage/abrechnung/2026/", {"format": "xlsx"}).content)
    ).active
    assert [c.value for c in blatt[2]][:2] == ["A", zeilen["A"]["ars"]]
    assert blatt["E2"].value == (zeilen["A"]["ist"] - 666058) / 100
    text = client.get("/umlage/abrechnung/2026/", {"format": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[1].endswith(";Nachzahlung")
    assert Umlagelauf.objects.filter(pk__in=[plan.pk, ist.pk]).count() == 2


def test_lauf_seite_zeigt_fortschritt_und_fehler(client, finanzen, genossenschaft):
    pool(schluessel="mix", mischung={"einwohner": 1})
    lauf = laeufe.anlegen(geschaeftsjahr=2026, art="ist", user=finanzen)  # no Ist amounts yet
    client.force_login(finanzen)
    antwort = client.post(f"/umlage/laeufe/{lauf.pk}/berechnen/", follow=True)
    assert "Für die Ist-Umlage fehlt der Istbetrag bei: Rechenzentrum." in antwort.text
    lauf.refresh_from_db()
    assert lauf.status == "entwurf"


def test_kostenpool_formular_in_euro(client, finanzen, genossenschaft):
    client.force_login(finanzen)
    antwort = client.post(
        "/umlage/pools/neu/",
        {
            "geschaeftsjahr": 2026,
            "name": "Beratung",
            "betrag_plan": "12345,67",
            "schluessel": "mix",
            "mischung": '{"gleich": 30}',
            "teilnehmerkreis": "alle_aktiven",
            "pro_rata": "on",
            "stichtag": "2025-12-31",
            "mindest": "100",
            "hoechst": "50",
        },
    )
    assert antwort.status_code == 400
    assert "Der Höchstbetrag liegt unter dem Mindestbetrag." in antwort.text
