import datetime as dt
from decimal import Decimal

import factory

from tests.leistungen.factories import LeistungFactory
from tests.mitglieder.factories import MitgliedFactory
from vertraege.models import Vertrag, VertragsMenge


class VertragFactory(factory.django.DjangoModelFactory):
    """A running contract (12 months minimum, 3 months notice, renewed yearly) with one
    quantity period from its start. `menge=` sets that quantity."""

    class Meta:
        model = Vertrag
        skip_postgeneration_save = True

    vertragsnummer = factory.Sequence(lambda n: f"V-T-{n:05d}")
    mitglied = factory.SubFactory(MitgliedFactory)
    leistung = factory.SubFactory(LeistungFactory, preismodell="je_einheit", einheit="arbeitsplatz")
    beginn = dt.date(2026, 1, 1)
    mindestlaufzeit_monate = 12
    kuendigungsfrist_monate = 3
    verlaengerung_monate = 12

    @factory.post_generation
    def menge(obj, create, extracted, **kwargs):
        if create:
            VertragsMenge.objects.create(
                vertrag=obj,
                gueltig_ab=obj.beginn,
                menge=Decimal(extracted if extracted is not None else 1),
            )
