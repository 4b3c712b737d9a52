"""The allocation engine against the plain reference implementation, on random inputs, and
the properties every allocation must have."""

import ast
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vertraege.umlage import referenz
from vertraege.umlage import engine
from vertraege.umlage.engine import Pool, UmlageFehler


def _frame(pool_id: int, teilnehmer: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{**t, "pool_id": pool_id} for t in teilnehmer])


def _engine(pool: Pool, teilnehmer: list[dict]) -> dict[int, int]:
    ergebnis = engine.berechne([pool], _frame(pool.pool_id, teilnehmer))
    return dict(zip(ergebnis["mitglied_id"], ergebnis["betrag_cent"].astype(int), strict=True))


def _als_dict(pool: Pool) -> dict:
    return {
        "betrag_cent": pool.betrag_cent,
        "schluessel": pool.schluessel,
        "pro_rata": pool.pro_rata,
        "sockel_cent": pool.sockel_cent,
        "mix": pool.mix,
        "mindest_cent": pool.mindest_cent,
        "hoechst_cent": pool.hoechst_cent,
    }


TEILNEHMER = st.lists(
    st.fixed_dictionaries(
        {
            "einwohner": st.integers(0, 4_000_000),
            "anteile": st.integers(0, 500_000),
            "menge": st.integers(0, 10**9),
            "tage": st.integers(1, 366),
        }
    ),
    min_size=1,
    max_size=40,
).map(
    lambda ts: [
        {**t, "mitglied_id": i + 1, "ordnung": f"16{i * 7919 % 1000:010d}{i}"}
        for i, t in enumerate(ts)
    ]
)


