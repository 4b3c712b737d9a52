from django.urls import path
from rest_framework.routers import DefaultRouter

from mitglieder.api.umfragen import UmfrageViewSet
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
router.register("umfragen", UmfrageViewSet, basename="umfrage")

urlpatterns = [
    path("gesellschafterliste/", GesellschafterlisteView.as_view(), name="gesellschafterliste"),
    *router.urls,
]
