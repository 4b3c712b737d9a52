import datetime as dt

import factory
from django.contrib.auth import get_user_model

from mitglieder import services
from mitglieder.models import Ebene, Einwohnerzahl, Gebietskoerperschaft, Mitglied, Typ


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"benutzer{n}")
    password = factory.django.Password("geheim-123")


class LandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebietskoerperschaft
        django_get_or_create = ("ars",)

    ars = "16"
    ags = "16"
    ebene = Ebene.LAND
    typ = Typ.LAND
    name = "Thüringen"
    verwaltungssitz = "Erfurt"
    land = "16"
    gebietsstand = dt.date(2023, 11, 30)


class KreisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebietskoerperschaft
        django_get_or_create = ("ars",)

    ars = factory.Sequence(lambda n: f"16{(61 + n) % 100:03d}")
    ags = factory.SelfAttribute("ars")
    ebene = Ebene.KREIS
    typ = Typ.LANDKREIS
    name = factory.Sequence(lambda n: f"Landkreis {n}")
    land = "16"
    uebergeordnet = factory.SubFactory(LandFactory)
    gebietsstand = dt.date(2023, 11, 30)


class GemeindeFactory(factory.django.DjangoModelFactory):
    """A Gemeinde (verbandsfrei) with a population figure at 31.12.2022."""

    class Meta:
        model = Gebietskoerperschaft
        skip_postgeneration_save = True

    kreis = factory.SubFactory(KreisFactory)
    ars = factory.LazyAttributeSequence(lambda o, n: f"{o.kreis.ars}{n % 10000:04d}{n % 1000:03d}")
    ags = factory.LazyAttribute(lambda o: o.ars[:5] + o.ars[9:])
    ebene = Ebene.GEMEINDE
    typ = Typ.GEMEINDE
    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    land = "16"
    uebergeordnet = factory.SelfAttribute("kreis")
    gebietsstand = dt.date(2023, 11, 30)

    class Params:
        einwohner = 1000

    @factory.post_generation
    def einwohnerzahl(obj, create, extracted, **kwargs):
        if create:
            Einwohnerzahl.objects.create(
                gebietskoerperschaft=obj,
                stichtag=dt.date(2022, 12, 31),
                einwohner=extracted if extracted is not None else 1000,
                gebietsstand=obj.gebietsstand,
            )


class MitgliedFactory(factory.django.DjangoModelFactory):
    """A member created through the service, with its first status step. Traits walk the
    lifecycle further: `MitgliedFactory(ausgeschieden=True)`,
    `MitgliedFactory(interessent=True)`."""

    class Meta:
        model = Mitglied
        skip_postgeneration_save = True

    gebietskoerperschaft = factory.SubFactory(GemeindeFactory)
    status = "aktiv"
    datum = dt.date(2023, 1, 1)

    class Params:
        interessent = factory.Trait(status="interessent")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.create_mitglied(**kwargs)

    @factory.post_generation
    def lebenslauf(obj, create, extracted, **kwargs):
        for i, status in enumerate(extracted or []):
            services.change_mitglied_status(
                mitglied=obj, status=status, datum=dt.date(2024, 6, 30) + dt.timedelta(days=184 * i)
            )
        if extracted:
            obj.refresh_from_db()

    @factory.post_generation
    def ausgeschieden(obj, create, extracted, **kwargs):
        """Exit declared 30.06.2024, effective 31.12.2024."""
        if extracted:
            for status, datum in [
                ("austritt_erklaert", dt.date(2024, 6, 30)),
                ("ausgeschieden", dt.date(2024, 12, 31)),
            ]:
                services.change_mitglied_status(mitglied=obj, status=status, datum=datum)
            obj.refresh_from_db()
