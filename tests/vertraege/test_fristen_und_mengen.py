"""The contract rules: earliest end by notice period and minimum term, the exact
day-weighted quantity, and contracts ending when a member leaves."""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mitglieder import services as mitglied_services
from tests.leistungen.factories import LeistungFactory
from tests.vertraege.factories import VertragFactory
from vertraege import fristen, services
from vertraege.selectors import tagesgewichtete_mengen

D = dt.date


@dataclass
class Bedingungen:
    beginn: dt.date
    mindestlaufzeit_monate: int
    kuendigungsfrist_monate: int
    verlaengerung_monate: int
    ende: dt.date | None = None


@pytest.mark.parametrize(
    ("bedingungen", "kuendigung_am", "erwartet"),
    [
        # 12 months minimum from 1.1.2026, then +12 each; 3 months notice.
        (Bedingungen(D(2026, 1, 1), 12, 3, 12), D(2026, 9, 30), D(2026, 12, 31)),
        (Bedingungen(D(2026, 1, 1), 12, 3, 12), D(2026, 10, 1), D(2027, 12, 31)),
        (Bedingungen(D(2026, 1, 1), 12, 3, 12), D(2026, 2, 1), D(2026, 12, 31)),
        # No renewal: after the minimum term, 3 months to the end of a month.
        (Bedingungen(D(2026, 1, 1), 12, 3, 0), D(2027, 3, 15), D(2027, 6, 30)),
        (Bedingungen(D(2026, 1, 1), 12, 3, 0), D(2026, 3, 15), D(2026, 12, 31)),
        # Mid-month start: the minimum term ends the day before the anniversary.
        (Bedingungen(D(2026, 7, 15), 24, 6, 12), D(2026, 8, 1), D(2028, 7, 14)),
        # Nothing binding: any day.
        (Bedingungen(D(2026, 1, 1), 0, 0, 0), D(2026, 5, 17), D(2026, 5, 17)),
        # A fixed end comes first.
        (Bedingungen(D(2026, 1, 1), 12, 3, 12, ende=D(2026, 6, 30)), D(2026, 2, 1), D(2026, 6, 30)),
    ],
)
def test_fruehestes_ende(bedingungen, kuendigung_am, erwartet):
    assert fristen.fruehestes_ende(bedingungen, kuendigung_am) == erwartet


def test_naechste_frist_nennt_den_letzten_kuendigungstag():
    frist = fristen.naechste_frist(Bedingungen(D(2026, 1, 1), 12, 3, 12), D(2026, 5, 1))
    assert frist == fristen.Frist(naechstes_ende=D(2026, 12, 31), kuendigen_bis=D(2026, 9, 30))
    frist = fristen.naechste_frist(Bedingungen(D(2026, 1, 1), 12, 3, 0), D(2027, 3, 15))
    assert frist == fristen.Frist(naechstes_ende=D(2027, 6, 30), kuendigen_bis=D(2027, 3, 31))


BEDINGUNGEN = st.builds(
    Bedingungen,
    beginn=st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    mindestlaufzeit_monate=st.sampled_from([0, 1, 6, 12, 24, 36]),
    kuendigungsfrist_monate=st.sampled_from([0, 1, 3, 6]),
    verlaengerung_monate=st.sampled_from([0, 1, 12, 24]),
)


@given(bedingungen=BEDINGUNGEN, tage=st.integers(0, 3000))
def test_fruehestes_ende_haelt_frist_und_mindestlaufzeit_ein(bedingungen, tage):
    kuendigung_am = bedingungen.beginn + dt.timedelta(days=tage)
    ende = fristen.fruehestes_ende(bedingungen, kuendigung_am)
    assert ende >= fristen.mindestende(bedingungen)
    assert ende >= fristen._wirksam_ab(bedingungen, kuendigung_am)
    assert fristen.ist_zulaessiges_ende(bedingungen, kuendigung_am, ende)
    # a day earlier is never allowed
    assert not fristen.ist_zulaessiges_ende(bedingungen, kuendigung_am, ende - dt.timedelta(days=1))
    # notice on the last day named for that end still reaches it
    frist = fristen.naechste_frist(bedingungen, kuendigung_am)
    assert fristen.fruehestes_ende(bedingungen, frist.kuendigen_bis) == frist.naechstes_ende


