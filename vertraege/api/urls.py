from rest_framework.routers import DefaultRouter

from vertraege.api.viewsets import LeistungsabrufViewSet, VertragViewSet

router = DefaultRouter()
router.register("vertraege", VertragViewSet, basename="vertrag")
router.register("leistungsabrufe", LeistungsabrufViewSet, basename="leistungsabruf")
urlpatterns = router.urls
