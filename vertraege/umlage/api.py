"""API of the cost allocation: /api/v1/kostenpools/, /api/v1/umlagelaeufe/ with the
actions berechnen and festschreiben, and the lines /api/v1/umlagelaeufe/{id}/positionen/."""

import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from mitglieder import rollen
from mitglieder.api.fehler import service_aufrufen
from mitglieder.models import Mitglied
from vertraege import selectors
from vertraege.models import Kostenpool, Umlagelauf, Umlagepool, Umlageposition
from vertraege.tasks import umlagelauf_berechnen
from vertraege.umlage import erklaerung
from vertraege.umlage import lauf as laeufe
from vertraege.umlage.engine import UmlageFehler


class FinanzenSchreibt(BasePermission):
    message = "Schreiben darf nur Finanzen."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return rollen.ist_finanzen(request.user)


class KostenpoolSerializer(serializers.ModelSerializer):
    teilnehmer = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Mitglied.objects.all(), required=False
    )

    class Meta:
        model = Kostenpool
        fields = [
            "id",
            "geschaeftsjahr",
            "name",
            "betrag_plan_cent",
            "betrag_ist_cent",
            "leistung",
            "schluessel",
            "sockel_cent",
            "mischung",
            "teilnehmerkreis",
            "teilnehmer",
            "pro_rata",
            "mindest_cent",
            "hoechst_cent",
            "stichtag",
        ]

    def validate(self, daten):
        teilnehmer = daten.pop("teilnehmer", None)
        instanz = Kostenpool(
            **{
                **(
                    {}
                    if self.instance is None
                    else {
                        f.name: getattr(self.instance, f.name)
                        for f in Kostenpool._meta.concrete_fields
                    }
                ),
                **daten,
            }
        )
        try:
            instanz.full_clean(exclude=["id"], validate_unique=self.instance is None)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        if teilnehmer is not None:
            daten["teilnehmer"] = teilnehmer
        return daten


class KostenpoolViewSet(viewsets.ModelViewSet):
    """Kostenpools je Geschäftsjahr. Finanzen schreibt, Geschäftsstelle liest."""

    serializer_class = KostenpoolSerializer
    permission_classes = [IsAuthenticated, FinanzenSchreibt]
    filterset_fields = ["geschaeftsjahr", "schluessel"]

    def get_queryset(self):
        if not rollen.sieht_alle_mitglieder(self.request.user):
            return Kostenpool.objects.none()
        return Kostenpool.objects.prefetch_related("teilnehmer").order_by("geschaeftsjahr", "name")


class UmlagelaufSerializer(serializers.ModelSerializer):
    status_anzeige = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Umlagelauf
        fields = [
            "id",
            "geschaeftsjahr",
            "art",
            "bezeichnung",
            "status",
            "status_anzeige",
            "fortschritt",
            "fortschritt_text",
            "fehler",
            "berechnet_am",
            "festgeschrieben_am",
        ]
        read_only_fields = [
            "status",
            "fortschritt",
            "fortschritt_text",
            "fehler",
            "berechnet_am",
            "festgeschrieben_am",
        ]
        extra_kwargs = {"bezeichnung": {"required": False}}


class UmlagepoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Umlagepool
        fields = ["id", "name", "betrag_cent", "schluessel", "definition", "basissumme"]


class UmlagepositionSerializer(serializers.ModelSerializer):
    pool = serializers.CharField(source="pool.name")
    mitglied = serializers.IntegerField(source="teilnehmer.mitglied_id")
    mitglied_name = serializers.CharField(source="teilnehmer.name")
    ars = serializers.CharField(source="teilnehmer.ars")
    schluessel = serializers.CharField(source="pool.schluessel")
    erklaerung = serializers.SerializerMethodField()

    class Meta:
        model = Umlageposition
        fields = [
            "id",
            "pool",
            "mitglied",
            "mitglied_name",
            "ars",
            "schluessel",
            "tage",
            "einwohner",
            "anteile",
            "menge",
            "basiswert",
            "anteil",
            "betrag_cent",
            "begrenzung",
            "erklaerung",
        ]

    def get_erklaerung(self, position) -> str:
        return erklaerung.erklaere(
            position, position.pool, self.context["summen"].get(position.pool_id, {})
        )


