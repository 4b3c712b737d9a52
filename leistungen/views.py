"""Public catalog pages: no login needed."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from leistungen import selectors
from leistungen.filters import LeistungFilter
from leistungen.models import Leistung


def _stichtag(request) -> tuple[dt.date, str | None]:
    text = request.GET.get("stichtag")
    if not text:
        return timezone.localdate(), None
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return (
            timezone.localdate(),
            f"„{text}“ ist kein Datum; angezeigt werden die heutigen Preise.",
        )


def katalog(request):
    heute = timezone.localdate()
    filter_ = LeistungFilter(request.GET or None, queryset=selectors.list_leistungen())
    seite = Paginator(filter_.qs, 30).get_page(request.GET.get("seite"))
    for leistung in seite:
        leistung.preis_heute = leistung.preis_am(heute)
    abfrage = request.GET.copy()
    abfrage.pop("seite", None)
    return render(
        request,
        "leistungen/katalog.html",
        {
            "filter": filter_,
            "seite": seite,
            "kategorien": selectors.list_kategorien().filter(uebergeordnet__isnull=True),
            "suche_aktiv": bool(request.GET),
            "abfrage": abfrage.urlencode(),
            "heute": heute,
        },
    )


def leistung_detail(request, slug):
    try:
        leistung = selectors.get_leistung(slug=slug)
    except Leistung.DoesNotExist as exc:
        raise Http404("Diese Leistung gibt es nicht.") from exc
    stichtag, stichtag_fehler = _stichtag(request)
    return render(
        request,
        "leistungen/detail.html",
        {
            "leistung": leistung,
            "stichtag": stichtag,
            "stichtag_fehler": stichtag_fehler,
            "ist_heute": stichtag == timezone.localdate(),
            "preis": leistung.preis_am(stichtag),
            "naechster_preis": leistung.naechste_preisaenderung(stichtag),
        },
    )
