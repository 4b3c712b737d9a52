"""A small cooperative whose allocation can be computed by hand (see test_lauf.py)."""

import datetime as dt

import pytest

from mitglieder import services as mitglied_services
from tests.mitglieder.factories import GemeindeFactory, KreisFactory, LandFactory, MitgliedFactory
from vertraege.models import Kostenpool, Umlagelauf
from vertraege.umlage import lauf as laeufe

D = dt.date


@pytest.fixture
def genossenschaft(db):
    """Three member towns for 2026: A (3,000 inhabitants, member all year), B (1,000, all
    year), C (1,000, joined 1 July 2026 → 184 days)."""
    LandFactory()
    kreis = KreisFactory()
    a = MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=kreis, name="A", einwohnerzahl=3000)
    )
    b = MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=kreis, name="B", einwohnerzahl=1000)
    )
    c = MitgliedFactory(
        gebietskoerperschaft=GemeindeFactory(kreis=kreis, name="C", einwohnerzahl=1000),
        interessent=True,
        datum=D(2025, 1, 1),
    )
    for status, datum in [
        ("beitritt_beantragt", D(2025, 6, 1)),
        ("beitritt_beschlossen", D(2026, 3, 1)),
        ("aktiv", D(2026, 7, 1)),
    ]:
        mitglied_services.change_mitglied_status(mitglied=c, status=status, datum=datum)
    return a, b, c


def pool(**felder) -> Kostenpool:
    werte = {
        "geschaeftsjahr": 2026,
        "name": "Rechenzentrum",
        "betrag_plan_cent": 1_000_000,
        "schluessel": "einwohner",
        "stichtag": D(2025, 12, 31),
        **felder,
    }
    pool = Kostenpool(**werte)
    pool.full_clean()
    pool.save()
    return pool


def berechnet(finanzen, art="plan") -> Umlagelauf:
    lauf = laeufe.anlegen(geschaeftsjahr=2026, art=art, user=finanzen)
    laeufe.zur_berechnung_vormerken(lauf=lauf, user=finanzen)
    return laeufe.berechnen(lauf_id=lauf.id, user_id=finanzen.id)
