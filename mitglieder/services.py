"""Writes that carry a rule: members and their lifecycle, contacts, the share ledger.

Every function is keyword-only and atomic; a broken rule raises a ValidationError with a
German message that says why, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from mitglieder import anteilsregister
from mitglieder.models import (
    STAMMDATEN_FELDER,
    Ansprechpartner,
    Anteilsbuchung,
    Anteilsvorgang,
    Gebietskoerperschaft,
    Geschaeftsanteil,
    Mitglied,
    MitgliedArt,
    MitgliedStatus,
    MitgliedStatusEintrag,
    Vorgangsart,
)

S = MitgliedStatus

# The lifecycle. A declared exit may be withdrawn; everything else moves forward.
ERLAUBTE_UEBERGAENGE: dict[str, set[str]] = {
    S.INTERESSENT: {S.BEITRITT_BEANTRAGT},
    S.BEITRITT_BEANTRAGT: {S.BEITRITT_BESCHLOSSEN, S.INTERESSENT},
    S.BEITRITT_BESCHLOSSEN: {S.AKTIV},
    S.AKTIV: {S.AUSTRITT_ERKLAERT},
    S.AUSTRITT_ERKLAERT: {S.AUSGESCHIEDEN, S.AKTIV},
    S.AUSGESCHIEDEN: set(),
}
# A new record starts as Interessent; founding shareholders are recorded as aktiv directly.
ANFANGSSTATUS = {S.INTERESSENT, S.AKTIV}
# Who may hold shares: from the accession resolution (the deed that gives the shares
# completes the accession) until the exit takes effect.
ANTEILSFAEHIGE_STATUS = {S.BEITRITT_BESCHLOSSEN, S.AKTIV, S.AUSTRITT_ERKLAERT}


def euro(betrag: int) -> str:
    """12345 → '12.345 €' (German thousands separator)."""
    return f"{betrag:,} €".replace(",", ".")


def _label(status: str) -> str:
    return S(status).label


def _mit_historie(obj, user: AbstractBaseUser | None):
    if user is not None and user.is_authenticated:
        obj._history_user = user
    return obj


# What higher apps must do when a member leaves, in the same transaction as the status
# step: each callable gets mitglied=, datum=, user=. vertraege registers the ending of the
# member's contracts here (VertraegeConfig.ready); mitglieder itself imports no higher app.
BEIM_AUSSCHEIDEN: list[Callable[..., object]] = []


# ---------------------------------------------------------------------------- Mitglieder


@transaction.atomic
def create_mitglied(
    *,
    gebietskoerperschaft: Gebietskoerperschaft | None = None,
    name: str = "",
    sitz: str = "",
    status: str = S.INTERESSENT,
    datum: dt.date,
    beschluss: str = "",
    user: AbstractBaseUser | None = None,
    **felder,
) -> Mitglied:
    """A new member record, either for a Gebietskörperschaft of the register or for another
    public body (then `name` and `sitz` are required)."""
    if status not in ANFANGSSTATUS:
        raise ValidationError(
            {
                "status": f"Ein neues Mitglied beginnt als „{_label(S.INTERESSENT)}“ oder – "
                f"für Gründungsgesellschafter – „{_label(S.AKTIV)}“, nicht als "
                f"„{_label(status)}“."
            }
        )
    if gebietskoerperschaft is not None:
        if gebietskoerperschaft.ist_aufgeloest:
            raise ValidationError(
                {
                    "gebietskoerperschaft": f"{gebietskoerperschaft.name} ist seit "
                    f"{gebietskoerperschaft.aufgeloest_am:%d.%m.%Y} aufgelöst und kann nicht "
                    "neu aufgenommen werden."
                }
            )
        if Mitglied.objects.filter(gebietskoerperschaft=gebietskoerperschaft).exists():
            raise ValidationError(
                {"gebietskoerperschaft": f"{gebietskoerperschaft.name} ist bereits erfasst."}
            )
        art = MitgliedArt.GEBIETSKOERPERSCHAFT
        name = name or gebietskoerperschaft.name
        # GV100AD names read "Erfurt, Stadt"; the seat is the place name before the comma.
        sitz = (
            sitz or gebietskoerperschaft.verwaltungssitz or gebietskoerperschaft.name.split(",")[0]
        )
    else:
        art = MitgliedArt.SONSTIGE
    mitglied = Mitglied(
        art=art,
        gebietskoerperschaft=gebietskoerperschaft,
        name=name,
        sitz=sitz,
        status=status,
        **felder,
    )
    mitglied.full_clean()
    _mit_historie(mitglied, user).save()
    eintrag = MitgliedStatusEintrag(
        mitglied=mitglied, status=status, datum=datum, beschluss=beschluss, erfasst_von=user
    )
    eintrag.full_clean()
    _mit_historie(eintrag, user).save()
    return mitglied


@transaction.atomic
def update_mitglied(
    *, mitglied: Mitglied, user: AbstractBaseUser | None = None, **felder
) -> Mitglied:
    """Master data (name, seat, Leitweg-ID, invoice address, contracting authority)."""
    unbekannt = set(felder) - set(STAMMDATEN_FELDER)
    if unbekannt:
        raise ValidationError(
            f"Diese Felder können hier nicht geändert werden: {sorted(unbekannt)}"
        )
    mitglied = Mitglied.objects.select_for_update().get(pk=mitglied.pk)
    for feld, wert in felder.items():
        setattr(mitglied, feld, wert)
    mitglied.full_clean()
    _mit_historie(mitglied, user).save(update_fields=[*felder] or None)
    return mitglied


@transaction.atomic
def change_mitglied_status(
    *,
    mitglied: Mitglied,
    status: str,
    datum: dt.date,
    beschluss: str = "",
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> MitgliedStatusEintrag:
    mitglied = Mitglied.objects.select_for_update().get(pk=mitglied.pk)
    letzter = mitglied.statushistorie.order_by("-datum", "-id").first()
    if status not in ERLAUBTE_UEBERGAENGE[mitglied.status]:
        moeglich = ", ".join(
            f"„{_label(s)}“" for s in sorted(ERLAUBTE_UEBERGAENGE[mitglied.status])
        )
        raise ValidationError(
            {
                "status": f"Von „{_label(mitglied.status)}“ ist kein Wechsel zu "
                f"„{_label(status)}“ möglich"
                + (f"; möglich ist: {moeglich}." if moeglich else "; der Status ist endgültig.")
            }
        )
    if letzter is not None and datum < letzter.datum:
        raise ValidationError(
            {
                "datum": f"Der Schritt kann nicht vor dem letzten Statuswechsel "
                f"({letzter.datum:%d.%m.%Y}) wirksam werden."
            }
        )
    if status == S.AUSGESCHIEDEN:
        anteile = anteilsregister.anteile_von(mitglied, stichtag=datum)
        if anteile:
            nummern = ", ".join(str(a.laufende_nummer) for a in anteile)
            raise ValidationError(
                {
                    "status": f"{mitglied.name} hält am {datum:%d.%m.%Y} noch Geschäftsanteile "
                    f"(Nr. {nummern}). Sie müssen vor dem Ausscheiden übertragen oder "
                    "eingezogen werden."
                }
            )
    eintrag = MitgliedStatusEintrag(
        mitglied=mitglied,
        status=status,
        datum=datum,
        beschluss=beschluss,
        bemerkung=bemerkung,
        erfasst_von=user,
    )
    eintrag.full_clean()
    _mit_historie(eintrag, user).save()
    mitglied.status = status
    _mit_historie(mitglied, user).save(update_fields=["status"])
    if status == S.AUSGESCHIEDEN:
        for aktion in BEIM_AUSSCHEIDEN:
            aktion(mitglied=mitglied, datum=datum, user=user)
    return eintrag


@transaction.atomic
def set_nachfolger(
    *,
    gebietskoerperschaft: Gebietskoerperschaft,
    nachfolger: Gebietskoerperschaft,
) -> Gebietskoerperschaft:
    """Record which authority a dissolved one merged into."""
    if not gebietskoerperschaft.ist_aufgeloest:
        raise ValidationError(
            {
                "nachfolger": f"{gebietskoerperschaft.name} ist nicht aufgelöst; ein Nachfolger "
                "kann erst nach der Auflösung erfasst werden."
            }
        )
    if nachfolger.pk == gebietskoerperschaft.pk or nachfolger.ist_aufgeloest:
        raise ValidationError(
            {"nachfolger": "Nachfolger muss eine andere, bestehende Gebietskörperschaft sein."}
        )
    gebietskoerperschaft.nachfolger = nachfolger
    gebietskoerperschaft.save(update_fields=["nachfolger"])
    return gebietskoerperschaft


@transaction.atomic
def create_ansprechpartner(
    *, mitglied: Mitglied, user: AbstractBaseUser | None = None, **felder
) -> Ansprechpartner:
    ansprechpartner = Ansprechpartner(mitglied=mitglied, **felder)
    ansprechpartner.full_clean()
    _mit_historie(ansprechpartner, user).save()
    return ansprechpartner


@transaction.atomic
def update_ansprechpartner(
    *, ansprechpartner: Ansprechpartner, user: AbstractBaseUser | None = None, **felder
) -> Ansprechpartner:
    for feld, wert in felder.items():
        setattr(ansprechpartner, feld, wert)
    ansprechpartner.full_clean()
    _mit_historie(ansprechpartner, user).save()
    return ansprechpartner


@transaction.atomic
def delete_ansprechpartner(
    *, ansprechpartner: Ansprechpartner, user: AbstractBaseUser | None = None
) -> None:
    _mit_historie(ansprechpartner, user).delete()


# ---------------------------------------------------------------------------- Anteile


def _pruefe_datum(datum: dt.date) -> None:
    """The ledger is append-only in time: corrections are new entries, not back-dated ones."""
    letztes = Anteilsvorgang.objects.aggregate(m=Max("datum"))["m"]
    if letztes is not None and datum < letztes:
        raise ValidationError(
            {
                "datum": f"Vorgänge können nicht vor dem zuletzt erfassten Vorgang "
                f"({letztes:%d.%m.%Y}) wirksam werden."
            }
        )


def _pruefe_anteilsfaehig(mitglied: Mitglied, datum: dt.date, feld: str = "erwerber") -> None:
    status = anteilsregister.status_am(mitglied, datum)
    if status not in ANTEILSFAEHIGE_STATUS:
        stand = f"Status „{_label(status)}“" if status else "noch nicht erfasst"
        raise ValidationError(
            {
                feld: f"{mitglied.name} ist am {datum:%d.%m.%Y} kein Mitglied ({stand}). "
                "Geschäftsanteile können nur Mitglieder mit Status „Beitritt beschlossen“, "
                "„aktiv“ oder „Austritt erklärt“ halten."
            }
        )


def _pruefe_nennbetraege(nennbetraege: Sequence[int], feld: str = "nennbetraege") -> None:
    if not nennbetraege:
        raise ValidationError({feld: "Mindestens ein Nennbetrag ist anzugeben."})
    for betrag in nennbetraege:
        if not isinstance(betrag, int) or isinstance(betrag, bool) or betrag < 1:
            raise ValidationError(
                {feld: f"Nennbeträge sind volle Euro ab 1 € (§ 5 Abs. 2 GmbHG), nicht „{betrag}“."}
            )


def _neue_anteile(nennbetraege: Sequence[int]) -> list[Geschaeftsanteil]:
    naechste = (Geschaeftsanteil.objects.aggregate(m=Max("laufende_nummer"))["m"] or 0) + 1
    return Geschaeftsanteil.objects.bulk_create(
        [
            Geschaeftsanteil(laufende_nummer=naechste + i, nennbetrag=betrag)
            for i, betrag in enumerate(nennbetraege)
        ]
    )


def _anteile_holen(nummern: Sequence[int], feld: str = "anteile") -> list[Geschaeftsanteil]:
    if not nummern:
        raise ValidationError({feld: "Mindestens ein Geschäftsanteil ist anzugeben."})
    if len(set(nummern)) != len(nummern):
        raise ValidationError({feld: "Ein Geschäftsanteil ist mehrfach angegeben."})
    anteile = {
        a.laufende_nummer: a for a in Geschaeftsanteil.objects.filter(laufende_nummer__in=nummern)
    }
    fehlend = [n for n in nummern if n not in anteile]
    if fehlend:
        raise ValidationError(
            {feld: f"Geschäftsanteil Nr. {', '.join(map(str, fehlend))} gibt es nicht."}
        )
    return [anteile[n] for n in nummern]


def _vorgang(
    *, art: str, datum: dt.date, referenz: str, bemerkung: str, user, kapital: int = 0
) -> Anteilsvorgang:
    vorgang = Anteilsvorgang(
        art=art,
        datum=datum,
        referenz=referenz,
        bemerkung=bemerkung,
        stammkapital_aenderung=kapital,
        erfasst_von=user if user is not None and user.is_authenticated else None,
    )
    vorgang.full_clean()
    _mit_historie(vorgang, user).save()
    return vorgang


def _buchen(
    vorgang: Anteilsvorgang,
    zeilen: list[tuple[Geschaeftsanteil, Mitglied | None, Mitglied | None]],
    user,
) -> None:
    for anteil, vorher, nachher in zeilen:
        _mit_historie(
            Anteilsbuchung(
                vorgang=vorgang, anteil=anteil, inhaber_vorher=vorher, inhaber_nachher=nachher
            ),
            user,
        ).save()


def _pruefe_stammkapital(datum: dt.date) -> None:
    """The invariant: after the operation the nominal amounts add up to the Stammkapital."""
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    summe = sum(a.nennbetrag for a in stand.anteile)
    if summe != stand.stammkapital:
        raise ValidationError(
            f"Nach diesem Vorgang ergäben die Nennbeträge aller Geschäftsanteile {euro(summe)}, "
            f"das Stammkapital beträgt aber {euro(stand.stammkapital)}. Die Summe der "
            "Nennbeträge muss dem Stammkapital entsprechen (§ 5 Abs. 3 Satz 2 GmbHG)."
        )


def _sperre_register() -> None:
    # Serialise ledger writes: the checks read the whole register at a date.
    from mitglieder.models import Gesellschaft

    list(Gesellschaft.objects.select_for_update().all())


@transaction.atomic
def ausgeben_anteile(
    *,
    datum: dt.date,
    erwerber: Mitglied,
    nennbetraege: Sequence[int],
    kapitalerhoehung: int,
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> Anteilsvorgang:
    """Issue new shares to a member: a capital increase (or the founding) by `kapitalerhoehung`."""
    _sperre_register()
    _pruefe_datum(datum)
    _pruefe_nennbetraege(nennbetraege)
    _pruefe_anteilsfaehig(erwerber, datum)
    if sum(nennbetraege) != kapitalerhoehung:
        raise ValidationError(
            {
                "nennbetraege": f"Die Nennbeträge der neuen Anteile ({euro(sum(nennbetraege))}) "
                f"entsprechen nicht der beschlossenen Kapitalerhöhung ({euro(kapitalerhoehung)})."
            }
        )
    vorgang = _vorgang(
        art=Vorgangsart.AUSGABE,
        datum=datum,
        referenz=referenz,
        bemerkung=bemerkung,
        user=user,
        kapital=kapitalerhoehung,
    )
    _buchen(vorgang, [(a, None, erwerber) for a in _neue_anteile(nennbetraege)], user)
    _pruefe_stammkapital(datum)
    return vorgang


def _pruefe_inhaber(
    anteile: list[Geschaeftsanteil], inhaber: Mitglied, datum: dt.date, feld: str
) -> None:
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    fremde = [a for a in anteile if stand.inhaber.get(a.id) != inhaber.id]
    if fremde:
        eigene = sorted(
            (a for a in stand.anteile if stand.inhaber[a.id] == inhaber.id),
            key=lambda a: a.laufende_nummer,
        )
        besitz = (
            f"nur Nr. {', '.join(str(a.laufende_nummer) for a in eigene)} "
            f"(zusammen {euro(sum(a.nennbetrag for a in eigene))})"
            if eigene
            else "keine Geschäftsanteile"
        )
        raise ValidationError(
            {
                feld: f"{inhaber.name} hält am {datum:%d.%m.%Y} {besitz}; Anteil Nr. "
                f"{', '.join(str(a.laufende_nummer) for a in fremde)} gehört nicht dazu."
            }
        )


@transaction.atomic
def uebertragen_anteile(
    *,
    datum: dt.date,
    veraeusserer: Mitglied,
    erwerber: Mitglied,
    anteile: Sequence[int],
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> Anteilsvorgang:
    """Transfer whole shares (by running number) from one member to another."""
    _sperre_register()
    _pruefe_datum(datum)
    if veraeusserer.pk == erwerber.pk:
        raise ValidationError({"erwerber": "Veräußerer und Erwerber sind dasselbe Mitglied."})
    liste = _anteile_holen(anteile)
    _pruefe_inhaber(liste, veraeusserer, datum, "anteile")
    _pruefe_anteilsfaehig(erwerber, datum)
    vorgang = _vorgang(
        art=Vorgangsart.UEBERTRAGUNG, datum=datum, referenz=referenz, bemerkung=bemerkung, user=user
    )
    _buchen(vorgang, [(a, veraeusserer, erwerber) for a in liste], user)
    _pruefe_stammkapital(datum)
    return vorgang


@transaction.atomic
def uebertragen_betrag(
    *,
    datum: dt.date,
    veraeusserer: Mitglied,
    erwerber: Mitglied,
    betrag: int,
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> list[Anteilsvorgang]:
    """Transfer a nominal amount: whole shares in running order, dividing the last one if
    the amount ends inside it (Teilung and Abtretung in one deed)."""
    _pruefe_nennbetraege([betrag], "betrag")
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    eigene = sorted(
        (a for a in stand.anteile if stand.inhaber[a.id] == veraeusserer.id),
        key=lambda a: a.laufende_nummer,
    )
    bestand = sum(a.nennbetrag for a in eigene)
    if betrag > bestand:
        raise ValidationError(
            {
                "betrag": f"{veraeusserer.name} hält am {datum:%d.%m.%Y} nur {euro(bestand)} an "
                f"Geschäftsanteilen; {euro(betrag)} können nicht übertragen werden."
            }
        )
    vorgaenge: list[Anteilsvorgang] = []
    nummern: list[int] = []
    rest = betrag
    for anteil in eigene:
        if rest == 0:
            break
        if anteil.nennbetrag <= rest:
            nummern.append(anteil.laufende_nummer)
            rest -= anteil.nennbetrag
            continue
        teilung = teilen_anteil(
            datum=datum,
            anteil=anteil.laufende_nummer,
            nennbetraege=[rest, anteil.nennbetrag - rest],
            referenz=referenz,
            bemerkung=f"Teilung zur Übertragung von {euro(betrag)}",
            user=user,
        )
        vorgaenge.append(teilung)
        neu = teilung.buchungen.filter(inhaber_vorher__isnull=True).order_by(
            "anteil__laufende_nummer"
        )
        nummern.append(neu.first().anteil.laufende_nummer)
        rest = 0
    vorgaenge.append(
        uebertragen_anteile(
            datum=datum,
            veraeusserer=veraeusserer,
            erwerber=erwerber,
            anteile=nummern,
            referenz=referenz,
            bemerkung=bemerkung,
            user=user,
        )
    )
    return vorgaenge


@transaction.atomic
def teilen_anteil(
    *,
    datum: dt.date,
    anteil: int,
    nennbetraege: Sequence[int],
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> Anteilsvorgang:
    """Divide one share into new shares whose nominal amounts add up to the original."""
    _sperre_register()
    _pruefe_datum(datum)
    _pruefe_nennbetraege(nennbetraege)
    (alt,) = _anteile_holen([anteil], "anteil")
    if len(nennbetraege) < 2:
        raise ValidationError({"nennbetraege": "Eine Teilung ergibt mindestens zwei Anteile."})
    if sum(nennbetraege) != alt.nennbetrag:
        raise ValidationError(
            {
                "nennbetraege": f"Die Teile ({' + '.join(map(str, nennbetraege))} = "
                f"{euro(sum(nennbetraege))}) ergeben nicht den Nennbetrag von Anteil Nr. "
                f"{alt.laufende_nummer} ({euro(alt.nennbetrag)})."
            }
        )
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    inhaber_id = stand.inhaber.get(alt.id)
    if inhaber_id is None:
        raise ValidationError(
            {"anteil": f"Anteil Nr. {alt.laufende_nummer} besteht am {datum:%d.%m.%Y} nicht."}
        )
    inhaber = Mitglied.objects.get(pk=inhaber_id)
    vorgang = _vorgang(
        art=Vorgangsart.TEILUNG, datum=datum, referenz=referenz, bemerkung=bemerkung, user=user
    )
    _buchen(
        vorgang,
        [(alt, inhaber, None)] + [(a, None, inhaber) for a in _neue_anteile(nennbetraege)],
        user,
    )
    _pruefe_stammkapital(datum)
    return vorgang


@transaction.atomic
def zusammenlegen_anteile(
    *,
    datum: dt.date,
    anteile: Sequence[int],
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> Anteilsvorgang:
    """Merge shares of one holder into one new share."""
    _sperre_register()
    _pruefe_datum(datum)
    liste = _anteile_holen(anteile)
    if len(liste) < 2:
        raise ValidationError({"anteile": "Zusammenlegen lassen sich nur mindestens zwei Anteile."})
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    inhaber_ids = {stand.inhaber.get(a.id) for a in liste}
    if None in inhaber_ids:
        raise ValidationError({"anteile": "Ein angegebener Anteil besteht an diesem Tag nicht."})
    if len(inhaber_ids) != 1:
        raise ValidationError(
            {"anteile": "Zusammengelegt werden können nur Anteile desselben Gesellschafters."}
        )
    inhaber = Mitglied.objects.get(pk=inhaber_ids.pop())
    vorgang = _vorgang(
        art=Vorgangsart.ZUSAMMENLEGUNG,
        datum=datum,
        referenz=referenz,
        bemerkung=bemerkung,
        user=user,
    )
    (neu,) = _neue_anteile([sum(a.nennbetrag for a in liste)])
    _buchen(vorgang, [(a, inhaber, None) for a in liste] + [(neu, None, inhaber)], user)
    _pruefe_stammkapital(datum)
    return vorgang


@transaction.atomic
def einziehen_anteile(
    *,
    datum: dt.date,
    anteile: Sequence[int],
    kapitalherabsetzung: int,
    referenz: str,
    bemerkung: str = "",
    user: AbstractBaseUser | None = None,
) -> Anteilsvorgang:
    """Redeem shares (§ 34 GmbHG). Without a capital decrease of the same amount the
    nominal amounts would no longer add up to the Stammkapital, so that is refused."""
    _sperre_register()
    _pruefe_datum(datum)
    liste = _anteile_holen(anteile)
    if kapitalherabsetzung < 0:
        raise ValidationError(
            {"kapitalherabsetzung": "Die Herabsetzung ist als positiver Betrag anzugeben."}
        )
    stand = anteilsregister.anteilsbestand(stichtag=datum)
    fehlend = [a for a in liste if a.id not in stand.inhaber]
    if fehlend:
        raise ValidationError(
            {
                "anteile": f"Anteil Nr. {fehlend[0].laufende_nummer} besteht am "
                f"{datum:%d.%m.%Y} nicht."
            }
        )
    inhaber = {
        m.id: m for m in Mitglied.objects.filter(id__in={stand.inhaber[a.id] for a in liste})
    }
    vorgang = _vorgang(
        art=Vorgangsart.EINZIEHUNG,
        datum=datum,
        referenz=referenz,
        bemerkung=bemerkung,
        user=user,
        kapital=-kapitalherabsetzung,
    )
    _buchen(vorgang, [(a, inhaber[stand.inhaber[a.id]], None) for a in liste], user)
    _pruefe_stammkapital(datum)
    return vorgang
