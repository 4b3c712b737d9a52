"""Reads that depend on who is asking. Object access is decided here, once, for pages and
API alike: what a user may not see does not exist for them (a plain 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from mitglieder import rollen
from mitglieder.anteilsregister import prozent, status_aller_am
from mitglieder.models import (
    Ebene,
    Einwohnerzahl,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatus,
)

# At a date, a member "counts" (for coverage, votes, allocations) from accession to exit.
MITGLIED_AM_STICHTAG = {MitgliedStatus.AKTIV, MitgliedStatus.AUSTRITT_ERKLAERT}


def list_mitglieder(*, user) -> QuerySet[Mitglied]:
    qs = Mitglied.objects.select_related("gebietskoerperschaft", "gebietskoerperschaft__kreis")
    if rollen.sieht_alle_mitglieder(user):
        return qs
    if rollen.ist_kommune(user):
        return qs.filter(pk__in=rollen.mitglieder_fuer(user).values("pk"))
    return qs.none()


def get_mitglied(*, user, pk) -> Mitglied:
    try:
        return list_mitglieder(user=user).get(pk=pk)
    except (Mitglied.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Kein Mitglied mit dieser Nummer.") from exc


def darf_mitglied_bearbeiten(*, user, mitglied: Mitglied) -> bool:
    """Master data and contacts: the office for every member, a Kommune user for its own."""
    if rollen.ist_geschaeftsstelle(user):
        return True
    return rollen.ist_kommune(user) and user.has_perm("mitglieder.change_mitglied", mitglied)


def list_gebietskoerperschaften() -> QuerySet[Gebietskoerperschaft]:
    """The register is public fact: every logged-in role may read it."""
    return Gebietskoerperschaft.objects.select_related("kreis", "uebergeordnet", "nachfolger")


@dataclass
class StatistikZeile:
    ars: str
    name: str
    typ: str
    gemeinden: int = 0
    gemeinden_mitglied: int = 0
    einwohner: int = 0
    einwohner_mitglied: int = 0
    gemeinden_ohne_einwohnerzahl: int = 0
    selbst_mitglied: bool = False

    @property
    def abdeckung_gemeinden(self) -> Decimal:
        return prozent(self.gemeinden_mitglied, self.gemeinden)

    @property
    def abdeckung_einwohner(self) -> Decimal:
        return prozent(self.einwohner_mitglied, self.einwohner)


@dataclass
class RegisterStatistik:
    stichtag: dt.date
    einwohner_stichtag: dt.date | None
    gesamt: StatistikZeile
    kreise: list[StatistikZeile] = field(default_factory=list)


def register_statistik(*, land: str, stichtag: dt.date) -> RegisterStatistik:
    """Gemeinden, member Gemeinden, inhabitants and inhabitants covered by members, per Kreis
    and for the Land, at `stichtag`. Population is the latest figure on or before it."""
    land_gk = (
        Gebietskoerperschaft.objects.filter(ebene=Ebene.LAND, ars=land).aktiv_am(stichtag).first()
    )
    if land_gk is None:
        raise Http404(f"Das Land {land} ist im Register zum {stichtag:%d.%m.%Y} nicht enthalten.")
    status = status_aller_am(stichtag)
    mitglied_gk = {
        gk_id
        for m_id, gk_id in Mitglied.objects.filter(gebietskoerperschaft__land=land).values_list(
            "id", "gebietskoerperschaft_id"
        )
        if status.get(m_id) in MITGLIED_AM_STICHTAG
    }
    einwohner: dict[int, int] = {}
    einwohner_stichtag: dt.date | None = None
    for gk_id, tag, zahl in (
        Einwohnerzahl.objects.filter(gebietskoerperschaft__land=land, stichtag__lte=stichtag)
        .order_by("gebietskoerperschaft_id", "stichtag")
        .values_list("gebietskoerperschaft_id", "stichtag", "einwohner")
    ):
        einwohner[gk_id] = zahl
        if einwohner_stichtag is None or tag > einwohner_stichtag:
            einwohner_stichtag = tag

    kreise = {
        k.id: StatistikZeile(
            k.ars, k.name, k.get_typ_display(), selbst_mitglied=k.id in mitglied_gk
        )
        for k in Gebietskoerperschaft.objects.filter(land=land, ebene=Ebene.KREIS)
        .aktiv_am(stichtag)
        .order_by("ars")
    }
    gesamt = StatistikZeile(
        land_gk.ars,
        land_gk.name,
        land_gk.get_typ_display(),
        selbst_mitglied=land_gk.id in mitglied_gk,
    )
    for gk_id, kreis_id in (
        Gebietskoerperschaft.objects.gemeinden()
        .filter(land=land)
        .aktiv_am(stichtag)
        .values_list("id", "kreis_id")
    ):
        zeilen = [gesamt] + ([kreise[kreis_id]] if kreis_id in kreise else [])
        ist_mitglied = gk_id in mitglied_gk
        zahl = einwohner.get(gk_id)
        for zeile in zeilen:
            zeile.gemeinden += 1
            if zahl is None:
                zeile.gemeinden_ohne_einwohnerzahl += 1
            else:
                zeile.einwohner += zahl
            if ist_mitglied:
                zeile.gemeinden_mitglied += 1
                zeile.einwohner_mitglied += zahl or 0
    return RegisterStatistik(stichtag, einwohner_stichtag, gesamt, list(kreise.values()))
