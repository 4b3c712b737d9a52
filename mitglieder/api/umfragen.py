"""API of the surveys for the office and finance: /api/v1/umfragen/ and their results."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mitglieder import umfragen
from mitglieder.api.permissions import LiestAlles
from mitglieder.models import Frage, Umfrage


class FrageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Frage
        fields = [
            "id",
            "reihenfolge",
            "text",
            "typ",
            "optionen",
            "pflicht",
            "interessefrage",
            "abhaengig_von",
            "abhaengig_werte",
        ]


class UmfrageSerializer(serializers.ModelSerializer):
    fragen = FrageSerializer(many=True, read_only=True)

    class Meta:
        model = Umfrage
        fields = [
            "id",
            "titel",
            "beschreibung",
            "oeffnet_am",
            "schliesst_am",
            "status",
            "beitrittsinteresse",
            "fragen",
        ]


class GruppeSerializer(serializers.Serializer):
    name = serializers.CharField()
    eingeladen = serializers.IntegerField()
    beantwortet = serializers.IntegerField()
    ja = serializers.IntegerField()
    quote = serializers.FloatField()
    zustimmung = serializers.FloatField()


class VerteilungSerializer(serializers.Serializer):
    antwort = serializers.CharField()
    anzahl = serializers.IntegerField()


class FrageErgebnisSerializer(serializers.Serializer):
    frage = serializers.IntegerField(source="frage.pk")
    text = serializers.CharField(source="frage.text")
    anzahl = serializers.IntegerField()
    verteilung = serializers.SerializerMethodField()
    summe = serializers.IntegerField(allow_null=True)
    mittel = serializers.FloatField(allow_null=True)

    def get_verteilung(self, ergebnis) -> list[dict]:
        return [{"antwort": a, "anzahl": n} for a, n in ergebnis.verteilung]


class ErgebnisSerializer(serializers.Serializer):
    gesamt = GruppeSerializer()
    fragen = FrageErgebnisSerializer(many=True)
    nach_kreis = GruppeSerializer(many=True)
    nach_typ = GruppeSerializer(many=True)
    nach_groesse = GruppeSerializer(many=True)


class UmfrageViewSet(viewsets.ReadOnlyModelViewSet):
    """Umfragen mit ihren Fragen; Ergebnisse mit Rücklauf, Verteilungen und Gruppen."""

    serializer_class = UmfrageSerializer
    permission_classes = [LiestAlles]
    queryset = Umfrage.objects.prefetch_related("fragen")

    @extend_schema(responses=ErgebnisSerializer)
    @action(detail=True, methods=["get"])
    def ergebnisse(self, request, pk=None):
        return Response(ErgebnisSerializer(umfragen.ergebnisse(umfrage=self.get_object())).data)
