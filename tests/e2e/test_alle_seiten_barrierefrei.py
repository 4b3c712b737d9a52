"""axe-core over every page, as the role that uses it, on the demo data: no page may have
an accessibility violation (BITV 2.0 / WCAG 2.1 AA)."""

import io

import pytest
from django.core.management import call_command

from mitglieder.models import Einladung, Mitglied, Umfrage
from vertraege.models import Kostenpool, Leistungsabruf, Umlagelauf, Vertrag

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _seiten():
    erfurt = Mitglied.objects.get(name="Stadt Erfurt")
    umfrage = Umfrage.objects.get()
    lauf = Umlagelauf.objects.filter(status="festgeschrieben").first()
    return {
        "geschaeftsstelle": [
            "/",
            "/mitglieder/",
            f"/mitglieder/{erfurt.pk}/",
            f"/mitglieder/{erfurt.pk}/bearbeiten/",
            f"/mitglieder/{erfurt.pk}/ansprechpartner/neu/",
            "/mitglieder/neu/",
            "/gesellschafterliste/",
            "/anteilsvorgaenge/neu/",
            "/register/statistik/",
            "/vertraege/",
            f"/vertraege/{Vertrag.objects.first().pk}/",
            "/anfragen/",
            f"/anfragen/{Leistungsabruf.objects.filter(status='angefragt').first().pk}/",
            "/fristen/",
            "/umfragen/",
            f"/umfragen/{umfrage.pk}/",
            f"/umfragen/{umfrage.pk}/einladungen/",
            f"/umfragen/{umfrage.pk}/ergebnisse/",
            "/umlage/",
        ],
        "finanzen": [
            "/umlage/",
            f"/umlage/laeufe/{lauf.pk}/",
            f"/umlage/laeufe/{lauf.pk}/pools/{lauf.pools.first().pk}/",
            f"/umlage/laeufe/{lauf.pk}/mitglieder/{erfurt.pk}/",
            "/umlage/abrechnung/2025/",
            "/umlage/pools/neu/",
            f"/umlage/pools/{Kostenpool.objects.first().pk}/",
        ],
        "kommune": [
            "/",
            "/mein-mitglied/",
            f"/mitglieder/{erfurt.pk}/bearbeiten/",
            "/vertraege/",
            "/anfragen/",
            "/leistungen/",
            "/leistungen/?suche=Sicherheit",
            "/umlage/",
            f"/umlage/laeufe/{lauf.pk}/mitglieder/{erfurt.pk}/",
        ],
        None: [
            "/leistungen/",
            "/leistungen/isb-as-a-service/",
            "/anmelden/",
            f"/umfrage/{Einladung.objects.filter(antwort__isnull=True).first().token}/",
            "/umfrage/" + "x" * 43 + "/",
        ],
    }


def test_jede_seite_ohne_axe_verstoesse(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    call_command("demo_laden", stdout=io.StringIO())
    axe = Axe()
    berichte = []
    for benutzer, seiten in _seiten().items():
        kontext = browser.new_context(locale="de-DE", base_url=live_server.url)
        seite = kontext.new_page()
        if benutzer:
            seite.goto("/anmelden/")
            seite.get_by_label("Benutzername").fill(benutzer)
            seite.get_by_label("Passwort").fill("kiv-demo")
            seite.get_by_role("button", name="Anmelden").click()
            seite.wait_for_selector("text=Willkommen bei KIV")
        for url in seiten:
            antwort = seite.goto(url)
            assert antwort.status < 500, url
            ergebnis = axe.run(seite)
            if ergebnis.violations_count:
                berichte.append(f"{benutzer} {url}:\n{ergebnis.generate_report()}")
        kontext.close()
    assert not berichte, "\n".join(berichte)
