"""Umlageläufe from the database: inputs, a hand-computed result, snapshots that survive
changes of the register and the contracts, freezing, and who may do it."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from mitglieder.models import Einwohnerzahl
from tests.leistungen.factories import LeistungFactory
from tests.vertraege.factories import VertragFactory
from tests.vertraege.umlage.conftest import berechnet as _berechnet
from tests.vertraege.umlage.conftest import pool as _pool
from vertraege import services as vertrag_services
from vertraege.models import Kostenpool, Umlagelauf, Umlageposition
from vertraege.umlage import lauf as laeufe

pytestmark = pytest.mark.django_db

D = dt.date


def _betraege(lauf) -> dict[str, int]:
    return {
        p.teilnehmer.name: p.betrag_cent
        for p in Umlageposition.objects.filter(lauf=lauf).select_related("teilnehmer")
    }


def test_handgerechnete_umlage_nach_einwohnern_anteilig_nach_tagen(genossenschaft, finanzen):
    """10,000.00 € by population × days: A 3000·365, B 1000·365, C 1000·184
    → weights 1,095,000 : 365,000 : 184,000 (sum 1,644,000)
    → A 6,660.58394…, B 2,220.19464…, C 1,119.22141… € → cents by largest remainder."""
    _pool()
    lauf = _berechnet(finanzen)

    assert lauf.status == "berechnet"
    assert _betraege(lauf) == {"A": 666058, "B": 222020, "C": 111922}
    assert sum(_betraege(lauf).values()) == 1_000_000
    position = Umlageposition.objects.get(lauf=lauf, teilnehmer__name="C")
    assert (position.tage, position.einwohner, position.basiswert) == (184, 1000, 1000)
    assert position.anteil == Decimal("0.111922141119")


def test_ohne_anteiligkeit_und_mit_hoechstbetrag(genossenschaft, finanzen):
    _pool(pro_rata=False, hoechst_cent=500_000)
    lauf = _berechnet(finanzen)
    # 3:1:1 would give A 6,000 €; capped at 5,000 €, the other 5,000 € split 1:1
    assert _betraege(lauf) == {"A": 500_000, "B": 250_000, "C": 250_000}
    assert Umlageposition.objects.get(lauf=lauf, teilnehmer__name="A").begrenzung == 2


def test_menge_aus_vertraegen_taggenau(genossenschaft, finanzen, geschaeftsstelle):
    a, b, _ = genossenschaft
    leistung = LeistungFactory(preismodell="je_einheit", einheit="arbeitsplatz")
    va = VertragFactory(mitglied=a, leistung=leistung, beginn=D(2026, 1, 1), menge=40)
    vertrag_services.aendern_menge(vertrag=va, ab=D(2026, 7, 1), menge=Decimal(55))
    VertragFactory(mitglied=b, leistung=leistung, beginn=D(2026, 1, 1), menge=10)
    _pool(
        schluessel="menge",
        leistung=leistung,
        teilnehmerkreis="vertragspartner",
        betrag_plan_cent=100_000,
    )

    lauf = _berechnet(finanzen)

    # A: 40·181 + 55·184 = 17,360 ; B: 10·365 = 3,650 (quantity-days) → 100,000 ct split
    assert _betraege(lauf) == {"A": 82627, "B": 17373}
    assert Umlageposition.objects.get(lauf=lauf, teilnehmer__name="A").menge == 17360 * 100


def test_festgeschriebener_lauf_bleibt_unveraendert(genossenschaft, finanzen):
    a, _, _ = genossenschaft
    _pool()
    lauf = _berechnet(finanzen)
    laeufe.festschreiben(lauf=lauf, user=finanzen)
    vorher = _betraege(lauf)

    # The register and the members change afterwards …
    Einwohnerzahl.objects.filter(gebietskoerperschaft=a.gebietskoerperschaft).update(einwohner=9999)
    a.gebietskoerperschaft.name = "A-Stadt"
    a.gebietskoerperschaft.save()
    # … the frozen run refuses every change and keeps its inputs and results.
    with pytest.raises(
        ValidationError, match="festgeschrieben und kann nicht mehr geändert werden"
    ):
        laeufe.zur_berechnung_vormerken(lauf=lauf, user=finanzen)
    with pytest.raises(ValidationError, match="festgeschrieben"):
        laeufe.loeschen(lauf=lauf, user=finanzen)
    assert _betraege(lauf) == vorher
    assert Umlageposition.objects.get(lauf=lauf, teilnehmer__name="A").einwohner == 3000


def test_neuberechnung_ersetzt_die_positionen_atomar(genossenschaft, finanzen):
    pool = _pool()
    lauf = _berechnet(finanzen)
    pool.betrag_plan_cent = 2_000_000
    pool.save()
    laeufe.zur_berechnung_vormerken(lauf=lauf, user=finanzen)
    lauf = laeufe.berechnen(lauf_id=lauf.id)
    assert sum(_betraege(lauf).values()) == 2_000_000
    assert Umlageposition.objects.filter(lauf=lauf).count() == 3

    # a failing recalculation keeps the previous lines and records why
    pool.schluessel, pool.mischung = "mix", {"menge": 100}
    Kostenpool.objects.filter(pk=pool.pk).update(schluessel="mix", mischung={"menge": 100})
    laeufe.zur_berechnung_vormerken(lauf=lauf, user=finanzen)
    with pytest.raises(Exception):  # noqa: B017 - the engine's German error, checked below
        laeufe.berechnen(lauf_id=lauf.id)
    lauf.refresh_from_db()
    assert lauf.status == "berechnet" and "menge hat die Summe 0" in lauf.fehler
    assert sum(_betraege(lauf).values()) == 2_000_000


def test_nur_finanzen_berechnet_und_schreibt_fest(genossenschaft, finanzen, geschaeftsstelle):
    _pool()
    with pytest.raises(PermissionDenied):
        laeufe.anlegen(geschaeftsjahr=2026, art="plan", user=geschaeftsstelle)
    lauf = _berechnet(finanzen)
    with pytest.raises(PermissionDenied):
        laeufe.festschreiben(lauf=lauf, user=geschaeftsstelle)


@pytest.mark.django_db(transaction=True)
def test_gleichzeitiges_festschreiben_gelingt_genau_einmal(genossenschaft, finanzen):
    from tests.mitglieder.factories import UserFactory

    zweite = UserFactory(username="fin2")
    zweite.groups.add(*finanzen.groups.all())
    _pool()
    lauf = _berechnet(finanzen)
    ergebnisse, start = [], threading.Barrier(2)

    def festschreiben(user):
        try:
            start.wait()
            laeufe.festschreiben(lauf=Umlagelauf.objects.get(pk=lauf.pk), user=user)
            ergebnisse.append("ok")
        except ValidationError as exc:
            ergebnisse.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=festschreiben, args=(u,)) for u in (finanzen, zweite)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(ergebnisse, key=len)[0] == "ok"
    assert ergebnisse.count("ok") == 1
    assert any("festgeschrieben" in e for e in ergebnisse if e != "ok")


@pytest.mark.django_db(transaction=True)
def test_berechnung_laeuft_im_hintergrunddienst(client, settings, genossenschaft, finanzen):
    """With the database backend the page only queues the calculation; the page shows the
    run as being calculated until `db_worker` has done it."""
    import io

    from django.core.management import call_command

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    _pool()
    lauf = laeufe.anlegen(geschaeftsjahr=2026, art="plan", user=finanzen)
    client.force_login(finanzen)

    client.post(f"/umlage/laeufe/{lauf.pk}/berechnen/")
    seite = client.get(f"/umlage/laeufe/{lauf.pk}/")
    assert "wird berechnet" in seite.text and "<progress" in seite.text
    assert not Umlageposition.objects.filter(lauf=lauf).exists()

    call_command(
        "db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO()
    )

    lauf.refresh_from_db()
    assert (lauf.status, lauf.fortschritt) == ("berechnet", 100)
    assert sum(_betraege(lauf).values()) == 1_000_000


def test_festgeschriebener_bescheid_erklaert_nach_aenderungen_noch_alles(
    client, genossenschaft, finanzen
):
    a, b, _ = genossenschaft
    leistung = LeistungFactory(preismodell="je_einheit", einheit="arbeitsplatz")
    vertrag = VertragFactory(mitglied=a, leistung=leistung, beginn=D(2026, 1, 1), menge=40)
    _pool()
    _pool(name="Hosting", schluessel="menge", leistung=leistung, teilnehmerkreis="vertragspartner")
    lauf = _berechnet(finanzen)
    laeufe.festschreiben(lauf=lauf, user=finanzen)
    client.force_login(finanzen)
    vorher = client.get(f"/umlage/laeufe/{lauf.pk}/mitglieder/{a.pk}/").text

    # register, member name and contracts change afterwards
    Einwohnerzahl.objects.filter(gebietskoerperschaft=a.gebietskoerperschaft).update(einwohner=1)
    a.name = "Neuer Name"
    a.save()
    vertrag_services.aendern_menge(vertrag=vertrag, ab=D(2026, 3, 1), menge=Decimal(999))
    vertrag_services.kuendigen_vertrag(
        vertrag=vertrag, zum=D(2026, 12, 31), durch="geschaeftsstelle", kuendigung_am=D(2026, 2, 1)
    )

    nachher = client.get(f"/umlage/laeufe/{lauf.pk}/mitglieder/{a.pk}/").text

    def inhalt(html: str) -> str:  # the page body without the header's CSRF token
        return html[html.index("<main") : html.index("</main>")]

    assert inhalt(nachher) == inhalt(vorher)
    assert "3.000 Einwohner × 365 Tage" in nachher
    assert "14.600,00 Mengen-Tage (Menge × Tage) von 14.600,00" in nachher  # 40 × 365
    assert "Umlage 2026: A" in nachher