@st.composite
def faelle(draw):
    teilnehmer = draw(TEILNEHMER)
    schluessel = draw(st.sampled_from(engine.SCHLUESSEL))
    betrag = draw(st.integers(0, 10**10))
    n = len(teilnehmer)
    pool = Pool(
        pool_id=1,
        name="Test",
        betrag_cent=betrag,
        schluessel=schluessel,
        pro_rata=draw(st.booleans()),
        sockel_cent=draw(st.integers(0, betrag // n)) if schluessel == "sockel_einwohner" else 0,
        mix=draw(
            st.dictionaries(
                st.sampled_from(engine.EINFACHE_SCHLUESSEL), st.integers(1, 100), min_size=1
            )
        )
        if schluessel == "mix"
        else {},
        mindest_cent=draw(st.none() | st.integers(0, betrag // n)),
        hoechst_cent=draw(st.none() | st.integers(-(-betrag // n), betrag + 1)),
    )
    if (
        pool.mindest_cent is not None
        and pool.hoechst_cent is not None
        and pool.mindest_cent > pool.hoechst_cent
    ):
        pool = Pool(**{**pool.__dict__, "hoechst_cent": None})
    return pool, teilnehmer


def _basis_ist_null(pool: Pool, teilnehmer) -> bool:
    keys = (
        pool.mix
        if pool.schluessel == "mix"
        else {"sockel_einwohner": {"einwohner": 1}}.get(pool.schluessel, {pool.schluessel: 1})
    )
    return any(k != "gleich" and sum(t[k] for t in teilnehmer) == 0 for k in keys)


def _erfuellbar(pool: Pool, teilnehmer) -> bool:
    """Whether floor and cap leave a way to allocate the whole amount: members without any
    base stay at the floor, the others can reach at most the cap."""
    if pool.hoechst_cent is None:
        return True
    anteile = referenz.anteile(_als_dict(pool), teilnehmer)
    ohne = sum(1 for a in anteile.values() if a == 0)
    return (
        ohne * (pool.mindest_cent or 0) + (len(anteile) - ohne) * pool.hoechst_cent
        >= pool.betrag_cent
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fall=faelle())
def test_engine_stimmt_mit_der_referenz_ueberein_und_summe_stimmt(fall):
    pool, teilnehmer = fall
    if _basis_ist_null(pool, teilnehmer):
        # Nothing to allocate by: refused, unless there is nothing to allocate either.
        try:
            ergebnis = _engine(pool, teilnehmer)
        except UmlageFehler:
            return
        # e.g. everything at the floor: still exact
        assert sum(ergebnis.values()) == pool.betrag_cent
        return
    if not _erfuellbar(pool, teilnehmer):
        with pytest.raises(UmlageFehler):
            _engine(pool, teilnehmer)
        return
    ergebnis = _engine(pool, teilnehmer)
    assert ergebnis == referenz.verteile(_als_dict(pool), teilnehmer)
    assert sum(ergebnis.values()) == pool.betrag_cent
    if pool.mindest_cent is not None:
        assert min(ergebnis.values()) >= pool.mindest_cent
    if pool.hoechst_cent is not None:
        assert max(ergebnis.values()) <= pool.hoechst_cent


@settings(max_examples=100, deadline=None)
@given(fall=faelle(), zufall=st.randoms())
def test_reihenfolge_der_eingabe_aendert_nichts(fall, zufall):
    pool, teilnehmer = fall
    if _basis_ist_null(pool, teilnehmer) or not _erfuellbar(pool, teilnehmer):
        return
    gemischt = list(teilnehmer)
    zufall.shuffle(gemischt)
    assert _engine(pool, gemischt) == _engine(pool, teilnehmer)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(2, 50),
    wert=st.integers(1, 10**6),
    betrag=st.integers(0, 10**9),
    schluessel=st.sampled_from(["einwohner", "anteile", "gleich"]),
)
def test_gleiche_basiswerte_hoechstens_ein_cent_auseinander(n, wert, betrag, schluessel):
    teilnehmer = [
        {
            "mitglied_id": i,
            "ordnung": f"{i:012d}",
            "einwohner": wert,
            "anteile": wert,
            "menge": wert,
            "tage": 365,
        }
        for i in range(n)
    ]
    ergebnis = _engine(Pool(1, "Test", betrag, schluessel), teilnehmer)
    assert max(ergebnis.values()) - min(ergebnis.values()) <= 1
    assert sum(ergebnis.values()) == betrag


def test_handgerechnetes_beispiel():
    """100.00 € by population 3 : 1 : 1 → 60.00, 20.00, 20.00; with a cap of 50 €:
    50.00 and the remaining 50.00 split 25.00 / 25.00."""
    teilnehmer = [
        {
            "mitglied_id": 1,
            "ordnung": "160510000000",
            "einwohner": 300,
            "anteile": 0,
            "menge": 0,
            "tage": 365,
        },
        {
            "mitglied_id": 2,
            "ordnung": "160520000000",
            "einwohner": 100,
            "anteile": 0,
            "menge": 0,
            "tage": 365,
        },
        {
            "mitglied_id": 3,
            "ordnung": "160530000000",
            "einwohner": 100,
            "anteile": 0,
            "menge": 0,
            "tage": 365,
        },
    ]
    assert _engine(Pool(1, "A", 10000, "einwohner"), teilnehmer) == {1: 6000, 2: 2000, 3: 2000}
    assert _engine(Pool(1, "A", 10000, "einwohner", hoechst_cent=5000), teilnehmer) == {
        1: 5000,
        2: 2500,
        3: 2500,
    }
    # 1 cent by equal parts: the lowest ARS gets it
    assert _engine(Pool(1, "A", 1, "gleich"), teilnehmer) == {1: 1, 2: 0, 3: 0}
    # 30 % equal + 70 % population of 100 €: 10 + 42 = 52, 10 + 14 = 24, 24
    assert _engine(Pool(1, "A", 10000, "mix", mix={"gleich": 30, "einwohner": 70}), teilnehmer) == {
        1: 5200,
        2: 2400,
        3: 2400,
    }
    # Sockel 10 € each, the remaining 70 € by population: 10 + 42, 10 + 14, 10 + 14
    assert _engine(Pool(1, "A", 10000, "sockel_einwohner", sockel_cent=1000), teilnehmer) == {
        1: 5200,
        2: 2400,
        3: 2400,
    }


def test_unmoegliche_grenzen_werden_deutsch_gemeldet():
    teilnehmer = [
        {"mitglied_id": i, "ordnung": str(i), "einwohner": 1, "anteile": 1, "menge": 1, "tage": 1}
        for i in range(3)
    ]
    with pytest.raises(
        UmlageFehler,
        match="3 Teilnehmer × Mindestbetrag 40.00 € übersteigen den Betrag von 100.00 €",
    ):
        _engine(Pool(1, "Rechenzentrum", 10000, "gleich", mindest_cent=4000), teilnehmer)
    with pytest.raises(UmlageFehler, match="Pool „Rechenzentrum“ hat keine Teilnehmer"):
        engine.berechne([Pool(1, "Rechenzentrum", 100, "gleich")], _frame(2, teilnehmer))


def test_engine_importiert_kein_django():
    """The engine stays pure: no import of Django or of the project's apps."""
    quelle = Path(engine.__file__).read_text()
    module = set()
    for knoten in ast.walk(ast.parse(quelle)):
        if isinstance(knoten, ast.Import):
            module |= {a.name.split(".")[0] for a in knoten.names}
        elif isinstance(knoten, ast.ImportFrom) and knoten.module:
            module.add(knoten.module.split(".")[0])
    assert module <= {"__future__", "dataclasses", "fractions", "numpy", "pandas"}, module


def test_zufaellige_grosse_eingabe_summe_stimmt():
    zufall = random.Random(7)
    teilnehmer = [
        {
            "mitglied_id": i,
            "ordnung": f"{zufall.randrange(10**12):012d}",
            "einwohner": zufall.randrange(100, 4_000_000),
            "anteile": zufall.randrange(0, 10_000),
            "menge": zufall.randrange(0, 10**9),
            "tage": zufall.randrange(1, 366),
        }
        for i in range(2000)
    ]
    pools = [
        Pool(p, f"P{p}", zufall.randrange(10**6, 10**10), s, mix={"gleich": 30, "einwohner": 70})
        for p, s in enumerate(["einwohner", "anteile", "menge", "gleich", "mix"])
    ]
    frame = pd.concat([_frame(p.pool_id, teilnehmer) for p in pools])
    ergebnis = engine.berechne(pools, frame)
    summen = ergebnis.groupby("pool_id")["betrag_cent"].sum().to_dict()
    assert summen == {p.pool_id: p.betrag_cent for p in pools}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fall=faelle())
def test_exakte_suche_bei_grenzen_stimmt_mit_der_referenz(fall):
    """Floors and caps are normally found by float bisection and verified; the exact search
    among the breakpoints is the fallback. Here the fast path is switched off, so the
    fallback alone must agree with the reference."""
    from unittest import mock

    pool, teilnehmer = fall
    if pool.mindest_cent is None and pool.hoechst_cent is None:
        return
    if _basis_ist_null(pool, teilnehmer) or not _erfuellbar(pool, teilnehmer):
        return
    with mock.patch.object(engine, "_gruppen_schnell", return_value=None):
        ergebnis = _engine(pool, teilnehmer)
    assert ergebnis == referenz.verteile(_als_dict(pool), teilnehmer)
