"""Reads that depend on who asks: a Kommune user sees its own member's orders only."""

from django.db.models import QuerySet

from mitglieder import rollen
from vertraege.models import Leistungsabruf


def list_leistungsabrufe(*, user) -> QuerySet[Leistungsabruf]:
    qs = Leistungsabruf.objects.select_related("mitglied", "leistung", "angefragt_von")
    if rollen.sieht_alle_mitglieder(user):
        return qs
    if rollen.ist_kommune(user):
        return qs.filter(mitglied__in=rollen.mitglieder_fuer(user))
    return qs.none()
