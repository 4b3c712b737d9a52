from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from leistungen.models import Leistung
from mitglieder import rollen
from mitglieder.forms import fehler_ins_formular
from vertraege import selectors, services
from vertraege.forms import LeistungsabrufForm


@rollen.nur_fuer(rollen.ist_kommune)
def leistungsabruf_anlegen(request, slug):
    try:
        leistung = Leistung.objects.select_related("kategorie").get(slug=slug)
    except Leistung.DoesNotExist as exc:
        raise Http404("Diese Leistung gibt es nicht.") from exc
    mitglieder = rollen.mitglieder_fuer(request.user)
    if not mitglieder.exists():
        raise PermissionDenied("Ihr Konto ist keinem Mitglied zugeordnet.")
    form = LeistungsabrufForm(
        request.POST or None, mitglieder=mitglieder, einheit=leistung.get_einheit_display()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_leistungsabruf(
                leistung=leistung, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(
                request,
                f"Ihre Anfrage für „{leistung.name}“ ist eingegangen. Die Geschäftsstelle meldet "
                "sich mit der Entscheidung.",
            )
            return redirect("leistungsabruf-liste")
    return render(
        request,
        "vertraege/leistungsabruf_formular.html",
        {"form": form, "leistung": leistung},
        status=400 if form.errors else 200,
    )


@login_required
def leistungsabruf_liste(request):
    if not (rollen.sieht_alle_mitglieder(request.user) or rollen.ist_kommune(request.user)):
        raise PermissionDenied("Diese Seite ist für Ihre Rolle nicht freigegeben.")
    abrufe = selectors.list_leistungsabrufe(user=request.user)
    return render(request, "vertraege/leistungsabruf_liste.html", {"abrufe": abrufe[:200]})
