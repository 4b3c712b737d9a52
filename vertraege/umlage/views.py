"""Pages of the cost allocation: pools, runs, results per pool and member, statements,
Abschlag/Spitzabrechnung, charts (SVG) and exports. Finance manages; the office reads; a
Kommune user sees its own member's statement of frozen runs."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mitglieder import diagramme, exporte, rollen
from mitglieder.forms import fehler_ins_formular
from vertraege import selectors
from vertraege.models import Kostenpool, LaufArt, LaufStatus, Umlagepool, Umlageposition
from vertraege.tasks import umlagelauf_berechnen
from vertraege.umlage import erklaerung
from vertraege.umlage import lauf as laeufe
from vertraege.umlage.engine import UmlageFehler
from vertraege.umlage.forms import KostenpoolForm, LaufForm


def _darf_umlage_sehen(user) -> bool:
    return rollen.sieht_alle_mitglieder(user) or rollen.ist_kommune(user)


# ---------------------------------------------------------------------------- overview


@rollen.nur_fuer(_darf_umlage_sehen)
def uebersicht(request):
    laeufe_ = selectors.list_laeufe(user=request.user)
    kontext = {"laeufe": laeufe_, "darf_rechnen": rollen.ist_finanzen(request.user)}
    if rollen.sieht_alle_mitglieder(request.user):
        jahre = sorted(
            set(Kostenpool.objects.values_list("geschaeftsjahr", flat=True)), reverse=True
        )
        kontext["jahre"] = jahre
        kontext["pools"] = Kostenpool.objects.select_related("leistung").order_by(
            "-geschaeftsjahr", "name"
        )
        kontext["lauf_form"] = LaufForm(initial={"geschaeftsjahr": jahre[0] if jahre else None})
    else:
        kontext["meine"] = list(rollen.mitglieder_fuer(request.user))
    return render(request, "vertraege/umlage/uebersicht.html", kontext)


@rollen.nur_fuer(rollen.ist_finanzen)
def pool_formular(request, pk=None):
    pool = get_object_or_404(Kostenpool, pk=pk) if pk else None
    form = KostenpoolForm(request.POST or None, instance=pool)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Der Kostenpool „{form.instance.name}“ ist gespeichert.")
        return redirect("umlage")
    return render(
        request,
        "mitglieder/formular.html",
        {
            "form": form,
            "titel": "Kostenpool bearbeiten" if pool else "Kostenpool anlegen",
            "zurueck": "/umlage/",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@rollen.nur_fuer(rollen.ist_finanzen)
def lauf_anlegen(request):
    form = LaufForm(request.POST)
    if form.is_valid():
        try:
            lauf = laeufe.anlegen(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, f"Der Lauf „{lauf.bezeichnung}“ ist angelegt.")
            return redirect("umlagelauf", pk=lauf.pk)
    messages.error(
        request,
        "Der Lauf konnte nicht angelegt werden: "
        + " ".join(
            f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}"
            for f, e in form.errors.items()
        ),
    )
    return redirect("umlage")


# ---------------------------------------------------------------------------- one run


@rollen.nur_fuer(_darf_umlage_sehen)
def lauf_detail(request, pk):
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    if not rollen.sieht_alle_mitglieder(request.user):
        # a Kommune user goes straight to its own statement
        eigene = rollen.mitglieder_fuer(request.user).values_list("id", flat=True)
        teilnehmer = lauf.teilnehmer.filter(mitglied_id__in=eigene).first()
        if teilnehmer is None:
            raise Http404("Ihr Mitglied ist an diesem Lauf nicht beteiligt.")
        return redirect("umlage-mitglied", pk=lauf.pk, mitglied_id=teilnehmer.mitglied_id)
    pools = list(lauf.pools.all())
    summen = selectors.pool_summen(lauf=lauf)
    for pool in pools:
        pool.summe = summen.get(pool.id, {}).get("betrag") or 0
        pool.anzahl = summen.get(pool.id, {}).get("anzahl") or 0
    groesste = list(selectors.mitglieder_summen(lauf=lauf)[:15])
    return render(
        request,
        "vertraege/umlage/lauf.html",
        {
            "lauf": lauf,
            "pools": pools,
            "gesamt": sum(p.betrag_cent for p in pools),
            "groesste": groesste,
            "darf_rechnen": rollen.ist_finanzen(request.user)
            and lauf.status != LaufStatus.FESTGESCHRIEBEN,
        },
    )


@require_POST
@rollen.nur_fuer(rollen.ist_finanzen)
def lauf_aktion(request, pk, aktion):
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    try:
        if aktion == "berechnen":
            laeufe.zur_berechnung_vormerken(lauf=lauf, user=request.user)
            umlagelauf_berechnen.enqueue(lauf.pk, request.user.pk)
            messages.success(
                request, "Die Berechnung läuft im Hintergrund; diese Seite zeigt den Fortschritt."
            )
        elif aktion == "festschreiben":
            laeufe.festschreiben(lauf=lauf, user=request.user)
            messages.success(
                request, "Der Lauf ist festgeschrieben und kann nicht mehr geändert werden."
            )
        elif aktion == "loeschen":
            laeufe.loeschen(lauf=lauf, user=request.user)
            messages.success(request, "Der Lauf ist gelöscht.")
            return redirect("umlage")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except UmlageFehler:
        # raised when the task ran at once (immediate backend); the run stores the reason
        lauf.refresh_from_db()
        messages.error(request, f"Die Berechnung ist fehlgeschlagen: {lauf.fehler}")
    return redirect("umlagelauf", pk=pk)


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def pool_detail(request, pk, pool_id):
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    pool = get_object_or_404(Umlagepool, lauf=lauf, pk=pool_id)
    summen = selectors.pool_summen(lauf=lauf).get(pool.id, {})
    positionen = (
        Umlageposition.objects.filter(pool=pool)
        .select_related("teilnehmer")
        .order_by("-betrag_cent", "teilnehmer__ars")
    )
    seite = Paginator(positionen, 100).get_page(request.GET.get("seite"))
    for p in seite:
        p.erklaerung = erklaerung.erklaere(p, pool, summen)
    return render(
        request,
        "vertraege/umlage/pool.html",
        {"lauf": lauf, "pool": pool, "seite": seite, "summen": summen},
    )


@rollen.nur_fuer(_darf_umlage_sehen)
def mitglied_bescheid(request, pk, mitglied_id):
    """The statement of one member for a run: every pool, the key explained, the total."""
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    teilnehmer = selectors.get_teilnehmer(user=request.user, lauf=lauf, mitglied_id=mitglied_id)
    summen = selectors.pool_summen(lauf=lauf)
    positionen = list(teilnehmer.positionen.select_related("pool").order_by("pool__name"))
    for p in positionen:
        p.erklaerung = erklaerung.erklaere(p, p.pool, summen.get(p.pool_id, {}))
    return render(
        request,
        "vertraege/umlage/bescheid.html",
        {
            "lauf": lauf,
            "teilnehmer": teilnehmer,
            "positionen": positionen,
            "summe": sum(p.betrag_cent for p in positionen),
        },
    )


# ---------------------------------------------------------------------------- exports, charts


EXPORT_SPALTEN = [
    "Pool",
    "Schlüssel",
    "Mitglied",
    "ARS",
    "Tage",
    "Einwohner",
    "Geschäftsanteile (€)",
    "Menge-Tage",
    "Basiswert",
    "Anteil",
    "Betrag (€)",
    "Begrenzung",
]


def _export_zeilen(lauf):
    for p in (
        Umlageposition.objects.filter(lauf=lauf)
        .select_related("pool", "teilnehmer")
        .order_by("pool__name", "teilnehmer__ars")
        .iterator(chunk_size=5000)
    ):
        yield [
            p.pool.name,
            p.pool.get_schluessel_display(),
            p.teilnehmer.name,
            p.teilnehmer.ars,
            p.tage,
            p.einwohner,
            p.anteile,
            Decimal(p.menge) / 100,
            p.basiswert,
            p.anteil,
            Decimal(p.betrag_cent) / 100,
            p.get_begrenzung_display(),
        ]


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def lauf_export(request, pk, format):
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    return exporte.herunterladen(
        _export_zeilen(lauf),
        format=format,
        dateiname=f"umlage_{lauf.geschaeftsjahr}_{lauf.art}_{lauf.pk}",
        kopf=EXPORT_SPALTEN,
        blatt="Umlage",
    )


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def lauf_diagramm(request, pk, art):
    lauf = selectors.get_lauf(user=request.user, pk=pk)
    if art == "groesste":
        werte = [
            (z["teilnehmer__name"], z["summe"] / 100)
            for z in selectors.mitglieder_summen(lauf=lauf)[:15]
        ]
        svg = diagramme.balken(
            f"Die 15 größten Beträge – {lauf.bezeichnung}",
            "Mitglieder mit den höchsten Umlagebeträgen, absteigend.",
            werte,
        )
    elif art == "pools":
        werte = [(p.name, p.betrag_cent / 100) for p in lauf.pools.order_by("-betrag_cent")[:25]]
        svg = diagramme.balken(
            f"Beträge je Pool – {lauf.bezeichnung}", "Umzulegender Betrag je Kostenpool.", werte
        )
    elif art == "verteilung":
        betraege = [z["summe"] for z in selectors.mitglieder_summen(lauf=lauf)]
        svg = diagramme.verteilung(f"Verteilung der Beträge – {lauf.bezeichnung}", betraege)
    else:
        raise Http404("Dieses Diagramm gibt es nicht.")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# ---------------------------------------------------------------------------- settlement


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def abrechnung(request, jahr):
    """Abschlag (Plan run) against Spitzabrechnung (Ist run): the latest frozen run of each
    kind, or the ones chosen with ?plan=&ist=."""
    laeufe_ = selectors.list_laeufe(user=request.user).filter(geschaeftsjahr=jahr)

    def waehle(art: str, gewuenscht: str | None):
        qs = laeufe_.filter(art=art).exclude(
            status__in=[LaufStatus.ENTWURF, LaufStatus.IN_BERECHNUNG]
        )
        if gewuenscht:
            # an id from the query string: digits only, anything else finds nothing
            return (
                qs.filter(pk=int(gewuenscht)).first()
                if gewuenscht.isdigit() and len(gewuenscht) < 19
                else None
            )
        return (
            qs.filter(status=LaufStatus.FESTGESCHRIEBEN).order_by("-festgeschrieben_am").first()
            or qs.first()
        )

    plan = waehle(LaufArt.PLAN, request.GET.get("plan"))
    ist = waehle(LaufArt.IST, request.GET.get("ist"))
    zeilen = selectors.abrechnung(plan=plan, ist=ist) if plan and ist else []
    if request.GET.get("format") in {"csv", "xlsx"} and zeilen:
        return _abrechnung_export(zeilen, jahr, request.GET["format"])
    return render(
        request,
        "vertraege/umlage/abrechnung.html",
        {
            "jahr": jahr,
            "plan": plan,
            "ist": ist,
            "zeilen": zeilen,
            "laeufe": laeufe_,
            "summen": {k: sum(z[k] for z in zeilen) for k in ("plan", "ist", "differenz")},
        },
    )


ABRECHNUNG_SPALTEN = [
    "Mitglied",
    "ARS",
    "Abschlag (€)",
    "Spitzabrechnung (€)",
    "Differenz (€)",
    "Ergebnis",
]


def _abrechnung_export(zeilen, jahr: int, format: str) -> HttpResponse:
    def werte(z):
        if z["differenz"] > 0:
            ergebnis = "Nachzahlung"
        elif z["differenz"] < 0:
            ergebnis = "Erstattung"
        else:
            ergebnis = "ausgeglichen"
        betraege = (Decimal(z[k]) / 100 for k in ("plan", "ist", "differenz"))
        return [z["name"], z["ars"], *betraege, ergebnis]

    return exporte.herunterladen(
        (werte(z) for z in zeilen),
        format=format,
        dateiname=f"abrechnung_{jahr}",
        kopf=ABRECHNUNG_SPALTEN,
        blatt=f"Abrechnung {jahr}",
    )
