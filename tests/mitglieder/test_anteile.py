"""The share ledger and the Gesellschafterliste: the services' rules and what the pages, the
API and the exports show."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from mitglieder import services
from mitglieder.anteilsregister import gesellschafterliste
from mitglieder.models import Anteilsvorgang
from tests.conftest import api_client
from tests.mitglieder.factories import MitgliedFactory

pytestmark = pytest.mark.django_db

GRUENDUNG = dt.date(2023, 3, 1)


@pytest.fixture
def gesellschaft(mitglied_a, mitglied_b):
    """Founded by A (30,000 €, shares 1 and 2) and B (20,000 €, share 3)."""
    services.ausgeben_anteile(
        datum=GRUENDUNG,
        erwerber=mitglied_a,
        nennbetraege=[25000, 5000],
        kapitalerhoehung=30000,
        referenz="UR 1/2023",
    )
    services.ausgeben_anteile(
        datum=GRUENDUNG,
        erwerber=mitglied_b,
        nennbetraege=[20000],
        kapitalerhoehung=20000,
        referenz="UR 1/2023",
    )
    return mitglied_a, mitglied_b


def bestand(stichtag):
    liste = gesellschafterliste(stichtag=stichtag)
    return {z.mitglied.name: [a.laufende_nummer for a in z.anteile] for z in liste.zeilen}


def test_gesellschafterliste_an_mehreren_tagen_ergibt_das_stammkapital(gesellschaft):
    a, b = gesellschaft
    c = MitgliedFactory(datum=dt.date(2024, 1, 1))
    services.ausgeben_anteile(
        datum=dt.date(2024, 4, 1),
        erwerber=c,
        nennbetraege=[1000],
        kapitalerhoehung=1000,
        referenz="UR 2/2024",
    )
    services.uebertragen_betrag(
        datum=dt.date(2025, 7, 1), veraeusserer=a, erwerber=c, betrag=2000, referenz="UR 3/2025"
    )

    for tag, kapital in [
        (dt.date(2023, 2, 28), 0),
        (GRUENDUNG, 50000),
        (dt.date(2024, 4, 1), 51000),
        (dt.date(2026, 1, 1), 51000),
    ]:
        liste = gesellschafterliste(stichtag=tag)
        assert liste.stammkapital == kapital
        assert liste.summe_nennbetraege == kapital
        if kapital:
            assert abs(sum(z.prozent for z in liste.zeilen) - 100) < Decimal("0.001")
        else:
            assert liste.zeilen == []
    # After dividing share 1 (25,000) into 2,000 + 23,000 and transferring the 2,000:
    assert bestand(dt.date(2026, 1, 1)) == {a.name: [2, 6], b.name: [3], c.name: [4, 5]}
    zeile_c = next(
        z for z in gesellschafterliste(stichtag=dt.date(2026, 1, 1)).zeilen if z.mitglied == c
    )
    assert zeile_c.nennbetrag == 3000 and zeile_c.stimmen == 3000
    assert str(zeile_c.prozent) == "5.8824"  # 3,000 of 51,000


def test_uebertragung_an_nichtmitglied_wird_abgelehnt(gesellschaft):
    a, _ = gesellschaft
    interessent = MitgliedFactory(interessent=True, datum=dt.date(2024, 1, 1))

    with pytest.raises(ValidationError) as fehler:
        services.uebertragen_anteile(
            datum=dt.date(2024, 5, 1),
            veraeusserer=a,
            erwerber=interessent,
            anteile=[2],
            referenz="UR",
        )
    assert "ist am 01.05.2024 kein Mitglied (Status „Interessent“)" in str(fehler.value)
    assert Anteilsvorgang.objects.count() == 2


def test_uebertragung_an_ausgeschiedenes_mitglied_wird_abgelehnt(gesellschaft):
    a, _ = gesellschaft
    weg = MitgliedFactory(ausgeschieden=True)

    with pytest.raises(ValidationError, match="Status „ausgeschieden“"):
        services.uebertragen_anteile(
            datum=dt.date(2025, 5, 1), veraeusserer=a, erwerber=weg, anteile=[2], referenz="UR"
        )


def test_uebertragung_von_mehr_als_vorhanden_wird_abgelehnt(gesellschaft):
    a, b = gesellschaft

    with pytest.raises(ValidationError) as fehler:
        services.uebertragen_betrag(
            datum=dt.date(2024, 1, 1), veraeusserer=b, erwerber=a, betrag=25000, referenz="UR"
        )
    assert "hält am 01.01.2024 nur 20.000 € an Geschäftsanteilen; 25.000 € können nicht" in str(
        fehler.value
    )

    with pytest.raises(ValidationError) as fehler:
        services.uebertragen_anteile(
            datum=dt.date(2024, 1, 1), veraeusserer=b, erwerber=a, anteile=[3, 1], referenz="UR"
        )
    assert (
        "hält am 01.01.2024 nur Nr. 3 (zusammen 20.000 €); Anteil Nr. 1 gehört nicht dazu"
        in str(fehler.value)
    )
    assert bestand(dt.date(2024, 1, 1)) == {a.name: [1, 2], b.name: [3]}


def test_einziehung_ohne_kapitalherabsetzung_wird_abgelehnt(gesellschaft):
    with pytest.raises(ValidationError) as fehler:
        services.einziehen_anteile(
            datum=dt.date(2024, 1, 1), anteile=[2], kapitalherabsetzung=0, referenz="Beschluss"
        )
    assert (
        "ergäben die Nennbeträge aller Geschäftsanteile 45.000 €, das Stammkapital beträgt "
        "aber 50.000 €" in str(fehler.value)
    )
    assert Anteilsvorgang.objects.count() == 2  # nothing written

    services.einziehen_anteile(
        datum=dt.date(2024, 1, 1), anteile=[2], kapitalherabsetzung=5000, referenz="Beschluss"
    )
    assert gesellschafterliste(stichtag=dt.date(2024, 1, 1)).stammkapital == 45000


def test_ausgabe_muss_der_kapitalerhoehung_entsprechen(gesellschaft):
    a, _ = gesellschaft
    with pytest.raises(ValidationError, match=r"neuen Anteile \(1.500 €\) entsprechen nicht"):
        services.ausgeben_anteile(
            datum=dt.date(2024, 1, 1),
            erwerber=a,
            nennbetraege=[1000, 500],
            kapitalerhoehung=1000,
            referenz="UR",
        )


def test_teilung_und_zusammenlegung(gesellschaft):
    a, b = gesellschaft
    with pytest.raises(ValidationError, match="ergeben nicht den Nennbetrag von Anteil Nr. 3"):
        services.teilen_anteil(
            datum=dt.date(2024, 1, 1), anteil=3, nennbetraege=[10000, 9000], referenz="UR"
        )
    services.teilen_anteil(
        datum=dt.date(2024, 1, 1), anteil=3, nennbetraege=[10000, 10000], referenz="UR"
    )
    assert bestand(dt.date(2024, 1, 1))[b.name] == [4, 5]

    with pytest.raises(ValidationError, match="nur Anteile desselben Gesellschafters"):
        services.zusammenlegen_anteile(datum=dt.date(2024, 2, 1), anteile=[1, 4], referenz="UR")
    services.zusammenlegen_anteile(datum=dt.date(2024, 2, 1), anteile=[4, 5], referenz="UR")
    assert bestand(dt.date(2024, 2, 1))[b.name] == [6]
    assert gesellschafterliste(stichtag=dt.date(2024, 2, 1)).summe_nennbetraege == 50000


def test_rueckdatierte_vorgaenge_werden_abgelehnt(gesellschaft):
    a, b = gesellschaft
    services.uebertragen_anteile(
        datum=dt.date(2024, 6, 1), veraeusserer=a, erwerber=b, anteile=[2], referenz="UR"
    )
    with pytest.raises(
        ValidationError, match=r"nicht vor dem zuletzt erfassten Vorgang \(01.06.2024\)"
    ):
        services.uebertragen_anteile(
            datum=dt.date(2024, 5, 1), veraeusserer=b, erwerber=a, anteile=[3], referenz="UR"
        )


def test_ausscheiden_mit_anteilen_wird_abgelehnt(gesellschaft):
    a, b = gesellschaft
    services.change_mitglied_status(
        mitglied=b, status="austritt_erklaert", datum=dt.date(2024, 6, 30)
    )
    with pytest.raises(
        ValidationError, match=r"hält am 31.12.2024 noch Geschäftsanteile \(Nr. 3\)"
    ):
        services.change_mitglied_status(
            mitglied=b, status="ausgeschieden", datum=dt.date(2024, 12, 31)
        )

    services.uebertragen_anteile(
        datum=dt.date(2024, 12, 31), veraeusserer=b, erwerber=a, anteile=[3], referenz="UR"
    )
    services.change_mitglied_status(mitglied=b, status="ausgeschieden", datum=dt.date(2024, 12, 31))
    b.refresh_from_db()
    assert b.status == "ausgeschieden"
    # The list before the exit still shows B.
    assert b.name in bestand(dt.date(2024, 12, 30))


OPERATIONEN = st.lists(
    st.tuples(
        st.sampled_from(["ausgabe", "uebertragung", "teilung", "zusammenlegung", "einziehung"]),
        st.integers(min_value=0, max_value=10),
        st.integers(min_value=1, max_value=5000),
        st.integers(min_value=0, max_value=40),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operationen=OPERATIONEN)
def test_summe_der_anteile_ist_an_jedem_tag_das_stammkapital(gesellschaft, operationen):
    """Whatever sequence of operations is tried, the ones accepted keep the invariant at
    every date, and the refused ones leave no trace."""
    a, b = gesellschaft
    punkt = transaction.savepoint()  # each example starts from the founded company
    try:
        _operationen_anwenden([a, b], operationen)
    finally:
        transaction.savepoint_rollback(punkt)


def _operationen_anwenden(mitglieder, operationen):
    datum = GRUENDUNG
    tage = [GRUENDUNG]
    for art, wahl, betrag, tage_weiter in operationen:
        datum = datum + dt.timedelta(days=tage_weiter)
        stand = gesellschafterliste(stichtag=datum)
        nummern = [x.laufende_nummer for z in stand.zeilen for x in z.anteile]
        wer = mitglieder[wahl % 2]
        vorher = Anteilsvorgang.objects.count()
        try:
            if art == "ausgabe":
                services.ausgeben_anteile(
                    datum=datum,
                    erwerber=wer,
                    nennbetraege=[betrag],
                    kapitalerhoehung=betrag,
                    referenz="p",
                )
            elif art == "uebertragung":
                services.uebertragen_betrag(
                    datum=datum,
                    veraeusserer=wer,
                    erwerber=mitglieder[(wahl + 1) % 2],
                    betrag=betrag,
                    referenz="p",
                )
            elif art == "teilung" and nummern:
                nr = nummern[wahl % len(nummern)]
                services.teilen_anteil(
                    datum=datum, anteil=nr, nennbetraege=[betrag, 1], referenz="p"
                )
            elif art == "zusammenlegung" and len(nummern) > 1:
                services.zusammenlegen_anteile(datum=datum, anteile=nummern[:2], referenz="p")
            elif art == "einziehung" and nummern:
                nr = nummern[wahl % len(nummern)]
                # sometimes with the right decrease, sometimes with a wrong one
                services.einziehen_anteile(
                    datum=datum,
                    anteile=[nr],
                    kapitalherabsetzung=betrag if wahl % 2 else 0,
                    referenz="p",
                )
        except ValidationError:
            assert Anteilsvorgang.objects.count() == vorher
        tage.append(datum)
    for tag in tage:
        liste = gesellschafterliste(stichtag=tag)
        assert liste.summe_nennbetraege == liste.stammkapital


# ---------------------------------------------------------------- pages, API, exports


def test_gesellschafterliste_api_zum_stichtag(gesellschaft, finanzen):
    antwort = api_client(finanzen).get("/api/v1/gesellschafterliste/", {"stichtag": "2023-03-01"})

    assert antwort.status_code == 200
    daten = antwort.json()
    assert daten["stammkapital"] == 50000 and daten["summe_nennbetraege"] == 50000
    assert [z["anteile"][0]["laufende_nummer"] for z in daten["zeilen"]] == [1, 3]
    assert daten["zeilen"][0]["prozent"] == "60.0000" and daten["zeilen"][0]["stimmen"] == 30000
    assert daten["zeilen"][0]["anteile"][1] == {
        "laufende_nummer": 2,
        "nennbetrag": 5000,
        "prozent": "10.0000",
    }


def test_gesellschafterliste_api_falsches_datum(finanzen):
    antwort = api_client(finanzen).get("/api/v1/gesellschafterliste/", {"stichtag": "31.12.2024"})
    assert antwort.status_code == 400
    assert antwort.json() == {"stichtag": ["„31.12.2024“ ist kein Datum im Format JJJJ-MM-TT."]}


def test_gesellschafterliste_seite_csv_und_xlsx(gesellschaft, client, geschaeftsstelle):
    client.force_login(geschaeftsstelle)
    seite = client.get("/gesellschafterliste/", {"stichtag": "2023-03-01"})
    assert seite.status_code == 200
    assert "Gesellschafterliste zum 01.03.2023" in seite.text
    assert "50.000 €" in seite.text

    antwort = client.get("/gesellschafterliste.csv", {"stichtag": "2023-03-01"})
    assert (
        antwort["Content-Disposition"]
        == 'attachment; filename="gesellschafterliste_2023-03-01.csv"'
    )
    zeilen = list(csv.reader(io.StringIO(antwort.content.decode("utf-8-sig")), delimiter=";"))
    assert zeilen[1][0] == "Lfd. Nr. Gesellschafter"
    assert zeilen[2][1:6] == ["Adorf", "Adorf", "1", "25000", "50,0000"]
    assert zeilen[-2][4] == "50000" and zeilen[-1][4] == "50000"

    antwort = client.get("/gesellschafterliste.xlsx", {"stichtag": "2023-03-01"})
    blatt = load_workbook(io.BytesIO(antwort.content)).active
    werte = list(blatt.iter_rows(values_only=True))
    assert werte[0][0] == "Gesellschafterliste zum 01.03.2023"
    assert [w[3] for w in werte[2:5]] == [1, 2, 3]
    assert werte[-1][4] == 50000


def test_anteilsvorgang_formular_zeigt_regelverstoss_am_feld(
    gesellschaft, client, geschaeftsstelle
):
    a, b = gesellschaft
    interessent = MitgliedFactory(interessent=True, datum=dt.date(2024, 1, 1))
    client.force_login(geschaeftsstelle)

    antwort = client.post(
        "/anteilsvorgaenge/neu/",
        {
            "art": "uebertragung",
            "datum": "2024-05-01",
            "referenz": "UR 9/2024",
            "veraeusserer": a.pk,
            "erwerber": interessent.pk,
            "anteile": "2",
        },
    )
    assert antwort.status_code == 400
    assert "kein Mitglied (Status „Interessent“)" in antwort.text

    antwort = client.post(
        "/anteilsvorgaenge/neu/",
        {
            "art": "uebertragung",
            "datum": "2024-05-01",
            "referenz": "UR 9/2024",
            "veraeusserer": a.pk,
            "erwerber": b.pk,
            "betrag": "1000",
        },
    )
    assert antwort.status_code == 302
    assert bestand(dt.date(2024, 5, 1))[b.name] == [3, 4]

    antwort = client.post(
        "/anteilsvorgaenge/neu/",
        {"art": "ausgabe", "datum": "2024-05-01", "referenz": "x", "nennbetraege": "10, abc"},
    )
    assert antwort.status_code == 400
    assert "Nennbeträge: „abc“ ist keine ganze Zahl." in antwort.text
