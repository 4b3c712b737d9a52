"""Requests from the catalog ("Diese Leistung anfragen"): who may request what, with
clear German messages, and where the request shows up. A used service cannot be deleted."""

import datetime as dt

import pytest
from django.utils import timezone

from leistungen.models import Leistung
from tests.conftest import api_client
from tests.leistungen.factories import LeistungFactory
from tests.mitglieder.factories import MitgliedFactory, UserFactory
from vertraege.models import Leistungsabruf

pytestmark = pytest.mark.django_db


def morgen() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def anfragen(client, slug, **daten):
    return client.post(
        f"/leistungen/{slug}/anfragen/",
        {"menge": "40", "gewuenschter_beginn": morgen(), **daten},
    )


def test_aktives_mitglied_fragt_an_und_sieht_die_anfrage(
    client, kommune_a, mitglied_a, geschaeftsstelle
):
    LeistungFactory(slug="hosting", preismodell="je_einheit", einheit="arbeitsplatz")
    client.force_login(kommune_a)
    detail = client.get("/leistungen/hosting/")
    assert "Diese Leistung anfragen" in detail.text

    formular = client.get("/leistungen/hosting/anfragen/")
    assert "Menge (Arbeitsplatz)" in formular.text
    antwort = anfragen(client, "hosting", bemerkung="ab Januar")

    assert antwort["Location"] == "/anfragen/"
    abruf = Leistungsabruf.objects.get()
    assert (abruf.mitglied, abruf.menge, abruf.status, abruf.angefragt_von) == (
        mitglied_a,
        40,
        "angefragt",
        kommune_a,
    )
    assert (
        "Hosting" in client.get("/anfragen/").text
        or abruf.leistung.name in client.get("/anfragen/").text
    )
    client.force_login(geschaeftsstelle)
    assert abruf.leistung.name in client.get("/anfragen/").text


def test_interessent_erfaehrt_wie_er_beitreten_kann(client, db):
    interessent = MitgliedFactory(interessent=True, datum=dt.date(2026, 1, 1))
    user = UserFactory(username="interessent")
    from mitglieder.rollen import binde_an_mitglied

    binde_an_mitglied(user, interessent)
    LeistungFactory(slug="nur-mitglieder", name="Hosting")
    LeistungFactory(slug="fuer-alle", name="Servicekonto", kostenfrei=True)
    client.force_login(user)

    antwort = anfragen(client, "nur-mitglieder")
    assert antwort.status_code == 400
    assert "„Hosting“ steht nur Mitgliedern offen" in antwort.text
    assert (
        "Für den Beitritt zur Genossenschaft wenden Sie sich bitte an die Geschäftsstelle"
        in antwort.text
    )
    # Issue 4: only active members order – also the free base services of the Land.
    antwort = anfragen(client, "fuer-alle", menge="1")
    assert antwort.status_code == 400
    assert "„Servicekonto“ wird Kommunen über ihre Mitgliedschaft bereitgestellt" in antwort.text
    assert not Leistungsabruf.objects.exists()


@pytest.mark.parametrize(
    ("leistung", "daten", "meldung"),
    [
        ({"geplant": True}, {}, "ist noch in Planung und kann nicht angefragt werden"),
        ({"abgekuendigt": True}, {}, "wird zum 30.06.2027 eingestellt"),
        ({}, {"menge": "0"}, "Die Menge muss größer als 0 sein."),
        ({}, {"menge": "-3"}, "Die Menge muss größer als 0 sein."),
        ({}, {"menge": "viele"}, "Bitte eine Zahl eingeben."),
        (
            {},
            {"gewuenschter_beginn": "2020-01-01"},
            "Der gewünschte Beginn liegt in der Vergangenheit",
        ),
    ],
)
def test_ungueltige_anfragen_werden_mit_grund_abgelehnt(
    client, kommune_a, leistung, daten, meldung
):
    LeistungFactory(slug="l", **leistung)
    client.force_login(kommune_a)
    antwort = anfragen(client, "l", **daten)
    assert antwort.status_code == 400
    assert meldung in antwort.text
    assert not Leistungsabruf.objects.exists()


def test_doppelte_offene_anfrage_wird_abgelehnt(client, kommune_a):
    LeistungFactory(slug="l")
    client.force_login(kommune_a)
    assert anfragen(client, "l").status_code == 302
    antwort = anfragen(client, "l")
    assert "liegt bereits eine offene Anfrage vom" in antwort.text
    assert Leistungsabruf.objects.count() == 1


@pytest.mark.parametrize(
    ("rolle", "erwartet"),
    [
        ("anonym", 302),
        ("ohne_rolle", 403),
        ("geschaeftsstelle", 403),
        ("finanzen", 403),
        ("kommune_a", 200),
    ],
)
def test_anfrageformular_nur_fuer_kommunen(client, request, rolle, erwartet):
    LeistungFactory(slug="l")
    if rolle != "anonym":
        client.force_login(request.getfixturevalue(rolle))
    assert client.get("/leistungen/l/anfragen/").status_code == erwartet


def test_kommune_sieht_nur_eigene_anfragen(client, kommune_a, mitglied_a, mitglied_b):
    leistung = LeistungFactory(slug="l", name="Virtuelle Server")
    Leistungsabruf.objects.create(
        mitglied=mitglied_b, leistung=leistung, menge=1, gewuenschter_beginn=dt.date(2027, 1, 1)
    )
    client.force_login(kommune_a)
    seite = client.get("/anfragen/")
    assert list(seite.context["abrufe"]) == []
    assert "Bedorf" not in seite.text


def test_verwendete_leistung_kann_nur_abgekuendigt_werden(geschaeftsstelle, mitglied_a):
    leistung = LeistungFactory(slug="l", name="Backup")
    Leistungsabruf.objects.create(
        mitglied=mitglied_a, leistung=leistung, menge=1, gewuenschter_beginn=dt.date(2027, 1, 1)
    )

    antwort = api_client(geschaeftsstelle).delete("/api/v1/leistungen/l/")

    assert antwort.status_code == 409
    assert "„Backup“ wird noch verwendet" in antwort.json()["detail"]
    assert "Status auf „abgekündigt“" in antwort.json()["detail"]
    assert Leistung.objects.filter(slug="l").exists()
    antwort = api_client(geschaeftsstelle).patch(
        "/api/v1/leistungen/l/",
        {"status": "abgekuendigt", "abgekuendigt_zum": "2027-06-30"},
        format="json",
    )
    assert antwort.status_code == 200


def test_admin_loescht_verwendete_leistung_nicht(client, geschaeftsstelle, mitglied_a, kommune_a):
    leistung = LeistungFactory(slug="l", name="Backup")
    Leistungsabruf.objects.create(
        mitglied=mitglied_a, leistung=leistung, menge=1, gewuenschter_beginn=dt.date(2027, 1, 1)
    )
    client.force_login(kommune_a)
    assert client.get("/admin/leistungen/leistung/").status_code == 302  # no back office

    geschaeftsstelle.is_staff = True
    geschaeftsstelle.save()
    client.force_login(geschaeftsstelle)
    antwort = client.post(
        f"/admin/leistungen/leistung/{leistung.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert Leistung.objects.filter(pk=leistung.pk).exists()
    # Django's admin refuses and lists what refers to the service.
    assert "Kann Leistung nicht löschen" in antwort.text
    assert "Backup für Adorf (angefragt)" in antwort.text
