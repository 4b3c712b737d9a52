import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from mitglieder import anteilsregister, rollen, selectors, services
from mitglieder.api.fehler import service_aufrufen
from mitglieder.api.filters import GebietskoerperschaftFilter, MitgliedFilter
from mitglieder.api.permissions import LiestAlles, MitgliedRechte
from mitglieder.api.serializers import (
    GebietskoerperschaftSerializer,
    GesellschafterlisteSerializer,
    MitgliedAnlegenSerializer,
    MitgliedSerializer,
    RegisterStatistikSerializer,
    StatistikAnfrageSerializer,
    StatusEintragSerializer,
    StatuswechselSerializer,
)
from mitglieder.models import RECHNUNGSDATEN_FELDER


def _stichtag(request) -> dt.date:
    text = request.query_params.get("stichtag")
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(
            {"stichtag": [f"„{text}“ ist kein Datum im Format JJJJ-MM-TT."]}
        ) from exc


class GebietskoerperschaftViewSet(viewsets.ReadOnlyModelViewSet):
    """Das amtliche Verzeichnis der Gebietskörperschaften (Destatis GV100AD)."""

    serializer_class = GebietskoerperschaftSerializer
    filterset_class = GebietskoerperschaftFilter

    def get_queryset(self):
        return selectors.list_gebietskoerperschaften()

    @extend_schema(
        parameters=[StatistikAnfrageSerializer],
        responses=RegisterStatistikSerializer,
        summary="Marktabdeckung je Land und Kreis zu einem Stichtag",
    )
    @action(
        detail=False, permission_classes=[LiestAlles], filterset_class=None, pagination_class=None
    )
    def statistik(self, request):
        """Anzahl der Gemeinden, davon Mitglieder, Einwohner insgesamt und in
        Mitgliedsgemeinden, für das Land und je Kreis. Einwohner sind die jüngste Zahl am
        oder vor dem Stichtag (ohne Stichtag: heute)."""
        anfrage = StatistikAnfrageSerializer(data=request.query_params)
        anfrage.is_valid(raise_exception=True)
        statistik = selectors.register_statistik(
            land=anfrage.validated_data["land"],
            stichtag=anfrage.validated_data.get("stichtag") or timezone.localdate(),
        )
        return Response(RegisterStatistikSerializer(statistik).data)


class MitgliedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Mitglieder der Genossenschaft. Die Geschäftsstelle liest und schreibt alle, Finanzen
    liest alle, ein Kommune-Konto sieht nur das eigene Mitglied und darf dessen
    Rechnungsdaten ändern."""

    permission_classes = [IsAuthenticated, MitgliedRechte]
    filterset_class = MitgliedFilter

    def get_queryset(self):
        qs = selectors.list_mitglieder(user=self.request.user)
        if self.action in {"retrieve", "list", "update", "partial_update"}:
            qs = qs.prefetch_related("statushistorie", "ansprechpartner")
        return qs.order_by("name", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return MitgliedAnlegenSerializer
        return MitgliedSerializer

    def perform_create(self, serializer):
        daten = dict(serializer.validated_data)
        serializer.instance = service_aufrufen(
            services.create_mitglied,
            gebietskoerperschaft=daten.pop("gebietskoerperschaft", None),
            status=daten.pop("status"),
            datum=daten.pop("datum"),
            beschluss=daten.pop("beschluss", ""),
            user=self.request.user,
            **daten,
        )

    def perform_update(self, serializer):
        daten = dict(serializer.validated_data)
        if (
            "gebietskoerperschaft" in daten
            and daten["gebietskoerperschaft"] != serializer.instance.gebietskoerperschaft
        ):
            raise ValidationError(
                {
                    "gebietskoerperschaft": "Die Gebietskörperschaft eines Mitglieds kann nicht "
                    "geändert werden; bei einer Fusion wird der Nachfolger erfasst."
                }
            )
        daten.pop("gebietskoerperschaft", None)
        if not rollen.ist_geschaeftsstelle(self.request.user):
            verboten = set(daten) - set(RECHNUNGSDATEN_FELDER)
            if verboten:
                raise ValidationError(
                    {
                        feld: ["Dieses Feld kann nur die Geschäftsstelle ändern."]
                        for feld in sorted(verboten)
                    }
                )
        serializer.instance = service_aufrufen(
            services.update_mitglied, mitglied=serializer.instance, user=self.request.user, **daten
        )

    @extend_schema(request=StatuswechselSerializer, responses={201: StatusEintragSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Einen Statusschritt erfassen (nur erlaubte Übergänge, datiert, mit Beschluss)."""
        mitglied = self.get_object()
        eingabe = StatuswechselSerializer(data=request.data)
        eingabe.is_valid(raise_exception=True)
        eintrag = service_aufrufen(
            services.change_mitglied_status,
            mitglied=mitglied,
            user=request.user,
            **eingabe.validated_data,
        )
        return Response(StatusEintragSerializer(eintrag).data, status=http_status.HTTP_201_CREATED)


class GesellschafterlisteView(APIView):
    """Gesellschafterliste nach § 40 GmbHG zum Stichtag (ohne Stichtag: heute)."""

    permission_classes = [LiestAlles]

    @extend_schema(
        parameters=[OpenApiParameter("stichtag", dt.date, description="JJJJ-MM-TT")],
        responses=GesellschafterlisteSerializer,
    )
    def get(self, request):
        liste = anteilsregister.gesellschafterliste(stichtag=_stichtag(request))
        return Response(GesellschafterlisteSerializer(liste).data)
