"""Reads that depend on who asks: a Kommune user sees its own member's requests and
contracts only (another member's is a 404); finance and the office see all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mitglieder import rollen
from vertraege.models import Leistungsabruf, Vertrag, VertragsMenge


def list_leistungsabrufe(*, user) -> QuerySet[Leistungsabruf]:
    qs = Leistungsabruf.objects.select_related("mitglied", "leistung", "angefragt_von")
    if rollen.sieht_alle_mitglieder(user):
        return qs
    if rollen.ist_kommune(user):
        return qs.filter(mitglied__in=rollen.mitglieder_fuer(user))
    return qs.none()


def get_leistungsabruf(*, user, pk) -> Leistungsabruf:
    try:
        return list_leistungsabrufe(user=user).get(pk=pk)
    except (Leistungsabruf.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Keine Anfrage mit dieser Nummer.") from exc


def list_vertraege(*, user) -> QuerySet[Vertrag]:
    qs = Vertrag.objects.select_related("mitglied", "leistung").prefetch_related(
        Prefetch("mengen", queryset=VertragsMenge.objects.order_by("gueltig_ab"))
    )
    if rollen.sieht_alle_mitglieder(user):
        return qs
    if rollen.ist_kommune(user):
        return qs.filter(mitglied__in=rollen.mitglieder_fuer(user))
    return qs.none()


def get_vertrag(*, user, pk) -> Vertrag:
    try:
        return list_vertraege(user=user).get(pk=pk)
    except (Vertrag.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Kein Vertrag mit dieser Nummer.") from exc


def laufende_leistungen(*, mitglied_ids, tag: dt.date) -> set[int]:
    """Leistung ids the given members have a running contract for on `tag` (for the
    catalog's "Sie nutzen diese Leistung" mark)."""
    return set(
        Vertrag.objects.filter(mitglied_id__in=mitglied_ids, beginn__lte=tag)
        .filter(Q(ende__isnull=True) | Q(ende__gte=tag))
        .values_list("leistung_id", flat=True)
    )


def tagesgewichtete_mengen(
    *, von: dt.date, bis: dt.date, leistung_ids=None, mitglied_ids=None
) -> dict[tuple[int, int], Fraction]:
    """Per (mitglied_id, leistung_id) the quantity weighted by days over [von, bis]:
    the sum of quantity × days it applied, divided by the days of the period. Exact
    (Fraction): 40 for 181 days and 55 for 184 days give (40·181 + 55·184)/365.

    Days outside the contract's term count as 0. Two queries, however many contracts.
    """
    if bis < von:
        raise ValueError("Das Ende des Zeitraums liegt vor seinem Beginn.")
    tage_gesamt = (bis - von).days + 1
    vertraege = Vertrag.objects.filter(beginn__lte=bis).filter(
        Q(ende__isnull=True) | Q(ende__gte=von)
    )
    if leistung_ids is not None:
        vertraege = vertraege.filter(leistung_id__in=leistung_ids)
    if mitglied_ids is not None:
        vertraege = vertraege.filter(mitglied_id__in=mitglied_ids)
    vertraege = vertraege.prefetch_related(
        Prefetch("mengen", queryset=VertragsMenge.objects.order_by("gueltig_ab"))
    ).only("id", "mitglied_id", "leistung_id", "beginn", "ende")
    summen: dict[tuple[int, int], Fraction] = defaultdict(Fraction)
    for vertrag in vertraege:
        mengen = list(vertrag.mengen.all())
        vertrag_bis = min(bis, vertrag.ende) if vertrag.ende else bis
        for i, periode in enumerate(mengen):
            anfang = max(von, vertrag.beginn, periode.gueltig_ab)
            naechste = (
                mengen[i + 1].gueltig_ab - dt.timedelta(days=1) if i + 1 < len(mengen) else None
            )
            ende = min(vertrag_bis, naechste) if naechste else vertrag_bis
            tage = (ende - anfang).days + 1
            if tage > 0:
                summen[(vertrag.mitglied_id, vertrag.leistung_id)] += Fraction(periode.menge) * tage
    return {schluessel: summe / tage_gesamt for schluessel, summe in summen.items()}


# ---------------------------------------------------------------------------- Umlage


def list_laeufe(*, user):
    """Finance and the office see every run; a Kommune user only frozen ones."""
    from vertraege.models import LaufStatus, Umlagelauf

    qs = Umlagelauf.objects.select_related("angelegt_von", "festgeschrieben_von")
    if rollen.sieht_alle_mitglieder(user):
        return qs
    if rollen.ist_kommune(user):
        return qs.filter(status=LaufStatus.FESTGESCHRIEBEN)
    return qs.none()


def get_lauf(*, user, pk):
    from vertraege.models import Umlagelauf

    try:
        return list_laeufe(user=user).get(pk=pk)
    except (Umlagelauf.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Kein Umlagelauf mit dieser Nummer.") from exc


def get_teilnehmer(*, user, lauf, mitglied_id):
    """A member's part of a run: for a Kommune user only its own member (else 404)."""
    from vertraege.models import Umlageteilnehmer

    qs = Umlageteilnehmer.objects.filter(lauf=lauf, mitglied_id=mitglied_id)
    if not rollen.sieht_alle_mitglieder(user):
        qs = qs.filter(mitglied__in=rollen.mitglieder_fuer(user))
    try:
        return qs.get()
    except (Umlageteilnehmer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Dieses Mitglied ist an dem Lauf nicht beteiligt.") from exc


def pool_summen(*, lauf) -> dict[int, dict]:
    """Per pool of a run the sums the explanations refer to, in one query."""
    from django.db.models import Count, F, Sum

    from vertraege.models import Umlageposition

    zeilen = (
        Umlageposition.objects.filter(lauf=lauf)
        .values("pool_id")
        .annotate(
            anzahl=Count("id"),
            summe_einwohner=Sum("einwohner"),
            summe_einwohner_tage=Sum(F("einwohner") * F("tage")),
            summe_anteile=Sum("anteile"),
            summe_anteile_tage=Sum(F("anteile") * F("tage")),
            summe_tage=Sum("tage"),
            summe_menge=Sum("menge"),
            betrag=Sum("betrag_cent"),
        )
    )
    # keys without the prefix, as the explanations name them
    return {z["pool_id"]: {k.removeprefix("summe_"): v for k, v in z.items()} for z in zeilen}


def mitglieder_summen(*, lauf):
    """Per member the total of a run, largest first."""
    from django.db.models import Sum

    from vertraege.models import Umlageposition

    return (
        Umlageposition.objects.filter(lauf=lauf)
        .values("teilnehmer_id", "teilnehmer__name", "teilnehmer__mitglied_id", "teilnehmer__ars")
        .annotate(summe=Sum("betrag_cent"))
        .order_by("-summe", "teilnehmer__ars")
    )


def abrechnung(*, plan, ist) -> list[dict]:
    """Abschlag (Plan) against Spitzabrechnung (Ist) per member: advance, final amount and
    the difference (positive: Nachzahlung, negative: Erstattung)."""
    zeilen: dict[int, dict] = {}
    for lauf, feld in ((plan, "plan"), (ist, "ist")):
        for z in mitglieder_summen(lauf=lauf):
            eintrag = zeilen.setdefault(
                z["teilnehmer__mitglied_id"],
                {
                    "mitglied_id": z["teilnehmer__mitglied_id"],
                    "name": z["teilnehmer__name"],
                    "ars": z["teilnehmer__ars"],
                    "plan": 0,
                    "ist": 0,
                },
            )
            eintrag[feld] = z["summe"]
    for eintrag in zeilen.values():
        eintrag["differenz"] = eintrag["ist"] - eintrag["plan"]
    return sorted(zeilen.values(), key=lambda e: (e["name"], e["mitglied_id"]))


def anstehende_fristen(*, user, heute: dt.date, monate: int) -> list[tuple]:
    """Running contracts whose last notice day or end falls within `monate` months:
    (contract, next possible end and last notice day, or None once given notice),
    soonest first."""
    from dateutil.relativedelta import relativedelta

    from vertraege import fristen

    grenze = heute + relativedelta(months=monate)
    zeilen = []
    for vertrag in list_vertraege(user=user).order_by("mitglied__name"):
        if vertrag.ende is not None and vertrag.ende < heute:
            continue
        frist = None if vertrag.gekuendigt_am else fristen.naechste_frist(vertrag, heute)
        if (vertrag.ende and vertrag.ende <= grenze) or (frist and frist.kuendigen_bis <= grenze):
            zeilen.append((vertrag, frist))
    zeilen.sort(key=lambda z: z[1].kuendigen_bis if z[1] else z[0].ende)
    return zeilen
