"""The allocation engine: pure pandas/NumPy, no Django (a test fails if it imports any).

Every key is turned into one integer weight per participant, so that each participant's
exact share is weight / sum of weights:

- Einwohner, Anteile, Menge, Gleich: the base value (× days, when pro rata by days);
- Sockel + Einwohner: w_i = s·P + (A − n·s)·e_i with the base s per member, pool amount A,
  n participants, population e_i and P = Σe (the weights then sum to A·P);
- a weighted mix of keys: w_i = Σ_k p_k · w_ik · Π_{j≠k} W_j (a common denominator).

A pool is then allocated in integer cents: members whose exact amount would fall below the
floor or above the cap are fixed there and the rest is redistributed among the others,
until nothing is violated; the remaining amount is rounded by largest remainder, ties
broken by the ordering key (the ARS), so the lines add up exactly to the pool and the
result does not depend on the order of the input rows.

Weights can exceed int64 (a population times days times a pool in cents); the arithmetic
uses Python integers in object arrays where that can happen and int64 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

SCHLUESSEL = ("einwohner", "anteile", "menge", "gleich", "sockel_einwohner", "mix")
EINFACHE_SCHLUESSEL = ("einwohner", "anteile", "menge", "gleich")
_INT64_GRENZE = 2**62


class UmlageFehler(ValueError):
    """An allocation that cannot be computed; the message is German and names the pool."""


@dataclass(frozen=True)
class Pool:
    pool_id: int
    name: str
    betrag_cent: int
    schluessel: str
    pro_rata: bool = True
    sockel_cent: int = 0
    mix: dict[str, int] = field(default_factory=dict)  # key -> weight (e.g. percent)
    mindest_cent: int | None = None
    hoechst_cent: int | None = None


def _produkt(a: np.ndarray, b) -> np.ndarray:
    """Exact elementwise product of two integer arrays (or array and int)."""
    if isinstance(b, np.ndarray):
        if (
            a.dtype != object
            and b.dtype != object
            and len(a)
            and len(a) * int(np.abs(a).max()) * int(np.abs(b).max()) < _INT64_GRENZE
        ):
            return a * b
        return a.astype(object) * b.astype(object)
    return _mal(a, int(b))


def gewichte(pool: Pool, teilnehmer) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Integer weights of the participants for the pool's key, and the raw base values
    per component key (for the explanation of each line)."""
    anzahl = len(teilnehmer["tage"])
    tage = np.asarray(teilnehmer["tage"], dtype=np.int64) if pool.pro_rata else None

    def basis(schluessel: str) -> np.ndarray:
        if schluessel == "gleich":
            werte = np.ones(anzahl, dtype=np.int64)
        else:
            werte = np.asarray(teilnehmer[schluessel], dtype=np.int64)
        return werte

    def gewicht(schluessel: str) -> np.ndarray:
        werte = basis(schluessel)
        # Menge is day-weighted at its source already (quantity × days of contract).
        if tage is not None and schluessel != "menge":
            return _produkt(werte, tage)
        return werte

    if pool.schluessel in EINFACHE_SCHLUESSEL:
        return gewicht(pool.schluessel), {pool.schluessel: basis(pool.schluessel)}
    if pool.schluessel == "sockel_einwohner":
        # n·s is shared like "Gleich" (by days when pro rata: a full year pays exactly s),
        # the rest A − n·s by population: w_i = n·s·g_i·E + (A − n·s)·e_i·G.
        einwohner = gewicht("einwohner")
        gleich = gewicht("gleich")
        n = anzahl
        summe_e, summe_g = int(einwohner.sum()), int(gleich.sum())
        rest = pool.betrag_cent - n * pool.sockel_cent
        if rest < 0:
            raise UmlageFehler(
                f"Pool „{pool.name}“: Der Sockel von {n} × {pool.sockel_cent / 100:.2f} € "
                f"übersteigt den Betrag von {pool.betrag_cent / 100:.2f} €."
            )
        if summe_e == 0:
            raise UmlageFehler(f"Pool „{pool.name}“: Die Teilnehmer haben zusammen 0 Einwohner.")
        w = _ganzzahlig(
            np.asarray(_produkt(gleich, n * pool.sockel_cent * summe_e), dtype=object)
            + np.asarray(_produkt(einwohner, rest * summe_g), dtype=object)
        )
        return w, {"einwohner": basis("einwohner"), "sockel": np.full(n, pool.sockel_cent)}
    if pool.schluessel == "mix":
        if (
            not pool.mix
            or any(k not in EINFACHE_SCHLUESSEL for k in pool.mix)
            or any(p < 0 for p in pool.mix.values())
            or sum(pool.mix.values()) <= 0
        ):
            raise UmlageFehler(
                f"Pool „{pool.name}“: Die Mischung muss Schlüssel aus "
                f"{', '.join(EINFACHE_SCHLUESSEL)} mit nicht negativen Anteilen > 0 nennen."
            )
        teile = {k: gewicht(k) for k, p in sorted(pool.mix.items()) if p}
        summen = {k: int(w.sum()) for k, w in teile.items()}
        if any(s == 0 for s in summen.values()):
            leer = [k for k, s in summen.items() if s == 0]
            raise UmlageFehler(f"Pool „{pool.name}“: Schlüssel {', '.join(leer)} hat die Summe 0.")
        w = np.zeros(anzahl, dtype=object)
        for k, wk in teile.items():
            faktor = pool.mix[k]
            for j, s in summen.items():
                if j != k:
                    faktor *= s
            w = w + wk.astype(object) * faktor
        return w, {k: basis(k) for k in teile}
    raise UmlageFehler(f"Pool „{pool.name}“: unbekannter Schlüssel „{pool.schluessel}“.")


