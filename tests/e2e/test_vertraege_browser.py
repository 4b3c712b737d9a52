"""In the browser, two people at once: a Kommune user orders, the office accepts, the
contract becomes active, its quantity changes mid-year, the member terminates it – each
step visible to both. axe-core checks the contract pages on the way."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.leistungen.factories import LeistungFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _anmelden(browser, live_server, benutzername):
    kontext = browser.new_context(locale="de-DE", base_url=live_server.url)
    seite = kontext.new_page()
    seite.set_default_timeout(10_000)
    seite.goto("/anmelden/")
    seite.get_by_label("Benutzername").fill(benutzername)
    seite.get_by_label("Passwort").fill("geheim-123")
    seite.get_by_role("button", name="Anmelden").click()
    expect(seite.get_by_role("heading", level=1)).to_have_text("Willkommen bei KIV")
    return seite


def test_bestellen_annehmen_menge_aendern_kuendigen(
    browser, live_server, geschaeftsstelle, kommune_a, mitglied_a
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def barrierefrei(seite, was):
        ergebnis = axe.run(seite)
        assert ergebnis.violations_count == 0, f"{was}:\n{ergebnis.generate_report()}"

    LeistungFactory(
        slug="hosting",
        name="Hosting kommunaler Fachverfahren",
        preismodell="je_einheit",
        einheit="arbeitsplatz",
        mindestlaufzeit_monate=12,
        kuendigungsfrist_monate=3,
    )
    heute = timezone.localdate()
    beginn = heute.replace(day=1) - dt.timedelta(days=200)
    beginn = beginn.replace(day=1)
    kommune = _anmelden(browser, live_server, "kommune-a")
    buero = _anmelden(browser, live_server, "gs")

    # 1. The municipality orders.
    kommune.goto("/leistungen/hosting/")
    kommune.get_by_role("link", name="Diese Leistung anfragen").click()
    kommune.get_by_label("Menge (Arbeitsplatz)").fill("40")
    kommune.get_by_label("gewünschter Beginn").fill((heute + dt.timedelta(days=10)).isoformat())
    kommune.get_by_role("button", name="Anfrage senden").click()
    expect(kommune.get_by_role("row").filter(has_text="Hosting")).to_contain_text("angefragt")

    # 2. The office sees it and accepts, with a start in the past half year.
    buero.goto("/anfragen/?status=angefragt")
    buero.get_by_role(
        "link", name=re.compile("Anfrage Hosting kommunaler Fachverfahren öffnen")
    ).click()
    barrierefrei(buero, "Anfrage entscheiden")
    buero.get_by_label("Vertragsbeginn").fill(beginn.isoformat())
    buero.get_by_role("button", name="Annehmen und Vertrag anlegen").click()
    expect(buero.get_by_role("status")).to_contain_text("Angenommen: Vertrag")
    nummer = buero.get_by_role("heading", level=1).inner_text().removeprefix("Vertrag ")
    expect(buero.locator(".status").first).to_have_text("aktiv")

    # 3. The municipality sees the contract, active.
    kommune.goto("/anfragen/")
    expect(kommune.get_by_role("row").filter(has_text="Hosting")).to_contain_text("angenommen")
    kommune.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Verträge"
    ).click()
    expect(kommune.get_by_role("heading", level=1)).to_have_text("Meine Verträge")
    zeile = kommune.get_by_role("row").filter(has_text=nummer)
    expect(zeile).to_contain_text("aktiv")
    expect(zeile).to_contain_text("40")

    # 4. The office changes the quantity from the first of this month.
    ab = heute.replace(day=1) if heute.replace(day=1) > beginn else beginn + dt.timedelta(days=1)
    buero.get_by_text("Menge ändern").click()
    buero.get_by_label("gültig ab").fill(ab.isoformat())
    buero.get_by_label("neue Menge").fill("55")
    buero.get_by_role("button", name="Menge speichern").click()
    expect(buero.get_by_role("status")).to_contain_text("Die neue Menge ist erfasst.")
    barrierefrei(buero, "Vertrag (Geschäftsstelle)")
    kommune.reload()
    expect(kommune.get_by_role("row").filter(has_text=nummer)).to_contain_text("55")

    # 5. The member terminates: too early is refused with the date, then at that date.
    kommune.get_by_role("link", name=nummer).click()
    barrierefrei(kommune, "Vertrag (Kommune)")
    frueheste = kommune.get_by_label("Kündigung zum").input_value()
    kommune.get_by_label("Kündigung zum").fill(
        (dt.date.fromisoformat(frueheste) - dt.timedelta(days=1)).isoformat()
    )
    kommune.get_by_role("button", name="Vertrag kündigen").click()
    expect(kommune.locator(".fehler")).to_contain_text(
        f"endet der Vertrag frühestens am {dt.date.fromisoformat(frueheste):%d.%m.%Y}"
    )
    barrierefrei(kommune, "Kündigung mit Fehler")
    kommune.get_by_label("Kündigung zum").fill(frueheste)
    kommune.get_by_role("button", name="Vertrag kündigen").click()
    expect(kommune.get_by_role("status")).to_contain_text("Der Vertrag ist gekündigt.")
    expect(kommune.locator(".status").first).to_have_text("gekündigt")

    # 6. The office sees the termination.
    buero.goto("/vertraege/")
    expect(buero.get_by_role("row").filter(has_text=nummer)).to_contain_text("gekündigt")
    buero.goto("/fristen/?monate=24")
    expect(buero.get_by_role("row").filter(has_text=nummer)).to_contain_text(
        f"{dt.date.fromisoformat(frueheste):%d.%m.%Y}"
    )
    barrierefrei(buero, "Fristen")
