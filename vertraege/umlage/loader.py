"""The only bridge between the models and the engine's DataFrames.

For a fiscal year it reads the pools, their participants and every input a key needs –
days of membership or contract in the year, population and share capital at each pool's
reference date, day-weighted contracted quantities – into one DataFrame of the engine's
shape, plus what the run keeps as its snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mitglieder.anteilsregister import anteilsbestand
from mitglieder.models import (
    Ebene,
    Einwohnerzahl,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatusEintrag,
)
from mitglieder.selectors import MITGLIED_AM_STICHTAG
from vertraege.models import Kostenpool, Teilnehmerkreis, Vertrag
from vertraege.selectors import tagesgewichtete_mengen
from vertraege.umlage.engine import Pool, UmlageFehler

ORDNUNG_OHNE_ARS = 10**12  # members without a register entry sort after all ARS


@dataclass
class Eingabe:
    pools: list[Pool]
    kostenpools: dict[int, Kostenpool]
    teilnehmer: pd.DataFrame
    mitglieder: dict[int, Mitglied]


def _tage_im_jahr(jahr: int) -> tuple[dt.date, dt.date, int]:
    von, bis = dt.date(jahr, 1, 1), dt.date(jahr, 12, 31)
    return von, bis, (bis - von).days + 1


def mitgliedstage(jahr: int) -> dict[int, int]:
    """Days of the year on which each member counted as a member (status aktiv or
    Austritt erklärt on that day)."""
    von, bis, _ = _tage_im_jahr(jahr)
    schritte: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for mitglied_id, datum, status in (
        MitgliedStatusEintrag.objects.filter(datum__lte=bis)
        .order_by("mitglied_id", "datum", "id")
        .values_list("mitglied_id", "datum", "status")
    ):
        schritte[mitglied_id].append((datum, status))
    tage: dict[int, int] = {}
    for mitglied_id, liste in schritte.items():
        summe = 0
        for i, (datum, status) in enumerate(liste):
            if status not in MITGLIED_AM_STICHTAG:
                continue
            ende = liste[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(liste) else bis
            anfang = max(datum, von)
            ende = min(ende, bis)
            if ende >= anfang:
                summe += (ende - anfang).days + 1
        if summe:
            tage[mitglied_id] = summe
    return tage


def einwohner_am(stichtag: dt.date, mitglieder: dict[int, Mitglied]) -> dict[int, int]:
    """Population of each member's authority at `stichtag` (latest figure on or before it);
    a Kreis or the Land counts the Gemeinden in it. Members without an authority: 0."""
    zahlen: dict[int, int] = {}
    for gk_id, zahl in (
        Einwohnerzahl.objects.filter(stichtag__lte=stichtag)
        .order_by("gebietskoerperschaft_id", "stichtag")
        .values_list("gebietskoerperschaft_id", "einwohner")
    ):
        zahlen[gk_id] = zahl
    gemeinden = list(
        Gebietskoerperschaft.objects.gemeinden()
        .aktiv_am(stichtag)
        .values_list("id", "kreis_id", "land")
    )
    je_kreis: dict[int, int] = defaultdict(int)
    je_land: dict[str, int] = defaultdict(int)
    for gk_id, kreis_id, land in gemeinden:
        je_kreis[kreis_id] += zahlen.get(gk_id, 0)
        je_land[land] += zahlen.get(gk_id, 0)
    ergebnis = {}
    for m in mitglieder.values():
        gk = m.gebietskoerperschaft
        if gk is None:
            ergebnis[m.id] = 0
        elif gk.ebene == Ebene.LAND:
            ergebnis[m.id] = je_land[gk.land]
        elif gk.ebene == Ebene.KREIS:
            ergebnis[m.id] = je_kreis[gk.id]
        else:
            ergebnis[m.id] = zahlen.get(gk.id, 0)
    return ergebnis


def anteile_am(stichtag: dt.date) -> dict[int, int]:
    stand = anteilsbestand(stichtag=stichtag)
    summen: dict[int, int] = defaultdict(int)
    for anteil in stand.anteile:
        summen[stand.inhaber[anteil.id]] += anteil.nennbetrag
    return summen


def _ordnung(mitglied: Mitglied) -> int:
    gk = mitglied.gebietskoerperschaft
    if gk is None:
        return ORDNUNG_OHNE_ARS + mitglied.id
    return int(gk.ars.ljust(12, "0"))


def lade(*, geschaeftsjahr: int, art: str) -> Eingabe:
    """Everything a run of `geschaeftsjahr` needs; `art` "plan" or "ist" picks the amounts."""
    kostenpools = {
        p.id: p
        for p in Kostenpool.objects.filter(geschaeftsjahr=geschaeftsjahr).prefetch_related(
            "teilnehmer"
        )
    }
    if not kostenpools:
        raise UmlageFehler(f"Für {geschaeftsjahr} gibt es keine Kostenpools.")
    if art == "ist":
        ohne = sorted(p.name for p in kostenpools.values() if p.betrag_ist_cent is None)
        if ohne:
            raise UmlageFehler(f"Für die Ist-Umlage fehlt der Istbetrag bei: {', '.join(ohne)}.")
    von, bis, jahrestage = _tage_im_jahr(geschaeftsjahr)
    mitgliedschaft = mitgliedstage(geschaeftsjahr)
    mitglieder = Mitglied.objects.select_related("gebietskoerperschaft").in_bulk()

    vertragstage: dict[int, dict[int, int]] = defaultdict(dict)  # leistung -> mitglied -> Tage
    mit_leistung = {p.leistung_id for p in kostenpools.values() if p.leistung_id}
    for v in Vertrag.objects.filter(leistung_id__in=mit_leistung, beginn__lte=bis).only(
        "mitglied_id", "leistung_id", "beginn", "ende"
    ):
        ende = min(v.ende, bis) if v.ende else bis
        tage = (ende - max(v.beginn, von)).days + 1
        if tage > 0:
            bisher = vertragstage[v.leistung_id].get(v.mitglied_id, 0)
            vertragstage[v.leistung_id][v.mitglied_id] = min(jahrestage, bisher + tage)
    mengen = (
        tagesgewichtete_mengen(von=von, bis=bis, leistung_ids=mit_leistung) if mit_leistung else {}
    )

    # Per member once: the ordering key; per reference date once: population and shares.
    ordnung = pd.Series({m.id: _ordnung(m) for m in mitglieder.values()}, dtype="int64")
    einwohner_cache: dict[dt.date, pd.Series] = {}
    anteile_cache: dict[dt.date, pd.Series] = {}
    mengen_je_leistung: dict[int, dict[int, int]] = defaultdict(dict)
    for (mitglied_id, leistung_id), mittel in mengen.items():
        mengen_je_leistung[leistung_id][mitglied_id] = int(mittel * jahrestage * 100)
    teile = []
    pools = []
    for kp in kostenpools.values():
        if kp.teilnehmerkreis == Teilnehmerkreis.ALLE_AKTIVEN:
            tage = mitgliedschaft
        elif kp.teilnehmerkreis == Teilnehmerkreis.VERTRAGSPARTNER:
            tage = vertragstage.get(kp.leistung_id, {})
        else:
            tage = {m.id: mitgliedschaft.get(m.id, 0) for m in kp.teilnehmer.all()}
        if kp.stichtag not in einwohner_cache:
            einwohner_cache[kp.stichtag] = pd.Series(
                einwohner_am(kp.stichtag, mitglieder), dtype="int64"
            )
            anteile_cache[kp.stichtag] = pd.Series(anteile_am(kp.stichtag), dtype="int64")
        ids = pd.Index(np.fromiter(tage.keys(), dtype=np.int64, count=len(tage)))
        menge = pd.Series(mengen_je_leistung.get(kp.leistung_id, {}), dtype="int64")
        teile.append(
            pd.DataFrame(
                {
                    "pool_id": kp.id,
                    "mitglied_id": ids,
                    "ordnung": ordnung.reindex(ids).to_numpy(),
                    "tage": np.fromiter(tage.values(), dtype=np.int64, count=len(tage)),
                    "einwohner": einwohner_cache[kp.stichtag].reindex(ids, fill_value=0).to_numpy(),
                    "anteile": anteile_cache[kp.stichtag].reindex(ids, fill_value=0).to_numpy(),
                    "menge": menge.reindex(ids, fill_value=0).to_numpy() if kp.leistung_id else 0,
                }
            )
        )
        betrag = kp.betrag_ist_cent if art == "ist" else kp.betrag_plan_cent
        pools.append(
            Pool(
                pool_id=kp.id,
                name=kp.name,
                betrag_cent=betrag,
                schluessel=kp.schluessel,
                pro_rata=kp.pro_rata,
                sockel_cent=kp.sockel_cent,
                mix=dict(kp.mischung or {}),
                mindest_cent=kp.mindest_cent,
                hoechst_cent=kp.hoechst_cent,
            )
        )
    spalten = ["pool_id", "mitglied_id", "ordnung", "tage", "einwohner", "anteile", "menge"]
    teilnehmer = (
        pd.concat(teile, ignore_index=True)[spalten].astype("int64")
        if teile
        else pd.DataFrame(columns=spalten, dtype="int64")
    )
    return Eingabe(pools, kostenpools, teilnehmer, mitglieder)
