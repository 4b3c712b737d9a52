"""Surveys of accession interest: invitations from the register, answering through the
token link, neutral messages, reminders, closing, results and exports, and turning answers
into Interessenten."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from mitglieder import umfragen
from mitglieder.models import Antwort, Einladung, Mitglied, Umfrage
from tests.conftest import api_client
from tests.mitglieder.factories import GemeindeFactory, KreisFactory, LandFactory, MitgliedFactory

pytestmark = pytest.mark.django_db

HEUTE = timezone.localdate()


@pytest.fixture
def umfrage(db):
    u = umfragen.create_umfrage(
        titel="Beitrittsinteresse",
        oeffnet_am=HEUTE - dt.timedelta(days=10),
        schliesst_am=HEUTE + dt.timedelta(days=30),
        beitrittsinteresse=True,
    )
    frage = umfragen.add_frage(
        umfrage=u,
        text="Interesse am Beitritt?",
        typ="einfach",
        optionen=["Ja", "Vielleicht", "Nein"],
        interessefrage=True,
    )
    umfragen.add_frage(
        umfrage=u,
        text="Ab wann?",
        typ="datum",
        abhaengig_von=frage,
        abhaengig_werte=["Ja", "Vielleicht"],
    )
    umfragen.add_frage(
        umfrage=u,
        text="Welche Bereiche?",
        typ="mehrfach",
        optionen=["Rechenzentrum", "Sicherheit"],
        pflicht=False,
    )
    umfragen.add_frage(umfrage=u, text="IT-Arbeitsplätze", typ="zahl", pflicht=False, zahl_min=0)
    umfragen.oeffnen(umfrage=u)
    return u


@pytest.fixture
def region(db):
    LandFactory()
    kreis = KreisFactory(name="Weimarer Land")
    return [
        GemeindeFactory(kreis=kreis, name="Apolda", einwohnerzahl=23000),
        GemeindeFactory(kreis=kreis, name="Vollersroda", einwohnerzahl=200),
        GemeindeFactory(kreis=kreis, name="Mellingen", einwohnerzahl=1200),
    ]


def _felder(umfrage, **werte):
    """POST data by question text."""
    fragen = {f.text: f for f in umfrage.fragen.all()}
    return {fragen[text].feldname: wert for text, wert in werte.items()}


def test_einladungen_fuer_alle_gemeinden_thueringens(gv100ad_pfad, umfrage):
    call_command(
        "gemeindeverzeichnis_import", str(gv100ad_pfad), "--land", "16", stdout=io.StringIO()
    )

    neu, schon = umfragen.einladungen_erzeugen(umfrage=umfrage, land="16")

    assert (neu, schon) == (624, 0)
    tokens = list(Einladung.objects.values_list("token", flat=True))
    assert len(set(tokens)) == 624 and min(len(t) for t in tokens) >= 43  # 256 bits
    assert umfragen.einladungen_erzeugen(umfrage=umfrage, land="16") == (0, 624)


def test_antworten_ueber_den_link_und_zweites_mal_aendert(client, umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    einladung = Einladung.objects.get(gebietskoerperschaft=region[0])
    url = f"/umfrage/{einladung.token}/"

    seite = client.get(url)
    assert seite.status_code == 200 and "Umfrage für <strong>Apolda</strong>" in seite.text
    antwort = client.post(
        url,
        _felder(
            umfrage,
            **{
                "Interesse am Beitritt?": "Ja",
                "Ab wann?": "2027-01-01",
                "Welche Bereiche?": ["Sicherheit"],
                "IT-Arbeitsplätze": "40",
            },
        ),
    )
    assert antwort.status_code == 302
    client.post(
        url, _felder(umfrage, **{"Interesse am Beitritt?": "Vielleicht", "Ab wann?": "2028-01-01"})
    )

    gespeichert = Antwort.objects.get()
    werte = {f.text: gespeichert.werte.get(str(f.pk)) for f in umfrage.fragen.all()}
    assert werte == {
        "Interesse am Beitritt?": "Vielleicht",
        "Ab wann?": "2028-01-01",
        "Welche Bereiche?": None,
        "IT-Arbeitsplätze": None,
    }
    assert "Sie haben am" in client.get(url).text


def test_folgefrage_zaehlt_nur_bei_erfuellter_bedingung(client, umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    url = f"/umfrage/{Einladung.objects.first().token}/"

    fehlt = client.post(url, _felder(umfrage, **{"Interesse am Beitritt?": "Ja"}))
    assert fehlt.status_code == 400 and "Bitte beantworten Sie diese Frage." in fehlt.text

    client.post(
        url, _felder(umfrage, **{"Interesse am Beitritt?": "Nein", "Ab wann?": "2027-01-01"})
    )
    assert list(Antwort.objects.get().werte.values()) == ["Nein"]  # the date is dropped


def test_falscher_und_zurueckgezogener_token_geben_dieselbe_meldung(client, umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    einladung = Einladung.objects.first()
    umfragen.zurueckziehen(einladung=einladung)

    zurueckgezogen = client.get(f"/umfrage/{einladung.token}/")
    unbekannt = client.get("/umfrage/" + "x" * len(einladung.token) + "/")

    assert zurueckgezogen.status_code == unbekannt.status_code == 404
    assert zurueckgezogen.content == unbekannt.content
    assert "Dieser Link ist nicht gültig." in unbekannt.text
    assert client.post(f"/umfrage/{einladung.token}/", {}).status_code == 404


def test_schliessen_friert_die_antworten_ein(client, umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    url = f"/umfrage/{Einladung.objects.first().token}/"
    client.post(url, _felder(umfrage, **{"Interesse am Beitritt?": "Nein"}))
    umfragen.schliessen(umfrage=umfrage)

    seite = client.get(url)
    assert seite.status_code == 410
    assert (
        "ist geschlossen. Antworten können nicht mehr abgegeben oder geändert werden." in seite.text
    )
    assert "Nein" in seite.text  # the own answers stay visible
    client.post(url, _felder(umfrage, **{"Interesse am Beitritt?": "Ja", "Ab wann?": "2027-01-01"}))
    assert list(Antwort.objects.get().werte.values()) == ["Nein"]


def test_fragen_sind_nach_der_ersten_antwort_fest(umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    umfragen.antworten(einladung=Einladung.objects.first(), werte={})
    with pytest.raises(ValidationError, match="weil bereits Antworten vorliegen"):
        umfragen.add_frage(umfrage=umfrage, text="Neu?", typ="text")
    with pytest.raises(ValidationError, match="weil bereits Antworten vorliegen"):
        umfragen.delete_frage(frage=umfrage.fragen.first())


def test_fragen_werden_geprueft(umfrage):
    with pytest.raises(ValidationError, match="mindestens zwei Antwortmöglichkeiten"):
        umfragen.add_frage(umfrage=Umfrage.objects.get(), text="X", typ="einfach", optionen=["Ja"])
    erste = umfrage.fragen.first()
    with pytest.raises(
        ValidationError, match="nennt Antworten, die „Interesse am Beitritt\\?“ nicht anbietet"
    ):
        umfragen.add_frage(
            umfrage=umfrage, text="Y", typ="text", abhaengig_von=erste, abhaengig_werte=["Gern"]
        )


def test_versenden_und_erinnern_hoechstens_n_mal_mit_abstand(
    django_capture_on_commit_callbacks, umfrage, region
):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    umfragen.adressen_importieren(
        umfrage=umfrage,
        text=f"AGS;E-Mail\n{region[0].ags};poststelle@apolda.example\n{region[1].ags};amt@vollersroda.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert umfragen.versenden(umfrage=umfrage) == (2, 1)
    assert len(mail.outbox) == 2 and "/umfrage/" in mail.outbox[0].body
    umfragen.antworten(einladung=Einladung.objects.get(gebietskoerperschaft=region[0]), werte={})

    assert umfragen.erinnern(umfrage=umfrage) == 0  # too early
    Einladung.objects.update(versendet_am=timezone.now() - dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert umfragen.erinnern(umfrage=umfrage) == 1  # only the one without an answer
    assert mail.outbox[-1].subject == "[KIV] Erinnerung: Beitrittsinteresse"
    assert umfragen.erinnern(umfrage=umfrage) == 0  # minimum gap
    Einladung.objects.update(letzte_erinnerung_am=timezone.now() - dt.timedelta(days=8))
    assert umfragen.erinnern(umfrage=umfrage) == 1
    Einladung.objects.update(letzte_erinnerung_am=timezone.now() - dt.timedelta(days=8))
    assert umfragen.erinnern(umfrage=umfrage) == 0  # at most two reminders


def test_adressimport_meldet_zeile_und_schreibt_nichts(umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    with pytest.raises(
        ValidationError, match="Zeile 3: „kaputt“ ist keine gültige E-Mail-Adresse."
    ):
        umfragen.adressen_importieren(
            umfrage=umfrage, text=f"{region[0].ags};a@b.example\n\n{region[1].ags};kaputt"
        )
    assert not Einladung.objects.exclude(email="").exists()


def test_ergebnisse_export_und_uebernahme_als_interessent(
    client, geschaeftsstelle, umfrage, region
):
    bestehend = MitgliedFactory(gebietskoerperschaft=region[2], interessent=True)
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    fragen = {f.text: str(f.pk) for f in umfrage.fragen.all()}
    for gk, ja in [(region[0], "Ja"), (region[1], "Nein"), (region[2], "Ja")]:
        umfragen.antworten(
            einladung=Einladung.objects.get(gebietskoerperschaft=gk),
            werte={fragen["Interesse am Beitritt?"]: ja, fragen["IT-Arbeitsplätze"]: 10},
        )
    client.force_login(geschaeftsstelle)

    seite = client.get(f"/umfragen/{umfrage.pk}/ergebnisse/")
    ergebnis = seite.context["ergebnis"]
    assert (ergebnis.gesamt.eingeladen, ergebnis.gesamt.beantwortet, ergebnis.gesamt.ja) == (
        3,
        3,
        2,
    )
    assert ergebnis.fragen[0].verteilung == [("Ja", 2), ("Vielleicht", 0), ("Nein", 1)]
    assert ergebnis.fragen[3].summe == 30
    assert [(g.name, g.eingeladen, g.ja) for g in ergebnis.nach_groesse] == [
        ("unter 1.000", 1, 0),
        ("1.000 bis 4.999", 1, 1),
        ("20.000 bis 99.999", 1, 1),
    ]
    assert "Rücklauf: <strong>3 von 3</strong> (100 %)" in seite.text

    zeilen = list(
        csv.reader(
            io.StringIO(
                client.get(f"/umfragen/{umfrage.pk}/ergebnisse.csv").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert zeilen[0][5:] == [
        "Interesse am Beitritt?",
        "Ab wann?",
        "Welche Bereiche?",
        "IT-Arbeitsplätze",
    ]
    assert {z[1]: (z[3], z[5]) for z in zeilen[1:]} == {
        "Apolda": ("nein", "Ja"),
        "Vollersroda": ("nein", "Nein"),
        "Mellingen": ("Interessent", "Ja"),
    }
    blatt = load_workbook(
        io.BytesIO(client.get(f"/umfragen/{umfrage.pk}/ergebnisse.xlsx").content)
    ).active
    assert blatt.max_row == 4

    antworten = {
        a.einladung.gebietskoerperschaft.name: a
        for a in Antwort.objects.select_related("einladung__gebietskoerperschaft")
    }
    client.post(
        f"/umfragen/{umfrage.pk}/uebernehmen/",
        {"antwort": [antworten["Apolda"].pk, antworten["Mellingen"].pk]},
    )

    apolda = Mitglied.objects.get(gebietskoerperschaft=region[0])
    assert apolda.status == "interessent"
    assert apolda.statushistorie.get().beschluss == "Umfrage „Beitrittsinteresse“"
    antworten["Apolda"].refresh_from_db()
    antworten["Mellingen"].refresh_from_db()
    assert antworten["Apolda"].mitglied == apolda
    assert antworten["Mellingen"].mitglied == bestehend  # no second member record
    assert Mitglied.objects.count() == 2


def test_token_seiten_sind_begrenzt_und_csrf_geschuetzt(umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    url = f"/umfrage/{Einladung.objects.first().token}/"
    strenger_client = Client(enforce_csrf_checks=True)
    assert (
        strenger_client.post(
            url, _felder(umfrage, **{"Interesse am Beitritt?": "Nein"})
        ).status_code
        == 403
    )
    assert not Antwort.objects.exists()

    from django.core.cache import cache

    cache.clear()
    client = Client()
    codes = [client.get("/umfrage/falsch/").status_code for _ in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429
    cache.clear()


ROLLEN = ["anonym", "ohne_rolle", "geschaeftsstelle", "finanzen", "kommune_a"]


@pytest.mark.parametrize("rolle", ROLLEN)
def test_berechtigungen(client, request, rolle, umfrage, region):
    if rolle != "anonym":
        client.force_login(request.getfixturevalue(rolle))
    erwartet = {
        "anonym": (302, 302, 302, 401),
        "ohne_rolle": (403, 403, 403, 403),
        "geschaeftsstelle": (200, 200, 302, 200),
        "finanzen": (200, 200, 403, 200),
        "kommune_a": (403, 403, 403, 403),
    }[rolle]
    user = None if rolle == "anonym" else request.getfixturevalue(rolle)
    assert (
        client.get("/umfragen/").status_code,
        client.get(f"/umfragen/{umfrage.pk}/ergebnisse/").status_code,
        client.post(f"/umfragen/{umfrage.pk}/einladen/", {"mitgliedschaft": "alle"}).status_code,
        api_client(user).get(f"/api/v1/umfragen/{umfrage.pk}/ergebnisse/").status_code,
    ) == erwartet


def test_liste_mit_links_fuer_den_postversand(client, geschaeftsstelle, umfrage, region):
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    umfragen.zurueckziehen(einladung=Einladung.objects.get(gebietskoerperschaft=region[1]))
    client.force_login(geschaeftsstelle)

    text = client.get(f"/umfragen/{umfrage.pk}/einladungen/?format=csv").content.decode("utf-8-sig")

    zeilen = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert zeilen[0] == ["AGS", "Gebietskörperschaft", "E-Mail", "Link"]
    assert sorted(z[1] for z in zeilen[1:]) == ["Apolda", "Mellingen"]  # not the withdrawn one
    token = Einladung.objects.get(gebietskoerperschaft=region[0]).token
    assert any(z[3].endswith(f"/umfrage/{token}/") for z in zeilen[1:])


@pytest.mark.parametrize("anzahl", [3, 30])
def test_ergebnisseite_mit_konstanter_abfragezahl(
    client, geschaeftsstelle, umfrage, anzahl, django_assert_max_num_queries
):
    kreis = KreisFactory()
    for _ in range(anzahl):
        GemeindeFactory(kreis=kreis)
    umfragen.einladungen_erzeugen(umfrage=umfrage)
    frage = str(umfrage.fragen.get(interessefrage=True).pk)
    for einladung in Einladung.objects.all():
        umfragen.antworten(einladung=einladung, werte={frage: "Ja"})
    client.force_login(geschaeftsstelle)
    with django_assert_max_num_queries(14):
        seite = client.get(f"/umfragen/{umfrage.pk}/ergebnisse/")
    assert len(seite.context["interesse"]) == anzahl