def _ganzzahlig(werte: np.ndarray) -> np.ndarray:
    """int64 if even the sum of all values fits, else Python ints (object)."""
    if werte.dtype != object:
        if len(werte) and len(werte) * int(np.abs(werte).max()) >= _INT64_GRENZE:
            return werte.astype(object)
        return werte
    if (
        len(werte) == 0
        or len(werte) * max(abs(int(werte.max())), abs(int(werte.min()))) < _INT64_GRENZE
    ):
        return werte.astype(np.int64)
    return werte


def _mal(werte: np.ndarray, faktor: int) -> np.ndarray:
    """Exact product with an integer, in int64 when it cannot overflow."""
    if (
        werte.dtype != object
        and len(werte)
        and int(np.abs(werte).max()) * abs(faktor) < _INT64_GRENZE
    ):
        return werte * faktor
    return werte.astype(object) * faktor


def verteilen(
    betrag: int,
    gewichte_: np.ndarray,
    *,
    mindest: int | None = None,
    hoechst: int | None = None,
    name: str = "",
) -> tuple[np.ndarray, np.ndarray]:
    """Allocate `betrag` cents by integer weights, given in the order of the tie-break key
    (the ARS). Returns the amounts (int64) and a flag per participant: 0 by key, 1 raised
    to the floor, 2 cut to the cap."""
    n = len(gewichte_)
    if n == 0:
        if betrag:
            raise UmlageFehler(f"Pool „{name}“ hat keine Teilnehmer.")
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    if mindest is not None and mindest * n > betrag:
        raise UmlageFehler(
            f"Pool „{name}“: {n} Teilnehmer × Mindestbetrag {mindest / 100:.2f} € übersteigen "
            f"den Betrag von {betrag / 100:.2f} €."
        )
    if hoechst is not None and hoechst * n < betrag:
        raise UmlageFehler(
            f"Pool „{name}“: {n} Teilnehmer × Höchstbetrag {hoechst / 100:.2f} € decken den "
            f"Betrag von {betrag / 100:.2f} € nicht."
        )
    w = _ganzzahlig(np.asarray(gewichte_))
    if mindest is None and hoechst is None:
        if int(w.sum()) == 0:
            if betrag:
                raise UmlageFehler(f"Pool „{name}“: Die Teilnehmer haben zusammen den Basiswert 0.")
            return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int8)
        return _groesster_rest(betrag, w), np.zeros(n, dtype=np.int8)
    return _begrenzt(betrag, w, mindest or 0, hoechst, name)


