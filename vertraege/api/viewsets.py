from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from mitglieder import rollen
from mitglieder.api.fehler import service_aufrufen
from vertraege import selectors, services
from vertraege.api.serializers import (
    AblehnenSerializer,
    AnnehmenSerializer,
    KuendigenSerializer,
    LeistungsabrufSerializer,
    MengeSerializer,
    VertragSerializer,
    VertragsMengeSerializer,
)


def _nur_geschaeftsstelle(user) -> None:
    if not rollen.ist_geschaeftsstelle(user):
        raise PermissionDenied("Nur die Geschäftsstelle darf das.")


class LeistungsabrufViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Anfragen aus dem Katalog. Kommune-Konten fragen für ihr Mitglied an und sehen nur
    dessen Anfragen; die Geschäftsstelle nimmt an (der Vertrag entsteht) oder lehnt mit
    Begründung ab; Finanzen liest."""

    serializer_class = LeistungsabrufSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "mitglied"]

    def get_queryset(self):
        return selectors.list_leistungsabrufe(user=self.request.user).select_related("vertrag")

    def perform_create(self, serializer):
        if not rollen.ist_kommune(self.request.user):
            raise PermissionDenied("Anfragen stellen Kommune-Konten für ihr Mitglied.")
        eigene = rollen.mitglieder_fuer(self.request.user)
        mitglied = serializer.validated_data.get("mitglied")
        if mitglied is None:
            if eigene.count() != 1:
                raise ValidationError({"mitglied": ["Bitte das Mitglied angeben."]})
            mitglied = eigene.get()
        elif not eigene.filter(pk=mitglied.pk).exists():
            raise ValidationError({"mitglied": ["Für dieses Mitglied dürfen Sie nicht anfragen."]})
        daten = {k: v for k, v in serializer.validated_data.items() if k != "mitglied"}
        serializer.instance = service_aufrufen(
            services.create_leistungsabruf, mitglied=mitglied, user=self.request.user, **daten
        )

    @extend_schema(request=AnnehmenSerializer, responses={201: VertragSerializer})
    @action(detail=True, methods=["post"])
    def annehmen(self, request, pk=None):
        """Anfrage annehmen: der Vertrag wird angelegt."""
        abruf = self.get_object()
        _nur_geschaeftsstelle(request.user)
        eingabe = AnnehmenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        vertrag = service_aufrufen(
            services.annehmen_leistungsabruf,
            abruf=abruf,
            user=request.user,
            **eingabe.validated_data,
        )
        return Response(VertragSerializer(vertrag).data, status=http_status.HTTP_201_CREATED)

    @extend_schema(request=AblehnenSerializer, responses=LeistungsabrufSerializer)
    @action(detail=True, methods=["post"])
    def ablehnen(self, request, pk=None):
        """Anfrage mit Begründung ablehnen."""
        abruf = self.get_object()
        _nur_geschaeftsstelle(request.user)
        eingabe = AblehnenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        abruf = service_aufrufen(
            services.ablehnen_leistungsabruf,
            abruf=abruf,
            user=request.user,
            **eingabe.validated_data,
        )
        return Response(LeistungsabrufSerializer(abruf).data)


class VertragViewSet(viewsets.ReadOnlyModelViewSet):
    """Verträge. Kommune-Konten sehen die Verträge ihres Mitglieds und können sie kündigen;
    Finanzen liest alle; die Geschäftsstelle verwaltet alle (Menge ändern, kündigen)."""

    serializer_class = VertragSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["mitglied", "leistung__slug"]

    def get_queryset(self):
        return selectors.list_vertraege(user=self.request.user).order_by("vertragsnummer")

    @extend_schema(request=KuendigenSerializer, responses=VertragSerializer)
    @action(detail=True, methods=["post"])
    def kuendigen(self, request, pk=None):
        """Kündigen. Ein Datum vor dem frühestmöglichen Ende wird mit diesem Datum abgelehnt."""
        vertrag = self.get_object()
        if rollen.ist_geschaeftsstelle(request.user):
            durch = "geschaeftsstelle"
        elif rollen.ist_kommune(request.user):
            durch = "mitglied"
        else:
            raise PermissionDenied("Kündigen dürfen das Mitglied und die Geschäftsstelle.")
        eingabe = KuendigenSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        vertrag = service_aufrufen(
            services.kuendigen_vertrag,
            vertrag=vertrag,
            durch=durch,
            user=request.user,
            **eingabe.validated_data,
        )
        return Response(
            self.get_serializer(selectors.get_vertrag(user=request.user, pk=vertrag.pk)).data
        )

    @extend_schema(request=MengeSerializer, responses={201: VertragsMengeSerializer})
    @action(detail=True, methods=["post"])
    def menge(self, request, pk=None):
        """Neue Menge ab einem Tag (die bisherigen Zeiträume bleiben erhalten)."""
        vertrag = self.get_object()
        _nur_geschaeftsstelle(request.user)
        eingabe = MengeSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        neu = service_aufrufen(
            services.aendern_menge, vertrag=vertrag, user=request.user, **eingabe.validated_data
        )
        return Response(VertragsMengeSerializer(neu).data, status=http_status.HTTP_201_CREATED)