class PositionenSeiten(PageNumberPagination):
    page_size = 200
    max_page_size = 2000
    page_size_query_param = "seitengroesse"


class UmlagelaufViewSet(viewsets.ModelViewSet):
    """Umlageläufe: anlegen, berechnen (im Hintergrund), festschreiben – nur Finanzen.
    Die Geschäftsstelle liest; Kommune-Konten sehen festgeschriebene Läufe und darin nur die
    Positionen des eigenen Mitglieds."""

    serializer_class = UmlagelaufSerializer
    permission_classes = [IsAuthenticated, FinanzenSchreibt]
    http_method_names = ["get", "post", "delete", "head", "options"]
    filterset_fields = ["geschaeftsjahr", "art", "status"]

    def get_queryset(self):
        return selectors.list_laeufe(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = service_aufrufen(
            laeufe.anlegen, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        service_aufrufen(laeufe.loeschen, lauf=instance, user=self.request.user)

    @extend_schema(request=None, responses={202: UmlagelaufSerializer})
    @action(detail=True, methods=["post"])
    def berechnen(self, request, pk=None):
        """Berechnung im Hintergrund starten; Fortschritt in `fortschritt`."""
        lauf = service_aufrufen(
            laeufe.zur_berechnung_vormerken, lauf=self.get_object(), user=request.user
        )
        # With an immediate backend the task runs here; its error is stored on the run.
        with contextlib.suppress(UmlageFehler, DjangoValidationError):
            umlagelauf_berechnen.enqueue(lauf.pk, request.user.pk)
        lauf.refresh_from_db()
        return Response(UmlagelaufSerializer(lauf).data, status=http_status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=UmlagelaufSerializer)
    @action(detail=True, methods=["post"])
    def festschreiben(self, request, pk=None):
        lauf = service_aufrufen(laeufe.festschreiben, lauf=self.get_object(), user=request.user)
        return Response(UmlagelaufSerializer(lauf).data)

    @extend_schema(responses=UmlagepoolSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pools(self, request, pk=None):
        lauf = self.get_object()
        if not rollen.sieht_alle_mitglieder(request.user):
            raise PermissionDenied("Die Pools eines Laufs sehen Finanzen und Geschäftsstelle.")
        return Response(UmlagepoolSerializer(lauf.pools.all(), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("mitglied", int), OpenApiParameter("pool", int)],
        responses=UmlagepositionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=PositionenSeiten, filter_backends=[])
    def positionen(self, request, pk=None):
        """Positionen mit Erklärung; Kommune-Konten erhalten nur die eigenen."""
        lauf = self.get_object()
        qs = (
            Umlageposition.objects.filter(lauf=lauf)
            .select_related("pool", "teilnehmer")
            .order_by("id")
        )
        if not rollen.sieht_alle_mitglieder(request.user):
            qs = qs.filter(teilnehmer__mitglied__in=rollen.mitglieder_fuer(request.user))
        for parameter, feld in (("mitglied", "teilnehmer__mitglied_id"), ("pool", "pool_id")):
            wert = request.query_params.get(parameter, "")
            if wert:
                if not (wert.isdigit() and len(wert) < 19):
                    raise ValidationError({parameter: ["Bitte eine Nummer angeben."]})
                qs = qs.filter(**{feld: int(wert)})
        seite = self.paginate_queryset(qs)
        daten = UmlagepositionSerializer(
            seite, many=True, context={"summen": selectors.pool_summen(lauf=lauf)}
        ).data
        return self.get_paginated_response(daten)
