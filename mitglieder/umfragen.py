"""Surveys: writes with rules (questions, invitations, sending, answers, taking answers into
the accession pipeline) and the results. German messages; every write is atomic."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mitglieder import services
from mitglieder.models import (
    Antwort,
    Einladung,
    Einwohnerzahl,
    Frage,
    Fragetyp,
    Gebietskoerperschaft,
    Mitglied,
    MitgliedStatus,
    Umfrage,
    UmfrageStatus,
)

INTERESSE_JA = "Ja"
TOKEN_FORM = re.compile(r"[A-Za-z0-9_-]{16,64}")
EINWOHNERKLASSEN = [
    (0, 1_000, "unter 1.000"),
    (1_000, 5_000, "1.000 bis 4.999"),
    (5_000, 20_000, "5.000 bis 19.999"),
    (20_000, 100_000, "20.000 bis 99.999"),
    (100_000, None, "100.000 und mehr"),
]


def neues_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


# ---------------------------------------------------------------------------- questions


def _keine_antworten(umfrage: Umfrage) -> None:
    if Antwort.objects.filter(einladung__umfrage=umfrage).exists():
        raise ValidationError(
            "Die Fragen können nicht mehr geändert werden, weil bereits Antworten vorliegen."
        )


def _pruefe_frage(frage: Frage) -> None:
    fehler = {}
    optionen = frage.optionen or []
    if frage.typ in (Fragetyp.EINFACH, Fragetyp.MEHRFACH):
        if (
            not isinstance(optionen, list)
            or len(optionen) < 2
            or not all(isinstance(o, str) and o.strip() for o in optionen)
        ):
            fehler["optionen"] = "Eine Auswahlfrage braucht mindestens zwei Antwortmöglichkeiten."
        elif len(set(optionen)) != len(optionen):
            fehler["optionen"] = "Eine Antwortmöglichkeit ist doppelt."
    elif optionen:
        fehler["optionen"] = "Nur Auswahlfragen haben Antwortmöglichkeiten."
    if frage.interessefrage and (frage.typ != Fragetyp.EINFACH or INTERESSE_JA not in optionen):
        fehler["interessefrage"] = (
            "Die Interessefrage ist eine Einfachauswahl mit der Antwort „Ja“."
        )
    if frage.abhaengig_von_id:
        basis = frage.abhaengig_von
        if basis.umfrage_id != frage.umfrage_id or basis.reihenfolge >= frage.reihenfolge:
            fehler["abhaengig_von"] = (
                "Eine Folgefrage hängt von einer früheren Frage derselben Umfrage ab."
            )
        elif basis.typ not in (Fragetyp.EINFACH, Fragetyp.MEHRFACH):
            fehler["abhaengig_von"] = "Folgefragen hängen von Auswahlfragen ab."
        elif not frage.abhaengig_werte or set(frage.abhaengig_werte) - set(basis.optionen):
            fehler["abhaengig_werte"] = (
                f"Die Bedingung nennt Antworten, die „{basis.text}“ nicht anbietet "
                f"(möglich: {', '.join(basis.optionen)})."
            )
    if fehler:
        raise ValidationError(fehler)


@transaction.atomic
def create_umfrage(**felder) -> Umfrage:
    umfrage = Umfrage(**felder)
    umfrage.full_clean()
    umfrage.save()
    return umfrage


@transaction.atomic
def add_frage(*, umfrage: Umfrage, **felder) -> Frage:
    _keine_antworten(umfrage)
    if "reihenfolge" not in felder:
        felder["reihenfolge"] = (umfrage.fragen.count() + 1) * 10
    frage = Frage(umfrage=umfrage, **felder)
    frage.full_clean()
    _pruefe_frage(frage)
    frage.save()
    return frage


@transaction.atomic
def delete_frage(*, frage: Frage) -> None:
    _keine_antworten(frage.umfrage)
    frage.delete()


@transaction.atomic
def oeffnen(*, umfrage: Umfrage) -> Umfrage:
    if not umfrage.fragen.exists():
        raise ValidationError("Eine Umfrage ohne Fragen kann nicht geöffnet werden.")
    umfrage.status = UmfrageStatus.OFFEN
    umfrage.save(update_fields=["status"])
    return umfrage


@transaction.atomic
def schliessen(*, umfrage: Umfrage) -> Umfrage:
    umfrage.status = UmfrageStatus.GESCHLOSSEN
    umfrage.save(update_fields=["status"])
    return umfrage


# ---------------------------------------------------------------------------- invitations


def auswahl(
    *, land: str = "", kreis: str = "", typen: list[str] | None = None, mitgliedschaft: str = "alle"
):
    """Gemeinden of the register for a survey, existing today."""
    qs = Gebietskoerperschaft.objects.gemeinden().aktiv_am(timezone.localdate())
    if land:
        qs = qs.filter(land=land)
    if kreis:
        qs = qs.filter(kreis__ars=kreis)
    if typen:
        qs = qs.filter(typ__in=typen)
    mitglieder = Mitglied.objects.exclude(status=MitgliedStatus.AUSGESCHIEDEN).values(
        "gebietskoerperschaft_id"
    )
    if mitgliedschaft == "mitglieder":
        qs = qs.filter(id__in=mitglieder)
    elif mitgliedschaft == "nichtmitglieder":
        qs = qs.exclude(id__in=mitglieder)
    return qs


@transaction.atomic
def einladungen_erzeugen(*, umfrage: Umfrage, **auswahl_kriterien) -> tuple[int, int]:
    """One invitation per selected authority (existing ones are kept). Members' contact
    addresses are filled in. Returns (created, already invited)."""
    gks = list(auswahl(**auswahl_kriterien).values_list("id", flat=True))
    vorhanden = set(umfrage.einladungen.values_list("gebietskoerperschaft_id", flat=True))
    neu_ids = [gk for gk in gks if gk not in vorhanden]
    adressen: dict[int, str] = {}
    for gk_id, email in (
        Mitglied.objects.filter(gebietskoerperschaft_id__in=neu_ids, ansprechpartner__email__gt="")
        .order_by("gebietskoerperschaft_id", "ansprechpartner__id")
        .values_list("gebietskoerperschaft_id", "ansprechpartner__email")
    ):
        adressen.setdefault(gk_id, email)
    Einladung.objects.bulk_create(
        [
            Einladung(
                umfrage=umfrage,
                gebietskoerperschaft_id=gk,
                token=neues_token(),
                email=adressen.get(gk, ""),
            )
            for gk in neu_ids
        ],
        batch_size=5000,
    )
    return len(neu_ids), len(gks) - len(neu_ids)


@transaction.atomic
def adressen_importieren(*, umfrage: Umfrage, text: str) -> int:
    """Lines "AGS or ARS;E-Mail" (CSV, semicolon or comma). A bad line aborts with its
    number; nothing is written."""
    einladungen = {
        e.gebietskoerperschaft.ags: e
        for e in umfrage.einladungen.select_related("gebietskoerperschaft")
    }
    einladungen.update({e.gebietskoerperschaft.ars: e for e in einladungen.values()})
    geaendert = {}
    for nummer, zeile in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not zeile.strip() or (nummer == 1 and "mail" in zeile.lower()):
            continue
        teile = [t.strip() for t in zeile.replace(",", ";").split(";")]
        if len(teile) != 2:
            raise ValidationError(
                f"Zeile {nummer}: Erwartet werden Schlüssel und E-Mail, getrennt durch „;“."
            )
        schluessel, email = teile
        if schluessel not in einladungen:
            raise ValidationError(
                f"Zeile {nummer}: Für den Schlüssel „{schluessel}“ gibt es keine Einladung."
            )
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(
                f"Zeile {nummer}: „{email}“ ist keine gültige E-Mail-Adresse."
            ) from exc
        einladung = einladungen[schluessel]
        einladung.email = email
        geaendert[einladung.pk] = einladung
    Einladung.objects.bulk_update(list(geaendert.values()), ["email"])
    return len(geaendert)


def link(einladung: Einladung) -> str:
    return settings.KIV_BASIS_URL.rstrip("/") + reverse("umfrage-antworten", args=[einladung.token])


def _nachricht(einladung: Einladung, erinnerung: bool) -> tuple[str, str, str, list[str]]:
    umfrage = einladung.umfrage
    betreff = ("Erinnerung: " if erinnerung else "") + umfrage.titel
    text = (
        f"Sehr geehrte Damen und Herren,\n\n"
        f"die Kommunale IT-Genossenschaft bittet {einladung.gebietskoerperschaft.name} um die "
        f"Teilnahme an der Umfrage „{umfrage.titel}“ bis zum {umfrage.schliesst_am:%d.%m.%Y}.\n\n"
        f"Ihr persönlicher Link (bitte nicht weitergeben):\n{link(einladung)}\n\n"
        f"Bis zum Ende der Umfrage können Sie Ihre Antworten über denselben Link ändern.\n"
    )
    return (f"[KIV] {betreff}", text, settings.DEFAULT_FROM_EMAIL, [einladung.email])


@transaction.atomic
def versenden(*, umfrage: Umfrage) -> tuple[int, int]:
    """Send the invitations not sent yet. Returns (sent, without address)."""
    if umfrage.status != UmfrageStatus.OFFEN:
        raise ValidationError("Einladungen werden erst versendet, wenn die Umfrage offen ist.")
    offen = umfrage.einladungen.filter(versendet_am__isnull=True, zurueckgezogen_am__isnull=True)
    ohne = offen.filter(email="").count()
    zu_senden = list(offen.exclude(email="").select_related("gebietskoerperschaft", "umfrage"))
    jetzt = timezone.now()
    for einladung in zu_senden:
        einladung.versendet_am = jetzt
    Einladung.objects.bulk_update(zu_senden, ["versendet_am"], batch_size=5000)
    nachrichten = [_nachricht(e, erinnerung=False) for e in zu_senden]
    transaction.on_commit(lambda: send_mass_mail(nachrichten, fail_silently=False))
    return len(zu_senden), ohne


@transaction.atomic
def erinnern(*, umfrage: Umfrage) -> int:
    """Remind those who have not answered: at most `max_erinnerungen` times, with at least
    `erinnerung_abstand_tage` days since the invitation or the last reminder."""
    if not umfrage.nimmt_antworten_an(timezone.localdate()):
        raise ValidationError("Erinnerungen gibt es nur, solange die Umfrage Antworten annimmt.")
    jetzt = timezone.now()
    grenze = jetzt - dt.timedelta(days=umfrage.erinnerung_abstand_tage)
    kandidaten = (
        umfrage.einladungen.filter(
            versendet_am__isnull=False,
            zurueckgezogen_am__isnull=True,
            antwort__isnull=True,
            erinnerungen__lt=umfrage.max_erinnerungen,
        )
        .exclude(email="")
        .select_related("gebietskoerperschaft", "umfrage")
    )
    faellig = [e for e in kandidaten if (e.letzte_erinnerung_am or e.versendet_am) <= grenze]
    for einladung in faellig:
        einladung.erinnerungen += 1
        einladung.letzte_erinnerung_am = jetzt
    Einladung.objects.bulk_update(
        faellig, ["erinnerungen", "letzte_erinnerung_am"], batch_size=5000
    )
    nachrichten = [_nachricht(e, erinnerung=True) for e in faellig]
    transaction.on_commit(lambda: send_mass_mail(nachrichten, fail_silently=False))
    return len(faellig)


@transaction.atomic
def zurueckziehen(*, einladung: Einladung) -> Einladung:
    einladung.zurueckgezogen_am = timezone.now()
    einladung.save(update_fields=["zurueckgezogen_am"])
    return einladung


# ---------------------------------------------------------------------------- answers


def gueltige_einladung(token: str) -> Einladung | None:
    """The invitation for a token – None alike for unknown and withdrawn tokens."""
    if not TOKEN_FORM.fullmatch(token or ""):
        return None  # not even shaped like a token (and no NUL bytes for PostgreSQL)
    einladung = (
        Einladung.objects.select_related("umfrage", "gebietskoerperschaft")
        .filter(token=token, zurueckgezogen_am__isnull=True)
        .first()
    )
    return einladung


@transaction.atomic
def antworten(*, einladung: Einladung, werte: dict) -> Antwort:
    """Record or change the answer; only while the survey takes answers."""
    einladung = Einladung.objects.select_for_update().select_related("umfrage").get(pk=einladung.pk)
    if einladung.zurueckgezogen_am is not None:
        raise ValidationError("Diese Einladung ist nicht mehr gültig.")
    if not einladung.umfrage.nimmt_antworten_an(timezone.localdate()):
        raise ValidationError("Die Umfrage nimmt keine Antworten mehr an.")
    antwort, neu = Antwort.objects.get_or_create(einladung=einladung, defaults={"werte": werte})
    if not neu:
        antwort.werte = werte
        antwort.save(update_fields=["werte", "geaendert_am"])
    return antwort


def interessefrage(umfrage: Umfrage) -> Frage | None:
    return umfrage.fragen.filter(interessefrage=True).first()


def hat_interesse(frage: Frage | None, antwort: Antwort) -> bool:
    """Whether the answer says "Ja" to the interest question (look the question up once
    with interessefrage() and pass it for every answer)."""
    return frage is not None and antwort.werte.get(str(frage.pk)) == INTERESSE_JA


@transaction.atomic
def als_interessenten_uebernehmen(*, antworten_: list[Antwort], user) -> dict[str, int]:
    """Answers with interest become Mitglieder with status Interessent; an authority that
    already has a member record keeps it. The answer keeps the link either way."""
    zaehler = Counter()
    heute = timezone.localdate()
    for antwort in antworten_:
        gk = antwort.einladung.gebietskoerperschaft
        if antwort.mitglied_id:
            zaehler["schon_uebernommen"] += 1
            continue
        mitglied = Mitglied.objects.filter(gebietskoerperschaft=gk).first()
        if mitglied is None:
            if gk.ist_aufgeloest:
                zaehler["aufgeloest"] += 1
                continue
            mitglied = services.create_mitglied(
                gebietskoerperschaft=gk,
                status=MitgliedStatus.INTERESSENT,
                datum=heute,
                beschluss=f"Umfrage „{antwort.einladung.umfrage.titel}“",
                user=user,
            )
            zaehler["neu"] += 1
        else:
            zaehler["bereits_erfasst"] += 1
        antwort.mitglied = mitglied
        antwort.uebernommen_am = timezone.now()
        antwort.uebernommen_von = user
        antwort.save(update_fields=["mitglied", "uebernommen_am", "uebernommen_von"])
    return dict(zaehler)


# ---------------------------------------------------------------------------- results


@dataclass
class Gruppe:
    name: str
    eingeladen: int = 0
    beantwortet: int = 0
    ja: int = 0

    @property
    def quote(self) -> float:
        return self.beantwortet / self.eingeladen if self.eingeladen else 0.0

    @property
    def zustimmung(self) -> float:
        return self.ja / self.beantwortet if self.beantwortet else 0.0


@dataclass
class FrageErgebnis:
    frage: Frage
    anzahl: int = 0
    verteilung: list[tuple[str, int]] = field(default_factory=list)
    summe: int | None = None
    mittel: float | None = None
    texte: list[str] = field(default_factory=list)


@dataclass
class Ergebnis:
    umfrage: Umfrage
    gesamt: Gruppe
    fragen: list[FrageErgebnis]
    nach_kreis: list[Gruppe]
    nach_typ: list[Gruppe]
    nach_groesse: list[Gruppe]


def _einwohner(gk_ids) -> dict[int, int]:
    zahlen = {}
    for gk_id, zahl in (
        Einwohnerzahl.objects.filter(gebietskoerperschaft_id__in=gk_ids)
        .order_by("gebietskoerperschaft_id", "stichtag")
        .values_list("gebietskoerperschaft_id", "einwohner")
    ):
        zahlen[gk_id] = zahl
    return zahlen


def ergebnisse(*, umfrage: Umfrage) -> Ergebnis:
    """Response rate, distribution per question, share in favour and breakdowns – in a
    fixed number of queries however many invitations there are."""
    fragen = list(umfrage.fragen.all())
    interessefrage = next((f for f in fragen if f.interessefrage), None)
    einladungen = list(
        umfrage.einladungen.filter(zurueckgezogen_am__isnull=True).select_related(
            "gebietskoerperschaft", "gebietskoerperschaft__kreis", "antwort"
        )
    )
    einwohner = _einwohner([e.gebietskoerperschaft_id for e in einladungen])
    gesamt = Gruppe("gesamt")
    gruppen: dict[str, dict[str, Gruppe]] = {"kreis": {}, "typ": {}, "groesse": {}}
    werte_je_frage: dict[int, list] = defaultdict(list)
    for e in einladungen:
        gk = e.gebietskoerperschaft
        antwort = getattr(e, "antwort", None)
        ja = bool(
            antwort and interessefrage and antwort.werte.get(str(interessefrage.pk)) == INTERESSE_JA
        )
        zahl = einwohner.get(gk.id, 0)
        klasse = next(name for unten, oben, name in EINWOHNERKLASSEN if oben is None or zahl < oben)
        for art, name in (
            ("kreis", gk.kreis.name if gk.kreis else "ohne Kreis"),
            ("typ", gk.get_typ_display()),
            ("groesse", klasse),
        ):
            gruppe = gruppen[art].setdefault(name, Gruppe(name))
            for g in (gruppe,) if art != "kreis" else (gruppe, gesamt):
                g.eingeladen += 1
                g.beantwortet += bool(antwort)
                g.ja += ja
        if antwort:
            for frage in fragen:
                wert = antwort.werte.get(str(frage.pk))
                if wert not in (None, "", []):
                    werte_je_frage[frage.pk].append(wert)
    fragen_ergebnisse = []
    for frage in fragen:
        werte = werte_je_frage[frage.pk]
        ergebnis = FrageErgebnis(frage, anzahl=len(werte))
        if frage.typ == Fragetyp.EINFACH:
            zaehler = Counter(werte)
            ergebnis.verteilung = [(o, zaehler.get(o, 0)) for o in frage.optionen]
        elif frage.typ == Fragetyp.MEHRFACH:
            zaehler = Counter(w for liste in werte for w in liste)
            ergebnis.verteilung = [(o, zaehler.get(o, 0)) for o in frage.optionen]
        elif frage.typ == Fragetyp.ZAHL:
            ergebnis.summe = sum(int(w) for w in werte)
            ergebnis.mittel = ergebnis.summe / len(werte) if werte else None
        elif frage.typ == Fragetyp.DATUM:
            zaehler = Counter(f"{w[:4]}, {(int(w[5:7]) - 1) // 3 + 1}. Quartal" for w in werte)
            ergebnis.verteilung = sorted(zaehler.items())
        else:
            ergebnis.texte = [str(w) for w in werte]
        fragen_ergebnisse.append(ergebnis)
    ordnung_groesse = [name for _, _, name in EINWOHNERKLASSEN]
    return Ergebnis(
        umfrage=umfrage,
        gesamt=gesamt,
        fragen=fragen_ergebnisse,
        nach_kreis=sorted(gruppen["kreis"].values(), key=lambda g: g.name),
        nach_typ=sorted(gruppen["typ"].values(), key=lambda g: g.name),
        nach_groesse=sorted(
            gruppen["groesse"].values(), key=lambda g: ordnung_groesse.index(g.name)
        ),
    )


def export_zeilen(*, umfrage: Umfrage):
    """One row per invited authority, one column per question (header first)."""
    fragen = list(umfrage.fragen.all())
    yield ["AGS", "Gebietskörperschaft", "Kreis", "Mitglied", "beantwortet am"] + [
        f.text for f in fragen
    ]
    mitglieder = dict(
        Mitglied.objects.filter(gebietskoerperschaft__einladungen__umfrage=umfrage).values_list(
            "gebietskoerperschaft_id", "status"
        )
    )
    for e in (
        umfrage.einladungen.filter(zurueckgezogen_am__isnull=True)
        .select_related("gebietskoerperschaft", "gebietskoerperschaft__kreis", "antwort")
        .order_by("gebietskoerperschaft__ars")
    ):
        antwort = getattr(e, "antwort", None)
        status = mitglieder.get(e.gebietskoerperschaft_id)
        zeile = [
            e.gebietskoerperschaft.ags,
            e.gebietskoerperschaft.name,
            e.gebietskoerperschaft.kreis.name if e.gebietskoerperschaft.kreis else "",
            MitgliedStatus(status).label if status else "nein",
            timezone.localtime(antwort.geaendert_am).strftime("%d.%m.%Y") if antwort else "",
        ]
        for frage in fragen:
            wert = antwort.werte.get(str(frage.pk), "") if antwort else ""
            zeile.append(", ".join(wert) if isinstance(wert, list) else wert)
        yield zeile
