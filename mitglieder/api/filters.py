import django_filters

from mitglieder.models import (
    Ebene,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedArt,
    MitgliedStatus,
    Typ,
)


class GebietskoerperschaftFilter(django_filters.FilterSet):
    land = django_filters.CharFilter(field_name="land", help_text="Landesschlüssel, z. B. 16")
    kreis = django_filters.CharFilter(
        field_name="kreis__ars", help_text="fünfstelliger Kreisschlüssel, z. B. 16061"
    )
    ebene = django_filters.ChoiceFilter(choices=Ebene.choices)
    typ = django_filters.ChoiceFilter(choices=Typ.choices, help_text="Textkennzeichen")
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    aktiv_am = django_filters.DateFilter(
        method="filter_aktiv_am", help_text="nur Körperschaften, die an diesem Tag bestanden"
    )

    class Meta:
        model = Gebietskoerperschaft
        fields = ["land", "kreis", "ebene", "typ", "name", "aktiv_am"]

    def filter_aktiv_am(self, queryset, name, value):
        return queryset.aktiv_am(value)


class MitgliedFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MitgliedStatus.choices)
    art = django_filters.ChoiceFilter(choices=MitgliedArt.choices)
    kreis = django_filters.CharFilter(field_name="gebietskoerperschaft__kreis__ars")
    typ = django_filters.ChoiceFilter(field_name="gebietskoerperschaft__typ", choices=Typ.choices)
    suche = django_filters.CharFilter(method="filter_suche", label="Suche")

    class Meta:
        model = Mitglied
        fields = ["status", "art", "kreis", "typ", "suche"]

    def filter_suche(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(name__icontains=value)
            | Q(sitz__icontains=value)
            | Q(gebietskoerperschaft__ags__startswith=value)
        )