def _groesster_rest(betrag: int, w: np.ndarray) -> np.ndarray:
    """betrag × w_i / Σw rounded down, the missing cents to the largest remainders; among
    equal remainders the earlier member (ARS order) first."""
    summe = int(w.sum())
    if w.dtype != object and int(np.abs(w).sum()) * max(betrag, 1) < _INT64_GRENZE:
        zaehler = w * betrag
        ganz = zaehler // summe
        reste = zaehler - ganz * summe
    else:
        zaehler = w.astype(object) * betrag
        ganz_o = zaehler // summe
        reste = zaehler - ganz_o * summe
        ganz = ganz_o.astype(np.int64)
    fehlend = betrag - int(ganz.sum())
    if fehlend:
        ganz[_oberste(reste, summe, fehlend)] += 1
    return ganz


def _oberste(reste: np.ndarray, summe: int, anzahl: int) -> np.ndarray:
    """Indices of the `anzahl` largest remainders; among equal ones the earlier (ARS order).

    Remainders beyond int64 are ranked by their float value – conversion is monotonic, so
    only equal floats can hide an order, and only the group of equal floats at the cut-off
    decides who is in: that group alone is ordered with exact integers.
    """
    if reste.dtype != object:
        return np.argsort(-reste, kind="stable")[:anzahl]
    if summe < _INT64_GRENZE:
        return np.argsort(-reste.astype(np.int64), kind="stable")[:anzahl]
    # float conversion is monotonic (non-strictly): equal floats are the only doubt
    naeherung = reste.astype(np.float64)
    reihenfolge = np.argsort(-naeherung, kind="stable")
    if (
        anzahl >= len(reihenfolge)
        or naeherung[reihenfolge[anzahl - 1]] != naeherung[reihenfolge[anzahl]]
    ):
        return reihenfolge[:anzahl]
    grenze = naeherung[reihenfolge[anzahl - 1]]
    sicher = reihenfolge[naeherung[reihenfolge] > grenze]
    gruppe = sorted(np.flatnonzero(naeherung == grenze).tolist(), key=lambda i: (-reste[i], i))
    return np.concatenate([sicher, np.array(gruppe[: anzahl - len(sicher)], dtype=np.int64)])


