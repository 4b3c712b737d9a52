from django.shortcuts import render

from mitglieder import rollen
from mitglieder.models import RegisterImport


def start(request):
    """One start page; what it offers depends on the role."""
    kontext = {}
    if rollen.sieht_alle_mitglieder(request.user):
        kontext["letzter_import"] = RegisterImport.objects.first()
    if rollen.ist_kommune(request.user):
        kontext["meine_mitglieder"] = list(rollen.mitglieder_fuer(request.user))
    return render(request, "kiv/start.html", kontext)
