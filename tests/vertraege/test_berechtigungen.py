"""Every role against every contract and request page and endpoint. A Kommune user gets
404 for another member's contract or request; finance reads all; the office manages all."""

import datetime as dt

import pytest

from tests.conftest import api_client
from tests.leistungen.factories import LeistungFactory
from tests.vertraege.factories import VertragFactory
from vertraege.models import Leistungsabruf

pytestmark = pytest.mark.django_db

ROLLEN = ["anonym", "ohne_rolle", "geschaeftsstelle", "finanzen", "kommune_a"]


@pytest.fixture
def objekte(mitglied_a, mitglied_b):
    leistung = LeistungFactory(slug="l")
    return {
        "va": VertragFactory(mitglied=mitglied_a, beginn=dt.date(2026, 1, 1)).pk,
        "vb": VertragFactory(mitglied=mitglied_b, beginn=dt.date(2026, 1, 1)).pk,
        "aa": Leistungsabruf.objects.create(
            mitglied=mitglied_a, leistung=leistung, menge=1, gewuenschter_beginn=dt.date(2027, 1, 1)
        ).pk,
        "ab": Leistungsabruf.objects.create(
            mitglied=mitglied_b, leistung=leistung, menge=1, gewuenschter_beginn=dt.date(2027, 1, 1)
        ).pk,
    }


@pytest.fixture
def benutzer(request):
    return None if request.param == "anonym" else request.getfixturevalue(request.param)


SEITEN = [
    ("get", "/vertraege/", None, [302, 403, 200, 200, 200]),
    ("get", "/vertraege/{va}/", None, [302, 403, 200, 200, 200]),
    ("get", "/vertraege/{vb}/", None, [302, 403, 200, 200, 404]),
    ("post", "/vertraege/{vb}/kuendigen/", {"zum": "2020-01-01"}, [302, 403, 400, 403, 404]),
    ("post", "/vertraege/{va}/kuendigen/", {"zum": "2020-01-01"}, [302, 403, 400, 403, 400]),
    (
        "post",
        "/vertraege/{va}/menge/",
        {"ab": "2020-01-01", "menge": "5"},
        [302, 403, 400, 403, 403],
    ),
    ("post", "/vertraege/{vb}/dokumente/", {"art": "avv"}, [302, 403, 400, 403, 403]),
    ("get", "/anfragen/", None, [302, 403, 200, 200, 200]),
    ("get", "/anfragen/{aa}/", None, [302, 403, 200, 200, 200]),
    ("get", "/anfragen/{ab}/", None, [302, 403, 200, 200, 404]),
    ("post", "/anfragen/{aa}/", {"ablehnen": "1", "begruendung": ""}, [302, 403, 400, 403, 403]),
    ("get", "/fristen/", None, [302, 403, 200, 200, 403]),
    ("get", "/fristen.csv", None, [302, 403, 200, 200, 403]),
    ("get", "/fristen.xlsx", None, [302, 403, 200, 200, 403]),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "daten", "erwartet"), SEITEN, ids=[f"{m} {u}" for m, u, _, _ in SEITEN]
)
def test_seiten_matrix(client, benutzer, request, objekte, methode, vorlage, daten, erwartet):
    rolle = request.node.callspec.params["benutzer"]
    if benutzer is not None:
        client.force_login(benutzer)
    antwort = getattr(client, methode)(vorlage.format(**objekte), daten or {})
    assert antwort.status_code == erwartet[ROLLEN.index(rolle)]


API = [
    ("get", "/api/v1/vertraege/", None, [401, 200, 200, 200, 200]),
    ("get", "/api/v1/vertraege/{va}/", None, [401, 404, 200, 200, 200]),
    ("get", "/api/v1/vertraege/{vb}/", None, [401, 404, 200, 200, 404]),
    ("post", "/api/v1/vertraege/{vb}/kuendigen/", {"zum": "2020-01-01"}, [401, 404, 400, 403, 404]),
    ("post", "/api/v1/vertraege/{va}/kuendigen/", {"zum": "2020-01-01"}, [401, 404, 400, 403, 400]),
    (
        "post",
        "/api/v1/vertraege/{va}/menge/",
        {"ab": "2026-07-01", "menge": "5"},
        [401, 404, 201, 403, 403],
    ),
    ("get", "/api/v1/leistungsabrufe/", None, [401, 200, 200, 200, 200]),
    ("get", "/api/v1/leistungsabrufe/{ab}/", None, [401, 404, 200, 200, 404]),
    ("post", "/api/v1/leistungsabrufe/{aa}/annehmen/", {}, [401, 404, 201, 403, 403]),
    (
        "post",
        "/api/v1/leistungsabrufe/{ab}/ablehnen/",
        {"begruendung": "nein"},
        [401, 404, 200, 403, 404],
    ),
    (
        "post",
        "/api/v1/leistungsabrufe/",
        {"leistung": "l", "menge": "2", "gewuenschter_beginn": "2099-01-01"},
        [401, 403, 403, 403, 400],  # 400 for Kommune: an open request for "l" exists already
    ),
]


@pytest.mark.parametrize("benutzer", ROLLEN, indirect=True, ids=ROLLEN)
@pytest.mark.parametrize(
    ("methode", "vorlage", "daten", "erwartet"), API, ids=[f"{m} {u}" for m, u, _, _ in API]
)
def test_api_matrix(benutzer, request, objekte, methode, vorlage, daten, erwartet):
    rolle = request.node.callspec.params["benutzer"]
    antwort = getattr(api_client(benutzer), methode)(
        vorlage.format(**objekte), daten, format="json"
    )
    assert antwort.status_code == erwartet[ROLLEN.index(rolle)], antwort.content


def test_kommune_listen_enthalten_nur_eigenes(kommune_a, objekte):
    client = api_client(kommune_a)
    assert [v["id"] for v in client.get("/api/v1/vertraege/").json()["results"]] == [objekte["va"]]
    assert [a["id"] for a in client.get("/api/v1/leistungsabrufe/").json()["results"]] == [
        objekte["aa"]
    ]


def test_kommune_fragt_ueber_die_api_an(kommune_a, mitglied_a, mitglied_b):
    LeistungFactory(slug="backup")
    client = api_client(kommune_a)
    antwort = client.post(
        "/api/v1/leistungsabrufe/",
        {"leistung": "backup", "menge": "500", "gewuenschter_beginn": "2099-01-01"},
        format="json",
    )
    assert antwort.status_code == 201 and antwort.json()["mitglied"] == mitglied_a.pk
    antwort = client.post(
        "/api/v1/leistungsabrufe/",
        {
            "leistung": "backup",
            "menge": "1",
            "gewuenschter_beginn": "2099-01-01",
            "mitglied": mitglied_b.pk,
        },
        format="json",
    )
    assert antwort.json() == {"mitglied": ["Für dieses Mitglied dürfen Sie nicht anfragen."]}
