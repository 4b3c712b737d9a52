"""Umlagelauf services: create, calculate (snapshot + lines, atomically replaced), freeze.

Only finance staff calculate and freeze (checked by the callers' permission, and again
here). A frozen run refuses every change. Freezing takes a row lock, so of two finance
users freezing at once exactly one succeeds.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mitglieder import rollen
from vertraege.models import (
    LaufArt,
    LaufStatus,
    Umlagelauf,
    Umlagepool,
    Umlageposition,
    Umlageteilnehmer,
)
from vertraege.umlage import engine, loader, speichern

ANTEIL_STELLEN = Decimal("0.000000000001")


def _nur_finanzen(user) -> None:
    if user is not None and not rollen.ist_finanzen(user):
        raise PermissionDenied("Umlageläufe berechnen und festschreiben darf nur Finanzen.")


@transaction.atomic
def anlegen(*, geschaeftsjahr: int, art: str, bezeichnung: str = "", user=None) -> Umlagelauf:
    _nur_finanzen(user)
    if art not in LaufArt.values:
        raise ValidationError({"art": "Art ist „plan“ oder „ist“."})
    lauf = Umlagelauf(
        geschaeftsjahr=geschaeftsjahr,
        art=art,
        bezeichnung=bezeichnung or f"{LaufArt(art).label.split(' ')[0]}-Umlage {geschaeftsjahr}",
        angelegt_von=user,
    )
    lauf.full_clean()
    lauf.save()
    return lauf


def _sperren(lauf_id: int) -> Umlagelauf:
    lauf = Umlagelauf.objects.select_for_update().get(pk=lauf_id)
    if lauf.status == LaufStatus.FESTGESCHRIEBEN:
        raise ValidationError(
            f"Der Lauf „{lauf.bezeichnung}“ ist seit "
            f"{timezone.localtime(lauf.festgeschrieben_am):%d.%m.%Y %H:%M} festgeschrieben und "
            "kann nicht mehr geändert werden."
        )
    return lauf


@transaction.atomic
def zur_berechnung_vormerken(*, lauf: Umlagelauf, user) -> Umlagelauf:
    """Mark the run as being calculated; the background task does the work."""
    _nur_finanzen(user)
    lauf = _sperren(lauf.pk)
    if lauf.status == LaufStatus.IN_BERECHNUNG:
        raise ValidationError("Der Lauf wird bereits berechnet.")
    lauf.status = LaufStatus.IN_BERECHNUNG
    lauf.fortschritt, lauf.fortschritt_text, lauf.fehler = 0, "wartet auf den Hintergrunddienst", ""
    lauf.save(update_fields=["status", "fortschritt", "fortschritt_text", "fehler"])
    return lauf


def _fortschritt(lauf_id: int, prozent: int, text: str) -> None:
    # Outside the calculation's transaction where possible, so pages can show it.
    Umlagelauf.objects.filter(pk=lauf_id).update(fortschritt=prozent, fortschritt_text=text)


def berechnen(*, lauf_id: int, user_id: int | None = None) -> Umlagelauf:
    """Calculate a run: read the inputs, run the engine, and replace the run's snapshot and
    lines in one transaction. On failure the run keeps its previous result and shows why."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    lauf = Umlagelauf.objects.get(pk=lauf_id)
    vorher = LaufStatus.BERECHNET if lauf.berechnet_am else LaufStatus.ENTWURF
    try:
        _fortschritt(lauf_id, 5, "Eingaben werden gelesen")
        eingabe = loader.lade(geschaeftsjahr=lauf.geschaeftsjahr, art=lauf.art)
        _fortschritt(lauf_id, 40, "Umlage wird gerechnet")
        ergebnis = engine.berechne(eingabe.pools, eingabe.teilnehmer)
        _fortschritt(
            lauf_id, 60, f"{len(ergebnis):,} Positionen werden gespeichert".replace(",", ".")
        )
        with transaction.atomic():
            lauf = _sperren(lauf_id)
            _ersetzen(lauf, eingabe, ergebnis)
            lauf.status = LaufStatus.BERECHNET
            lauf.berechnet_am, lauf.berechnet_von = timezone.now(), user
            lauf.fortschritt, lauf.fortschritt_text, lauf.fehler = 100, "fertig", ""
            lauf.save()
    except (engine.UmlageFehler, ValidationError) as exc:
        meldung = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        Umlagelauf.objects.filter(pk=lauf_id).exclude(status=LaufStatus.FESTGESCHRIEBEN).update(
            status=vorher, fortschritt=0, fortschritt_text="", fehler=meldung
        )
        raise
    return lauf


