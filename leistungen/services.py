"""Writes to the catalog that carry a rule. The catalog's write access itself is plain
Django model permissions (the office group); these functions keep the data consistent."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from leistungen.models import Leistung, Preis, Preismodell


def pruefe_preise(preise: Iterable[Preis], *, preismodell: str) -> None:
    """Prices of one service: at most one per start date, an end date before the next price
    begins, and an amount of 0 for services that are free or financed by the allocation."""
    geordnet = sorted(preise, key=lambda p: p.gueltig_ab)
    for vorher, nachher in zip(geordnet, geordnet[1:], strict=False):
        if vorher.gueltig_ab == nachher.gueltig_ab:
            raise ValidationError(
                f"Zwei Preise beginnen am {vorher.gueltig_ab:%d.%m.%Y}; je Beginn ist nur ein "
                "Preis möglich."
            )
        if vorher.gueltig_bis is not None and vorher.gueltig_bis >= nachher.gueltig_ab:
            raise ValidationError(
                f"Der Preis ab {vorher.gueltig_ab:%d.%m.%Y} endet am "
                f"{vorher.gueltig_bis:%d.%m.%Y} und überschneidet sich mit dem Preis ab "
                f"{nachher.gueltig_ab:%d.%m.%Y}."
            )
    if preismodell in {Preismodell.KOSTENFREI, Preismodell.UMLAGE}:
        mit_betrag = [p for p in geordnet if p.betrag]
        if mit_betrag:
            raise ValidationError(
                f"Eine Leistung mit Preismodell „{Preismodell(preismodell).label}“ hat keinen "
                f"Preis; der Preis ab {mit_betrag[0].gueltig_ab:%d.%m.%Y} wäre "
                f"{mit_betrag[0].betrag} €."
            )


@transaction.atomic
def save_leistung(*, leistung: Leistung, preise: list[Preis] | None = None) -> Leistung:
    """Create or update a service and, if given, replace its prices – all or nothing."""
    leistung.full_clean()
    if preise is not None:
        pruefe_preise(preise, preismodell=leistung.preismodell)
    leistung.save()
    if preise is not None:
        leistung.preise.all().delete()
        for preis in preise:
            preis.leistung = leistung
            preis.full_clean()
        Preis.objects.bulk_create(preise)
    return leistung


@transaction.atomic
def delete_leistung(*, leistung: Leistung) -> None:
    """Delete a service nothing refers to; one that is used can only be retired."""
    try:
        leistung.delete()
    except ProtectedError as exc:
        raise ValidationError(
            f"„{leistung.name}“ wird noch verwendet ({len(exc.protected_objects)} Verweise, "
            "z. B. Anfragen oder Verträge) und kann nicht gelöscht werden. Setzen Sie den "
            "Status auf „abgekündigt“ mit dem letzten Tag der Leistung."
        ) from exc
