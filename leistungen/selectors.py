"""Reads of the catalog. The catalog is public, so nothing here depends on who asks."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from leistungen.models import Leistung, Leistungskategorie, Preis


def list_leistungen() -> QuerySet[Leistung]:
    """Services with what a list shows, in a fixed number of queries."""
    return Leistung.objects.select_related(
        "kategorie", "kategorie__uebergeordnet"
    ).prefetch_related(Prefetch("preise", queryset=Preis.objects.order_by("gueltig_ab")))


def get_leistung(*, slug: str) -> Leistung:
    return list_leistungen().prefetch_related("verwandte").get(slug=slug)


def list_kategorien() -> QuerySet[Leistungskategorie]:
    return Leistungskategorie.objects.select_related("uebergeordnet")


def in_kategorie(qs: QuerySet[Leistung], kategorie: Leistungskategorie) -> QuerySet[Leistung]:
    """A category and its subcategories (the tree is two levels deep)."""
    return qs.filter(Q(kategorie=kategorie) | Q(kategorie__uebergeordnet=kategorie))


def verfuegbar(qs: QuerySet[Leistung], tag: dt.date) -> QuerySet[Leistung]:
    return qs.verfuegbar_am(tag)


def suche(qs: QuerySet[Leistung], text: str) -> QuerySet[Leistung]:
    """Search name, short text, description and category.

    On PostgreSQL the German full-text configuration finds inflected forms ("Postfächer" for
    "Postfach") and ranks by where the words stand, using the stored, trigger-kept
    `suchvektor`. Because it does not split compounds, a substring match is added, so
    "Sicherheit" also finds "Informationssicherheit". On SQLite only the substring match is
    used.
    """
    woerter = text.split()
    if not woerter:
        return qs
    teilwort = Q()
    for wort in woerter:
        teilwort &= (
            Q(name__icontains=wort)
            | Q(kurztext__icontains=wort)
            | Q(beschreibung__icontains=wort)
            | Q(kategorie__name__icontains=wort)
        )
    if connection.vendor != "postgresql":
        return qs.filter(teilwort)
    anfrage = SearchQuery(text, config="german", search_type="websearch")
    return (
        qs.annotate(rang=SearchRank(F("suchvektor"), anfrage))
        .filter(Q(suchvektor=anfrage) | teilwort)
        .order_by("-rang", "name")
    )
