from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leistungen.models import Leistung
from mitglieder.models import Mitglied
from vertraege import fristen
from vertraege.models import Leistungsabruf, Preisbindung, Vertrag, VertragsMenge, VertragStatus


class LeistungsabrufSerializer(serializers.ModelSerializer):
    leistung = serializers.SlugRelatedField(slug_field="slug", queryset=Leistung.objects.all())
    mitglied = serializers.PrimaryKeyRelatedField(
        queryset=Mitglied.objects.all(),
        required=False,
        help_text="nur nötig, wenn das Konto für mehrere Mitglieder handelt",
    )
    status_anzeige = serializers.CharField(source="get_status_display", read_only=True)
    vertrag = serializers.SlugRelatedField(slug_field="vertragsnummer", read_only=True)

    class Meta:
        model = Leistungsabruf
        fields = [
            "id",
            "mitglied",
            "leistung",
            "menge",
            "gewuenschter_beginn",
            "bemerkung",
            "status",
            "status_anzeige",
            "begruendung",
            "angefragt_am",
            "entschieden_am",
            "vertrag",
        ]
        read_only_fields = ["status", "begruendung", "angefragt_am", "entschieden_am"]


class AnnehmenSerializer(serializers.Serializer):
    beginn = serializers.DateField(required=False, help_text="ohne Angabe: gewünschter Beginn")
    preisbindung = serializers.ChoiceField(
        choices=Preisbindung.choices, default=Preisbindung.KATALOG
    )
    vereinbarter_preis = serializers.DecimalField(
        max_digits=12, decimal_places=4, required=False, allow_null=True, min_value=Decimal(0)
    )


class AblehnenSerializer(serializers.Serializer):
    begruendung = serializers.CharField()


class VertragsMengeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VertragsMenge
        fields = ["gueltig_ab", "menge"]


class FristSerializer(serializers.Serializer):
    naechstes_ende = serializers.DateField()
    kuendigen_bis = serializers.DateField()


class VertragSerializer(serializers.ModelSerializer):
    mitglied_name = serializers.CharField(source="mitglied.name", read_only=True)
    leistung = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    leistung_name = serializers.CharField(source="leistung.name", read_only=True)
    einheit = serializers.CharField(source="leistung.get_einheit_display", read_only=True)
    mengen = VertragsMengeSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()
    frist = serializers.SerializerMethodField(
        help_text="nächstmögliches Ende und letzter Kündigungstag (heute)"
    )

    class Meta:
        model = Vertrag
        fields = [
            "id",
            "vertragsnummer",
            "mitglied",
            "mitglied_name",
            "leistung",
            "leistung_name",
            "einheit",
            "beginn",
            "ende",
            "status",
            "preisbindung",
            "vereinbarter_preis",
            "mindestlaufzeit_monate",
            "kuendigungsfrist_monate",
            "verlaengerung_monate",
            "gekuendigt_am",
            "gekuendigt_durch",
            "mengen",
            "frist",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=VertragStatus.choices))
    def get_status(self, vertrag) -> str:
        return vertrag.status_am(timezone.localdate())

    @extend_schema_field(FristSerializer(allow_null=True))
    def get_frist(self, vertrag):
        heute = timezone.localdate()
        if vertrag.gekuendigt_am is not None or (vertrag.ende and vertrag.ende < heute):
            return None
        return FristSerializer(fristen.naechste_frist(vertrag, heute)).data


class KuendigenSerializer(serializers.Serializer):
    zum = serializers.DateField(help_text="gewünschtes Vertragsende")
    grund = serializers.CharField(required=False, allow_blank=True, default="")


class MengeSerializer(serializers.Serializer):
    ab = serializers.DateField()
    menge = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "Die Menge muss größer als 0 sein."},
    )
