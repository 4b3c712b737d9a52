"""What vertraege shows on pages of lower apps (DESIGN: the higher app provides it, so the
dependency still points down): the contract overview on a member page, and which services
the viewing member already uses in the catalog."""

from django import template
from django.utils import timezone

from mitglieder import rollen
from vertraege import selectors
from vertraege.models import VertragStatus

register = template.Library()


@register.inclusion_tag("vertraege/_uebersicht.html", takes_context=True)
def vertraege_uebersicht(context, mitglied):
    heute = timezone.localdate()
    user = context["request"].user
    vertraege = list(
        selectors.list_vertraege(user=user).filter(mitglied=mitglied).order_by("-beginn")
    )
    for vertrag in vertraege:
        vertrag.status_heute = VertragStatus(vertrag.status_am(heute))
        vertrag.menge_heute = vertrag.menge_am(heute)
    anfragen = selectors.list_leistungsabrufe(user=user).filter(
        mitglied=mitglied, status="angefragt"
    )
    return {"vertraege": vertraege, "anfragen": list(anfragen), "mitglied": mitglied}


@register.simple_tag(takes_context=True)
def genutzte_leistungen(context) -> set[int]:
    """Ids of the services the logged-in Kommune user's member has a running contract for
    (one query per page, none for anyone else)."""
    request = context.get("request")
    if request is None or not rollen.ist_kommune(request.user):
        return set()
    ids = list(rollen.mitglieder_fuer(request.user).values_list("id", flat=True))
    return selectors.laufende_leistungen(mitglied_ids=ids, tag=timezone.localdate())


@register.filter
def cent(betrag) -> str:
    """Integer cents → '1.234,56 €'."""
    if betrag is None or betrag == "":
        return ""
    from decimal import Decimal

    from vertraege.umlage.erklaerung import zahl

    return zahl(Decimal(int(betrag)) / 100, 2) + " €"
