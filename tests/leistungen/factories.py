import datetime as dt
from decimal import Decimal

import factory

from leistungen.models import Leistung, Leistungskategorie, Preis


class KategorieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leistungskategorie
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.Sequence(lambda n: f"kategorie-{n}")


class LeistungFactory(factory.django.DjangoModelFactory):
    """An available service priced per year, 100 € from 2026 on. Traits: `kostenfrei`,
    `geplant`, `abgekuendigt`; `preise=[(ab, bis, betrag), ...]` replaces the price list."""

    class Meta:
        model = Leistung
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Leistung {n}")
    slug = factory.Sequence(lambda n: f"leistung-{n}")
    kurztext = "Eine Leistung der Genossenschaft."
    kategorie = factory.SubFactory(KategorieFactory)
    status = "verfuegbar"
    preismodell = "pauschal"

    class Params:
        kostenfrei = factory.Trait(preismodell="kostenfrei", zielgruppe="alle_kommunen")
        geplant = factory.Trait(status="geplant")
        abgekuendigt = factory.Trait(status="abgekuendigt", abgekuendigt_zum=dt.date(2027, 6, 30))

    @factory.post_generation
    def preise(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = (
                []
                if obj.preismodell in {"kostenfrei", "umlage"}
                else [(dt.date(2026, 1, 1), None, "100.00")]
            )
        for ab, bis, betrag in extracted:
            Preis.objects.create(
                leistung=obj, gueltig_ab=ab, gueltig_bis=bis, betrag=Decimal(betrag)
            )
