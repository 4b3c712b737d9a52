"""Charts as SVG images: no JavaScript, a title and description for screen readers, and
always a table with the same numbers next to them on the page. Lives in the lowest app so
that every app can draw with it (allocation results, survey results)."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape


def zahl(wert, stellen: int = 0) -> str:
    """German number format: 1234567.891 → '1.234.567,89' (with stellen=2)."""
    text = f"{Decimal(wert):,.{stellen}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


FARBE = "#00457d"


def balken(
    titel: str, beschreibung: str, werte: list[tuple[str, float]], einheit: str = "€"
) -> str:
    """Horizontal bars, labelled, scaled to the largest value."""
    zeilen = max(len(werte), 1)
    hoehe = 40 + zeilen * 26
    breite, links, rechts = 760, 250, 110
    maximum = max((w for _, w in werte), default=0) or 1
    teile = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{breite}" height="{hoehe}" '
        f'viewBox="0 0 {breite} {hoehe}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(titel)}</title><desc id="d">{escape(beschreibung)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="10" y="22" font-family="sans-serif" font-size="15" font-weight="bold" '
        f'fill="#1a1a1a">{escape(titel)}</text>',
    ]
    for i, (name, wert) in enumerate(werte):
        y = 36 + i * 26
        laenge = max(1.0, (breite - links - rechts) * wert / maximum)
        kurz = name if len(name) <= 34 else name[:33] + "…"
        teile.append(
            f'<text x="{links - 8}" y="{y + 15}" text-anchor="end" font-family="sans-serif" '
            f'font-size="12" fill="#1a1a1a">{escape(kurz)}</text>'
            f'<rect x="{links}" y="{y + 3}" width="{laenge:.1f}" height="16" fill="{FARBE}"/>'
            f'<text x="{links + laenge + 6:.1f}" y="{y + 15}" font-family="sans-serif" '
            f'font-size="12" fill="#1a1a1a">{escape(zahl(wert, 2))} {escape(einheit)}</text>'
        )
    teile.append("</svg>")
    return "".join(teile)


def verteilung(titel: str, betraege_cent: list[int], klassen: int = 10) -> str:
    """How many members fall into each amount class (a histogram as bars)."""
    if not betraege_cent:
        return balken(titel, "Keine Positionen.", [])
    groesster = max(betraege_cent) or 1
    schritt = max(1, -(-groesster // klassen))
    zaehler = [0] * klassen
    for b in betraege_cent:
        zaehler[min(klassen - 1, b // schritt)] += 1
    werte = [
        (f"{zahl(i * schritt / 100, 0)} – {zahl((i + 1) * schritt / 100, 0)} €", float(n))
        for i, n in enumerate(zaehler)
    ]
    return balken(
        titel,
        f"Anzahl der Mitglieder je Betragsklasse, {len(betraege_cent)} Mitglieder.",
        werte,
        einheit="Mitglieder",
    )
