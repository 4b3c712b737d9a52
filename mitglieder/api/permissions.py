from rest_framework.permissions import SAFE_METHODS, BasePermission

from mitglieder import rollen


class IstGeschaeftsstelle(BasePermission):
    message = "Nur die Geschäftsstelle darf das."

    def has_permission(self, request, view):
        return rollen.ist_geschaeftsstelle(request.user)


class LiestAlles(BasePermission):
    """Office and finance: read everything."""

    message = "Nur Geschäftsstelle und Finanzen dürfen das lesen."

    def has_permission(self, request, view):
        return rollen.sieht_alle_mitglieder(request.user)


class MitgliedRechte(BasePermission):
    """Lists are filtered by the selector; here: who may write. The office writes all
    members; a Kommune user may change its own member's invoice data; finance reads."""

    message = "Sie dürfen dieses Mitglied nicht ändern."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if view.action in {"update", "partial_update"}:
            return rollen.ist_geschaeftsstelle(request.user) or rollen.ist_kommune(request.user)
        return rollen.ist_geschaeftsstelle(request.user)
