"""Writes with rules for orders (and later contracts and allocations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leistungen.models import PREISMODELLE_MIT_BETRAG, Leistung, Leistungsstatus, Zielgruppe
from mitglieder.models import Mitglied, MitgliedStatus
from vertraege import benachrichtigungen, fristen
from vertraege.models import (
    AbrufStatus,
    Leistungsabruf,
    Preisbindung,
    Vertrag,
    VertragsMenge,
)

# Only active members may order (issue 4). A member that has declared its exit is told so.
BESTELLBERECHTIGT = {MitgliedStatus.AKTIV}


@transaction.atomic
def create_leistungsabruf(
    *,
    mitglied: Mitglied,
    leistung: Leistung,
    menge: Decimal,
    gewuenschter_beginn: dt.date,
    bemerkung: str = "",
    user=None,
) -> Leistungsabruf:
    heute = timezone.localdate()
    if leistung.status != Leistungsstatus.VERFUEGBAR:
        grund = (
            f"wird zum {leistung.abgekuendigt_zum:%d.%m.%Y} eingestellt"
            if leistung.status == Leistungsstatus.ABGEKUENDIGT
            else "ist noch in Planung"
        )
        raise ValidationError(f"„{leistung.name}“ {grund} und kann nicht angefragt werden.")
    if mitglied.status not in BESTELLBERECHTIGT:
        if mitglied.status in {MitgliedStatus.AUSTRITT_ERKLAERT, MitgliedStatus.AUSGESCHIEDEN}:
            raise ValidationError(
                f"{mitglied.name} hat den Austritt aus der Genossenschaft erklärt bzw. ist "
                "ausgeschieden und kann keine Leistungen mehr anfragen."
            )
        zielgruppe = (
            "steht nur Mitgliedern offen"
            if leistung.zielgruppe == Zielgruppe.MITGLIEDER
            else "wird Kommunen über ihre Mitgliedschaft bereitgestellt"
        )
        raise ValidationError(
            f"„{leistung.name}“ {zielgruppe}; {mitglied.name} hat den Status "
            f"„{mitglied.get_status_display()}“. Für den Beitritt zur Genossenschaft wenden Sie "
            "sich bitte an die Geschäftsstelle – über einen Beschluss Ihres Rates stellen Sie den "
            "Beitrittsantrag, die Gesellschafterversammlung beschließt die Aufnahme."
        )
    if gewuenschter_beginn < heute:
        raise ValidationError(
            {
                "gewuenschter_beginn": f"Der gewünschte Beginn liegt in der Vergangenheit "
                f"(frühestens {heute:%d.%m.%Y})."
            }
        )
    offen = Leistungsabruf.objects.filter(
        mitglied=mitglied, leistung=leistung, status=AbrufStatus.ANGEFRAGT
    ).first()
    if offen is not None:
        raise ValidationError(
            f"Für „{leistung.name}“ liegt bereits eine offene Anfrage vom "
            f"{timezone.localtime(offen.angefragt_am):%d.%m.%Y} vor."
        )
    abruf = Leistungsabruf(
        mitglied=mitglied,
        leistung=leistung,
        menge=menge,
        gewuenschter_beginn=gewuenschter_beginn,
        bemerkung=bemerkung,
        angefragt_von=user,
    )
    abruf.full_clean()
    if user is not None:
        abruf._history_user = user
    abruf.save()
    benachrichtigungen.anfrage_eingegangen(abruf)
    return abruf


# ---------------------------------------------------------------------------- decisions


def _offene_anfrage(abruf: Leistungsabruf) -> Leistungsabruf:
    abruf = Leistungsabruf.objects.select_for_update().get(pk=abruf.pk)
    if abruf.status != AbrufStatus.ANGEFRAGT:
        raise ValidationError(
            f"Über diese Anfrage wurde bereits entschieden (Status „{abruf.get_status_display()}“)."
        )
    return abruf


def _naechste_vertragsnummer(jahr: int) -> str:
    praefix = f"V-{jahr}-"
    letzte = (
        Vertrag.objects.filter(vertragsnummer__startswith=praefix)
        .order_by("-vertragsnummer")
        .values_list("vertragsnummer", flat=True)
        .first()
    )
    return f"{praefix}{(int(letzte.removeprefix(praefix)) if letzte else 0) + 1:04d}"


@transaction.atomic
def annehmen_leistungsabruf(
    *,
    abruf: Leistungsabruf,
    user,
    beginn: dt.date | None = None,
    preisbindung: str = Preisbindung.KATALOG,
    vereinbarter_preis: Decimal | None = None,
) -> Vertrag:
    """The office accepts a request: the contract is created with the catalog's terms."""
    abruf = _offene_anfrage(abruf)
    beginn = beginn or abruf.gewuenschter_beginn
    if abruf.mitglied.status not in BESTELLBERECHTIGT:
        raise ValidationError(
            f"{abruf.mitglied.name} ist nicht (mehr) aktives Mitglied "
            f"(Status „{abruf.mitglied.get_status_display()}“); die Anfrage kann nur abgelehnt "
            "werden."
        )
    leistung = abruf.leistung
    if preisbindung == Preisbindung.FEST and vereinbarter_preis is None:
        katalogpreis = Leistung.objects.get(pk=leistung.pk).preis_am(beginn)
        vereinbarter_preis = katalogpreis.betrag if katalogpreis else None
        if vereinbarter_preis is None and leistung.preismodell in PREISMODELLE_MIT_BETRAG:
            raise ValidationError(
                {
                    "vereinbarter_preis": f"Der Katalog nennt zum {beginn:%d.%m.%Y} keinen Preis; "
                    "bitte den vereinbarten Preis angeben."
                }
            )
    vertrag = Vertrag(
        vertragsnummer=_naechste_vertragsnummer(beginn.year),
        mitglied=abruf.mitglied,
        leistung=leistung,
        leistungsabruf=abruf,
        beginn=beginn,
        preisbindung=preisbindung,
        vereinbarter_preis=vereinbarter_preis if preisbindung == Preisbindung.FEST else None,
        mindestlaufzeit_monate=leistung.mindestlaufzeit_monate,
        kuendigungsfrist_monate=leistung.kuendigungsfrist_monate,
        verlaengerung_monate=12 if leistung.mindestlaufzeit_monate else 0,
    )
    vertrag.full_clean()
    _mit_historie(vertrag, user).save()
    _mit_historie(VertragsMenge(vertrag=vertrag, gueltig_ab=beginn, menge=abruf.menge), user).save()
    abruf.status = AbrufStatus.ANGENOMMEN
    abruf.entschieden_am = timezone.now()
    abruf.entschieden_von = user
    _mit_historie(abruf, user).save(update_fields=["status", "entschieden_am", "entschieden_von"])
    benachrichtigungen.anfrage_angenommen(abruf, vertrag)
    return vertrag