def _ersetzen(lauf: Umlagelauf, eingabe: loader.Eingabe, ergebnis) -> None:
    Umlageposition.objects.filter(lauf=lauf).delete()
    Umlagepool.objects.filter(lauf=lauf).delete()
    Umlageteilnehmer.objects.filter(lauf=lauf).delete()
    basissummen = ergebnis.groupby("pool_id")["basissumme"].first().to_dict()
    pools = Umlagepool.objects.bulk_create(
        [
            Umlagepool(
                lauf=lauf,
                kostenpool_id=p.pool_id,
                name=p.name,
                betrag_cent=p.betrag_cent,
                schluessel=p.schluessel,
                definition={
                    "pro_rata": p.pro_rata,
                    "sockel_cent": p.sockel_cent,
                    "mischung": p.mix,
                    "mindest_cent": p.mindest_cent,
                    "hoechst_cent": p.hoechst_cent,
                    "stichtag": eingabe.kostenpools[p.pool_id].stichtag.isoformat(),
                    "teilnehmerkreis": eingabe.kostenpools[p.pool_id].teilnehmerkreis,
                    "leistung": eingabe.kostenpools[p.pool_id].leistung_id,
                },
                basissumme=Decimal(int(basissummen.get(p.pool_id, 0))),
            )
            for p in eingabe.pools
        ]
    )
    pool_ids = {p.kostenpool_id: p.id for p in pools}
    beteiligte = sorted(set(ergebnis["mitglied_id"].tolist()))
    teilnehmer = Umlageteilnehmer.objects.bulk_create(
        [
            Umlageteilnehmer(
                lauf=lauf,
                mitglied_id=m,
                name=eingabe.mitglieder[m].name,
                ars=eingabe.mitglieder[m].gebietskoerperschaft.ars
                if eingabe.mitglieder[m].gebietskoerperschaft
                else "",
            )
            for m in beteiligte
        ],
        batch_size=5000,
    )
    teilnehmer_ids = {t.mitglied_id: t.id for t in teilnehmer}
    speichern.positionen_schreiben(
        pd.DataFrame(
            {
                "lauf_id": lauf.id,
                "pool_id": ergebnis["pool_id"].map(pool_ids),
                "teilnehmer_id": ergebnis["mitglied_id"].map(teilnehmer_ids),
                "tage": ergebnis["tage"],
                "einwohner": ergebnis["einwohner"],
                "anteile": ergebnis["anteile"],
                "menge": ergebnis["menge"],
                "basiswert": ergebnis["basiswert"],
                "anteil": np.round(ergebnis["anteil"].to_numpy(dtype=np.float64), 12),
                "betrag_cent": ergebnis["betrag_cent"],
                "begrenzung": ergebnis["begrenzung"],
            }
        )
    )


@transaction.atomic
def festschreiben(*, lauf: Umlagelauf, user) -> Umlagelauf:
    """Freeze a calculated run. The row lock makes concurrent freezes queue up; the second
    then finds the run frozen and is refused."""
    _nur_finanzen(user)
    lauf = _sperren(lauf.pk)
    if lauf.status != LaufStatus.BERECHNET:
        raise ValidationError(
            "Festschreiben lässt sich nur ein berechneter Lauf "
            f"(Status: „{lauf.get_status_display()}“)."
        )
    lauf.status = LaufStatus.FESTGESCHRIEBEN
    lauf.festgeschrieben_am, lauf.festgeschrieben_von = timezone.now(), user
    lauf.save(update_fields=["status", "festgeschrieben_am", "festgeschrieben_von"])
    return lauf


@transaction.atomic
def loeschen(*, lauf: Umlagelauf, user) -> None:
    _nur_finanzen(user)
    _sperren(lauf.pk).delete()
