from rest_framework import serializers

from mitglieder.models import (
    RECHNUNGSDATEN_FELDER,
    Ansprechpartner,
    Einwohnerzahl,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatus,
    MitgliedStatusEintrag,
)


class GebietskoerperschaftSerializer(serializers.ModelSerializer):
    ebene_anzeige = serializers.CharField(source="get_ebene_display", read_only=True)
    typ_anzeige = serializers.CharField(source="get_typ_display", read_only=True)
    kreis = serializers.SlugRelatedField(slug_field="ars", read_only=True)
    uebergeordnet = serializers.SlugRelatedField(slug_field="ars", read_only=True)
    nachfolger = serializers.SlugRelatedField(slug_field="ars", read_only=True)

    class Meta:
        model = Gebietskoerperschaft
        fields = [
            "id",
            "ars",
            "ags",
            "name",
            "ebene",
            "ebene_anzeige",
            "typ",
            "typ_anzeige",
            "land",
            "kreis",
            "uebergeordnet",
            "verwaltungssitz",
            "flaeche_ha",
            "plz",
            "gueltig_ab",
            "aufgeloest_am",
            "nachfolger",
            "gebietsstand",
        ]


class EinwohnerzahlSerializer(serializers.ModelSerializer):
    class Meta:
        model = Einwohnerzahl
        fields = ["stichtag", "einwohner"]


class StatistikZeileSerializer(serializers.Serializer):
    ars = serializers.CharField()
    name = serializers.CharField()
    typ = serializers.CharField()
    gemeinden = serializers.IntegerField()
    gemeinden_mitglied = serializers.IntegerField()
    einwohner = serializers.IntegerField()
    einwohner_mitglied = serializers.IntegerField()
    gemeinden_ohne_einwohnerzahl = serializers.IntegerField()
    selbst_mitglied = serializers.BooleanField()
    abdeckung_gemeinden = serializers.DecimalField(max_digits=8, decimal_places=4)
    abdeckung_einwohner = serializers.DecimalField(max_digits=8, decimal_places=4)


class RegisterStatistikSerializer(serializers.Serializer):
    stichtag = serializers.DateField()
    einwohner_stichtag = serializers.DateField(allow_null=True)
    gesamt = StatistikZeileSerializer()
    kreise = StatistikZeileSerializer(many=True)


class StatistikAnfrageSerializer(serializers.Serializer):
    land = serializers.RegexField(
        r"^\d{2}$",
        error_messages={"invalid": "Das Land ist ein zweistelliger Schlüssel, z. B. 16."},
    )
    stichtag = serializers.DateField(required=False)


class StatusEintragSerializer(serializers.ModelSerializer):
    class Meta:
        model = MitgliedStatusEintrag
        fields = ["status", "datum", "beschluss", "bemerkung", "erfasst_am"]
        read_only_fields = ["erfasst_am"]


class AnsprechpartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ansprechpartner
        fields = ["id", "name", "rolle", "email", "telefon"]


class MitgliedSerializer(serializers.ModelSerializer):
    status_anzeige = serializers.CharField(source="get_status_display", read_only=True)
    gebietskoerperschaft = serializers.SlugRelatedField(
        slug_field="ars",
        queryset=Gebietskoerperschaft.objects.all(),
        required=False,
        allow_null=True,
        help_text="ARS der Gebietskörperschaft; leer bei sonstigen öffentlichen Stellen.",
    )
    ags = serializers.CharField(source="gebietskoerperschaft.ags", read_only=True, default="")
    statushistorie = StatusEintragSerializer(many=True, read_only=True)
    ansprechpartner = AnsprechpartnerSerializer(many=True, read_only=True)

    class Meta:
        model = Mitglied
        fields = [
            "id",
            "name",
            "art",
            "gebietskoerperschaft",
            "ags",
            "sitz",
            "status",
            "status_anzeige",
            *RECHNUNGSDATEN_FELDER,
            "oeffentlicher_auftraggeber",
            "statushistorie",
            "ansprechpartner",
        ]
        read_only_fields = ["art", "status"]
        extra_kwargs = {"name": {"required": False}, "sitz": {"required": False}}


class MitgliedAnlegenSerializer(MitgliedSerializer):
    """Creating a member also records its first status step."""

    status = serializers.ChoiceField(
        choices=[MitgliedStatus.INTERESSENT, MitgliedStatus.AKTIV],
        default=MitgliedStatus.INTERESSENT,
    )
    datum = serializers.DateField(write_only=True, help_text="wirksam ab")
    beschluss = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta(MitgliedSerializer.Meta):
        fields = [*MitgliedSerializer.Meta.fields, "datum", "beschluss"]
        read_only_fields = ["art"]


class StatuswechselSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MitgliedStatus.choices)
    datum = serializers.DateField()
    beschluss = serializers.CharField(required=False, allow_blank=True, default="")
    bemerkung = serializers.CharField(required=False, allow_blank=True, default="")


class ListenAnteilSerializer(serializers.Serializer):
    laufende_nummer = serializers.IntegerField()
    nennbetrag = serializers.IntegerField(help_text="in vollen Euro")
    prozent = serializers.DecimalField(max_digits=8, decimal_places=4)


class ListenZeileSerializer(serializers.Serializer):
    mitglied_id = serializers.IntegerField(source="mitglied.id")
    gesellschafter = serializers.CharField(source="mitglied.name")
    sitz = serializers.CharField(source="mitglied.sitz")
    anteile = ListenAnteilSerializer(many=True)
    nennbetrag = serializers.IntegerField()
    prozent = serializers.DecimalField(max_digits=8, decimal_places=4)
    stimmen = serializers.IntegerField()


class GesellschafterlisteSerializer(serializers.Serializer):
    stichtag = serializers.DateField()
    stammkapital = serializers.IntegerField()
    summe_nennbetraege = serializers.IntegerField()
    stimmen = serializers.IntegerField()
    zeilen = ListenZeileSerializer(many=True)
