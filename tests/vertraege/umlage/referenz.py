"""A plain reference implementation of the allocation: per member, exact fractions, no
pandas, no NumPy. The engine must agree with it to the cent on any input."""

from __future__ import annotations

import math
from fractions import Fraction


def anteile(pool: dict, teilnehmer: list[dict]) -> dict[int, Fraction]:
    """Each participant's exact share of the pool (the shares add up to 1)."""
    pro_rata = pool.get("pro_rata", True)

    def basis(t: dict, schluessel: str) -> int:
        wert = 1 if schluessel == "gleich" else t[schluessel]
        if pro_rata and schluessel != "menge":
            wert *= t["tage"]
        return wert

    def einfach(schluessel: str) -> dict[int, Fraction]:
        summe = sum(basis(t, schluessel) for t in teilnehmer)
        return {t["mitglied_id"]: Fraction(basis(t, schluessel), summe) for t in teilnehmer}

    art = pool["schluessel"]
    if art in {"einwohner", "anteile", "menge", "gleich"}:
        return einfach(art)
    if art == "sockel_einwohner":
        betrag, n = pool["betrag_cent"], len(teilnehmer)
        if betrag == 0:
            return einfach("einwohner")
        sockel_gesamt = Fraction(n * pool["sockel_cent"], betrag)
        gleich, einwohner = einfach("gleich"), einfach("einwohner")
        return {m: sockel_gesamt * gleich[m] + (1 - sockel_gesamt) * einwohner[m] for m in gleich}
    if art == "mix":
        gesamt = sum(pool["mix"].values())
        teile = {k: einfach(k) for k, p in pool["mix"].items() if p}
        return {
            t["mitglied_id"]: sum(
                Fraction(pool["mix"][k], gesamt) * teile[k][t["mitglied_id"]] for k in teile
            )
            for t in teilnehmer
        }
    raise ValueError(art)


def verteile(pool: dict, teilnehmer: list[dict]) -> dict[int, int]:
    """Amounts in cents. With a floor f and cap c each member gets clamp(λ·share, f, c) for
    the one λ that makes the amounts add up (between two breakpoints f/share and c/share,
    found by bisection); members at a limit get it exactly, the others are rounded by largest
    remainder with ties broken by the ordering key."""
    betrag = pool["betrag_cent"]
    f = pool.get("mindest_cent") or 0
    c = pool.get("hoechst_cent")
    anteil = anteile(pool, teilnehmer)
    ordnung = {t["mitglied_id"]: t["ordnung"] for t in teilnehmer}

    def begrenzt(wert: Fraction) -> Fraction:
        wert = max(wert, Fraction(f))
        return min(wert, Fraction(c)) if c is not None else wert

    if pool.get("mindest_cent") is None and c is None:
        quote = {m: betrag * a for m, a in anteil.items()}
        fest: dict[int, int] = {}
    else:
        knicke = sorted(
            {Fraction(f) / a for a in anteil.values() if a}
            | ({Fraction(c) / a for a in anteil.values() if a} if c is not None else set())
        )

        def summe(lam: Fraction) -> Fraction:
            return sum(begrenzt(lam * a) for a in anteil.values())

        # S(λ) never decreases: bisection over the sorted breakpoints
        links, rechts = Fraction(0), None
        lo, hi = 0, len(knicke) - 1
        while lo <= hi:
            mitte = (lo + hi) // 2
            if summe(knicke[mitte]) <= betrag:
                links, lo = knicke[mitte], mitte + 1
            else:
                rechts, hi = knicke[mitte], mitte - 1
        fest = {}
        for m, a in anteil.items():
            if a == 0 or (rechts is not None and rechts * a <= f):
                fest[m] = f
            elif c is not None and links * a >= c:
                fest[m] = c
        rest = betrag - sum(fest.values())
        frei = {m: a for m, a in anteil.items() if m not in fest}
        summe = sum(frei.values())
        quote = {m: rest * a / summe for m, a in frei.items()} if frei else {}
    ergebnis = {m: math.floor(q) for m, q in quote.items()}
    fehlend = betrag - sum(fest.values()) - sum(ergebnis.values())
    reihenfolge = sorted(quote, key=lambda m: (-(quote[m] - math.floor(quote[m])), ordnung[m]))
    for m in reihenfolge[:fehlend]:
        ergebnis[m] += 1
    return {**ergebnis, **fest}
