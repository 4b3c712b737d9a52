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


def gewichte(pool: Pool, teilnehmer: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Integer weights of the participants for the pool's key, and the raw base values
    per component key (for the explanation of each line)."""
    tage = teilnehmer["tage"].to_numpy(dtype=np.int64) if pool.pro_rata else None

    def basis(schluessel: str) -> np.ndarray:
        if schluessel == "gleich":
            werte = np.ones(len(teilnehmer), dtype=np.int64)
        else:
            werte = teilnehmer[schluessel].to_numpy(dtype=np.int64)
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
        n = len(teilnehmer)
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
        w = np.zeros(len(teilnehmer), dtype=object)
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
    """betrag × w_i / Σw rounded down, the missing cents to the largest remainders; the
    stable sort keeps the input (ARS) order among equal remainders."""
    summe = int(w.sum())
    zaehler = _mal(w, betrag)
    ganz = zaehler // summe
    reste = zaehler - ganz * summe
    ganz = ganz.astype(np.int64)
    fehlend = betrag - int(ganz.sum())
    if fehlend:
        ganz[np.argsort(-reste, kind="stable")[:fehlend]] += 1
    return ganz


def _begrenzt(
    betrag: int, w: np.ndarray, mindest: int, hoechst: int | None, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Floor and cap: amount_i = clamp(λ·w_i, mindest, hoechst) with one common λ such that
    the amounts add up to the pool ("water-filling"); members held at a limit get it
    exactly, the others share the rest by largest remainder. λ is found exactly among the
    breakpoints mindest/w_i and hoechst/w_i, where the total S(λ) changes slope."""
    n = len(w)
    gewichte_ = [int(x) for x in w]
    positiv = [x for x in gewichte_ if x > 0]
    null = n - len(positiv)
    obergrenze = null * mindest + len(positiv) * (hoechst or 0)
    if hoechst is not None and betrag > obergrenze:
        raise UmlageFehler(
            f"Pool „{name}“: Mit den Höchstbeträgen lassen sich höchstens "
            f"{obergrenze / 100:.2f} € von {betrag / 100:.2f} € verteilen."
        )
    if not positiv and betrag != null * mindest:
        raise UmlageFehler(f"Pool „{name}“: Die Teilnehmer haben zusammen den Basiswert 0.")

    def summe_bei(lam: Fraction) -> Fraction:
        gesamt = Fraction(null * mindest)
        for x in positiv:
            wert = lam * x
            gesamt += (
                mindest
                if wert < mindest
                else (hoechst if hoechst is not None and wert > hoechst else wert)
            )
        return gesamt

    knicke = sorted(
        {Fraction(mindest, x) for x in positiv}
        | ({Fraction(hoechst, x) for x in positiv} if hoechst is not None else set())
    )
    # The segment [links, rechts] of λ in which S reaches the pool amount.
    links, rechts = Fraction(0), None
    lo, hi = 0, len(knicke) - 1
    while lo <= hi:
        mitte = (lo + hi) // 2
        if summe_bei(knicke[mitte]) <= betrag:
            links, lo = knicke[mitte], mitte + 1
        else:
            rechts, hi = knicke[mitte], mitte - 1
    # Members held at a limit anywhere inside the segment; the others are proportional.
    betraege = np.zeros(n, dtype=np.int64)
    flag = np.zeros(n, dtype=np.int8)
    mitte_idx = []
    fest = 0
    for i, x in enumerate(gewichte_):
        if x == 0 or (rechts is not None and rechts * x <= mindest):
            betraege[i], flag[i] = mindest, 1 if mindest else 0
            fest += mindest
        elif hoechst is not None and links * x >= hoechst:
            betraege[i], flag[i] = hoechst, 2
            fest += hoechst
        else:
            mitte_idx.append(i)
    rest = betrag - fest
    if mitte_idx:
        betraege[mitte_idx] = _groesster_rest(
            rest, np.array([gewichte_[i] for i in mitte_idx], dtype=object)
        )
    elif rest:
        raise UmlageFehler(f"Pool „{name}“: Nach Mindest- und Höchstbeträgen bleibt ein Rest.")
    return betraege, flag


ERGEBNIS_SPALTEN = [
    "pool_id",
    "mitglied_id",
    "schluessel",
    "basiswert",
    "basissumme",
    "gewicht",
    "gewichtssumme",
    "betrag_cent",
    "begrenzung",
]


def berechne(pools: list[Pool], teilnehmer: pd.DataFrame) -> pd.DataFrame:
    """Allocate every pool to its participants.

    `teilnehmer` has one row per pool and participant: pool_id, mitglied_id, ordnung (the
    ARS or another stable text key), tage (days of membership/contract in the year, for pro
    rata), einwohner, anteile (€), menge (quantity × 100 × days, already day-weighted).
    Returns one line per pool and participant with the key, the member's base value and the
    base sum, its exact share as weight/weight sum, and the amount in cents.
    """
    fehlende = {"pool_id", "mitglied_id", "ordnung", "tage", "einwohner", "anteile", "menge"} - set(
        teilnehmer.columns
    )
    if fehlende:
        raise UmlageFehler(f"Eingabe unvollständig, es fehlen die Spalten {sorted(fehlende)}.")
    nach_pool = {pid: frame for pid, frame in teilnehmer.groupby("pool_id", sort=False)}
    teile = []
    for pool in pools:
        frame = nach_pool.get(pool.pool_id)
        if frame is None:
            frame = teilnehmer.iloc[0:0]
        frame = frame.sort_values("ordnung", kind="stable")
        w, basen = gewichte(pool, frame)
        betraege, flag = verteilen(
            pool.betrag_cent,
            w,
            mindest=pool.mindest_cent,
            hoechst=pool.hoechst_cent,
            name=pool.name,
        )
        haupt = pool.schluessel if pool.schluessel in basen else next(iter(basen))
        basiswerte = basen[haupt]
        teile.append(
            pd.DataFrame(
                {
                    "pool_id": pool.pool_id,
                    "mitglied_id": frame["mitglied_id"].to_numpy(),
                    "schluessel": pool.schluessel,
                    "basiswert": basiswerte,
                    "basissumme": int(np.asarray(basiswerte, dtype=object).sum())
                    if len(frame)
                    else 0,
                    "gewicht": np.asarray(w, dtype=object),
                    "gewichtssumme": int(np.asarray(w, dtype=object).sum()) if len(frame) else 0,
                    "betrag_cent": betraege,
                    "begrenzung": flag,
                }
            )
        )
    if not teile:
        return pd.DataFrame(columns=ERGEBNIS_SPALTEN)
    return pd.concat(teile, ignore_index=True)[ERGEBNIS_SPALTEN]


def anteil(gewicht: int, gewichtssumme: int) -> Fraction:
    return Fraction(int(gewicht), int(gewichtssumme)) if gewichtssumme else Fraction(0)
