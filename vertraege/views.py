"""Pages for requests, contracts and notice deadlines. Access is decided by the selectors;
rules are in the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from leistungen.models import Leistung
from mitglieder import exporte, rollen
from mitglieder.forms import fehler_ins_formular
from vertraege import fristen, selectors, services
from vertraege.forms import (
    AblehnenForm,
    AnnehmenForm,
    DokumentForm,
    KuendigenForm,
    LeistungsabrufForm,
    MengeForm,
)
from vertraege.models import AbrufStatus, Vertragsdokument


def _darf_vertraege_sehen(user) -> bool:
    return rollen.sieht_alle_mitglieder(user) or rollen.ist_kommune(user)


# ---------------------------------------------------------------------------- requests


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


@rollen.nur_fuer(_darf_vertraege_sehen)
def leistungsabruf_liste(request):
    abrufe = selectors.list_leistungsabrufe(user=request.user).select_related("vertrag")
    status = request.GET.get("status")
    if status in AbrufStatus.values:
        abrufe = abrufe.filter(status=status)
    return render(
        request,
        "vertraege/leistungsabruf_liste.html",
        {"abrufe": abrufe[:300], "status": status, "status_auswahl": AbrufStatus.choices},
    )


@rollen.nur_fuer(_darf_vertraege_sehen)
def leistungsabruf_detail(request, pk):
    abruf = selectors.get_leistungsabruf(user=request.user, pk=pk)
    annehmen = ablehnen = None
    if rollen.ist_geschaeftsstelle(request.user) and abruf.status == AbrufStatus.ANGEFRAGT:
        annehmen = AnnehmenForm(
            initial={"beginn": abruf.gewuenschter_beginn, "preisbindung": "katalog"}
        )
        ablehnen = AblehnenForm()
        if request.method == "POST":
            if "annehmen" in request.POST:
                annehmen = AnnehmenForm(request.POST)
                if annehmen.is_valid():
                    try:
                        vertrag = services.annehmen_leistungsabruf(
                            abruf=abruf, user=request.user, **annehmen.cleaned_data
                        )
                    except ValidationError as exc:
                        fehler_ins_formular(annehmen, exc)
                    else:
                        messages.success(
                            request, f"Angenommen: Vertrag {vertrag.vertragsnummer} ist angelegt."
                        )
                        return redirect("vertrag-detail", pk=vertrag.pk)
            else:
                ablehnen = AblehnenForm(request.POST)
                if ablehnen.is_valid():
                    try:
                        services.ablehnen_leistungsabruf(
                            abruf=abruf, user=request.user, **ablehnen.cleaned_data
                        )
                    except ValidationError as exc:
                        fehler_ins_formular(ablehnen, exc)
                    else:
                        messages.success(request, "Die Anfrage wurde abgelehnt.")
                        return redirect("leistungsabruf-detail", pk=abruf.pk)
    elif request.method == "POST":
        raise PermissionDenied("Über diese Anfrage entscheidet die Geschäftsstelle.")
    fehler = (annehmen and annehmen.errors) or (ablehnen and ablehnen.errors)
    return render(
        request,
        "vertraege/leistungsabruf_detail.html",
        {"abruf": abruf, "annehmen": annehmen, "ablehnen": ablehnen},
        status=400 if fehler else 200,
    )


# ---------------------------------------------------------------------------- contracts


@rollen.nur_fuer(_darf_vertraege_sehen)
def vertrag_liste(request):
    heute = timezone.localdate()
    vertraege = list(
        selectors.list_vertraege(user=request.user).order_by("mitglied__name", "beginn")
    )
    for vertrag in vertraege:
        vertrag.status_heute = vertrag.status_am(heute)
        vertrag.menge_heute = vertrag.menge_am(heute)
    return render(request, "vertraege/vertrag_liste.html", {"vertraege": vertraege, "heute": heute})


@rollen.nur_fuer(_darf_vertraege_sehen)
def vertrag_detail(request, pk):
    vertrag = selectors.get_vertrag(user=request.user, pk=pk)
    return render(request, "vertraege/vertrag_detail.html", _vertrag_kontext(request, vertrag))


def _darf_kuendigen(user, vertrag) -> bool:
    return rollen.ist_geschaeftsstelle(user) or rollen.ist_kommune(user)


def _vertrag_kontext(request, vertrag, **formulare) -> dict:
    heute = timezone.localdate()
    laeuft = vertrag.gekuendigt_am is None and not (vertrag.ende and vertrag.ende < heute)
    kontext = {
        "vertrag": vertrag,
        "heute": heute,
        "status": vertrag.status_am(heute),
        "menge_heute": vertrag.menge_am(heute),
        "mindestende": fristen.mindestende(vertrag),
        "frist": fristen.naechste_frist(vertrag, heute) if laeuft else None,
        "dokumente": vertrag.dokumente.all(),
        "ist_office": rollen.ist_geschaeftsstelle(request.user),
    }
    if laeuft and _darf_kuendigen(request.user, vertrag):
        kontext["kuendigen_form"] = formulare.get("kuendigen") or KuendigenForm(
            initial={"zum": kontext["frist"].naechstes_ende}
        )
    if rollen.ist_geschaeftsstelle(request.user):
        if not (vertrag.ende and vertrag.ende < heute):
            kontext["menge_form"] = formulare.get("menge") or MengeForm()
        kontext["dokument_form"] = formulare.get("dokument") or DokumentForm()
    return kontext


@require_POST
@rollen.nur_fuer(_darf_vertraege_sehen)
def vertrag_kuendigen(request, pk):
    vertrag = selectors.get_vertrag(user=request.user, pk=pk)
    if not _darf_kuendigen(request.user, vertrag):
        raise PermissionDenied("Kündigen dürfen das Mitglied und die Geschäftsstelle.")
    form = KuendigenForm(request.POST)
    if form.is_valid():
        durch = "geschaeftsstelle" if rollen.ist_geschaeftsstelle(request.user) else "mitglied"
        try:
            services.kuendigen_vertrag(
                vertrag=vertrag, durch=durch, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Der Vertrag ist gekündigt.")
            return redirect("vertrag-detail", pk=vertrag.pk)
    vertrag = selectors.get_vertrag(user=request.user, pk=pk)
    return render(
        request,
        "vertraege/vertrag_detail.html",
        _vertrag_kontext(request, vertrag, kuendigen=form),
        status=400,
    )


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def vertrag_menge(request, pk):
    vertrag = selectors.get_vertrag(user=request.user, pk=pk)
    form = MengeForm(request.POST)
    if form.is_valid():
        try:
            services.aendern_menge(vertrag=vertrag, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            fehler_ins_formular(form, exc)
        else:
            messages.success(request, "Die neue Menge ist erfasst.")
            return redirect("vertrag-detail", pk=vertrag.pk)
    return render(
        request,
        "vertraege/vertrag_detail.html",
        _vertrag_kontext(request, vertrag, menge=form),
        status=400,
    )


@require_POST
@rollen.nur_fuer(rollen.ist_geschaeftsstelle)
def vertrag_dokument_hochladen(request, pk):
    vertrag = selectors.get_vertrag(user=request.user, pk=pk)
    form = DokumentForm(request.POST, request.FILES)
    if form.is_valid():
        Vertragsdokument.objects.create(
            vertrag=vertrag,
            art=form.cleaned_data["art"],
            datei=form.cleaned_data["datei"],
            hochgeladen_von=request.user,
        )
        messages.success(request, "Das Dokument ist gespeichert.")
        return redirect("vertrag-detail", pk=vertrag.pk)
    return render(
        request,
        "vertraege/vertrag_detail.html",
        _vertrag_kontext(request, vertrag, dokument=form),
        status=400,
    )


@login_required
def vertrag_dokument(request, pk):
    """Documents are not public files: served only to who may see the contract."""
    dokument = get_object_or_404(Vertragsdokument.objects.select_related("vertrag"), pk=pk)
    selectors.get_vertrag(user=request.user, pk=dokument.vertrag_id)  # 404 for others
    return FileResponse(
        dokument.datei.open("rb"),
        as_attachment=True,
        filename=dokument.datei.name.rsplit("/", 1)[-1],
    )


# ---------------------------------------------------------------------------- deadlines


FRISTEN_SPALTEN = [
    "Vertragsnummer",
    "Mitglied",
    "Leistung",
    "Beginn",
    "Status",
    "Vertragsende",
    "nächstmögliches Ende",
    "kündigen bis",
    "Kündigungsfrist (Monate)",
]


@rollen.nur_fuer(rollen.sieht_alle_mitglieder)
def fristen_uebersicht(request, format: str = "html"):
    heute = timezone.localdate()
    try:
        monate = max(1, min(36, int(request.GET.get("monate", 6))))
    except ValueError:
        monate = 6
    zeilen = selectors.anstehende_fristen(user=request.user, heute=heute, monate=monate)
    if format in {"csv", "xlsx"}:
        daten = [
            [
                v.vertragsnummer,
                v.mitglied.name,
                v.leistung.name,
                v.beginn,
                v.status_am(heute).label
                if hasattr(v.status_am(heute), "label")
                else v.status_am(heute),
                v.ende,
                f.naechstes_ende if f else None,
                f.kuendigen_bis if f else None,
                v.kuendigungsfrist_monate,
            ]
            for v, f in zeilen
        ]
        return exporte.herunterladen(
            daten,
            format=format,
            dateiname=f"fristen_{heute:%Y-%m-%d}",
            kopf=FRISTEN_SPALTEN,
            blatt="Fristen",
        )
    return render(
        request, "vertraege/fristen.html", {"zeilen": zeilen, "heute": heute, "monate": monate}
    )
