from django.urls import path
from rest_framework.routers import DefaultRouter

from mitglieder.api.viewsets import (
    GebietskoerperschaftViewSet,
    GesellschafterlisteView,
    MitgliedViewSet,
)

router = DefaultRouter()
router.register(
    "gebietskoerperschaften", GebietskoerperschaftViewSet, basename="gebietskoerperschaft"
)
router.register("mitglieder", MitgliedViewSet, basename="mitglied")

urlpatterns = [
    path("gesellschafterliste/", GesellschafterlisteView.as_view(), name="gesellschafterliste"),
    *router.urls,
]
