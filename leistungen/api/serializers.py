import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leistungen import services
from leistungen.models import Leistung, Leistungskategorie, Preis


class LeistungskategorieSerializer(serializers.ModelSerializer):
    uebergeordnet = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Leistungskategorie.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Leistungskategorie
        fields = ["id", "name", "slug", "beschreibung", "uebergeordnet", "reihenfolge"]


class PreisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Preis
        fields = ["gueltig_ab", "gueltig_bis", "betrag"]


class LeistungSerializer(serializers.ModelSerializer):
    kategorie = serializers.SlugRelatedField(
        slug_field="slug", queryset=Leistungskategorie.objects.all()
    )
    verwandte = serializers.SlugRelatedField(
        slug_field="slug", queryset=Leistung.objects.all(), many=True, required=False
    )
    preise = PreisSerializer(many=True, required=False)
    preis_am_stichtag = serializers.SerializerMethodField(
        help_text="Nettobetrag am Stichtag (?stichtag=, sonst heute); leer ohne Preis"
    )
    naechste_preisaenderung = serializers.SerializerMethodField()

    class Meta:
        model = Leistung
        fields = [
            "id",
            "name",
            "slug",
            "kurztext",
            "beschreibung",
            "kategorie",
            "status",
            "abgekuendigt_zum",
            "zielgruppe",
            "preismodell",
            "einheit",
            "umsatzsteuer",
            "preise",
            "preis_am_stichtag",
            "naechste_preisaenderung",
            "verfuegbarkeit",
            "servicezeiten",
            "reaktionszeit_kritisch",
            "reaktionszeit_hoch",
            "reaktionszeit_normal",
            "reaktionszeit_niedrig",
            "mindestlaufzeit_monate",
            "kuendigungsfrist_monate",
            "voraussetzungen",
            "verwandte",
            "verantwortlich_name",
            "verantwortlich_email",
            "verantwortlich_telefon",
        ]

    def _stichtag(self) -> dt.date:
        return self.context.get("stichtag") or timezone.localdate()

    @extend_schema_field(PreisSerializer(allow_null=True))
    def get_preis_am_stichtag(self, leistung):
        preis = leistung.preis_am(self._stichtag())
        return PreisSerializer(preis).data if preis else None

    @extend_schema_field(PreisSerializer(allow_null=True))
    def get_naechste_preisaenderung(self, leistung):
        preis = leistung.naechste_preisaenderung(self._stichtag())
        return PreisSerializer(preis).data if preis else None

    def _speichern(self, leistung: Leistung, daten: dict) -> Leistung:
        preise = daten.pop("preise", None)
        verwandte = daten.pop("verwandte", None)
        for feld, wert in daten.items():
            setattr(leistung, feld, wert)
        try:
            leistung = services.save_leistung(
                leistung=leistung,
                preise=[Preis(**p) for p in preise] if preise is not None else None,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"preise": exc.messages}
            ) from exc
        if verwandte is not None:
            leistung.verwandte.set(verwandte)
        return leistung

    def create(self, validated_data):
        return self._speichern(Leistung(), validated_data)

    def update(self, instance, validated_data):
        return self._speichern(instance, validated_data)
