from rest_framework.routers import DefaultRouter

from vertraege.api.viewsets import LeistungsabrufViewSet, VertragViewSet
from vertraege.umlage.api import KostenpoolViewSet, UmlagelaufViewSet

router = DefaultRouter()
router.register("vertraege", VertragViewSet, basename="vertrag")
router.register("leistungsabrufe", LeistungsabrufViewSet, basename="leistungsabruf")
router.register("kostenpools", KostenpoolViewSet, basename="kostenpool")
router.register("umlagelaeufe", UmlagelaufViewSet, basename="umlagelauf")
urlpatterns = router.urls
