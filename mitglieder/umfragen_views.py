"""Survey pages: the answer form behind the token link (no account), and the office's
pages for questions, invitations, results and the accession pipeline."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mitglieder import diagramme, exporte, rollen, umfragen
from mitglieder.forms import (
    AdressenForm,
    AntwortForm,
    EinladungsForm,
    FrageForm,
    UmfrageForm,
    fehler_ins_formular,
)
from mitglieder.models import Antwort, Mitglied, Umfrage, UmfrageStatus

NEUTRAL = (
    "Dieser Link ist nicht gültig. Bitte prüfen Sie, ob Sie ihn vollständig aus der E-Mail "
    "übernommen haben, oder wenden Sie sich an die Geschäftsstelle."
)


def begrenzt(anzahl: int, sekunden: int):
    """At most `anzahl` requests per client address and `sekunden` on token pages, so that
    tokens cannot be guessed by trying many."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            adresse = request.META.get("REMOTE_ADDR", "unbekannt")
            schluessel = f"kiv-umfrage-{adresse}"
            cache.add(schluessel, 0, sekunden)
            try:
                zaehler = cache.incr(schluessel)
            except ValueError:
                cache.set(schluessel, 1, sekunden)
                zaehler = 1
            if zaehler > anzahl:
                return render(
                    request,
                    "mitglieder/umfragen/hinweis.html",
                    {
                        "titel": "Zu viele Anfragen",
                        "text": "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
                    },
                    status=429,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@begrenzt(anzahl=30, sekunden=60)
def antworten(request, token):
    einladung = umfragen.gueltige_einladung(token)
    if einladung is None:
        # unknown and withdrawn tokens look exactly alike
        return render(
            request,
            "mitglieder/umfragen/hinweis.html",
            {"titel": "Umfrage", "text": NEUTRAL},
            status=404,
        )
    umfrage = einladung.umfrage
    fragen = list(umfrage.fragen.select_related("abhaengig_von"))
    antwort = Antwort.objects.filter(einladung=einladung).first()
    heute = timezone.localdate()
    if not umfrage.nimmt_antworten_an(heute):
        geschlossen = umfrage.status == UmfrageStatus.GESCHLOSSEN or heute > umfrage.schliesst_am
        if geschlossen:
            text = (
                f"Die Umfrage „{umfrage.titel}“ ist geschlossen. Antworten können nicht mehr "
                "abgegeben oder geändert werden."
            )
        else:
            text = f"Die Umfrage „{umfrage.titel}“ beginnt am {umfrage.oeffnet_am:%d.%m.%Y}."
        return render(
            request,
            "mitglieder/umfragen/hinweis.html",
            {"titel": umfrage.titel, "text": text, "antwort": antwort, "fragen": fragen},
            status=410 if geschlossen else 200,
        )
    form = AntwortForm(
        request.POST or None,
        fragen=fragen,
        initial=AntwortForm.initial_aus(fragen, antwort.werte) if antwort else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            umfragen.antworten(einladung=einladung, werte=form.cleaned_data["werte"])
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(
                request,
                "Vielen Dank, Ihre Antworten sind gespeichert. Bis zum "
                f"{umfrage.schliesst_am:%d.%m.%Y} können Sie sie über denselben Link ändern.",
            )
            return redirect("umfrage-antworten", token=token)
    return render(
        request,
        "mitglieder/umfragen/antworten.html",
        {"umfrage": umfrage, "einladung": einladung, "form": form, "antwort": antwort},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------- office


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def liste(request):
    form = UmfrageForm(request.POST or None) if rollen.ist_geschaeftsstelle(request.user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        umfrage = umfragen.create_umfrage(**form.cleaned_data)
        messages.success(request, f"Die Umfrage „{umfrage.titel}“ ist angelegt.")
        return redirect("umfrage", pk=umfrage.pk)
    return render(
        request,
        "mitglieder/umfragen/liste.html",
        {"umfragen": Umfrage.objects.all(), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _detail_kontext(umfrage, **formulare):
    einladungen = umfrage.einladungen
    return {
        "umfrage": umfrage,
        "fragen": umfrage.fragen.select_related("abhaengig_von"),
        "anzahl": {
            "eingeladen": einladungen.filter(zurueckgezogen_am__isnull=True).count(),
            "ohne_adresse": einladungen.filter(zurueckgezogen_am__isnull=True, email="").count(),
            "versendet": einladungen.filter(versendet_am__isnull=False).count(),
            "beantwortet": einladungen.filter(
                antwort__isnull=False, zurueckgezogen_am__isnull=True
            ).count(),
            "zurueckgezogen": einladungen.filter(zurueckgezogen_am__isnull=False).count(),
        },
        "frage_form": formulare.get("frage") or FrageForm(umfrage=umfrage),
        "einladungs_form": formulare.get("einladung") or EinladungsForm(),
        "adressen_form": formulare.get("adressen") or AdressenForm(),
        "hat_antworten": Antwort.objects.filter(einladung__umfrage=umfrage).exists(),
    }


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def detail(request, pk):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    return render(request, "mitglieder/umfragen/detail.html", _detail_kontext(umfrage))


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def aktion(request, pk, aktion):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    formulare = {}
    try:
        if aktion == "frage":
            form = FrageForm(request.POST, umfrage=umfrage)
            formulare["frage"] = form
            if form.is_valid():
                umfragen.add_frage(umfrage=umfrage, **form.cleaned_data)
                messages.success(request, "Die Frage ist hinzugefügt.")
        elif aktion == "frage-loeschen":
            umfragen.delete_frage(
                frage=get_object_or_404(umfrage.fragen, pk=request.POST.get("frage"))
            )
            messages.success(request, "Die Frage ist gelöscht.")
        elif aktion == "oeffnen":
            umfragen.oeffnen(umfrage=umfrage)
            messages.success(request, "Die Umfrage ist offen.")
        elif aktion == "schliessen":
            umfragen.schliessen(umfrage=umfrage)
            messages.success(
                request, "Die Umfrage ist geschlossen; die Antworten sind eingefroren."
            )
        elif aktion == "einladen":
            form = EinladungsForm(request.POST)
            formulare["einladung"] = form
            if form.is_valid():
                neu, schon = umfragen.einladungen_erzeugen(umfrage=umfrage, **form.cleaned_data)
                messages.success(
                    request, f"{neu} Einladungen erzeugt, {schon} waren bereits eingeladen."
                )
        elif aktion == "adressen":
            form = AdressenForm(request.POST)
            formulare["adressen"] = form
            if form.is_valid():
                anzahl = umfragen.adressen_importieren(
                    umfrage=umfrage, text=form.cleaned_data["adressen"]
                )
                messages.success(request, f"{anzahl} Adressen übernommen.")
        elif aktion == "versenden":
            gesendet, ohne = umfragen.versenden(umfrage=umfrage)
            messages.success(
                request, f"{gesendet} Einladungen versendet; {ohne} ohne E-Mail-Adresse."
            )
        elif aktion == "erinnern":
            anzahl = umfragen.erinnern(umfrage=umfrage)
            messages.success(request, f"{anzahl} Erinnerungen versendet.")
        elif aktion == "zurueckziehen":
            einladung = get_object_or_404(umfrage.einladungen, pk=request.POST.get("einladung"))
            umfragen.zurueckziehen(einladung=einladung)
            messages.success(
                request,
                f"Die Einladung an {einladung.gebietskoerperschaft.name} ist zurückgezogen.",
            )
            return redirect("umfrage-einladungen", pk=umfrage.pk)
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        ziel = next(iter(formulare.values()), None)
        if ziel is not None:
            fehler_ins_formular(ziel, exc)
        else:
            messages.error(request, " ".join(exc.messages))
            return redirect("umfrage", pk=umfrage.pk)
    if any(f.errors for f in formulare.values()):
        return render(
            request,
            "mitglieder/umfragen/detail.html",
            _detail_kontext(umfrage, **formulare),
            status=400,
        )
    return redirect("umfrage", pk=umfrage.pk)


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def einladungen(request, pk):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    zeilen = umfrage.einladungen.select_related("gebietskoerperschaft", "antwort").order_by(
        "gebietskoerperschaft__name"
    )
    if request.GET.get("format") == "csv":
        # for a letter mail merge where there is no address: authority and link
        return exporte.herunterladen(
            (
                [e.gebietskoerperschaft.ags, e.gebietskoerperschaft.name, e.email, umfragen.link(e)]
                for e in zeilen.filter(zurueckgezogen_am__isnull=True)
            ),
            format="csv",
            dateiname=f"einladungen_{umfrage.pk}",
            kopf=["AGS", "Gebietskörperschaft", "E-Mail", "Link"],
        )
    return render(
        request,
        "mitglieder/umfragen/einladungen.html",
        {"umfrage": umfrage, "einladungen": zeilen[:2000]},
    )


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def ergebnisse(request, pk, format: str = "html"):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    if format in {"csv", "xlsx"}:
        return _export(umfrage, format)
    ergebnis = umfragen.ergebnisse(umfrage=umfrage)
    antworten_ = (
        Antwort.objects.filter(
            einladung__umfrage=umfrage, einladung__zurueckgezogen_am__isnull=True
        )
        .select_related("einladung__gebietskoerperschaft", "mitglied")
        .order_by("einladung__gebietskoerperschaft__name")
    )
    mitglieder = dict(
        Mitglied.objects.filter(
            gebietskoerperschaft__in=[a.einladung.gebietskoerperschaft_id for a in antworten_]
        ).values_list("gebietskoerperschaft_id", "status")
    )
    interesse = []
    frage = umfragen.interessefrage(umfrage)
    for a in antworten_:
        a.interesse = umfragen.hat_interesse(frage, a)
        a.mitgliedsstatus = mitglieder.get(a.einladung.gebietskoerperschaft_id)
        if a.interesse:
            interesse.append(a)
    return render(
        request,
        "mitglieder/umfragen/ergebnisse.html",
        {
            "umfrage": umfrage,
            "ergebnis": ergebnis,
            "interesse": interesse,
            "darf_uebernehmen": rollen.ist_geschaeftsstelle(request.user)
            and umfrage.beitrittsinteresse,
        },
    )


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def diagramm(request, pk, frage_pk):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    ergebnis = umfragen.ergebnisse(umfrage=umfrage)
    frage = next((f for f in ergebnis.fragen if f.frage.pk == frage_pk), None)
    if frage is None or not frage.verteilung:
        return HttpResponse(status=404)
    svg = diagramme.balken(
        frage.frage.text,
        f"Verteilung der {frage.anzahl} Antworten.",
        [(name, float(anzahl)) for name, anzahl in frage.verteilung],
        einheit="Antworten",
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def uebernehmen(request, pk):
    umfrage = get_object_or_404(Umfrage, pk=pk)
    ids = [int(i) for i in request.POST.getlist("antwort") if i.isdigit()]
    auswahl = list(
        Antwort.objects.filter(einladung__umfrage=umfrage, pk__in=ids).select_related(
            "einladung__gebietskoerperschaft", "einladung__umfrage"
        )
    )
    if not auswahl:
        messages.error(request, "Bitte wählen Sie mindestens eine Antwort aus.")
        return redirect("umfrage-ergebnisse", pk=umfrage.pk)
    ergebnis = umfragen.als_interessenten_uebernehmen(antworten_=auswahl, user=request.user)
    messages.success(
        request,
        f"{ergebnis.get('neu', 0)} neue Interessenten angelegt, "
        f"{ergebnis.get('bereits_erfasst', 0)} waren bereits als Mitglied erfasst, "
        f"{ergebnis.get('schon_uebernommen', 0)} schon übernommen.",
    )
    return redirect("umfrage-ergebnisse", pk=umfrage.pk)


def _export(umfrage, format: str) -> HttpResponse:
    zeilen = umfragen.export_zeilen(umfrage=umfrage)
    kopf = next(zeilen)
    return exporte.herunterladen(
        zeilen, format=format, dateiname=f"umfrage_{umfrage.pk}", kopf=kopf, blatt="Antworten"
    )
