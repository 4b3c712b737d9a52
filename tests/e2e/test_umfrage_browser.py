"""In the browser: an invited municipality answers through its link, including the
follow-up question that appears after "Ja"; the office sees the result and takes the
answer into the accession pipeline. axe-core on the answer form and the results."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from mitglieder.models import Einladung, Mitglied

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo_laden", stdout=io.StringIO())


def test_kommune_antwortet_und_wird_interessent(
    browser, live_server, page, anmelden, axe_pruefen, demo
):
    einladung = Einladung.objects.get(
        gebietskoerperschaft__name="Niederorschel", umfrage__titel="Beitrittsinteresse 2026"
    )

    # the municipality, without an account, in its own browser context
    kontext = browser.new_context(locale="de-DE", base_url=live_server.url)
    kommune = kontext.new_page()
    kommune.goto(f"/umfrage/{einladung.token}/")
    expect(kommune.get_by_role("heading", level=1)).to_have_text("Beitrittsinteresse 2026")
    folgefrage = kommune.get_by_role("group", name="Welche Leistungsbereiche interessieren Sie?")
    expect(folgefrage).to_be_hidden()
    from axe_playwright_python.sync_playwright import Axe

    ergebnis = Axe().run(kommune)
    assert ergebnis.violations_count == 0, ergebnis.generate_report()

    kommune.get_by_role("radio", name="Ja").focus()
    kommune.keyboard.press("Space")
    expect(folgefrage).to_be_visible()
    kommune.get_by_label("Wann wäre ein Beitritt frühestens möglich?").fill("2027-07-01")
    folgefrage.get_by_role("checkbox", name="Informationssicherheit").check()
    kommune.get_by_label("Wie viele IT-Arbeitsplätze hat Ihre Verwaltung?").fill("6")
    kommune.get_by_role("button", name="Antworten speichern").click()
    expect(kommune.get_by_role("status")).to_contain_text(
        "Vielen Dank, Ihre Antworten sind gespeichert."
    )
    ergebnis = Axe().run(kommune)
    assert ergebnis.violations_count == 0, ergebnis.generate_report()
    kontext.close()

    # the office
    anmelden("geschaeftsstelle", "kiv-demo")
    page.goto("/umfragen/")
    page.get_by_role("link", name="Beitrittsinteresse 2026").click()
    page.get_by_role("link", name="Ergebnisse").click()
    expect(page.get_by_text("Rücklauf: 11 von 34")).to_be_visible()
    axe_pruefen("Umfrageergebnisse")
    page.get_by_role("checkbox", name="Niederorschel übernehmen").check()
    page.get_by_role("button", name="Ausgewählte als Interessenten übernehmen").click()
    expect(page.get_by_role("status")).to_contain_text("1 neue Interessenten angelegt")
    mitglied = Mitglied.objects.get(gebietskoerperschaft=einladung.gebietskoerperschaft)
    assert mitglied.status == "interessent"
    assert mitglied.umfrageantworten.get().einladung == einladung
