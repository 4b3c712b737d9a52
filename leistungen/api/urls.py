from rest_framework.routers import DefaultRouter

from leistungen.api.viewsets import LeistungskategorieViewSet, LeistungViewSet

router = DefaultRouter()
router.register("leistungen", LeistungViewSet, basename="leistung")
router.register("leistungskategorien", LeistungskategorieViewSet, basename="leistungskategorie")
urlpatterns = router.urls
