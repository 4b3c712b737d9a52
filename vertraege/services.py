"""Writes with rules for orders (and later contracts and allocations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leistungen.models import Leistung, Leistungsstatus, Zielgruppe
from mitglieder.models import Mitglied, MitgliedStatus
from vertraege.models import AbrufStatus, Leistungsabruf

# Who may order a service that is for members only: members from accession until exit.
# Services for every municipality may be requested by any municipality known to the office.
BESTELLBERECHTIGT = {MitgliedStatus.AKTIV, MitgliedStatus.AUSTRITT_ERKLAERT}


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
    if mitglied.status == MitgliedStatus.AUSGESCHIEDEN:
        raise ValidationError(
            f"{mitglied.name} ist aus der Genossenschaft ausgeschieden und kann keine Leistungen "
            "anfragen."
        )
    if leistung.zielgruppe == Zielgruppe.MITGLIEDER and mitglied.status not in BESTELLBERECHTIGT:
        raise ValidationError(
            f"„{leistung.name}“ steht nur Mitgliedern offen; {mitglied.name} hat den Status "
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
    return abruf