def _begrenzt(
    betrag: int, w: np.ndarray, mindest: int, hoechst: int | None, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Floor and cap: amount_i = clamp(λ·w_i, mindest, hoechst) with one common λ such that
    the amounts add up to the pool ("water-filling"); members held at a limit get it
    exactly, the others share the rest by largest remainder.

    λ is located by bisection in floating point (vectorised), the resulting split into
    floor / cap / proportional members is then verified in exact integer arithmetic; only
    if that fails (ties within rounding) the exact search among the breakpoints is used.
    """
    n = len(w)
    positiv = w > 0
    null = int(n - positiv.sum())
    if hoechst is not None and betrag > null * mindest + int(positiv.sum()) * hoechst:
        obergrenze = null * mindest + int(positiv.sum()) * hoechst
        raise UmlageFehler(
            f"Pool „{name}“: Mit den Höchstbeträgen lassen sich höchstens "
            f"{obergrenze / 100:.2f} € von {betrag / 100:.2f} € verteilen."
        )
    if not positiv.any() and betrag != null * mindest:
        raise UmlageFehler(f"Pool „{name}“: Die Teilnehmer haben zusammen den Basiswert 0.")
    gruppen = _gruppen_schnell(betrag, w, mindest, hoechst)
    if gruppen is None or not _gruppen_gueltig(betrag, w, mindest, hoechst, *gruppen):
        gruppen = _gruppen_exakt(betrag, w, mindest, hoechst)
    unten, oben = gruppen
    betraege = np.zeros(n, dtype=np.int64)
    flag = np.zeros(n, dtype=np.int8)
    betraege[unten] = mindest
    flag[unten] = 1 if mindest else 0
    if hoechst is not None:
        betraege[oben] = hoechst
        flag[oben] = 2
    mitte = ~(unten | oben)
    rest = betrag - mindest * int(unten.sum()) - (hoechst or 0) * int(oben.sum())
    if mitte.any():
        betraege[mitte] = _groesster_rest(rest, w[mitte])
    elif rest:
        raise UmlageFehler(f"Pool „{name}“: Nach Mindest- und Höchstbeträgen bleibt ein Rest.")
    return betraege, flag


def _gruppen_schnell(betrag, w, mindest, hoechst):
    """Floor and cap members for the λ found by float bisection (may be off at ties)."""
    wf = w.astype(np.float64)
    obere = np.inf if hoechst is None else float(hoechst)

    def summe(lam: float) -> float:
        return float(np.clip(lam * wf, mindest, obere).sum())

    links, rechts = 0.0, 1.0
    while summe(rechts) < betrag:
        rechts *= 2
        if rechts > 1e300:
            return None
    for _ in range(200):
        mitte = (links + rechts) / 2
        if mitte in (links, rechts):
            break
        if summe(mitte) < betrag:
            links = mitte
        else:
            rechts = mitte
    lam = rechts
    unten = (w == 0) | (lam * wf <= mindest)
    oben = np.zeros(len(w), dtype=bool) if hoechst is None else (lam * wf >= obere) & ~unten
    return unten, oben


def _gruppen_gueltig(betrag, w, mindest, hoechst, unten, oben) -> bool:
    """Exact check: with λ = rest / Σw of the proportional members, every floor member has
    λ·w ≤ mindest, every cap member λ·w ≥ hoechst, every other one lies in between."""
    mitte = ~(unten | oben)
    rest = betrag - mindest * int(unten.sum()) - (hoechst or 0) * int(oben.sum())
    summe = int(w[mitte].sum())
    wo = w.astype(object)
    if summe == 0:
        return rest == 0 and not mitte.any()
    if rest < 0:
        return False
    zaehler = wo * rest  # λ·w_i · summe
    if unten.any() and not bool(np.all(zaehler[unten] <= mindest * summe)):
        return False
    if hoechst is not None and oben.any() and not bool(np.all(zaehler[oben] >= hoechst * summe)):
        return False
    innen = zaehler[mitte]
    if not bool(np.all(innen >= mindest * summe)):
        return False
    return hoechst is None or bool(np.all(innen <= hoechst * summe))


def _gruppen_exakt(betrag, w, mindest, hoechst):
    """The same split, found exactly among the breakpoints mindest/w_i and hoechst/w_i."""
    gewichte_ = [int(x) for x in w]
    positiv = [x for x in gewichte_ if x > 0]
    null = len(gewichte_) - len(positiv)

    def summe_bei(lam: Fraction) -> Fraction:
        gesamt = Fraction(null * mindest)
        for x in positiv:
            wert = lam * x
            if wert < mindest:
                gesamt += mindest
            elif hoechst is not None and wert > hoechst:
                gesamt += hoechst
            else:
                gesamt += wert
        return gesamt

    knicke = sorted(
        {Fraction(mindest, x) for x in positiv}
        | ({Fraction(hoechst, x) for x in positiv} if hoechst is not None else set())
    )
    links, rechts = Fraction(0), None
    lo, hi = 0, len(knicke) - 1
    while lo <= hi:
        mitte = (lo + hi) // 2
        if summe_bei(knicke[mitte]) <= betrag:
            links, lo = knicke[mitte], mitte + 1
        else:
            rechts, hi = knicke[mitte], mitte - 1
    unten = np.array([x == 0 or (rechts is not None and rechts * x <= mindest) for x in gewichte_])
    oben = np.array(
        [
            hoechst is not None and not u and links * x >= hoechst
            for x, u in zip(gewichte_, unten, strict=True)
        ]
    )
    return unten, oben


def berechne(pools: list[Pool], teilnehmer: pd.DataFrame) -> pd.DataFrame:
    """Allocate every pool to its participants.

    `teilnehmer` has one row per pool and participant: pool_id, mitglied_id, ordnung (the
    ARS or another stable text key), tage (days of membership/contract in the year, for pro
    rata), einwohner, anteile (€), menge (quantity × 100 × days, already day-weighted).
    `ordnung` may be integers (faster) or text.
    Returns one line per pool and participant: the key, the member's base value and the
    pool's base sum, its share (float, for display; amounts are exact), and the amount in
    cents; `begrenzung` 1/2 where the floor/cap applied.
    """
    fehlende = {"pool_id", "mitglied_id", "ordnung", "tage", "einwohner", "anteile", "menge"} - set(
        teilnehmer.columns
    )
    if fehlende:
        raise UmlageFehler(f"Eingabe unvollständig, es fehlen die Spalten {sorted(fehlende)}.")
    # One sort of everything by (pool, ARS): each pool is then a contiguous slice in ARS
    # order, which is the tie-break order of the rounding.
    ordnung = teilnehmer["ordnung"]
    # The loader passes the ARS as an integer; text keys are ranked first.
    rang = (
        ordnung.to_numpy(dtype=np.int64)
        if pd.api.types.is_integer_dtype(ordnung)
        else pd.factorize(ordnung, sort=True)[0]
    )
    pool_ids = teilnehmer["pool_id"].to_numpy()
    # ties of the ordering key (should not occur) fall back to the member id
    reihenfolge = np.lexsort((teilnehmer["mitglied_id"].to_numpy(), rang, pool_ids))
    spalten = {
        k: teilnehmer[k].to_numpy()[reihenfolge]
        for k in ("pool_id", "mitglied_id", "tage", "einwohner", "anteile", "menge")
    }
    ids, anfaenge, anzahlen = np.unique(spalten["pool_id"], return_index=True, return_counts=True)
    bereiche = {
        pid: (int(a), int(a + z)) for pid, a, z in zip(ids, anfaenge, anzahlen, strict=True)
    }

    gesamt = len(reihenfolge)
    betraege = np.zeros(gesamt, dtype=np.int64)
    begrenzung = np.zeros(gesamt, dtype=np.int8)
    basiswert = np.zeros(gesamt, dtype=np.int64)
    anteil_ = np.zeros(gesamt, dtype=np.float64)
    schluessel_code = np.zeros(gesamt, dtype=np.int8)
    basissumme = np.zeros(gesamt, dtype=np.int64)
    benutzt = np.zeros(gesamt, dtype=bool)
    for pool in pools:
        von, bis = bereiche.get(pool.pool_id, (0, 0))
        teil = {k: v[von:bis] for k, v in spalten.items()}
        w, basen = gewichte(pool, teil)
        b, f = verteilen(
            pool.betrag_cent,
            w,
            mindest=pool.mindest_cent,
            hoechst=pool.hoechst_cent,
            name=pool.name,
        )
        haupt = pool.schluessel if pool.schluessel in basen else next(iter(basen))
        betraege[von:bis], begrenzung[von:bis] = b, f
        basiswert[von:bis] = basen[haupt]
        summe_w = int(w.sum()) if bis > von else 0
        anteil_[von:bis] = np.asarray(w, dtype=np.float64) / float(summe_w) if summe_w else 0.0
        schluessel_code[von:bis] = SCHLUESSEL.index(pool.schluessel)
        basissumme[von:bis] = int(basen[haupt].sum()) if bis > von else 0
        benutzt[von:bis] = True
    ohne_pool = sorted({int(p) for p in spalten["pool_id"][~benutzt]})
    if ohne_pool:
        raise UmlageFehler(f"Teilnehmer ohne Pool-Definition: Pool {ohne_pool}.")
    return pd.DataFrame(
        {
            "pool_id": spalten["pool_id"],
            "mitglied_id": spalten["mitglied_id"],
            "schluessel": pd.Categorical.from_codes(schluessel_code, categories=list(SCHLUESSEL)),
            "basiswert": basiswert,
            "basissumme": basissumme,
            "anteil": anteil_,
            "betrag_cent": betraege,
            "begrenzung": begrenzung,
            # the inputs in the same order, so callers need no join to explain a line
            "tage": spalten["tage"],
            "einwohner": spalten["einwohner"],
            "anteile": spalten["anteile"],
            "menge": spalten["menge"],
        }
    )