@transaction.atomic
def ablehnen_leistungsabruf(*, abruf: Leistungsabruf, begruendung: str, user) -> Leistungsabruf:
    abruf = _offene_anfrage(abruf)
    if not begruendung.strip():
        raise ValidationError({"begruendung": "Bitte begründen Sie die Ablehnung."})
    abruf.status = AbrufStatus.ABGELEHNT
    abruf.begruendung = begruendung.strip()
    abruf.entschieden_am = timezone.now()
    abruf.entschieden_von = user
    _mit_historie(abruf, user).save(
        update_fields=["status", "begruendung", "entschieden_am", "entschieden_von"]
    )
    benachrichtigungen.anfrage_abgelehnt(abruf)
    return abruf


# ---------------------------------------------------------------------------- contracts


def _mit_historie(obj, user):
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


@transaction.atomic
def aendern_menge(*, vertrag: Vertrag, ab: dt.date, menge: Decimal, user=None) -> VertragsMenge:
    """A new quantity from `ab` on; the earlier periods stay as history."""
    vertrag = Vertrag.objects.select_for_update().get(pk=vertrag.pk)
    letzte = vertrag.mengen.order_by("-gueltig_ab").first()
    if ab < vertrag.beginn or (vertrag.ende is not None and ab > vertrag.ende):
        ende = f"{vertrag.ende:%d.%m.%Y}" if vertrag.ende else "offen"
        raise ValidationError(
            {
                "ab": "Die Änderung muss in der Laufzeit liegen "
                f"({vertrag.beginn:%d.%m.%Y} bis {ende})."
            }
        )
    if letzte is not None and ab <= letzte.gueltig_ab:
        raise ValidationError(
            {
                "ab": f"Mengen werden fortlaufend erfasst; die letzte Änderung gilt ab "
                f"{letzte.gueltig_ab:%d.%m.%Y}. Eine neue muss später beginnen."
            }
        )
    if letzte is not None and menge == letzte.menge:
        raise ValidationError(
            {"menge": f"Die Menge ist bereits {format(letzte.menge.normalize(), 'f')}."}
        )
    neu = VertragsMenge(vertrag=vertrag, gueltig_ab=ab, menge=menge)
    neu.full_clean()
    _mit_historie(neu, user).save()
    return neu


