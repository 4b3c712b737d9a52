"""Server-rendered pages for members, the share register and the register statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mitglieder import anteilsregister, exporte, rollen, selectors, services
from mitglieder.api.filters import MitgliedFilter
from mitglieder.forms import (
    AnsprechpartnerForm,
    AnteilsvorgangForm,
    MitgliedAnlegenForm,
    MitgliedFilterForm,
    MitgliedStammdatenForm,
    NachfolgerForm,
    RechnungsdatenForm,
    StatistikForm,
    StatuswechselForm,
    StichtagForm,
    fehler_ins_formular,
)
from mitglieder.models import (
    Ansprechpartner,
    Anteilsbuchung,
    Anteilsvorgang,
    Ebene,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatusEintrag,
    Vorgangsart,
)
from mitglieder.services import ERLAUBTE_UEBERGAENGE

# ---------------------------------------------------------------------------- Mitglieder


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def mitglied_liste(request):
    kreise = (
        Gebietskoerperschaft.objects.filter(
            ebene=Ebene.KREIS, kreisangehoerige__mitgliedschaften__isnull=False
        )
        .distinct()
        .order_by("name")
    )
    form = MitgliedFilterForm(request.GET or None, kreise=kreise)
    # The same FilterSet as the API, so page and API filter alike; the form renders it.
    qs = MitgliedFilter(request.GET, queryset=selectors.list_mitglieder(user=request.user)).qs
    seite = Paginator(qs.order_by("name", "id"), 50).get_page(request.GET.get("seite"))
    abfrage = request.GET.copy()
    abfrage.pop("seite", None)
    return render(
        request,
        "mitglieder/liste.html",
        {"form": form, "seite": seite, "abfrage": abfrage.urlencode()},
    )


def _mitglied_kontext(request, mitglied: Mitglied) -> dict:
    heute = timezone.localdate()
    stand = anteilsregister.anteilsbestand(stichtag=heute)
    anteile = [a for a in stand.anteile if stand.inhaber[a.id] == mitglied.id]
    summe = sum(a.nennbetrag for a in anteile)
    darf_bearbeiten = selectors.darf_mitglied_bearbeiten(user=request.user, mitglied=mitglied)
    kontext = {
        "mitglied": mitglied,
        "statushistorie": mitglied.statushistorie.select_related("erfasst_von"),
        "ansprechpartner": mitglied.ansprechpartner.all(),
        "anteile": anteile,
        "anteile_summe": summe,
        "anteile_prozent": anteilsregister.prozent(summe, stand.stammkapital),
        "stammkapital": stand.stammkapital,
        "heute": heute,
        "darf_bearbeiten": darf_bearbeiten,
        "ist_office": rollen.ist_geschaeftsstelle(request.user),
    }
    gk = mitglied.gebietskoerperschaft
    if gk is not None:
        kontext["einwohner"] = gk.einwohnerzahlen.order_by("-stichtag").first()
    if rollen.ist_geschaeftsstelle(request.user):
        moeglich = sorted(ERLAUBTE_UEBERGAENGE[mitglied.status])
        kontext["status_form"] = StatuswechselForm(moeglich=moeglich) if moeglich else None
        kontext["nachfolger_form"] = NachfolgerForm() if gk and gk.ist_aufgeloest else None
    if rollen.sieht_alle_mitglieder(request.user):
        kontext["aenderungen"] = _aenderungen(mitglied)
    if darf_bearbeiten:
        kontext["ansprechpartner_form"] = AnsprechpartnerForm()
    return kontext


def _aenderungen(mitglied: Mitglied) -> list[dict]:
    """Who changed what, when: the member, its status steps, contacts and its share
    bookings, newest first (django-simple-history)."""
    eintraege = []

    def aufnehmen(historie, objekt):
        for h in historie.select_related("history_user"):
            diff = []
            if h.history_type == "~" and h.prev_record is not None:
                delta = h.diff_against(h.prev_record)
                diff = [
                    f"{h.instance._meta.get_field(c.field).verbose_name}: „{c.old}“ → „{c.new}“"
                    for c in delta.changes
                ]
            eintraege.append(
                {
                    "wann": h.history_date,
                    "wer": h.history_user,
                    "was": {"+": "angelegt", "~": "geändert", "-": "gelöscht"}[h.history_type],
                    "objekt": objekt(h),
                    "details": diff,
                }
            )

    aufnehmen(mitglied.history.all(), lambda h: "Mitglied")
    aufnehmen(
        MitgliedStatusEintrag.history.filter(mitglied_id=mitglied.id),
        lambda h: f"Status „{h.get_status_display()}“ ab {h.datum:%d.%m.%Y}",
    )
    aufnehmen(
        Ansprechpartner.history.filter(mitglied_id=mitglied.id),
        lambda h: f"Ansprechpartner {h.name}",
    )
    buchungen = Anteilsbuchung.history.filter(
        inhaber_vorher_id=mitglied.id
    ) | Anteilsbuchung.history.filter(inhaber_nachher_id=mitglied.id)
    aufnehmen(
        buchungen.select_related("anteil", "vorgang"),
        lambda h: f"Buchung Anteil Nr. {h.anteil.laufende_nummer} ({h.vorgang})",
    )
    eintraege.sort(key=lambda e: e["wann"], reverse=True)
    return eintraege


@login_required
def mitglied_detail(request, pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    return render(request, "mitglieder/detail.html", _mitglied_kontext(request, mitglied))


@rollen.nur_fuer(rollen.ist_kommune)
def mein_mitglied(request):
    mitglieder = list(selectors.list_mitglieder(user=request.user))
    if not mitglieder:
        raise Http404("Ihr Konto ist keinem Mitglied zugeordnet.")
    if len(mitglieder) > 1:
        return render(request, "mitglieder/mein_auswahl.html", {"mitglieder": mitglieder})
    kontext = _mitglied_kontext(request, mitglieder[0])
    kontext["mein"] = True
    return render(request, "mitglieder/detail.html", kontext)


@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def mitglied_anlegen(request):
    form = MitgliedAnlegenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            mitglied = services.create_mitglied(
                gebietskoerperschaft=d["gebietskoerperschaft"],
                name=d["name"],
                sitz=d["sitz"],
                status=d["status"],
                datum=d["datum"],
                beschluss=d["beschluss"],
                user=request.user,
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, f"{mitglied.name} wurde angelegt.")
            return redirect("mitglied-detail", pk=mitglied.pk)
    return render(request, "mitglieder/formular.html", {"form": form, "titel": "Mitglied anlegen"})


@login_required
def mitglied_bearbeiten(request, pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    if not selectors.darf_mitglied_bearbeiten(user=request.user, mitglied=mitglied):
        raise PermissionDenied("Sie dürfen dieses Mitglied nicht ändern.")
    form_klasse = (
        MitgliedStammdatenForm if rollen.ist_geschaeftsstelle(request.user) else RechnungsdatenForm
    )
    form = form_klasse(request.POST or None, instance=mitglied)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mitglied(
                mitglied=mitglied,
                user=request.user,
                **{f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Die Änderungen wurden gespeichert.")
            return redirect(_zurueck(request, mitglied))
    return render(
        request,
        "mitglieder/formular.html",
        {
            "form": form,
            "titel": f"{mitglied.name} bearbeiten",
            "zurueck": _zurueck(request, mitglied),
        },
    )


def _zurueck(request, mitglied: Mitglied) -> str:
    if rollen.ist_kommune(request.user) and not rollen.sieht_alle_mitglieder(request.user):
        return reverse("mein-mitglied")
    return reverse("mitglied-detail", args=[mitglied.pk])


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def mitglied_status(request, pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    form = StatuswechselForm(request.POST)
    if form.is_valid():
        try:
            services.change_mitglied_status(
                mitglied=mitglied, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Der Statuswechsel wurde erfasst.")
            return redirect("mitglied-detail", pk=mitglied.pk)
    kontext = _mitglied_kontext(request, mitglied)
    kontext["status_form"] = form
    return render(request, "mitglieder/detail.html", kontext, status=400)


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def mitglied_nachfolger(request, pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    form = NachfolgerForm(request.POST)
    if form.is_valid() and mitglied.gebietskoerperschaft is not None:
        try:
            services.set_nachfolger(
                gebietskoerperschaft=mitglied.gebietskoerperschaft,
                nachfolger=form.cleaned_data["schluessel"],
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Der Nachfolger wurde erfasst.")
            return redirect("mitglied-detail", pk=mitglied.pk)
    kontext = _mitglied_kontext(request, mitglied)
    kontext["nachfolger_form"] = form
    return render(request, "mitglieder/detail.html", kontext, status=400)


@login_required
def ansprechpartner_anlegen(request, pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    return _ansprechpartner_formular(request, mitglied, None)


@login_required
def ansprechpartner_bearbeiten(request, pk, ap_pk):
    mitglied = selectors.get_mitglied(user=request.user, pk=pk)
    ansprechpartner = get_object_or_404(Ansprechpartner, pk=ap_pk, mitglied=mitglied)
    return _ansprechpartner_formular(request, mitglied, ansprechpartner)


def _ansprechpartner_formular(request, mitglied, ansprechpartner):
    if not selectors.darf_mitglied_bearbeiten(user=request.user, mitglied=mitglied):
        raise PermissionDenied("Sie dürfen dieses Mitglied nicht ändern.")
    form = AnsprechpartnerForm(request.POST or None, instance=ansprechpartner)
    if request.method == "POST" and "loeschen" in request.POST and ansprechpartner is not None:
        services.delete_ansprechpartner(ansprechpartner=ansprechpartner, user=request.user)
        messages.success(request, f"{ansprechpartner.name} wurde entfernt.")
        return redirect(_zurueck(request, mitglied))
    if request.method == "POST" and form.is_valid():
        daten = {f: form.cleaned_data[f] for f in form.fields}
        try:
            if ansprechpartner is None:
                services.create_ansprechpartner(mitglied=mitglied, user=request.user, **daten)
            else:
                services.update_ansprechpartner(
                    ansprechpartner=ansprechpartner, user=request.user, **daten
                )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Der Ansprechpartner wurde gespeichert.")
            return redirect(_zurueck(request, mitglied))
    return render(
        request,
        "mitglieder/formular.html",
        {
            "form": form,
            "titel": f"Ansprechpartner – {mitglied.name}",
            "zurueck": _zurueck(request, mitglied),
            "loeschbar": ansprechpartner is not None,
        },
    )


# ---------------------------------------------------------------------------- Anteile


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def gesellschafterliste(request, format: str = "html"):
    form = StichtagForm(request.GET or None)
    liste = anteilsregister.gesellschafterliste(stichtag=form.stichtag_oder_heute())
    if format in {"csv", "xlsx"}:
        return _gesellschafterliste_export(liste, format)
    vorgaenge = Anteilsvorgang.objects.filter(datum__lte=liste.stichtag).order_by("-datum", "-id")[
        :20
    ]
    return render(
        request,
        "mitglieder/gesellschafterliste.html",
        {"form": form, "liste": liste, "vorgaenge": vorgaenge},
    )


LISTE_SPALTEN = [
    "Lfd. Nr. Gesellschafter",
    "Gesellschafter",
    "Sitz",
    "Lfd. Nr. Geschäftsanteil",
    "Nennbetrag (€)",
    "Anteil am Stammkapital (%)",
    "Gesamtnennbetrag des Gesellschafters (€)",
    "Gesamtbeteiligung (%)",
    "Stimmen (§ 47 Abs. 2 GmbHG)",
]


def _listen_zeilen(liste):
    for nr, zeile in enumerate(liste.zeilen, start=1):
        for anteil in zeile.anteile:
            yield [
                nr,
                zeile.mitglied.name,
                zeile.mitglied.sitz,
                anteil.laufende_nummer,
                anteil.nennbetrag,
                anteil.prozent,
                zeile.nennbetrag,
                zeile.prozent,
                zeile.stimmen,
            ]


def _gesellschafterliste_export(liste, format: str) -> HttpResponse:
    zeilen = list(_listen_zeilen(liste))
    zeilen.append(["", "Summe", "", "", liste.summe_nennbetraege, None, None, None, liste.stimmen])
    zeilen.append(["", "Stammkapital", "", "", liste.stammkapital])
    return exporte.herunterladen(
        zeilen,
        format=format,
        dateiname=f"gesellschafterliste_{liste.stichtag:%Y-%m-%d}",
        kopf=LISTE_SPALTEN,
        titel=f"Gesellschafterliste zum {liste.stichtag:%d.%m.%Y}",
        blatt="Gesellschafterliste",
    )


@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def anteilsvorgang_anlegen(request):
    form = AnteilsvorgangForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        gemeinsam = {
            "datum": d["datum"],
            "referenz": d["referenz"],
            "bemerkung": d["bemerkung"],
            "user": request.user,
        }
        try:
            match d["art"]:
                case Vorgangsart.AUSGABE:
                    services.ausgeben_anteile(
                        erwerber=d["erwerber"],
                        nennbetraege=d["nennbetraege"],
                        kapitalerhoehung=d["kapitalaenderung"],
                        **gemeinsam,
                    )
                case Vorgangsart.UEBERTRAGUNG if d["betrag"]:
                    services.uebertragen_betrag(
                        veraeusserer=d["veraeusserer"],
                        erwerber=d["erwerber"],
                        betrag=d["betrag"],
                        **gemeinsam,
                    )
                case Vorgangsart.UEBERTRAGUNG:
                    services.uebertragen_anteile(
                        veraeusserer=d["veraeusserer"],
                        erwerber=d["erwerber"],
                        anteile=d["anteile"],
                        **gemeinsam,
                    )
                case Vorgangsart.TEILUNG:
                    if len(d["anteile"]) != 1:
                        raise ValidationError({"anteile": "Geteilt wird genau ein Anteil."})
                    services.teilen_anteil(
                        anteil=d["anteile"][0], nennbetraege=d["nennbetraege"], **gemeinsam
                    )
                case Vorgangsart.ZUSAMMENLEGUNG:
                    services.zusammenlegen_anteile(anteile=d["anteile"], **gemeinsam)
                case Vorgangsart.EINZIEHUNG:
                    services.einziehen_anteile(
                        anteile=d["anteile"], kapitalherabsetzung=d["kapitalaenderung"], **gemeinsam
                    )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Der Vorgang wurde im Anteilsbuch erfasst.")
            return redirect(f"{reverse('gesellschafterliste')}?stichtag={d['datum']:%Y-%m-%d}")
    return render(
        request,
        "mitglieder/formular.html",
        {
            "form": form,
            "titel": "Anteilsvorgang erfassen",
            "zurueck": reverse("gesellschafterliste"),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------- Register


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def register_statistik(request):
    laender = Gebietskoerperschaft.objects.filter(ebene=Ebene.LAND).order_by("ars")
    daten = request.GET.copy()
    daten.setdefault("land", "16")
    form = StatistikForm(daten, laender=laender)
    statistik = None
    if form.is_valid():
        try:
            statistik = selectors.register_statistik(
                land=form.cleaned_data["land"], stichtag=form.stichtag_oder_heute()
            )
        except Http404 as exc:
            form.add_error("land", str(exc))
    return render(
        request,
        "mitglieder/statistik.html",
        {"form": form, "statistik": statistik, "laender": laender},
    )
