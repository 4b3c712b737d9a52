"""Notice periods and terms of a contract: when can it end at the earliest, and until when
must notice be given for that end.

The rules, as the contract form states them:
- The minimum term runs from the start for `mindestlaufzeit_monate` months; its last day is
  the "Mindestende" (with no minimum term, the start day).
- With automatic renewal (`verlaengerung_monate` > 0) the contract can only end at the end
  of a term: the Mindestende, then every renewal period after it. Notice for such an end
  must arrive at least `kuendigungsfrist_monate` months before it.
- Without renewal (0) the contract runs on after the minimum term and ends, after notice
  of `kuendigungsfrist_monate` months, at the end of a month; with no notice period at all
  it can end on any day.
- A contract with a fixed end date ends then anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

EIN_TAG = dt.timedelta(days=1)


class Vertragsbedingungen:
    """What the calculation needs of a contract (a Vertrag satisfies it)."""

    beginn: dt.date
    ende: dt.date | None
    mindestlaufzeit_monate: int
    kuendigungsfrist_monate: int
    verlaengerung_monate: int


def monatsende(tag: dt.date) -> dt.date:
    return tag + relativedelta(day=31)


def mindestende(vertrag: Vertragsbedingungen) -> dt.date:
    if vertrag.mindestlaufzeit_monate == 0:
        return vertrag.beginn
    return vertrag.beginn + relativedelta(months=vertrag.mindestlaufzeit_monate) - EIN_TAG


def _wirksam_ab(vertrag: Vertragsbedingungen, kuendigung_am: dt.date) -> dt.date:
    """The first day the notice period allows the contract to end on."""
    return kuendigung_am + relativedelta(months=vertrag.kuendigungsfrist_monate)


def fruehestes_ende(vertrag: Vertragsbedingungen, kuendigung_am: dt.date) -> dt.date:
    """The earliest end date for notice given on `kuendigung_am`."""
    frist = _wirksam_ab(vertrag, kuendigung_am)
    mindest = mindestende(vertrag)
    if vertrag.verlaengerung_monate:
        ende = mindest
        schritt = 1
        while ende < frist:
            ende = mindest + relativedelta(months=vertrag.verlaengerung_monate * schritt)
            schritt += 1
    elif vertrag.kuendigungsfrist_monate == 0:
        ende = max(frist, mindest)
    else:
        ende = monatsende(max(frist, mindest))
    if vertrag.ende is not None:
        ende = min(ende, vertrag.ende)
    return ende


def ist_zulaessiges_ende(
    vertrag: Vertragsbedingungen, kuendigung_am: dt.date, zum: dt.date
) -> bool:
    """Whether notice given on `kuendigung_am` may end the contract on `zum`: not before the
    earliest end, and on a term end (with renewal) or a month end (without)."""
    frueheste = fruehestes_ende(vertrag, kuendigung_am)
    if zum < frueheste:
        return False
    if vertrag.ende is not None and zum >= vertrag.ende:
        return zum == vertrag.ende
    if vertrag.verlaengerung_monate:
        return fruehestes_ende(vertrag, _spaetester_kuendigungstag(vertrag, zum)) == zum
    if vertrag.kuendigungsfrist_monate == 0:
        return True
    return zum == monatsende(zum)


def _spaetester_kuendigungstag(vertrag: Vertragsbedingungen, zum: dt.date) -> dt.date:
    """The last day notice can be given so that the notice period is kept for `zum`."""
    tag = zum - relativedelta(months=vertrag.kuendigungsfrist_monate)
    while _wirksam_ab(vertrag, tag + EIN_TAG) <= zum:
        tag += EIN_TAG
    while _wirksam_ab(vertrag, tag) > zum:
        tag -= EIN_TAG
    return tag


@dataclass(frozen=True)
class Frist:
    naechstes_ende: dt.date
    kuendigen_bis: dt.date


def naechste_frist(vertrag: Vertragsbedingungen, heute: dt.date) -> Frist:
    """The next end the contract can reach by notice, and the last day to give it."""
    ende = fruehestes_ende(vertrag, heute)
    bis = _spaetester_kuendigungstag(vertrag, ende)
    if vertrag.verlaengerung_monate and vertrag.ende is None:
        bis = min(bis, ende)
    return Frist(naechstes_ende=ende, kuendigen_bis=max(bis, heute))