# ---------------------------------------------------------------- quantities


@pytest.mark.django_db
def test_tagesgewichtete_menge_mit_aenderung_zur_jahresmitte_ist_exakt():
    vertrag = VertragFactory(beginn=D(2026, 1, 1), menge=40)
    services.aendern_menge(vertrag=vertrag, ab=D(2026, 7, 1), menge=55)

    mengen = tagesgewichtete_mengen(von=D(2026, 1, 1), bis=D(2026, 12, 31))

    assert mengen == {
        (vertrag.mitglied_id, vertrag.leistung_id): Fraction(40 * 181 + 55 * 184, 365)
    }


@pytest.mark.django_db
def test_tagesgewichtete_menge_beachtet_beginn_ende_und_zeitraum(django_assert_max_num_queries):
    leistung = LeistungFactory()
    spaet = VertragFactory(leistung=leistung, beginn=D(2026, 10, 1), menge=10)
    gekuendigt = VertragFactory(
        leistung=leistung, beginn=D(2025, 1, 1), menge=3, ende=D(2026, 3, 31)
    )
    VertragFactory(leistung=leistung, beginn=D(2027, 1, 1), menge=99)  # outside
    for _ in range(5):
        VertragFactory(leistung=leistung, beginn=D(2026, 1, 1), menge=1)

    with django_assert_max_num_queries(2):
        mengen = tagesgewichtete_mengen(
            von=D(2026, 1, 1), bis=D(2026, 12, 31), leistung_ids=[leistung.id]
        )

    assert mengen[(spaet.mitglied_id, leistung.id)] == Fraction(10 * 92, 365)
    assert mengen[(gekuendigt.mitglied_id, leistung.id)] == Fraction(3 * 90, 365)
    assert len(mengen) == 7


# ---------------------------------------------------------------- exit of a member


@pytest.mark.django_db
def test_vertraege_enden_spaetestens_mit_dem_ausscheiden(mitglied_a):
    laufend = VertragFactory(mitglied=mitglied_a, beginn=D(2024, 1, 1))
    spaeter = VertragFactory(mitglied=mitglied_a, beginn=D(2027, 1, 1))
    frueher = VertragFactory(mitglied=mitglied_a, beginn=D(2024, 1, 1), ende=D(2025, 6, 30))
    mitglied_services.change_mitglied_status(
        mitglied=mitglied_a, status="austritt_erklaert", datum=D(2026, 6, 30)
    )

    mitglied_services.change_mitglied_status(
        mitglied=mitglied_a, status="ausgeschieden", datum=D(2026, 12, 31)
    )

    for v in (laufend, spaeter, frueher):
        v.refresh_from_db()
    assert laufend.ende == D(2026, 12, 31) and laufend.gekuendigt_durch == "austritt"
    assert spaeter.ende == D(2026, 12, 31) and spaeter.beginn == D(2027, 1, 1)  # never started
    assert frueher.ende == D(2025, 6, 30)
    mengen = tagesgewichtete_mengen(von=D(2027, 1, 1), bis=D(2027, 12, 31))
    assert mengen == {}


@pytest.mark.django_db
def test_ausscheiden_wird_ganz_zurueckgenommen_wenn_eine_regel_bricht(mitglied_a, mitglied_b):
    """The status step and the contract ends are one transaction."""
    vertrag = VertragFactory(mitglied=mitglied_a, beginn=D(2024, 1, 1))
    from mitglieder.models import MitgliedStatusEintrag

    mitglied_services.change_mitglied_status(
        mitglied=mitglied_a, status="austritt_erklaert", datum=D(2026, 6, 30)
    )
    with pytest.raises(ValidationError):
        mitglied_services.change_mitglied_status(
            mitglied=mitglied_a,
            status="ausgeschieden",
            datum=D(2026, 1, 1),  # before the last step
        )
    vertrag.refresh_from_db()
    assert vertrag.ende is None
    assert (
        MitgliedStatusEintrag.objects.filter(mitglied=mitglied_a, status="ausgeschieden").count()
        == 0
    )
