"""Contracts through the pages and the API: accept and decline requests, change quantities,
give notice, deadlines and their exports, documents, e-mails, and who may do what."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import api_client
from tests.leistungen.factories import LeistungFactory
from tests.vertraege.factories import VertragFactory
from vertraege.models import Leistungsabruf, Vertrag

pytestmark = pytest.mark.django_db

HEUTE = timezone.localdate()


@pytest.fixture
def anfrage(kommune_a, mitglied_a):
    kommune_a.email = "it@adorf.example"
    kommune_a.save()
    leistung = LeistungFactory(
        slug="hosting",
        name="Hosting",
        preismodell="je_einheit",
        einheit="arbeitsplatz",
        mindestlaufzeit_monate=12,
        kuendigungsfrist_monate=3,
        preise=[(dt.date(2026, 1, 1), None, "18.50")],
    )
    return Leistungsabruf.objects.create(
        mitglied=mitglied_a,
        leistung=leistung,
        menge=40,
        gewuenschter_beginn=dt.date(2027, 1, 1),
        angefragt_von=kommune_a,
    )


def test_annehmen_legt_den_vertrag_an_und_benachrichtigt(
    django_capture_on_commit_callbacks, geschaeftsstelle, anfrage
):
    with django_capture_on_commit_callbacks(execute=True):
        antwort = api_client(geschaeftsstelle).post(
            f"/api/v1/leistungsabrufe/{anfrage.pk}/annehmen/", {}, format="json"
        )

    assert antwort.status_code == 201, antwort.json()
    vertrag = Vertrag.objects.get()
    assert antwort.json()["vertragsnummer"] == vertrag.vertragsnummer == "V-2027-0001"
    assert (vertrag.beginn, vertrag.mindestlaufzeit_monate, vertrag.kuendigungsfrist_monate) == (
        dt.date(2027, 1, 1),
        12,
        3,
    )
    assert vertrag.preisbindung == "katalog" and vertrag.vereinbarter_preis is None
    assert [(m.gueltig_ab, m.menge) for m in vertrag.mengen.all()] == [(dt.date(2027, 1, 1), 40)]
    anfrage.refresh_from_db()
    assert anfrage.status == "angenommen" and anfrage.entschieden_von == geschaeftsstelle
    assert [m.subject for m in mail.outbox] == ["[KIV] Anfrage angenommen: Hosting"]
    assert set(mail.outbox[0].to) == {"it@adorf.example", "geschaeftsstelle@localhost"}
    # a decided request cannot be decided again
    antwort = api_client(geschaeftsstelle).post(
        f"/api/v1/leistungsabrufe/{anfrage.pk}/ablehnen/", {"begruendung": "x"}
    )
    assert antwort.status_code == 400
    assert "bereits entschieden" in antwort.json()["non_field_errors"][0]


def test_fester_preis_uebernimmt_den_katalogpreis_zum_beginn(geschaeftsstelle, anfrage):
    antwort = api_client(geschaeftsstelle).post(
        f"/api/v1/leistungsabrufe/{anfrage.pk}/annehmen/", {"preisbindung": "fest"}, format="json"
    )
    assert antwort.json()["vereinbarter_preis"] == "18.5000"


def test_ablehnen_braucht_eine_begruendung(
    client, django_capture_on_commit_callbacks, geschaeftsstelle, kommune_a, anfrage
):
    client.force_login(geschaeftsstelle)
    antwort = client.post(f"/anfragen/{anfrage.pk}/", {"ablehnen": "1", "begruendung": ""})
    assert antwort.status_code == 400 and "Dieses Feld ist zwingend erforderlich." in antwort.text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/anfragen/{anfrage.pk}/", {"ablehnen": "1", "begruendung": "Kapazität erschöpft"}
        )

    anfrage.refresh_from_db()
    assert anfrage.status == "abgelehnt" and anfrage.begruendung == "Kapazität erschöpft"
    assert "Begründung: Kapazität erschöpft" in mail.outbox[0].body
    client.force_login(kommune_a)
    seite = client.get("/anfragen/")
    assert "abgelehnt" in seite.text and "Kapazität erschöpft" in seite.text


def test_kuendigung_vor_dem_fruehesten_ende_nennt_das_datum(kommune_a, mitglied_a):
    vertrag = VertragFactory(
        mitglied=mitglied_a, beginn=HEUTE.replace(day=1), mindestlaufzeit_monate=24
    )
    client = api_client(kommune_a)
    fruehestes = client.get(f"/api/v1/vertraege/{vertrag.pk}/").json()["frist"]["naechstes_ende"]
    datum = dt.date.fromisoformat(fruehestes)

    antwort = client.post(
        f"/api/v1/vertraege/{vertrag.pk}/kuendigen/",
        {"zum": (datum - dt.timedelta(days=1)).isoformat()},
    )

    assert antwort.status_code == 400
    assert f"endet der Vertrag frühestens am {datum:%d.%m.%Y}" in antwort.json()["zum"][0]
    antwort = client.post(
        f"/api/v1/vertraege/{vertrag.pk}/kuendigen/", {"zum": fruehestes, "grund": "Eigenbetrieb"}
    )
    assert antwort.status_code == 200
    assert antwort.json()["ende"] == fruehestes and antwort.json()["status"] == "gekuendigt"
    assert antwort.json()["gekuendigt_durch"] == "mitglied"
    # still there as history, and not twice
    assert (
        client.post(f"/api/v1/vertraege/{vertrag.pk}/kuendigen/", {"zum": fruehestes}).status_code
        == 400
    )


def test_kuendigung_nur_zum_periodenende(geschaeftsstelle, mitglied_a):
    vertrag = VertragFactory(mitglied=mitglied_a, beginn=dt.date(2024, 1, 1))  # renews yearly
    antwort = api_client(geschaeftsstelle).post(
        f"/api/v1/vertraege/{vertrag.pk}/kuendigen/", {"zum": f"{HEUTE.year + 3}-06-30"}
    )
    assert antwort.status_code == 400
    assert (
        "nur zum Ende einer Vertragsperiode (Verlängerung um je 12 Monate"
        in antwort.json()["zum"][0]
    )


def test_mengenaenderung_zur_jahresmitte_ueber_die_seite(client, geschaeftsstelle, mitglied_a):
    vertrag = VertragFactory(mitglied=mitglied_a, beginn=dt.date(2026, 1, 1), menge=40)
    client.force_login(geschaeftsstelle)

    antwort = client.post(f"/vertraege/{vertrag.pk}/menge/", {"ab": "2026-07-01", "menge": "55"})
    assert antwort.status_code == 302
    antwort = client.post(f"/vertraege/{vertrag.pk}/menge/", {"ab": "2026-03-01", "menge": "50"})
    assert antwort.status_code == 400
    assert "die letzte Änderung gilt ab 01.07.2026" in antwort.text
    antwort = client.post(f"/vertraege/{vertrag.pk}/menge/", {"ab": "2026-09-01", "menge": "-1"})
    assert "Die Menge muss größer als 0 sein." in antwort.text

    assert [(m.gueltig_ab, m.menge) for m in vertrag.mengen.all()] == [
        (dt.date(2026, 1, 1), Decimal(40)),
        (dt.date(2026, 7, 1), Decimal(55)),
    ]
    seite = client.get(f"/vertraege/{vertrag.pk}/")
    assert "01.07.2026" in seite.text


def test_dokumente_nur_pdf_und_nur_fuer_berechtigte(
    client, settings, tmp_path, geschaeftsstelle, kommune_a, mitglied_a, mitglied_b
):
    settings.MEDIA_ROOT = tmp_path
    eigener = VertragFactory(mitglied=mitglied_a)
    fremder = VertragFactory(mitglied=mitglied_b)
    client.force_login(geschaeftsstelle)
    antwort = client.post(
        f"/vertraege/{eigener.pk}/dokumente/",
        {"art": "avv", "datei": SimpleUploadedFile("avv.txt", b"kein pdf")},
    )
    assert "Bitte eine PDF-Datei hochladen." in antwort.text
    for vertrag in (eigener, fremder):
        client.post(
            f"/vertraege/{vertrag.pk}/dokumente/",
            {"art": "avv", "datei": SimpleUploadedFile("avv.pdf", b"%PDF-1.4 avv")},
        )
    eigenes, fremdes = (v.dokumente.get() for v in (eigener, fremder))

    client.force_login(kommune_a)
    antwort = client.get(f"/vertraege/dokumente/{eigenes.pk}/")
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content) == b"%PDF-1.4 avv"
    assert client.get(f"/vertraege/dokumente/{fremdes.pk}/").status_code == 404
    assert (
        client.post(
            f"/vertraege/{eigener.pk}/dokumente/",
            {"art": "avv", "datei": SimpleUploadedFile("x.pdf", b"%PDF-")},
        ).status_code
        == 403
    )


def test_fristen_seite_und_export(client, finanzen, mitglied_a, mitglied_b):
    bald = VertragFactory(mitglied=mitglied_a, beginn=HEUTE - dt.timedelta(days=200))
    VertragFactory(mitglied=mitglied_b, beginn=HEUTE, mindestlaufzeit_monate=36)  # far away
    client.force_login(finanzen)

    seite = client.get("/fristen/", {"monate": "12"})
    assert [v.vertragsnummer for v, _ in seite.context["zeilen"]] == [bald.vertragsnummer]

    antwort = client.get("/fristen.csv", {"monate": "12"})
    zeilen = list(csv.reader(io.StringIO(antwort.content.decode("utf-8-sig")), delimiter=";"))
    assert zeilen[0][:3] == ["Vertragsnummer", "Mitglied", "Leistung"]
    assert zeilen[1][0] == bald.vertragsnummer and zeilen[1][4] == "aktiv"
    blatt = load_workbook(io.BytesIO(client.get("/fristen.xlsx", {"monate": "12"}).content)).active
    assert blatt["A2"].value == bald.vertragsnummer
    assert blatt["G2"].value.date() == dt.date.fromisoformat(
        api_client(finanzen).get(f"/api/v1/vertraege/{bald.pk}/").json()["frist"]["naechstes_ende"]
    )


def test_mein_mitglied_zeigt_vertraege_und_katalog_markiert_genutzte(
    client, kommune_a, mitglied_a, mitglied_b
):
    eigener = VertragFactory(mitglied=mitglied_a, beginn=HEUTE - dt.timedelta(days=10))
    fremder = VertragFactory(mitglied=mitglied_b, beginn=HEUTE - dt.timedelta(days=10))
    client.force_login(kommune_a)

    seite = client.get("/mein-mitglied/")
    assert eigener.vertragsnummer in seite.text and fremder.vertragsnummer not in seite.text
    katalog = client.get("/leistungen/")
    assert katalog.text.count("von Ihnen genutzt") == 1
    assert (
        "Ihre Kommune nutzt diese Leistung bereits"
        in client.get(f"/leistungen/{eigener.leistung.slug}/").text
    )
    assert (
        "Ihre Kommune nutzt diese Leistung bereits"
        not in client.get(f"/leistungen/{fremder.leistung.slug}/").text
    )


def test_vertragsliste_mit_konstanter_abfragezahl(
    client, geschaeftsstelle, django_assert_max_num_queries
):
    for _ in range(25):
        VertragFactory()
    client.force_login(geschaeftsstelle)
    api = api_client(geschaeftsstelle)
    with django_assert_max_num_queries(6):
        assert client.get("/vertraege/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/vertraege/").status_code == 200
