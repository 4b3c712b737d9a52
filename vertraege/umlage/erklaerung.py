"""Every amount in words: which key, the member's base value, the total, the share."""

from __future__ import annotations

from decimal import Decimal

from mitglieder.diagramme import zahl


def prozent(anteil) -> str:
    return zahl(Decimal(anteil) * 100, 4) + " %"


SCHLUESSEL_TEXT = {
    "einwohner": ("Einwohner", "Einwohner-Tagen"),
    "anteile": ("€ Geschäftsanteile", "Anteils-Euro-Tagen"),
    "gleich": ("Teilnehmer", "Mitgliedstagen"),
}


MISCHUNG_TEXT = {
    "einwohner": "Einwohner",
    "anteile": "Anteile",
    "menge": "Menge",
    "gleich": "gleiche Teile",
}


def erklaere(position, pool, summen: dict) -> str:
    """`summen`: per pool the sums of einwohner, anteile, tage and of the day products
    (see selectors.pool_summen)."""
    definition = pool.definition or {}
    pro_rata = definition.get("pro_rata", True)
    art = pool.schluessel
    anteil = prozent(position.anteil)
    if art in ("einwohner", "anteile"):
        einheit, tageseinheit = SCHLUESSEL_TEXT[art]
        wert = getattr(position, art)
        if pro_rata:
            text = (
                f"{zahl(wert)} {einheit} × {position.tage} Tage von {zahl(summen[art + '_tage'])} "
                f"{tageseinheit} = {anteil}"
            )
        else:
            text = f"{zahl(wert)} {einheit} von {zahl(summen[art])} = {anteil}"
    elif art == "gleich":
        text = (
            f"{position.tage} Tage von {zahl(summen['tage'])} Mitgliedstagen = {anteil}"
            if pro_rata
            else f"ein gleicher Teil von {summen['anzahl']} = {anteil}"
        )
    elif art == "menge":
        text = (
            f"{zahl(Decimal(position.menge) / 100, 2)} Mengen-Tage (Menge × Tage) von "
            f"{zahl(Decimal(summen['menge']) / 100, 2)} = {anteil}"
        )
    elif art == "sockel_einwohner":
        sockel = Decimal(definition.get("sockel_cent", 0)) / 100
        text = (
            f"Sockel von {zahl(sockel, 2)} € je Mitglied, der Rest nach {zahl(position.einwohner)} "
            f"Einwohnern; zusammen {anteil}"
        )
    else:
        mischung = definition.get("mischung", {})
        gesamt = sum(mischung.values()) or 1
        teile = " + ".join(
            f"{zahl(Decimal(p) * 100 / gesamt, 0)} % {MISCHUNG_TEXT[k]}"
            for k, p in sorted(mischung.items())
        )
        text = f"Mischung aus {teile}; zusammen {anteil}"
    if position.begrenzung == 1:
        text += " – auf den Mindestbetrag angehoben"
    elif position.begrenzung == 2:
        text += " – auf den Höchstbetrag begrenzt"
    return text
