"""One FilterSet for the catalog page and the API, so both filter and search alike."""

import django_filters
from django import forms
from django.utils import timezone

from leistungen import selectors
from leistungen.models import Leistungskategorie, Preismodell


class LeistungFilter(django_filters.FilterSet):
    suche = django_filters.CharFilter(label="Suche", method="filter_suche")
    kategorie = django_filters.ModelChoiceFilter(
        label="Kategorie",
        queryset=Leistungskategorie.objects.all(),
        to_field_name="slug",
        method="filter_kategorie",
        empty_label="alle Kategorien",
    )
    preismodell = django_filters.ChoiceFilter(
        label="Preismodell", choices=Preismodell.choices, empty_label="alle Preismodelle"
    )
    kostenfrei = django_filters.BooleanFilter(
        label="nur kostenfreie", method="filter_kostenfrei", widget=forms.CheckboxInput
    )
    verfuegbar = django_filters.BooleanFilter(
        label="nur jetzt verfügbare", method="filter_verfuegbar", widget=forms.CheckboxInput
    )

    def filter_suche(self, queryset, name, value):
        return selectors.suche(queryset, value)

    def filter_kategorie(self, queryset, name, value):
        return selectors.in_kategorie(queryset, value)

    def filter_kostenfrei(self, queryset, name, value):
        if value:
            return queryset.filter(preismodell=Preismodell.KOSTENFREI)
        return queryset

    def filter_verfuegbar(self, queryset, name, value):
        if value:
            return selectors.verfuegbar(queryset, timezone.localdate())
        return queryset
