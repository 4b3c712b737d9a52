"""E-mails on each step of a request and a contract (console backend in development).

Recipients: the office (KIV_GESCHAEFTSSTELLE_EMAIL) and the requesting user; on a
termination also the member's contacts. Mails are sent after the transaction commits, so
a rolled-back step sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def _zahl(wert) -> str:
    """Decimal('40.00') → '40', Decimal('2.50') → '2,5'."""
    return format(wert.normalize(), "f").replace(".", ",")


def _senden(betreff: str, text: str, empfaenger: list[str]) -> None:
    empfaenger = sorted({e for e in empfaenger if e})
    if not empfaenger:
        return
    transaction.on_commit(
        lambda: send_mail(f"[KIV] {betreff}", text, settings.DEFAULT_FROM_EMAIL, empfaenger)
    )


def _buero() -> list[str]:
    return [settings.KIV_GESCHAEFTSSTELLE_EMAIL]


def anfrage_eingegangen(abruf) -> None:
    text = (
        f"{abruf.mitglied.name} fragt „{abruf.leistung.name}“ an.\n"
        f"Menge: {_zahl(abruf.menge)}, gewünschter Beginn: {abruf.gewuenschter_beginn:%d.%m.%Y}\n"
        f"Bemerkung: {abruf.bemerkung or '–'}\n"
    )
    _senden(f"Neue Anfrage: {abruf.leistung.name}", text, _buero())
    if abruf.angefragt_von is not None:
        _senden(
            f"Ihre Anfrage: {abruf.leistung.name}",
            "Ihre Anfrage ist bei der Geschäftsstelle eingegangen.\n\n" + text,
            [abruf.angefragt_von.email],
        )


def anfrage_angenommen(abruf, vertrag) -> None:
    text = (
        f"Ihre Anfrage für „{abruf.leistung.name}“ wurde angenommen.\n"
        f"Vertrag {vertrag.vertragsnummer}, Beginn {vertrag.beginn:%d.%m.%Y}, "
        f"Menge {_zahl(abruf.menge)}.\n"
    )
    _senden(
        f"Anfrage angenommen: {abruf.leistung.name}",
        text,
        [abruf.angefragt_von.email if abruf.angefragt_von else "", *_buero()],
    )


def anfrage_abgelehnt(abruf) -> None:
    text = (
        f"Ihre Anfrage für „{abruf.leistung.name}“ wurde abgelehnt.\n"
        f"Begründung: {abruf.begruendung}\n"
    )
    _senden(
        f"Anfrage abgelehnt: {abruf.leistung.name}",
        text,
        [abruf.angefragt_von.email if abruf.angefragt_von else "", *_buero()],
    )


def vertrag_gekuendigt(vertrag) -> None:
    text = (
        f"Der Vertrag {vertrag.vertragsnummer} („{vertrag.leistung.name}“, "
        f"{vertrag.mitglied.name}) "
        f"wurde am {vertrag.gekuendigt_am:%d.%m.%Y} zum {vertrag.ende:%d.%m.%Y} gekündigt "
        f"({vertrag.get_gekuendigt_durch_display()}).\n"
    )
    kontakte = list(vertrag.mitglied.ansprechpartner.values_list("email", flat=True))
    _senden(f"Kündigung {vertrag.vertragsnummer}", text, [*kontakte, *_buero()])