@transaction.atomic
def kuendigen_vertrag(
    *,
    vertrag: Vertrag,
    zum: dt.date,
    durch: str,
    user=None,
    grund: str = "",
    kuendigung_am: dt.date | None = None,
) -> Vertrag:
    """Notice by the member or the office. The end must respect minimum term and notice
    period; the contract stays, with its end date, as history."""
    vertrag = Vertrag.objects.select_for_update().get(pk=vertrag.pk)
    heute = kuendigung_am or timezone.localdate()
    if vertrag.gekuendigt_am is not None:
        raise ValidationError(
            f"Der Vertrag wurde bereits am {vertrag.gekuendigt_am:%d.%m.%Y} zum "
            f"{vertrag.ende:%d.%m.%Y} gekündigt."
        )
    if vertrag.ende is not None and vertrag.ende < heute:
        raise ValidationError(f"Der Vertrag ist seit {vertrag.ende:%d.%m.%Y} beendet.")
    frueheste = fristen.fruehestes_ende(vertrag, heute)
    if zum < frueheste:
        raise ValidationError(
            {
                "zum": f"Bei Kündigung am {heute:%d.%m.%Y} endet der Vertrag frühestens am "
                f"{frueheste:%d.%m.%Y} (Mindestlaufzeit bis "
                f"{fristen.mindestende(vertrag):%d.%m.%Y}, "
                f"Kündigungsfrist {vertrag.kuendigungsfrist_monate} Monate)."
            }
        )
    if not fristen.ist_zulaessiges_ende(vertrag, heute, zum):
        art = (
            f"zum Ende einer Vertragsperiode (Verlängerung um je {vertrag.verlaengerung_monate} "
            f"Monate, z. B. zum {frueheste:%d.%m.%Y})"
            if vertrag.verlaengerung_monate
            else "zum Monatsende"
        )
        raise ValidationError({"zum": f"Der Vertrag kann nur {art} gekündigt werden."})
    vertrag.ende = zum
    vertrag.gekuendigt_am = heute
    vertrag.gekuendigt_durch = durch
    vertrag.kuendigungsgrund = grund
    _mit_historie(vertrag, user).save(
        update_fields=["ende", "gekuendigt_am", "gekuendigt_durch", "kuendigungsgrund"]
    )
    benachrichtigungen.vertrag_gekuendigt(vertrag)
    return vertrag


def vertraege_zum_austritt_beenden(
    *, mitglied: Mitglied, datum: dt.date, user=None
) -> list[Vertrag]:
    """Called when a member leaves (mitglieder.services.BEIM_AUSSCHEIDEN), in the same
    transaction: every contract ends at the exit date at the latest; one that would only
    begin after it is closed without a single day (end = the day before its start); open
    requests are declined."""
    beendet = []
    for vertrag in Vertrag.objects.select_for_update().filter(mitglied=mitglied):
        if vertrag.ende is not None and vertrag.ende <= datum:
            continue
        vertrag.ende = datum if vertrag.beginn <= datum else vertrag.beginn - dt.timedelta(days=1)
        if vertrag.gekuendigt_am is None:
            vertrag.gekuendigt_am = datum if datum <= timezone.localdate() else timezone.localdate()
            vertrag.gekuendigt_durch = "austritt"
        vertrag.kuendigungsgrund = (
            f"{vertrag.kuendigungsgrund}\n" if vertrag.kuendigungsgrund else ""
        ) + f"Ausscheiden des Mitglieds zum {datum:%d.%m.%Y}"
        _mit_historie(vertrag, user).save(
            update_fields=["ende", "gekuendigt_am", "gekuendigt_durch", "kuendigungsgrund"]
        )
        beendet.append(vertrag)
    for abruf in Leistungsabruf.objects.select_for_update().filter(
        mitglied=mitglied, status=AbrufStatus.ANGEFRAGT
    ):
        abruf.status = AbrufStatus.ABGELEHNT
        abruf.begruendung = f"Ausscheiden des Mitglieds zum {datum:%d.%m.%Y}"
        abruf.entschieden_am = timezone.now()
        _mit_historie(abruf, user).save(update_fields=["status", "begruendung", "entschieden_am"])
    return beendet
