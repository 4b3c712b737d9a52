"""In the browser: the office works with members and shares, a Kommune user sees its own
member; every page passes axe-core and the main paths work with the keyboard alone."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from mitglieder import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(mitglied_a, mitglied_b):
    services.ausgeben_anteile(
        datum=dt.date(2023, 3, 1),
        erwerber=mitglied_a,
        nennbetraege=[30000],
        kapitalerhoehung=30000,
        referenz="UR 1/2023",
    )
    services.ausgeben_anteile(
        datum=dt.date(2023, 3, 1),
        erwerber=mitglied_b,
        nennbetraege=[20000],
        kapitalerhoehung=20000,
        referenz="UR 1/2023",
    )


def test_seiten_der_geschaeftsstelle_sind_barrierefrei(
    page, anmelden, axe_pruefen, geschaeftsstelle, register, mitglied_a
):
    page.goto("/anmelden/")
    axe_pruefen("Anmeldung")
    anmelden("gs")
    axe_pruefen("Startseite Geschäftsstelle")
    for url, was in [
        ("/mitglieder/", "Mitgliederliste"),
        (f"/mitglieder/{mitglied_a.pk}/", "Mitglied"),
        (f"/mitglieder/{mitglied_a.pk}/bearbeiten/", "Mitglied bearbeiten"),
        ("/mitglieder/neu/", "Mitglied anlegen"),
        ("/gesellschafterliste/?stichtag=2023-03-01", "Gesellschafterliste"),
        ("/anteilsvorgaenge/neu/", "Anteilsvorgang"),
        ("/register/statistik/?land=16", "Register-Statistik"),
    ]:
        page.goto(url)
        axe_pruefen(was)
    # error state of a form is accessible too
    page.goto("/mitglieder/neu/")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".fehler").first).to_be_visible()
    axe_pruefen("Formular mit Fehlern")


def test_statuswechsel_nur_mit_der_tastatur(page, anmelden, geschaeftsstelle, mitglied_a):
    anmelden("gs")
    page.goto("/")
    # Skip link first, then the navigation: everything reachable by Tab.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    mitglieder = page.get_by_role("link", name="Mitglieder", exact=True)
    for _ in range(10):  # a few Tabs through the header reach the navigation link
        page.keyboard.press("Tab")
        if mitglieder.evaluate("el => el === document.activeElement"):
            break
    expect(mitglieder).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/mitglieder/")

    page.get_by_role("link", name="Adorf").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mitglieder/\d+/$"))
    page.get_by_text("Statuswechsel erfassen").focus()
    page.keyboard.press("Enter")  # opens <details>
    page.get_by_label("neuer Status").focus()
    page.keyboard.press("ArrowDown")
    # The date picker's segment order depends on the browser's locale; fill() types the ISO
    # value into the focused field without a pointer.
    page.get_by_label("wirksam ab").fill("2026-06-30")
    page.get_by_label("Beschluss / Aktenzeichen").focus()
    page.keyboard.type("Kündigung vom 28.06.2026")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Der Statuswechsel wurde erfasst.")
    expect(page.locator(".status").first).to_have_text("Austritt erklärt")
    expect(page.get_by_role("cell", name="Kündigung vom 28.06.2026")).to_be_visible()


def test_anteil_uebertragen_und_liste_pruefen(
    page, anmelden, geschaeftsstelle, register, mitglied_a, mitglied_b
):
    anmelden("gs")
    page.goto("/anteilsvorgaenge/neu/")
    page.get_by_label("Art des Vorgangs").select_option("uebertragung")
    page.get_by_label("wirksam am").fill("2024-05-01")
    page.get_by_label("Referenz (z. B. UR-Nr.)").fill("UR 77/2024")
    page.get_by_label("Veräußerer").select_option(label="Adorf")
    page.get_by_label("Erwerber").select_option(label="Bedorf")
    page.get_by_label("oder Betrag (€)").fill("40000")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".fehler")).to_contain_text("nur 30.000 € an Geschäftsanteilen")

    page.get_by_label("oder Betrag (€)").fill("5000")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/gesellschafterliste/?stichtag=2024-05-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gesellschafterliste zum 01.05.2024")
    zeilen = page.locator("tbody tr")
    expect(zeilen.nth(1)).to_contain_text("25.000 € (50,0000 %)")
    expect(page.locator("tfoot")).to_contain_text("50.000 € Stammkapital")


def test_kommune_sieht_nur_ihr_mitglied(
    page, anmelden, axe_pruefen, kommune_a, mitglied_a, mitglied_b
):
    anmelden("kommune-a")
    page.get_by_role("link", name="Mein Mitglied: Adorf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Mitglied: Adorf")
    axe_pruefen("Mein Mitglied")

    page.get_by_role("link", name="Rechnungsdaten bearbeiten").click()
    page.get_by_label("Leitweg-ID").fill("16051000-ZE12-23")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".fehler")).to_contain_text("Die Prüfziffer der Leitweg-ID")
    axe_pruefen("Rechnungsdaten mit Fehler")
    page.get_by_label("Leitweg-ID").fill("16051000-ZE12-22")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Die Änderungen wurden gespeichert.")
    expect(page.get_by_text("16051000-ZE12-22")).to_be_visible()

    antwort = page.goto(f"/mitglieder/{mitglied_b.pk}/")
    assert antwort.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
