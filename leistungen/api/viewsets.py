import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly

from leistungen import selectors, services
from leistungen.api.serializers import LeistungSerializer, LeistungskategorieSerializer
from leistungen.filters import LeistungFilter


class Konflikt(APIException):
    status_code = 409
    default_code = "konflikt"


class KatalogRechte(DjangoModelPermissionsOrAnonReadOnly):
    """Everyone reads the catalog; writing needs the model permission (the office group).
    Unlike DRF's default, reading needs no model permission, so logged-in Kommune users
    read like anonymous visitors."""

    perms_map = {
        **DjangoModelPermissionsOrAnonReadOnly.perms_map,
        "GET": [],
        "OPTIONS": [],
        "HEAD": [],
    }


STICHTAG = OpenApiParameter(
    "stichtag", dt.date, description="Preise zu diesem Tag (JJJJ-MM-TT); ohne Angabe: heute"
)


@extend_schema_view(
    list=extend_schema(parameters=[STICHTAG]), retrieve=extend_schema(parameters=[STICHTAG])
)
class LeistungViewSet(viewsets.ModelViewSet):
    """Der Leistungskatalog: öffentlich lesbar, schreiben darf die Geschäftsstelle. Eine
    Leistung, auf die etwas verweist, kann nicht gelöscht, nur abgekündigt werden (409)."""

    serializer_class = LeistungSerializer
    filterset_class = LeistungFilter
    permission_classes = [KatalogRechte]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.list_leistungen().prefetch_related("verwandte")

    def get_serializer_context(self):
        kontext = super().get_serializer_context()
        text = self.request.query_params.get("stichtag") if self.request else None
        if text:
            try:
                kontext["stichtag"] = dt.date.fromisoformat(text)
            except ValueError as exc:
                raise ValidationError(
                    {"stichtag": [f"„{text}“ ist kein Datum im Format JJJJ-MM-TT."]}
                ) from exc
        return kontext

    def perform_destroy(self, instance):
        try:
            services.delete_leistung(leistung=instance)
        except DjangoValidationError as exc:
            raise Konflikt(exc.messages[0]) from exc


class LeistungskategorieViewSet(viewsets.ModelViewSet):
    """Kategorien des Leistungskatalogs (kleiner Baum)."""

    serializer_class = LeistungskategorieSerializer
    permission_classes = [KatalogRechte]
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        return selectors.list_kategorien()
