"""The share register at a date, derived from the ledger, and the Gesellschafterliste.

The ledger (Anteilsvorgang + Anteilsbuchung) is the only source of truth: replaying its
entries up to a date in (datum, id) order gives who holds which share, and the sum of the
capital changes gives the Stammkapital. Both take a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from mitglieder.models import (
    Anteilsbuchung,
    Anteilsvorgang,
    Geschaeftsanteil,
    Mitglied,
    MitgliedStatusEintrag,
)

PROZENT = Decimal("0.0001")


@dataclass(frozen=True)
class Anteilsbestand:
    stichtag: dt.date
    stammkapital: int
    anteile: list[Geschaeftsanteil]
    inhaber: dict[int, int]  # Geschaeftsanteil.id -> Mitglied.id


def anteilsbestand(*, stichtag: dt.date) -> Anteilsbestand:
    inhaber: dict[int, int] = {}
    buchungen = (
        Anteilsbuchung.objects.filter(vorgang__datum__lte=stichtag)
        .order_by("vorgang__datum", "vorgang_id", "id")
        .values_list("anteil_id", "inhaber_nachher_id")
    )
    for anteil_id, nachher in buchungen:
        if nachher is None:
            inhaber.pop(anteil_id, None)
        else:
            inhaber[anteil_id] = nachher
    stammkapital = (
        Anteilsvorgang.objects.filter(datum__lte=stichtag).aggregate(
            s=Sum("stammkapital_aenderung")
        )["s"]
        or 0
    )
    anteile = list(Geschaeftsanteil.objects.filter(id__in=inhaber).order_by("laufende_nummer"))
    return Anteilsbestand(stichtag, stammkapital, anteile, inhaber)


def anteile_von(mitglied: Mitglied, *, stichtag: dt.date) -> list[Geschaeftsanteil]:
    stand = anteilsbestand(stichtag=stichtag)
    return [a for a in stand.anteile if stand.inhaber[a.id] == mitglied.id]


def status_am(mitglied: Mitglied, datum: dt.date) -> str | None:
    eintrag = (
        MitgliedStatusEintrag.objects.filter(mitglied=mitglied, datum__lte=datum)
        .order_by("-datum", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return eintrag


def status_aller_am(datum: dt.date) -> dict[int, str]:
    """Mitglied.id -> status at `datum`, for all members, in one query."""
    status: dict[int, str] = {}
    for mitglied_id, wert in (
        MitgliedStatusEintrag.objects.filter(datum__lte=datum)
        .order_by("mitglied_id", "datum", "id")
        .values_list("mitglied_id", "status")
    ):
        status[mitglied_id] = wert
    return status


def prozent(teil: int, ganzes: int) -> Decimal:
    if not ganzes:
        return Decimal(0)
    return (Decimal(teil) * 100 / Decimal(ganzes)).quantize(PROZENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ListenAnteil:
    laufende_nummer: int
    nennbetrag: int
    prozent: Decimal


@dataclass(frozen=True)
class ListenZeile:
    mitglied: Mitglied
    anteile: list[ListenAnteil]
    nennbetrag: int
    prozent: Decimal

    @property
    def stimmen(self) -> int:
        # § 47 Abs. 2 GmbHG: jeder Euro eines Geschäftsanteils gewährt eine Stimme.
        return self.nennbetrag


@dataclass(frozen=True)
class Gesellschafterliste:
    stichtag: dt.date
    stammkapital: int
    zeilen: list[ListenZeile]

    @property
    def summe_nennbetraege(self) -> int:
        return sum(z.nennbetrag for z in self.zeilen)

    @property
    def stimmen(self) -> int:
        return self.summe_nennbetraege

    @property
    def anzahl_anteile(self) -> int:
        return sum(len(z.anteile) for z in self.zeilen)


def gesellschafterliste(*, stichtag: dt.date) -> Gesellschafterliste:
    """The list of § 40 GmbHG at `stichtag`: per shareholder its shares in running order,
    nominal amounts and percentages of the Stammkapital; shareholders in the order of their
    lowest running number."""
    stand = anteilsbestand(stichtag=stichtag)
    je_mitglied: dict[int, list[Geschaeftsanteil]] = {}
    for anteil in stand.anteile:
        je_mitglied.setdefault(stand.inhaber[anteil.id], []).append(anteil)
    mitglieder = Mitglied.objects.in_bulk(je_mitglied.keys())
    zeilen = []
    for mitglied_id, anteile in sorted(je_mitglied.items(), key=lambda e: e[1][0].laufende_nummer):
        summe = sum(a.nennbetrag for a in anteile)
        zeilen.append(
            ListenZeile(
                mitglied=mitglieder[mitglied_id],
                anteile=[
                    ListenAnteil(
                        a.laufende_nummer, a.nennbetrag, prozent(a.nennbetrag, stand.stammkapital)
                    )
                    for a in anteile
                ],
                nennbetrag=summe,
                prozent=prozent(summe, stand.stammkapital),
            )
        )
    return Gesellschafterliste(stichtag, stand.stammkapital, zeilen)
